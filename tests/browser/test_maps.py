"""A person reads the Flanders map, opens a municipality from it, and explores a core-area map."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.figures import maps
from tests.browser.conftest import log_in
from tests.conftest import Server
from tests.outlet_frames import GROUPS, awkward_outlets

pytestmark = pytest.mark.browser

#: Plotly's own view of a graph: per trace its type, name, number of features and visibility.
TRACES_JS = """sel => Array.from(document.querySelector(sel).querySelector('.js-plotly-plot').data).map(t => ({
    type: t.type, name: t.name, n: (t.lat || t.locations || []).length, visible: t.visible}))"""


def _traces(page: Page, selector: str) -> list[dict]:
    return page.evaluate(TRACES_JS, selector)


def _visible_outlets(page: Page) -> int:
    # Not the counting points, nor the legal core's outline (a line of points, no outlet).
    return sum(t["n"] for t in _traces(page, "#kaart-map")
               if t["type"] == "scattermap" and t["visible"] is True
               and t["name"] not in ("Telpunten (passanten)", "Kernwinkelgebied (juridisch)"))


#: Where MapLibre draws the marker whose customdata[1] is the code, in viewport pixels.
MARKER_XY_JS = """([sel, code]) => {
    const gd = document.querySelector(sel).querySelector('.js-plotly-plot');
    for (const t of gd.data) {
        const i = (t.customdata || []).findIndex(c => c[1] === code);
        if (t.type === 'scattermap' && i >= 0) {
            const m = gd._fullLayout.map._subplot.map;
            const p = m.project([t.lon[i], t.lat[i]]);
            const r = m.getCanvas().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }
    }
}"""


def _click_marker(page: Page, selector: str, code: str) -> None:
    x, y = page.evaluate(MARKER_XY_JS, [selector, code])
    page.mouse.move(x, y)  # plotly picks the point under a hover first
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


def test_flanders_map_has_285_municipalities_and_5_provinces_and_a_click_opens_one(
        page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url + "/")
    selector = ".indicator-map"
    page.wait_for_function("document.querySelector('.indicator-map .js-plotly-plot')?.data?.length > 1")
    traces = _traces(page, selector)
    provinces = [t for t in traces if t["name"] == "Provincies"]
    assert provinces[0]["n"] == 5
    markers = [t for t in traces if t["type"] == "scattermap"]
    assert sum(t["n"] for t in markers) == 285
    assert "klassen" in page.locator("#home-map-note").inner_text()
    # Click Gent's marker where MapLibre draws it (mouse coordinates are the viewport's: scroll first).
    page.locator(selector).scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.indicator-map .js-plotly-plot')._fullLayout.map?._subplot?.map"
                           "?.loaded()")
    _click_marker(page, ".indicator-map", "44021")
    page.wait_for_url("**/gemeente/44021")
    page.wait_for_selector("#gem-kpis .kpi-card")
    assert page.locator("h1").inner_text() == "Gent"
    assert page.problems == []  # type: ignore[attr-defined]


def test_province_map_shows_only_its_municipalities(page: Page, demo_server: Server, demo_db: Path) -> None:
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        limburg = con.execute("select count(*) from ref_municipalities where province_code = '70000'").fetchall()[0][0]
    finally:
        con.close()
    page.goto(demo_server.url + "/provincie/70000")
    page.wait_for_function("document.querySelector('.indicator-map .js-plotly-plot')?.data?.length > 1")
    markers = [t for t in _traces(page, ".indicator-map") if t["type"] == "scattermap"]
    assert sum(t["n"] for t in markers) == limburg < 285
    assert page.problems == []  # type: ignore[attr-defined]


# The core map lists outlets one by one: each journey is Gent's own town-centre manager's, logged in.
def test_core_area_map_shows_areas_outlets_points_and_filters(page: Page, map_server: Server, map_db: Path) -> None:
    con = duckdb.connect(str(map_db), read_only=True)
    try:
        n_2025, n_mode, n_vacant = con.execute(
            "select count(*), count(*) filter (where branch_group = 'Mode & Luxe' and not is_vacant), "
            "count(*) filter (where is_vacant) "
            "from fct_outlets where nis_code = '44021' and year = 2025").fetchall()[0]
    finally:
        con.close()
    log_in(page, map_server, "gemeente", "44021", "An Peeters", "/gemeente/44021/kaart")
    page.wait_for_function("document.querySelector('#kaart-map .js-plotly-plot')?.data?.length > 5")
    traces = _traces(page, "#kaart-map")
    assert traces[0]["name"] == "Winkelgebieden" and traces[0]["n"] == 1
    # WG1 is flagged as legal core: its outline is drawn as one closed ring (a break ends it).
    rings = page.evaluate("document.querySelector('#kaart-map .js-plotly-plot').data[1].lat.filter(v => v === null)")
    assert traces[1]["name"] == "Kernwinkelgebied (juridisch)" and len(rings) == 1
    assert traces[-1]["name"] == "Telpunten (passanten)" and traces[-1]["n"] == 2
    assert _visible_outlets(page) == n_2025 == 11
    assert f"11 van de {n_2025} verkooppunten van 2025" in page.locator("#kaart-summary").inner_text()
    assert page.locator("#kaart-table tbody tr").count() == 1 + n_2025  # header row + one per outlet

    page.locator("#kaart-groups label", has_text="Mode & luxe").click()
    page.wait_for_function(f"document.querySelector('#kaart-summary')?.innerText.startsWith('{n_2025 - n_mode} van')")
    assert _visible_outlets(page) == n_2025 - n_mode
    # The table is its own callback: wait for it to list the same (header row + one per outlet).
    page.wait_for_function(f"document.querySelectorAll('#kaart-table tbody tr').length === {1 + n_2025 - n_mode}")

    page.locator("#kaart-vacancy-only").click()
    page.wait_for_function(f"document.querySelector('#kaart-summary')?.innerText.startsWith('{n_vacant} van')")
    assert _visible_outlets(page) == n_vacant == 5  # V1-V4 and E1, nothing occupied
    assert page.problems == []  # type: ignore[attr-defined]


def test_changes_since_shows_the_openings_closures_and_new_vacancies(page: Page, map_server: Server) -> None:
    log_in(page, map_server, "gemeente", "44021", "An Peeters", "/gemeente/44021/kaart?jaar=2025")
    page.wait_for_function("document.querySelector('#kaart-map .js-plotly-plot')?.data?.length > 5")
    page.locator("#kaart-since").click()
    page.get_by_role("option", name="2024").click()
    page.wait_for_function("document.querySelector('#kaart-summary')?.innerText.startsWith('Van 2024')")
    summary = page.locator("#kaart-summary").inner_text()
    assert "2 openingen, 3 sluitingen, 2 panden nieuw leeg" in summary
    changes = {t["name"]: t["n"] for t in _traces(page, "#kaart-map") if t["visible"] is True}
    assert changes["Geopend"] == 1 and changes["Nieuwe zaak (andere uitbater)"] == 1
    assert changes["Gesloten"] == 2 and changes["Nieuw leeg pand"] == 1
    assert "Dagelijkse artikelen" not in changes  # the ordinary outlet layers are off in this mode
    assert page.url.endswith("/gemeente/44021/kaart?jaar=2025&sinds=2024")  # a link that can be shared
    table = page.locator("#kaart-table").inner_text()
    assert "Bakkerij Gust" in table and "Nieuwe Zaak" in table and "ShoeB" in table
    assert page.problems == []  # type: ignore[attr-defined]


def test_clicking_a_counting_point_shows_its_trend(page: Page, map_server: Server) -> None:
    log_in(page, map_server, "gemeente", "44021", "An Peeters", "/gemeente/44021/kaart")
    page.wait_for_function("document.querySelector('#kaart-map .js-plotly-plot')?._fullLayout?.map?._subplot?.map"
                           "?.loaded()")
    page.locator("#kaart-map").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    _click_marker(page, "#kaart-map", "TP1")
    page.wait_for_selector("#kaart-point-title")
    assert page.locator("#kaart-point-title").inner_text() == "Telpunt Veldstraat"
    assert page.locator("#kaart-point .js-plotly-plot").count() == 2
    assert page.problems == []  # type: ignore[attr-defined]


def test_core_area_table_downloads_all_it_lists(page: Page, map_server: Server) -> None:
    log_in(page, map_server, "gemeente", "44021", "An Peeters", "/gemeente/44021/kaart?jaar=2025")
    page.wait_for_function("document.querySelector('#kaart-summary')?.innerText.includes('van de 11')")
    page.locator("#kaart-chain label", has_text="Ketens").click()
    page.wait_for_function("document.querySelector('#kaart-summary')?.innerText.startsWith('3 van')")  # O1 O3 N1
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV").click()
    assert info.value.suggested_filename == "kernkaart-44021-2025.csv"
    with open(info.value.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read()), delimiter=";"))
    assert sorted(r["Naam"] for r in rows) == ["ShoeB", "Winkel", "Winkel"]
    assert {r["Keten of zelfstandig"] for r in rows} == {"keten"}
    assert sorted(r["WVO (m²)"] for r in rows) == ["1000", "120", "200"]
    assert page.problems == []  # type: ignore[attr-defined]


#: Every point trace of the core map as plotly holds it: name, visibility, positions and hover values.
POINTS_JS = """() => Array.from(document.querySelector('#kaart-map .js-plotly-plot').data)
    .filter(t => t.type === 'scattermap').map(t => ({name: t.name, visible: t.visible, lon: t.lon, lat: t.lat,
                                                     customdata: t.customdata, hovertemplate: t.hovertemplate}))"""


def _map_of(page: Page, summary: str, expected: list[dict] | None = None) -> list[dict]:
    page.wait_for_function(f"document.querySelector('#kaart-summary')?.innerText.includes({summary!r})")
    page.wait_for_function("document.querySelector('#kaart-map .js-plotly-plot')?.data?.length > 5")
    if expected is None:
        page.wait_for_timeout(300)  # the points join the figure in the browser, just after the summary
    else:
        # The points join the figure after the summary, later on a busy machine: wait until they match, and
        # if they never do, let the caller's assertion show the difference.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(f"want => JSON.stringify(({POINTS_JS})()) === JSON.stringify(want)",
                                   arg=expected, timeout=10_000)
    return page.evaluate(POINTS_JS)


def _pick_year(page: Page, year: int) -> None:
    page.locator("#kaart-year").click()
    page.get_by_role("option", name=str(year), exact=True).click()


def test_a_year_switch_draws_exactly_the_map_a_direct_load_of_that_year_draws(page: Page, map_server: Server) -> None:
    # Switching sends the ids of the points the browser already holds and only the changed points in full.
    log_in(page, map_server, "gemeente", "44021", "An Peeters", "/gemeente/44021/kaart?jaar=2024")
    direct_2024 = _map_of(page, "verkooppunten van 2024")
    page.goto(f"{map_server.url}/gemeente/44021/kaart?jaar=2025")
    direct_2025 = _map_of(page, "verkooppunten van 2025")
    assert direct_2024 != direct_2025  # the fixture's outlets change between the years
    _pick_year(page, 2024)
    assert _map_of(page, "verkooppunten van 2024", direct_2024) == direct_2024
    _pick_year(page, 2025)  # back: from the points kept of both years
    assert _map_of(page, "verkooppunten van 2025", direct_2025) == direct_2025
    assert page.problems == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("id_prefix", ["", "LOC-"])
def test_the_browser_expands_the_dense_first_view_into_exactly_the_plain_points(page: Page, id_prefix: str) -> None:
    # The real script in chromium, against what the server sent before the dense form: same lon, lat, customdata.
    outlets = awkward_outlets(id_prefix)
    keys = maps.core_trace_keys(GROUPS)
    plain = {str(keys.index(k)): v for k, v in maps.outlet_layers(outlets, GROUPS).items()}
    page.set_content("<html><body></body></html>")
    page.add_script_tag(path=str(Path(maps.__file__).parent.parent / "assets" / "core-map.js"))
    dense = json.dumps(maps.dense_points(keys, outlets, GROUPS))
    expanded = page.evaluate("d => window.dash_clientside.coreMap.expand(JSON.parse(d))", dense)
    assert expanded == json.loads(json.dumps(plain))
    assert sum(len(t["customdata"]) for t in expanded.values()) == len(outlets)
