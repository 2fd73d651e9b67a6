"""What the ETL prepares for the maps, on real DuckDB files: outlines, points placed in areas, boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import shapely

from dashboard.components.indicator_map import indicator_map
from dashboard.data import queries
from dashboard.data.db import Database
from tests.conftest import call_cli
from tests.integration.test_boundaries import boundary_file


def test_counting_point_without_area_is_placed_in_the_area_it_lies_in(map_db: Path) -> None:
    con = duckdb.connect(str(map_db), read_only=True)
    try:
        rows = dict(con.execute("select point_id, (area_id, area_source) from dim_counting_points").fetchall())
    finally:
        con.close()
    assert rows["TP1"] == ("WG1", "export")
    assert rows["TP2"] == ("WG1", "ligging")


def test_map_shapes_are_valid_geojson_in_wgs84(map_db: Path) -> None:
    db = Database(map_db)
    provinces = queries.map_shapes(db, "provincie")
    assert sorted(provinces["code"]) == ["10000", "20001", "30000", "40000", "70000"]
    for text in provinces["geojson"]:
        geom = shapely.from_geojson(text)
        assert geom.is_valid and geom.geom_type in ("Polygon", "MultiPolygon")
    area = queries.map_shapes(db, "winkelgebied", "44021")
    assert area["code"].tolist() == ["WG1"]
    wg1 = shapely.from_geojson(area["geojson"].iloc[0])
    minx, miny, maxx, maxy = wg1.bounds  # the 1 km Lambert 72 square around Gent's centre
    assert 3.70 < minx < maxx < 3.75 and 51.03 < miny < maxy < 51.07
    assert area["min_lon"].iloc[0] == pytest.approx(minx, abs=1e-5)  # box of the unsnapped outline
    assert area["max_lat"].iloc[0] == pytest.approx(maxy, abs=1e-5)
    assert queries.map_shapes(db, "gemeente").empty  # no boundary file given


@pytest.mark.slow
def test_with_a_boundary_file_the_map_becomes_a_choropleth(fixture_export: Path, tmp_path: Path) -> None:
    path = boundary_file(tmp_path / "gemeenten.gpkg", "GPKG")  # Lambert 72, made by the test
    db_file = tmp_path / "b.duckdb"
    done = call_cli("build", "--source", str(fixture_export), "--db", str(db_file), "--boundaries", str(path))
    assert done.returncode == 0, done.stderr
    db = Database(db_file)
    shapes = queries.map_shapes(db, "gemeente")
    assert shapes["code"].tolist() == ["44021", "44085"]
    fig, note = indicator_map(db, 2025, "outlets_total", "quantielen", tiles=None)
    municipalities = [t for t in fig["data"][1:]]
    assert municipalities and all(t["type"] == "choroplethmap" for t in municipalities)
    drawn = sorted(c for t in municipalities for c in t["locations"])
    assert drawn == ["44021", "44085"]  # only the municipalities with an outline
    gent = next(t for t in municipalities if "44021" in t["locations"])
    geometry = gent["geojson"]["features"][0]["geometry"]
    assert shapely.from_geojson(json.dumps(geometry)).is_valid
    assert "gemeentegrenzen" in note


def test_without_boundaries_every_municipality_is_a_marker(map_db: Path) -> None:
    fig, note = indicator_map(Database(map_db), 2025, "vacancy_rate_count_all_pct", "natuurlijk", tiles=None)
    markers = [t for t in fig["data"] if t["type"] == "scattermap"]
    assert sum(len(t["lat"]) for t in markers) == 285
    assert "geen gegevens" in [t["name"] for t in markers]  # most municipalities have no fixture data
    assert "een stip per gemeente" in note
