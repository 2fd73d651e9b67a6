"""Real deliveries load whole: one file per year under any name, Statbel's files as published, every file
and column accounted for, chain share and capture rate that stay true. Each case runs the real CLI on the
small delivery of ``tests/deliveries.py`` and checks rows, summary lines and indicators against hand-computed
numbers; a failed build leaves the previous database byte-identical.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import sha256
from tests.deliveries import HEADER, write_delivery, write_outlets_csv, write_outlets_xlsx
from tests.exports import write_csv
from tests.integration.test_export_variants import cli_build

KORTRIJK, GENT, HASSELT = "34022", "44021", "71072"  # Hasselt's 2025 code (merged with Kortessem)


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def indicator(db: Path, column: str, nis: str, year: int) -> float | str | None:
    return query(db, f"select {column} from mart_area_year where level = 'gemeente' and area_code = ? "
                     "and year = ?", [nis, year])[0][0]


def file_line(stderr: str, name: str) -> tuple[str, ...]:
    """Return (kind, in, rejected, skipped, out) of a file's line in the build summary."""
    for line in stderr.splitlines():
        match = re.match(rf"^{re.escape(name)}\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$", line)
        if match:
            return match.groups()
    raise AssertionError(f"{name} not in the summary:\n{stderr}")


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("delivery")
    source = write_delivery(base / "levering")
    db = base / "retail.duckdb"
    code, err = cli_build(source, db)
    assert code == 0, err
    return source, db, err


@pytest.fixture()
def fresh(tmp_path: Path, delivered: tuple[Path, Path, str]) -> tuple[Path, Path, str]:
    """A copy of the delivery and of a database built from it (the one a failed build must leave alone)."""
    source = write_delivery(tmp_path / "levering")
    db = tmp_path / "retail.duckdb"
    shutil.copy(delivered[1], db)
    return source, db, sha256(db)


def assert_failed(code: int, err: str, db: Path, digest: str, *fragments: str) -> str:
    assert code == 1, err
    message = next(line for line in err.splitlines() if line.startswith("fout: "))
    for fragment in fragments:
        assert fragment in message, message
    assert sha256(db) == digest
    return message


# 1. Several files per kind, found by their columns whatever their names; every file in the summary.

def test_one_file_per_year_under_any_name_loads_every_year(delivered) -> None:
    _, db, err = delivered
    per_file = query(db, "select year, source_file, count(*) from stg_outlets group by all order by 1")
    assert per_file == [(2023, "Locatus export 2023.xlsx", 12), (2024, "verkooppunten_2024.csv", 12)]
    assert file_line(err, "Locatus export 2023.xlsx") == ("verkooppunten", "12", "0", "0", "12")
    assert file_line(err, "verkooppunten_2024.csv") == ("verkooppunten", "12", "0", "0", "12")
    assert file_line(err, "telpunten.csv") == ("telpunten", "1", "0", "0", "1")
    assert file_line(err, "passanten.csv") == ("passanten", "4", "0", "0", "4")
    lines = err.splitlines()
    ignored = lines[lines.index("genegeerde bestanden:") + 1:][:2]
    assert ignored == ["  - LEESMIJ.txt: documentatie, geen tabel",
                       "  - notities.docx: geen CSV-, TXT-, XLSX- of zip-bestand (.docx)"]
    # cp1252 accents and curly quotes, Lambert 72 and d/m/yyyy dates arrive as written
    names = query(db, "select distinct name from stg_outlets where name is not null order by 1")
    assert names == [("Bakkerij ‘t Hoekske",), ("Café “De Zwaan”",), ("Zeeman",)]
    assert query(db, "select vacant_since from stg_outlets where outlet_id = '34022-X4' and year = 2024")[0][0] \
        .isoformat() == "2019-03-15"
    # 1 vacant / (2 retail + 1 vacant), and Kortrijk's unit vacant since 2019 is structural in both years
    for nis in (KORTRIJK, GENT, HASSELT):
        for year in (2023, 2024):
            assert indicator(db, "vacancy_rate_count_retail_pct", nis, year) == pytest.approx(100 / 3)
    assert indicator(db, "vacancy_structural_share_vacant_pct", KORTRIJK, 2024) == 100
    assert indicator(db, "vacancy_frictional_share_vacant_pct", GENT, 2023) == 100
    assert indicator(db, "vacancy_longterm_share_vacant_pct", GENT, 2024) == 100
    assert indicator(db, "vacancy_longterm_share_vacant_pct", HASSELT, 2023) == 100


def test_a_year_in_two_files_with_the_same_rows_is_read_once(fresh) -> None:
    source, db, _ = fresh
    write_outlets_xlsx(source / "Locatus export 2024.xlsx", 2024, HEADER)
    code, err = cli_build(source, db)
    assert code == 0, err
    assert query(db, "select source_file, count(*) from stg_outlets where year = 2024 group by 1") == \
        [("Locatus export 2024.xlsx", 12)]
    assert file_line(err, "verkooppunten_2024.csv") == ("verkooppunten", "12", "0", "12", "0")
    assert "  - jaar 2024 staat ook in Locatus export 2024.xlsx, met dezelfde rijen: hier overgeslagen" in err


def test_a_year_in_two_files_with_different_rows_stops_naming_both(fresh) -> None:
    source, db, digest = fresh
    path = write_outlets_xlsx(source / "Locatus export 2024.xlsx", 2024, HEADER)
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["Verkooppunten"]["I2"] = 110  # Zeeman Kortrijk measured again: 110 m² instead of 100
    book.save(path)
    code, err = cli_build(source, db)
    assert_failed(code, err, db, digest, "fout: jaar 2024 staat in twee bestanden met verschillende rijen: "
                  "Locatus export 2024.xlsx en verkooppunten_2024.csv; lever elk jaar in één bestand")


def test_strict_fails_on_an_ignored_file(fresh) -> None:
    source, db, digest = fresh
    code, err = cli_build(source, db, "--strict")
    assert_failed(code, err, db, digest, "fout: notities.docx: genegeerd (geen CSV-, TXT-, XLSX- of zip-bestand "
                  "(.docx)); --strict aanvaardt geen genegeerd bestand")
    (source / "notities.docx").unlink()
    code, err = cli_build(source, db, "--strict")
    assert code == 0, err  # LEESMIJ.txt is documentation: listed, not held against the delivery


# 3. Every column accounted for.

def test_an_unknown_header_like_an_optional_column_stops_with_the_line_to_add(fresh) -> None:
    source, db, digest = fresh
    header = [h if h != "Leegstand sinds" else "Leegstand vanaf" for h in HEADER]
    (source / "verkooppunten_2024.csv").unlink()
    write_outlets_xlsx(source / "Locatus export 2023.xlsx", 2023, header)
    write_outlets_csv(source / "verkooppunten_2024.csv", 2024, header)
    code, err = cli_build(source, db)
    assert_failed(code, err, db, digest,
                  "fout: Locatus export 2023.xlsx, werkblad 'Verkooppunten', regel 1, kolom 'Leegstand vanaf': "
                  "kolom niet herkend; bedoelt u 'leeg_sinds'? Voeg deze regel toe aan een kolommenbestand "
                  "(--columns kolommen.toml): \"Leegstand vanaf\" = \"leeg_sinds\"")
    mapping = source.parent / "kolommen.toml"
    mapping.write_text('"Leegstand vanaf" = "leeg_sinds"\n[verkooppunten]\n"Opmerking" = "-"\n', encoding="utf-8")
    code, err = cli_build(source, db, "--columns", str(mapping))
    assert code == 0, err
    # With the dates read, Kortrijk's unit vacant since 2019 is structural, not frictional.
    assert indicator(db, "vacancy_structural_share_vacant_pct", KORTRIJK, 2024) == 100
    assert indicator(db, "vacancy_longterm_share_vacant_pct", HASSELT, 2024) == 100
    assert "genegeerde kolommen (niet gelezen):" in err
    assert "  - verkooppunten_2024.csv: Opmerking" in err  # marked "-": not read, still listed


def test_an_unknown_header_for_a_required_column_names_the_sheet_it_is_on(fresh) -> None:
    source, db, digest = fresh
    header = [h if h != "WVO (m²)" else "Winkelvloeroppervlak (m²)" for h in HEADER]
    write_outlets_xlsx(source / "Locatus export 2023.xlsx", 2023, header)
    code, err = cli_build(source, db)
    assert_failed(code, err, db, digest,
                  "fout: Locatus export 2023.xlsx, werkblad 'Verkooppunten', regel 1, kolom "
                  "'Winkelvloeroppervlak (m²)': kolom niet herkend; bedoelt u 'wvo_m2'?",
                  '"Winkelvloeroppervlak (m²)" = "wvo_m2"')


def test_a_wrong_line_in_the_column_mapping_names_its_line(fresh) -> None:
    source, db, digest = fresh
    mapping = source.parent / "kolommen.toml"
    mapping.write_text('"Leegstand vanaf" = "leeg_sinds"\n"WVO netto" = "wvo"\n', encoding="utf-8")
    code, err = cli_build(source, db, "--columns", str(mapping))
    assert_failed(code, err, db, digest, "fout: kolommen.toml, regel 2, kolom 'WVO netto': 'wvo' is geen kolom "
                  "van de export")


def test_ignored_columns_and_sheets_are_listed_in_the_summary(delivered) -> None:
    _, _, err = delivered
    lines = err.splitlines()
    block = lines[lines.index("genegeerde kolommen (niet gelezen):") + 1:]
    assert block[0] == "  - verkooppunten_2024.csv: Opmerking"
    assert block[1].startswith("  - TF_SOC_POP_STRUCT_2023.txt: TX_DESCR_FR, CD_DSTR_REFNIS, ")
    assert "  - werkblad 'Verkooppunten' gelezen; overgeslagen: 'Toelichting'" in lines


# 2. Statbel's population files as published.

def test_statbel_files_load_as_published_with_the_rest_of_belgium_skipped(delivered) -> None:
    _, db, err = delivered
    assert query(db, "select nis_code, year, population from stg_population order by 1, 2") == [
        (KORTRIJK, 2023, 78000), (KORTRIJK, 2024, 78500), (GENT, 2023, 265000), (GENT, 2024, 266000),
        (HASSELT, 2023, 79500), (HASSELT, 2024, 80000)]
    assert file_line(err, "TF_SOC_POP_STRUCT_2023.txt") == ("bevolking", "11", "0", "5", "6")
    assert file_line(err, "TF_SOC_POP_STRUCT_2024.zip/TF_SOC_POP_STRUCT_2024.txt") == ("bevolking", "9", "0", "3", "6")
    assert "  - 5 regels buiten Vlaanderen overgeslagen (Brussel 2, Wallonië 3)" in err
    assert "  - 3 regels buiten Vlaanderen overgeslagen (Brussel 1, Wallonië 2)" in err
    assert query(db, "select count(*) from rejects")[0][0] == 0
    # 2 retail outlets per 1.000 inhabitants
    assert indicator(db, "outlets_per_1000_inh", KORTRIJK, 2024) == pytest.approx(2 / 78500 * 1000)
    assert indicator(db, "outlets_per_1000_inh", GENT, 2023) == pytest.approx(2 / 265000 * 1000)


def test_statbel_files_given_on_the_command_line(fresh, tmp_path: Path) -> None:
    source, db, _ = fresh
    elsewhere = tmp_path / "statbel"
    elsewhere.mkdir()
    for name in ("TF_SOC_POP_STRUCT_2023.txt", "TF_SOC_POP_STRUCT_2024.zip"):
        shutil.move(source / name, elsewhere / name)
    code, err = cli_build(source, db, "--population", str(elsewhere / "TF_SOC_POP_STRUCT_2023.txt"),
                          "--population", str(elsewhere / "TF_SOC_POP_STRUCT_2024.zip"))
    assert code == 0, err
    assert query(db, "select year, sum(population) from stg_population group by 1 order by 1") == \
        [(2023, 78000 + 265000 + 79500), (2024, 78500 + 266000 + 80000)]


# 4. Chain share that stays true.

def test_without_a_chain_flag_on_a_partial_delivery_the_chain_share_is_empty_with_its_reason(delivered) -> None:
    _, db, err = delivered
    for nis in (KORTRIJK, GENT, HASSELT):
        assert indicator(db, "chain_share_count_pct", nis, 2024) is None
        assert indicator(db, "chain_share_note", nis, 2024) == "geen ketenvlag in de levering"
    assert query(db, "select count(*) from mart_indicator_values where indicator like 'chain_share%'")[0][0] == 0
    assert ("ketens 2023, 2024: geen ketenvlag in de levering; onbekend: aandeel ketens leeg (geen formulelijst "
            "--formulas; de levering dekt 3 van de 285 gemeenten)") in err


def test_a_formula_list_tells_the_chains_apart(fresh, tmp_path: Path) -> None:
    source, db, _ = fresh
    formulas = write_csv(tmp_path / "ketens.csv", ["formule"], [["Zeeman"], ["Hema"]])
    code, err = cli_build(source, db, "--formulas", str(formulas))
    assert code == 0, err
    # Zeeman of the two shops (Zeeman, bakery) is a chain: 1/2 by count, 100/180 by floor area.
    assert indicator(db, "chain_share_count_pct", KORTRIJK, 2024) == 50
    assert indicator(db, "chain_share_wvo_pct", GENT, 2023) == pytest.approx(100 * 100 / 180)
    assert indicator(db, "chain_share_note", KORTRIJK, 2024) is None
    assert "ketens 2023, 2024: geen ketenvlag in de levering; formulelijst (--formulas)" in err


def test_the_chain_flag_of_the_export_wins(fresh, tmp_path: Path) -> None:
    source, db, _ = fresh
    header = [*HEADER, "Filiaal"]
    (source / "verkooppunten_2024.csv").unlink()
    import openpyxl

    write_outlets_xlsx(source / "Locatus export 2023.xlsx", 2023, header)
    book = openpyxl.load_workbook(source / "Locatus export 2023.xlsx")
    sheet = book["Verkooppunten"]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, len(header)).value = "N"  # this export says: no chains at all
    book.save(source / "Locatus export 2023.xlsx")
    formulas = write_csv(tmp_path / "ketens.csv", ["formule"], [["Zeeman"]])
    code, err = cli_build(source, db, "--formulas", str(formulas))
    assert code == 0, err
    assert indicator(db, "chain_share_count_pct", KORTRIJK, 2023) == 0


# 5. Capture rate, the hour that does not exist, control characters.

def test_capture_rate_counts_only_the_hours_with_entry_counts(delivered) -> None:
    _, db, _ = delivered
    # 75 entries against the 500 passers of 10h and 11h, not the 650 of the whole day
    assert indicator(db, "capture_rate_pct", KORTRIJK, 2024) == pytest.approx(100 * 75 / 575)
    assert indicator(db, "footfall_avg_daily_per_point", KORTRIJK, 2024) == 650


def test_the_spring_forward_hour_is_rejected_with_its_reason(fresh) -> None:
    source, db, digest = fresh
    with (source / "passanten.csv").open("a", encoding="utf-8") as fh:
        fh.write("TP1;31/3/2024;2;80;\nTP1;31/3/2024;3;120;\n")
    code, err = cli_build(source, db)
    assert_failed(code, err, db, digest, "fout: passanten.csv: 1 van 6 regels afgekeurd", "regel 6, kolom 'uur': "
                  "uur 2 bestaat niet op de dag dat de zomertijd begint (de klok springt van 2:00 naar 3:00) ('2')")
    code, err = cli_build(source, db, "--max-rejects", "50")
    assert code == 0, err
    assert query(db, "select hour, passers from stg_footfall where count_date = '2024-03-31'") == [(3, 120)]


def test_a_nul_byte_inside_a_field_rejects_its_row(fresh) -> None:
    source, db, digest = fresh
    with (source / "verkooppunten_2024.csv").open("ab") as fh:
        fh.write(b"2024;34022-X5;Winkel" + b"\x00" * 50 + b";Grote Markt;34022;Kortrijk;;MOD01;60;;N;;72232,2;"
                 b"169196,7;nagekeken\n")
    code, err = cli_build(source, db)
    assert_failed(code, err, db, digest, "verkooppunten_2024.csv: 1 van 13 regels afgekeurd",
                  "regel 14, kolom 'naam': stuurteken (bv. een NUL-byte) in het veld: is het bestand beschadigd?")
    code, err = cli_build(source, db, "--max-rejects", "50")
    assert code == 0, err
    assert query(db, "select count(*) from stg_outlets where outlet_id = '34022-X5'")[0][0] == 0
    assert query(db, "select file, line, column_name, reason from rejects") == [
        ("verkooppunten_2024.csv", 14, "naam", "stuurteken (bv. een NUL-byte) in het veld: is het bestand beschadigd?")]


def test_a_zipped_shapefile_in_the_delivery_is_read_as_the_boundaries(fresh, tmp_path: Path) -> None:
    import zipfile

    from tests.integration.test_boundaries import boundary_file

    source, db, _ = fresh
    boundary_file(tmp_path / "gemeenten.shp", "ESRI Shapefile", "EPSG:3812")
    with zipfile.ZipFile(source / "grenzen.zip", "w") as zf:
        for part in sorted(tmp_path.glob("gemeenten.*")):
            zf.write(part, f"Gemeentegrenzen/{part.name}")
    code, err = cli_build(source, db)
    assert code == 0, err
    assert file_line(err, "grenzen.zip/Gemeentegrenzen/gemeenten.shp") == ("gemeentegrenzen", "2", "0", "0", "2")
    assert "  - grenzen.zip/Gemeentegrenzen/gemeenten.dbf: hoort bij een shapefile (.shp)" in err
    assert query(db, "select nis_code from ref_municipality_boundaries order by 1") == [("44021",), ("44085",)]
