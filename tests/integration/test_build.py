"""The build and the demo through their real command line."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import call_cli, run_cli


def tables(db: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'main' order by 1").fetchall()]
        return {n: con.execute(f'select * from "{n}" order by all').df() for n in names if n != "build_info"}
    finally:
        con.close()


def test_cli_build_loads_the_fixture_and_prints_a_summary(fixture_export: Path, tmp_path: Path) -> None:
    db = tmp_path / "out" / "retail.duckdb"
    done = run_cli("build", "--source", str(fixture_export), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "verkooppunten.csv" in done.stderr and "klaar in" in done.stderr
    assert "[" in done.stderr.splitlines()[0]  # one progress line per step, with its time
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from ref_municipalities").fetchone()[0] == 285
        assert con.execute("select count(*) from stg_outlets").fetchone()[0] == 27
        assert con.execute("select count(*) from rejects").fetchone()[0] == 0
        assert con.execute("select value from build_info where key = 'is_synthetic'").fetchone()[0] == "false"
        assert con.execute("select count(distinct level) from mart_area_year").fetchone()[0] == 4
    finally:
        con.close()
    assert db.with_suffix(".rejects.csv").read_text(encoding="utf-8").startswith("bestand;regel;kolom;waarde;reden")


def test_rebuilding_the_same_input_gives_the_same_tables(fixture_export: Path, tmp_path: Path) -> None:
    from data_pipelines.load import build

    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build(fixture_export, first)
    build(fixture_export, second)
    a, b = tables(first), tables(second)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_population_file_from_the_command_line_with_year_in_its_name(fixture_export: Path, tmp_path: Path) -> None:
    (fixture_export / "bevolking.csv").unlink()
    statbel = tmp_path / "TF_SOC_POP_STRUCT_2025.csv"
    statbel.write_text("CD_REFNIS|TX_DESCR_NL|CD_SEX|MS_POPULATION\n44021|Gent|F|700\n44021|Gent|M|300\n",
                       encoding="utf-8")
    db = tmp_path / "pop.duckdb"
    done = call_cli("build", "--source", str(fixture_export), "--db", str(db), "--population", str(statbel))
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select year, population from stg_population").fetchall() == [(2025, 1000)]
    con.close()


def test_xlsx_export_loads_like_its_csv(fixture_export: Path, tmp_path: Path) -> None:
    csv_path = fixture_export / "verkooppunten.csv"
    frame = pd.read_csv(csv_path, sep=";", dtype=str, keep_default_na=False)
    with pd.ExcelWriter(fixture_export / "verkooppunten.xlsx") as writer:
        pd.DataFrame({"info": ["Export van een ander werkblad"]}).to_excel(writer, sheet_name="Info", index=False)
        frame.to_excel(writer, sheet_name="Verkooppunten", index=False)
    csv_path.unlink()
    db = tmp_path / "xlsx.duckdb"
    done = call_cli("build", "--source", str(fixture_export), "--db", str(db), "--strict")
    assert done.returncode == 0, done.stderr
    assert "werkblad 'Verkooppunten'" in done.stderr
    con = duckdb.connect(str(db), read_only=True)
    # 2000 + 2200 m² in Gent, 8 x 80 in Aalst, 70 in Lochristi
    assert con.execute("select count(*), sum(wvo_m2) from stg_outlets").fetchone() == (27, 4910.0)
    con.close()


@pytest.fixture(scope="module")
def demo_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("demo-twice")
    for name in ("a", "b"):
        done = run_cli("demo", "--out", str(base / name), "--seed", "7")
        assert done.returncode == 0, done.stderr
    return base / "a", base / "b"


def test_demo_with_the_same_seed_is_byte_identical(demo_twice: tuple[Path, Path]) -> None:
    a, b = demo_twice
    names = sorted(p.name for p in a.iterdir())
    assert names == ["LEESMIJ.txt", "bevolking.csv", "passanten.csv", "telpunten.csv", "verkooppunten.csv",
                     "winkelgebieden.csv"]
    _match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_demo_split_in_a_base_and_its_last_year_holds_the_rows_of_the_whole(demo_twice: tuple[Path, Path],
                                                                            tmp_path: Path) -> None:
    """``--until 2024`` and ``--only 2025`` of the same seed: together, line for line, the whole demo."""
    whole, _ = demo_twice
    for flag, year in (("--until", "2024"), ("--only", "2025")):
        done = run_cli("demo", "--out", str(tmp_path / flag), "--seed", "7", flag, year)
        assert done.returncode == 0, done.stderr
    base, added = tmp_path / "--until", tmp_path / "--only"
    assert sorted(p.name for p in added.iterdir()) == ["bevolking_2025.csv", "passanten_2025.csv",
                                                       "verkooppunten_2025.csv"]
    assert (base / "winkelgebieden.csv").read_bytes() == (whole / "winkelgebieden.csv").read_bytes()
    assert (base / "telpunten.csv").read_bytes() == (whole / "telpunten.csv").read_bytes()
    year_of = {"verkooppunten": lambda f: f[0], "passanten": lambda f: f[1][-4:], "bevolking": lambda f: f[3]}
    for name, year in year_of.items():
        lines = (whole / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        first = (base / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        last = (added / f"{name}_2025.csv").read_text(encoding="utf-8").splitlines()
        assert first[0] == last[0] == lines[0]
        assert sorted(first[1:] + last[1:]) == sorted(lines[1:]), name
        assert {year(line.split(";")) for line in last[1:]} == {"2025"}, name
        assert max(year(line.split(";")) for line in first[1:]) == "2024", name


def test_every_demo_file_says_it_is_synthetic(demo_twice: tuple[Path, Path]) -> None:
    a, _ = demo_twice
    assert "SYNTHETISCHE DEMODATA" in (a / "LEESMIJ.txt").read_text(encoding="utf-8")
    for path in a.glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            reader = csv.DictReader(fh, delimiter=";")
            first = next(reader)
        assert first["bron"].startswith("SYNTHETISCH"), path.name


def test_demo_covers_all_municipalities_and_carries_pre_merger_codes(demo_twice: tuple[Path, Path]) -> None:
    a, _ = demo_twice
    outlets = pd.read_csv(a / "verkooppunten.csv", sep=";", dtype=str, usecols=["jaar", "nis_code"])
    from data_pipelines import reference

    mapped = outlets["nis_code"].map({c: reference.map_nis_code(c) for c in outlets["nis_code"].unique()})
    assert mapped.notna().all()
    assert mapped.nunique() == 285
    old_2024 = set(outlets.loc[outlets["jaar"] == "2024", "nis_code"])
    old_2018 = set(outlets.loc[outlets["jaar"] == "2018", "nis_code"])
    assert "11007" in old_2024 and "11007" not in set(outlets.loc[outlets["jaar"] == "2025", "nis_code"])
    assert "44036" in old_2018 and "44085" in old_2024  # Lovendegem until 2018, Lievegem after


def test_a_different_seed_gives_different_data(demo_twice: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = demo_twice
    done = run_cli("demo", "--out", str(tmp_path / "c"), "--seed", "8")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "c" / "verkooppunten.csv").read_bytes() != (a / "verkooppunten.csv").read_bytes()


def test_demo_keeps_the_continuing_code_for_the_continuing_municipality(demo_twice: tuple[Path, Path]) -> None:
    a, _ = demo_twice
    outlets = pd.read_csv(a / "verkooppunten.csv", sep=";", dtype=str, usecols=["jaar", "nis_code"])
    before = outlets.loc[outlets["jaar"] == "2024", "nis_code"].value_counts()
    # Antwerpen (11002) absorbed Borsbeek (11007) in 2025: before, most of its outlets carry its own code.
    assert before["11002"] > 2 * before["11007"] > 0
    assert "11007" not in set(outlets.loc[outlets["jaar"] == "2025", "nis_code"])


def test_demo_population_covers_every_code_and_year_without_a_shared_floor(demo_twice: tuple[Path, Path]) -> None:
    a, _ = demo_twice
    outlets = pd.read_csv(a / "verkooppunten.csv", sep=";", dtype=str, usecols=["jaar", "nis_code"])
    population = pd.read_csv(a / "bevolking.csv", sep=";", dtype={"CD_REFNIS": str, "CD_YEAR": str})
    for year, codes in outlets.groupby("jaar")["nis_code"]:
        with_population = set(population.loc[population["CD_YEAR"] == year, "CD_REFNIS"])
        assert set(codes) <= with_population, (year, set(codes) - with_population)  # Kruibeke 46013 included
    totals = population.groupby(["CD_YEAR", "CD_REFNIS"])["MS_POPULATION"].sum()
    assert totals[("2024", "71022")] != totals[("2024", "73040")]  # Hasselt and Kortessem
    assert totals[("2024", "71022")] > totals[("2024", "73040")]
    for year in ("2015", "2024", "2025"):
        assert totals[year].value_counts().max() <= 2, year  # no floor shared by many municipalities


def test_demo_names_fit_their_branch_and_streets_belong_to_no_one_city(demo_twice: tuple[Path, Path]) -> None:
    a, _ = demo_twice
    outlets = pd.read_csv(a / "verkooppunten.csv", sep=";", dtype=str,
                          usecols=["naam", "straat", "branche_code", "formule"]).dropna(subset=["naam"])
    fits = {"DAG03": ("Bakker",), "DAG04": ("Slager", "Beenhouwer"), "MOD05": ("Schoen",), "LEI03": ("Frituur",
            "Snackbar"), "DIE01": ("Kap",), "DAG07": ("Apotheek",)}
    for code, words in fits.items():
        names = outlets.loc[outlets["branche_code"] == code, "naam"]
        assert len(names) > 0
        assert names.map(lambda n, words=words: any(w in n for w in words)).all(), (code, names.head().tolist())
    butchers = outlets.loc[outlets["branche_code"] == "DAG04", "naam"]
    assert not butchers.str.contains("Bakkerij").any()
    assert not outlets["straat"].isin(["Meir", "Veldstraat", "Diestsestraat", "Kortrijksestraat"]).any()
