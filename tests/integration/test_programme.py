"""The programme on a real store, SQLite and PostgreSQL alike (the ``store`` fixture runs each test on both):
a call from application to Vitrine, its refusals, and the synthetic demo programme on the built demo."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from dashboard.accounts.assignments import list_assignments
from dashboard.accounts.users import add_user
from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.errors import RejectedError
from dashboard.intake.store import Store
from dashboard.programme import selection
from dashboard.programme.demo import DemoRefusedError, build_demo
from dashboard.programme.rules import Committed
from dashboard.programme.store import Programme, ProgrammeError, enter_submitted
from tests.test_helpers_programme import submitted


def _calls(p: Programme) -> tuple[int, int]:
    first = p.create_call("Oproep najaar", date(2024, 5, 1), date(2024, 8, 13), date(2024, 9, 2), 2, 20_000, 25)
    second = p.create_call("Oproep winter", date(2024, 8, 26), date(2024, 11, 12), date(2025, 1, 6), 2, 20_000, 25)
    return first.id, second.id


def test_a_trajectory_from_call_to_vitrine(store: Store) -> None:
    p = Programme(store)
    first, second = _calls(p)
    assert [c.key for c in p.criteria(first)][:3] == ["structurele_leegstand", "passantentrend", "leegstand_vs_peers"]
    gent = submitted(store, "44021", date(2024, 8, 1))
    aalst = submitted(store, "41002", date(2024, 8, 20))  # a week late for the first call
    assert "telt mee in 'Oproep najaar'" in enter_submitted(store, gent, date(2024, 8, 1))
    enter_submitted(store, aalst, date(2024, 8, 20))
    assert p.candidacy(aalst).call_id == second and p.candidacy(aalst).late_for_call_id == first
    assert [a.id for a, _ in p.candidates(first)] == [gent]
    p.set_score(gent, "beleid", 4, "VLAIO")
    p.set_score(gent, "beleid", 5, "VLAIO")  # a second score replaces the first
    assert p.scores([gent]) == {gent: {"beleid": 5.0}}
    with pytest.raises(ProgrammeError, match="reden"):
        p.decide([(gent, selection.SELECTED, "  ")], "VLAIO")
    with pytest.raises(ProgrammeError, match="Onbekende beslissing"):
        p.decide([(gent, "misschien", "x")], "VLAIO")
    assert p.decide([(gent, selection.SELECTED, "beste score van Oost-Vlaanderen")], "VLAIO") == 1
    assert p.decide([(gent, selection.SELECTED, "beste score van Oost-Vlaanderen")], "VLAIO") == 0  # no change
    expert = p.add_expert("Griet Aerts", "persoon", ["Retailvastgoed", "Starters"], 800, 4, "Griet@Example.be")
    planned = p.add_expert("Jan Maes", "persoon", ["Starters"], 700, 4, "jan@example.be")  # no account
    with pytest.raises(ProgrammeError, match="profiel"):
        p.compose_team(gent, [(expert.id, "Mobiliteit", 3)], "VLAIO")
    with pytest.raises(ProgrammeError, match="geselecteerde"):
        p.compose_team(aalst, [(expert.id, "Starters", 3)], "VLAIO")
    p.compose_team(gent, [(expert.id, "Retailvastgoed", 3), (expert.id, "Starters", 2)], "VLAIO")
    assert [(m.profile, m.planned_days * m.day_rate) for m, _ in p.team([gent])] == [
        ("Retailvastgoed", 2400.0), ("Starters", 1600.0)]
    with store.sessions() as session:
        assert list_assignments(session, application_id=gent) == []  # Griet has no account yet
    add_user(store, "griet@example.be", "correct paard batterij nietje", "expert", name="Griet Aerts")
    p.compose_team(gent, [(expert.id, "Retailvastgoed", 3), (expert.id, "Starters", 2), (planned.id, "Starters", 1)],
                   "VLAIO")
    with store.sessions() as session:
        assert [a.email for a in list_assignments(session, application_id=gent)] == ["griet@example.be"]
    p.compose_team(gent, [(planned.id, "Starters", 1)], "VLAIO")
    with store.sessions() as session:  # Griet left the team: she no longer reaches the trajectory
        assert list_assignments(session, application_id=gent) == []
    p.compose_team(gent, [(expert.id, "Retailvastgoed", 3), (expert.id, "Starters", 2)], "VLAIO")
    p.add_session(gent, date(2024, 9, 10), ["Griet Aerts"], ["lokale economie"], "Startsessie", "Griet Aerts")
    action = p.add_action(gent, "Leegstandsfonds uitwerken", "schepen", date(2024, 12, 1), "Griet Aerts")
    p.set_action_status(action.id, gent, "klaar")
    with pytest.raises(ProgrammeError, match="geen actie"):
        p.set_action_status(action.id, aalst, "klaar")  # an action of another trajectory
    p.add_report(gent, date(2025, 2, 1), "einde", "Afgerond", "Griet Aerts")
    sessions, actions, reports = p.log(gent)
    assert [s.notes for s in sessions] == ["Startsessie"] and actions[0].status == "klaar"
    assert [r.kind for r in reports] == ["einde"]
    with pytest.raises(ProgrammeError, match="nog geen evaluatie"):
        p.approve(gent, "Gent")
    values = {"next_steps": "verder", "challenge_tag": "leegstand", "concepts": ["het leegstandsfonds"],
              "title": "Een fonds", "summary": "s", "worked": "w", "worked_less": "l", "figures": {"rows": []}}
    p.save_evaluation(gent, values, "Griet Aerts")
    assert p.published() == []
    p.approve(gent, "Gent")
    assert [(e.title, a.id) for e, a in p.published()] == [("Een fonds", gent)]
    p.save_evaluation(gent, {**values, "title": "Herschreven"}, "Griet Aerts")
    assert p.published() == []  # a rewrite needs a new approval
    assert p.real_applications() == 2 and not p.has_synthetic()


def test_no_call_open_leaves_the_application_submitted_and_says_so(store: Store) -> None:
    p = Programme(store)
    _calls(p)
    late = submitted(store, "44021", date(2025, 3, 1))
    assert "geen oproep open" in enter_submitted(store, late, date(2025, 3, 1))
    assert p.candidacy(late) is None and store.get(late).status == "beoordeling"
    with pytest.raises(ProgrammeError, match="moet na de opening"):
        p.create_call("Verkeerd", date(2025, 5, 1), date(2025, 4, 1), date(2025, 6, 1), 1, 1, 1)


def test_the_demo_programme_is_written_once_and_refuses_real_applications(store: Store, demo_db: Path) -> None:
    db = Database(demo_db)
    summary = build_demo(store, db)
    assert summary.written and summary.calls == 4 and summary.trajectories == 80 and summary.published > 30
    for row in summary.per_call:
        assert row["selected"] == 20 and row["provinces"] == 5 and row["budget_used"] <= row["budget"]
    again = build_demo(store, db)
    assert again == dataclasses.replace(summary, written=False)
    p = Programme(store)
    # Each card compares the inventory of its call's year (2021 call -> 2021) with the latest, not 2025 with 2025.
    latest = max(queries.years(db))
    call_of = {a.id: p.call(p.candidacy(a.id).call_id) for _, a in p.published()}
    spans = {(e.figures["before_year"], e.figures["after_year"]) for e, _ in p.published()}
    assert spans == {(2021, latest), (2022, latest), (2023, latest)}
    for e, a in p.published():
        assert e.figures["before_year"] == call_of[a.id].deadline.year
        assert [b for b in store.baselines(a.id)][-1].values["year"] == call_of[a.id].deadline.year
        assert any(r["before"] != r["after"] for r in e.figures["rows"] if r["before"] is not None)
    assert p.real_applications() == 0 and p.has_synthetic()
    assert all(e.synthetic for e, _ in p.published()) and all(c.synthetic for c in p.calls())
    submitted(store, "44021", date(2024, 8, 1))  # a real application arrives
    with pytest.raises(DemoRefusedError, match="1 echte aanvragen"):
        build_demo(store, db)


def test_vlaio_edits_a_call_but_never_below_what_it_holds(store: Store) -> None:
    p = Programme(store)
    first, _second = _calls(p)
    gent = submitted(store, "44021", date(2024, 8, 1))
    aalst = submitted(store, "41002", date(2024, 8, 2))
    for app_id, on in ((gent, date(2024, 8, 1)), (aalst, date(2024, 8, 2))):
        enter_submitted(store, app_id, on)
    p.decide([(gent, selection.SELECTED, "sterk"), (aalst, selection.SELECTED, "sterk")], "VLAIO")
    expert = p.add_expert("Griet Aerts", "persoon", ["Retailvastgoed"], 800, 4)
    p.compose_team(gent, [(expert.id, "Retailvastgoed", 5)], "VLAIO")
    assert p.committed(first) == Committed(selected=2, days=5.0, cost=4000.0)
    call = p.call(first)
    dates = (call.opens_on, call.deadline, call.coaching_start)
    with pytest.raises(ProgrammeError) as refused:
        p.update_call(first, "Oproep najaar", *dates, 1, 3999.0, 4.5)
    assert refused.value.reason == (
        "De capaciteit (1) ligt onder de 2 trajecten die al geselecteerd zijn. Het budget (€ 3.999) ligt onder de "
        "€ 4.000 die al in de teams gepland is. Het budget in expertendagen (4,5) ligt onder de 5,0 dagen die al in "
        "de teams gepland zijn.")
    with pytest.raises(ProgrammeError, match="moet na de deadline"):
        p.update_call(first, "Oproep najaar", dates[0], dates[1], dates[1], 2, 5000.0, 5.0)
    assert (p.call(first).capacity, p.call(first).budget_eur) == (2, 20_000)  # nothing written
    p.update_call(first, "Oproep najaar (verlengd)", dates[0], date(2024, 8, 20), dates[2], 2, 4000.0, 5.0)
    changed = p.call(first)
    assert (changed.name, changed.deadline, changed.capacity, changed.budget_eur) == (
        "Oproep najaar (verlengd)", date(2024, 8, 20), 2, 4000.0)
    with pytest.raises(RejectedError) as missing:
        p.update_call(999, "X", *dates, 1, 1.0, 1.0)
    assert missing.value.status == 404


def test_an_expert_with_planned_days_is_deactivated_never_removed(store: Store) -> None:
    p = Programme(store)
    _calls(p)
    gent = submitted(store, "44021", date(2024, 8, 1))
    enter_submitted(store, gent, date(2024, 8, 1))
    p.decide([(gent, selection.SELECTED, "sterk")], "VLAIO")
    griet = p.add_expert("Griet Aerts", "persoon", ["Retailvastgoed", "Starters"], 800, 4)
    jan = p.add_expert("Jan Maes", "persoon", ["Starters"], 700, 4)
    spare = p.add_expert("Bureau Pleinwerk", "bureau", ["Starters"], 950, 10)
    with pytest.raises(ProgrammeError, match="Kies minstens één van de 17 profielen"):
        p.update_expert(jan.id, "Jan Maes", "persoon", [], 700, 4)
    p.update_expert(jan.id, "Jan Maes", "persoon", ["Starters", "Mobiliteit"], 725, 5, "Jan@Example.be")
    assert next((e.profiles, e.day_rate, e.email) for e in p.experts() if e.id == jan.id) == (
        ["Starters", "Mobiliteit"], 725, "jan@example.be")
    p.compose_team(gent, [(griet.id, "Retailvastgoed", 3)], "VLAIO")
    assert p.planned_days() == {griet.id: 3.0}
    with pytest.raises(ProgrammeError, match="3,0 geplande dagen in teams: zet hem op inactief"):
        p.remove_expert(griet.id)
    assert not p.set_expert_active(griet.id, False).active
    assert [e.id for e in p.experts(active_only=True)] == [spare.id, jan.id]
    # The team keeps its inactive member; a new team (or a new member) cannot take one.
    p.compose_team(gent, [(griet.id, "Retailvastgoed", 4), (jan.id, "Starters", 2)], "VLAIO")
    p.set_expert_active(jan.id, False)
    with pytest.raises(ProgrammeError, match=f"Expert {spare.id} is inactief"):
        p.set_expert_active(spare.id, False)
        p.compose_team(gent, [(griet.id, "Retailvastgoed", 4), (spare.id, "Starters", 2)], "VLAIO")
    p.remove_expert(spare.id)  # no planned days: it goes
    assert spare.id not in {e.id for e in p.experts()}
    assert p.set_expert_active(griet.id, True).active


def test_the_roster_of_a_0006_store_comes_through_0007_active(intake_db_url: str) -> None:
    from dashboard.intake.db import make_engine, upgrade
    from dashboard.intake.store import open_store

    upgrade(intake_db_url, "0006")
    engine = make_engine(intake_db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO programme_expert (name, kind, profiles, day_rate, days_per_month, synthetic) "
                             "VALUES ('Griet Aerts', 'persoon', '[\"Starters\"]', 800, 4, false)")
    engine.dispose()
    store = open_store(intake_db_url)  # upgrades to the head
    try:
        (griet,) = Programme(store).experts(active_only=True)
        assert (griet.name, griet.profiles, griet.active) == ("Griet Aerts", ["Starters"], True)
    finally:
        store.engine.dispose()
