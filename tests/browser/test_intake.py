"""A centre manager applies for the Profploeg; VLAIO follows the application up and downloads its dossier."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from dashboard.formatting import fmt_date
from tests.browser.conftest import log_in
from tests.conftest import Server

pytestmark = pytest.mark.browser

REST = {"department": "Lokale economie", "phone": "09 266 51 11", "expectations": "Een actieplan tegen leegstand.",
        "retail_policy": "Kernwinkelgebied afgebakend in 2022.", "means_capacity": "Een halftijdse centrummanager.",
        "departments_involvement": "Economie en mobiliteit zitten in de stuurgroep."}


def alert(page: Page, text: str) -> str:
    expect(page.locator("#intake-alert")).to_contain_text(text, timeout=15_000)
    return page.locator("#intake-alert").inner_text()


def test_apply_save_resume_submit_follow_up_and_download_the_dossier(page: Page, demo_server: Server) -> None:
    log_in(page, demo_server, "gemeente", "44021", "An Peeters", "/gemeente/44021/intake")
    expect(page.locator("#intake-fivb-0 li").first).to_be_visible(timeout=20_000)
    assert page.locator("#intake-title").inner_text() == "Nieuwe aanvraag"
    # The 5B fiche reads the DNA fiche of Gent's main area before anything is typed.
    assert "Centrum Gent" in page.locator("#intake-fiche-note").inner_text()
    assert page.locator("#intake-fivb li[data-status='data']").count() >= 1

    # A first save with a mistake in the e-mail address: saved as a draft, the message under the field.
    expect(page.locator("#intake-author")).to_have_value("An Peeters")  # the account signs, not a typed name
    page.fill("#intake-f-contact_name", "An Peeters")
    page.fill("#intake-f-email", "an.peeters@gent")
    page.fill("#intake-f-challenge", "Leegstand in de Veldstraat en te weinig parkeerplaatsen.")
    page.click("#intake-save")
    assert "verbeter nog de aangeduide velden" in alert(page, "versie 1")
    expect(page.locator("#intake-err-email")).to_contain_text("geen geldig e-mailadres")
    expect(page).to_have_url(re.compile(r"/gemeente/44021/intake\?aanvraag=\d+$"))
    number = page.url.rsplit("=", 1)[1]
    # The keyword in the challenge suggests the mobility expert, with its reason.
    expect(page.locator("#intake-experts")).to_contain_text("Mobiliteit – voorgesteld: ‘parkeer’")

    page.fill("#intake-f-email", "an.peeters@gent.be")
    page.click("#intake-save")
    assert alert(page, "versie 2").startswith("Bewaard als concept")
    expect(page.locator("#intake-err-email")).to_have_text("")

    # Reload: the draft is resumed from the store, not from the browser.
    page.reload()
    expect(page.locator("#intake-title")).to_have_text(f"Aanvraag nr. {number} · status: concept (nog niet ingediend)")
    expect(page.locator("#intake-f-email")).to_have_value("an.peeters@gent.be")
    expect(page.locator("#intake-fivb-0 li").first).to_be_visible(timeout=20_000)

    # Submitting too early names what is missing.
    page.click("#intake-submit")
    alert(page, "nog niet ingediend")
    expect(page.locator("#intake-err-department")).to_contain_text("is verplicht om in te dienen")
    expect(page.locator("#intake-err-zone_area_ids")).to_contain_text("Duid minstens één winkelgebied aan")

    for name, value in REST.items():
        page.fill(f"#intake-f-{name}", value)
    page.locator("#intake-f-zone_area_ids label", has_text="Centrum Gent").click()
    page.fill("#intake-note-4", "Beleidsplan 2022 opvragen bij de dienst economie.")
    page.locator("#intake-experts label", has_text="Logistiek").click()  # the user adds an expert no data rule suggests
    page.click("#intake-submit")
    alert(page, "Ingediend")
    expect(page.locator("#intake-submit")).to_be_disabled()

    # VLAIO sees it among the submitted applications and moves it to intake.
    page.goto(demo_server.url + "/logout")
    log_in(page, demo_server, "vlaio", None, "Bart Claes", "/intake?status=beoordeling")
    row = page.locator(f"#intake-list-table tr[data-application='{number}']")
    expect(row).to_contain_text("Gent")
    expect(row).to_contain_text("Beoordeling")
    row.get_by_role("link", name="Opvolgen").click()
    expect(page.locator("#intake-list-detail")).to_contain_text(f"Aanvraag nr. {number} – Gent")
    page.select_option("#intake-list-move-to", "intake")
    page.click("#intake-list-move")
    steps = page.locator("#intake-list-steps")
    expect(steps.locator("li.current")).to_contain_text(f"Intake{fmt_date(dt.date.today())} (Bart Claes)")
    expect(page.locator("#intake-list-baseline")).to_contain_text("Basislijn: Centrum Gent, inventaris 2025")
    expect(page.locator("#intake-list-evaluation-note")).to_contain_text("Nog geen nieuwere inventaris")
    # It left the list of applications in review, and is now among those at intake.
    expect(page.locator(f"#intake-list-rows tr[data-application='{number}']")).to_have_count(0)
    page.goto(demo_server.url + "/intake?status=intake")
    expect(page.locator(f"#intake-list-table tr[data-application='{number}']")).to_contain_text("Intake")
    with page.expect_download() as info:
        page.locator(f"#intake-list-table tr[data-application='{number}'] a", has_text="Dossier").click()
    download = info.value
    assert download.suggested_filename == f"intake-44021-{number}.pdf"
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for expected in ("Intakedossier Profploeg – Gent", "an.peeters@gent.be", "Leegstand in de Veldstraat",
                     "Centrum Gent", "Bekendheid", "Bereikbaarheid", "Beleidsplan 2022 opvragen", "Mobiliteit",
                     "Logistiek", "toegevoegd door de gebruiker", "DNA-fiche Centrum Gent"):
        assert expected in text, expected
    assert page.problems == []  # type: ignore[attr-defined]


def test_an_application_of_another_municipality_is_not_found(page: Page, demo_server: Server) -> None:
    log_in(page, demo_server, "gemeente", "11002", "Els Wouters", "/gemeente/11002/intake?aanvraag=999999")
    expect(page.locator(".not-found")).to_contain_text("Antwerpen heeft geen aanvraag met nummer '999999'")


def test_two_people_editing_one_application_get_a_conflict_and_keep_their_text(browser, page: Page,
                                                                                 demo_server: Server) -> None:
    log_in(page, demo_server, "gemeente", "44021", "An Peeters", "/gemeente/44021/intake")
    page.fill("#intake-f-challenge", "Leegstand.")
    page.click("#intake-save")
    alert(page, "versie 1")
    url = page.url
    other = browser.new_context(locale="nl-BE", viewport={"width": 1400, "height": 1000}).new_page()
    log_in(other, demo_server, "gemeente", "44021", "Bart Claes", url.removeprefix(demo_server.url))  # same draft
    expect(other.locator("#intake-f-challenge")).to_have_value("Leegstand.")
    page.fill("#intake-f-department", "Lokale economie")
    page.click("#intake-save")
    alert(page, "versie 2")
    other.fill("#intake-f-challenge", "Leegstand en parkeren.")
    other.click("#intake-save")
    expect(other.locator("#intake-alert")).to_contain_text("gewijzigd door An Peeters", timeout=15_000)
    expect(other.locator("#intake-unsaved")).to_contain_text("Leegstand en parkeren.")
    other.reload()  # An's version stands; Bart's text was not written over it
    expect(other.locator("#intake-f-challenge")).to_have_value("Leegstand.")
    expect(other.locator("#intake-f-department")).to_have_value("Lokale economie")
    other.context.close()
    assert page.problems == []  # type: ignore[attr-defined]
