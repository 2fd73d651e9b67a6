"""The intake's pure parts: validation, the 5B mapping and the expert rules, each on both sides."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.fiche.rules import MIN_PEERS, PeerStat, RuleInput
from dashboard.fiche.rules import RULES as FICHE_RULES
from dashboard.intake import expertise, fivb
from dashboard.intake.expertise import EXPERTS, expert_choice, suggest
from dashboard.intake.facts import FicheFacts, answer, facts_from_rules
from dashboard.intake.fivb import B_NAMES, DATA, FIVE_B, VISIT, five_b
from dashboard.intake.validation import FIELDS, REQUIRED, validate

YEAR = 2025
STAT = PeerStat(p25=5.0, median=8.0, p75=10.0, n=10)
COMPLETE = {
    "nis_code": "44021", "contact_name": "An Peeters", "department": "Economie", "email": "an@gent.be",
    "phone": "+32 470 12 34 56", "challenge": "x", "expectations": "x", "zone_description": "De Veldstraat",
    "retail_policy": "x", "means_capacity": "x", "departments_involvement": "x",
}


def facts(values: dict | None = None, history: dict | None = None, groups: pd.DataFrame | None = None,
          hours: pd.DataFrame | None = None, area: dict | None = None, stat: PeerStat = STAT) -> FicheFacts:
    values = values or {}
    peers = {c: stat for c in [*values, *(history or {})]}
    return facts_from_rules(RuleInput(YEAR, values, peers, history or {}, groups), hours, area)


def groups_frame(outlets: int, share: float, peer_median_outlets: float) -> pd.DataFrame:
    return pd.DataFrame([{"branch_group": "Mode", "label": "Mode", "outlets": outlets, "share_pct": share,
                          "peer_p25": 10.0, "peer_median": 15.0, "peer_p75": 20.0, "peer_n": 10,
                          "peer_median_outlets": peer_median_outlets}])


def signals(result: dict, entry: str) -> list[fivb.Signal]:
    """The signals of one entry, in the first B that lists it (an entry may bear on two B's)."""
    b = next(e.b for e in FIVE_B if e.id == entry)
    return [s for s in result[b] if s.entry == entry]


# --- validation ----------------------------------------------------------------------------------------------


def test_a_draft_may_be_incomplete_but_submitting_needs_every_required_field() -> None:
    assert validate({"nis_code": "44021"}, "concept") == {}
    errors = validate({"nis_code": "44021"}, "indienen")
    assert set(errors) == {*REQUIRED, "zone_area_ids"} - {"nis_code"}
    assert errors["challenge"] == "Uitdaging is verplicht om in te dienen."
    assert errors["zone_area_ids"] == "Duid minstens één winkelgebied aan of omschrijf de zone."
    assert validate(COMPLETE, "indienen", {"44021"}) == {}
    assert validate({**COMPLETE, "zone_description": None, "zone_area_ids": ["44021-01"]}, "indienen") == {}
    assert "retail_policy" in validate({**COMPLETE, "retail_policy": "   "}, "indienen")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "an.gent.be", "'an.gent.be' is geen geldig e-mailadres (bv. naam@gemeente.be)."),
    ("email", "an@gent", "'an@gent' is geen geldig e-mailadres (bv. naam@gemeente.be)."),
    ("phone", "12345", "'12345' is geen geldig telefoonnummer (bv. 09 123 45 67 of +32 470 12 34 56)."),
    ("phone", "09 12a 45 67", "'09 12a 45 67' is geen geldig telefoonnummer (bv. 09 123 45 67 of +32 470 12 34 56)."),
    ("nis_code", "99999", "'99999' is geen gekende NIS-code van een Vlaamse gemeente."),
    ("contact_name", "x" * 201, "Maximaal 200 tekens (nu 201)."),
    ("challenge", "x" * 10_001, "Maximaal 10000 tekens (nu 10001)."),
    ("zone_area_ids", "44021-01", "Geef de winkelgebieden als een lijst van ten hoogste 200 codes."),
    ("zone_area_ids", ["WG1", "WG1"], "Geef de winkelgebieden als een lijst van ten hoogste 200 codes."),
    ("zone_area_ids", [f"WG{i}" for i in range(201)],
     "Geef de winkelgebieden als een lijst van ten hoogste 200 codes."),
    ("experts", {"chosen": ["Astroloog"]}, "Experten: kies uit de 17 profielen van de Profploeg."),
    ("experts", {"chosen": ["Mobiliteit", "Mobiliteit"]}, "Experten: elk profiel hoogstens één keer."),
    ("experts", {"suggested": "Mobiliteit"}, "Experten: kies uit de 17 profielen van de Profploeg."),
    ("experts", {"gekozen": []}, "Experten: verwacht 'suggested' en/of 'chosen'."),
    ("challenge", 12, "Verwacht tekst."),
    ("status", "coaching", "Onbekend veld 'status'."),
])
def test_invalid_values_get_a_dutch_message_on_their_field(field: str, value: object, message: str) -> None:
    assert validate({**COMPLETE, field: value}, "concept", {"44021"}) == {field: message}


@pytest.mark.parametrize(("field", "value"), [
    ("email", "an.peeters@stad.gent"), ("phone", "09 266 51 11"), ("phone", "0032 (0)470/12.34.56"),
    ("phone", "+32470123456"), ("contact_name", "x" * 200), ("challenge", "x" * 10_000),
])
def test_valid_values_just_inside_the_limits_pass(field: str, value: str) -> None:
    assert validate({**COMPLETE, field: value}, "indienen", {"44021"}) == {}


def test_unknown_stage_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="stage"):
        validate({}, "klaar")


def test_every_field_has_a_dutch_label_and_answer_reads_models_and_mappings() -> None:
    assert all(FIELDS.values())
    assert answer({"zone_area_ids": ["a", "b"]}, "zone_area_ids") == "a, b"
    assert answer(type("App", (), {"challenge": "  x "})(), "challenge") == "x"
    assert answer(None, "challenge") == ""


# --- 5B mapping ----------------------------------------------------------------------------------------------


def test_every_b_has_entries_and_every_entry_names_real_sources() -> None:
    assert {e.b for e in FIVE_B} == set(B_NAMES)
    fiche_rules = {r.id for r in FICHE_RULES}
    for entry in FIVE_B:
        assert entry.source in fivb.SOURCES and set(entry.rules) <= fiche_rules, entry
        if entry.source == "indicator":
            assert entry.key in fivb.DNA, entry
        if entry.source == "antwoord":
            assert entry.key in FIELDS, entry


def test_without_facts_or_answers_every_b_says_what_the_visit_must_find_out() -> None:
    result = five_b(None, None)
    assert list(result) == list(B_NAMES)
    assert all(b and all(s.status == VISIT for s in b) for b in result.values())
    assert signals(result, "middelen")[0].text == ("Middelen en capaciteit voor de opvolging: niet ingevuld in de "
                                                   "aanvraag; bevragen.")


INDICATORS = sorted({(e.id, e.key) for e in FIVE_B if e.source == "indicator"})


@pytest.mark.parametrize(("entry", "column"), INDICATORS)
def test_each_indicator_entry_on_both_sides_of_the_peer_band(entry: str, column: str) -> None:
    for value in (10.5, 4.5):  # above P75, below P25: the data say something
        (signal, *_) = signals(five_b(facts({column: value})), entry)
        assert signal.status == DATA and signal.value == value
        assert signal.peer_value in (10.0, 5.0) or "P75" in signal.text or "P25" in signal.text
    for value in (10.0, 5.0, 8.0):  # on the band's edges and inside it: inconclusive, for the visit
        (signal,) = signals(five_b(facts({column: value})), entry)
        assert signal.status == VISIT and "binnen de band van de peers" in signal.text
    (signal,) = signals(five_b(facts({column: None})), entry)
    assert signal.status == VISIT and "geen gegevens" in signal.text
    few = PeerStat(5.0, 8.0, 10.0, MIN_PEERS - 1)
    (signal,) = signals(five_b(facts({column: 50.0}, stat=few)), entry)
    assert signal.status == VISIT and "te weinig peers" in signal.text


def test_a_fired_fiche_rule_is_the_data_signal_with_the_fiches_own_text() -> None:
    result = five_b(facts({"vacancy_structural_rate_pct": 12.26}))
    (signal,) = signals(result, "structurele_leegstand")
    assert signal.status == DATA and signal.b == "Beeldkwaliteit"
    assert signal.text == ("Veel structurele leegstand (> 3 jaar): 12,3 % in 2025; peers P75 10,0 %, "
                           "mediaan 8,0 % (10 peers).")
    assert (signal.value, signal.peer_value) == (12.26, 10.0)
    assert result["Beeldkwaliteit"][0] is signal  # data findings come first within a B


def test_a_footfall_trend_bears_on_bekendheid_and_beleving() -> None:
    falling = facts(history={"footfall_yoy_pct": {2023: -1.0, 2024: -2.0, 2025: -3.0}},
                    values={"footfall_yoy_pct": -3.0})
    result = five_b(falling)
    for b in ("Bekendheid", "Beleving"):
        (signal,) = [s for s in result[b] if s.entry == "passanten_trend"]
        assert signal.status == DATA and signal.text.startswith("Passanten dalen (drie jaar op rij negatief)")
    # One year positive breaks the run: no trend finding; -3 is below P25 (5), so still a data signal.
    broken = facts(history={"footfall_yoy_pct": {2023: -1.0, 2024: 2.0, 2025: -3.0}},
                   values={"footfall_yoy_pct": -3.0})
    (signal,) = signals(five_b(broken), "passanten_trend")
    assert signal.status == DATA and "lager dan P25" in signal.text


def test_branch_mix_is_a_data_signal_only_when_a_group_stands_out() -> None:
    missing, weak = signals(five_b(facts(groups=groups_frame(0, 0.0, 2.0))), "branchemix")
    assert missing.status == weak.status == DATA and missing.text.startswith("Geen mode (0 verkooppunten)")
    assert weak.text.startswith("Ondervertegenwoordigde branchegroep – mode: 0,0 %")
    (ordinary,) = signals(five_b(facts(groups=groups_frame(3, 15.0, 2.0))), "branchemix")
    assert ordinary.status == VISIT and "geen branchegroep wijkt duidelijk af" in ordinary.text
    (none,) = signals(five_b(facts()), "branchemix")
    assert none.status == VISIT and none.text == "Branchemix: geen gegevens."


def test_hour_profile_is_data_when_counted_and_for_the_visit_otherwise() -> None:
    hours = pd.DataFrame({"bucket": [10, 15, 19], "avg_passers": [100.0, 300.0, 100.0]})
    (signal,) = signals(five_b(facts(hours=hours)), "uurprofiel")
    assert signal.status == DATA and signal.b == "Bereikbaarheid"
    assert signal.text == "Drukste uren 2025: 15u, 10u, 19u; 20 % van de passanten na 18u (geen peervergelijking)."
    zero = hours.assign(avg_passers=0.0)
    for frame in (None, zero, hours.iloc[0:0]):
        (signal,) = signals(five_b(facts(hours=frame)), "uurprofiel")
        assert signal.status == VISIT
    (capture,) = signals(five_b(facts(hours=hours)), "vangstpercentage")
    assert capture.status == VISIT and "niet in de data" in capture.text


def test_legal_core_is_a_data_signal_for_beleid_when_known() -> None:
    for core, words in ((True, "ligt in een juridisch"), (False, "is geen juridisch")):
        (signal,) = signals(five_b(facts(area={"is_legal_core": core})), "kernwinkelgebied")
        assert signal.status == DATA and words in signal.text
    (signal,) = signals(five_b(facts()), "kernwinkelgebied")
    assert signal.status == VISIT


def test_answers_about_policy_are_quoted_for_the_visit_and_long_ones_shortened() -> None:
    app = {"retail_policy": "Kernwinkelgebied afgebakend in 2022.", "means_capacity": "y" * 500}
    result = five_b(None, app)
    (policy,) = signals(result, "detailhandelsbeleid")
    assert policy.status == VISIT and policy.b == "Beleid"
    assert policy.text == "Detailhandels- en kernbeleid volgens de aanvraag: “Kernwinkelgebied afgebakend in 2022.”"
    (means,) = signals(result, "middelen")
    assert means.text.endswith("…”") and means.text.count("y") == fivb.QUOTE_CHARS - 1


# --- expertise -----------------------------------------------------------------------------------------------


def experts_of(fiche_facts: FicheFacts | None, application: dict | None = None) -> set[str]:
    return {s.expert for s in suggest(fiche_facts, {**COMPLETE, "challenge": "", **(application or {})})}


def test_there_are_17_profiles_and_every_one_can_be_suggested() -> None:
    assert len(EXPERTS) == len(set(EXPERTS)) == 17
    assert {e for r in expertise.RULES for e in r.experts} == set(EXPERTS)
    fiche_rules = {r.id for r in FICHE_RULES}
    for rule in expertise.RULES:
        assert rule.trigger in expertise.TRIGGERS, rule
        assert rule.trigger != "regel" or rule.key in fiche_rules, rule


@pytest.mark.parametrize(("rule_id", "values", "hit", "miss"), [
    ("structurele_leegstand", "vacancy_structural_rate_pct", 10.1, 10.0),
    ("hoge_leegstand", "vacancy_rate_count_all_pct", 10.1, 10.0),
    ("leegstand_m2", "vacancy_rate_wvo_headline_pct", 10.1, 10.0),
    ("weinig_passanten", "footfall_avg_weekly_per_point", 4.9, 5.0),
])
def test_each_indicator_rule_on_both_sides_of_its_threshold(rule_id: str, values: str, hit: float,
                                                            miss: float) -> None:
    rule = next(r for r in expertise.RULES if r.id == rule_id)
    assert set(rule.experts) <= experts_of(facts({values: hit}))
    # Below the threshold the rule does not fire (other rules may still suggest the same expert).
    assert not any(rule_id in s.rule_ids for s in suggest(facts({values: miss}), COMPLETE))


def test_structural_vacancy_suggests_real_estate_and_starters_with_the_finding_as_reason() -> None:
    (estate,) = [s for s in suggest(facts({"vacancy_structural_rate_pct": 12.26}), COMPLETE)
                 if s.expert == "Retailvastgoed"]
    assert estate.reasons[0].startswith("Veel structurele leegstand (> 3 jaar): 12,3 % in 2025; peers P75 10,0 %")
    assert "Starters" in experts_of(facts({"vacancy_structural_rate_pct": 12.26}))


@pytest.mark.parametrize(("rule_id", "column", "hit", "miss"), [
    ("passanten_dalen", "footfall_yoy_pct", [-1.0, -2.0, -3.0], [-1.0, 0.0, -3.0]),
    ("stijgende_leegstand", "vacancy_rate_count_all_pct", [5.0, 6.0, 7.0, 8.0], [5.0, 6.0, 6.0, 8.0]),
])
def test_each_trend_rule_on_both_sides(rule_id: str, column: str, hit: list[float], miss: list[float]) -> None:
    def run(series: list[float]) -> set[str]:
        start = YEAR - len(series) + 1
        history = {column: {start + i: v for i, v in enumerate(series)}}
        return {i for s in suggest(facts({column: series[-1]}, history), COMPLETE) for i in s.rule_ids}
    assert rule_id in run(hit)
    assert rule_id not in run(miss)


def test_branch_group_rules_on_both_sides() -> None:
    def run(frame: pd.DataFrame) -> set[str]:
        return {i for s in suggest(facts(groups=frame), COMPLETE) for i in s.rule_ids}
    assert "branche_ontbreekt" in run(groups_frame(0, 0.0, 1.0))
    assert "branche_ontbreekt" not in run(groups_frame(0, 0.0, 0.5))
    assert "branche_zwak" in run(groups_frame(2, 9.9, 1.0))
    assert "branche_zwak" not in run(groups_frame(2, 10.0, 1.0))


def test_missing_counting_points_and_no_legal_core_need_a_fiche() -> None:
    assert "Retaildata en smart tech" in experts_of(facts({"vacancy_rate_count_all_pct": 8.0}))
    assert "Retaildata en smart tech" not in experts_of(facts({"footfall_avg_weekly_per_point": 8.0}))
    assert "Retaildata en smart tech" not in experts_of(None)
    assert "Ruimtelijke planning" in experts_of(facts(area={"is_legal_core": False}))
    assert "Ruimtelijke planning" not in experts_of(facts(area={"is_legal_core": True}))
    assert "Ruimtelijke planning" not in experts_of(facts())


KEYWORDS = [
    ("mobiliteit", "Er zijn te weinig parkeerplaatsen in het centrum.", "Mobiliteit"),
    ("mobiliteit", "De mobiliteit rond de markt is een probleem.", "Mobiliteit"),
    ("publieke_ruimte", "Het marktplein wordt heraangelegd.", "Publieke ruimte"),
    ("ruimtelijk", "Een nieuw RUP voor de kern.", "Ruimtelijke planning"),
    ("logistiek", "Leveringen blokkeren de straat.", "Logistiek"),
    ("sociale_media", "Meer doen met Instagram.", "Sociale media"),
    ("communicatie", "Ons imago is slecht.", "Communicatie"),
    ("evenementen", "De braderie trekt minder volk.", "Evenementen"),
    ("onderhandeling", "Eigenaars vragen te hoge huurprijzen.", "Onderhandeling en contracten"),
    ("samenwerking", "De handelaarsvereniging is stilgevallen.", "Procesbegeleiding"),
    ("creatief", "Pop-ups in lege panden.", "Creatieve trajecten"),
    ("data", "We hebben geen tellingen.", "Retaildata en smart tech"),
    ("consument", "Het koopgedrag verandert.", "Consumentengedrag"),
    ("centrummanagement", "Wie doet de coördinatie?", "Centrummanagement"),
    ("starters", "Starters vinden geen pand.", "Starters"),
    ("marketing", "Citymarketing en branding ontbreken.", "Retailmarketing"),
    ("innovatie", "Innovatieve winkelconcepten aantrekken.", "Innovatieve winkelconcepten"),
]


@pytest.mark.parametrize(("rule_id", "text", "expert"), KEYWORDS)
def test_each_keyword_rule_fires_on_its_words_and_names_the_field(rule_id: str, text: str, expert: str) -> None:
    found = [s for s in suggest(None, {**COMPLETE, "challenge": text}) if rule_id in s.rule_ids]
    assert found and expert in {s.expert for s in found}
    assert any("in uitdaging" in r for s in found for r in s.reasons)
    neutral = "De winkelstraat heeft het moeilijk."
    assert not any(rule_id in s.rule_ids for s in suggest(None, {**COMPLETE, "challenge": neutral}))


def test_every_keyword_rule_is_tested() -> None:
    assert {r.id for r in expertise.RULES if r.trigger == "trefwoord"} == {k for k, _, _ in KEYWORDS}


def test_keywords_match_at_word_starts_only() -> None:
    assert "Evenementen" not in experts_of(None, {"challenge": "De supermarkt aan de rand trekt klanten weg."})
    assert "Evenementen" in experts_of(None, {"challenge": "De wekelijkse markt trekt klanten."})


def test_empty_answers_suggest_centre_management_and_process_facilitation() -> None:
    empty = {s.expert: s.reasons for s in suggest(None, {**COMPLETE, "means_capacity": "", "challenge": "",
                                                         "departments_involvement": None})}
    assert empty["Centrummanagement"] == ("Middelen en capaciteit voor de opvolging: niet ingevuld in de aanvraag.",)
    assert "Procesbegeleiding" in empty
    assert suggest(None, {**COMPLETE, "challenge": ""}) == []


def test_suggestions_gather_reasons_per_expert_in_profile_order() -> None:
    result = suggest(facts({"vacancy_structural_rate_pct": 12.0}), {**COMPLETE, "challenge": "Starters en parkeren"})
    assert [s.expert for s in result] == [e for e in EXPERTS if e in {s.expert for s in result}]
    (starters,) = [s for s in result if s.expert == "Starters"]
    assert starters.rule_ids == ("structurele_leegstand", "starters") and len(starters.reasons) == 2


def test_the_user_adds_and_removes_experts() -> None:
    suggestions = suggest(None, {**COMPLETE, "challenge": "parkeren en braderie"})
    choice = expert_choice(suggestions, add=["Logistiek"], remove=["Evenementen"])
    assert choice == {"suggested": ["Mobiliteit", "Evenementen"], "chosen": ["Mobiliteit", "Logistiek"]}
    with pytest.raises(ValueError, match="Onbekend expertprofiel: Astrologie"):
        expert_choice(suggestions, add=["Astrologie"])
