"""In chromium: the login, the Content-Security-Policy that Dash works under, and a page that is not yours."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.conftest import Server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(map_db: Path) -> Iterator[Server]:
    server = Server(map_db)
    yield server
    server.stop()


def test_dash_runs_under_the_csp_on_the_home_and_the_intake_page(page: Page, server: Server) -> None:
    response = page.goto(server.url + "/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.wait_for_selector(".kpi-card")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace")  # plotly drew under the policy
    page.goto(server.url + "/gemeente/44021/intake")
    expect(page).to_have_url(server.url + "/login?volgende=%2Fgemeente%2F44021%2Fintake")
    log_in(page, server, "gemeente", "44021", "An Peeters", "/gemeente/44021/intake")
    expect(page.locator("#intake-fivb-0 li").first).to_be_visible(timeout=20_000)
    expect(page.locator("#intake-author")).to_have_value("An Peeters")
    page.fill("#intake-f-challenge", "Leegstand in de Veldstraat.")
    page.click("#intake-save")
    expect(page.locator("#intake-alert")).to_contain_text("versie 1", timeout=15_000)
    expect(page.locator("#intake-history")).to_contain_text("An Peeters", timeout=15_000)
    assert not [p for p in page.problems if "Content Security Policy" in p], page.problems  # type: ignore[attr-defined]
    assert page.problems == [], page.problems  # type: ignore[attr-defined]


def test_another_municipality_s_page_is_refused_inside_the_app(page: Page, server: Server) -> None:
    log_in(page, server, "gemeente", "44021", "An Peeters", "/gemeente/11002/intake")  # a new one for Antwerpen
    expect(page.locator(".refusal")).to_contain_text("Geen toegang", timeout=20_000)
