"""What the three users see on their way: the centrum manager's vacancy lists, the analyst's one indicator, the
Dutch charts, the search that closes, the frame that stays."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import log_in
from tests.conftest import Server

pytestmark = pytest.mark.browser

TRACES = """sel => document.querySelector(sel).querySelector('.js-plotly-plot').data.map(
    t => ({name: t.name, visible: t.visible, n: (t.lat || t.locations || []).length}))"""


def _cells(page: Page, table: str, column: str) -> list[str]:
    return page.locator(f"#{table} td[data-dash-column='{column}']").all_inner_texts()


def test_the_centrum_manager_lists_the_structurally_vacant_units_of_one_street(page: Page,
                                                                               demo_server: Server) -> None:
    # Outlet-level pages need an account: Mechelen's own centrum manager.
    log_in(page, demo_server, "gemeente", "12025", target="/gemeente/12025/kaart")
    page.wait_for_selector("#kaart-table td[data-dash-column='name']")
    page.wait_for_selector("#kaart-streets td[data-dash-column='street']")
    page.get_by_label("Alleen leegstaande panden").check()
    page.get_by_label("≤ 1 j").uncheck()
    page.get_by_label("1–3 j").uncheck()
    page.wait_for_function("[...document.querySelectorAll(\"#kaart-table td[data-dash-column='vacancy_label']\")]"
                           ".every(td => td.innerText === 'Leeg > 3 jaar')")
    # The table and the map are answers of their own: the map may be drawn a moment after the table.
    page.wait_for_function(f"""() => {{ const shown = Object.fromEntries(({TRACES})('#kaart-map')
                               .map(t => [t.name, t.visible]));
                           return shown['Leeg > 3 jaar'] === true && shown['Leeg ≤ 1 jaar'] === false
                               && shown['Leeg 1–3 jaar'] === false; }}""")
    # The street with the most structural vacancy, then only its units.
    first = _cells(page, "kaart-streets", "street")[0]
    page.get_by_label("Zoek een straat").fill(first.lower())
    page.get_by_label("Zoek een straat").press("Enter")
    page.wait_for_function(f"""[...document.querySelectorAll("#kaart-streets td[data-dash-column='street']")]
                           .map(td => td.innerText).join() === {first!r}""")
    page.wait_for_function(f"""[...document.querySelectorAll("#kaart-table td[data-dash-column='address']")]
                           .every(td => td.innerText.startsWith({first!r}))""")
    structural = int(_cells(page, "kaart-streets", "structural")[0])
    assert len(_cells(page, "kaart-table", "address")) == structural > 0
    assert page.problems == []  # type: ignore[attr-defined]


def test_closed_and_new_vacant_units_differ_and_the_legal_core_has_a_legend_symbol(page: Page,
                                                                                   demo_server: Server) -> None:
    log_in(page, demo_server, "gemeente", "12025", target="/gemeente/12025/kaart?sinds=2020")
    page.wait_for_function("document.querySelector('#kaart-map .js-plotly-plot')?.data?.length > 5")
    colours = page.evaluate("""() => Object.fromEntries(document.querySelector('#kaart-map .js-plotly-plot').data
                               .map(t => [t.name, t.marker?.color]))""")
    assert colours["Gesloten"] != colours["Nieuw leeg pand"]
    legend = page.locator("#kaart-map .legend .traces", has_text="Kernwinkelgebied (juridisch)")
    style = legend.locator(".legendlines path").first.get_attribute("style") or ""
    assert "stroke: rgb(142, 31, 31)" in style
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_municipality_reaches_the_core_over_five_years_in_one_click(page: Page, demo_server: Server) -> None:
    log_in(page, demo_server, "gemeente", "12025", target="/gemeente/12025")  # the fiche is outlet-level
    page.wait_for_selector("#gem-kpis .kpi-card")
    page.get_by_role("link", name="De kern over vijf jaar (DNA-fiche) →").click()
    page.wait_for_url("**/gemeente/12025/fiche#fiche-dna")
    page.wait_for_selector("#fiche-dna-table")
    page.wait_for_function("(() => { const r = document.querySelector('#fiche-dna').getBoundingClientRect();"
                           " return r.top >= -2 && r.top < window.innerHeight; })()")
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_analyst_picks_one_indicator_for_ranking_and_map_and_marks_a_municipality(page: Page,
                                                                                     demo_server: Server) -> None:
    page.goto(demo_server.url + "/")
    page.wait_for_selector(".kpi-card")
    page.get_by_role("link", name="Limburg").click()
    page.wait_for_url("**/provincie/70000")
    page.wait_for_function("document.querySelector('.indicator-map .js-plotly-plot')?.data?.length > 1")
    assert page.locator("#prov-map-indicator").count() == 0  # one picker for the whole page
    page.locator("#prov-indicator").click()
    page.get_by_role("option", name="Aandeel ketens (aantal) – detailhandel").click()
    page.wait_for_url("**/provincie/70000?jaar=*&indicator=chain_share_count_pct")
    page.wait_for_function("document.querySelector('.indicator-map .legendtitletext')?.textContent"
                           ".startsWith('Aandeel ketens (aantal)')")
    page.locator("#prov-highlight").click()
    page.get_by_role("option", name="Hasselt").click()
    page.wait_for_function("""document.querySelector('.indicator-map .js-plotly-plot').data
                           .some(t => t.name === 'Gemarkeerd: Hasselt')""")
    assert page.problems == []  # type: ignore[attr-defined]
    # The address opens the same view, by link or bookmark.
    bookmark = page.context.new_page()
    bookmark.goto(page.url)
    bookmark.wait_for_function("document.querySelector('.indicator-map .legendtitletext')?.textContent"
                               ".startsWith('Aandeel ketens (aantal)')")


def test_the_scatter_legend_keeps_clear_of_its_axis_title(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/provincie/70000")
    page.wait_for_selector("#prov-scatter .xtitle")
    page.locator("#prov-highlight").click()
    page.get_by_role("option", name="Hasselt").click()
    page.wait_for_selector("#prov-scatter .legend")
    box = page.evaluate("""() => {
        const a = document.querySelector('#prov-scatter .legend').getBoundingClientRect();
        const b = document.querySelector('#prov-scatter .xtitle').getBoundingClientRect();
        return a.bottom <= b.top || b.bottom <= a.top;
    }""")
    assert box is True
    assert page.problems == []  # type: ignore[attr-defined]


def test_charts_speak_dutch_with_only_working_buttons_and_full_numbers(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/gemeente/12025")
    page.wait_for_selector("#gem-trend .modebar-btn")
    titles = page.locator("#gem-trend .modebar-btn").evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")
    assert "Grafiek opslaan als PNG-afbeelding" in titles
    english_or_dead = {"Box Select", "Lasso Select", "Download plot as a PNG", "Toggle Spike Lines", "Share chart..."}
    assert not english_or_dead & set(titles)
    # Dash's dropdown speaks Dutch inside too.
    page.locator("#gem-peer-pick").click()
    page.wait_for_selector("input[placeholder='Zoeken']")
    assert page.get_by_text("Select All").count() == 0 and page.get_by_text("Alles kiezen").count() == 1
    page.keyboard.press("Escape")
    page.goto(demo_server.url + "/")
    page.wait_for_selector("#home-trend .ytick text")
    ticks = page.locator("#home-trend .ytick text").all_text_contents()
    assert ticks and not any(t.endswith("k") for t in ticks)
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_search_list_closes_after_a_choice(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/")
    page.wait_for_selector(".kpi-card")
    page.locator("#search-input").fill("Mechelen")
    page.locator("#search-results a", has_text="Mechelen").first.click()
    page.wait_for_url("**/gemeente/12025")
    page.wait_for_function("document.querySelector('#search-input').value === '' && "
                           "!document.querySelector('#search-results a')")
    assert page.problems == []  # type: ignore[attr-defined]


def test_an_unknown_address_keeps_the_frame_and_its_search_works(page: Page, demo_server: Server) -> None:
    response = page.goto(demo_server.url + "/bestaat-niet")
    assert response is not None and response.status == 404
    assert page.locator("nav.navbar").is_visible() and page.locator("#synthetic-notice").is_visible()
    page.get_by_label("Zoek een gemeente").fill("2800")
    page.get_by_label("Zoek een gemeente").press("Enter")
    page.wait_for_url("**/gemeente/12025")
    page.wait_for_selector("#gem-kpis .kpi-card")


def test_each_chart_has_a_summary_and_a_table_of_its_values_for_keyboard_and_screen_reader(
        page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/gemeente/12025")
    page.wait_for_selector("#gem-trend details.chart-text table", state="attached")
    trend = page.locator("#gem-trend .js-plotly-plot")
    assert trend.get_attribute("role") == "figure"
    label = trend.get_attribute("aria-label") or ""
    assert "Mechelen (alle verkooppunten): 11 waarden van" in label
    # Reached with the keyboard: Tab to the summary, Enter opens the table.
    details = page.locator("#gem-trend details.chart-text")
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    years = details.locator("tbody th").all_inner_texts()
    assert years[0] == "2015" and years[-1] == "2025" and len(years) == 11  # years as years, not "2.015"
    mine = page.evaluate("""() => {
        const gd = document.querySelector('#gem-trend .js-plotly-plot');
        const t = gd.data.find(d => d.name === 'Mechelen (alle verkooppunten)');
        return t.y[t.y.length - 1];
    }""")
    header = details.locator("thead th").all_inner_texts()
    last = details.locator("tbody tr").last.locator("td").all_inner_texts()
    shown = last[header.index("Mechelen (alle verkooppunten)") - 1]
    assert shown == f"{mine:.1f}".replace(".", ",").removesuffix(",0")
    # A card's sparkline is named, not tabled: its card writes the trend out.
    assert page.locator("#gem-kpis details.chart-text").count() == 0
    assert page.problems == []  # type: ignore[attr-defined]


def test_a_new_application_starts_from_the_overview_and_names_the_areas_of_its_zone(
        page: Page, demo_server: Server) -> None:
    log_in(page, demo_server, "vlaio", target="/intake")
    page.wait_for_selector("#intake-list-new")
    assert "Een nieuwe aanvraag begint de gemeente zelf" in page.locator("#intake-list-new").inner_text()
    page.context.clear_cookies()
    log_in(page, demo_server, "gemeente", "31042", target="/intake")
    page.get_by_role("link", name="Nieuwe aanvraag voor Zuienkerke →").click()
    page.wait_for_url("**/gemeente/31042/intake")
    page.wait_for_selector("#intake-zone-map .legendtext")
    legend = page.locator("#intake-zone-map .legendtext").all_text_contents()
    assert legend and all(t.startswith(("Centrum Zuienkerke (", "Zuienkerke")) and t.endswith(")") for t in legend), \
        legend
    assert page.problems == []  # type: ignore[attr-defined]


def test_on_a_phone_the_menu_folds_again_after_a_search_result(browser, demo_server: Server) -> None:
    context = browser.new_context(locale="nl-BE", viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        page.goto(demo_server.url + "/")
        page.wait_for_selector(".kpi-card")
        page.get_by_role("button", name="Menu openen of sluiten").click()
        page.locator("#search-input").fill("2800")
        page.locator("#search-results a", has_text="Mechelen").first.click()
        page.wait_for_url("**/gemeente/12025")
        page.locator("#search-input").wait_for(state="hidden")  # folded: the page, not the menu, fills the phone
    finally:
        context.close()


def test_on_a_phone_the_core_map_legend_sits_under_the_map_not_over_it(browser, demo_server: Server) -> None:
    # Fifteen entries wrap into twice the rows at 390 px that the server's margin keeps for them.
    context = browser.new_context(locale="nl-BE", viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        log_in(page, demo_server, "gemeente", "12025", target="/gemeente/12025/kaart")
        page.wait_for_selector("#kaart-map .legend .traces")
        page.wait_for_function("""() => {
            const g = document.querySelector('#kaart-map .js-plotly-plot');
            const need = document.querySelector('#kaart-map .legend').getBBox().height;
            return g && g.layout && g.layout.margin.b >= need;  // the figure made room, or never lacked it
        }""", timeout=20_000)
        legend = page.locator("#kaart-map .legend").bounding_box()
        canvas = page.locator("#kaart-map .maplibregl-map").first.bounding_box()  # the canvas inside is clipped to it
        assert legend is not None and canvas is not None
        assert legend["y"] >= canvas["y"] + canvas["height"] - 2, (legend, canvas)
    finally:
        context.close()
