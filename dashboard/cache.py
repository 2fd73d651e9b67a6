"""A per-build cache of read-only results (view models, figures, PDFs), bounded in memory (LRU).

The analytics database never changes within a build: whatever a page or a PDF computes from it is the
same for the same parameters until the ETL swaps in the next build. So a result is keyed on

- the build's fingerprint (the database file's identity, :meth:`dashboard.data.db.Database.fingerprint`),
- the kind of result (``"fiche-pdf"``, ``"municipality-view"``, …) and its parameters,
- the caller's access scope: :data:`PUBLIC` for what every visitor may see (the fiche, its PDF, the
  reference queries), and for callback answers the caller's own scope
  (:func:`dashboard.accounts.access.access_scope`: its role, binding and assignments), so that one user never gets
  what another may not see. The scope is a required argument of :meth:`BuildCache.key`, so no call site
  can forget it.

Entries of an older build are dropped as soon as a newer build is seen. Concurrent requests for the same
key compute once: the first computes, the others wait for its result (a burst of one PDF renders it once).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

#: The access scope of data every visitor may see (all of the analytics database, today).
PUBLIC = "publiek"


@dataclass(frozen=True)
class CacheKey:
    """What identifies a cached result: build, kind, parameters and the access scope of the caller."""

    build: Hashable
    kind: str
    params: tuple[Hashable, ...]
    scope: str


def size_of(value: object) -> int:
    """Return a cheap estimate of ``value``'s size in bytes: exact for bytes and text, 1 KiB otherwise."""
    if isinstance(value, bytes | bytearray | str):
        return len(value)
    return 1024


class BuildCache:
    """A thread-safe LRU of results, bounded by entries and by (estimated) bytes, one build at a time."""

    def __init__(self, max_entries: int = 512, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[CacheKey, tuple[Any, int]] = OrderedDict()
        self._pending: dict[CacheKey, Future] = {}
        self._build: Hashable = None
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(build: Hashable, kind: str, params: tuple[Hashable, ...], *, scope: str) -> CacheKey:
        """Return the key of a result; ``scope`` is the caller's access scope (:data:`PUBLIC` for now)."""
        if not scope:
            raise ValueError("een cachesleutel vraagt een toegangsbereik (scope)")
        return CacheKey(build, kind, tuple(params), scope)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """Return the estimated bytes held."""
        return self._bytes

    def _switch_build(self, build: Hashable) -> None:
        # Called with the lock held: a newer build makes every older entry unreachable, so free them now.
        if build != self._build:
            self._entries.clear()
            self._bytes = 0
            self._build = build

    def clear(self) -> None:
        """Forget every entry (what a new build does; benchmarks use it to measure a first view)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def forget(self, *kinds: str) -> None:
        """Drop the entries of these kinds (benchmarks measure an uncached fiche with warm reference data)."""
        with self._lock:
            for key in [k for k in self._entries if k.kind in kinds]:
                self._bytes -= self._entries.pop(key)[1]

    def get(self, key: CacheKey) -> Any | None:
        """Return the cached result of ``key`` (and mark it recently used), or None."""
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return hit[0]

    def put(self, key: CacheKey, value: object, size: int | None = None) -> None:
        """Store ``value`` under ``key``, evicting the least recently used entries beyond the bounds."""
        size = size_of(value) if size is None else size
        with self._lock:
            self._switch_build(key.build)
            if size > self.max_bytes:
                return  # larger than the whole cache: keeping it would evict everything else for one entry
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def get_or_compute(self, key: CacheKey, compute: Callable[[], T], size: Callable[[T], int] | None = None,
                       still_valid: Callable[[], bool] | None = None) -> T:
        """Return the cached result of ``key``, else compute it once (concurrent callers share that one run).

        An exception of ``compute`` reaches every waiting caller and nothing is cached. ``still_valid`` is
        asked after computing: False (a new build arrived meanwhile) returns the result without keeping it.
        """
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return hit[0]
            waiting = self._pending.get(key)
            owner = waiting is None
            pending: Future = Future() if waiting is None else waiting
            if owner:
                self._pending[key] = pending
                self.misses += 1
        if not owner:
            return pending.result()
        try:
            value = compute()
        except BaseException as exc:
            pending.set_exception(exc)
            raise
        finally:
            with self._lock:
                self._pending.pop(key, None)
        if still_valid is None or still_valid():
            self.put(key, value, size(value) if size else None)
        pending.set_result(value)
        return value
