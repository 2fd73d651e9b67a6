"""The baseline at intake and its evaluation, on hand-computed figures (no database)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.fiche.data import DNA_ROWS
from dashboard.fiche.rules import PeerStat
from dashboard.intake.baseline import (
    BETTER,
    DERIVED_DIRECTIONS,
    FELL,
    NO_DATA,
    NO_NEWER,
    SAME,
    TOO_FEW_PEERS,
    WORSE,
    baseline_year,
    compare,
    directions,
    dna_values,
    peer_json,
)
from data_pipelines.indicators import CATALOGUE, COLUMNS

VACANCY, WVO, FOOTFALL, OUTLETS = ("vacancy_rate_count_all_pct", "vacancy_rate_wvo_headline_pct",
                                   "footfall_avg_weekly_per_point", "outlets_total")
DIRECTIONS = directions(pd.DataFrame(CATALOGUE))


def peers(**medians: float) -> dict[str, dict]:
    """Peer quartiles as a snapshot stores them: ten peers, the given medians."""
    return {c: {"n": 10, "p25": m - 1, "median": m, "p75": m + 1} for c, m in medians.items()}


def snap(values: dict, peer_medians: dict, year: int = 2020, **extra) -> dict:
    return {"format": 1, "on": f"{year}-05-04", "year": year, "nis_code": "44021", "area_id": "WG1",
            "area_name": "Centrum", "wvo_scope": "alle", "values": values, "peer_ids": ["WG2", "WG3", "WG4"],
            "peers": peers(**peer_medians), "peer_note": "Peers: 10 winkelgebieden.", "build_id": "b-2020", **extra}


def row(evaluation, column: str):
    return next(r for r in evaluation.rows if r.column == column)


@pytest.mark.parametrize(("years", "on", "expected"), [
    ([2015, 2016, 2017], date(2016, 3, 1), 2016),  # the intake's own year
    ([2015, 2016, 2017], date(2020, 1, 1), 2017),  # after the last inventory: the latest
    ([2015, 2017], date(2016, 12, 31), 2015),  # a gap: the latest before, never one taken after the intake
    ([2015, 2016], date(2010, 6, 1), 2015),  # before every inventory: the earliest
    ([2017, 2015, 2016], date(2016, 1, 1), 2016),  # unsorted years
])
def test_baseline_year(years: list[int], on: date, expected: int) -> None:
    assert baseline_year(years, on) == expected


def test_baseline_year_without_years_says_so() -> None:
    with pytest.raises(ValueError, match="geen inventarisjaren"):
        baseline_year([], date(2025, 1, 1))


def test_every_dna_column_has_a_direction_declared_once() -> None:
    assert not set(DERIVED_DIRECTIONS) & set(COLUMNS)  # the catalogue wins; no second declaration
    assert set(DIRECTIONS) == {c for c, *_ in DNA_ROWS}
    assert (DIRECTIONS[VACANCY], DIRECTIONS[WVO], DIRECTIONS[FOOTFALL], DIRECTIONS[OUTLETS]) == (False, False, True,
                                                                                                  None)


def test_lower_vacancy_while_the_peers_rise_is_better_in_percentage_points() -> None:
    # Vacancy 10 % -> 8 % while the peers go 9 % -> 9,5 %: -2,0 pp against +0,5 pp.
    ev = compare(snap({VACANCY: 10.0}, {VACANCY: 9.0}), 2024, {VACANCY: 8.0}, peers(**{VACANCY: 9.5}), DIRECTIONS)
    r = row(ev, VACANCY)
    assert (r.before, r.after, r.change) == (10.0, 8.0, -2.0)
    assert (r.peer_before, r.peer_after, r.peer_change) == (9.0, 9.5, 0.5)
    assert r.gap == pytest.approx(-2.5) and (r.verdict, r.good) == (BETTER, True)
    assert r.change_label == "Verandering (procentpunt)"
    assert (ev.before_year, ev.after_year, ev.note, ev.same_year) == (2020, 2024, None, False)


def test_footfall_compares_growth_in_percent_with_the_peers() -> None:
    # Area 20.000 -> 22.000 (+10 %), peers 15.000 -> 15.750 (+5 %): gap +5 pp of growth, higher is better.
    before = snap({FOOTFALL: 20_000.0}, {FOOTFALL: 15_000.0})
    better = row(compare(before, 2024, {FOOTFALL: 22_000.0}, peers(**{FOOTFALL: 15_750.0}), DIRECTIONS), FOOTFALL)
    assert (better.change, better.peer_change, better.verdict, better.good) == (2_000.0, 750.0, BETTER, True)
    assert better.gap == pytest.approx(5.0) and better.change_label == "Verandering"
    # Area 20.000 -> 19.000 (-5 %) while the peers gain 5 %: worse.
    worse = row(compare(before, 2024, {FOOTFALL: 19_000.0}, peers(**{FOOTFALL: 15_750.0}), DIRECTIONS), FOOTFALL)
    assert worse.gap == pytest.approx(-10.0) and (worse.verdict, worse.good) == (WORSE, False)


def test_within_the_tolerance_it_is_as_the_peers() -> None:
    before = snap({WVO: 10.0, FOOTFALL: 20_000.0}, {WVO: 9.0, FOOTFALL: 15_000.0})
    # +0,5 pp against 0: exactly on the 0,5 pp tolerance; +10 % against +8,5 %: 1,5 pp of growth, within 2.
    ev = compare(before, 2024, {WVO: 10.5, FOOTFALL: 22_000.0}, peers(**{WVO: 9.0, FOOTFALL: 16_275.0}), DIRECTIONS)
    assert [(row(ev, c).verdict, row(ev, c).good) for c in (WVO, FOOTFALL)] == [(SAME, None), (SAME, None)]
    # +0,6 pp is beyond it, and vacancy up is worse.
    ev = compare(before, 2024, {WVO: 10.6}, peers(**{WVO: 9.0}), DIRECTIONS)
    assert (row(ev, WVO).verdict, row(ev, WVO).good) == (WORSE, False)


def test_a_figure_without_direction_says_which_way_without_judging() -> None:
    # Outlets 100 -> 100 while the peers' median goes 80 -> 88 (+10 %).
    ev = compare(snap({OUTLETS: 100.0}, {OUTLETS: 80.0}), 2024, {OUTLETS: 100.0}, peers(**{OUTLETS: 88.0}),
                 DIRECTIONS)
    assert (row(ev, OUTLETS).verdict, row(ev, OUTLETS).good) == (FELL, None)


def test_missing_values_and_too_few_peers() -> None:
    before = snap({VACANCY: None, FOOTFALL: 20_000.0, OUTLETS: 0.0}, {VACANCY: 9.0, OUTLETS: 5.0})
    before["peers"][FOOTFALL] = {"n": 2, "p25": 1.0, "median": 2.0, "p75": 3.0}
    after = {VACANCY: 8.0, FOOTFALL: 21_000.0, OUTLETS: 3.0}
    ev = compare(before, 2024, after, {**peers(**{VACANCY: 9.5, OUTLETS: 6.0}), FOOTFALL: before["peers"][FOOTFALL]},
                 DIRECTIONS)
    assert row(ev, VACANCY).verdict == NO_DATA and row(ev, VACANCY).change is None  # no value before
    assert row(ev, FOOTFALL).verdict == TOO_FEW_PEERS and row(ev, FOOTFALL).peer_before is None
    assert row(ev, OUTLETS).verdict == NO_DATA  # from 0 outlets there is no growth in percent
    assert row(ev, "footfall_yoy_pct").verdict == NO_DATA  # in neither snapshot nor now


def test_the_baseline_year_itself_has_nothing_to_compare_yet() -> None:
    ev = compare(snap({VACANCY: 10.0}, {VACANCY: 9.0}), 2020, {VACANCY: 8.0}, peers(**{VACANCY: 9.5}), DIRECTIONS)
    assert ev.same_year and ev.note == NO_NEWER
    assert {r.verdict for r in ev.rows} == {NO_DATA}


def test_the_retail_wvo_scope_says_so_in_the_label() -> None:
    ev = compare(snap({}, {}, wvo_scope="detailhandel"), 2024, {}, {}, DIRECTIONS)
    assert row(ev, WVO).label == "Leegstand (WVO) – detailhandel"


def test_a_snapshot_survives_a_json_round_trip_and_compares_the_same() -> None:
    # A fiche row as pandas gives it: numpy scalars, NaN and pandas' NA.
    values = dna_values({VACANCY: np.float64(10.0), OUTLETS: np.int64(100), "footfall_yoy_pct": float("nan"),
                         FOOTFALL: pd.NA})
    assert values[OUTLETS] == 100.0 and type(values[OUTLETS]) is float
    assert values["footfall_yoy_pct"] is None and values[FOOTFALL] is None
    stats = peer_json({VACANCY: PeerStat(p25=np.float64(8.0), median=9.0, p75=11.0, n=np.int64(12))})
    original = snap(values, {}, peers=stats)
    copy = json.loads(json.dumps(original, allow_nan=False))
    assert copy == original
    after, later = {VACANCY: 8.0}, peers(**{VACANCY: 9.5})
    assert asdict(compare(copy, 2024, after, later, DIRECTIONS)) == asdict(compare(original, 2024, after, later,
                                                                                   DIRECTIONS))
