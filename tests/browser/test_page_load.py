"""A page load in the browser: the page comes with the first layout, and a reload asks the server for no file."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page

from tests.conftest import Server

pytestmark = pytest.mark.browser

#: The static files a load fetched over the network (a file the browser kept shows 0 bytes transferred).
FETCHED_FILES_JS = """() => performance.getEntriesByType('resource')
    .filter(r => /\\/(assets|vendor|_dash-component-suites)\\//.test(r.name) && r.transferSize > 0)
    .map(r => r.name)"""


def _callbacks(page: Page) -> list[str]:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(json.loads(r.post_data or "{}").get("output", ""))
            if "/_dash-update-component" in r.url else None)
    return asked


def test_a_page_comes_with_its_first_layout_and_a_reload_fetches_no_file(page: Page, demo_server: Server) -> None:
    asked = _callbacks(page)
    files: list[str] = []
    page.on("request", lambda r: files.append(r.url) if "/_dash-component-suites/" in r.url else None)
    page.goto(demo_server.url + "/gemeente/44021?jaar=2024")
    page.wait_for_selector("#gem-kpis .kpi-card")
    page.wait_for_selector("#gem-trend .js-plotly-plot")
    assert page.locator("h1").inner_text() == "Gent"
    assert "2024" in page.locator("#gem-year").inner_text()  # the address's year, as the router gave it
    page.wait_for_function("document.title === 'Smart Retail · gemeente'")
    assert not [o for o in asked if "_pages_content" in o]  # the page router was not asked
    assert any("gem-kpis" in o for o in asked), asked
    # Every lazily loaded part came from the index's fingerprinted addresses, none from Dash's bare ones.
    assert not [f for f in files if f.split("?")[0].endswith(("/async-graph.js", "/async-dropdown.js",
                                                               "/async-table.js", "/plotly.min.js"))]
    page.wait_for_load_state("networkidle")
    page.reload()
    page.wait_for_selector("#gem-kpis .kpi-card")
    page.wait_for_selector("#gem-trend .js-plotly-plot")
    assert page.evaluate(FETCHED_FILES_JS) == []
    # Another page still comes through the router, as before.
    asked.clear()
    page.locator(".breadcrumb a", has_text="Oost-Vlaanderen").click()
    page.wait_for_url("**/provincie/40000")
    page.wait_for_selector("#prov-kpis .kpi-card")
    assert any("_pages_content" in o for o in asked)
    assert page.problems == []  # type: ignore[attr-defined]


def test_a_first_layout_made_for_another_address_is_replaced_by_the_router(page: Page, demo_server: Server) -> None:
    """A browser whose Referer names another page of the app (an extension rewriting it) gets the page it shows."""
    page.set_extra_http_headers({"Referer": demo_server.url + "/provincie/40000"})
    asked = _callbacks(page)
    page.goto(demo_server.url + "/gemeente/44021")
    page.wait_for_selector("#gem-kpis .kpi-card")
    assert page.locator("h1").inner_text() == "Gent"
    assert any("_pages_content" in o for o in asked)
    assert page.problems == []  # type: ignore[attr-defined]
