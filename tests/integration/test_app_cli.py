"""``python -m dashboard`` as a person runs it: help, flags over the environment, a taken port, the fiche batch."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, free_port, require_server_mark


def run_app(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def test_help_prints_usage_and_exits_without_serving() -> None:
    done = run_app("--help", timeout=30)
    assert done.returncode == 0
    assert done.stdout.startswith("usage: python -m dashboard")
    for flag in ("--host", "--port", "--db", "--debug", "fiches"):
        assert flag in done.stdout
    assert "Running on" not in done.stdout + done.stderr


def test_a_taken_port_gets_one_dutch_line_naming_the_flag_and_the_variable() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_app("--port", str(port), timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == [f"fout: poort {port} is al in gebruik (draait het dashboard al?); kies een andere poort met "
                     "--port of de omgevingsvariabele SMART_RETAIL_PORT"]


@pytest.mark.parametrize(("env", "line"), [
    ({"SMART_RETAIL_PORT": "acht"}, "fout: SMART_RETAIL_PORT='acht': verwacht een poortnummer van 1 tot 65535"),
    ({"SMART_RETAIL_DEBUG": "soms"}, "fout: SMART_RETAIL_DEBUG='soms': verwacht 1 of 0"),
])
def test_a_bad_setting_gets_one_line_and_exit_code_1(env: dict[str, str], line: str) -> None:
    done = run_app(env=env, timeout=60)
    assert (done.returncode, done.stderr.strip()) == (1, line)


def test_a_bad_etl_memory_setting_stops_the_build_in_one_line(fixture_export: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "data_pipelines", "build", "--source", str(fixture_export),
                           "--db", str(tmp_path / "x.duckdb")], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "SMART_RETAIL_ETL_MEMORY": "veel"}, timeout=300)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == ("fout: SMART_RETAIL_ETL_MEMORY='veel': verwacht een hoeveelheid "
                                                    "geheugen zoals 4GB of 512MB")
    assert not (tmp_path / "x.duckdb").exists()


@pytest.mark.server
def test_port_and_db_flags_win_over_the_environment(fixture_db: Path, tmp_path: Path) -> None:
    require_server_mark("python -m dashboard")
    port = free_port()
    env = {**os.environ, "SMART_RETAIL_PORT": str(free_port()), "SMART_RETAIL_DB": str(tmp_path / "none.duckdb"),
           "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp_path / 'intake.sqlite3'}"}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port), "--db", str(fixture_db)],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "the dashboard did not listen on --port"
                time.sleep(0.3)
        assert health.status_code == 200  # the --db database, not the missing one of the environment
        assert health.json()["row_counts"]["fct_outlets"] > 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
