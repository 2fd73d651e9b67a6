"""The fiche figures: a map without text labels or tiles, and SVG that is well-formed and to scale."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import shapely

from dashboard.figures.fiche import core_map, point_state, svg_branch_bars, svg_columns, svg_core_map, svg_sparkline

SQUARE = shapely.to_wkb(shapely.box(3.70, 51.05, 3.72, 51.06))
OUTLETS = pd.DataFrame({"name": ["A", None, None], "branch_group": ["Dagelijks", "Leegstand", "Leegstand"],
                        "is_vacant": [False, True, True], "vacancy_class": [None, "frictioneel", "structureel"],
                        "wvo_m2": [100.0, 80.0, 300.0], "lon": [3.71, 3.705, 3.715], "lat": [51.055, 51.052, 51.058]})


def test_point_states() -> None:
    assert point_state(OUTLETS).tolist() == ["bezet", "leeg", "structureel"]


def test_core_map_has_no_text_labels_and_no_tiles() -> None:
    fig = go.Figure(core_map(SQUARE, OUTLETS, "Centrum"))  # a plain dict, validated here
    assert fig.layout.map.style == "white-bg"
    assert all("text" not in (t.mode or "") for t in fig.data)  # text on a map fetches glyphs from the internet
    assert [t.name for t in fig.data] == ["Centrum", "bezet", "leeg (≤ 3 jaar)", "structureel leeg (> 3 jaar)"]
    assert abs(fig.layout.map.center.lon - 3.71) < 1e-9


def test_core_map_points_carry_escaped_texts_whole_metres_and_the_wvo_as_a_number() -> None:
    outlets = pd.DataFrame({"name": ["Frituur <De Hoek> & Zn", float("nan"), "Zeeman", ""],
                            "branch_group": ["Leisure", "Leegstand", "Mode & Luxe", "Dagelijks"],
                            "is_vacant": [False, True, False, False],
                            "vacancy_class": [None, "frictioneel", None, None], "wvo_m2": [85.0, None, 120.5, 60.0],
                            "lon": [3.7123456789, 3.705, 3.71, None],
                            "lat": [51.0551234567, 51.052, 51.0549999999, 51.05]})
    fig = core_map(SQUARE, outlets, "Centrum")
    occupied, vacant = fig["data"][1], fig["data"][2]
    assert occupied["customdata"] == [["Frituur &lt;De Hoek&gt; &amp; Zn", "Leisure", 85],
                                      ["Zeeman", "Mode &amp; Luxe", 120.5]]  # the outlet without a place: off the map
    assert vacant["customdata"] == [["leeg pand", "Leegstand", None]]  # an unnamed unit is never "nan"
    assert list(occupied["lon"]) == [3.71235, 3.71] and list(occupied["lat"]) == [51.05512, 51.055]
    go.Figure(fig)  # still a valid figure


def test_svg_map_draws_the_outline_and_one_dot_per_outlet() -> None:
    root = ET.fromstring(svg_core_map(SQUARE, OUTLETS, width=60, height=52))
    paths = [p.get("d") for p in root.iter("{http://www.w3.org/2000/svg}path")]
    assert paths[0].startswith("M") and paths[0].endswith("Z")  # the outline
    assert sum(d.count("h0.01") for d in paths[1:]) == 3
    assert root.get("viewBox") == "0 0 60 52"


def test_svg_charts_are_well_formed() -> None:
    groups = pd.DataFrame({"label": ["Dagelijks", "Mode"], "share_pct": [20.0, None], "peer_median": [10.0, 5.0]})
    for svg in (svg_branch_bars(groups), svg_columns(["ma", "di"], [1.0, 2.0]), svg_columns([], []),
                svg_sparkline([1.0, None, 2.0, 3.0]), svg_sparkline([None, 1.0])):
        ET.fromstring(svg)
    widths = [float(r.get("width")) for r in ET.fromstring(svg_branch_bars(groups)).iter(
        "{http://www.w3.org/2000/svg}rect")][2:]  # after the two legend keys: own, peer, own, peer
    assert widths[0] == 2 * widths[1] and widths[2] == 0.0  # 20 % is twice the 10 % median; missing = 0
