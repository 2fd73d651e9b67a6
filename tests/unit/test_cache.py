"""The per-build cache: keys (build, kind, parameters, access scope), LRU bounds, one computation per key."""

from __future__ import annotations

import threading

import pytest

from dashboard.cache import PUBLIC, BuildCache

BUILD_A, BUILD_B = (1, 100, 5), (2, 100, 6)


def test_a_key_needs_an_access_scope() -> None:
    with pytest.raises(ValueError, match="toegangsbereik"):
        BuildCache.key(BUILD_A, "fiche-pdf", ("44021",), scope="")


def test_scope_build_kind_and_params_each_make_another_key() -> None:
    cache = BuildCache()
    base = cache.key(BUILD_A, "fiche-pdf", ("44021", 2025), scope=PUBLIC)
    cache.put(base, b"pdf")
    assert cache.get(cache.key(BUILD_A, "fiche-pdf", ("44021", 2025), scope=PUBLIC)) == b"pdf"
    for other in (cache.key(BUILD_A, "fiche-pdf", ("44021", 2025), scope="gemeente:44021"),
                  cache.key(BUILD_A, "fiche-pdf", ("44021", 2024), scope=PUBLIC),
                  cache.key(BUILD_A, "dossier-pdf", ("44021", 2025), scope=PUBLIC)):
        assert cache.get(other) is None, other
    assert (cache.hits, cache.misses) == (1, 3)


def test_a_new_build_drops_the_entries_of_the_old_one() -> None:
    cache = BuildCache()
    cache.put(cache.key(BUILD_A, "v", (1,), scope=PUBLIC), "old")
    cache.put(cache.key(BUILD_B, "v", (1,), scope=PUBLIC), "new")
    assert len(cache) == 1
    assert cache.get(cache.key(BUILD_A, "v", (1,), scope=PUBLIC)) is None
    assert cache.get(cache.key(BUILD_B, "v", (1,), scope=PUBLIC)) == "new"


def test_least_recently_used_goes_first_by_entries_and_by_bytes() -> None:
    cache = BuildCache(max_entries=2, max_bytes=10)
    a, b, c = (cache.key(BUILD_A, "v", (i,), scope=PUBLIC) for i in "abc")
    cache.put(a, b"1234")
    cache.put(b, b"1234")
    assert cache.get(a) == b"1234"  # a is now the most recently used
    cache.put(c, b"12")
    assert cache.get(b) is None and cache.get(a) == b"1234" and cache.get(c) == b"12"
    cache.put(b, b"123456789")  # 9 + 2 + 4 > 10: the least recently used (a, then c) go
    assert cache.get(a) is None and cache.get(c) is None and cache.bytes == 9
    cache.put(c, b"x" * 11)  # larger than the whole cache: not kept, nothing evicted for it
    assert cache.get(c) is None and cache.get(b) == b"123456789"


def test_concurrent_callers_of_one_key_share_one_computation() -> None:
    cache = BuildCache()
    key = cache.key(BUILD_A, "v", (1,), scope=PUBLIC)
    release, calls, results = threading.Event(), [], []

    def compute() -> str:
        calls.append(1)
        release.wait()
        return "done"

    first = threading.Thread(target=lambda: results.append(cache.get_or_compute(key, compute)))
    first.start()
    while key not in cache._pending:  # the first caller owns the computation
        threading.Event().wait(0.001)
    second = threading.Thread(target=lambda: results.append(cache.get_or_compute(key, compute)))
    second.start()
    release.set()
    first.join()
    second.join()
    assert results == ["done", "done"] and len(calls) == 1


def test_a_failed_or_outdated_computation_is_not_kept() -> None:
    cache = BuildCache()
    key = cache.key(BUILD_A, "v", (1,), scope=PUBLIC)

    def fail() -> str:
        raise RuntimeError("kapot")

    with pytest.raises(RuntimeError, match="kapot"):
        cache.get_or_compute(key, fail)
    assert cache.get_or_compute(key, lambda: "a", still_valid=lambda: False) == "a"
    assert cache.get(key) is None
    assert cache.get_or_compute(key, lambda: "b") == "b"
    assert cache.get_or_compute(key, lambda: "c") == "b"


def test_forget_drops_only_the_kinds_named() -> None:
    cache = BuildCache()
    kept, dropped = BuildCache.key("b", "areas", (), scope=PUBLIC), BuildCache.key("b", "fiche-pdf", (1,), scope=PUBLIC)
    cache.put(kept, b"1234")
    cache.put(dropped, b"123456")
    cache.forget("fiche-pdf", "fiche")
    assert cache.get(kept) == b"1234" and cache.get(dropped) is None and cache.bytes == 4
