"""A person opens the overview in Debian's chromium (Playwright, headless) on the built demo."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.conftest import Server

pytestmark = pytest.mark.browser


def test_overview_shows_kpis_trend_and_all_285_municipalities(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/")
    page.wait_for_selector(".kpi-card")
    page.wait_for_selector("td[data-dash-column='name']")
    assert page.locator(".kpi-card").count() == 8
    assert page.locator("#synthetic-notice").inner_text().startswith("Synthetische demodata")
    names = page.locator("td[data-dash-column='name']")
    assert names.count() == 25  # 285 municipalities, paged
    assert "Antwerpen" in names.all_inner_texts()
    assert page.locator(".previous-next-container").inner_text().replace("\n", " ").split()[-1] == "12"
    page.locator("th[data-dash-column='name'] input[type=text]").fill("Pajottegem")
    page.wait_for_function("document.querySelectorAll(\"td[data-dash-column='name']\").length === 1")
    labels = page.locator(".kpi-label").all_inner_texts()
    assert "LEEGSTAND (AANTAL)" in [x.upper() for x in labels]
    # nl-BE formats: a thousands dot in the outlets card, a decimal comma in a percentage.
    values = page.locator(".kpi-value").all_inner_texts()
    assert "." in values[0] and "," in values[2] and values[2].endswith("%")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace")
    assert page.locator("#home-trend .legendtext").all_text_contents() == ["alle verkooppunten", "detailhandel"]
    assert page.problems == []  # type: ignore[attr-defined]


def test_sorting_and_year_change_update_what_a_person_sees(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/")
    page.wait_for_selector("td[data-dash-column='name']")
    first_before = page.locator("td[data-dash-column='name']").first.inner_text()
    assert first_before == "Aalst"  # sorted by name
    page.locator("th[data-dash-column='outlets_total'] .column-header--sort").click()
    page.locator("th[data-dash-column='outlets_total'] .column-header--sort").click()  # descending
    page.wait_for_function("document.querySelector(\"td[data-dash-column='name']\").innerText === 'Antwerpen'")
    before = page.locator(".kpi-value").first.inner_text()
    page.locator("#home-year").click()
    page.get_by_role("option", name="2016").click()
    page.wait_for_function(f"document.querySelector('.kpi-value').innerText !== {before!r}")
    assert "2016" in page.locator("#home-table-note").inner_text()
    assert page.problems == []  # type: ignore[attr-defined]
