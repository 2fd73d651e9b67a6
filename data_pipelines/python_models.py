"""The models of the build that are Python functions (geometry, the indicator catalogue).

Each creates exactly the table it is named after, from the tables it declares, and changes no other
model: the declarations are checked by the build as those of the SQL models are (see ``models.py``).
"""

from __future__ import annotations

from dataclasses import asdict

import duckdb
import pandas as pd
import shapely

from data_pipelines import geo
from data_pipelines.classes import write_map_classes
from data_pipelines.indicators import CATALOGUE
from data_pipelines.models import python_model


@python_model("int_counting_points_placed", depends_on=("stg_counting_points", "stg_areas"), grain=("point_id",),
              not_null=("area_id",), relationships=("point_id -> stg_counting_points.point_id",
                                                    "area_id -> stg_areas.area_id"))
def counting_points_placed(con: duckdb.DuckDBPyConnection, year: int | None = None) -> None:
    """Place each counting point without a shopping area in the area of its municipality it lies in."""
    points = con.execute("select point_id, nis_code, lon, lat from stg_counting_points "
                         "where area_id is null and lon is not null").df()
    areas = con.execute("select area_id, nis_code, geometry_wkb from stg_areas where geometry_wkb is not null").df()
    placed: list[tuple[str, str]] = []
    for nis, group in points.groupby("nis_code"):
        mine = areas[areas["nis_code"] == nis]
        if mine.empty:
            continue
        found = geo.assign_to_areas(group["lon"].to_numpy(), group["lat"].to_numpy(), mine["area_id"].tolist(),
                                    shapely.from_wkb([bytes(b) for b in mine["geometry_wkb"]]))
        placed += [(pid, aid) for pid, aid in zip(group["point_id"], found, strict=True) if aid is not None]
    con.execute("create or replace table int_counting_points_placed (point_id varchar, area_id varchar)")
    if placed:
        con.executemany("insert into int_counting_points_placed values (?, ?)", sorted(placed))


@python_model("dim_indicator", depends_on=(), grain=("indicator", "scope"), not_null=("column", "label", "unit"))
def dim_indicator(con: duckdb.DuckDBPyConnection, year: int | None = None) -> None:
    """Write the indicator catalogue: each wide mart column with its indicator key, scope, label and unit."""
    con.register("catalogue_df", pd.DataFrame([asdict(i) for i in CATALOGUE]))
    con.execute("create or replace table dim_indicator as select * from catalogue_df")
    con.unregister("catalogue_df")


@python_model("mart_indicator_values", depends_on=("mart_area_year", "dim_indicator"),
              grain=("level", "area_code", "indicator", "scope", "year"), not_null=("value",),
              relationships=("indicator -> dim_indicator.indicator",), incremental="year = {year}")
def mart_indicator_values(con: duckdb.DuckDBPyConnection, year: int | None = None) -> None:
    """Unpivot mart_area_year: one row per level, area, year, indicator and scope."""
    of_year = "" if year is None else f" and year = {int(year)}"
    parts = [
        f"select level, area_code, year, '{i.indicator}' as indicator, '{i.scope}' as scope, "
        f"cast({i.column} as double) as value from mart_area_year where {i.column} is not null{of_year}"
        for i in CATALOGUE
    ]
    rows = " union all ".join(parts) + " order by level, area_code, indicator, scope, year"
    if year is None:
        con.execute("create or replace table mart_indicator_values as " + rows)
    else:
        con.execute("insert into mart_indicator_values " + rows)


#: Outline simplification per map layer, in degrees (0.00001 degrees is about 1 m in Flanders).
MAP_TOLERANCE = {"provincie": 0.0, "gemeente": 0.0, "winkelgebied": 0.00001}


@python_model("map_shapes", depends_on=("ref_provinces", "ref_municipality_boundaries", "dim_areas"),
              grain=("kind", "code"), not_null=("geojson",))
def map_shapes(con: duckdb.DuckDBPyConnection, year: int | None = None) -> None:
    """Store every map outline once as GeoJSON text, so the app sends shapes without converting them."""
    sources = {
        "provincie": "select province_code as code, null as nis_code, geometry_wkb from ref_provinces",
        "gemeente": "select nis_code as code, nis_code, geometry_wkb from ref_municipality_boundaries",
        "winkelgebied": "select area_id as code, nis_code, geometry_wkb from dim_areas where geometry_wkb is not null",
    }
    frames = []
    for kind, sql in sources.items():
        df = con.execute(sql).df()
        if df.empty:
            continue
        geoms = shapely.from_wkb([bytes(b) for b in df["geometry_wkb"]])
        if MAP_TOLERANCE[kind]:
            geoms = geo.simplify_valid(geoms, MAP_TOLERANCE[kind])
        bounds = shapely.bounds(geoms)
        frames.append(pd.DataFrame({
            "kind": kind, "code": df["code"], "nis_code": df["nis_code"],
            "geojson": [geo.geojson_text(g) for g in geoms],
            "min_lon": bounds[:, 0], "min_lat": bounds[:, 1], "max_lon": bounds[:, 2], "max_lat": bounds[:, 3],
        }))
    con.execute("create or replace table map_shapes (kind varchar, code varchar, nis_code varchar, geojson varchar, "
                "min_lon double, min_lat double, max_lon double, max_lat double)")
    if frames:
        con.register("shapes_df", pd.concat(frames, ignore_index=True))
        con.execute("insert into map_shapes select * from shapes_df order by kind, code")
        con.unregister("shapes_df")


@python_model("mart_map_classes", depends_on=("mart_area_year", "dim_indicator", "ref_municipalities"),
              grain=("scope", "column", "year", "scheme", "class"), not_null=("upper",),
              incremental="year = {year}")
def mart_map_classes(con: duckdb.DuckDBPyConnection, year: int | None = None) -> None:
    """Store the class breaks of every indicator map (see ``classes.py``), so the app needs no mapclassify."""
    write_map_classes(con, year)
