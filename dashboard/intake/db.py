"""Engine and schema of the intake store: one place that opens it and brings its schema up to date."""

from __future__ import annotations

import fcntl
import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url, text

if TYPE_CHECKING:
    # alembic (and mako, which it loads) cost a web worker about 37 MiB; a worker whose store is already at
    # the latest schema never imports them (see :func:`ensure_schema`).
    from alembic.config import Config

MIGRATIONS = Path(str(resources.files("dashboard.intake").joinpath("migrations")))
#: Key of the PostgreSQL advisory lock held while migrating (any constant; "SRIN" in ASCII).
PG_LOCK_KEY = 0x5352494E


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    # SQLite runs DDL outside the transaction lock, so two processes need a lock file beside the database.
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def driver_url(url: str | URL) -> URL:
    """Return ``url`` with PostgreSQL's driver spelled out: psycopg 3, the one the project installs.

    A platform's ``DATABASE_URL`` says ``postgres://`` or ``postgresql://`` without a driver, and SQLAlchemy
    would then pick psycopg2 (not installed). A URL that names its driver (``postgresql+psycopg2://``) keeps it.
    """
    url = make_url(url)
    return url.set(drivername="postgresql+psycopg") if url.drivername in ("postgres", "postgresql") else url


def make_engine(url: str | URL) -> Engine:
    """Return an engine on ``url``; a SQLite file's folder is created and foreign keys are enforced.

    Parameters
    ----------
    url
        A SQLAlchemy URL: ``sqlite:///data/intake.sqlite3`` or ``postgresql://user@host/db`` (opened with
        psycopg 3, see :func:`driver_url`).

    """
    # hide_parameters: a failed statement's message (logged, or shown in a traceback) never holds the values bound
    # to it, which are names, e-mail addresses and answers of applications.
    engine = create_engine(driver_url(url), hide_parameters=True)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: object, _record: object) -> None:
            # SQLite checks foreign keys only when asked, per connection.
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA foreign_keys=ON")
            # Two gunicorn workers write the same file: wait for the other's lock instead of failing at once,
            # and let readers go on while one writes (WAL).
            cursor.execute("PRAGMA busy_timeout=10000")
            if database and database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

    return engine


def alembic_config() -> Config:
    """Return the Alembic configuration of the intake migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(url: str | Engine, revision: str = "head") -> None:
    """Apply the intake migrations to the database at ``url`` (an empty one gets the whole schema).

    Parameters
    ----------
    url
        A SQLAlchemy URL or an engine.
    revision
        The revision to upgrade to (default: the latest).

    """
    from alembic import command

    engine = make_engine(url) if isinstance(url, str) else url
    config = alembic_config()
    # Every gunicorn worker upgrades as it starts: one at a time, so two never create the same table.
    with _migration_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    if isinstance(url, str):
        engine.dispose()


_REVISION = re.compile(r"^(down_)?revision\s*(?::[^=]*)?=\s*(?:\"([^\"]*)\"|'([^']*)'|None)", re.MULTILINE)


def head_revisions() -> frozenset[str]:
    """Return the revision(s) no migration builds on, read from the migration files without alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, double, single in _REVISION.findall(path.read_text(encoding="utf-8")):
            (parents if down else revisions).add(double or single)
    return frozenset(revisions - parents - {""})


def at_head(engine: Engine) -> bool:
    """Tell whether the store at ``engine`` has the latest schema (a read of alembic's version table)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        found = {row[0] for row in connection.execute(text("select version_num from alembic_version"))}
    return found == set(head_revisions())


def ensure_schema(engine: Engine) -> None:
    """Bring the store at ``engine`` to the latest schema; a store already there costs one read, no alembic.

    gunicorn's configuration migrates once in a separate process before the workers start
    (``gunicorn.conf.py``), so a worker finds the store at the head and never loads alembic.
    """
    if not at_head(engine):
        upgrade(engine)
