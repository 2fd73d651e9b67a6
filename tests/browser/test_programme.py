"""The programme's loop in the browser, by the roles: a municipality applies (the form names the call), VLAIO
selects it and composes the team, the expert of the team logs a session and evaluates, the municipality approves,
and the card is in De Vitrine and under "gemeenten zoals de uwe" of a similar municipality. Then every programme
page passes axe-core at 1440 and 390 px without sideways scrolling."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.data.db import Database
from dashboard.intake.models import EXPERTS
from dashboard.intake.store import open_store
from dashboard.programme.demo import build_demo
from dashboard.programme.figures import profiles
from dashboard.programme.similarity import most_similar
from dashboard.programme.store import Programme
from tests.accounts import server_account
from tests.browser.conftest import log_in, serious_violations
from tests.conftest import Server

pytestmark = pytest.mark.browser
MECHELEN = "12025"
FORM = {"contact_name": "Els Wouters", "email": "els.wouters@mechelen.be", "department": "Lokale economie",
        "phone": "015 29 76 54", "challenge": "De leegstand in de Bruul loopt op.", "expectations": "Een actieplan.",
        "retail_policy": "Detailhandelsplan 2023.", "means_capacity": "Een centrummanager.",
        "departments_involvement": "Economie, mobiliteit en cultuur."}


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[Server]:
    """A gunicorn on the demo with the synthetic programme, a call open until 2099 and an expert with an account."""
    srv = Server(demo_db)
    store = open_store(f"sqlite:///{srv.intake_db}")
    build_demo(store, Database(demo_db))
    p = Programme(store)
    p.create_call("Oproep lopend", date(2025, 1, 1), date(2099, 12, 31), date(2100, 1, 4), 5, 100_000, 120)
    email = server_account(srv.intake_db, "expert", name="Griet")
    p.add_expert("Griet Aerts", "persoon", list(EXPERTS), 800, 6, email)
    store.engine.dispose()
    yield srv
    srv.stop()


def _alert(page: Page, selector: str, text: str) -> None:
    expect(page.locator(selector)).to_contain_text(text, timeout=20_000)


def _choose(page: Page, dropdown: str, text: str) -> None:
    page.click(dropdown)
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_the_loop_from_application_to_vitrine(page: Page, server: Server, demo_db: Path) -> None:
    # The municipality applies; before submitting, the form names the call.
    log_in(page, server, "gemeente", MECHELEN, "Els Wouters", f"/gemeente/{MECHELEN}/intake")
    _alert(page, "#intake-call-note", "telt mee in 'Oproep lopend'")
    expect(page.locator("#like-yours")).to_contain_text("Gemeenten zoals de uwe", timeout=20_000)  # its own callback
    for name, value in FORM.items():
        page.fill(f"#intake-f-{name}", value)
    page.locator("#intake-f-zone_area_ids label").first.click()
    page.click("#intake-submit")
    _alert(page, "#intake-alert", "telt mee in 'Oproep lopend'")
    expect(page).to_have_url(re.compile(r"aanvraag=\d+$"))
    number = int(page.url.rsplit("=", 1)[1])

    # VLAIO reviews the call and selects it, with a reason.
    store = open_store(f"sqlite:///{server.intake_db}")
    p = Programme(store)
    call = next(c for c in p.calls() if c.name == "Oproep lopend")
    page.goto(server.url + "/logout")
    log_in(page, server, "vlaio", None, "Bart Claes", f"/oproepen/{call.id}")
    expect(page.locator("#call-applications")).to_contain_text("Mechelen")
    _choose(page, "#call-pick", "Mechelen")
    _alert(page, "#call-detail", "5B-signalen uit de data")
    _no_violations(page)
    page.locator("#call-decision label", has_text=re.compile(r"^geselecteerd$")).click()
    page.fill("#call-reason", "Stijgende leegstand, sterke aanvraag")
    page.click("#call-save")
    _alert(page, "#call-alert", f"aanvraag {number} – geselecteerd")
    assert p.candidacy(number).decision == "geselecteerd"
    letter = page.request.get(f"{server.url}/oproepen/{call.id}/brief-{number}.pdf")
    assert letter.ok and letter.body().startswith(b"%PDF")

    # VLAIO moves it to intake (which freezes the baseline) and to coaching on the overview, then composes the team.
    page.goto(f"{server.url}/intake?aanvraag={number}")
    expect(page.locator("#intake-list-detail")).to_contain_text(f"Aanvraag nr. {number} – Mechelen")
    _no_violations(page)
    for step in ("intake", "coaching"):
        # The step's form is drawn anew after each step: choose in the one that is there now.
        expect(page.locator(f"#intake-list-move-to option[value='{step}']")).to_have_count(1, timeout=60_000)
        page.select_option("#intake-list-move-to", step)
        page.click("#intake-list-move")
        expect(page.locator("#intake-list-steps li.current")).to_contain_text(step.capitalize(), timeout=60_000)
    assert store.get(number).status == "coaching" and store.baselines(number)
    app = store.get(number)
    page.goto(f"{server.url}/trajecten/{number}")
    _no_violations(page)
    # The form's rows hold the profiles the application chose, with 3 days each, and no expert yet.
    if not (app.experts or {}).get("chosen"):
        _choose(page, "#traj-slot-profile-0", "Retailvastgoed")
        _choose(page, "#traj-slot-days-0", "4")
    _choose(page, "#traj-slot-expert-0", "Griet")
    page.click("#traj-team-save")
    _alert(page, "#traj-team-message", "Team bewaard: 1 experten")
    expect(page.locator("#traj-team")).to_contain_text("Griet Aerts")

    # The expert of the team logs a session and writes the evaluation.
    page.goto(server.url + "/logout")
    log_in(page, server, "expert", None, "Griet", f"/trajecten/{number}")
    expect(page.locator("#traj-log-box")).to_be_visible()
    _no_violations(page)
    _choose(page, "#traj-s-experts", "Griet")
    page.fill("#traj-s-departments", "lokale economie, mobiliteit")
    page.fill("#traj-s-notes", "Kick-off met de diensten en de handelaars.")
    page.click("#traj-s-save")
    _alert(page, "#traj-log-message", "Sessie bewaard")
    page.fill("#traj-e-title", "Een wisselwinkel in de Bruul")
    _choose(page, "#traj-e-concepts", "de wisselwinkel")
    for key, text in (("e-summary", "Een pand per kwartaal voor starters."), ("e-worked", "De eigenaars deden mee."),
                      ("e-worked-less", "De communicatie kwam laat."), ("e-next", "Een tweede pand.")):
        page.fill(f"#traj-{key}", text)
    page.click("#traj-e-save")
    _alert(page, "#traj-eval-message", "Evaluatie bewaard")
    assert store.get(number).status == "evaluatie"

    # The municipality approves the Vitrine summary.
    page.goto(server.url + "/logout")
    log_in(page, server, "gemeente", MECHELEN, "Els Wouters", f"/trajecten/{number}")
    expect(page.locator("#traj-approve")).to_be_visible()
    _no_violations(page)
    page.click("#traj-approve")
    _alert(page, "#traj-eval-message", "de kaart staat in De Vitrine")

    # Public: the card in De Vitrine, and under "gemeenten zoals de uwe" of a municipality like Mechelen.
    page.goto(server.url + "/logout")
    page.goto(server.url + "/vitrine")
    page.fill("#vitrine-text", "Mechelen")
    page.keyboard.press("Enter")
    expect(page.locator(f"#kaart-{number}")).to_contain_text("Een wisselwinkel in de Bruul", timeout=20_000)
    _no_violations(page)
    published = {a.nis_code for _, a in p.published()}
    frame = profiles(Database(demo_db))
    like = next(nis for nis in sorted(frame["nis_code"]) if nis != MECHELEN and MECHELEN in
                {s.nis_code for s in most_similar(frame, nis, among=published - {nis})})
    # The indicator pages need an account by default: that municipality's own.
    log_in(page, server, "gemeente", like, "Centrummanager", f"/gemeente/{like}")
    expect(page.locator("#like-yours")).to_contain_text("Mechelen", timeout=20_000)
    _no_violations(page)
    # Its link lands on the Vitrine page that holds the card (paged: 12 a page), scrolled to it and focused.
    page.locator("#like-yours a", has_text="Mechelen").click()
    expect(page).to_have_url(f"{server.url}/vitrine?kaart={number}")
    card = page.locator(f"#kaart-{number}")
    expect(card).to_contain_text("Een wisselwinkel in de Bruul", timeout=20_000)
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()
    store.engine.dispose()


def _no_violations(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    bad = serious_violations(page)
    assert bad == [], f"{page.url}: {bad}"


def test_a_card_link_lands_on_its_page_among_the_pages_of_the_vitrine(page: Page, server: Server) -> None:
    store = open_store(f"sqlite:///{server.intake_db}")
    ids = [a.id for _, a in Programme(store).published()]
    store.engine.dispose()
    assert len(ids) > 24  # the demo's cards fill more than two pages of twelve
    last = ids[-1]  # the oldest approval: on the last page
    page.goto(f"{server.url}/vitrine?kaart={last}")
    card = page.locator(f"#kaart-{last}")
    expect(card).to_be_focused(timeout=20_000)
    expect(card).to_be_in_viewport()
    pages = -(-len(ids) // 12)
    expect(page.locator("#vitrine-count")).to_contain_text(f"op pagina {pages} van {pages}")
    expect(page.locator(".vitrine-card")).to_have_count(len(ids) - 12 * (pages - 1))
    # The pages keep a search: page 2 of the address, then a filter brings the first page back, in the address too.
    page.goto(f"{server.url}/vitrine?pagina=2")
    expect(page.locator("#vitrine-count")).to_contain_text("13–24 op pagina 2")
    page.locator("#vitrine-pager a", has_text="Volgende").click()
    expect(page).to_have_url(f"{server.url}/vitrine?pagina=3")
    expect(page.locator("#vitrine-count")).to_contain_text("25–36 op pagina 3")
    _choose(page, "#vitrine-challenge", "leegstand")
    expect(page).to_have_url(f"{server.url}/vitrine?uitdaging=leegstand")
    assert page.locator(".vitrine-card").count() <= 12
    assert page.request.get(f"{server.url}/vitrine?pagina=nul").status == 400


PAGES = {"/oproepen": ("vlaio", "#calls-list"), "/oproepen/4": ("vlaio", "#call-map .js-plotly-plot"),
         "/trajecten/1": ("vlaio", "#traj-eval-box"), "/vitrine": (None, ".vitrine-card"),
         "/experten": ("vlaio", "#roster-table"), "/vitrine?pagina=5": (None, "#vitrine-pager")}


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("path", list(PAGES))
def test_the_programme_pages_pass_axe_and_do_not_scroll_sideways(browser: Browser, server: Server, path: str,
                                                                 width: int) -> None:
    context = browser.new_context(locale="nl-BE", viewport={"width": width, "height": 900})
    page = context.new_page()
    role, ready = PAGES[path]
    try:
        if role:
            log_in(page, server, role, target=path)
        else:
            page.goto(server.url + path)
        page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        bad = serious_violations(page)
        assert bad == [], bad
    finally:
        context.close()
