"""What only PostgreSQL does to the intake store, on a real server (the ``postgres`` fixture of tests/conftest.py).

The store's behaviour on both backends is in test_intake_store.py, test_intake_form.py and test_intake_baseline.py
(their ``store`` fixture runs each test on SQLite and on this server); here are the driver, the types, and the
waits on PostgreSQL's locks.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine

from dashboard.config import load_settings
from dashboard.intake.db import PG_LOCK_KEY, make_engine, upgrade
from dashboard.intake.models import Application, ApplicationRevision
from dashboard.intake.store import ConflictError, Store, open_store
from tests.postgres import PostgresServer


def wait_until_blocked(conn: Connection, future: Future, what: str) -> None:
    """Wait until another backend of this database waits on a lock (``future`` must not finish first)."""
    deadline = time.monotonic() + 20
    # pg_stat_activity is read once per transaction unless the snapshot is cleared: clear it on every look.
    while not conn.exec_driver_sql("SELECT pg_stat_clear_snapshot(), count(*) FROM pg_stat_activity "
                                   "WHERE wait_event_type = 'Lock' AND datname = current_database()").one()[1]:
        assert not future.done(), f"{what} did not wait for the lock: {future.exception()!r}"
        assert time.monotonic() < deadline, f"{what} never waited for the lock"
        time.sleep(0.05)


@pytest.fixture
def engine(postgres: PostgresServer) -> Iterator[Engine]:
    engine = make_engine(postgres.new_database())
    yield engine
    engine.dispose()


def test_a_platform_database_url_opens_the_real_server_with_psycopg_3(postgres: PostgresServer) -> None:
    # What a platform sets: postgres://, no driver. The app reads it through the settings, as in production.
    url = postgres.new_database().replace("postgresql://", "postgres://")
    store = open_store(load_settings({"DATABASE_URL": url}).intake_db_url)
    try:
        assert (store.engine.dialect.name, store.engine.dialect.driver) == ("postgresql", "psycopg")
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version()").scalar().startswith("PostgreSQL ")
            assert conn.exec_driver_sql("SHOW listen_addresses").scalar() == ""  # the test's server has no TCP
        assert store.get(store.create_draft("44021", "an").id).nis_code == "44021"
    finally:
        store.engine.dispose()


def test_columns_are_timestamptz_and_json_and_times_come_back_aware(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as conn:
        types = dict(conn.exec_driver_sql(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE column_name IN ('created_at', 'at', 'recorded_at', 'frozen_at', 'experts', 'values')").all())
    assert types == {"application.created_at": "timestamp with time zone", "application.experts": "json",
                     "application_revision.at": "timestamp with time zone",
                     "status_change.recorded_at": "timestamp with time zone",
                     "baseline_snapshot.frozen_at": "timestamp with time zone", "baseline_snapshot.values": "json",
                     "app_user.created_at": "timestamp with time zone", "audit_log.at": "timestamp with time zone",
                     "programme_score.at": "timestamp with time zone",
                     "programme_session.at": "timestamp with time zone", "programme_session.experts": "json"}
    store = Store(engine)
    before = datetime.now(UTC)
    app = store.create_draft("44021", "an", {"challenge": "Leegstand"})
    store.freeze_baseline(app.id, {"year": 2025}, "build-1")
    stored = store.get(app.id)
    times = [stored.created_at, stored.updated_at, store.revisions(app.id)[0].at,
             store.status_changes(app.id)[0].recorded_at, store.baselines(app.id)[0].frozen_at]
    assert all(t.tzinfo is not None and abs(t - before) < timedelta(minutes=1) for t in times), times
    assert [e.kind for e in store.history(app.id)] == ["wijziging", "status", "basislijn"]
    assert store.status_changes(app.id)[0].effective_on == date.today()


def test_the_migration_waits_for_the_advisory_lock(engine: Engine) -> None:
    # Deterministic version of the workers' race: while another worker's migration holds the lock, upgrade() waits.
    # The thread pool is entered first so that, should an assert fail, the lock holder closes (and the transaction
    # lock goes) before the pool waits for the blocked thread.
    with ThreadPoolExecutor(max_workers=1) as pool, engine.connect() as holder:
        holder.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})")
        done = pool.submit(upgrade, engine)
        wait_until_blocked(holder, done, "upgrade()")
        assert holder.exec_driver_sql("SELECT to_regclass('application')").scalar() is None
        holder.commit()  # the other worker's migration ends
        done.result(timeout=30)
        assert holder.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0007"


def test_a_save_blocked_on_the_row_lock_ends_in_a_conflict_not_an_overwrite(engine: Engine) -> None:
    # Both writers pass save()'s version check; PostgreSQL makes the second UPDATE wait for the first's row lock,
    # then re-checks "WHERE version = 1" against the committed row: no row matches, and save() says so in Dutch.
    upgrade(engine)
    store = Store(engine)
    app = store.create_draft("44021", "an", {"challenge": "Leegstand"})
    # The pool first, as above: on a failed assert the first session rolls back before the pool waits.
    with ThreadPoolExecutor(max_workers=1) as pool, store.sessions() as first, engine.connect() as watcher:
        mine = first.get(Application, app.id)
        mine.challenge = "Leegstand en parkeren"
        first.flush()  # UPDATE sent: the row is locked until commit
        first.add(ApplicationRevision(application_id=app.id, version=mine.version, author="An Peeters",
                                      changes={"challenge": {"old": "Leegstand", "new": mine.challenge}}))
        other = pool.submit(store.save, app.id, {"challenge": "Iets anders"}, 1, "Bart Claes")
        wait_until_blocked(watcher, other, "the second save")
        first.commit()
        with pytest.raises(ConflictError, match=r"intussen gewijzigd door An Peeters op .* niet opgeslagen"):
            other.result(timeout=30)
    now = store.get(app.id)
    assert (now.challenge, now.version) == ("Leegstand en parkeren", 2)
    assert [r.author for r in store.revisions(app.id)] == ["an", "An Peeters"]
