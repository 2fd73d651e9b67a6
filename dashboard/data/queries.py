"""Typed query functions: every SQL statement of the app lives here, values as bound parameters."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd

from dashboard.data.db import Database

#: Columns of the municipality table on the home page, in order (mart column -> Dutch header).
MUNICIPALITY_COLUMNS: dict[str, str] = {
    "name": "Gemeente",
    "province": "Provincie",
    "population": "Inwoners",
    "outlets_total": "Verkooppunten",
    "retail_outlets": "Winkels",
    "retail_wvo_m2": "WVO detailhandel (m²)",
    "vacancy_rate_count_all_pct": "Leegstand aantal (%)",
    "vacancy_rate_wvo_headline_pct": "Leegstand WVO (%)",
    "vacancy_structural_rate_pct": "Structurele leegstand (%)",
    "chain_share_count_pct": "Ketens (%)",
    "outlets_per_1000_inh": "Winkels per 1.000 inw.",
    "footfall_avg_weekly_per_point": "Passanten per week",
}


def build_info(db: Database) -> dict[str, str]:
    """Return the build metadata (id, date, source, synthetic flag, files and table counts)."""
    df = db.query("select key, value from build_info")
    return dict(zip(df["key"], df["value"], strict=True))


def years(db: Database) -> list[int]:
    """Return the inventory years present, oldest first."""
    df = db.query("select distinct year from mart_area_year where level = 'vlaanderen' order by year")
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

    ``vacancy_rate_wvo_headline_pct`` is the all-outlets WVO vacancy where measured, else the retail
    scope, with the scope used in ``vacancy_wvo_scope``.
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
            coalesce(a.vacancy_rate_wvo_all_pct, a.vacancy_rate_wvo_retail_pct) as vacancy_rate_wvo_headline_pct,
            case when a.vacancy_rate_wvo_all_pct is not null then 'alle'
                 when a.vacancy_rate_wvo_retail_pct is not null then 'detailhandel' end as vacancy_wvo_scope,
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
        "database": str(db.path),
        "build_id": info.get("build_id"),
        "built_at": built,
        "source": info.get("source_label"),
        "source_dir": info.get("source_dir"),
        "synthetic": info.get("is_synthetic") == "true",
        "row_counts": json.loads(info.get("tables", "{}")),
    }


def municipalities(db: Database) -> pd.DataFrame:
    """Return every municipality with its province and latest known population."""
    return db.query(
        """
        with latest as (
            select nis_code, arg_max(population, year) as population from stg_population group by nis_code
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
    return db.query("select area_id, nis_code from stg_areas order by area_id")


def nis_mergers(db: Database) -> dict[str, str]:
    """Return the NIS codes of before the 2019 and 2025 mergers with the code they live on under."""
    df = db.query("select code, nis_code from ref_nis_map where code <> nis_code")
    return dict(zip(df["code"], df["nis_code"], strict=True))


def postal_codes(db: Database) -> pd.DataFrame:
    """Return postal code -> NIS code pairs."""
    return db.query("select postal_code, nis_code from ref_postal_codes order by postal_code")


def provinces(db: Database) -> pd.DataFrame:
    """Return the provinces: ``province_code``, ``name``."""
    return db.query("select province_code, name from ref_provinces order by province_code")


def indicator_catalogue(db: Database) -> pd.DataFrame:
    """Return the indicator catalogue (``dim_indicator``), one row per indicator and scope."""
    return db.query("select * from dim_indicator")


def indicator_values(db: Database, level: str, codes: list[str], indicator: str) -> pd.DataFrame:
    """Return ``area_code``, ``year``, ``scope``, ``value`` of one indicator for some areas, all years."""
    return db.query(
        "select area_code, year, scope, value from mart_indicator_values "
        "where level = ? and list_contains(?, area_code) and indicator = ? order by area_code, scope, year",
        [level, codes, indicator],
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
        from stg_areas as a
        left join mart_area_year as m on m.level = 'winkelgebied' and m.area_code = a.area_id and m.year = ?
        where a.nis_code = ?
        order by m.outlets_total desc nulls last, a.name
        """,
        [year, nis],
    )


def footfall_weekly(db: Database, nis: str) -> pd.DataFrame:
    """Return weekly passers summed over a municipality's counting points, with year-on-year change.

    The change only counts weeks that were counted completely in both years, on the same points.
    """
    return db.query(
        """
        select w.week_start, sum(w.passers) as passers,
               100.0 * (sum(w.passers) filter (where w.yoy_pct is not null)
                        / nullif(sum(w.passers_previous_year) filter (where w.yoy_pct is not null), 0) - 1)
                   as yoy_pct
        from mart_footfall_weekly as w inner join stg_counting_points as p using (point_id)
        where p.nis_code = ?
        group by w.week_start
        order by w.week_start
        """,
        [nis],
    )


def footfall_profile(db: Database, nis: str, year: int, profile: str) -> pd.DataFrame:
    """Return the average hour-of-day or weekday profile over a municipality's counting points."""
    return db.query(
        """
        select f.bucket, avg(f.avg_passers) as avg_passers
        from mart_footfall_profile as f inner join stg_counting_points as p using (point_id)
        where p.nis_code = ? and f.year = ? and f.profile = ?
        group by f.bucket order by f.bucket
        """,
        [nis, year, profile],
    )


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
