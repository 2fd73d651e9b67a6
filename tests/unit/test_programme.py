"""The programme's pure rules on hand-made cases: scoring grid, variety-keeping selection, budget, similarity,
which call an application belongs to, and the Vitrine's challenge and search."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from dashboard.programme import budget, selection
from dashboard.programme.models import Call
from dashboard.programme.scoring import DEFAULT_CRITERIA, NO_DATA_SCORE, CriterionRule, linear_score, score
from dashboard.programme.similarity import PROFILE, most_similar
from dashboard.programme.store import place, placement_text
from dashboard.programme.vitrine import OTHER, challenge_of, matches

# -- scoring -----------------------------------------------------------------------------------------------------


def test_a_figure_maps_linearly_onto_0_to_5_between_its_anchors_and_is_clipped() -> None:
    assert linear_score(6.0, 2.0, 10.0) == 2.5  # halfway
    assert linear_score(1.0, 2.0, 10.0) == 0.0 and linear_score(14.0, 2.0, 10.0) == 5.0
    assert linear_score(-4.0, 5.0, -10.0) == 3.0  # the need grows as footfall falls: (5 - -4) / 15 * 5
    assert linear_score(None, 2.0, 10.0) is None
    assert linear_score(float("nan"), 2.0, 10.0) is None  # a missing figure of a DataFrame: no 0 by clipping


def test_the_total_is_the_weighted_mean_times_20_and_a_missing_figure_scores_the_middle() -> None:
    figures = {"vacancy_structural_rate_pct": 6.0, "footfall_yoy_pct": float("nan"), "vacancy_gap_pp": 2.0}
    result = score(DEFAULT_CRITERIA, figures, {"beleid": 4, "middelen": 2, "diensten": 5})
    assert result.scores == {"structurele_leegstand": 2.5, "passantentrend": NO_DATA_SCORE,
                             "leegstand_vs_peers": 5.0, "beleid": 4.0, "middelen": 2.0, "diensten": 5.0}
    # weights 3, 2, 2, 1.5, 1.5, 1 (sum 11): (7.5 + 5 + 10 + 6 + 3 + 5) / 11 * 20 = 36.5 / 11 * 20
    assert result.total == round(36.5 / 11 * 20, 1) == 66.4
    assert result.complete and result.missing_data == ("passantentrend",)


def test_an_unscored_reviewer_criterion_counts_as_zero_and_marks_the_total_incomplete() -> None:
    grid = [CriterionRule("a", "A", "nood", "data", 1.0, "", "x", 0.0, 10.0),
            CriterionRule("b", "B", "sterkte", "beoordelaar", 1.0, "")]
    result = score(grid, {"x": 10.0}, {})
    assert result.scores == {"a": 5.0, "b": 0.0} and result.total == 50.0 and not result.complete
    with pytest.raises(ValueError, match="tussen 0 en 5"):
        score(grid, {"x": 1.0}, {"b": 6})
    with pytest.raises(ValueError, match="nul"):
        score([CriterionRule("b", "B", "sterkte", "beoordelaar", 0.0, "")], {}, {"b": 1})


# -- selection ---------------------------------------------------------------------------------------------------

def _c(app_id: int, score_: float, province: str, size: str = "klein", cost: float = 10.0) -> selection.Candidate:
    return selection.Candidate(app_id, score_, province, size, cost)


def test_the_best_scores_all_from_one_province_do_not_take_the_whole_selection() -> None:
    # Six Antwerp applications score best; Limburg and Oost-Vlaanderen lower; West-Vlaanderen below the threshold.
    pool = [_c(i, 90 - i, "Antwerpen") for i in range(1, 7)] + [
        _c(7, 60, "Limburg"), _c(8, 50, "Oost-Vlaanderen"), _c(9, 20, "West-Vlaanderen")]
    rules = selection.Rules(capacity=4, budget=1000, max_province_share=0.5, max_size_share=1.0, min_score=30,
                            reserve=2)
    out = {s.application_id: s for s in selection.suggest(pool, rules)}
    chosen = sorted(i for i, s in out.items() if s.decision == selection.SELECTED)
    # Coverage first (the best of each province: 1, 7, 8), then Antwerpen's second (cap 2 of 4) fills the call.
    assert chosen == [1, 2, 7, 8]
    assert "beste score van Limburg" in out[7].reason and "binnen capaciteit" in out[2].reason
    assert [out[3].decision, out[4].decision, out[5].decision] == [selection.RESERVE, selection.RESERVE,
                                                                   selection.NOT_SELECTED]
    assert "capaciteit bereikt" in out[3].reason
    assert out[9].decision == selection.NOT_SELECTED and "onder de drempel" in out[9].reason
    # By score alone the four would all be Antwerp's: the spread rule is what changed the outcome.
    assert {c.province for c in sorted(pool, key=lambda c: -c.score)[:4]} == {"Antwerpen"}


def test_the_province_cap_and_the_size_cap_leave_room_for_others() -> None:
    pool = [_c(1, 80, "A", "groot"), _c(2, 79, "A", "groot"), _c(3, 78, "B", "groot"), _c(4, 40, "B", "klein")]
    rules = selection.Rules(capacity=3, budget=1000, max_province_share=1.0, max_size_share=0.5, min_score=30)
    out = {s.application_id: s for s in selection.suggest(pool, rules)}
    # Size cap: ceil(0.5 * 3) = 2 "groot"; 1 (best of A) and 3 (best of B) fill it, so 2 waits and 4 gets in.
    assert [out[i].decision for i in (1, 2, 3, 4)] == [selection.SELECTED, selection.RESERVE, selection.SELECTED,
                                                      selection.SELECTED]
    assert "grootteklasse groot heeft al 2" in out[2].reason


def test_the_budget_left_decides_who_still_fits() -> None:
    pool = [_c(1, 90, "A", cost=60), _c(2, 80, "A", cost=50), _c(3, 70, "A", cost=30)]
    out = {s.application_id: s for s in selection.suggest(pool, selection.Rules(3, 100, max_province_share=1.0,
                                                                                max_size_share=1.0))}
    assert out[1].decision == selection.SELECTED and out[3].decision == selection.SELECTED
    assert out[2].decision == selection.RESERVE and "budget" in out[2].reason


def test_the_spread_counts_the_selection_and_what_is_left() -> None:
    s = selection.spread([{"province": "A", "size_class": "k", "area_type": None, "challenge": "x", "cost": 5.0},
                          {"province": "A", "size_class": "g", "area_type": "t", "challenge": "x", "cost": 7.5}], 5, 20)
    assert s.by["province"] == {"A": 2} and s.by["area_type"] == {"onbekend": 1, "t": 1}
    assert (s.selected, s.capacity_left, s.cost, s.budget_left) == (2, 3, 12.5, 7.5)


# -- budget ------------------------------------------------------------------------------------------------------

def test_a_call_over_budget_in_euro_or_in_days_is_flagged() -> None:
    lines = [budget.Line(1, 10, 4, 800.0), budget.Line(2, 11, 6, 1000.0)]  # 3.200 + 6.000 EUR, 10 days
    t = budget.totals(lines, budget_eur=9_000, budget_days=10)
    assert (t.cost, t.days, t.over_eur, t.over_days) == (9_200.0, 10.0, True, False)
    assert not budget.totals(lines, 9_200, 12).over_eur and budget.totals(lines, 10_000, 9.5).over_days


def test_an_expert_is_over_booked_beyond_days_per_month_times_the_coaching_months() -> None:
    lines = [budget.Line(1, 10, 16, 800.0), budget.Line(2, 10, 15, 800.0), budget.Line(3, 11, 30, 700.0)]
    # Expert 10: 31 days planned, 5 a month x 6 months = 30 available; expert 11: exactly 30 of 30.
    assert budget.overbooked(lines, {10: 5.0, 11: 5.0}) == {10: (31.0, 30.0)}
    assert budget.overbooked(lines, {10: 5.0}, months=7) == {11: (30.0, 0.0)}  # no availability known: over


def test_a_trajectory_is_estimated_at_3_days_per_profile_at_the_median_rate() -> None:
    assert budget.estimate(3, [650.0, 800.0, 1050.0]) == 3 * 3 * 800.0
    assert budget.estimate(1, [700.0]) == 2 * 3 * 700.0  # at least two profiles
    assert budget.estimate(4, []) == 0.0


# -- similarity --------------------------------------------------------------------------------------------------

def _profiles() -> pd.DataFrame:
    rows = {"nis_code": ["A", "B", "C", "D"], "size_class": [0, 2, 0, 1],
            "area_type": ["hoofdwinkelgebied", "hoofdwinkelgebied", "kernverzorgend centrum", "hoofdwinkelgebied"]}
    for col in PROFILE:  # the same pattern in every figure: z-scores -1.342, -0.447, 0.447, 1.342 (sd of 0,1,2,3)
        rows[col] = [0.0, 1.0, 2.0, 3.0]
    return pd.DataFrame(rows)


def test_similar_municipalities_add_size_class_area_type_and_dna_distance() -> None:
    found = most_similar(_profiles(), "A", k=3)
    z = 1 / math.sqrt(1.25)  # one step of 1 over the standard deviation of 0, 1, 2, 3
    by = {s.nis_code: s for s in found}
    assert by["B"].distance == round(2 + 0 + z, 3)  # two size classes apart, same type, one step of DNA
    assert by["C"].distance == round(0 + 1 + 2 * z, 3)  # same size, other type, two steps
    assert by["D"].distance == round(1 + 0 + 3 * z, 3)
    assert [s.nis_code for s in found] == ["C", "B", "D"]  # 2.789, 2.894, 3.683
    assert [s.nis_code for s in most_similar(_profiles(), "A", among={"B", "D"})] == ["B", "D"]
    assert most_similar(_profiles(), "Z") == []


def test_a_missing_figure_is_left_out_of_the_dna_distance() -> None:
    frame = _profiles()
    frame.loc[frame["nis_code"] == "B", PROFILE[0]] = None
    b = next(s for s in most_similar(frame, "A") if s.nis_code == "B")
    assert b.profile_part == pytest.approx(1 / math.sqrt(1.25), abs=1e-3)  # the three figures left agree


# -- calls and the Vitrine ---------------------------------------------------------------------------------------

def _call(i: int, deadline: date, start: date) -> Call:
    return Call(id=i, name=f"Oproep {i}", opens_on=date(deadline.year, 1, 1), deadline=deadline, coaching_start=start,
                capacity=20, budget_eur=1.0, budget_days=1.0)


def test_a_late_application_goes_to_the_next_call_and_the_form_says_so() -> None:
    calls = [_call(2, date(2024, 11, 12), date(2025, 1, 6)), _call(1, date(2024, 8, 13), date(2024, 9, 2))]
    on_time = place(calls, date(2024, 8, 13))
    assert on_time.call.id == 1 and on_time.late is None
    late = place(calls, date(2024, 8, 20))
    assert late.call.id == 2 and late.late.id == 1
    assert placement_text(late).startswith("De deadline van 'Oproep 1' (13 augustus 2024) is voorbij.")
    assert "telt mee in 'Oproep 2'" in placement_text(late)
    assert place(calls, date(2024, 10, 1)).late is None  # the first call's coaching runs: no longer aimed at
    assert place(calls, date(2025, 2, 1)).call is None
    assert "geen oproep open" in placement_text(place(calls, date(2025, 2, 1)))


def test_the_challenge_is_read_from_the_text_first_match_wins() -> None:
    assert challenge_of("De leegstand stijgt en de sfeer is weg") == "leegstand"
    assert challenge_of("Parkeren is een probleem") == "bereikbaarheid"
    assert challenge_of("Het centrum mist beleving") == "beleving"
    assert challenge_of("supermarkt") == OTHER and challenge_of(None) == OTHER


def test_a_card_fits_a_search_when_every_filter_holds() -> None:
    card = {"challenge": "leegstand", "size_label": "< 10.000", "area_type": "hoofdwinkelgebied",
            "concepts": ["de wisselwinkel", "kwartiermakers"], "name": "Tielt", "title": "Wisselwinkel", "summary": "x"}
    assert matches(card) and matches(card, "leegstand", "< 10.000", "hoofdwinkelgebied", ["kwartiermakers"], "tiel")
    assert not matches(card, challenge="beleving") and not matches(card, size="≥ 100.000")
    assert not matches(card, concepts=["kwartiermakers", "Togetherware"]) and not matches(card, text="gent")


# -- the rules of the call and roster forms (programme/rules.py) -------------------------------------------------

def test_a_call_needs_its_dates_in_order_and_positive_figures() -> None:
    from dashboard.programme.rules import call_problems

    ok = ("Oproep 2026", date(2026, 5, 1), date(2026, 8, 13), date(2026, 9, 7), 20, 362_500.0, 450.0)
    assert call_problems(*ok) == []
    same_day = call_problems("X", date(2026, 5, 1), date(2026, 5, 1), date(2026, 5, 1), 20, 1.0, 1.0)
    assert same_day == ["De deadline (01-05-2026) moet na de opening (01-05-2026) liggen.",
                        "De coaching (01-05-2026) moet na de deadline (01-05-2026) starten."]
    assert call_problems(" ", None, None, None, 0, -5.0, None) == [
        "Geef de oproep een naam.", "Vul de openingsdatum, de deadline en de start van de coaching in.",
        "De capaciteit (trajecten) moet groter dan nul zijn.", "Het budget in euro moet groter dan nul zijn.",
        "Het budget in expertendagen moet groter dan nul zijn."]
    assert call_problems(*ok[:4], 2.5, *ok[5:]) == ["De capaciteit is een geheel aantal trajecten."]


def test_an_edit_below_what_is_committed_is_refused_with_the_figures() -> None:
    from dashboard.programme.rules import Committed, below_committed

    held = Committed(selected=20, days=240.5, cost=182_250.0)
    assert below_committed(20, 182_250.0, 240.5, held) == []  # exactly what is held: allowed
    assert below_committed(19, 182_249.0, 240.0, held) == [
        "De capaciteit (19) ligt onder de 20 trajecten die al geselecteerd zijn.",
        "Het budget (€ 182.249) ligt onder de € 182.250 die al in de teams gepland is.",
        "Het budget in expertendagen (240,0) ligt onder de 240,5 dagen die al in de teams gepland zijn."]


def test_an_expert_is_a_person_or_firm_with_known_profiles_a_rate_and_days() -> None:
    from dashboard.intake.models import EXPERTS
    from dashboard.programme.models import EXPERT_KINDS
    from dashboard.programme.rules import expert_problems

    def check(*values: object) -> list[str]:
        return expert_problems(*values, EXPERT_KINDS, EXPERTS)  # type: ignore[arg-type]

    assert check("Bureau Pleinwerk", "bureau", [EXPERTS[0], EXPERTS[3]], 950.0, 12.0) == []
    assert check("", "firma", [], 0.0, 0.0) == [
        "Geef de naam van de expert of het bureau.", "Kies of het om een persoon of een bureau gaat.",
        "Kies minstens één van de 17 profielen.", "Het dagtarief moet groter dan nul zijn.",
        "De beschikbare dagen per maand liggen tussen 0 en 31."]
    assert check("An", "persoon", ["Astrologie"], 800.0, 32.0) == [
        "Onbekend profiel: Astrologie.", "De beschikbare dagen per maand liggen tussen 0 en 31."]


# -- De Vitrine's pages (features/vitrine) -----------------------------------------------------------------------

def test_a_card_lands_on_the_page_that_holds_it_and_a_page_past_the_last_is_the_last() -> None:
    from dashboard.features.vitrine.view import paged

    found = [{"application_id": i} for i in range(101, 131)]  # 30 cards: pages of 12, 12 and 6
    first = paged(found, 1, 12)
    assert ([c["application_id"] for c in first.cards][:2], first.page, first.pages, first.total, first.focus) == (
        [101, 102], 1, 3, 30, None)
    on_card = paged(found, 1, 12, card=125)  # the 25th card: page 3, whatever page the address said
    assert (on_card.page, on_card.focus, len(on_card.cards)) == (3, 125, 6)
    assert paged(found, 2, 12, card=999).page == 2 and paged(found, 2, 12, card=999).focus is None
    assert paged(found, 7, 12).page == 3 and paged([], 4, 12).pages == 1 and paged([], 4, 12).cards == []


def test_the_vitrine_address_keeps_its_filters_and_refuses_unknown_values() -> None:
    from dashboard.errors import RejectedError
    from dashboard.features.vitrine.params import VitrineParams
    from dashboard.params import NOTHING

    where = VitrineParams.from_url(NOTHING, uitdaging="leegstand", concepten="de datadoos,kwartiermakers,de datadoos",
                                   zoek=" Gent ", pagina="2")
    assert (where.challenge, where.concepts, where.text, where.page, where.card) == (
        "leegstand", ("de datadoos", "kwartiermakers"), "Gent", 2, None)
    assert where.query(3) == "?uitdaging=leegstand&concepten=de+datadoos%2Ckwartiermakers&zoek=Gent&pagina=3"
    assert where.query() == "?uitdaging=leegstand&concepten=de+datadoos%2Ckwartiermakers&zoek=Gent"
    assert VitrineParams.from_url(NOTHING, kaart="17").unfiltered().query() == ""
    for bad, status in (({"uitdaging": "regen"}, 404), ({"concepten": "de datadoos,vliegende winkel"}, 404),
                        ({"pagina": "0"}, 400), ({"pagina": "twee"}, 400), ({"kaart": "-3"}, 400)):
        with pytest.raises(RejectedError) as refused:
            VitrineParams.from_url(NOTHING, **bad)
        assert refused.value.status == status, bad
