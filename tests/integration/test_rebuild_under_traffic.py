"""A build while the dashboard serves: no request fails, and the app moves to the new data without a restart."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
import requests

from dashboard.data.db import ALIAS, Database
from tests.conftest import Server, run_cli
from tests.exports import write_fixture_export
from tests.integration.test_bad_input import append_outlet
from tests.traffic import pages_for, run_users


def build_id(db: Database) -> str:
    return db.query("select value from build_info where key = 'build_id'")["value"].iloc[0]


def test_database_follows_a_swap_while_an_old_connection_is_still_reading(fixture_db: Path, tmp_path: Path) -> None:
    export = write_fixture_export(tmp_path / "export")
    target = tmp_path / "retail.duckdb"
    shutil.copy(fixture_db, target)
    db = Database(target)
    before = build_id(db)
    old = db._current().cursor()  # a request still running on the old build
    old.execute(f"use {ALIAS}")
    done = run_cli("build", "--source", str(export), "--db", str(tmp_path / "next.duckdb"))
    assert done.returncode == 0, done.stderr
    os.replace(tmp_path / "next.duckdb", target)
    assert build_id(db) not in (before, None)
    assert old.execute("select value from build_info where key = 'build_id'").fetchall() == [(before,)]
    old.close()


@pytest.mark.server
@pytest.mark.slow
def test_rebuilds_under_traffic_lose_no_request_and_switch_without_restart(fixture_db: Path, tmp_path: Path) -> None:
    export = write_fixture_export(tmp_path / "export")
    db = tmp_path / "retail.duckdb"
    shutil.copy(fixture_db, db)
    server = Server(db, workers=2)  # as the Procfile: two workers of four threads
    stop = threading.Event()
    try:
        first = requests.get(server.url + "/health", timeout=30).json()
        pages = pages_for([2024, 2025], ["44021", "41002", "44087"], ["40000", "10000"])
        users, hits = run_users(server.url, pages, users=4, stop=stop, think=0.05,
                                intake_db_url=f"sqlite:///{server.intake_db}")
        builds = []
        for n in range(2):
            while len(hits) < 20 * (n + 1):  # traffic before (and between) the builds
                time.sleep(0.05)
            append_outlet(export, jaar="2025", vkp_id=f"NEW{n}", branche_code="DAG03", wvo_m2="75")
            done = run_cli("build", "--source", str(export), "--db", str(db))
            assert done.returncode == 0, done.stderr
            builds.append(done.stderr.split("klaar in")[0])
            deadline = time.monotonic() + 60
            while (health := requests.get(server.url + "/health", timeout=30).json())["row_counts"][
                    "stg_outlets"] != 28 + n:
                assert time.monotonic() < deadline, health
                time.sleep(0.1)
        seen = len(hits)
        while len(hits) < seen + 20:  # traffic after the last switch
            time.sleep(0.05)
        stop.set()
        for user in users:
            user.join(timeout=90)
        failed = [h for h in hits if h.failed]
        assert not failed, failed[:5]
        assert server.proc.poll() is None  # the same gunicorn, never restarted
        log = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
        served_by = {e["build"] for e in log if e.get("event") == "request" and e["status"] == 200 and e["build"]}
        assert first["build_id"] in served_by and health["build_id"] in served_by
        assert health["build_id"] != first["build_id"]
    finally:
        stop.set()
        server.stop()
