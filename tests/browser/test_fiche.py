"""A centre manager opens the DNA fiche of a shopping area from the municipality page and downloads its PDF."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page

from dashboard.formatting import fmt_number, fmt_percent
from tests.browser.conftest import log_in
from tests.conftest import Server

pytestmark = pytest.mark.browser


def area_row(db: Path, area_id: str) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        df = con.execute("select * from mart_area_year where level = 'winkelgebied' and area_code = ? "
                         "and year = (select max(year) from mart_area_year)", [area_id]).df()
    finally:
        con.close()
    return df.iloc[0].to_dict()


def test_fiche_shows_the_database_figures_and_downloads_a_pdf(page: Page, demo_server: Server,
                                                              demo_db: Path) -> None:
    log_in(page, demo_server, "gemeente", "44021", "An Peeters", "/gemeente/44021")  # the fiche shows outlets
    page.wait_for_selector("#gem-areas a")
    page.locator("#gem-areas a", has_text="DNA-fiche").first.click()  # the areas table: most outlets first
    page.wait_for_url("**/gemeente/44021/fiche?gebied=WG4402101*")
    page.wait_for_selector("#fiche-dna-table")
    assert page.locator("h1").inner_text() == "DNA-fiche Centrum Gent"
    for section in ("Identiteit", "Het DNA in cijfers", "Branchemix tegenover de peers",
                    "Ketens en zelfstandige handelaars",
                    "Leegstand naar duur", "Passanten", "Sterktes", "Aandachtspunten", "Groeipotentieel",
                    "Winkelgebied en verkooppunten"):
        assert page.get_by_role("heading", name=section).first.is_visible(), section
    row = area_row(demo_db, "WG4402101")
    cells = {c: page.locator(f"#fiche-dna-table tr[data-column='{c}'] td").all_inner_texts()
             for c in ("outlets_total", "vacancy_rate_count_all_pct", "chain_share_count_pct")}
    assert cells["outlets_total"][5] == fmt_number(row["outlets_total"])  # column 5 = the latest year
    assert cells["vacancy_rate_count_all_pct"][5] == fmt_percent(row["vacancy_rate_count_all_pct"])
    assert cells["chain_share_count_pct"][5] == fmt_percent(row["chain_share_count_pct"])
    assert f"{int(row['outlets_vacant'])} leegstaande panden" in page.locator("#fiche-vacancy").inner_text()
    assert "Kernwinkelgebied" in page.locator("#fiche-identity").inner_text()
    page.wait_for_selector("#fiche-map .js-plotly-plot")
    assert page.locator("#fiche-strengths li, #fiche-attention li, #fiche-strengths p, #fiche-attention p").count()

    with page.expect_download() as info:
        page.locator("#fiche-download").click()
    download = info.value
    assert download.suggested_filename.startswith("fiche-44021-WG4402101-")
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    assert page.problems == []  # type: ignore[attr-defined]


def test_fiche_of_an_unknown_area_says_so(page: Page, demo_server: Server) -> None:
    url = demo_server.url + "/gemeente/44021/fiche?gebied=ONBEKEND"
    response = page.goto(url)
    assert response is not None and response.status == 404
    assert "Er is geen winkelgebied met id 'ONBEKEND'" in page.locator("body").inner_text()
    page.get_by_role("link", name="Terug naar het overzicht van Vlaanderen").click()
    page.wait_for_selector(".kpi-card")
    # The 404 (and chromium's console note about it) is the answer asked for; nothing else fails.
    expected = {f"HTTP 404: {url}",
                "console error: Failed to load resource: the server responded with a status of 404 (NOT FOUND)"}
    problems = page.problems  # type: ignore[attr-defined]
    assert set(problems) == expected, problems
