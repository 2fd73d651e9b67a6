"""The intake on a real DNA fiche: the 5B fiche and the experts read the fiche's facts; the store keeps them."""

from __future__ import annotations

from pathlib import Path

from dashboard.data.db import Database
from dashboard.fiche.data import load_fiche
from dashboard.intake.expertise import expert_choice, suggest
from dashboard.intake.facts import facts_of
from dashboard.intake.fivb import DATA, VISIT, five_b
from dashboard.intake.store import open_store


def test_five_b_and_experts_from_the_fixture_fiche_into_the_store(fixture_db: Path, tmp_path: Path) -> None:
    fiche = load_fiche(Database(fixture_db), "44021")
    facts = facts_of(fiche)
    application = {"challenge": "Te weinig parkeerplaatsen aan de Veldstraat.", "retail_policy": "Kern afgebakend."}
    result = five_b(facts, application)
    by_entry = {s.entry: s for signals in result.values() for s in signals}
    # WG1 is the fixture's only hoofdwinkelgebied: no peers, so no figure can be held against them.
    level = by_entry["passanten_niveau"]
    assert level.status == VISIT
    assert level.text.startswith("Passanten per week per telpunt: 2.100 in 2025; te weinig peers")
    assert by_entry["uurprofiel"].status == DATA and by_entry["uurprofiel"].text.startswith("Drukste uren 2025: ")
    assert by_entry["kernwinkelgebied"].status == DATA
    assert by_entry["detailhandelsbeleid"].text.endswith("“Kern afgebakend.”")

    suggestions = suggest(facts, application)
    assert "Mobiliteit" in {s.expert for s in suggestions}
    store = open_store(f"sqlite:///{tmp_path / 'intake.sqlite3'}")
    app = store.create_draft("44021", "an", application)
    app = store.save(app.id, {"experts": expert_choice(suggestions, add=["Evenementen"])}, app.version, "an")
    assert "Evenementen" in app.experts["chosen"] and "Evenementen" not in app.experts["suggested"]
    values = {c: facts.value(c) for c in ("outlets_total", "footfall_avg_weekly_per_point")}
    store.freeze_baseline(app.id, {"year": fiche.year, **values}, fiche.info.get("build_id", "onbekend"))
    assert store.baselines(app.id)[0].values == {"year": 2025, "outlets_total": 4.0,
                                                 "footfall_avg_weekly_per_point": 2100.0}
