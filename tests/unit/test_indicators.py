"""Every indicator of ../shared/INDICATORS.md against numbers computed by hand (tests/exports.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


def row(db: Path, level: str, code: str, year: int) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        df = con.execute("select * from mart_area_year where level = ? and area_code = ? and year = ?",
                         [level, code, year]).df()
    finally:
        con.close()
    assert len(df) == 1, f"no mart row for {level} {code} {year}"
    return df.iloc[0].to_dict()


def values(db: Path, sql: str, params: list) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("outlets_total", 9),
        ("outlets_vacant", 4),
        ("outlets_occupied", 5),
        ("retail_outlets", 3),
        ("leisure_outlets", 1),
        ("services_outlets", 1),
        ("retail_wvo_m2", 1300),
        ("vacant_wvo_m2", 700),
        ("vacancy_rate_count_retail_pct", 100 * 4 / 7),
        ("vacancy_rate_count_all_pct", 100 * 4 / 9),
        ("vacancy_rate_wvo_retail_pct", 35.0),
        ("vacancy_rate_wvo_all_pct", 100 * 700 / 2200),
        ("vacancy_rate_wvo_headline_pct", 100 * 700 / 2200),  # all outlets measured: the widest scope
        ("vacant_frictional", 2),  # V1 (213 days) and V4 (exactly one year since its first vacant inventory)
        ("vacant_longterm", 1),  # V2 (2.5 years)
        ("vacant_structural", 1),  # V3 (since 2020)
        ("vacancy_frictional_share_vacant_pct", 50.0),
        ("vacancy_longterm_share_vacant_pct", 25.0),
        ("vacancy_structural_share_vacant_pct", 25.0),
        ("vacancy_frictional_rate_pct", 100 * 2 / 9),
        ("vacancy_structural_rate_pct", 100 * 1 / 9),
        ("chain_share_count_pct", 100 * 2 / 3),
        ("chain_share_wvo_pct", 100 * 1200 / 1300),
        ("avg_wvo_per_store_m2", 1300 / 3),
        ("population", 1000),
        ("outlets_per_1000_inh", 3.0),
        ("wvo_per_inh_m2", 1.3),
    ],
)
def test_gent_2025_indicator_matches_hand_computation(fixture_db: Path, column: str, expected: float) -> None:
    assert row(fixture_db, "gemeente", "44021", 2025)[column] == pytest.approx(expected)


def test_vacancy_duration_without_date_runs_from_first_vacant_inventory(fixture_db: Path) -> None:
    classes = dict(values(fixture_db, "select year, vacancy_class from fct_outlets where outlet_id = 'V4'", []))
    # 2024: first vacant inventory itself (0 days); 2025: exactly one year later, still frictional.
    assert classes == {2024: "frictioneel", 2025: "frictioneel"}


def test_scope_break_wvo_all_outlets_only_where_leisure_and_services_were_measured(fixture_db: Path) -> None:
    got = values(fixture_db, "select year, scope from mart_indicator_values where level = 'gemeente' and "
                             "area_code = '44021' and indicator = 'vacancy_rate_wvo' order by year, scope", [])
    assert got == [(2024, "detailhandel"), (2025, "alle"), (2025, "detailhandel")]


def test_gent_2024_retail_scope_vacancy_wvo(fixture_db: Path) -> None:
    r = row(fixture_db, "gemeente", "44021", 2024)
    # occupied retail 1000 + 100 + 200 + V1's 100 = 1400 m²; vacant V2 300 + V3 100 + V4 200 = 600 m²
    assert r["vacancy_rate_wvo_retail_pct"] == pytest.approx(100 * 600 / 2000)
    assert r["vacancy_rate_wvo_all_pct"] is None or r["vacancy_rate_wvo_all_pct"] != r["vacancy_rate_wvo_all_pct"]
    # The headline falls back to the retail scope, and says so.
    assert r["vacancy_rate_wvo_headline_pct"] == pytest.approx(100 * 600 / 2000)
    assert r["vacancy_wvo_scope"] == "detailhandel"
    assert row(fixture_db, "gemeente", "44021", 2025)["vacancy_wvo_scope"] == "alle"


def test_chain_follows_from_formula_size_when_the_export_has_no_flag(fixture_db: Path) -> None:
    assert row(fixture_db, "gemeente", "41002", 2025)["chain_share_count_pct"] == pytest.approx(87.5)


def test_pre_2025_codes_are_merged_into_the_new_municipality(fixture_db: Path) -> None:
    assert values(fixture_db, "select nis_code, nis_code_export from stg_outlets where outlet_id = 'L1'", []) == [
        ("44087", "44073")]
    assert values(fixture_db, "select population from stg_population where nis_code = '44087' and year = 2024",
                  []) == [(800,)]


def test_shopping_area_level_counts_only_outlets_in_the_area(fixture_db: Path) -> None:
    r = row(fixture_db, "winkelgebied", "WG1", 2025)
    assert (r["outlets_total"], r["retail_outlets"], r["leisure_outlets"]) == (4, 3, 1)
    assert r["vacancy_rate_count_all_pct"] == 0


def test_province_population_needs_every_municipality(fixture_db: Path) -> None:
    r = row(fixture_db, "provincie", "40000", 2025)
    assert r["outlets_total"] == 9 + 8  # Gent and Aalst
    assert r["outlets_per_1000_inh"] != r["outlets_per_1000_inh"] or r["outlets_per_1000_inh"] is None


def test_branch_mix_shares(fixture_db: Path) -> None:
    got = dict(values(fixture_db, "select branch_group, share_outlets_pct from mart_branch_mix where level = "
                                  "'gemeente' and area_code = '44021' and year = 2025", []))
    assert got["Leegstand"] == pytest.approx(100 * 4 / 9)
    assert got["Mode & Luxe"] == pytest.approx(100 * 2 / 9)
    assert sum(got.values()) == pytest.approx(100)


def test_footfall_aggregates(fixture_db: Path) -> None:
    r = row(fixture_db, "gemeente", "44021", 2025)
    assert r["footfall_avg_daily_per_point"] == pytest.approx(300)  # (300 + 300) / 2 days
    assert r["footfall_avg_weekly_per_point"] == pytest.approx(2100)
    assert r["capture_rate_pct"] == pytest.approx(100 * 60 / 660)
    daily = values(fixture_db, "select count_date::varchar, passers from mart_footfall_daily order by 1", [])
    assert daily == [("2025-01-06", 300), ("2025-01-07", 300)]
    hours = values(fixture_db, "select bucket, avg_passers from mart_footfall_profile where profile = 'uur' "
                               "order by bucket", [])
    assert hours == [(10, 200.0), (11, 200.0)]
    weekdays = values(fixture_db, "select bucket, avg_passers from mart_footfall_profile where profile = "
                                  "'weekdag' order by bucket", [])
    assert weekdays == [(1, 300.0), (2, 300.0)]
