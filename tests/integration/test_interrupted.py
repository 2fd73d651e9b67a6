"""Builds killed with SIGKILL at random moments never damage the previous database."""

from __future__ import annotations

import hashlib
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from data_pipelines.load import remove_stale_builds
from tests.conftest import ROOT, run_cli

# Builds of large or damaged exports in subprocesses: seconds each, kept out of the fast lane.
pytestmark = pytest.mark.slow


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_kill_9_during_builds_keeps_the_previous_database(fixture_export: Path, fixture_db: Path,
                                                          tmp_path: Path) -> None:
    db = tmp_path / "retail.duckdb"
    shutil.copy(fixture_db, db)
    original = sha256(db)
    rng = random.Random(7)
    killed = 0
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-m", "data_pipelines", "build", "--source", str(fixture_export),
                                 "--db", str(db)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # Wait until the build has started writing its new database, then kill it a moment later.
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".retail.duckdb.*.building*")) and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.returncode == -signal.SIGKILL:
            killed += 1
            assert sha256(db) == original, "a killed build changed the database"
        else:  # it finished first: then the new database is complete
            assert proc.returncode == 0
            original = sha256(db)
        con = duckdb.connect(str(db), read_only=True)
        assert con.execute("select count(*) from stg_outlets").fetchall() == [(27,)]
        con.close()
    assert killed >= 3  # the test really interrupted builds
    done = run_cli("build", "--source", str(fixture_export), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob(".retail.duckdb.*.building*")), "stale half-built files left behind"


def test_stale_files_of_dead_builds_are_removed_but_running_ones_kept(tmp_path: Path) -> None:
    db = tmp_path / "retail.duckdb"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        stale = tmp_path / f".retail.duckdb.{dead.pid}.abc.building"
        stale_wal = tmp_path / f".retail.duckdb.{dead.pid}.abc.building.wal"
        running = tmp_path / f".retail.duckdb.{sleeper.pid}.def.building"
        for p in (stale, stale_wal, running):
            p.write_bytes(b"half")
        assert sorted(remove_stale_builds(db)) == sorted([stale, stale_wal])
        assert running.exists()
    finally:
        sleeper.kill()


def _file_size_limit(limit: int):
    def apply() -> None:  # in the child: every file it writes may grow to ``limit`` bytes, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("fraction", [0.002, 0.3, 0.9])
def test_full_disk_is_reported_in_one_line_and_keeps_the_database(fixture_export: Path, fixture_db: Path,
                                                                  tmp_path: Path, fraction: float) -> None:
    db = tmp_path / "retail.duckdb"
    shutil.copy(fixture_db, db)
    original = sha256(db)
    limit = int(fraction * db.stat().st_size)  # the new database needs about as much as the old one
    done = subprocess.run([sys.executable, "-m", "data_pipelines", "build", "--source", str(fixture_export),
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          preexec_fn=_file_size_limit(limit))
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("fout: ") and "schijf vol" in last and "Traceback" not in done.stderr
    assert sha256(db) == original
    assert not list(tmp_path.glob(".retail.duckdb.*.building*"))
    again = run_cli("build", "--source", str(fixture_export), "--db", str(db))
    assert again.returncode == 0, again.stderr
