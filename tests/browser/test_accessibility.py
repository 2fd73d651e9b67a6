"""Every page of the three journeys passes axe-core (WCAG 2.1 A/AA) and does not scroll sideways on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import log_in, serious_violations
from tests.conftest import Server

pytestmark = pytest.mark.browser

#: The centrum manager (Mechelen), the province analyst (Limburg), the expert (an intake and the overview).
JOURNEYS = {
    "/": ".kpi-card",
    "/provincie/70000": "#prov-kpis .kpi-card",
    "/gemeente/12025": "#gem-kpis .kpi-card",
    "/gemeente/12025/kaart": "#kaart-table .dash-spreadsheet",
    "/gemeente/12025/fiche": "#fiche-dna-table",
    "/gemeente/12025/intake": "#intake-submit",
    "/intake": "#intake-list-province",
    "/bestaat-niet": "#zoek-q",  # an error page, in the app's frame
}
#: The pages with outlets or applications need an account: Mechelen's own for its core map, fiche and application,
#: VLAIO's for the overview (the demo server publishes its indicator pages).
ACCOUNTS = {"/gemeente/12025/kaart": ("gemeente", "12025"), "/gemeente/12025/fiche": ("gemeente", "12025"),
            "/gemeente/12025/intake": ("gemeente", "12025"), "/intake": ("vlaio", None)}
PHONE = 390


def _open(browser: Browser, server: Server, path: str, ready: str, width: int):
    context = browser.new_context(locale="nl-BE", viewport={"width": width, "height": 900})
    page = context.new_page()
    if path in ACCOUNTS:
        log_in(page, server, *ACCOUNTS[path], target=path)
    else:
        page.goto(server.url + path)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.parametrize("width", [1440, PHONE])
@pytest.mark.parametrize("path", list(JOURNEYS))
def test_no_serious_wcag_violation_and_no_sideways_scroll(browser: Browser, demo_server: Server, path: str,
                                                          width: int) -> None:
    context, page = _open(browser, demo_server, path, JOURNEYS[path], width)
    try:
        if width == PHONE:
            assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE
        bad = serious_violations(page)
        assert bad == [], bad
    finally:
        context.close()


def test_on_a_phone_the_navbar_folds_behind_a_menu_button(browser: Browser, demo_server: Server) -> None:
    context, page = _open(browser, demo_server, "/", ".kpi-card", PHONE)
    try:
        page.wait_for_selector(".navbar-toggler[aria-label='Menu openen of sluiten']")
        search = page.locator("#search-input")
        assert not search.is_visible()  # folded: the page starts under one line of navbar
        page.get_by_role("button", name="Menu openen of sluiten").click()
        search.wait_for(state="visible")
        page.get_by_role("button", name="Menu openen of sluiten").click()
        search.wait_for(state="hidden")
    finally:
        context.close()


def test_a_dropdown_opens_and_chooses_by_keyboard(browser: Browser, demo_server: Server) -> None:
    context, page = _open(browser, demo_server, "/intake", "#intake-list-province", 1440)
    try:
        page.wait_for_function("document.querySelector('#intake-list-province').tabIndex === 0")
        page.focus("#intake-list-province")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('#intake-list-province')"
                               ".getAttribute('aria-expanded') === 'true'")
        # The list's code arrives in an async chunk: keys pressed before its options are drawn go nowhere.
        page.locator(".dash-dropdown-option").nth(2).wait_for(state="visible")
        # The arrows move the choice from the list's search field, which takes the focus a moment after opening.
        page.wait_for_function("document.activeElement?.classList.contains('dash-dropdown-search')")
        # Each key moves the list's state, and the list applies it in its next frames (its focus follows in an
        # effect): let two frames pass after each key, as a person's typing always does.
        for key in ("ArrowDown", "ArrowDown", "Enter"):
            page.keyboard.press(key)
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.wait_for_function("document.querySelector('#intake-list-province').innerText !== 'Alle provincies'")
    finally:
        context.close()
