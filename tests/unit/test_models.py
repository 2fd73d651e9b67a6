"""The model graph: declarations read from the SQL headers, the order, and the grain tests after a build."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import duckdb
import pytest

from data_pipelines import models
from data_pipelines.errors import BuildError
from data_pipelines.load import build
from tests.conftest import run_cli, sha256

#: Tables of a build that are no model: the build's own record (and the keys an added year is checked against).
NOT_MODELS = {"build_info", "build_delivery_keys", "rejects"}


def test_every_table_of_a_build_is_a_declared_model_or_a_source(fixture_db: Path) -> None:
    registry = models.registry()
    con = duckdb.connect(str(fixture_db), read_only=True)
    try:
        tables = {t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    undeclared = {t for t in tables - NOT_MODELS if t not in registry and t not in models.SOURCES}
    assert undeclared == set()
    persisted = {n for n, m in registry.items() if m.materialized != "temp"}
    assert persisted <= tables


def test_the_grain_of_every_model_is_unique_in_the_fixture_build(fixture_db: Path) -> None:
    con = duckdb.connect(str(fixture_db), read_only=True)
    try:
        for name, model in models.registry().items():
            if model.materialized == "temp":
                continue  # gone with the build's connection
            key = ", ".join(f'"{c}"' for c in model.grain)
            rows, keys = con.execute(f"select count(*), count(distinct ({key})) from {name}").fetchone()
            assert rows == keys, f"{name}: {rows - keys} duplicate keys ({key})"
            assert rows > 0 or name in ("int_counting_points_placed",), f"{name} is empty in the fixture build"
            models.assert_model(con, model)  # not-null and relationships too, as the build did
    finally:
        con.close()


def test_the_marts_have_the_grain_the_app_relies_on() -> None:
    grains = {n: m.grain for n, m in models.registry().items()}
    assert grains["mart_area_year"] == ("level", "area_code", "year")
    assert grains["mart_footfall_daily"] == ("point_id", "count_date")
    assert grains["mart_indicator_values"] == ("level", "area_code", "indicator", "scope", "year")
    assert grains["map_shapes"] == ("kind", "code")


def test_the_order_puts_every_model_after_its_dependencies() -> None:
    registry = models.registry()
    names = models.order(registry)
    assert sorted(names) == sorted(registry)
    for position, name in enumerate(names):
        for dep in registry[name].depends_on:
            assert dep in models.SOURCES or names.index(dep) < position, f"{name} before {dep}"


def test_a_cycle_is_refused_naming_the_models() -> None:
    a = models.Model("a", depends_on=("b",), grain=("k",), sql="select * from b")
    b = models.Model("b", depends_on=("a",), grain=("k",), sql="select * from a")
    with pytest.raises(BuildError, match="kringloop in de modellen"):
        models.order({"a": a, "b": b})


def test_a_query_reading_an_undeclared_table_is_refused(tmp_path: Path) -> None:
    sql = tmp_path / "mart_x.sql"
    sql.write_text("-- x\n-- materialized: table\n-- depends_on: valid_outlets\n-- grain: jaar\n"
                   "select o.jaar from valid_outlets as o join ref_branches as b on b.branch_code = o.branche_code\n")
    model = models.parse_sql_model(sql)
    assert model.depends_on == ("valid_outlets",)
    with pytest.raises(BuildError, match=r"mart_x\.sql: leest ref_branches zonder het in depends_on te noemen"):
        models.check_declarations({"mart_x": model})


def test_a_header_without_grain_is_refused(tmp_path: Path) -> None:
    sql = tmp_path / "mart_y.sql"
    sql.write_text("-- materialized: table\n-- depends_on: stg_outlets\nselect * from stg_outlets\n")
    with pytest.raises(BuildError, match=r"mart_y\.sql: kop '-- grain:' ontbreekt"):
        models.parse_sql_model(sql)


def _in_memory(sql: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(sql)
    return con


def test_a_duplicate_key_names_the_model_the_key_and_the_row() -> None:
    con = _in_memory("create table m as select * from (values ('A', 2024), ('B', 2024), ('A', 2024)) t(area, year)")
    model = models.Model("m", depends_on=(), grain=("area", "year"), sql="", path="marts/m.sql")
    with pytest.raises(BuildError, match=r"model m: sleutel \(area, year\) is niet uniek: \('A', 2024\) komt 2 "
                                         r"keer voor \(marts/m.sql\)"):
        models.assert_model(con, model)


def test_an_added_year_is_tested_on_its_rows_and_their_keys_among_all() -> None:
    """After ``--add-year`` the tests read the changed rows; a new row repeating an old key is still found."""
    con = _in_memory("create table m as select * from (values ('A', 2024, 1), ('A', 2024, 1), ('A', 2025, null), "
                     "('B', 2025, 3)) t(area, year, n)")
    model = models.Model("m", depends_on=(), grain=("area", "year"), not_null=("n",), sql="")
    models.assert_model(con, model, "(select * from m where year = 2025 and n is not null)")  # 2024 not read
    with pytest.raises(BuildError, match=r"kolom n is leeg in de rij met sleutel \(area, year\) = \('A', 2025\)"):
        models.assert_model(con, model, "(select * from m where year = 2025)")
    with pytest.raises(BuildError, match=r"sleutel \(area, year\) is niet uniek: \('A', 2024\) komt 2 keer"):
        models.assert_model(con, model, "(select 'A' as area, 2024 as year, 1 as n)")


def test_a_null_and_a_dangling_relationship_are_named() -> None:
    con = _in_memory("create table ref as select 'X' as code; "
                     "create table m as select * from (values (1, 'X', 5), (2, 'Y', null)) t(id, code, n)")
    null = models.Model("m", depends_on=(), grain=("id",), not_null=("n",), sql="")
    with pytest.raises(BuildError, match=r"model m: kolom n is leeg in de rij met sleutel \(id\) = \(2,\)"):
        models.assert_model(con, null)
    dangling = models.Model("m", depends_on=(), grain=("id",), sql="",
                            relationships=(models.parse_relationship("code -> ref.code", "m"),))
    with pytest.raises(BuildError, match=r"model m: code = 'Y' staat niet in ref.code \(rij met sleutel \(id\) = "
                                         r"\(2,\)"):
        models.assert_model(con, dangling)


def test_a_duplicated_key_fails_the_build_and_keeps_the_previous_database(
        setup: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    export, db, before = setup
    real = models.registry()
    areas = real["dim_areas"]
    broken = dict(real, dim_areas=dataclasses.replace(
        areas, sql=f"select * from ({areas.sql}) union all select * from ({areas.sql}) where area_id = 'WG1'"))
    monkeypatch.setattr(models, "registry", lambda: broken)
    with pytest.raises(BuildError, match=r"model dim_areas: sleutel \(area_id\) is niet uniek: \('WG1',\) "
                                         r"komt 2 keer voor"):
        build(export, db)
    assert sha256(db) == before


def test_models_command_prints_the_graph_and_its_dot() -> None:
    done = run_cli("models")
    assert done.returncode == 0, done.stderr
    for name in models.registry():
        assert f"\n{name} [" in "\n" + done.stdout
    assert "mart_area_year [table, sql] grain (level, area_code, year)" in done.stdout
    dot = run_cli("models", "--dot")
    assert dot.returncode == 0, dot.stderr
    assert dot.stdout.startswith("digraph models {")
    assert '"stg_footfall" -> "mart_footfall_daily";' in dot.stdout
    assert '"int_counting_points_placed" -> "dim_counting_points";' in dot.stdout


DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_the_app_reads_no_staging_or_intermediate_table() -> None:
    found = [f"{path.relative_to(DASHBOARD)}: {m.group(0)}"
             for path in sorted(DASHBOARD.rglob("*.py"))
             for m in re.finditer(r"\b(?:stg|int|typed|valid)_[a-z_]+\b", path.read_text(encoding="utf-8"))]
    assert found == []
    assert "from dim_counting_points" in (DASHBOARD / "data" / "queries.py").read_text(encoding="utf-8")
