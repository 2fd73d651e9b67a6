"""Map building blocks: colour classes, map framing, geometry steps and the core-area map's rules."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely

from dashboard.features.core_map import mapdata
from dashboard.figures import maps
from data_pipelines import geo
from data_pipelines.classes import breaks
from tests.outlet_frames import GROUPS, awkward_outlets

# -- colour classes --------------------------------------------------------------------------------


def classed(values: object, scheme: str = "quantielen", k: int = 5, **kwargs: object) -> maps.Classes:
    """Class ``values`` on the breaks the build would store for them."""
    return maps.classify(values, breaks(values, scheme, k), **kwargs)


def test_quantile_classes_hold_equal_counts_and_dutch_labels() -> None:
    values = pd.Series([float(v) for v in range(1, 11)] + [np.nan])
    c = classed(values, "quantielen", k=5, decimals=1, unit="%")
    assert c.counts == [2, 2, 2, 2, 2]
    assert c.labels[0] == "1,0 – 2,0 %" and c.labels[-1] == "9,0 – 10,0 %"
    assert c.index.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1]  # the missing value has no class


def test_natural_breaks_split_clear_clusters() -> None:
    c = classed([1.0, 1.1, 1.2, 10.0, 10.5, 50.0], "natuurlijk", k=3, decimals=1)
    assert c.index.tolist() == [0, 0, 0, 1, 1, 2]
    assert c.labels == ["1,0 – 1,2", "10,0 – 10,5", "50,0"]  # a one-value class is written once


def test_few_distinct_values_give_fewer_classes() -> None:
    c = classed([5.0, 5.0, 5.0, np.nan], "quantielen", k=5, unit="%")
    assert c.labels == ["5,0 %"] and c.counts == [3]
    assert classed([np.nan, np.nan]).labels == []


def test_dark_means_bad_where_lower_is_better_and_good_where_higher_is_better() -> None:
    def darkness(color: str) -> int:
        return -sum(int(x) for x in color[4:-1].split(","))

    for better in (False, True, None):
        c = classed(list(range(20)), k=4, higher_is_better=better)
        assert darkness(c.colors[-1]) > darkness(c.colors[0])
    assert classed(list(range(20)), k=4, higher_is_better=False).colors != \
        classed(list(range(20)), k=4, higher_is_better=True).colors


def test_bounds_not_ascending_are_refused() -> None:
    with pytest.raises(ValueError, match="niet oplopend"):
        maps.classify([1.0, 2.0], [2.0, 1.0])


# -- framing, layers, figures ----------------------------------------------------------------------

def test_fit_view_frames_a_box_and_zooms_in_on_a_smaller_one() -> None:
    centre, zoom = maps.fit_view(2.54, 50.68, 5.92, 51.51, width=1100, height=560)  # Flanders
    assert 2.54 < centre["lon"] < 5.92 and 50.68 < centre["lat"] < 51.51
    assert 6.0 < zoom < 8.5
    _, zoom_half = maps.fit_view(2.54, 50.68, 2.54 + 3.38 / 2, 50.68 + 0.83 / 2, width=1100, height=560)
    assert zoom_half == pytest.approx(zoom + 1, abs=0.05)
    _, zoom_point = maps.fit_view(4.0, 51.0, 4.0, 51.0)
    assert zoom_point == 17.0  # a single point is capped, not infinite


GRB = maps.TileSource("https://geo.api.vlaanderen.be/GRB/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=grb_bsk"
                      "&TILEMATRIXSET=GoogleMapsVL&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=image/png",
                      "© Digitaal Vlaanderen")


def test_the_street_tiles_lie_under_the_traces_with_their_attribution_on_a_white_fallback() -> None:
    assert maps.map_layout({"lon": 4, "lat": 51}, 8, tiles=None)["map"]["layers"] == []
    layout = maps.map_layout({"lon": 4, "lat": 51}, 8, tiles=GRB)
    (layer,) = layout["map"]["layers"]
    assert layer["source"] == [GRB.url] and layer["sourceattribution"] == "© Digitaal Vlaanderen"
    assert layer["below"] == "traces" and layer["sourcetype"] == "raster"
    # Tiles that cannot load leave the white style under the outlines: the map still reads.
    assert layout["map"]["style"] == "white-bg"


def test_the_tile_origin_is_scheme_and_host_only() -> None:
    assert GRB.origin() == "https://geo.api.vlaanderen.be"
    assert maps.TileSource("http://127.0.0.1:8089/{z}/{x}/{y}.png", "x").origin() == "http://127.0.0.1:8089"


def _provinces() -> pd.DataFrame:
    square = shapely.box(3.0, 50.8, 4.0, 51.2)
    return pd.DataFrame({"code": ["40000"], "name": ["Oost-Vlaanderen"], "geojson": [shapely.to_geojson(square)],
                         "min_lon": [3.0], "min_lat": [50.8], "max_lon": [4.0], "max_lat": [51.2]})


def _munis() -> pd.DataFrame:
    return pd.DataFrame({"nis_code": ["44021", "41002", "44034"], "name": ["Gent", "Aalst", "Lochristi"],
                         "province_code": ["40000"] * 3, "lon": [3.72, 4.04, 3.83], "lat": [51.05, 50.94, 51.1],
                         "outlets_total": [900.0, 400.0, np.nan], "value": [12.5, 8.0, np.nan]})


def test_municipality_map_draws_markers_sized_by_outlets_with_a_legend_per_class() -> None:
    munis = _munis()
    classes = classed(munis["value"], k=2, unit="%")
    fig = maps.municipality_map(munis, _provinces(), classes, "Leegstand", "%", 1, tiles=None)
    provinces, *markers = fig["data"]
    assert provinces["type"] == "choroplethmap" and provinces["locations"] == ["40000"]
    assert [t["name"] for t in markers] == ["8,0 %", "12,5 %", "geen gegevens"]
    by_code = {c[1]: (t, i) for t in markers for i, c in enumerate(t["customdata"])}
    gent, aalst = by_code["44021"], by_code["41002"]
    assert gent[0]["marker"]["size"][gent[1]] > aalst[0]["marker"]["size"][aalst[1]]
    assert by_code["44034"][0]["customdata"][0][3] == "geen gegevens"
    assert "Leegstand: %{customdata[3]}" in markers[0]["hovertemplate"]
    assert fig["layout"]["legend"]["title"]["text"] == "Leegstand"
    # Under the map, with room kept for it: inside, it covered a corner of the province on a phone.
    assert fig["layout"]["legend"]["orientation"] == "h" and fig["layout"]["legend"]["yanchor"] == "top"
    assert fig["layout"]["margin"]["b"] >= 80


def test_municipality_map_becomes_a_choropleth_with_boundaries() -> None:
    munis = _munis()
    bounds = pd.DataFrame({"code": ["44021", "41002"],
                           "geojson": [shapely.to_geojson(shapely.box(3.6, 51.0, 3.8, 51.1)),
                                       shapely.to_geojson(shapely.box(4.0, 50.9, 4.1, 51.0))]})
    fig = maps.municipality_map(munis, _provinces(), classed(munis["value"], k=2), "X", "", 1, None, bounds)
    shapes = [t for t in fig["data"][1:]]
    assert all(t["type"] == "choroplethmap" for t in shapes)
    assert sorted(c for t in shapes for c in t["locations"]) == ["41002", "44021"]  # Lochristi has no outline
    feature = shapes[0]["geojson"]["features"][0]
    assert feature["id"] == shapes[0]["locations"][0] and feature["geometry"]["type"] == "Polygon"


def test_feature_collection_keeps_ids_and_geometry() -> None:
    fc = maps.feature_collection(["A", "B"], ['{"type":"Point","coordinates":[4.0,51.0]}',
                                              shapely.to_geojson(shapely.box(0, 0, 1, 1))])
    assert [f["id"] for f in fc["features"]] == ["A", "B"]
    assert fc["features"][0]["geometry"]["coordinates"] == [4.0, 51.0]
    json.dumps(fc)  # serialisable as it is sent


# -- geometry steps of the ETL --------------------------------------------------------------------

def test_simplification_keeps_outlines_valid_and_close() -> None:
    # A 720-vertex circle of ~100 m radius in degrees, a bow-tie (invalid input) and a sliver.
    circle = shapely.Point(4.0, 51.0).buffer(0.001, quad_segs=180)
    bowtie = shapely.Polygon([(4, 51), (4.01, 51.01), (4.01, 51), (4, 51.01), (4, 51)])
    sliver = shapely.box(4.0, 51.0, 4.000005, 51.0001)
    out = geo.simplify_valid(np.array([circle, bowtie, sliver], dtype=object), 0.00001)
    assert all(shapely.is_valid(out)) and not any(shapely.is_empty(out))
    assert len(out[0].exterior.coords) < len(circle.exterior.coords) / 3
    assert out[0].area == pytest.approx(circle.area, rel=0.01)
    assert out[1].geom_type == "MultiPolygon"  # the crossing repaired into its two triangles
    assert out[2].area > 0  # a sliver narrower than the tolerance stays on the map


def test_geojson_text_snaps_coordinates_to_about_a_metre() -> None:
    text = geo.geojson_text(shapely.box(4.123456789, 51.0, 4.2, 51.1))
    coords = json.loads(text)["coordinates"][0]
    assert all(round(x, 5) == x and round(y, 5) == y for x, y in coords)
    assert any(math.isclose(x, 4.12346, abs_tol=1e-9) for x, _ in coords)


def test_points_are_assigned_to_the_smallest_area_that_contains_them() -> None:
    big = shapely.box(4.0, 51.0, 4.01, 51.01)
    small = shapely.box(4.004, 51.004, 4.006, 51.006)  # inside big
    found = geo.assign_to_areas(np.array([4.005, 4.001, 4.05]), np.array([51.005, 51.001, 51.05]),
                                ["BIG", "SMALL"], np.array([big, small], dtype=object))
    assert found == ["SMALL", "BIG", None]


def test_lambert72_outline_lands_around_gent_in_wgs84() -> None:
    square = shapely.box(104_000, 193_500, 105_000, 194_500)  # Lambert 72, Gent centre
    wgs = geo.transform_geometry(square, geo.LAMBERT72, geo.WGS84)
    minx, miny, maxx, maxy = wgs.bounds
    assert 3.71 < minx < maxx < 3.74 and 51.04 < miny < maxy < 51.06
    back = geo.transform_geometry(wgs, geo.WGS84, geo.LAMBERT72)
    assert back.area == pytest.approx(1_000_000, rel=1e-6)


# -- the core-area map: changes and filters ------------------------------------------------------

def _inventory(rows: list[tuple]) -> pd.DataFrame:
    cols = ["outlet_id", "name", "is_vacant", "branch_group", "branch_name", "is_chain", "wvo_m2", "lon", "lat",
            "street", "house_number"]
    return pd.DataFrame([(*r, 100.0, 4.0, 51.0, "Veldstraat", "1") for r in rows], columns=cols)


BEFORE = _inventory([
    ("A", "Bakker", False, "Dagelijks", "Bakker", False),        # same in both: no change
    ("B", "Kleding X", False, "Mode & Luxe", "Kleding", True),  # taken over by another business
    ("C", "Schoenen Y", False, "Mode & Luxe", "Schoenen", False),  # closes, unit vacant after
    ("D", "Slager", False, "Dagelijks", "Slager", False),       # closes, unit gone
    ("E", None, True, "Leegstand", None, None),                 # vacant, filled after
    ("F", None, True, "Leegstand", None, None),                 # vacant in both
])
AFTER = _inventory([
    ("A", "BAKKER ", False, "Dagelijks", "Bakker", False),      # same business, other spelling
    ("B", "Kleding Z", False, "Mode & Luxe", "Kleding", False),
    ("C", None, True, "Leegstand", None, None),
    ("E", "Koffiebar", False, "Leisure", "Cafe", False),
    ("F", None, True, "Leegstand", None, None),
    ("G", "Nieuw", False, "Vrije Tijd", "Boeken", True),        # new unit, occupied
    ("H", None, True, "Leegstand", None, None),                 # new unit, vacant
])


def test_changes_between_two_inventories() -> None:
    ch = mapdata.changes(BEFORE, AFTER).set_index("outlet_id")
    assert ch["change"].to_dict() == {"B": "nieuwe_zaak", "C": "gesloten", "D": "gesloten", "E": "geopend",
                                      "G": "geopend", "H": "nieuw_leeg"}
    assert ch.at["C", "now_vacant"] and not ch.at["D", "now_vacant"]
    assert ch.at["C", "branch_group"] == "Mode & Luxe"  # the business that closed, not 'Leegstand'
    assert ch.at["B", "description"] == "Kleding X → Kleding Z"
    assert mapdata.change_counts(ch.reset_index()) == {"openingen": 3, "sluitingen": 3, "nieuwe_leegstand": 2}


def test_change_filters() -> None:
    ch = mapdata.changes(BEFORE, AFTER)
    only_vacancy = mapdata.filter_changes(ch, mapdata.Filters(("Dagelijks",), vacancy_only=True))
    assert sorted(only_vacancy["outlet_id"]) == ["C", "H"]
    mode = mapdata.filter_changes(ch, mapdata.Filters(("Mode & Luxe",)))
    assert sorted(mode["outlet_id"]) == ["B", "C"]
    chains = mapdata.filter_changes(ch, mapdata.Filters(("Mode & Luxe", "Vrije Tijd", "Leegstand"), chain="keten"))
    assert sorted(chains["outlet_id"]) == ["G"]  # B's new business is independent


def _outlets_2025() -> pd.DataFrame:
    frame = AFTER.assign(vacancy_start=[pd.NaT, pd.NaT, pd.Timestamp("2025-02-01"), pd.NaT,
                                        pd.Timestamp("2019-01-01"), pd.NaT, pd.Timestamp("2025-06-01")],
                         vacancy_class=[None, None, "frictioneel", None, "structureel", None, "frictioneel"],
                         branch_code="X", area_name=None)
    return frame


@pytest.mark.parametrize("filters", [
    mapdata.Filters(("Dagelijks", "Mode & Luxe", "Vrije Tijd", "Leisure", "Leegstand")),
    mapdata.Filters(("Mode & Luxe",)),
    mapdata.Filters(("Mode & Luxe", "Vrije Tijd", "Leegstand"), chain="keten"),
    mapdata.Filters(("Dagelijks", "Leegstand"), chain="zelfstandig"),
    mapdata.Filters(("Dagelijks",), vacancy_only=True),
    mapdata.Filters(()),
    mapdata.Filters(("Dagelijks", "Leegstand"), durations=("structureel",)),
    mapdata.Filters(("Leegstand",), vacancy_only=True, durations=("frictioneel", "langdurig")),
    mapdata.Filters(("Leegstand",), durations=()),
])
def test_visible_traces_hold_exactly_the_rows_the_table_lists(filters: mapdata.Filters) -> None:
    groups = ["Dagelijks", "Mode & Luxe", "Vrije Tijd", "Leisure"]
    outlets = _outlets_2025()
    keys = maps.core_trace_keys(groups)
    layers = maps.outlet_layers(outlets, groups)
    flags = mapdata.visibility(keys, filters, changes_mode=False)
    on_map = sorted(c[0] for k, f in zip(keys, flags, strict=True) if f and k in layers
                    for c in layers[k]["customdata"])
    assert on_map == sorted(mapdata.shown(outlets, filters)["outlet_id"])


def test_changes_mode_switches_the_outlet_layers_off() -> None:
    keys = maps.core_trace_keys(["Dagelijks"])
    flags = dict(zip(keys, mapdata.visibility(keys, mapdata.Filters(("Dagelijks", "Leegstand")), True), strict=True))
    assert not flags["outlet|Dagelijks|keten"] and not flags["vacant|structureel"]
    assert flags["change|geopend"] and flags["areas"] and flags["points"]


def test_outlet_table_in_dutch() -> None:
    table = mapdata.outlet_table(_outlets_2025(), {"Dagelijks": "Dagelijkse artikelen"})
    first = table.iloc[0]
    assert first["group_label"] == "Dagelijkse artikelen" and first["chain_label"] == "zelfstandig"
    vacant = table.iloc[2]
    assert vacant["name"] == "(leeg pand)" and vacant["vacant_since"] == "01-02-2025"
    assert vacant["vacancy_label"] == "Leeg ≤ 1 jaar" and vacant["area_name"] == "buiten een winkelgebied"


def test_outlet_hover_sends_values_and_the_trace_says_the_rest() -> None:
    hover = {row[0]: row[1:] for row in maps.outlet_hover(_outlets_2025())}
    assert hover["G"] == ["Nieuw", "Boeken", "Veldstraat 1", 100]  # the WVO a number, formatted by the browser
    assert hover["C"] == ["Veldstraat 1", "01-02-2025", "", 100]
    unknown = _outlets_2025().assign(wvo_m2=None)
    assert all(len(row) == 4 for row in maps.outlet_hover(unknown))  # left off: the template's fallback shows
    assert maps.outlet_hover(_outlets_2025().iloc[0:0]) == []
    chain = maps.hover_template("outlet|Dagelijks|keten")
    assert "Keten (filiaalbedrijf)" in chain and "%{customdata[4]:,.0f}" in chain
    assert "Zelfstandige zaak" in maps.hover_template("outlet|Dagelijks|zelfstandig")
    assert "leeg ≤ 1 jaar" in maps.hover_template("vacant|frictioneel")

def test_the_core_map_is_a_valid_plotly_figure_with_one_template_per_trace() -> None:
    groups = ["Dagelijks", "Mode & Luxe", "Vrije Tijd", "Leisure"]
    keys = maps.core_trace_keys(groups)
    changes = mapdata.changes(BEFORE.assign(branch_name="Boeken"), AFTER.assign(branch_name="Boeken"))
    layers = maps.outlet_layers(_outlets_2025(), groups) | maps.change_layers(changes)
    points = pd.DataFrame({"point_id": ["P1"], "name": ["Veldstraat"], "lon": [3.72], "lat": [51.05],
                           "avg_weekly": [1000.0]})
    areas = pd.DataFrame(columns=["area_id", "name", "area_type", "is_legal_core", "geojson", "outlets_total",
                                  "min_lon", "min_lat", "max_lon", "max_lat"])
    labels = {g: (g, "#123456") for g in groups}
    fig = maps.core_map(keys, areas, points, layers, [True] * len(keys), labels, 2025, tiles=None)
    checked = go.Figure(fig)  # validates every key of the plain dict against plotly's schema
    by_key = dict(zip(keys, checked.data, strict=True))
    assert "Zelfstandige zaak" in by_key["outlet|Dagelijks|zelfstandig"].hovertemplate
    assert by_key["change|geopend"].customdata is not None


def test_the_duration_filter_lists_the_structurally_vacant_units_only() -> None:
    outlets = _outlets_2025()  # C and H vacant since 2025 (≤ 1 j), F since 2019 (> 3 j)
    structural = mapdata.shown(outlets, mapdata.Filters(("Leegstand",), vacancy_only=True, durations=("structureel",)))
    assert structural["outlet_id"].tolist() == ["F"]
    recent = mapdata.shown(outlets, mapdata.Filters(("Leegstand",), vacancy_only=True, durations=("frictioneel",)))
    assert sorted(recent["outlet_id"]) == ["C", "H"]
    # Occupied units ignore the duration filter.
    assert "A" in set(mapdata.shown(outlets, mapdata.Filters(("Dagelijks", "Leegstand"), durations=()))["outlet_id"])


def _street_outlets() -> pd.DataFrame:
    rows = [("1", "Bruul", False, None, 120.0), ("2", "Bruul", True, "structureel", 80.0),
            ("3", "Bruul ", True, "frictioneel", None), ("4", "Onze-Lieve-Vrouwestraat", False, None, 60.0),
            ("5", "Ijzerenleen", True, "structureel", 200.0), ("6", None, False, None, 10.0)]
    return pd.DataFrame(rows, columns=["outlet_id", "street", "is_vacant", "vacancy_class", "wvo_m2"])


def test_the_street_summary_counts_units_vacant_structural_and_floor_area_per_street() -> None:
    table = mapdata.street_summary(_street_outlets()).set_index("street")
    assert table.index.tolist() == ["Bruul", "Ijzerenleen", "(straat onbekend)", "Onze-Lieve-Vrouwestraat"]
    bruul = table.loc["Bruul"]
    assert (bruul["units"], bruul["vacant"], bruul["structural"], bruul["wvo_m2"]) == (3, 2, 1, 200.0)
    assert bruul["vacancy_pct"] == pytest.approx(200 / 3)
    assert table.loc["Ijzerenleen", "vacancy_pct"] == 100.0
    assert list(mapdata.street_summary(_street_outlets().iloc[:0]).columns) == list(mapdata.STREET_COLUMNS)


@pytest.mark.parametrize(("query", "ids"), [
    ("bruul", ["1", "2", "3"]), ("  BRUUL ", ["1", "2", "3"]), ("vrouwe", ["4"]), ("ijzeren", ["5"]),
    ("", ["1", "2", "3", "4", "5", "6"]), (None, ["1", "2", "3", "4", "5", "6"]), ("Kiliaan", []),
])
def test_the_street_search_ignores_case_spaces_and_accents(query: str | None, ids: list[str]) -> None:
    assert mapdata.on_street(_street_outlets(), query)["outlet_id"].tolist() == ids


def _linear(hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear sRGB colour: distances in it are what a reader sees as different."""
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = to_xyz @ np.clip(linear, 0, 1) / (to_xyz @ np.ones(3))
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


#: Machado, Oliveira and Fernandes (2009): full protanopia and deuteranopia on linear RGB.
COLOUR_BLIND = {"normaal": np.eye(3),
                "protanopie": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                                        [-0.003882, -0.048116, 1.051998]]),
                "deuteranopie": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                                          [-0.011820, 0.042940, 0.968881]])}


@pytest.mark.parametrize("vision", COLOUR_BLIND)
def test_closed_and_new_vacant_units_look_different_to_colour_blind_readers(vision: str) -> None:
    closed, new_vacant = (_lab(COLOUR_BLIND[vision] @ _linear(maps.CHANGE_CLASSES[k][1]))
                          for k in ("gesloten", "nieuw_leeg"))
    # The old pair (#d73027 and #f46d43) lay 13 to 20 apart: "nearly the same red". 40 is plainly different.
    assert np.linalg.norm(closed - new_vacant) > 40


def test_the_legal_core_is_drawn_as_its_outline_so_the_legend_shows_the_same_line() -> None:
    square = shapely.to_geojson(shapely.box(4.0, 51.0, 4.01, 51.01))
    two = shapely.to_geojson(shapely.MultiPolygon([shapely.box(4.0, 51.0, 4.01, 51.01),
                                                   shapely.box(4.02, 51.0, 4.03, 51.01)]))
    trace = maps.legal_core_trace([square, two])
    assert trace["mode"] == "lines" and trace["line"]["color"] == maps.LEGAL_CORE_COLOR and trace["showlegend"]
    assert trace["lon"].count(None) == 3  # three rings, each closed and ended
    assert min(v for v in trace["lon"] if v is not None) == 4.0 and max(trace["lat"], key=lambda v: v or 0) == 51.01
    assert maps.legal_core_trace([])["showlegend"] is False
    go.Figure(trace)  # a valid plotly trace


def test_the_zone_map_labels_each_area_in_its_legend_and_a_click_names_it() -> None:
    areas = pd.DataFrame({
        "area_id": ["a1", "a2"], "name": ["Centrum", "Station"], "area_type": ["hoofdwinkelgebied", "binnenstad"],
        "is_legal_core": [True, False], "outlets_total": [120, None],
        "geojson": [shapely.to_geojson(shapely.box(4.0, 51.0, 4.01, 51.01)),
                    shapely.to_geojson(shapely.box(4.02, 51.0, 4.03, 51.01))],
        "min_lon": [4.0, 4.02], "min_lat": [51.0, 51.0], "max_lon": [4.01, 4.03], "max_lat": [51.01, 51.01]})
    fig = maps.zone_map(areas, ["a2"], tiles=None)
    names = [t["name"] for t in fig["data"]]
    assert names == ["Gekozen zone", "Centrum (hoofdwinkelgebied)", "Station (binnenstad)"]
    assert fig["data"][0]["locations"] == ["a2"]  # the zone layer first: clicks land on the named layers above
    assert [t["customdata"][0][:2] for t in fig["data"][1:]] == [["winkelgebied", "a1"], ["winkelgebied", "a2"]]
    colours = {t["marker"]["line"]["color"] for t in fig["data"][1:]}
    assert len(colours) == 2 and maps.ZONE_COLOR not in colours
    assert fig["layout"]["legend"]["orientation"] == "h"  # under the map, not over the areas
    go.Figure(fig)


def test_a_year_switch_sends_ids_for_the_points_the_browser_holds_and_the_changed_points_in_full() -> None:
    keys = ["areas", "legal_core", "outlet|A|keten", "vacant|structureel", "points"]
    o1, o2 = ["O1", "Bakker", "Brood", "Markt 1", 80], ["O2", "Slager", "Vlees", "Markt 2"]
    before = {"outlet|A|keten": {"lon": [4.1, 4.2], "lat": [51.1, 51.2], "customdata": [o1, o2]},
              "vacant|structureel": {"lon": [], "lat": [], "customdata": []}}
    after = {"outlet|A|keten": {"lon": [4.1, 4.3], "lat": [51.1, 51.3],
                                "customdata": [list(o1), ["O3", "Kapper", "Haar", "Markt 3", 40]]},
             # O2 closed: the same unit, now vacant and in another trace, goes in full.
             "vacant|structureel": {"lon": [4.2], "lat": [51.2], "customdata": [["O2", "Markt 2", "01-01-2020", ""]]}}
    assert maps.year_points(keys, after, before) == {
        "2": ["O1", [4.3, 51.3, ["O3", "Kapper", "Haar", "Markt 3", 40]]],
        "3": [[4.2, 51.2, ["O2", "Markt 2", "01-01-2020", ""]]]}
    # A changed hover value (the WVO) is a changed point; with nothing held, every point goes in full.
    moved = {"outlet|A|keten": {**before["outlet|A|keten"], "customdata": [[*o1[:4], 95], o2]}}
    assert maps.year_points(keys, moved, before)["2"][0] == [4.1, 51.1, ["O1", "Bakker", "Brood", "Markt 1", 95]]
    assert maps.year_points(keys, before, None)["2"][1] == [4.2, 51.2, ["O2", "Slager", "Vlees", "Markt 2"]]


def test_the_dense_first_view_sends_each_text_once_and_numbers_as_numbers() -> None:
    keys = maps.core_trace_keys(GROUPS)
    dense = maps.dense_points(keys, awkward_outlets(), GROUPS)
    strings = dense["strings"]
    assert len(strings) == len(set(strings)) and "Nieuwstraat" in strings and "Kerkstraat" in strings
    chain = dense["traces"][str(keys.index("outlet|Dagelijks|keten"))]
    # 100330 then 9: the ids as differences; the house numbers that read back the same as numbers.
    assert chain["d"] == [100330, 9 - 100330] and chain["h"] == ["10A", "44/1"]
    vacant = dense["traces"][str(keys.index("vacant|structureel"))]
    assert vacant["v"] == 1 and "t" not in vacant and vacant["h"] == ["010"] and vacant["w"] == [80]
    assert strings[vacant["l"][0]] == "01-01-2019"
    single = dense["traces"][str(keys.index("outlet|Dagelijks|zelfstandig"))]
    assert single["h"] == [28, 123456] and single["w"] == [None, 0]  # an unknown WVO is null, 0.4 m² rounds to 0
    # Whole steps of 1e-5 degree from the origin: 4.000005 lies on a half step and rounds as numpy rounds it.
    frictional = dense["traces"][str(keys.index("vacant|frictioneel"))]
    assert dense["origin"] == [400000, 5100002] and (frictional["x"], frictional["y"]) == ([0], [0])
    # " Markt " with no number gives "Markt" as before: the whole address goes as the street.
    mode = dense["traces"][str(keys.index("outlet|Mode & Luxe|keten"))]
    assert strings[mode["s"][0]] == "Markt" and mode["h"] == [""]


def test_text_ids_go_as_text() -> None:
    keys = maps.core_trace_keys(GROUPS)
    dense = maps.dense_points(keys, awkward_outlets("LOC-"), GROUPS)
    chain = dense["traces"][str(keys.index("outlet|Dagelijks|keten"))]
    assert chain["i"] == ["LOC-100330", "LOC-9"] and "d" not in chain


def test_the_dense_first_view_of_a_city_is_under_half_the_plain_points() -> None:
    # 2,000 outlets on 20 streets with 50 branches: what a town centre looks like to the encoding.
    base = awkward_outlets().iloc[[0]]
    rng = np.random.default_rng(7)
    n = 2000
    frame = pd.concat([base] * n, ignore_index=True).assign(
        outlet_id=[str(100000 + i) for i in range(n)], name=[f"Zaak {i % 700}" for i in range(n)],
        street=[f"Straat {i % 20}" for i in range(n)], house_number=[str(1 + i % 150) for i in range(n)],
        branch_name=[f"Branche {i % 50}" for i in range(n)], wvo_m2=rng.integers(20, 900, n).astype(float),
        lon=4.38 + rng.random(n) * 0.04, lat=51.2 + rng.random(n) * 0.03)
    keys = maps.core_trace_keys(GROUPS)
    plain = len(json.dumps(maps.outlet_layers(frame, GROUPS), separators=(",", ":")))
    dense = len(json.dumps(maps.dense_points(keys, frame, GROUPS), separators=(",", ":")))
    assert dense < 0.5 * plain


def test_the_dense_first_view_is_built_from_the_columns_not_from_the_plain_hover_rows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The plain rows were once built first as a reference and taken apart again: the work done twice.
    keys = maps.core_trace_keys(GROUPS)
    expected = maps.dense_points(keys, awkward_outlets(), GROUPS)

    def refuse(_: object) -> None:
        raise AssertionError("dense_points built the plain hover rows")

    monkeypatch.setattr(maps, "outlet_hover", refuse)
    assert maps.dense_points(keys, awkward_outlets(), GROUPS) == expected
