"""The intake dossier PDF on the fixture: answers, 5B fiche, experts and the DNA fiche page; the HTTP route."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest

from dashboard.app import create_app
from dashboard.config import load_settings
from dashboard.data.db import Database
from dashboard.intake.dossier import ADDED, expert_lines, load_dossier, render_dossier
from dashboard.intake.expertise import Suggestion
from dashboard.intake.fivb import DATA, VISIT
from dashboard.intake.models import B_NAMES
from dashboard.intake.store import Store, open_store
from tests.accounts import logged_in

ANSWERS = {
    "contact_name": "An Peeters",
    "department": "Dienst Lokale Economie",
    "email": "an.peeters@gent.be",
    "phone": "09 266 00 00",
    "challenge": "Te weinig parkeerplaatsen <b>en</b> leegstand in de Veldstraat & omgeving.",
    "expectations": "Een plan voor de leegstand.",
    "zone_area_ids": ["WG1"],
    "zone_description": "De Veldstraat tot de Korenmarkt.",
    "went_well": "De braderie.",
    "retail_policy": "Kern afgebakend in 2023.",
    "means_capacity": "Een halftijdse centrummanager.",
    "departments_involvement": "Economie en mobiliteit overleggen maandelijks.",
}


def _text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _gent_application(store: Store) -> int:
    app = store.create_draft("44021", "an", ANSWERS, on=dt.date(2026, 1, 12))
    app = store.save(app.id, {
        "five_b_notes": {"Beleving": "Terrassen <i>bekijken</i> met de handelaars."},
        # Mobiliteit is suggested (parkeer-); Evenementen is the user's own addition.
        "experts": {"suggested": ["Mobiliteit", "Centrummanagement"], "chosen": ["Mobiliteit", "Evenementen"]},
    }, app.version, "an")
    store.move_status(app.id, "beoordeling", "an", on=dt.date(2026, 2, 3))
    return app.id


@pytest.fixture(scope="module")
def dossier_pages(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('dossier') / 'i.sqlite3'}")
    app = store.get(_gent_application(store))
    dossier = load_dossier(Database(fixture_db), store, app, "http://example.test/", "Gent", dt.date(2026, 11, 30))
    assert [s for s, _ in dossier.steps] == ["aanvraag", "beoordeling"]
    return _text(render_dossier(dossier))


def test_dossier_shows_the_answers_escaped_and_the_zone_by_name(dossier_pages: list[str]) -> None:
    first = dossier_pages[0]
    assert "Intakedossier Profploeg – Gent" in first
    assert "http://example.test/gemeente/44021/intake?aanvraag=1" in first
    assert "aanvraag 12-01-2026 → beoordeling 03-02-2026" in first
    # The user's markup is text, not HTML: the tags print as typed.
    assert "Te weinig parkeerplaatsen <b>en</b> leegstand in de Veldstraat & omgeving." in first
    for value in ("An Peeters", "Dienst Lokale Economie", "an.peeters@gent.be", "09 266 00 00", "De braderie."):
        assert value in first
    assert "Zone: winkelgebieden Centrum Gent" in first and "onbekend winkelgebied" not in first
    assert "Wat liep minder goed niet ingevuld" in first


def test_dossier_has_the_5b_fiche_the_experts_and_the_dna_fiche_last(dossier_pages: list[str]) -> None:
    text = " ".join(dossier_pages)
    five_b = text[text.index("5B-fiche"):text.index("Experten")]
    assert all(b in five_b for b in B_NAMES)
    assert DATA in five_b and VISIT in five_b
    assert "Terrassen <i>bekijken</i> met de handelaars." in five_b
    experts = text[text.index("Experten"):text.index("De 5B-fiche en de experten lezen de DNA-fiche")]
    assert "Mobiliteit" in experts and "‘parkeer’ in uitdaging." in experts
    assert re.search(rf"Evenementen {ADDED}", experts)
    assert "Voorgesteld maar niet gekozen: Centrummanagement." in experts
    n = len(dossier_pages)
    assert "DNA-fiche Centrum Gent" in dossier_pages[-1] and "pagina 1 van" not in dossier_pages[-1]
    assert f"pagina {n} van {n}" in dossier_pages[-1]
    assert f"pagina 1 van {n}" in dossier_pages[0] and "30-11-2026" in dossier_pages[0]


def test_expert_lines_without_a_stored_choice_are_the_suggestions() -> None:
    suggestions = [Suggestion("Mobiliteit", ("‘parkeer’ in uitdaging.",), ("mobiliteit",))]
    assert [(e.expert, e.added) for e in expert_lines(None, suggestions)] == [("Mobiliteit", False)]
    chosen = expert_lines({"chosen": ["Mobiliteit", "Logistiek"]}, suggestions)
    assert [(e.expert, e.reasons, e.added) for e in chosen] == [
        ("Mobiliteit", ("‘parkeer’ in uitdaging.",), False), ("Logistiek", (), True)]


def test_route_serves_the_latest_application_and_refuses_the_rest(fixture_db: Path, tmp_path: Path) -> None:
    app = create_app(load_settings({"SMART_RETAIL_DB": str(fixture_db),
                                    "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp_path / 'i.sqlite3'}"}))
    store: Store = app.server.extensions["smart_retail_intake"]
    aalst = store.create_draft("41002", "an", {"contact_name": "Bert"}).id
    older = store.create_draft("44021", "an", {"contact_name": "Eerste"}).id
    latest = _gent_application(store)
    assert older < latest  # two applications of Gent: the newer one is the default
    client = logged_in(app, "gemeente", "44021")

    response = client.get("/gemeente/44021/intake.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="intake-44021-{latest}.pdf"'
    assert "An Peeters" in _text(response.data)[0]

    other = client.get(f"/gemeente/44021/intake.pdf?aanvraag={aalst}")
    assert other.status_code == 404 and "Gent heeft geen aanvraag met nummer" in other.get_data(as_text=True)
    assert client.get("/gemeente/44021/intake.pdf?aanvraag=abc").status_code == 400
    assert client.get("/gemeente/44021/intake.pdf?aanvraag=999").status_code == 404
    none = logged_in(app, "vlaio").get("/gemeente/11002/intake.pdf")
    assert none.status_code == 404 and "nog geen aanvraag" in none.get_data(as_text=True)


def test_route_without_analytics_database_is_503(tmp_path: Path) -> None:
    app = create_app(load_settings({"SMART_RETAIL_DB": str(tmp_path / "none.duckdb"),
                                    "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp_path / 'i.sqlite3'}"}))
    response = logged_in(app, "vlaio").get("/gemeente/44021/intake.pdf")
    assert response.status_code == 503 and "Nog geen database" in response.get_data(as_text=True)


def test_an_expert_is_never_split_from_its_reasons_across_pages(fixture_db: Path,
                                                                tmp_path_factory: pytest.TempPathFactory) -> None:
    import dataclasses

    from dashboard.intake.expertise import EXPERTS

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('split') / 'i.sqlite3'}")
    app = store.get(store.create_draft("44021", "an", ANSWERS, on=dt.date(2026, 1, 12)).id)
    dossier = load_dossier(Database(fixture_db), store, app, "http://example.test/", "Gent", dt.date(2026, 11, 30))
    # Many experts with long reasons: rows that would straddle a page break somewhere.
    names = list(EXPERTS)[:8]
    suggestions = [Suggestion(e, tuple(f"reden{i}x{k} " + "lange uitleg " * 12 for k in range(5)), ())
                   for i, e in enumerate(names)]
    pages = _text(render_dossier(dataclasses.replace(dossier, suggestions=suggestions)))
    for i, name in enumerate(names):
        on = {n for n, text in enumerate(pages) if f"reden{i}x" in text}
        assert len(on) == 1, (name, on)
        assert name in pages[on.pop()]
