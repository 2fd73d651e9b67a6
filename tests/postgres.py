"""A real, throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temp directory, unix socket only."""

from __future__ import annotations

import getpass
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

#: Where Debian's ``postgresql`` package puts the server binaries (one folder per major version, not on PATH).
DEBIAN_BINS = "/usr/lib/postgresql/*/bin"
MISSING = ("PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin nor on PATH: "
           "install the Debian package 'postgresql' (apt-get install postgresql), as the README's test command does.")


def find_bindir() -> Path:
    """Return the folder with ``initdb`` and ``pg_ctl``: Debian's newest version, else the one on PATH."""
    found = sorted((Path(p) for p in glob.glob(DEBIAN_BINS) if Path(p, "initdb").exists()),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl", path=str(Path(initdb).parent)):
        return Path(initdb).parent
    pytest.fail(MISSING, pytrace=False)


class PostgresServer:
    """One PostgreSQL cluster in its own temp directory, reachable only through a unix socket there.

    PostgreSQL refuses to run as root: as root the cluster belongs to the ``postgres`` system user the
    Debian package creates, and every server command runs as that user.
    """

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.as_root = os.geteuid() == 0
        self.user = "postgres" if self.as_root else getpass.getuser()
        # Not pytest's tmp_path: its parents are mode 0700 and root's, so the postgres user could not enter them.
        # A short path too: the socket's path must stay under ~107 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="pg-test-"))
        self.data = self.root / "data"
        self._names = itertools.count(1)
        if self.as_root:
            try:
                shutil.chown(self.root, self.user, self.user)
            except LookupError:
                shutil.rmtree(self.root)
                pytest.fail("Running as root, but there is no 'postgres' system user to run PostgreSQL as: install "
                            "the Debian package 'postgresql' (apt-get install postgresql).", pytrace=False)

    def _run(self, tool: str, *args: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.as_root else []
        done = subprocess.run([*prefix, str(self.bindir / tool), *args], cwd=self.root, capture_output=True,
                              text=True, timeout=60)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} {' '.join(args)} failed ({done.returncode}):\n{done.stderr}{tail}")

    def start(self) -> PostgresServer:
        """Create the cluster and start the server; return self."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        # No TCP at all (listen_addresses=''): the socket in our own folder is the only way in, so no port can clash.
        # Durability is not what these tests are about: skip the fsyncs to keep them fast.
        settings = {"listen_addresses": "''", "unix_socket_directories": f"'{self.root}'", "fsync": "off",
                    "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "100"}
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.root / "server.log"))
        return self

    def url(self, database: str = "postgres") -> str:
        """Return the plain ``postgresql://`` URL of a database, as a platform's DATABASE_URL spells it."""
        return f"postgresql://postgres@/{database}?host={self.root}"

    def new_database(self) -> str:
        """Create an empty database and return its URL (each test gets its own, so none sees another's rows)."""
        import psycopg  # the test extra; imported here so that a missing server fails with MISSING, not this

        name = f"test_{next(self._names)}"
        with psycopg.connect(host=str(self.root), user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(self.data))
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
