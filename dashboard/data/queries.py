"""Typed query functions: every SQL statement of the app lives here, values as bound parameters."""

from __future__ import annotations

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


def health(db: Database) -> dict[str, Any]:
    """Return what ``/health`` reports: presence, build id and date, source, row counts."""
    info = build_info(db)
    return {
        "status": "ok",
        "database": str(db.path),
        "build_id": info.get("build_id"),
        "built_at": info.get("built_at"),
        "source": info.get("source_label"),
        "source_dir": info.get("source_dir"),
        "synthetic": info.get("is_synthetic") == "true",
        "row_counts": json.loads(info.get("tables", "{}")),
    }
