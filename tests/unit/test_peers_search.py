"""Peer rule, peer statistics, ranks and the typo-tolerant search (pure functions)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.components.tables import export_frame
from dashboard.formatting import fmt_delta
from dashboard.params import peers as parse_peers
from dashboard.peers import peer_band, peer_codes, peer_median_by, rank_of, size_class
from dashboard.search import fold, search
from dashboard.vocab import Known

MUNIS = pd.DataFrame({
    "nis_code": ["A", "B", "C", "D", "E"],
    "name": ["Sint-Niklaas", "Gent", "Aalst", "Lokeren", "Sint-Gillis-Waas"],
    "province_code": ["40000", "40000", "40000", "40000", "10000"],
    "population": [80_000, 260_000, 88_000, 9_000, 55_000],
})


@pytest.mark.parametrize(("pop", "cls"), [(9_999, 0), (10_000, 1), (49_999, 2), (50_000, 3), (100_000, 4),
                                          (None, None)])
def test_size_class_boundaries(pop: float | None, cls: int | None) -> None:
    assert size_class(pop) == cls


def test_default_peers_are_same_size_class_in_flanders() -> None:
    assert peer_codes(MUNIS, "A", "grootte") == ["C", "E"]  # 50-100k, other provinces included


def test_province_and_own_peers() -> None:
    assert peer_codes(MUNIS, "A", "provincie") == ["B", "C", "D"]
    assert peer_codes(MUNIS, "A", "eigen", ["B", "A", "ZZ"]) == ["B"]  # never itself, unknown dropped


@pytest.mark.parametrize(("param", "expected"), [(None, ("grootte", ())), ("provincie", ("provincie", ())),
                                                 ("44021,4002", ("eigen", ("44021", "04002"))),
                                                 ("44021, 44021", ("eigen", ("44021",)))])
def test_peer_url_parameter(param: str | None, expected: tuple) -> None:
    # One parser for the URL and the guard: what it does not refuse, it reads (see test_slices for refusals).
    known = Known("", frozenset({"44021", "04002"}), frozenset(), frozenset(), frozenset(), frozenset())
    assert parse_peers(known, param) == expected


def test_peer_band_quartiles_per_year_and_scope() -> None:
    values = pd.DataFrame({"area_code": ["B", "C", "D", "E", "B"], "year": [2025, 2025, 2025, 2025, 2024],
                           "scope": ["alle"] * 5, "value": [10.0, 20.0, 30.0, 40.0, 5.0]})
    band = peer_band(values, ["B", "C", "D", "E"]).set_index("year")
    assert band.loc[2025, "median"] == 25.0
    assert band.loc[2025, "p25"] == pytest.approx(17.5) and band.loc[2025, "p75"] == pytest.approx(32.5)
    assert band.loc[2024, "n"] == 1


def test_rank_counts_from_the_highest_value() -> None:
    values = pd.Series({"A": 5.0, "B": 9.0, "C": None, "D": 5.0})
    assert rank_of(values, "A") == (2, 3)
    assert rank_of(values, "C") is None


@pytest.mark.parametrize(("query", "first"), [("Sint Niklaas", "Sint-Niklaas"), ("sint-niklas", "Sint-Niklaas"),
                                              ("gnet", "Gent"), ("9100", "Sint-Niklaas"), ("aals", "Aalst")])
def test_search_forgives_typos_and_finds_postal_codes(query: str, first: str) -> None:
    postal = pd.DataFrame({"postal_code": ["9100", "9000"], "nis_code": ["A", "B"]})
    hits = search(query, MUNIS, postal)
    assert hits and hits[0][1] == first


def test_search_without_a_match_returns_nothing() -> None:
    assert search("xyzzy", MUNIS, pd.DataFrame({"postal_code": [], "nis_code": []})) == []
    assert fold("  Sint–Niklaas ") == "sint niklaas"


def test_export_frame_keeps_numbers_rounded_as_shown_with_dutch_headers() -> None:
    frame = export_frame([{"name": "Gent", "pct": 12.3456, "n": 1234.4}],
                         {"name": ("Gemeente", None), "pct": ("Leegstand (%)", 1), "n": ("Verkooppunten", 0)})
    assert list(frame.columns) == ["Gemeente", "Leegstand (%)", "Verkooppunten"]
    assert frame.iloc[0].tolist() == ["Gent", 12.3, 1234]
    assert frame.to_csv(sep=";", decimal=",", index=False).splitlines()[1] == "Gent;12,3;1234"
    empty = export_frame([{"name": "X", "pct": None, "n": None}], {"name": ("G", None), "pct": ("P", 1),
                                                                    "n": ("N", 0)})
    assert empty.to_csv(sep=";", decimal=",", index=False).splitlines()[1] == "X;;"


def test_a_change_that_rounds_to_zero_has_no_sign() -> None:
    assert fmt_delta(-0.04, 1, "pp") == "±0,0 pp"


def test_peer_median_per_branch_group_ignores_non_peers() -> None:
    mix = pd.DataFrame({"area_code": ["B", "C", "D", "A"], "branch_group": ["Dagelijks"] * 4,
                        "share_outlets_pct": [10.0, 20.0, 90.0, 50.0]})
    got = peer_median_by(mix, ["B", "C", "D"], "branch_group", "share_outlets_pct")
    assert got.to_dict("records") == [{"branch_group": "Dagelijks", "median": 20.0}]
