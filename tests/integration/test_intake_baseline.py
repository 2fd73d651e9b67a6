"""The baseline on the demo database: frozen at intake with the status step, evaluated against the same peers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.fiche.data import DNA_ROWS, load_fiche
from dashboard.intake.baseline import NO_NEWER, Evaluation, evaluate, snapshot
from dashboard.intake.models import BaselineSnapshot
from dashboard.intake.store import Store, TransitionError
from tests.integration.test_intake_store import COMPLETE

WVO = "vacancy_rate_wvo_headline_pct"
SCOPE_COLUMN = {"alle": "vacancy_rate_wvo_all_pct", "detailhandel": "vacancy_rate_wvo_retail_pct"}


@pytest.fixture(scope="module")
def ghent(demo_db: Path) -> tuple[Database, dict, Evaluation]:
    """Ghent's baseline at an intake in mid-2019, evaluated at the latest inventory."""
    db = Database(demo_db)
    snap = snapshot(db, "44021", None, date(2019, 6, 1))
    assert snap is not None
    return db, snap, evaluate(db, snap)


def number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def test_the_snapshot_is_the_fiche_of_the_baseline_year_as_json(ghent) -> None:
    db, snap, _ = ghent
    fiche = load_fiche(db, "44021", snap["area_id"], 2019)
    assert (snap["year"], snap["area_id"], snap["area_name"]) == (2019, fiche.area["area_id"], fiche.area["name"])
    assert snap["values"] == {c: number(fiche.current.get(c)) for c, *_ in DNA_ROWS}
    assert snap["peer_ids"] == fiche.peer_ids and len(snap["peer_ids"]) >= 5
    assert snap["peers"]["vacancy_rate_count_all_pct"]["median"] == fiche.peers["vacancy_rate_count_all_pct"].median
    assert (snap["peer_note"], snap["build_id"]) == (fiche.peer_note, queries.build_info(db)["build_id"])
    assert json.loads(json.dumps(snap, allow_nan=False)) == snap


def test_the_evaluation_reads_the_latest_fiche_and_the_frozen_peers(ghent) -> None:
    db, snap, ev = ghent
    latest = queries.years(db)[-1]
    assert (ev.before_year, ev.after_year, ev.note, ev.area_id) == (2019, latest, None, snap["area_id"])
    fiche = load_fiche(db, "44021", snap["area_id"], latest)
    rows = {r.column: r for r in ev.rows}
    assert {c: r.before for c, r in rows.items()} == snap["values"]
    # The WVO vacancy keeps the baseline's scope, whatever the area's widest scope is now.
    expected = {c: number(fiche.current.get(c)) for c, *_ in DNA_ROWS} | {
        WVO: number(fiche.current[SCOPE_COLUMN[snap["wvo_scope"]]])}
    assert {c: r.after for c, r in rows.items()} == expected

    # The peers' median now, by hand over the frozen peer ids.
    peers = queries.area_history(db, snap["peer_ids"], [latest])
    assert set(peers["area_code"]) <= set(snap["peer_ids"])
    for column, source in (("vacancy_rate_count_all_pct", "vacancy_rate_count_all_pct"),
                           ("footfall_avg_weekly_per_point", "footfall_avg_weekly_per_point"),
                           (WVO, SCOPE_COLUMN[snap["wvo_scope"]])):
        r = rows[column]
        assert r.peer_after == pytest.approx(pd.to_numeric(peers[source]).median())
        assert r.peer_before == snap["peers"][column]["median"]
        assert r.peer_change == pytest.approx(r.peer_after - r.peer_before)
        assert r.verdict  # a verdict for every row, data or not


def test_evaluating_the_baseline_year_itself_says_there_is_nothing_newer(ghent) -> None:
    db, snap, _ = ghent
    ev = evaluate(db, snap, 2019)
    assert ev.same_year and ev.note == NO_NEWER
    with pytest.raises(ValueError, match="vóór het jaar van de basislijn"):
        evaluate(db, snap, 2017)
    with pytest.raises(ValueError, match="Geen inventaris voor 1990"):
        evaluate(db, snap, 1990)


def test_moving_to_intake_freezes_exactly_one_baseline_with_the_step(ghent, store: Store) -> None:
    _, snap, _ = ghent
    app = store.create_draft("44021", "an", COMPLETE, on=date(2019, 3, 1))
    store.submit(app.id, "an", date(2019, 4, 1))
    with pytest.raises(TransitionError, match="bij de stap naar intake"):
        store.move_status(app.id, "aanvraag", "bart", baseline=snap)
    moved = store.move_status(app.id, "intake", "bart", date(2019, 6, 1), baseline=snap)
    assert moved.status == "intake"
    (frozen,) = store.baselines(app.id)
    assert (frozen.values, frozen.build_id, frozen.author) == (snap, snap["build_id"], "bart")
    assert [e.kind for e in store.history(app.id)][-2:] in (["status", "basislijn"], ["basislijn", "status"])


def test_a_crash_while_writing_the_baseline_leaves_neither_step_nor_baseline(ghent, store: Store) -> None:
    _, snap, _ = ghent
    app = store.create_draft("44021", "an", COMPLETE)
    app = store.submit(app.id, "an")

    def crash(session, flush_context, instances) -> None:
        # The status UPDATE is already flushed; the flush that would write the snapshot fails.
        if any(isinstance(o, BaselineSnapshot) for o in session.new):
            raise RuntimeError("stroompanne")

    event.listen(store.sessions, "before_flush", crash)
    try:
        with pytest.raises(RuntimeError, match="stroompanne"):
            store.move_status(app.id, "intake", "bart", baseline=snap)
    finally:
        event.remove(store.sessions, "before_flush", crash)
    now = store.get(app.id)
    assert (now.status, now.version) == ("beoordeling", app.version)
    assert store.baselines(app.id) == []
    assert "intake" not in {e.text.split(" → ")[-1].split(" ")[0] for e in store.history(app.id) if e.kind == "status"}
    assert store.move_status(app.id, "intake", "bart", baseline=snap).status == "intake"
    assert len(store.baselines(app.id)) == 1
