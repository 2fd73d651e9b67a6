"""The cheap schema check a web worker makes instead of running alembic."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from dashboard.intake.db import alembic_config, at_head, ensure_schema, head_revisions, make_engine, upgrade


def test_head_read_from_the_files_is_alembics_head() -> None:
    assert head_revisions() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_at_head_only_once_migrated_to_the_last_revision(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.sqlite3'}")
    assert not at_head(engine)  # no schema at all
    upgrade(engine, "0006")
    assert not at_head(engine)  # one migration behind
    ensure_schema(engine)
    assert at_head(engine)
    engine.dispose()
