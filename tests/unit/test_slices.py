"""Each slice's URL parameters and view, in-process on the fixture database (no server, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data.db import Database
from dashboard.errors import MovedError, RejectedError
from dashboard.features.core_map.params import NO_SINCE, CoreMapParams
from dashboard.features.fiche.params import FicheParams
from dashboard.features.home.params import HomeParams
from dashboard.features.home.view import home_view
from dashboard.features.intake.params import IntakeParams
from dashboard.features.intake_overview.params import OverviewParams
from dashboard.features.municipality.params import MunicipalityParams
from dashboard.features.province.params import ProvinceParams
from dashboard.vocab import Known, read_known


@pytest.fixture(scope="module")
def db(fixture_db: Path) -> Database:
    return Database(fixture_db)


@pytest.fixture(scope="module")
def known(db: Database) -> Known:
    return read_known(db)


def test_addresses_parse_to_typed_values(known: Known) -> None:
    assert HomeParams.from_url(known) == HomeParams(2025)
    assert ProvinceParams.from_url(known, "40000", "2024") == ProvinceParams("40000", 2024)
    assert MunicipalityParams.from_url(known, "44021", None, "41002, 44021,41002") == MunicipalityParams(
        "44021", 2025, "eigen", ("41002", "44021"))
    assert MunicipalityParams.from_url(known, "44021", "2024", "provincie").peer_mode == "provincie"
    assert CoreMapParams.from_url(known, "44021", "2025", "2024", "WG1") == CoreMapParams("44021", 2025, 2024, "WG1")
    assert CoreMapParams.from_url(known, "44021", "2024", "2025").since == NO_SINCE  # not before: no comparison
    assert FicheParams.from_url(known, "44021") == FicheParams("44021", None, None)
    assert IntakeParams.from_url(known, "44021", "12") == IntakeParams("44021", 12)
    assert OverviewParams.from_url(known, "", None, None) == OverviewParams(None, None, None)
    assert OverviewParams.from_url(known, "40000", "intake", "7") == OverviewParams("40000", "intake", 7)


@pytest.mark.parametrize(("parse", "status"), [
    (lambda k: HomeParams.from_url(k, "1850"), 404),
    (lambda k: ProvinceParams.from_url(k, "99999"), 404),
    (lambda k: MunicipalityParams.from_url(k, "4402x"), 400),
    (lambda k: MunicipalityParams.from_url(k, "44021", peers="alles"), 400),
    (lambda k: MunicipalityParams.from_url(k, "44021", peers="41002,99999"), 404),
    (lambda k: CoreMapParams.from_url(k, "41002", gebied="WG1"), 404),  # the area lies in Gent
    (lambda k: FicheParams.from_url(k, "44021", jaar="twintig"), 400),
    (lambda k: IntakeParams.from_url(k, "44021", "99999999999999999999"), 400),
    (lambda k: IntakeParams.from_url(k, "44021", "٣"), 400),  # a digit of another script: no link holds it
    (lambda k: OverviewParams.from_url(k, status="klaar"), 404),
])
def test_bad_addresses_are_refused_with_a_status(known: Known, parse, status: int) -> None:
    with pytest.raises(RejectedError) as refused:
        parse(known)
    assert refused.value.status == status and refused.value.reason


def test_an_old_code_of_a_merged_municipality_refers_on(known: Known) -> None:
    with pytest.raises(MovedError) as moved:
        MunicipalityParams.from_url(known, "44034")
    assert moved.value.new == "44087"


def test_home_view_adds_up_the_municipalities(db: Database) -> None:
    view = home_view(db, 2025)
    cards = {c["label"]: c["value"] for c in view.cards}
    # The fixture export: Gent 9 and Aalst 8 outlets in 2025, 4 of the 17 vacant.
    assert cards["Verkooppunten"] == "17" and cards["Leegstand (aantal)"] == "23,5 %"
    assert view.table["outlets_total"].sum() == 17
    assert view.note.startswith("285 gemeenten, inventaris 2025.")
    assert "[Gent](/gemeente/44021)" in set(view.table["name"])


def test_province_view_compares_with_vlaanderen(db: Database) -> None:
    from dashboard.features.province.view import province_view

    view = province_view(db, "40000", 2025, 2024, "vacancy_rate_count_all_pct", "outlets_per_1000_inh", "44021")
    cards = {c["label"]: c for c in view.cards}
    # Gent and Aalst both lie in Oost-Vlaanderen: the province holds every outlet of the fixture.
    assert cards["Verkooppunten"]["value"] == "17" and cards["Verkooppunten"]["note"] == "Vlaanderen: 17"
    assert {"[Gent](/gemeente/44021)", "[Aalst](/gemeente/41002)"} <= set(view.table["link"])


def test_municipality_view_against_a_chosen_peer(db: Database) -> None:
    from dashboard.features.municipality.view import municipality_view

    view = municipality_view(db, "44021", 2025, "eigen", ["41002"], "vacancy_rate_count")
    cards = {c["label"]: c for c in view.cards}
    assert cards["Verkooppunten"]["value"] == "9"  # Gent's 9 outlets of 2025
    assert view.peer_note == "Peergroep: 1 gekozen gemeenten."
    assert view.search == "?jaar=2025&peers=41002"
    nobody = municipality_view(db, "44021", 2025, "eigen", [], "vacancy_rate_count")
    assert nobody.peer_note.startswith("Kies gemeenten in 'Eigen selectie'") and nobody.search.endswith("peers=eigen")


def test_intake_view_reads_the_zone_fiche_and_ticks_every_suggestion_at_first(db: Database) -> None:
    from dashboard.features.intake.view import analyse
    from dashboard.intake.form import TEXT_FIELDS
    from dashboard.intake.models import B_NAMES, EXPERTS

    texts = ["" for _ in TEXT_FIELDS]
    result = analyse(db, "44021", ["WG1"], "", texts, None, None)
    assert result.fiche is not None and result.fiche.area["area_id"] == "WG1"
    assert set(result.signals) == set(B_NAMES) and all(result.signals[b] for b in B_NAMES)
    assert result.suggested and set(result.suggested) <= set(EXPERTS) and result.chosen == result.suggested
    assert set(result.reasons) == set(result.suggested)
    assert analyse(db, "44021", [], "", texts, None, None).fiche is not None  # no zone: the main shopping area


def test_the_intake_reads_the_very_fiche_the_fiche_page_and_its_pdf_show(fixture_db: Path) -> None:
    from dashboard.features.intake.view import analyse
    from dashboard.fiche.data import load_fiche
    from dashboard.intake.facts import facts_of
    from dashboard.intake.form import TEXT_FIELDS

    db = Database(fixture_db)  # its own per-build cache: empty
    page = load_fiche(db, "44021")  # the page's address names no area and no year
    # One fiche per area and year, however the address names them: computed once for the page, PDF and 5B.
    assert load_fiche(db, "44021", page.area["area_id"], page.year) is page
    result = analyse(db, "44021", [], "", ["" for _ in TEXT_FIELDS], None, None)
    assert result.fiche is page
    facts = facts_of(page)
    assert facts.findings == page.findings and facts.values == page.current and facts.peers == page.peers
    assert sum(key.kind == "fiche" for key in db.cache._entries) == 1
