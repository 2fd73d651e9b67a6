"""The intake store on a real SQLite file and a real PostgreSQL server: migrations, edits, conflicts, crashes, history.

The ``store`` and ``intake_db_url`` fixtures (tests/conftest.py) run each test on both backends.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, inspect

from dashboard.config import load_settings
from dashboard.intake.db import make_engine, upgrade
from dashboard.intake.models import Application, Base
from dashboard.intake.store import ConflictError, NotFoundError, Store, TransitionError, open_store
from dashboard.intake.validation import ValidationError
from dashboard.programme.models import PROGRAMME_TABLES

KNOWN = {"44021", "11002", "23062", "71016"}
COMPLETE = {
    "contact_name": "An Peeters", "department": "Economie", "email": "an.peeters@gent.be",
    "phone": "09 266 51 11", "challenge": "Leegstand in de Veldstraat en moeilijk parkeren.",
    "expectations": "Een actieplan tegen leegstand.", "zone_area_ids": ["44021-01"],
    "retail_policy": "Kernwinkelgebied afgebakend in 2022.", "means_capacity": "Een halftijdse centrummanager.",
    "departments_involvement": "Economie, mobiliteit en stedenbouw zitten in de stuurgroep.",
}


def test_migrations_from_empty_give_exactly_the_models_schema(intake_db_url: str) -> None:
    url = intake_db_url
    upgrade(url)
    upgrade(url)  # a second run is a no-op
    engine = make_engine(url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        tables = set(inspect(conn).get_table_names())
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == ["0007"]
    engine.dispose()
    assert tables == {"alembic_version", "application", "application_revision", "status_change",
                      "baseline_snapshot", "app_user", "server_secret", "expert_assignments", "audit_log",
                      *PROGRAMME_TABLES}


def test_a_store_of_the_first_schema_keeps_its_data_through_the_upgrade(intake_db_url: str) -> None:
    url = intake_db_url
    upgrade(url, "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO application (nis_code, challenge, status, version, created_at, updated_at) "
                             "VALUES ('44021', 'Leegstand', 'aanvraag', 1, '2026-01-05', '2026-01-05')")
    store = open_store(url)
    app = store.get(1)
    assert (app.challenge, app.five_b_notes) == ("Leegstand", None)
    app = store.save(1, {"five_b_notes": {"Beleid": "Beleidsplan 2021 opvragen."}}, 1, "expert")
    assert store.get(1).five_b_notes == {"Beleid": "Beleidsplan 2021 opvragen."}
    store.engine.dispose()
    engine.dispose()


@pytest.mark.slow
def test_workers_starting_together_migrate_one_at_a_time(intake_db_url: str) -> None:
    # Each gunicorn worker upgrades as it starts; without the lock (a lock file on SQLite, an advisory lock on
    # PostgreSQL) the second fails on "table exists".
    url = intake_db_url
    code = f"from dashboard.intake.db import upgrade; upgrade({url!r})"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == ["0007"]
    engine.dispose()


def test_intake_url_setting_falls_back_to_database_url() -> None:
    assert load_settings({}).intake_db_url == "sqlite:///data/intake.sqlite3"
    assert load_settings({"DATABASE_URL": "postgres://u@h/db"}).intake_db_url == "postgresql://u@h/db"
    both = {"DATABASE_URL": "postgresql://u@h/db", "SMART_RETAIL_INTAKE_DB_URL": "sqlite:///x.db"}
    assert load_settings(both).intake_db_url == "sqlite:///x.db"


def test_draft_save_submit_and_status_history(store: Store) -> None:
    app = store.create_draft("44021", "an@gent.be", {"challenge": "Leegstand"}, on=date(2026, 10, 20))
    assert (app.version, app.status, app.challenge) == (1, "aanvraag", "Leegstand")
    with pytest.raises(ValidationError) as err:
        store.submit(app.id, "an@gent.be", known_nis=KNOWN)
    assert "E-mailadres is verplicht om in te dienen." in err.value.errors["email"]
    assert store.get(app.id).status == "aanvraag"
    app = store.save(app.id, COMPLETE, expected_version=1, author="an@gent.be")
    assert app.version == 2
    app = store.submit(app.id, "an@gent.be", date(2026, 11, 2), known_nis=KNOWN)
    assert app.status == "beoordeling"
    store.move_status(app.id, "intake", "profploeg", date(2026, 11, 20))
    with pytest.raises(TransitionError, match="niet naar 'evaluatie'"):
        store.move_status(app.id, "evaluatie", "profploeg")
    store.move_status(app.id, "coaching", "profploeg", date(2026, 12, 1))
    store.move_status(app.id, "evaluatie", "profploeg", date(2027, 6, 1))
    with pytest.raises(TransitionError, match="eindstatus"):
        store.move_status(app.id, "coaching", "profploeg")
    steps = [e.text for e in store.history(app.id) if e.kind == "status"]
    assert steps[1:] == ["Status aanvraag → beoordeling op 02-11-2026", "Status beoordeling → intake op 20-11-2026",
                         "Status intake → coaching op 01-12-2026", "Status coaching → evaluatie op 01-06-2027"]


def test_review_can_send_back_and_unknown_ids_say_so(store: Store) -> None:
    app = store.create_draft("44021", "an", COMPLETE)
    store.submit(app.id, "an", known_nis=KNOWN)
    assert store.move_status(app.id, "aanvraag", "profploeg").status == "aanvraag"
    with pytest.raises(NotFoundError, match="geen aanvraag met nummer 999"):
        store.save(999, {"challenge": "x"}, 1, "an")
    with pytest.raises(TransitionError, match="Onbekende status"):
        store.move_status(app.id, "klaar", "an")


def test_submit_refuses_an_unknown_nis_code(store: Store) -> None:
    app = store.create_draft("99999", "an", COMPLETE)
    with pytest.raises(ValidationError) as err:
        store.submit(app.id, "an", known_nis=KNOWN)
    assert err.value.errors == {"nis_code": "'99999' is geen gekende NIS-code van een Vlaamse gemeente."}


def test_concurrent_edit_gets_a_dutch_conflict_and_overwrites_nothing(store: Store) -> None:
    app = store.create_draft("44021", "an", {"challenge": "Leegstand"})
    first, second = store.get(app.id), store.get(app.id)
    assert first.version == second.version == 1
    store.save(app.id, {"challenge": "Leegstand en parkeren"}, first.version, "An Peeters")
    with pytest.raises(ConflictError) as err:
        store.save(app.id, {"challenge": "Iets anders", "phone": "09 123 45 67"}, second.version, "Bart Claes")
    message = str(err.value)
    assert "intussen gewijzigd door An Peeters op" in message and "(uitdaging)" in message
    assert "niet opgeslagen" in message and "versie 2" in message
    now = store.get(app.id)
    assert (now.challenge, now.phone, now.version) == ("Leegstand en parkeren", None, 2)
    assert [r.author for r in store.revisions(app.id)] == ["an", "An Peeters"]


def test_two_sessions_racing_past_the_check_cannot_both_write(store: Store) -> None:
    # The version column guards the UPDATE itself, not only the check in save().
    app = store.create_draft("44021", "an", {"challenge": "a"})
    with store.sessions() as one, store.sessions() as two:
        a, b = one.get(Application, app.id), two.get(Application, app.id)
        a.challenge, b.challenge = "van één", "van twee"
        one.commit()
        with pytest.raises(Exception, match="expected to update 1 row"):
            two.commit()
    assert store.get(app.id).challenge == "van één"


def test_a_crash_inside_the_save_transaction_loses_nothing(store: Store) -> None:
    app = store.create_draft("44021", "an", {"challenge": "Leegstand"})
    store.save(app.id, {"expectations": "Een plan"}, 1, "an")

    def crash(session) -> None:
        raise RuntimeError("stroompanne")

    # Fires after the UPDATE and the revision were flushed, just before COMMIT.
    event.listen(store.sessions, "before_commit", crash)
    try:
        with pytest.raises(RuntimeError, match="stroompanne"):
            store.save(app.id, {"challenge": "Weg?", "expectations": "Weg?"}, 2, "bart")
    finally:
        event.remove(store.sessions, "before_commit", crash)
    now = store.get(app.id)
    assert (now.challenge, now.expectations, now.version) == ("Leegstand", "Een plan", 2)
    assert [r.version for r in store.revisions(app.id)] == [1, 2]
    assert store.save(app.id, {"challenge": "Nu wel"}, 2, "bart").version == 3


def test_revisions_record_who_when_and_old_and_new_values(store: Store) -> None:
    app = store.create_draft("44021", "an", {"challenge": "Leegstand"})
    store.save(app.id, {"challenge": "Leegstand en parkeren", "zone_area_ids": ["44021-01", "44021-02"]}, 1, "bart")
    same = store.save(app.id, {"challenge": "Leegstand en parkeren"}, 2, "bart")
    assert same.version == 2  # nothing changed: no new version, no empty revision
    first, second = store.revisions(app.id)
    assert first.changes == {"nis_code": {"old": None, "new": "44021"}, "challenge": {"old": None, "new": "Leegstand"}}
    assert second.author == "bart" and second.at is not None and second.version == 2
    assert second.changes == {"challenge": {"old": "Leegstand", "new": "Leegstand en parkeren"},
                              "zone_area_ids": {"old": None, "new": ["44021-01", "44021-02"]}}
    kinds = [(e.kind, e.author) for e in store.history(app.id)]
    assert kinds[:2] == [("wijziging", "an"), ("status", "an")] and kinds[-1] == ("wijziging", "bart")


def test_save_refuses_unknown_fields_and_too_long_texts(store: Store) -> None:
    app = store.create_draft("44021", "an")
    with pytest.raises(ValidationError) as err:
        store.save(app.id, {"status": "coaching", "phone": "0" * 40}, 1, "an")
    assert err.value.errors == {"status": "Onbekend veld 'status'.", "phone": "Maximaal 32 tekens (nu 40)."}
    assert store.get(app.id).version == 1


def test_baseline_and_experts_are_stored_as_json(store: Store) -> None:
    app = store.create_draft("44021", "an")
    values = {"vacancy_rate_count_all_pct": 12.5, "year": 2025, "peers": ["44083", "11002"], "note": None}
    store.freeze_baseline(app.id, values, "build-2025-11-01")
    (snap,) = store.baselines(app.id)
    assert (snap.build_id, snap.values) == ("build-2025-11-01", values)
    experts = {"suggested": ["Mobiliteit"], "chosen": ["Mobiliteit", "Evenementen"]}
    json_fields = {"experts": experts, "five_b_notes": {"Beleid": "Één plan, “kern” afgebakend."},
                   "zone_area_ids": ["44021-01", "44021-02"]}
    assert store.save(app.id, json_fields, 1, "profploeg").experts == experts
    again = store.get(app.id)  # read back from the database, not the saved object
    assert {k: getattr(again, k) for k in json_fields} == json_fields
    assert [e.kind for e in store.history(app.id)][-2:] in (["basislijn", "wijziging"], ["wijziging", "basislijn"])


def test_list_by_province_and_status(store: Store) -> None:
    ghent, antwerp, leuven = (store.create_draft(n, "x", COMPLETE) for n in ("44021", "11002", "24062"))
    store.submit(leuven.id, "x", known_nis=None)
    assert [a.nis_code for a in store.list_applications(province="40000")] == ["44021"]
    assert [a.nis_code for a in store.list_applications(province="20001")] == ["24062"]
    assert {a.id for a in store.list_applications(status="aanvraag")} == {ghent.id, antwerp.id}
    assert store.list_applications(province="20001", status="aanvraag") == []
    assert store.list_applications(province="99999") == []
    assert len(store.list_applications()) == 3


def test_a_step_dated_before_the_previous_one_is_refused(store: Store) -> None:
    app = store.create_draft("44021", "an", COMPLETE, on=date(2026, 3, 1))
    with pytest.raises(TransitionError, match=r"ligt vóór de vorige stap \(aanvraag op 01-03-2026\)"):
        store.submit(app.id, "an", date(2026, 2, 28), known_nis=KNOWN)
    assert store.get(app.id).status == "aanvraag" and len(store.status_changes(app.id)) == 1
    assert store.submit(app.id, "an", date(2026, 3, 1), known_nis=KNOWN).status == "beoordeling"  # same day is fine
