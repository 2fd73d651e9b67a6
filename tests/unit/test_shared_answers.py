"""The answers the workers share: per build and settings, whole or not at all, private, bounded."""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.shared_answers import SharedAnswers

DB = Path("/data/retail.duckdb")
BUILD = (1, 2, 3)
DIGEST = "a" * 64


def test_an_answer_kept_by_one_worker_is_read_by_another_for_that_build_and_setup_only(tmp_path: Path) -> None:
    one, other = SharedAnswers(tmp_path / "answers", "setup"), SharedAnswers(tmp_path / "answers", "setup")
    one.put(DB, BUILD, DIGEST, b'{"multi":true}')
    assert other.get(DB, BUILD, DIGEST) == b'{"multi":true}'
    assert other.get(DB, (1, 2, 4), DIGEST) is None  # a new build
    assert other.get(Path("/other.duckdb"), BUILD, DIGEST) is None
    assert SharedAnswers(tmp_path / "answers", "other base map").get(DB, BUILD, DIGEST) is None
    assert other.get(DB, BUILD, "b" * 64) is None
    assert other.get(DB, BUILD, "../" + DIGEST) is None  # only digests name a file
    assert not [p for p in (tmp_path / "answers").rglob(".*")]  # no half-written file left


def test_a_folder_others_may_read_is_not_used(tmp_path: Path) -> None:
    open_folder = tmp_path / "open"
    open_folder.mkdir(mode=0o755)
    open_folder.chmod(0o755)
    shared = SharedAnswers(open_folder, "setup")
    shared.put(DB, BUILD, DIGEST, b"{}")
    assert not shared.usable and shared.get(DB, BUILD, DIGEST) is None and not list(open_folder.iterdir())
    assert (SharedAnswers(tmp_path / "new", "setup").root.stat().st_mode & 0o777) == 0o700


def test_beyond_the_bound_the_oldest_answers_go(tmp_path: Path) -> None:
    shared = SharedAnswers(tmp_path / "answers", "setup", max_bytes=4000)
    digests = [f"{i:064x}" for i in range(6)]
    for i, digest in enumerate(digests):
        shared.put(DB, BUILD, digest, b"x" * 1000)
        path = shared._folder(DB, BUILD) / digest
        os.utime(path, ns=(i * 10**9, i * 10**9))  # written one after the other
    shared.trim()
    assert [shared.get(DB, BUILD, d) is not None for d in digests] == [False, False, False, True, True, True]
