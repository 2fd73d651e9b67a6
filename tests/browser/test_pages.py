"""A person explores a province and a municipality, searches, switches peers and downloads a table."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page

from tests.conftest import Server

pytestmark = pytest.mark.browser


def test_province_page_changes_indicator_and_year(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/provincie/40000")
    page.wait_for_selector("#prov-kpis .kpi-card")
    assert page.locator("h1").inner_text() == "Provincie Oost-Vlaanderen"
    assert page.locator(".breadcrumb").inner_text().startswith("Vlaanderen")
    page.wait_for_function("document.querySelectorAll('#prov-ranking .bars path').length === 55")
    page.locator("#prov-indicator").click()
    page.get_by_role("option", name="Aandeel ketens (aantal) – detailhandel").click()
    page.wait_for_function("document.querySelector('#prov-scatter .ytitle')?.textContent === "
                           "'Aandeel ketens (aantal)'")
    before = page.locator("#prov-kpis").inner_text()
    page.locator("#prov-year").click()
    page.get_by_role("option", name="2019").click()
    page.wait_for_function(f"document.querySelector('#prov-kpis').innerText !== {before!r}")
    assert "Vlaanderen:" in page.locator("#prov-kpis").inner_text()
    assert page.locator("td[data-dash-column='link'] a").count() == 55
    page.locator("td[data-dash-column='link'] a", has_text="Gent").first.click()
    page.wait_for_url("**/gemeente/44021")
    page.wait_for_selector("#gem-kpis .kpi-card")
    assert page.locator("h1").inner_text() == "Gent"
    assert page.problems == []  # type: ignore[attr-defined]


def test_municipality_peer_switch_is_kept_in_the_url(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/gemeente/44021")
    page.wait_for_selector("#gem-kpis .kpi-card")
    assert "met 100.000 inwoners of meer" in page.locator("#gem-peer-note").inner_text()
    page.get_by_label("Zelfde provincie").check()
    page.wait_for_function("document.querySelector('#gem-peer-note').textContent.includes('54 gemeenten van "
                           "dezelfde provincie')")
    page.wait_for_url("**/gemeente/44021?jaar=*&peers=provincie")
    page.get_by_label("Gelijkaardige grootte").check()
    page.wait_for_url("**/gemeente/44021?jaar=*&peers=grootte")
    page.get_by_label("Zelfde provincie").check()
    page.wait_for_url("**/gemeente/44021?jaar=*&peers=provincie")
    page.wait_for_load_state("networkidle")  # a reload aborts what is still loading: not the app's failure
    page.reload()
    page.wait_for_selector("#gem-kpis .kpi-card")
    assert page.locator("#gem-peer-mode input[value='provincie']").is_checked()
    assert "rang" in page.locator("#gem-kpis").inner_text()
    page.wait_for_selector("#gem-weekly .js-plotly-plot")  # Gent has counting points in the demo
    assert page.problems == []  # type: ignore[attr-defined]


def test_municipality_without_footfall_says_so(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/gemeente/73028")  # Herstappe
    page.wait_for_selector("#gem-kpis .kpi-card")
    assert "geen telpunten" in page.locator("#gem-footfall").inner_text()
    assert page.problems == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("typed", "expected"), [("Sint Niklaas", "Sint-Niklaas"), ("9100", "Sint-Niklaas"),
                                                 ("Kortrjik", "Kortrijk")])
def test_search_box_finds_with_typos_and_postal_codes(page: Page, demo_server: Server, typed: str,
                                                      expected: str) -> None:
    page.goto(demo_server.url + "/")
    page.wait_for_selector(".kpi-card")
    page.locator("#search-input").fill(typed)
    page.wait_for_selector("#search-results a")
    assert page.locator("#search-results a").first.inner_text() == expected
    page.locator("#search-input").press("Enter")
    page.wait_for_selector("#gem-kpis .kpi-card")
    assert page.locator("h1").inner_text() == expected
    assert page.problems == []  # type: ignore[attr-defined]


def test_unknown_code_gives_a_dutch_404_page_with_a_way_back(page: Page, demo_server: Server) -> None:
    response = page.goto(demo_server.url + "/gemeente/99999")
    assert response is not None and response.status == 404
    assert "geen Vlaamse gemeente met NIS-code '99999'" in page.locator("body").inner_text()
    page.get_by_role("link", name="Terug naar het overzicht van Vlaanderen").click()
    page.wait_for_selector(".kpi-card")
    # Let the overview finish loading its charts' scripts: leaving earlier aborts them, which is no failure.
    page.wait_for_load_state("networkidle")
    response = page.goto(demo_server.url + "/provincie/12345")
    assert response is not None and response.status == 404
    assert "geen Vlaamse provincie met code '12345'" in page.locator("body").inner_text()
    # The two 404s (and chromium's console note about each) are the answers asked for; nothing else fails.
    expected = {f"HTTP 404: {demo_server.url}/gemeente/99999", f"HTTP 404: {demo_server.url}/provincie/12345",
                "console error: Failed to load resource: the server responded with a status of 404 (NOT FOUND)"}
    problems = page.problems  # type: ignore[attr-defined]
    assert set(problems) == expected, problems


def test_csv_download_holds_what_the_table_shows(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/provincie/70000?jaar=2025")
    page.wait_for_selector("td[data-dash-column='link'] a")
    shown = {}
    for row in page.locator(".data-table tbody tr").all():
        cells = row.locator("td")
        if cells.count() and row.locator("td[data-dash-column='link']").count():
            name = row.locator("td[data-dash-column='link']").inner_text()
            shown[name] = row.locator("td[data-dash-column='vacancy_rate_count_all_pct']").inner_text()
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV").click()
    with open(info.value.path(), encoding="utf-8-sig") as fh:
        text = fh.read()
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 38 and info.value.suggested_filename == "provincie-70000-2025.csv"
    exported = {r["Gemeente"]: r["Leegstand (aantal, %)"] for r in rows}
    assert exported.keys() == shown.keys()
    for name, value in shown.items():  # same numbers, same rounding, Belgian decimal comma
        assert exported[name] == value.replace(".", ""), name
    assert page.problems == []  # type: ignore[attr-defined]
