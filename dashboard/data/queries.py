"""Typed query functions: every SQL statement of the app lives here, values as bound parameters."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd

from dashboard.data.db import Database

#: Columns of the municipality table on the home page, in order (mart column -> Dutch header).
#: The home page's table: its columns, a text for those that are no indicator (headers: dashboard.labels).
MUNICIPALITY_COLUMNS: dict[str, str | None] = {
    "name": "Gemeente", "province": "Provincie", "population": None, "outlets_total": None, "retail_outlets": None,
    "retail_wvo_m2": None, "vacancy_rate_count_all_pct": None, "vacancy_rate_wvo_headline_pct": None,
    "vacancy_structural_rate_pct": None, "chain_share_count_pct": None, "outlets_per_1000_inh": None,
    "footfall_avg_weekly_per_point": None,
}


def build_info(db: Database) -> dict[str, str]:
    """Return the build metadata (id, date, source, synthetic flag, files and table counts)."""
    df = db.query_cached("select key, value from build_info")
    return dict(zip(df["key"], df["value"], strict=True))


def years(db: Database) -> list[int]:
    """Return the inventory years present, oldest first."""
    df = db.query_cached("select distinct year from mart_area_year where level = 'vlaanderen' order by year")
    return [int(y) for y in df["year"]]


def area_year(db: Database, level: str, area_code: str, years_: list[int]) -> pd.DataFrame:
    """Return the wide indicator rows of one area for the given years (one row per year)."""
    return db.query(
        "select * from mart_area_year where level = ? and area_code = ? and list_contains(?, year) order by year",
        [level, area_code, years_],
    )


def flanders_series(db: Database, indicator: str) -> pd.DataFrame:
    """Return one indicator for Vlaanderen over time, all scopes: ``year``, ``scope``, ``value``."""
    return db.query(
        "select year, scope, value from mart_indicator_values where level = 'vlaanderen' and indicator = ? "
        "order by scope, year",
        [indicator],
    )


def municipality_table(db: Database, year: int) -> pd.DataFrame:
    """Return one row per municipality with the key indicators of ``year`` (all 285, data or not).

    ``vacancy_rate_wvo_headline_pct`` is the mart's headline WVO vacancy, its scope in ``vacancy_wvo_scope``.
    """
    return db.query(
        """
        select
            m.nis_code,
            m.name,
            p.name as province,
            a.population,
            a.outlets_total,
            a.retail_outlets,
            a.retail_wvo_m2,
            a.vacancy_rate_count_all_pct,
            a.vacancy_rate_wvo_headline_pct,
            a.vacancy_wvo_scope,
            a.vacancy_structural_rate_pct,
            a.chain_share_count_pct,
            a.outlets_per_1000_inh,
            a.footfall_avg_weekly_per_point
        from ref_municipalities as m
        inner join ref_provinces as p using (province_code)
        left join mart_area_year as a on a.level = 'gemeente' and a.area_code = m.nis_code and a.year = ?
        order by m.name
        """,
        [year],
    )


def health(db: Database, max_age_days: float = 400) -> dict[str, Any]:
    """Return what ``/health`` reports: presence, freshness, build id and date, source, row counts.

    ``status`` is ``ok``, or ``stale`` when the build is older than ``max_age_days`` (Locatus
    inventories are yearly: a build of more than a year ago misses an inventory).
    """
    info = build_info(db)
    built = info.get("built_at")
    age = None
    if built:
        age = (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(built)).total_seconds() / 3600
    fresh = age is not None and age <= 24 * max_age_days
    return {
        "status": "ok" if fresh else "stale",
        "fresh": fresh,
        "age_hours": None if age is None else round(age, 1),
        "max_age_days": max_age_days,
        "database": db.path.name,  # the file's name only: /health is public, server paths are not
        "build_id": info.get("build_id"),
        "built_at": built,
        "source": info.get("source_label"),
        "synthetic": info.get("is_synthetic") == "true",
        "row_counts": json.loads(info.get("tables", "{}")),
    }


def municipalities(db: Database) -> pd.DataFrame:
    """Return every municipality with its province and latest known population."""
    return db.query_cached(
        """
        with latest as (
            select nis_code, arg_max(population, year) as population from dim_population group by nis_code
        )
        select m.nis_code, m.name, m.province_code, p.name as province, latest.population
        from ref_municipalities as m
        inner join ref_provinces as p using (province_code)
        left join latest using (nis_code)
        order by m.name
        """
    )


def area_ids(db: Database) -> pd.DataFrame:
    """Return every shopping area's id with the NIS code of its municipality."""
    return db.query_cached("select area_id, nis_code from dim_areas order by area_id")


def nis_mergers(db: Database) -> dict[str, str]:
    """Return the NIS codes of before the 2019 and 2025 mergers with the code they live on under."""
    df = db.query_cached("select code, nis_code from ref_nis_map where code <> nis_code")
    return dict(zip(df["code"], df["nis_code"], strict=True))


def postal_codes(db: Database) -> pd.DataFrame:
    """Return postal code -> NIS code pairs."""
    return db.query_cached("select postal_code, nis_code from ref_postal_codes order by postal_code")


def provinces(db: Database) -> pd.DataFrame:
    """Return the provinces: ``province_code``, ``name``."""
    return db.query_cached("select province_code, name from ref_provinces order by province_code")


def indicator_catalogue(db: Database) -> pd.DataFrame:
    """Return the indicator catalogue (``dim_indicator``), one row per indicator and scope."""
    return db.query_cached("select * from dim_indicator")


def indicator_values(db: Database, level: str, codes: list[str], indicator: str) -> pd.DataFrame:
    """Return ``area_code``, ``year``, ``scope``, ``value`` of one indicator for some areas, all years."""
    return db.query(
        "select area_code, year, scope, value from mart_indicator_values "
        "where level = ? and list_contains(?, area_code) and indicator = ? order by area_code, scope, year",
        [level, codes, indicator],
    )


def peer_band(db: Database, level: str, peers: list[str], indicator: str) -> pd.DataFrame:
    """Return per ``year`` and ``scope`` the peers' ``p25``, ``median``, ``p75`` and count ``n`` of one indicator.

    The quartiles interpolate linearly between the ordered values (``quantile_cont``), as
    :func:`dashboard.peers.peer_band` does; missing values are left out.
    """
    return db.query(
        """
        select year, scope, quantile_cont(value, 0.25) as p25, quantile_cont(value, 0.5) as median,
               quantile_cont(value, 0.75) as p75, count(value) as n
        from mart_indicator_values
        where level = ? and list_contains(?, area_code) and indicator = ? and value is not null
        group by year, scope
        order by scope, year
        """,
        [level, peers, indicator],
    )


def peer_branch_median(db: Database, level: str, peers: list[str], year: int) -> pd.DataFrame:
    """Return the peers' median share of outlets per branch group in ``year``: ``branch_group``, ``median``.

    Over the peers that have the group (as :func:`dashboard.peers.peer_median_by` on ``branch_mix``).
    """
    return db.query(
        """
        select branch_group, quantile_cont(share_outlets_pct, 0.5) as median
        from mart_branch_mix
        where level = ? and list_contains(?, area_code) and year = ?
        group by branch_group
        order by branch_group
        """,
        [level, peers, year],
    )


def area_rows(db: Database, level: str, codes: list[str], year: int) -> pd.DataFrame:
    """Return the wide indicator rows of some areas in one year."""
    return db.query(
        "select * from mart_area_year where level = ? and list_contains(?, area_code) and year = ? "
        "order by area_code",
        [level, codes, year],
    )


def branch_mix(db: Database, level: str, codes: list[str], year: int) -> pd.DataFrame:
    """Return the branch-group shares of some areas in one year, with the groups' Dutch labels."""
    return db.query(
        """
        select b.area_code, b.branch_group, g.label, g.sort_order, b.outlets, b.share_outlets_pct,
               b.share_wvo_pct
        from mart_branch_mix as b inner join ref_branch_groups as g using (branch_group)
        where b.level = ? and list_contains(?, b.area_code) and b.year = ?
        order by g.sort_order
        """,
        [level, codes, year],
    )


def areas_of_municipality(db: Database, nis: str, year: int) -> pd.DataFrame:
    """Return the shopping areas of a municipality with their key figures in ``year``."""
    return db.query(
        """
        select a.area_id, a.name, a.area_type, a.is_legal_core, m.outlets_total, m.retail_outlets,
               m.vacancy_rate_count_all_pct, m.chain_share_count_pct, m.footfall_avg_weekly_per_point
        from dim_areas as a
        left join mart_area_year as m on m.level = 'winkelgebied' and m.area_code = a.area_id and m.year = ?
        where a.nis_code = ?
        order by m.outlets_total desc nulls last, a.name
        """,
        [year, nis],
    )


def footfall_weekly(db: Database, nis: str) -> pd.DataFrame:
    """Return weekly passers summed over a municipality's counting points, with year-on-year change.

    The change only counts weeks that were counted completely in both years, on the same points.
    ``days_counted`` is the fewest days any point counted that week (7: a complete week).
    """
    return db.query(
        """
        select w.week_start, sum(w.passers) as passers, min(w.days_counted) as days_counted,
               100.0 * (sum(w.passers) filter (where w.yoy_pct is not null)
                        / nullif(sum(w.passers_previous_year) filter (where w.yoy_pct is not null), 0) - 1)
                   as yoy_pct
        from mart_footfall_weekly as w inner join dim_counting_points as p using (point_id)
        where p.nis_code = ?
        group by w.week_start
        order by w.week_start
        """,
        [nis],
    )


def footfall_profile(db: Database, nis: str, year: int, profile: str) -> pd.DataFrame:
    """Return the average hour-of-day or weekday profile over a municipality's counting points."""
    return _points_profile(db, "nis_code", nis, year, profile)


def province_municipalities(db: Database, province_code: str, year: int) -> pd.DataFrame:
    """Return every municipality of a province with all its indicators in ``year`` (wide)."""
    return db.query(
        """
        select m.nis_code as area_code, m.name, a.*
        exclude (level, area_code)
        from ref_municipalities as m
        left join mart_area_year as a on a.level = 'gemeente' and a.area_code = m.nis_code and a.year = ?
        where m.province_code = ?
        order by m.name
        """,
        [year, province_code],
    )


# -- maps -----------------------------------------------------------------------------------------

def indicator_columns(db: Database) -> set[str]:
    """Return the ``mart_area_year`` columns that are catalogued indicators (the whitelist for maps)."""
    return set(db.query_cached('select distinct "column" from dim_indicator')["column"])


def map_shapes(db: Database, kind: str, nis: str | None = None) -> pd.DataFrame:
    """Return the outlines of one map layer: ``code``, ``nis_code``, ``geojson`` (text) and bounding box.

    ``kind`` is ``provincie``, ``gemeente`` or ``winkelgebied``; ``nis`` keeps one municipality's shapes.
    """
    return db.query_cached(
        "select code, nis_code, geojson, min_lon, min_lat, max_lon, max_lat from map_shapes "
        "where kind = ? and (? is null or nis_code = ?) order by code",
        (kind, nis, nis),
    )


def map_municipalities(db: Database, year: int, column: str) -> pd.DataFrame:
    """Return every municipality with its seat, province, outlets and one indicator (``value``) in ``year``.

    ``column`` must be a catalogued indicator column (it is an identifier, so it is checked, not bound).
    """
    if column not in indicator_columns(db):
        raise ValueError(f"onbekende indicator: {column!r}")
    return db.query(
        f"""
        select m.nis_code, m.name, m.province_code, p.name as province, m.lon, m.lat,
               a.outlets_total, a."{column}" as value
        from ref_municipalities as m
        inner join ref_provinces as p using (province_code)
        left join mart_area_year as a on a.level = 'gemeente' and a.area_code = m.nis_code and a.year = ?
        order by m.nis_code
        """,
        [year],
    )


def map_class_bounds(db: Database, scope: str, column: str, year: int, scheme: str) -> list[float]:
    """Return the upper bounds of the map classes the build computed (``mart_map_classes``), lowest first.

    ``scope`` is ``vlaanderen`` or a province code; empty when no municipality has a value.
    """
    df = db.query('select upper from mart_map_classes where scope = ? and "column" = ? and year = ? and scheme = ? '
                  "order by class", [scope, column, year, scheme])
    return [float(v) for v in df["upper"]]


def branch_groups(db: Database) -> pd.DataFrame:
    """Return the branch groups in display order: ``branch_group``, ``label``, ``is_retail``, ``color``."""
    return db.query_cached("select branch_group, label, is_retail, sort_order, color from ref_branch_groups "
                    "order by sort_order")


def map_outlets(db: Database, nis: str, years_: list[int]) -> pd.DataFrame:
    """Return every outlet of a municipality in the given inventories, with what the map and its table show."""
    return db.query(
        """
        select o.year, o.outlet_id, o.name, o.street, o.house_number, o.branch_code, b.branch_name,
               o.branch_group, o.is_vacant, o.is_chain, o.wvo_m2, o.vacancy_start, o.vacancy_class,
               o.area_id, a.name as area_name, o.lon, o.lat
        from fct_outlets as o
        left join ref_branches as b using (branch_code)
        left join dim_areas as a using (area_id)
        where o.nis_code = ? and list_contains(?, o.year) and o.lon is not null
        order by o.year, o.outlet_id
        """,
        [nis, years_],
    )


def map_areas(db: Database, nis: str, year: int) -> pd.DataFrame:
    """Return a municipality's shopping areas with outline (GeoJSON text) and key figures in ``year``.

    Once per build (a copy each time): the intake form draws them on every view and zone change.
    """
    return db.query_cached(
        """
        select a.area_id, a.name, a.area_type, a.is_legal_core, s.geojson,
               s.min_lon, s.min_lat, s.max_lon, s.max_lat,
               m.outlets_total, m.vacancy_rate_count_all_pct
        from dim_areas as a
        inner join map_shapes as s on s.kind = 'winkelgebied' and s.code = a.area_id
        left join mart_area_year as m on m.level = 'winkelgebied' and m.area_code = a.area_id and m.year = ?
        where a.nis_code = ?
        order by a.area_id
        """,
        (year, nis),
    )


def map_counting_points(db: Database, nis: str, year: int) -> pd.DataFrame:
    """Return a municipality's counting points with their average weekly passers in ``year`` (7 x daily)."""
    return db.query(
        """
        with y as (
            select point_id, 7 * avg(passers) as avg_weekly, count(*) as days_counted
            from mart_footfall_daily where year(count_date) = ? group by point_id
        )
        select p.point_id, p.name, p.area_id, p.lon, p.lat, y.avg_weekly, y.days_counted
        from dim_counting_points as p left join y using (point_id)
        where p.nis_code = ? and p.lon is not null
        order by p.point_id
        """,
        [year, nis],
    )


def point_weekly(db: Database, nis: str, point_id: str) -> pd.DataFrame:
    """Return the weekly passers of one counting point of municipality ``nis``, with year-on-year change."""
    return db.query(
        """
        select w.week_start, w.passers, w.days_counted, w.yoy_pct
        from mart_footfall_weekly as w inner join dim_counting_points as p using (point_id)
        where p.nis_code = ? and w.point_id = ?
        order by w.week_start
        """,
        [nis, point_id],
    )


def point_profile(db: Database, nis: str, point_id: str, year: int, profile: str) -> pd.DataFrame:
    """Return the hour-of-day or weekday profile of one counting point in ``year``."""
    return db.query(
        """
        select f.bucket, f.avg_passers
        from mart_footfall_profile as f inner join dim_counting_points as p using (point_id)
        where p.nis_code = ? and f.point_id = ? and f.year = ? and f.profile = ?
        order by f.bucket
        """,
        [nis, point_id, year, profile],
    )


# ---------------------------------------------------------------------------------------------------------------
# Fiche (DNA fiche of a shopping area, issue 5): page /gemeente/<nis>/fiche, its PDF and the `fiches` command.
# ---------------------------------------------------------------------------------------------------------------


def areas(db: Database) -> pd.DataFrame:
    """Return every shopping area with its municipality and province (no geometry).

    ``area_id``, ``name``, ``nis_code``, ``municipality``, ``province_code``, ``province``, ``area_type``,
    ``is_legal_core``, ``area_m2``, ``source``, and ``outlets_latest`` (all outlets in the latest year,
    used to pick a municipality's main shopping area).
    """
    return db.query_cached(
        """
        select a.area_id, a.name, a.nis_code, m.name as municipality, m.province_code, p.name as province,
               a.area_type, a.is_legal_core, a.area_m2, a.source, y.outlets_total as outlets_latest
        from dim_areas as a
        inner join ref_municipalities as m using (nis_code)
        inner join ref_provinces as p using (province_code)
        left join mart_area_year as y
            on y.level = 'winkelgebied' and y.area_code = a.area_id
           and y.year = (select max(year) from mart_area_year)
        order by a.nis_code, a.area_id
        """
    )


def area_geometry(db: Database, area_ids: list[str]) -> pd.DataFrame:
    """Return ``area_id``, ``name``, ``geometry_wkb`` (WGS84) of some shopping areas."""
    return db.query(
        "select area_id, name, geometry_wkb from dim_areas where list_contains(?, area_id) order by area_id",
        [area_ids],
    )


def area_geometry_wkb(db: Database, area_id: str) -> bytes | None:
    """Return the outline of one shopping area as WKB (WGS84), or ``None``."""
    found = db.query_row_or_none("select geometry_wkb from dim_areas where area_id = ?", [area_id])
    return None if found is None or found[0] is None else bytes(found[0])


def area_history(db: Database, area_ids: list[str], years_: list[int]) -> pd.DataFrame:
    """Return the wide ``mart_area_year`` rows of some shopping areas in some years."""
    return db.query(
        "select * from mart_area_year where level = 'winkelgebied' and list_contains(?, area_code) "
        "and list_contains(?, year) order by area_code, year",
        [area_ids, years_],
    )


def area_outlets(db: Database, area_id: str, year: int) -> pd.DataFrame:
    """Return the outlets of one shopping area in one inventory (points for the map, vacant units by size).

    ``outlet_id``, ``name``, ``branch_group``, ``is_vacant``, ``is_chain``, ``wvo_m2``, ``vacancy_class``,
    ``lon``, ``lat``.
    """
    return db.query(
        """
        select outlet_id, name, branch_group, is_vacant, is_chain, wvo_m2, vacancy_class, lon, lat
        from fct_outlets where area_id = ? and year = ?
        order by outlet_id
        """,
        [area_id, year],
    )


def area_footfall_profile(db: Database, area_id: str, year: int, profile: str) -> pd.DataFrame:
    """Return the hour-of-day or weekday profile averaged over the counting points of one shopping area."""
    return _points_profile(db, "area_id", area_id, year, profile)


def _points_profile(db: Database, key: str, code: str, year: int, profile: str) -> pd.DataFrame:
    # The key is an identifier, so it comes from a whitelist, never from the caller's text.
    column = {"nis_code": "p.nis_code", "area_id": "p.area_id"}[key]
    return db.query(
        f"""
        select f.bucket, avg(f.avg_passers) as avg_passers
        from mart_footfall_profile as f inner join dim_counting_points as p using (point_id)
        where {column} = ? and f.year = ? and f.profile = ?
        group by f.bucket order by f.bucket
        """,
        [code, year, profile],
    )


# ---------------------------------------------------------------------------------------------------------------
# Programme (issue 19): the municipality profiles the review, the variety view and "gemeenten zoals de uwe" read.
# ---------------------------------------------------------------------------------------------------------------


def programme_profiles(db: Database, year: int) -> pd.DataFrame:
    """Return one row per municipality: place, population and the DNA figures of ``year`` and the year before.

    ``nis_code``, ``name``, ``province_code``, ``province``, ``lat``, ``lon``, ``population``,
    ``vacancy_rate_count_all_pct``, ``vacancy_prev_pct`` (``year - 1``), ``vacancy_structural_rate_pct``,
    ``chain_share_count_pct``, ``outlets_per_1000_inh``, ``footfall_yoy_pct``, and ``area_type`` of the main
    shopping area (the one with most outlets in ``year``; ``None`` without areas).
    """
    return db.query_cached(
        """
        with main as (
            select d.nis_code, arg_max(d.area_type, coalesce(y.outlets_total, 0)) as area_type
            from dim_areas as d
            left join mart_area_year as y on y.level = 'winkelgebied' and y.area_code = d.area_id and y.year = ?
            group by d.nis_code
        )
        select m.nis_code, m.name, m.province_code, p.name as province, m.lat, m.lon, a.population,
               a.vacancy_rate_count_all_pct, prev.vacancy_rate_count_all_pct as vacancy_prev_pct,
               a.vacancy_structural_rate_pct, a.chain_share_count_pct, a.outlets_per_1000_inh, a.footfall_yoy_pct,
               main.area_type
        from ref_municipalities as m
        inner join ref_provinces as p using (province_code)
        left join mart_area_year as a on a.level = 'gemeente' and a.area_code = m.nis_code and a.year = ?
        left join mart_area_year as prev on prev.level = 'gemeente' and prev.area_code = m.nis_code
            and prev.year = ? - 1
        left join main using (nis_code)
        order by m.nis_code
        """,
        (year, year, year),
    )


# ---------------------------------------------------------------------------------------------------------------
# The fiche's view model in few queries (issue 15): every grouping and quartile of a fiche is computed here, so
# that an uncached fiche costs its queries and not pandas steps over their rows.
# ---------------------------------------------------------------------------------------------------------------



def _fiche_rows(scope: str) -> str:
    """Return the shopping areas' mart rows with the fiche's figures that the mart does not hold as such.

    The headline WVO vacancy takes the same ``scope`` (an SQL expression: ``alle`` or ``detailhandel``, the
    area's own in the fiche's year) for every row, so that a line or a peer comparison never mixes two scopes.
    """
    return f"""
        select * replace (case ({scope})::varchar when 'alle' then vacancy_rate_wvo_all_pct
                                                  when 'detailhandel' then vacancy_rate_wvo_retail_pct end
                          as vacancy_rate_wvo_headline_pct),
               retail_outlets - chain_outlets as independent_outlets
        from mart_area_year where level = 'winkelgebied'
    """


def area_size_classes(db: Database, class_bounds: tuple[float, ...]) -> pd.DataFrame:
    """Return every shopping area with its type and the size class of its municipality (kept per build).

    ``area_id``, ``nis_code``, ``area_type``, ``size_class``: the index in ``class_bounds`` (the classes' lower
    bounds, ascending) of the municipality's latest known population; empty when that is unknown.
    """
    return db.query_cached(
        f"""
        with pop as (
            select nis_code, arg_max(population, year) as population from dim_population group by nis_code
        )
        select a.area_id, a.nis_code, a.area_type,
               case when pop.population is not null
                    then len(list_filter([{", ".join("?" * len(class_bounds))}]::double[],
                                         lambda b: b <= pop.population)) - 1 end as size_class
        from dim_areas as a left join pop using (nis_code)
        order by a.area_id
        """,
        tuple(float(b) for b in class_bounds),
    )


def fiche_history(db: Database, area_id: str, years_: list[int], year: int) -> pd.DataFrame:
    """Return the mart rows of one shopping area in ``years_``, with the fiche's own figures.

    ``independent_outlets`` (retail outlets that are no chain) and ``vacancy_rate_wvo_headline_pct`` in the
    area's scope of ``year`` (``vacancy_wvo_scope``; no scope that year: empty).
    """
    return db.query(
        f"""
        with own as (select vacancy_wvo_scope from mart_area_year
                     where level = 'winkelgebied' and area_code = ? and year = ?)
        {_fiche_rows("select vacancy_wvo_scope from own")}
          and area_code = ? and list_contains(?, year)
        order by year
        """,
        [area_id, year, area_id, years_],
    )


def fiche_peer_quartiles(db: Database, peers: list[str], year: int, wvo_scope: str | None,
                         columns: list[str]) -> dict[str, tuple[float, float, float, int]]:
    """Return the peers' (P25, median, P75, count) of each figure in ``year``, interpolated linearly.

    Missing values are left out; a figure without any peer value has no entry. ``columns`` are the mart's
    columns or the fiche's own figures (see :func:`fiche_history`), ``wvo_scope`` the area's WVO scope.
    """
    if not columns:
        return {}
    unknown = [c for c in columns if not c.isidentifier()]
    if unknown:
        raise ValueError(f"no column names: {unknown}")
    stats = ", ".join(f'quantile_cont("{c}", [0.25, 0.5, 0.75]), count("{c}")' for c in columns)
    row = db.query_row_or_none(
        f"with rows as ({_fiche_rows('?')} and year = ? and list_contains(?, area_code)) select {stats} from rows",
        [wvo_scope, year, peers],
    )
    assert row is not None  # an aggregate without grouping always answers one row
    out = {}
    for i, column in enumerate(columns):
        quartiles, n = row[2 * i], row[2 * i + 1]
        if n:
            out[column] = (float(quartiles[0]), float(quartiles[1]), float(quartiles[2]), int(n))
    return out


def fiche_branch_groups(db: Database, area_id: str, peers: list[str], year: int) -> pd.DataFrame:
    """Return one row per branch group: the area's outlets and share against the peers' quartiles.

    ``branch_group``, ``label``, ``sort_order``, ``outlets``, ``share_pct``, ``peer_p25``, ``peer_median``,
    ``peer_p75``, ``peer_n``, ``peer_median_outlets``. A group an area lacks counts as 0 (the mart has no row
    for it), so a median is over all peers that have any outlet; without such peers the peer columns are empty.
    """
    # ``mix`` is read three times: computed once (DuckDB would otherwise scan the mart for each).
    frame = db.query_small(
        """
        with mix as materialized (
            select area_code, branch_group, coalesce(outlets, 0) as outlets,
                   coalesce(share_outlets_pct, 0) as share
            from mart_branch_mix
            where level = 'winkelgebied' and year = ? and (area_code = ? or list_contains(?, area_code))
        ),
        with_outlets as (select distinct area_code from mix where list_contains(?, area_code)),
        grid as (
            select p.area_code, g.branch_group, coalesce(m.outlets, 0) as outlets, coalesce(m.share, 0) as share
            from with_outlets as p cross join ref_branch_groups as g
            left join mix as m on m.area_code = p.area_code and m.branch_group = g.branch_group
        ),
        peer as (
            select branch_group, quantile_cont(share, [0.25, 0.5, 0.75]) as q, count(*) as n,
                   quantile_cont(outlets, 0.5) as median_outlets
            from grid group by branch_group
        )
        select g.branch_group, g.label, g.sort_order,
               coalesce(own.outlets, 0)::double as outlets, coalesce(own.share, 0)::double as share_pct,
               peer.q[1] as peer_p25, peer.q[2] as peer_median, peer.q[3] as peer_p75, peer.n as peer_n,
               peer.median_outlets::double as peer_median_outlets
        from ref_branch_groups as g
        left join mix as own on own.area_code = ? and own.branch_group = g.branch_group
        left join peer on peer.branch_group = g.branch_group
        order by g.sort_order
        """,
        [year, area_id, peers, peers, area_id],
    )
    # Without peers the peer columns hold no value: missing numbers, as a fiche reads them.
    peer_columns = ["peer_p25", "peer_median", "peer_p75", "peer_n", "peer_median_outlets"]
    frame[peer_columns] = frame[peer_columns].apply(pd.to_numeric)
    return frame


def fiche_vacant_by_size(db: Database, area_id: str, year: int, bands: list[tuple[float, float, str]]
                         ) -> pd.DataFrame:
    """Count the vacant units of a shopping area per size band: ``band``, ``vacant``, ``structural``, ``wvo_m2``.

    ``bands``: (from, below, label) in m² WVO. Units without a WVO get the band ``onbekend`` (only when there
    are any); a ``totaal`` row closes the table.
    """
    return db.query_small(
        """
        with bands as (
            select unnest(?::double[]) as lo, unnest(?::double[]) as hi, unnest(?::varchar[]) as band,
                   generate_subscripts(?::double[], 1) as i
        ),
        vacant as (select wvo_m2, vacancy_class = 'structureel' as structural
                   from fct_outlets where area_id = ? and year = ? and is_vacant),
        counted as (
            select b.i, b.band, count(v.wvo_m2) as vacant, count(v.wvo_m2) filter (where v.structural) as structural,
                   coalesce(sum(v.wvo_m2), 0) as wvo_m2
            from bands as b left join vacant as v on v.wvo_m2 >= b.lo and v.wvo_m2 < b.hi
            group by b.i, b.band
            union all
            select 1000, 'onbekend', count(*), count(*) filter (where structural), 0
            from vacant where wvo_m2 is null having count(*) > 0
            union all
            select 1001, 'totaal', count(*), count(*) filter (where structural), coalesce(sum(wvo_m2), 0) from vacant
        )
        select band, vacant, structural, wvo_m2::double as wvo_m2 from counted order by i
        """,
        [[lo for lo, _, _ in bands], [hi for _, hi, _ in bands], [label for *_, label in bands],
         [lo for lo, _, _ in bands], area_id, year],
    )


def area_footfall_profiles(db: Database, area_id: str, year: int) -> dict[str, pd.DataFrame]:
    """Return the ``uur`` and ``weekdag`` profiles of one shopping area: ``bucket``, ``avg_passers`` each.

    Each averaged over the area's counting points, as :func:`area_footfall_profile`, in one query.
    """
    rows = db.query_small(
        """
        select f.profile, f.bucket, avg(f.avg_passers) as avg_passers
        from mart_footfall_profile as f inner join dim_counting_points as p using (point_id)
        where p.area_id = ? and f.year = ? and f.profile in ('uur', 'weekdag')
        group by f.profile, f.bucket order by f.profile, f.bucket
        """,
        [area_id, year],
    ).itertuples(index=False)
    parts: dict[str, list[tuple[int, float]]] = {"uur": [], "weekdag": []}
    for profile, bucket, avg in rows:
        parts[profile].append((bucket, avg))
    return {k: pd.DataFrame(v, columns=["bucket", "avg_passers"]) for k, v in parts.items()}
