"""Coordinates are converted once per distinct place and joined back: each row gets pyproj's values."""

from __future__ import annotations

import duckdb
import numpy as np
import shapely
from pyproj import Transformer

from data_pipelines import reference
from data_pipelines.validate import Validator, valid_rows_sql

# (x, y, lon, lat) per row: Gent twice (same place in two years), Brugge, lon/lat only, nothing, and Lille.
ROWS = [
    (104500.0, 194000.0, None, None),
    (104500.0, 194000.0, None, None),
    (69000.0, 211000.0, None, None),
    (None, None, 4.40, 51.22),
    (None, None, None, None),
    (None, None, 3.06, 50.63),
]


def test_each_row_gets_pyprojs_coordinates_and_outside_flanders_is_a_reject() -> None:
    con = duckdb.connect()
    v = Validator(con)
    con.execute("create temp table typed_outlets (_file varchar, _line bigint, x double, y double, lon double, "
                "lat double, x__raw varchar, y__raw varchar, lon__raw varchar, lat__raw varchar)")
    con.executemany("insert into typed_outlets values ('v.csv', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [[line, *r, *(None if c is None else str(c) for c in r)] for line, r in enumerate(ROWS, 2)])
    flanders = shapely.from_wkb(reference.bundle()["flanders"]["geometry_wkb"].iloc[0])
    assert v.coordinates("v.csv", "typed_outlets", flanders) == []
    valid = valid_rows_sql("typed_outlets", coordinates=True)
    got = con.execute(f"select _line, lon_wgs84, lat_wgs84, x_l72, y_l72 from ({valid}) order by _line").fetchall()
    to_wgs = Transformer.from_crs("EPSG:31370", "EPSG:4326", always_xy=True)
    to_l72 = Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)
    expected = []
    for line, (x, y, lon, lat) in enumerate(ROWS[:5], 2):
        if x is not None:
            lon, lat = to_wgs.transform(x, y)
        if lon is None:
            expected.append((line, None, None, None, None))
            continue
        expected.append((line, lon, lat, *to_l72.transform(lon, lat)))
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        assert row[0] == want[0]
        assert np.allclose([np.nan if c is None else c for c in row[1:]],
                           [np.nan if c is None else c for c in want[1:]], rtol=0, atol=1e-9, equal_nan=True)
    assert con.execute("select line, column_name, value, reason from rejects").fetchall() == [
        (7, "x/y", "3.06 50.63", "coördinaten liggen buiten Vlaanderen")]
