"""Every strength / attention / growth rule of the DNA fiche, on both sides of its threshold."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.fiche.data import busiest, main_area
from dashboard.fiche.rules import MIN_PEERS, RULES, PeerStat, RuleInput, evaluate, peer_stats

YEAR = 2025
#: Peers: P25 5, median 8, P75 10 (ten peers).
STAT = PeerStat(p25=5.0, median=8.0, p75=10.0, n=10)


def fired(data: RuleInput) -> set[str]:
    return {f.rule_id for f in evaluate(data)}


def level(column: str, value: float, stat: PeerStat = STAT) -> RuleInput:
    return RuleInput(YEAR, {column: value}, {column: stat})


@pytest.mark.parametrize(("rule_id", "column", "hit", "miss"), [
    ("structurele_leegstand_hoog", "vacancy_structural_rate_pct", 10.1, 10.0),
    ("leegstand_hoog", "vacancy_rate_count_all_pct", 10.1, 10.0),
    ("leegstand_wvo_hoog", "vacancy_rate_wvo_headline_pct", 12.0, 9.0),
    ("passanten_hoog", "footfall_avg_weekly_per_point", 10.5, 10.0),
])
def test_above_p75_rules_fire_only_above_the_peers_p75(rule_id: str, column: str, hit: float, miss: float) -> None:
    assert rule_id in fired(level(column, hit))
    assert rule_id not in fired(level(column, miss))


@pytest.mark.parametrize(("rule_id", "column", "hit", "miss"), [
    ("structurele_leegstand_laag", "vacancy_structural_rate_pct", 4.9, 5.0),
    ("leegstand_laag", "vacancy_rate_count_all_pct", 0.0, 5.0),
    ("passanten_laag", "footfall_avg_weekly_per_point", 4.0, 6.0),
])
def test_below_p25_rules_fire_only_below_the_peers_p25(rule_id: str, column: str, hit: float, miss: float) -> None:
    assert rule_id in fired(level(column, hit))
    assert rule_id not in fired(level(column, miss))


def test_a_line_names_the_figure_and_the_peer_value_in_dutch() -> None:
    (finding,) = [f for f in evaluate(level("vacancy_structural_rate_pct", 12.26)) if f.kind == "aandachtspunt"]
    assert finding.text == ("Veel structurele leegstand (> 3 jaar): 12,3 % in 2025; peers P75 10,0 %, "
                            "mediaan 8,0 % (10 peers).")
    assert (finding.value, finding.peer_value) == (12.26, 10.0)


def test_peer_rules_stay_silent_with_too_few_peers_or_no_value() -> None:
    few = PeerStat(5.0, 8.0, 10.0, MIN_PEERS - 1)
    assert fired(level("vacancy_rate_count_all_pct", 50.0, few)) == set()
    assert fired(RuleInput(YEAR, {"vacancy_rate_count_all_pct": None}, {"vacancy_rate_count_all_pct": STAT})) == set()
    assert fired(level("vacancy_rate_count_all_pct", float("nan"))) == set()


def trend(column: str, values: list[float | None], start: int) -> RuleInput:
    history = {column: {start + i: v for i, v in enumerate(values)}}
    return RuleInput(YEAR, {column: values[-1]}, {column: STAT}, history)


@pytest.mark.parametrize(("rule_id", "hit", "miss"), [
    # four inventories, three changes: each up (or down) -> fires; one flat year -> silent
    ("leegstand_stijgt", [5.0, 6.0, 7.0, 7.5], [5.0, 6.0, 6.0, 7.5]),
    ("leegstand_daalt", [9.0, 8.0, 7.0, 6.9], [9.0, 8.0, 8.5, 6.9]),
])
def test_level_trend_rules_need_three_changes_in_a_row(rule_id: str, hit: list[float], miss: list[float]) -> None:
    assert rule_id in fired(trend("vacancy_rate_count_all_pct", hit, YEAR - 3))
    assert rule_id not in fired(trend("vacancy_rate_count_all_pct", miss, YEAR - 3))


@pytest.mark.parametrize(("rule_id", "hit", "miss"), [
    ("passanten_dalen", [-0.1, -2.0, -1.0], [-0.1, 0.0, -1.0]),
    ("passanten_stijgen", [0.5, 1.0, 0.1], [0.5, -1.0, 0.1]),
])
def test_footfall_rules_read_three_year_on_year_changes(rule_id: str, hit: list[float], miss: list[float]) -> None:
    assert rule_id in fired(trend("footfall_yoy_pct", hit, YEAR - 2))
    assert rule_id not in fired(trend("footfall_yoy_pct", miss, YEAR - 2))


def test_trend_line_lists_the_years_and_the_peer_median() -> None:
    (finding,) = evaluate(trend("footfall_yoy_pct", [-1.0, -2.5, -0.5], YEAR - 2))
    assert finding.text == ("Passanten dalen (drie jaar op rij negatief): 2023: −1,0 %, 2024: −2,5 %, 2025: −0,5 %; "
                            "mediaan peers 2025: +8,0 %.")


def test_a_gap_in_the_years_silences_a_trend_rule() -> None:
    assert fired(trend("vacancy_rate_count_all_pct", [5.0, None, 7.0, 8.0], YEAR - 3)) == set()
    assert fired(trend("footfall_yoy_pct", [-1.0, -1.0], YEAR - 1)) == set()  # only two years known


def groups(**rows: tuple[int, float, float, float, float, float]) -> pd.DataFrame:
    """Rows: group -> (outlets, share, peer P25, median, P75, peer median outlets), ten peers each."""
    return pd.DataFrame([
        {"branch_group": g, "label": g, "outlets": o, "share_pct": s, "peer_p25": p25, "peer_median": med,
         "peer_p75": p75, "peer_n": 10, "peer_median_outlets": mo}
        for g, (o, s, p25, med, p75, mo) in rows.items()])


def test_missing_branch_group_fires_only_when_the_median_peer_has_at_least_the_minimum_support() -> None:
    found = evaluate(RuleInput(YEAR, {}, {}, {}, groups(Mode=(0, 0.0, 0.0, 5.0, 8.0, 2.0),
                                                        Luxe=(0, 0.0, 0.0, 5.0, 8.0, 1.0),  # one is no pattern
                                                        Vrije=(0, 0.0, 0.0, 0.0, 2.0, 0.0),
                                                        Dagelijks=(1, 5.0, 0.0, 5.0, 8.0, 2.0))))
    missing = [f for f in found if f.rule_id == "branche_ontbreekt"]
    assert [f.text for f in missing] == ["Geen mode (0 verkooppunten); de peers hebben er mediaan 2 "
                                         "(5,0 % van hun verkooppunten)."]


def test_a_share_finding_needs_a_gap_of_at_least_two_outlets_and_says_how_many() -> None:
    # 19 outlets: one structurally vacant unit (5,3 %) crosses the peers' P75 of 3 % by 0,4 outlets.
    stat = PeerStat(p25=0.0, median=1.0, p75=3.0, n=10)
    small = RuleInput(YEAR, {"vacancy_structural_rate_pct": 100 / 19, "outlets_total": 19.0},
                      {"vacancy_structural_rate_pct": stat})
    assert "structurele_leegstand_hoog" not in fired(small)
    three = RuleInput(YEAR, {"vacancy_structural_rate_pct": 300 / 19, "outlets_total": 19.0},
                      {"vacancy_structural_rate_pct": stat})
    (finding,) = [f for f in evaluate(three) if f.rule_id == "structurele_leegstand_hoog"]
    assert finding.text.endswith("Verschil: 2,4 verkooppunten."), finding.text
    # Two outlets of a group in a 19-outlet area: 10,5 % against a P75 of 10 % is a tenth of an outlet.
    table = groups(Mode=(2, 200 / 19, 5.0, 8.0, 10.0, 2.0), Dagelijks=(6, 600 / 19, 5.0, 8.0, 10.0, 2.0))
    strong = [f.text for f in evaluate(RuleInput(YEAR, {"outlets_total": 19.0}, {}, {}, table))
              if f.rule_id == "branche_sterk"]
    assert len(strong) == 1 and strong[0].startswith("Sterk vertegenwoordigde branchegroep – dagelijks")
    assert RULES[0].threshold == "hoger dan P75 van de peers, een verschil van minstens 2 verkooppunten"


def test_under_and_over_represented_groups_against_the_quartiles() -> None:
    table = groups(Mode=(2, 4.9, 5.0, 8.0, 10.0, 3.0), Dagelijks=(3, 5.0, 5.0, 8.0, 10.0, 3.0),
                   Leisure=(9, 10.1, 5.0, 8.0, 10.0, 3.0), Diensten=(8, 10.0, 5.0, 8.0, 10.0, 3.0),
                   Leegstand=(20, 30.0, 5.0, 8.0, 10.0, 3.0))
    found = evaluate(RuleInput(YEAR, {}, {}, {}, table))
    ids = {(f.rule_id, f.value) for f in found}
    assert ids == {("branche_ondervertegenwoordigd", 4.9), ("branche_sterk", 10.1)}  # vacancy is no branch


def test_group_rules_need_enough_peers() -> None:
    table = groups(Mode=(0, 0.0, 5.0, 8.0, 10.0, 3.0)).assign(peer_n=MIN_PEERS - 1)
    assert evaluate(RuleInput(YEAR, {}, {}, {}, table)) == []


def test_rules_table_is_declared_once_with_unique_ids_and_known_kinds() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert {r.kind for r in RULES} == {"sterkte", "aandachtspunt", "groeikans"}
    assert all(r.threshold for r in RULES)


def test_peer_stats_are_the_quartiles_of_the_peers_only() -> None:
    rows = pd.DataFrame({"area_code": ["A", "P1", "P2", "P3", "P4", "P5"], "year": 2025,
                         "x": [100.0, 1.0, 2.0, 3.0, 4.0, 5.0]})
    assert peer_stats(rows, ["P1", "P2", "P3", "P4", "P5"], ["x"]) == {"x": PeerStat(2.0, 3.0, 4.0, 5)}


def test_main_area_prefers_the_largest_hoofdwinkelgebied() -> None:
    areas = pd.DataFrame({"area_id": ["A1", "A2", "A3", "B1"], "nis_code": ["1", "1", "1", "2"],
                          "area_type": ["kernverzorgend centrum", "hoofdwinkelgebied", "hoofdwinkelgebied",
                                        "ondersteunend winkelgebied"],
                          "outlets_latest": [500, 100, 120, 5]})
    assert main_area(areas, "1") == "A3"
    assert main_area(areas, "2") == "B1"
    assert main_area(areas, "3") is None


def test_busiest_hours_and_days() -> None:
    profile = pd.DataFrame({"bucket": [1, 2, 3, 6], "avg_passers": [10.0, 30.0, 20.0, 30.0]})
    assert busiest(profile, 2) == ["2u", "6u"]
    assert busiest(profile, 1, ("ma", "di", "wo", "do", "vr", "za", "zo")) == ["di"]
