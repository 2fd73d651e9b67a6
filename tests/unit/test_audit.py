"""The audit log, in-process on SQLite and PostgreSQL: one line per object and action of a request, with the
account, the outcome and the request id the response names; refusals too; and the folding rules themselves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard import audit
from dashboard.intake.models import AuditEntry
from dashboard.intake.store import Store
from tests.accounts import email_of, fresh_app, logged_in
from tests.unit import test_access
from tests.unit.test_access import CALLBACK, _filled, _move_body, _save_body

#: The matrix's module-scoped store on SQLite and on PostgreSQL, for this module's own app too.
intake_db_url = test_access.intake_db_url
COMPLETE = {"contact_name": "Bart Janssens", "department": "Economie", "email": "bart@gent.example.be",
            "phone": "09 123 45 67", "challenge": "x", "expectations": "x", "zone_description": "De Veldstraat",
            "retail_policy": "x", "means_capacity": "x", "departments_involvement": "x"}


@pytest.fixture(scope="module")
def app(fixture_db: Path, intake_db_url: str):
    app = fresh_app(fixture_db, intake_db_url)
    store: Store = app.server.extensions["smart_retail_intake"]
    store.create_draft("44021", "seed", COMPLETE)
    store.create_draft("11002", "seed", {"contact_name": "Contact Antwerpen"})
    yield app
    store.engine.dispose()


def _ids(app) -> dict[str, int]:
    return {a.nis_code: a.id for a in app.server.extensions["smart_retail_intake"].list_applications()}


def _lines(app, request_id: str) -> list[tuple]:
    """Return the audit lines of one request: (account, action, object, id, nis, outcome)."""
    store: Store = app.server.extensions["smart_retail_intake"]
    return [(e.account_email, e.action, e.object_type, e.object_id, e.nis_code, e.outcome)
            for e in audit.since(store.engine, dt.date(2000, 1, 1)) if e.request_id == request_id]


def test_a_save_is_one_line_with_the_account_and_the_request_id_of_the_response(app) -> None:
    gent, app_id = logged_in(app, "gemeente", "44021"), _ids(app)["44021"]
    version = app.server.extensions["smart_retail_intake"].get(app_id).version
    r = gent.post(CALLBACK, json=_save_body(app, "44021", app_id, version))
    assert r.status_code == 200, r.text[:300]
    request_id = r.headers["X-Request-ID"]
    assert len(request_id) == 12
    # The read that checked who may write is folded into the write: one line says what happened.
    assert _lines(app, request_id) == [
        (email_of("gemeente", "44021"), "wijzigen", "aanvraag", str(app_id), "44021", "ok")]


def test_a_forged_save_and_another_municipality_s_dossier_are_refusals_in_the_log(app) -> None:
    gent, other = logged_in(app, "gemeente", "44021"), _ids(app)["11002"]
    r = gent.post(CALLBACK, json=_save_body(app, "44021", other, 1))
    assert r.status_code == 404
    assert _lines(app, r.headers["X-Request-ID"]) == [
        (email_of("gemeente", "44021"), "lezen", "aanvraag", str(other), "11002", "geweigerd")]
    for number in (other, 987654):  # not yours, and nobody's: both a refused attempt on that number
        r = gent.get(f"/gemeente/11002/intake.pdf?aanvraag={number}")
        assert r.status_code == 404
        assert [(line[1], line[3], line[5]) for line in _lines(app, r.headers["X-Request-ID"])] == [
            ("lezen", str(number), "geweigerd")]


def test_a_role_refused_an_application_page_leaves_a_line(app) -> None:
    r = logged_in(app, "beheerder").get("/intake")
    assert r.status_code == 403
    assert _lines(app, r.headers["X-Request-ID"]) == [
        (email_of("beheerder"), "openen", "pagina", "/intake", None, "geweigerd")]


def test_a_status_move_and_a_dossier_download_are_logged(app) -> None:
    app_id = _ids(app)["44021"]
    r = logged_in(app, "vlaio").post(CALLBACK, json=_move_body(app, app_id, dt.date.today().isoformat()))
    assert r.status_code == 200
    lines = _lines(app, r.headers["X-Request-ID"])
    assert ("status", str(app_id), "ok") in [(line[1], line[3], line[5]) for line in lines]
    store: Store = app.server.extensions["smart_retail_intake"]
    with store.sessions() as session:
        detail = session.query(AuditEntry.detail).filter(AuditEntry.action == "status").scalar()
    assert detail == f"aanvraag -> beoordeling op {dt.date.today().isoformat()}"
    r = logged_in(app, "gemeente", "44021").get(f"/gemeente/44021/intake.pdf?aanvraag={app_id}")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert ("download", "dossier", str(app_id), "ok") in [
        (line[1], line[2], line[3], line[5]) for line in _lines(app, r.headers["X-Request-ID"])]


def test_an_export_of_outlet_rows_is_logged_and_never_cached(app) -> None:
    body = _filled(app, "kaart-download.data", {"kaart-dl-csv.n_clicks": 1, "kaart-nis.data": "44021",
                                                "kaart-year.value": 2025, "kaart-since.value": 0})
    r = logged_in(app, "gemeente", "44021").post(CALLBACK, json=body)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Cache-Control"] == "no-store"
    (line,) = _lines(app, r.headers["X-Request-ID"])
    assert line[1:5] == ("export", "verkooppunten", "44021", "44021")


def test_outlet_rows_of_another_municipality_are_a_refusal_in_the_log(app) -> None:
    body = _filled(app, "kaart-download.data", {"kaart-dl-csv.n_clicks": 1, "kaart-nis.data": "11002",
                                                "kaart-year.value": 2025, "kaart-since.value": 0})
    r = logged_in(app, "gemeente", "44021").post(CALLBACK, json=body)  # Gent asks for Antwerpen's outlets
    assert r.status_code == 403
    assert [line[1:6] for line in _lines(app, r.headers["X-Request-ID"])] == [
        ("lezen", "verkooppunten", "11002", "11002", "geweigerd")]


def test_a_fiche_pdf_with_its_outlets_is_logged_even_from_the_cache(app) -> None:
    gent = logged_in(app, "gemeente", "44021")
    for _ in range(2):  # the second is served from the render cache: still a download by this account
        r = gent.get("/gemeente/44021/fiche.pdf?gebied=WG1")
        assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
        assert [line[1:6] for line in _lines(app, r.headers["X-Request-ID"])] == [
            ("download", "fiche", "WG1", "44021", "ok")]


def test_a_request_s_lines_are_committed_at_once_without_waiting_for_the_disk(app) -> None:
    engine = app.server.extensions["smart_retail_intake"].engine
    written = audit.write(engine, [audit.Event("download", "fiche", "WG9", "44021")], 200, "zonder-fsync", None,
                          wait_for_disk=False)
    assert written == 1
    assert [line[1:6] for line in _lines(app, "zonder-fsync")] == [("download", "fiche", "WG9", "44021", "ok")]
    if engine.dialect.name == "sqlite":  # its own connections, NORMAL; the store's writes keep FULL (2)
        appender = audit.appender(engine)
        assert appender is not engine and audit.appender(engine) is appender
        with appender.connect() as con, engine.connect() as store_con:
            assert con.exec_driver_sql("PRAGMA synchronous").scalar() == 1
            assert store_con.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    else:  # PostgreSQL: synchronous_commit off for that transaction only (SET LOCAL), the server's own after
        assert audit.appender(engine) is engine
        with engine.connect() as con:
            server_setting = con.exec_driver_sql("SHOW synchronous_commit").scalar()
            con.rollback()
            with con.begin():
                con.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            assert con.exec_driver_sql("SHOW synchronous_commit").scalar() == server_setting


def test_folding_keeps_one_line_per_object_and_action_and_lets_a_refusal_win() -> None:
    read, write = audit.Event("lezen", "aanvraag", "1"), audit.Event("wijzigen", "aanvraag", "1")
    other = audit.Event("lezen", "aanvraag", "2")
    assert audit.lines([read, read, write, other], 200) == [write, other]
    refused = audit.lines([audit.Event("lezen", "aanvraag", "3", "11002"), audit.Event("lezen", "aanvraag", "3",
                                                                                          denied=True)], 404)
    assert [(e.action, e.denied, e.nis_code) for e in refused] == [("lezen", True, "11002")]
    assert audit.outcome(other, 500) == "500" and audit.outcome(refused[0], 200) == audit.DENIED


def test_the_intake_pages_keep_no_personal_value_in_the_browser_s_storage(app) -> None:
    """Every store of the form lives in memory only (gone with the tab): no local or session storage, no
    persistence of a typed value, which Dash would write to localStorage."""
    from tests.unit.test_controls import _body

    output = next(k for k in app.callback_map if "_pages_content.children" in k)
    app_id = _ids(app)["44021"]
    for path, search in (("/gemeente/44021/intake", f"?aanvraag={app_id}"), ("/intake", "")):
        body = _body(output, app.callback_map[output])
        body["inputs"][0]["value"], body["inputs"][1]["value"] = path, search
        r = logged_in(app, "gemeente", "44021").post(CALLBACK, json=body)
        assert r.status_code == 200
        # The form's stores are there (with the saved answers): an unset storage type is Dash's default, memory.
        assert path == "/intake" or ("intake-saved" in r.text and "bart@gent.example.be" in r.text)
        found: list[tuple[str, object]] = []
        todo = [r.json]
        while todo:
            item = todo.pop()
            if isinstance(item, dict):
                found += [(k, v) for k, v in item.items() if k in ("storage_type", "persistence")]
                todo += list(item.values())
            elif isinstance(item, list):
                todo += item
        assert {v for k, v in found if k == "storage_type"} <= {"memory"}, path
        assert not any(v for k, v in found if k == "persistence"), path
