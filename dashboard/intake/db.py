"""Engine and schema of the intake store: one place that opens it and brings its schema up to date."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str) -> Engine:
    """Return an engine on ``url``; a SQLite file's folder is created and foreign keys are enforced.

    Parameters
    ----------
    url
        A SQLAlchemy URL: ``sqlite:///data/intake.sqlite3`` or ``postgresql://user@host/db``.

    """
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: object, _record: object) -> None:
            # SQLite checks foreign keys only when asked, per connection.
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


def alembic_config() -> Config:
    """Return the Alembic configuration of the intake migrations (no alembic.ini needed)."""
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
    engine = make_engine(url) if isinstance(url, str) else url
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    if isinstance(url, str):
        engine.dispose()
