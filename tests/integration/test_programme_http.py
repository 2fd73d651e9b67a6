"""The programme's loop through the app's own requests (Flask test client, real SQLite store, the fixture build):
VLAIO selects and composes the team, an expert of the team logs a session and evaluates, the municipality
approves, the card is public in De Vitrine; every role gets exactly what its rule allows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from dashboard.data.db import Database
from dashboard.intake.baseline import snapshot
from dashboard.programme.store import Programme, enter_submitted
from tests.accounts import PASSWORD, ensure_account, fresh_app, logged_in
from tests.test_helpers_programme import submitted
from tests.unit.test_controls import _body

CALLBACK = "/_dash-update-component"


def _call(client, app, prefix: str, values: dict):
    """Post the callback whose output starts with ``prefix`` and whose input is the first key of ``values``."""
    trigger = next(iter(values))
    output = next(k for k, v in app.callback_map.items() if k.startswith(prefix)
                  and trigger in {f"{d['id']}.{d['property']}" for d in v["inputs"]})
    body = _body(output, app.callback_map[output])
    for entry in [*body["inputs"], *body["state"]]:
        entry["value"] = values.get(f"{entry['id']}.{entry['property']}", entry["value"])
    body["changedPropIds"] = [next(iter(values))]
    return client.post(CALLBACK, json=body)


def _login(app, email: str):
    client = app.server.test_client()
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 303
    return client


@pytest.fixture(scope="module")
def loop(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    app = fresh_app(fixture_db, tmp_path_factory.mktemp("programme") / "intake.sqlite3")
    store = app.server.extensions["smart_retail_intake"]
    p = Programme(store)
    call = p.create_call("Oproep test", date(2024, 5, 1), date(2024, 8, 13), date(2024, 9, 2), 1, 50_000, 60)
    gent = submitted(store, "44021", date(2024, 8, 1), challenge="De leegstand stijgt in de Veldstraat.")
    aalst = submitted(store, "41002", date(2024, 8, 2))
    for app_id, on in ((gent, date(2024, 8, 1)), (aalst, date(2024, 8, 2))):
        enter_submitted(store, app_id, on)
    griet = ensure_account(store, "expert", name="Griet")
    other = ensure_account(store, "expert", name="Jan")
    expert = p.add_expert("Griet Aerts", "persoon", ["Retailvastgoed", "Starters"], 800, 4, griet)
    return {"app": app, "store": store, "p": p, "call": call.id, "gent": gent, "aalst": aalst, "expert": expert.id,
            "vlaio": logged_in(app, "vlaio"), "gent_client": logged_in(app, "gemeente", "44021"),
            "aalst_client": logged_in(app, "gemeente", "41002"), "griet": _login(app, griet),
            "jan": _login(app, other), "db": Database(fixture_db)}


def test_vlaio_accepts_the_suggestion_and_overrides_one_decision_with_a_reason(loop) -> None:
    app, p, call = loop["app"], loop["p"], loop["call"]
    letter = f"/oproepen/{call}/brief-{loop['gent']}.pdf"
    assert loop["vlaio"].get(letter).status_code == 404  # no decision yet
    assert _call(loop["gent_client"], app, "call-overview", {"call-accept.n_clicks": 1, "call-id.data": call}
                 ).status_code == 403
    r = _call(loop["vlaio"], app, "call-overview", {"call-accept.n_clicks": 1, "call-id.data": call})
    assert r.status_code == 200, r.text[:300]
    decisions = {a.id: c.decision for a, c in p.candidates(call)}
    assert sorted(decisions.values()) == ["geselecteerd", "reservelijst"]  # capacity 1
    chosen = next(i for i, d in decisions.items() if d == "geselecteerd")
    values = {"call-save.n_clicks": 1, "call-pick.value": loop["gent"], "call-score-beleid.value": 5,
              "call-decision.value": "geselecteerd", "call-reason.value": "", "call-id.data": call}
    r = _call(loop["vlaio"], app, "..call-message", values)
    assert "een beslissing heeft een reden nodig" in r.text and p.scores([loop["gent"]])[loop["gent"]] == {"beleid": 5}
    values["call-reason.value"] = "sterke aanvraag, leegstand stijgt"
    assert _call(loop["vlaio"], app, "..call-message", values).status_code == 200
    assert p.candidacy(loop["gent"]).reason == "sterke aanvraag, leegstand stijgt"
    if chosen != loop["gent"]:
        p.decide([(chosen, "reservelijst", "plaats voor Gent")], "VLAIO")
    pdf = loop["vlaio"].get(letter)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.headers["Cache-Control"] == "no-store"
    assert loop["gent_client"].get(letter).status_code == 403


def test_vlaio_composes_the_team_and_the_expert_of_the_team_reaches_the_trajectory(loop) -> None:
    app, store, gent = loop["app"], loop["store"], loop["gent"]
    start = date(2024, 9, 2)
    store.move_status(gent, "intake", "VLAIO", on=start, baseline=snapshot(loop["db"], "44021", None, start))
    store.move_status(gent, "coaching", "VLAIO", on=start + timedelta(days=7))
    team = {"traj-team-save.n_clicks": 1, "traj-id.data": gent, "traj-slot-profile-0.value": "Retailvastgoed",
            "traj-slot-expert-0.value": loop["expert"], "traj-slot-days-0.value": 4}
    assert _call(loop["griet"], app, "..traj-team-box", team).status_code == 403  # only VLAIO composes
    r = _call(loop["vlaio"], app, "..traj-team-box", team)
    assert r.status_code == 200 and "Team bewaard: 1 experten" in r.text
    session = {"traj-s-save.n_clicks": 1, "traj-id.data": gent, "traj-s-date.value": "2024-09-16",
               "traj-s-experts.value": [loop["expert"]], "traj-s-departments.value": "economie, mobiliteit",
               "traj-s-notes.value": "Kick-off met de diensten"}
    assert _call(loop["jan"], app, "..traj-log-box", session).status_code == 404  # not in the team: no trajectory
    r = _call(loop["griet"], app, "..traj-log-box", session)
    assert r.status_code == 200 and "Sessie bewaard" in r.text
    (logged,), _, _ = loop["p"].log(gent)
    assert (logged.experts, logged.departments, logged.author) == (["Griet Aerts"], ["economie", "mobiliteit"],
                                                                    "Griet")
    assert _call(loop["aalst_client"], app, "..traj-log-box", session).status_code == 404


def test_the_expert_evaluates_the_municipality_approves_and_the_card_is_public(loop) -> None:
    app, p, gent = loop["app"], loop["p"], loop["gent"]
    evaluation = {"traj-e-save.n_clicks": 1, "traj-id.data": gent, "traj-e-title.value": "Een leegstandsfonds",
                  "traj-e-challenge.value": "leegstand", "traj-e-concepts.value": ["het leegstandsfonds"],
                  "traj-e-summary.value": "Samen met de eigenaars", "traj-e-worked.value": "Het fonds",
                  "traj-e-worked-less.value": "De timing", "traj-e-next.value": "Een tweede ronde"}
    r = _call(loop["griet"], app, "..traj-eval-box", evaluation)
    assert r.status_code == 200 and "Evaluatie bewaard" in r.text
    assert loop["store"].get(gent).status == "evaluatie"
    figures = p.evaluation(gent).figures
    assert figures["before_year"] == 2024 and figures["after_year"] == 2025 and figures["rows"]
    approve = {"traj-approve.n_clicks": 1, "traj-id.data": gent}
    assert _call(loop["griet"], app, "..traj-eval-box", approve).status_code == 403
    assert _call(loop["aalst_client"], app, "..traj-eval-box", approve).status_code == 404
    assert p.published() == []
    r = _call(loop["gent_client"], app, "..traj-eval-box", approve)
    assert r.status_code == 200 and "de kaart staat in De Vitrine" in r.text
    anonymous = app.server.test_client()
    assert anonymous.get("/vitrine").status_code == 200
    r = _call(anonymous, app, "..vitrine-cards", {"vitrine-challenge.value": "leegstand"})
    assert r.status_code == 200 and "Een leegstandsfonds" in r.text
    r = _call(anonymous, app, "..vitrine-cards", {"vitrine-challenge.value": "beleving"})
    assert "Geen kaarten" in r.text
    pdf = f"/trajecten/{gent}/evaluatie-traject{gent}.pdf"
    assert loop["gent_client"].get(pdf).data.startswith(b"%PDF")
    assert loop["aalst_client"].get(pdf).status_code == 404 and anonymous.get(pdf).status_code == 303


def test_vlaio_adds_and_edits_calls_and_the_roster_through_the_forms_others_get_403(loop) -> None:
    from sqlalchemy import select

    from dashboard.intake.models import AuditEntry

    app, p, store = loop["app"], loop["p"], loop["store"]
    new = {"calls-form-save.n_clicks": 1, "calls-form-pick.value": 0, "calls-form-name.value": "Oproep 2027",
           "calls-form-opens.value": "2027-05-03", "calls-form-deadline.value": "2027-04-01",
           "calls-form-start.value": "2027-09-06", "calls-form-capacity.value": 20,
           "calls-form-budget-eur.value": 362500, "calls-form-budget-days.value": -1}
    for role in ("gent_client", "griet"):
        assert _call(loop[role], app, "..calls-form-message", new).status_code == 403
    assert _call(loop["vlaio"], app, "..calls-form-message", {**new, "calls-form-capacity.value": "20"}
                 ).status_code == 400  # a forged type never reaches the rules
    r = _call(loop["vlaio"], app, "..calls-form-message", new)
    assert r.status_code == 200 and "moet na de opening (03-05-2027) liggen" in r.text
    assert "expertendagen moet groter dan nul" in r.text and "Oproep 2027" not in {c.name for c in p.calls()}
    r = _call(loop["vlaio"], app, "..calls-form-message", {**new, "calls-form-deadline.value": "2027-08-13",
                                                            "calls-form-budget-days.value": 450})
    assert r.status_code == 200 and "Oproep 2027' toegevoegd" in r.text
    added = next(c for c in p.calls() if c.name == "Oproep 2027")
    shrink = {**new, "calls-form-pick.value": loop["call"], "calls-form-name.value": "Oproep test",
              "calls-form-opens.value": "2024-05-01", "calls-form-deadline.value": "2024-08-13",
              "calls-form-start.value": "2024-09-02", "calls-form-capacity.value": 1,
              "calls-form-budget-eur.value": 1, "calls-form-budget-days.value": 60}
    r = _call(loop["vlaio"], app, "..calls-form-message", shrink)
    assert "Het budget (€ 1) ligt onder de € 3.200 die al in de teams gepland is" in r.text
    assert p.call(loop["call"]).budget_eur == 50_000
    expert = {"roster-save.n_clicks": 1, "roster-pick.value": 0, "roster-name.value": "Bureau Pleinwerk",
              "roster-kind.value": "bureau", "roster-email.value": "", "roster-profiles.value": ["Starters"],
              "roster-rate.value": 950, "roster-days.value": 10}
    assert _call(loop["gent_client"], app, "..roster-message", expert).status_code == 403
    assert _call(loop["griet"], app, "..roster-message", expert).status_code == 403
    assert loop["griet"].get("/experten").status_code == 403 and loop["vlaio"].get("/experten").status_code == 200
    r = _call(loop["vlaio"], app, "..roster-message", {**expert, "roster-days.value": 0})
    assert "dagen per maand liggen tussen 0 en 31" in r.text
    assert _call(loop["vlaio"], app, "..roster-message", expert).status_code == 200
    firm = next(e for e in p.experts() if e.name == "Bureau Pleinwerk")
    status = {"roster-remove.n_clicks": 1, "roster-toggle.n_clicks": 0, "roster-pick.value": loop["expert"]}
    r = _call(loop["vlaio"], app, "..roster-message", status)
    assert "geplande dagen in teams: zet hem op inactief" in r.text
    toggle = {"roster-toggle.n_clicks": 1, "roster-remove.n_clicks": 0, "roster-pick.value": loop["expert"]}
    r = _call(loop["vlaio"], app, "..roster-message", toggle)
    assert "is nu inactief" in r.text and not next(e.active for e in p.experts() if e.id == loop["expert"])
    p.set_expert_active(loop["expert"], True)
    with store.sessions() as s:
        lines = list(s.scalars(select(AuditEntry).where(AuditEntry.object_type.in_(("oproep", "expert")))))
    assert {(x.action, x.object_type, x.object_id) for x in lines} >= {
        ("aanmaken", "oproep", str(added.id)), ("aanmaken", "expert", str(firm.id)),
        ("wijzigen", "expert", str(loop["expert"]))}
    assert all("Pleinwerk" not in (x.detail or "") and "Griet" not in (x.detail or "") for x in lines)
