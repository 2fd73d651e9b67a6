"""Shared fixtures: exports and databases built from code into temporary directories, real servers."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from dashboard.intake.store import Store, open_store
from data_pipelines.load import build
from tests.exports import write_fixture_export, write_map_export
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent

#: Fixtures that start gunicorn or PostgreSQL: a test that uses one is marked ``server`` without being told.
SERVER_FIXTURES = {"demo_server", "map_server", "postgres", "fixture_server", "server"}
#: Fixtures that build the demo export through the CLI (a minute or more): marked ``slow``.
SLOW_FIXTURES = {"demo_db", "demo_twice"}
_running: list[pytest.Item] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by what it starts, so the fast lane (``-m "not server and not browser and not slow"``) is
    decided by the fixtures a test uses, not by someone remembering a decorator."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        if names & SERVER_FIXTURES or (callspec is not None and callspec.params.get("intake_db_url") == "postgresql"):
            item.add_marker(pytest.mark.server)
        if names & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item: pytest.Item) -> None:
    _running[:] = [item]


def require_server_mark(what: str) -> None:
    """Fail a test that starts ``what`` without the ``server`` mark: the fast lane must never start a server."""
    if _running and _running[0].get_closest_marker("server") is None:
        raise AssertionError(f"{_running[0].nodeid} starts {what} but is not marked 'server' "
                             "(use a server fixture or pytestmark = pytest.mark.server)")


def run_cli(*args: str, cwd: Path | None = None, module: str = "data_pipelines") -> subprocess.CompletedProcess[str]:
    """Run ``python -m data_pipelines`` (or ``module``) as a person would; return the finished process."""
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=600)


def call_cli(*args: str, module: str = "data_pipelines", env: dict[str, str] | None = None,
             stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run a CLI entry point (``module.cli.main``) in this process; answer as :func:`run_cli` does.

    The same ``main`` that ``python -m data_pipelines`` (or ``python -m dashboard``) calls, with its exit code
    and stderr, minus a fresh interpreter's 2–5 s of imports per call: the bad-export tests build some forty
    small databases, the account tests run the account commands a dozen times. ``env`` is set for the call only
    and ``stdin`` is what the command reads there. The interpreter-level path (``python -m``, signals) keeps its
    own tests through :func:`run_cli`.
    """
    import contextlib
    import importlib
    import io

    main = importlib.import_module(f"{module}.cli").main
    out, err = io.StringIO(), io.StringIO()
    saved_env = {k: os.environ.get(k) for k in (env or {})}
    saved_stdin = sys.stdin
    os.environ.update(env or {})
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse refuses bad arguments this way
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = saved_stdin
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return subprocess.CompletedProcess([module, *args], code, out.getvalue(), err.getvalue())


@pytest.fixture()
def fixture_export(tmp_path: Path) -> Path:
    """The hand-made export of tests/exports.py in a fresh directory."""
    return write_fixture_export(tmp_path / "export")


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built (in-process) from the hand-made export, shared read-only by the tests."""
    base = tmp_path_factory.mktemp("fixture")
    source = write_fixture_export(base / "export")
    db = base / "fixture.duckdb"
    build(source, db)
    return db


def sha256(path: Path) -> str:
    """Return the SHA-256 of a file: a failed build must leave the database byte-identical."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def setup(tmp_path: Path, fixture_db: Path) -> tuple[Path, Path, str]:
    """A fresh copy of the fixture export and of a database built from it (the one to protect)."""
    export = write_fixture_export(tmp_path / "export")
    db = tmp_path / "retail.duckdb"
    shutil.copy(fixture_db, db)
    return export, db, sha256(db)


@pytest.fixture(scope="session")
def map_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the fixture export plus the 2024 -> 2025 changes the core-area map compares."""
    base = tmp_path_factory.mktemp("map")
    db = base / "map.duckdb"
    build(write_map_export(base / "export"), db)
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo export generated and built through the real CLI, as the README does."""
    base = tmp_path_factory.mktemp("demo")
    done = run_cli("demo", "--out", str(base / "export"))
    assert done.returncode == 0, done.stderr
    done = run_cli("build", "--source", str(base / "export"), "--db", str(base / "retail.duckdb"))
    assert done.returncode == 0, done.stderr
    return base / "retail.duckdb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn serving the dashboard on loopback, as the Procfile runs it."""

    def __init__(self, db: Path, workers: int = 1, env: dict[str, str] | None = None) -> None:
        require_server_mark("gunicorn")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Each server its own intake store beside its database: never the repository's data/intake.sqlite3.
        self.intake_db = db.parent / f"intake-{self.port}.sqlite3"
        # No street tiles unless a test asks for them (``env``): the tests never reach the internet.
        env = {"SMART_RETAIL_MAP_TILES": "0", **os.environ, "SMART_RETAIL_DB": str(db),
               "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{self.intake_db}", **(env or {})}
        gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
        # The log goes to a file: a pipe nobody reads would block the workers once it is full.
        fd, log_name = tempfile.mkstemp(prefix="gunicorn-", suffix=".log")
        self.log_path = Path(log_name)
        self.proc = subprocess.Popen(
            [gunicorn, "dashboard.app:server", "--workers", str(workers), "--threads", "4", "--timeout", "60",
             "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT, env=env, stdout=fd, stderr=subprocess.STDOUT, text=True,
        )
        os.close(fd)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/health", timeout=2).status_code in (200, 503):
                    break
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {self.log()}")
            time.sleep(0.2)

    def log(self) -> str:
        """Return what the server wrote so far (gunicorn's lines and the request log)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log_path.unlink(missing_ok=True)


#: The shared servers publish their indicators, as a province publishes its figures: the public pages' journeys
#: need no login; the outlet-level pages and the intake still do (the tests log in there).
PUBLISHED = {"SMART_RETAIL_PUBLIC_INDICATORS": "1"}


@pytest.fixture(scope="session")
def demo_server(demo_db: Path) -> Iterator[Server]:
    """gunicorn on the demo database, its indicators published."""
    server = Server(demo_db, env=PUBLISHED)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def map_server(map_db: Path) -> Iterator[Server]:
    """gunicorn on the map fixture database, its indicators published."""
    server = Server(map_db, env=PUBLISHED)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server in a temp directory for the whole run; fails (never skips) without its binaries."""
    require_server_mark("PostgreSQL")
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()


def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return an empty store's URL on the backend ``request.param`` names: for a module-scoped store fixture."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres").new_database()
    return f"sqlite:///{tmp_path_factory.mktemp('intake') / 'intake.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def intake_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty intake database on each backend the store supports: a SQLite file, a new PostgreSQL database."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres").new_database()
    return f"sqlite:///{tmp_path / 'intake' / 'intake.sqlite3'}"


@pytest.fixture
def store(intake_db_url: str) -> Iterator[Store]:
    """A migrated intake store on each backend."""
    store = open_store(intake_db_url)
    yield store
    # PostgreSQL counts connections: give the pool's back instead of leaving them to the garbage collector.
    store.engine.dispose()
