"""In chromium: the login, the Content-Security-Policy that Dash works under, and what is not yours."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard.intake.store import open_store
from tests.browser.conftest import log_in
from tests.conftest import Server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(map_db: Path) -> Iterator[Server]:
    server = Server(map_db)  # the default: the indicator pages need a login too
    yield server
    server.stop()


def test_dash_runs_under_the_csp_on_the_home_and_the_intake_page(page: Page, server: Server) -> None:
    response = page.goto(server.url + "/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    expect(page).to_have_url(server.url + "/login?volgende=%2F")  # nothing without a login by default
    log_in(page, server, "gemeente", "44021", "An Peeters", "/")
    page.wait_for_selector(".kpi-card")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace")  # plotly drew under the policy
    page.goto(server.url + "/gemeente/44021/intake")
    expect(page.locator("#intake-fivb-0 li").first).to_be_visible(timeout=20_000)
    assert not [p for p in page.problems if "Content Security Policy" in p], page.problems  # type: ignore[attr-defined]
    assert page.problems == [], page.problems  # type: ignore[attr-defined]


def test_a_municipality_edits_its_own_application_and_cannot_open_another_s(page: Page, server: Server) -> None:
    store = open_store(f"sqlite:///{server.intake_db}")
    theirs = store.create_draft("11002", "Antwerpen", {"contact_name": "Contact Antwerpen"}).id
    store.engine.dispose()
    log_in(page, server, "gemeente", "44021", "An Peeters", "/gemeente/44021/intake")
    expect(page.locator("#intake-author")).to_have_value("An Peeters")  # the account's name, not typed
    page.fill("#intake-f-challenge", "Leegstand in de Veldstraat.")
    page.click("#intake-save")
    expect(page.locator("#intake-alert")).to_contain_text("versie 1", timeout=15_000)
    expect(page.locator("#intake-history")).to_contain_text("An Peeters", timeout=15_000)

    # Antwerpen's application, by its number: as if it did not exist, inside the app's frame.
    page.goto(f"{server.url}/gemeente/11002/intake?aanvraag={theirs}")
    expect(page.locator("body")).to_contain_text(f"geen aanvraag met nummer '{theirs}'", timeout=20_000)
    expect(page.locator("body")).not_to_contain_text("Contact Antwerpen")
    # Antwerpen's core map lists outlets one by one: 403, the refusal drawn in the app's frame, menu and all.
    response = page.goto(server.url + "/gemeente/11002/kaart")
    assert response is not None and response.status == 403
    expect(page.locator(".refusal")).to_contain_text("Geen toegang", timeout=20_000)
    expect(page.locator(".refusal")).to_contain_text("ziet de winkels van deze gemeente niet")
    expect(page.locator("nav.navbar")).to_be_visible()
    assert page.locator("#kaart-map").count() == 0
    # A new application in Antwerpen's name, reached by a link inside the app: refused there too.
    page.goto(server.url + "/gemeente/11002/intake")
    expect(page.locator(".refusal")).to_contain_text("Geen toegang", timeout=20_000)
    problems = [p for p in page.problems if "403" not in p]  # type: ignore[attr-defined]
    assert problems == [], problems
