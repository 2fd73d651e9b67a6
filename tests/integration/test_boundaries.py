"""``build --boundaries``: a small municipality boundary file in Lambert 72, made by the test."""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

from tests.conftest import call_cli


def boundary_file(path: Path, driver: str, crs: str = "EPSG:31370") -> Path:
    frame = gpd.GeoDataFrame(
        {
            "NISCODE": ["44021", "44036", "44072", "21004"],
            "NAAM": ["Gent", "Lovendegem", "Waarschoot", "Brussel"],
        },
        geometry=[
            box(100_000, 190_000, 110_000, 200_000),  # 100 km²
            box(95_000, 200_000, 100_000, 205_000),  # 25 km²
            box(95_000, 205_000, 100_000, 210_000),  # 25 km², shares an edge with Lovendegem
            box(145_000, 165_000, 155_000, 175_000),
        ],
        crs="EPSG:31370",
    ).to_crs(crs)
    frame.to_file(path, driver=driver)
    return path


@pytest.mark.parametrize(("name", "driver", "crs"), [("gemeenten.gpkg", "GPKG", "EPSG:31370"),
                                                      ("gemeenten.geojson", "GeoJSON", "EPSG:4326"),
                                                      ("gemeenten.shp", "ESRI Shapefile", "EPSG:3812")])
def test_boundaries_load_reprojected_and_dissolved_through_the_mergers(
    fixture_export: Path, tmp_path: Path, name: str, driver: str, crs: str
) -> None:
    path = boundary_file(tmp_path / name, driver, crs)
    db = tmp_path / "b.duckdb"
    done = call_cli("build", "--source", str(fixture_export), "--db", str(db), "--boundaries", str(path))
    assert done.returncode == 0, done.stderr
    assert "1 grenzen buiten Vlaanderen overgeslagen" in done.stderr
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select nis_code, area_km2, geometry_wkb from ref_municipality_boundaries "
                       "order by nis_code").fetchall()
    con.close()
    assert [r[0] for r in rows] == ["44021", "44085"]  # Lovendegem + Waarschoot -> Lievegem
    # Areas measured in Lambert 2008 differ from Lambert 72's by well under 0.1 %.
    assert rows[0][1] == pytest.approx(100, rel=1e-3)
    assert rows[1][1] == pytest.approx(50, rel=1e-3)
    lievegem = shapely.from_wkb(rows[1][2])
    assert lievegem.geom_type == "Polygon" and lievegem.is_valid  # one shape, not two squares
    minx, miny, maxx, maxy = shapely.from_wkb(rows[0][2]).bounds
    assert 3.5 < minx < maxx < 4.0 and 50.9 < miny < maxy < 51.2  # WGS84 degrees around Gent


def test_boundary_file_without_nis_column_fails_cleanly(fixture_export: Path, tmp_path: Path) -> None:
    path = tmp_path / "zonder_nis.geojson"
    gpd.GeoDataFrame({"naam": ["Gent"]}, geometry=[box(3.6, 51.0, 3.8, 51.1)], crs="EPSG:4326").to_file(
        path, driver="GeoJSON")
    db = tmp_path / "b.duckdb"
    done = call_cli("build", "--source", str(fixture_export), "--db", str(db), "--boundaries", str(path))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("fout: zonder_nis.geojson, kolom 'nis_code'")
    assert not db.exists()
