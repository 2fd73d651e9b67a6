"""``build --add-year``: a new inventory year added to a build equals the full build of all the files.

The fixture is the hand-made export split in two deliveries: the base (inventories 2023 and 2024, counts
around New Year 2024, population 2024) and the added year 2025 (its outlets, counts, population) in files
of their own name. The full build reads both deliveries from one folder. Each delivery holds a rejected
row, and the counts cross New Year, so the ISO week 2025-01 and the year-on-year figures change.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from data_pipelines.errors import BuildError
from data_pipelines.load import build
from data_pipelines.specs import FOOTFALL, OUTLETS
from tests.conftest import sha256
from tests.exports import aalst_rows, gent_rows, lochristi_rows, outlet, write_csv, write_fixture_export

OUTLET_HEADER = [c.name for c in OUTLETS.columns]
FOOTFALL_HEADER = [c.name for c in FOOTFALL.columns]
POPULATION_HEADER = ["CD_REFNIS", "CD_SEX", "CD_YEAR", "MS_POPULATION"]
REJECTS = 0.5  # each delivery holds a rejected row on purpose


def count(point: str, day: str, hour: int, passers: int) -> dict[str, str]:
    return {"telpunt_id": point, "datum": day, "uur": str(hour), "passanten": str(passers), "binnenkomers": ""}


def write_base(directory: Path) -> Path:
    """The base delivery: areas, counting points, inventories 2023-2024, counts of 2024, population 2024."""
    write_fixture_export(directory)
    (directory / "formules.csv").unlink()  # an added year reuses no formula list (see test_refusals)
    rows = [r for r in gent_rows() + lochristi_rows() if r["jaar"] == "2024"]
    # 2023: V4 already vacant (its streak starts here), O1 open; a row with an unknown branch is rejected.
    rows += [outlet(jaar="2023", vkp_id="V4", branche_code="LEE01", wvo_m2="200", leegstand="J", naam=""),
             outlet(jaar="2023", vkp_id="O1", branche_code="DAG01", wvo_m2="900", filiaal="J", formule="SuperA",
                    winkelgebied_id="WG1"),
             outlet(jaar="2023", vkp_id="X9", branche_code="ZZZ99", wvo_m2="10")]
    write_csv(directory / "verkooppunten.csv", OUTLET_HEADER, rows)
    days = ["01-01-2024", "02-01-2024", "08-01-2024", "30-12-2024", "31-12-2024"]
    write_csv(directory / "passanten.csv", FOOTFALL_HEADER,
              [count("TP1", d, h, 100 + 10 * i + h) for i, d in enumerate(days) for h in (10, 11)]
              + [count("TP9", "03-01-2024", 10, 5)])  # an unknown counting point: rejected
    write_csv(directory / "bevolking.csv", POPULATION_HEADER, [
        ["44021", "F", "2024", "500"], ["44021", "M", "2024", "490"], ["44034", "F", "2024", "500"],
        ["44073", "F", "2024", "300"]])
    return directory


def write_added(directory: Path) -> Path:
    """The added year 2025: its outlets, its counts (New Year's week included) and its population."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = [r for r in gent_rows() if r["jaar"] == "2025"] + aalst_rows()
    rows.append(outlet(jaar="2025", vkp_id="X8", branche_code="MOD01", winkelgebied_id="WG7"))  # unknown area
    write_csv(directory / "verkooppunten_2025.csv", OUTLET_HEADER, rows)
    days = ["01-01-2025", "02-01-2025", "03-01-2025", "06-01-2025", "07-01-2025"]
    write_csv(directory / "passanten_2025.csv", FOOTFALL_HEADER,
              [count("TP1", d, h, 120 + 10 * i + h) for i, d in enumerate(days) for h in (10, 11)])
    write_csv(directory / "bevolking_2025.csv", POPULATION_HEADER, [
        ["44021", "F", "2025", "520"], ["44021", "M", "2025", "480"]])
    return directory


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every table of a build (build_info aside) with its column types, its rows in the order of all columns."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'main' order by 1").fetchall()]
        for table in tables:
            if table == "build_info":
                continue
            columns = con.execute("select column_name, data_type from information_schema.columns "
                                  "where table_name = ? order by ordinal_position", [table]).fetchall()
            order = ", ".join(str(i + 1) for i in range(len(columns)))
            out[table] = [tuple(columns), *con.execute(f"select * from {table} order by {order}").fetchall()]
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The base delivery, the added year, and both in one folder (the full build's)."""
    root = tmp_path_factory.mktemp("years")
    base, added, whole = write_base(root / "base"), write_added(root / "added"), root / "whole"
    shutil.copytree(base, whole)
    for path in added.iterdir():
        shutil.copy(path, whole / path.name)
    return base, added, whole


@pytest.fixture(scope="module")
def base_db(deliveries: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("base") / "retail.duckdb"
    build(deliveries[0], db, max_reject_fraction=REJECTS)
    return db


def test_added_year_equals_the_full_build_table_by_table(deliveries: tuple[Path, Path, Path], base_db: Path,
                                                         tmp_path: Path) -> None:
    _base, added, whole = deliveries
    db = tmp_path / "retail.duckdb"
    shutil.copy(base_db, db)
    summary = build(added, db, add_year=True, max_reject_fraction=REJECTS)
    full = tmp_path / "full.duckdb"
    build(whole, full, max_reject_fraction=REJECTS)
    incremental, expected = dump(db), dump(full)
    assert sorted(incremental) == sorted(expected)
    for table, rows in expected.items():
        assert incremental[table] == rows, table
    # The comparison sees the years that matter: both inventories' rows, the week across New Year, the rejects.
    assert {r[0] for r in expected["fct_outlets"][1:]} == {2023, 2024, 2025}
    weeks = {(r[1], r[2]): r[5] for r in expected["mart_footfall_weekly"][1:]}  # (iso_year, iso_week) -> days
    assert weeks[(2025, 1)] == 5  # 30-12-2024 .. 03-01-2025: two base days and three added ones
    reasons = {r[4] for r in expected["rejects"][1:]}
    assert "onbekend winkelgebied (niet in winkelgebieden.csv)" in reasons
    assert any(r.startswith("onbekend telpunt") for r in reasons)
    assert [f.file for f in summary.files][-3:] == ["verkooppunten_2025.csv", "passanten_2025.csv",
                                                    "bevolking_2025.csv"]


def test_the_old_years_are_kept_not_recomputed(deliveries: tuple[Path, Path, Path], base_db: Path,
                                               tmp_path: Path) -> None:
    """A mark put on a 2024 row of each mart survives the addition: the old years' rows are the base's."""
    db = tmp_path / "retail.duckdb"
    shutil.copy(base_db, db)
    con = duckdb.connect(str(db))
    marked = {"fct_outlets": "wvo_m2 = wvo_m2 + 0.5 where year = 2024 and outlet_id = 'O1'",
              "mart_area_year": "outlets_total = outlets_total + 1000 where year = 2024 and level = 'vlaanderen'",
              "mart_footfall_daily": "passers = passers + 7 where count_date = date '2024-01-08'"}
    for table, change in marked.items():
        con.execute(f"update {table} set {change}")
    con.close()
    build(deliveries[1], db, add_year=True, max_reject_fraction=REJECTS)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select wvo_m2 from fct_outlets where year = 2024 and outlet_id = 'O1'").fetchone() \
            == (1000.5,)
        total = con.execute("select outlets_total from mart_area_year where year = 2024 and level = 'vlaanderen'")
        assert total.fetchone()[0] > 1000
        assert con.execute("select passers from mart_footfall_daily where count_date = date '2024-01-08'")\
            .fetchone()[0] == (130 + 131) + 7
        assert con.execute("select count(*) from fct_outlets where year = 2025").fetchone()[0] > 0
    finally:
        con.close()


def _refused(source: Path, db: Path, match: str, **kwargs: object) -> None:
    before = sha256(db)
    with pytest.raises(BuildError, match=match):
        build(source, db, add_year=True, **{"max_reject_fraction": REJECTS, **kwargs})
    assert sha256(db) == before
    assert not list(db.parent.glob(f".{db.name}.*"))  # no half-written copy left behind


@pytest.mark.parametrize(("change", "match"), [
    ("verkooppunten_2025.csv:jaar=2024", "jaar 2024 is niet nieuwer dan de database"),
    ("verkooppunten_2025.csv:two years", "één inventarisjaar"),
    ("passanten_2025.csv:2024", "valt buiten het toegevoegde jaar 2025"),
    ("bevolking_2025.csv:2024", "bevolking van 2024 verandert de vorige jaren"),
    ("winkelgebieden.csv", "winkelgebieden horen niet bij een toegevoegd jaar"),
    ("verkooppunten.csv", "bevat al een bestand met deze naam"),
])
def test_refusals_leave_the_database_untouched(change: str, match: str, deliveries: tuple[Path, Path, Path],
                                               base_db: Path, tmp_path: Path) -> None:
    added = shutil.copytree(deliveries[1], tmp_path / "added")
    db = tmp_path / "retail.duckdb"
    shutil.copy(base_db, db)
    name, _, what = change.partition(":")
    path = added / name
    if what == "jaar=2024":
        path.write_text(re.sub("^2025;", "2024;", path.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    elif what == "two years":
        with path.open("a", encoding="utf-8") as fh:
            fh.write("2026" + path.read_text(encoding="utf-8").splitlines()[1].removeprefix("2025") + "\n")
    elif what == "2024":
        with path.open("a", encoding="utf-8") as fh:
            fh.write("TP1;05-01-2024;10;1;;\n" if name.startswith("passanten") else "44021;F;2024;1\n")
    else:
        shutil.copy(deliveries[0] / name, path)
        if name == "verkooppunten.csv":
            (added / "verkooppunten_2025.csv").unlink()
    _refused(added, db, match)


def test_refused_for_another_code_version_and_without_a_base(deliveries: tuple[Path, Path, Path], base_db: Path,
                                                             tmp_path: Path) -> None:
    db = tmp_path / "retail.duckdb"
    shutil.copy(base_db, db)
    con = duckdb.connect(str(db))
    con.execute("update build_info set value = 'ouder' where key = 'code_version'")
    con.close()
    _refused(deliveries[1], db, "andere versie van de ETL .*bouw volledig")
    with pytest.raises(BuildError, match="geen database om een jaar aan toe te voegen"):
        build(deliveries[1], tmp_path / "nergens.duckdb", add_year=True)
    _refused(deliveries[1], db, "gemeentegrenzen en de formulelijst", formulas=deliveries[0] / "telpunten.csv")


def test_a_failure_midway_leaves_the_database_untouched(deliveries: tuple[Path, Path, Path], base_db: Path,
                                                        tmp_path: Path) -> None:
    """Too many rejects in the added year's counts (9 %, 6 % in its outlets) stop the build after the copy was
    changed: the original stays."""
    added = shutil.copytree(deliveries[1], tmp_path / "added")
    db = tmp_path / "retail.duckdb"
    shutil.copy(base_db, db)
    path = added / "passanten_2025.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("TP1;08-01-2025;10;veel;;\n")
    _refused(added, db, "passanten_2025.csv: 1 van 11 regels afgekeurd", max_reject_fraction=0.07)
