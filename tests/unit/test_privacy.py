"""Personal data in the intake store, on SQLite and on a real PostgreSQL: export, erasure, retention, the
append-only audit log, and no personal value in a log line when the database refuses a statement."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import traceback
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from dashboard import audit, privacy
from dashboard.accounts.users import LoginError, add_user, authenticate
from dashboard.intake.models import ApplicationRevision, AuditEntry
from dashboard.intake.store import Store, open_store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "een lang genoeg wachtwoord"
BART = {"contact_name": "Bart Janssens", "email": "Bart.Janssens@gent.example.be", "phone": "+32 470 12 34 56",
        "department": "Lokale economie",
        "challenge": "Leegstand in de Veldstraat; bel Bart Janssens op +32 470 12 34 56 voor een afspraak."}
ANNA = {"contact_name": "Anna Peeters", "department": "Economie", "email": "anna.peeters@hasselt.example.be",
        "phone": "011 23 45 67", "challenge": "Te weinig passanten op zondag.", "expectations": "Meer bezoekers",
        "zone_description": "De Hoogstraat", "retail_policy": "x", "means_capacity": "x",
        "departments_involvement": "x"}
#: What may remain of Bart nowhere, compared without case.
BART_TRACES = ("bart janssens", "bart.janssens@gent.example.be", "470 12 34 56")


def _everything(store: Store) -> str:
    """Return every value of every column of every table of the store as one lower-case text (reflected)."""
    tables = MetaData()
    tables.reflect(bind=store.engine)
    parts: list[str] = []
    with store.engine.connect() as conn:
        for table in tables.sorted_tables:
            for row in conn.execute(select(table)):
                parts += [json.dumps(v, default=str, ensure_ascii=False) for v in row]
    return "\n".join(parts).lower()


@pytest.fixture
def filled(store: Store) -> Store:
    """Bart (an account, the contact of Gent's application, which he later handed to a colleague) and Anna."""
    add_user(store, "bart.janssens@gent.example.be", PASSWORD, "gemeente", name="Bart Janssens", nis="44021")
    add_user(store, "vera@vlaio.example.be", PASSWORD, "vlaio", name="Vera Vlaio")
    gent = store.create_draft("44021", "Bart Janssens", BART)
    store.save(gent.id, {"went_well": "Bart Janssens trok de handelaars mee."}, gent.version, "Bart Janssens")
    store.create_draft("44021", "Bart Janssens", {"contact_name": "Bart Janssens", "email": BART["email"],
                                                  "phone": BART["phone"]})
    hasselt = store.create_draft("71022", "Anna Peeters", ANNA)
    store.submit(hasselt.id, "Anna Peeters", known_nis={"71022"})
    store.move_status(hasselt.id, "intake", "Vera Vlaio")
    bart = authenticate(store, "bart.janssens@gent.example.be", PASSWORD)
    audit.write(store.engine, [audit.Event("lezen", "aanvraag", str(gent.id), "44021")], 200, "req1", bart)
    return store


def test_export_holds_the_account_the_applications_their_history_and_the_audit_lines(filled: Store) -> None:
    data = privacy.export(filled, " BART.JANSSENS@gent.example.be ")
    json.dumps(data)  # what the CLI prints: plain JSON
    assert data["account"]["name"] == "Bart Janssens"
    assert "password_hash" not in data["account"] and "session_token" not in data["account"]
    assert [a["nis_code"] for a in data["aanvragen"]] == ["44021", "44021"]
    first = data["aanvragen"][0]
    assert first["phone"] == BART["phone"]
    assert [sorted(r["changes"]) for r in first["revisies"]][1] == ["went_well"]
    assert first["statusstappen"][0]["to_status"] == "aanvraag"
    assert [(line["action"], line["account_email"]) for line in data["auditregels"]] == [
        ("lezen", "bart.janssens@gent.example.be")]
    assert "anna" not in json.dumps(data).lower()


def test_after_erasure_nothing_of_the_person_remains_in_any_table(filled: Store) -> None:
    before = _everything(filled)
    assert all(trace in before for trace in BART_TRACES)  # the scan does see him before
    done = privacy.erase(filled, "bart.janssens@gent.example.be")
    after = _everything(filled)
    assert [t for t in BART_TRACES if t in after] == []
    assert done.account_disabled and done.values > 0
    # Anna, Vera and the facts stay: who else wrote, municipality, status, the erasure's own audit line.
    assert "anna peeters" in after and "011 23 45 67" in after and "vera vlaio" in after
    assert "leegstand in de veldstraat" in after and privacy.ANONYMISED.lower() in after
    with pytest.raises(LoginError):
        authenticate(filled, "bart.janssens@gent.example.be", PASSWORD)
    with filled.sessions() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-1] == "wissen"
    with pytest.raises(privacy.PrivacyError):
        privacy.erase(filled, "bart.janssens@gent.example.be")  # nothing left to find


def test_erasure_also_finds_an_address_that_only_an_old_revision_still_holds(store: Store) -> None:
    app = store.create_draft("44021", "Iemand", {"contact_name": "Carla Claes", "email": "carla@gent.example.be",
                                                 "phone": "09 111 22 33"})
    store.save(app.id, {"contact_name": "Dirk Dierckx", "email": "dirk@gent.example.be", "phone": "09 444 55 66"},
               app.version, "Iemand")
    privacy.erase(store, "carla@gent.example.be")
    after = _everything(store)
    assert [t for t in ("carla claes", "carla@gent.example.be", "09 111 22 33") if t in after] == []
    assert "dirk dierckx" in after and "dirk@gent.example.be" in after


def test_retention_anonymises_closed_applications_and_their_authors_only_after_the_term(store: Store) -> None:
    today = dt.date.today()
    closed = store.create_draft("71022", "Anna Peeters", ANNA)
    store.submit(closed.id, "Anna Peeters", known_nis={"71022"})
    for step in ("intake", "coaching", "evaluatie"):
        store.move_status(closed.id, step, "Vera Vlaio")
    running = store.create_draft("44021", "Bart Janssens", {**ANNA, **BART})
    store.submit(running.id, "Bart Janssens", known_nis={"44021"})  # under review: not closed, however old
    draft = store.create_draft("44021", "Carla Claes", {"contact_name": "Carla Claes"})  # abandoned draft
    later = today.replace(year=today.year + 6)
    assert privacy.due(store, 5, today.replace(year=today.year + 4)) == []
    assert sorted(privacy.due(store, 5, later)) == sorted([closed.id, draft.id])
    assert privacy.retention(store, 5, later)[0] == 2
    everything = _everything(store)
    assert [t for t in ("anna peeters", "vera vlaio", "carla claes", "011 23 45 67") if t in everything] == []
    assert "bart janssens" in everything  # the running application keeps its contact
    kept = store.get(closed.id)
    assert (kept.nis_code, kept.contact_name, kept.challenge) == ("71022", None, None)
    assert kept.anonymised_at is not None
    assert {s.author for s in store.status_changes(closed.id)} == {privacy.ANONYMISED}
    assert privacy.retention(store, 5, later) == (0, 0)  # a second run has nothing left to do


def test_the_audit_log_refuses_deletes_and_changes_but_lets_an_erasure_blank_the_account(store: Store) -> None:
    audit.record(store.engine, "export", "persoon", 1, "req-x", "test")
    with pytest.raises(DBAPIError), store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    with pytest.raises(DBAPIError), store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET action = 'niets'"))
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET account_name = NULL, account_email = NULL"))
    assert [e.action for e in audit.since(store.engine, dt.date(2000, 1, 1))] == ["export"]


def test_a_refused_statement_logs_and_raises_without_the_values_bound_to_it(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = {"contact_name": "Bart Janssens", "email": "bart.janssens@gent.example.be", "phone": "+32 470 12 34 56"}
    # A revision of an application that does not exist: the foreign key refuses it on both databases.
    with pytest.raises(IntegrityError) as refused, store.sessions.begin() as session:
        session.add(ApplicationRevision(application_id=424242, version=1, author=secret["contact_name"],
                                        changes={k: {"old": None, "new": v} for k, v in secret.items()}))
    told = caplog.text + "".join(traceback.format_exception(refused.value))
    assert "application" in told.lower()  # the failure itself is told
    assert [v for v in secret.values() if v in told] == []


def test_the_register_names_every_table_and_column_of_the_store(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'intake.sqlite3'}")
    register = (ROOT / "docs" / "PRIVACY.md").read_text(encoding="utf-8")
    rows = {re.match(r"\| `(\w+)`", line).group(1): line for line in register.splitlines()
            if line.startswith("| `")}
    tables = MetaData()
    tables.reflect(bind=store.engine)
    store.engine.dispose()
    missing = [f"{t.name}.{c.name}" for t in tables.sorted_tables if t.name != "alembic_version"
               for c in t.columns if c.name != "id" and f"`{c.name}`" not in rows.get(t.name, "")]
    assert missing == []
