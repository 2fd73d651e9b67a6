"""Alembic environment of the intake store: runs online, on the connection or URL the caller gives."""

from __future__ import annotations

from alembic import context

from dashboard.intake.db import make_engine
from dashboard.intake.models import Base

config = context.config


def _run(connection: object) -> None:
    # Batch mode lets ALTERs run on SQLite (copy-and-move) as on PostgreSQL.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with make_engine(config.get_main_option("sqlalchemy.url")).begin() as conn:
        _run(conn)
