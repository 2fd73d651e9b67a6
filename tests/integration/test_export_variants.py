"""Exports as people really send them: other tools, other years, Excel. Each variant, through the real CLI,
either loads to exactly what it means or fails with one line naming file, line and column — never a
traceback — and a failed build leaves the previous database byte-identical.

``test_bad_input.py`` holds the first cases; this file adds the rest of the catalogue, and properties
(hypothesis) over random re-serialisations and random damage.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import duckdb
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_pipelines import cli, geo
from tests.conftest import call_cli, sha256
from tests.exports import write_fixture_export
from tests.integration.test_bad_input import NEXT_LINE, append_outlet, assert_fails_cleanly

OUTLETS_FILE = "verkooppunten.csv"
NUMERIC = ("x", "y", "wvo_m2")


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of a fixture file (``;``, UTF-8)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    return rows[0], rows[1:]


def write_rows(path: Path, header: list[str], rows: list[list[str]], *, delimiter: str = ";",
               encoding: str = "utf-8", terminator: str = "\n", quoting: int = csv.QUOTE_MINIMAL) -> None:
    buffer = io.StringIO()
    w = csv.writer(buffer, delimiter=delimiter, lineterminator=terminator, quoting=quoting)
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def outlet_rows(db: Path) -> list[tuple]:
    """Everything staging kept of the outlets, in a stable order (the line numbers aside)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("select * exclude (source_file, source_line) from stg_outlets order by year, outlet_id")
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    digits = {"x_l72": 2, "y_l72": 2, "wvo_m2": 2, "lon": 6, "lat": 6}
    return [tuple(round(v, digits[n]) if n in digits and v is not None else v for n, v in zip(names, row, strict=True))
            for row in rows]


@pytest.fixture(scope="module")
def baseline(fixture_db: Path) -> list[tuple]:
    return outlet_rows(fixture_db)


def cli_build(source: Path, db: Path, *extra: str) -> tuple[int, str]:
    """Run the CLI's entry point in this process (fast enough for many examples); return code and stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(["build", "--source", str(source), "--db", str(db), *extra])
    return code, err.getvalue()


def build(source: Path, db: Path, *extra: str) -> SimpleNamespace:
    """Build through the CLI's entry point in this process: the same code path, without the start-up time.

    An exception escaping ``main`` fails the test, so "never a traceback" is checked all the same; the
    file-level cases below also run as a real process.
    """
    code, err = cli_build(source, db, *extra)
    return SimpleNamespace(returncode=code, stderr=err)


def build_process(source: Path, db: Path, *extra: str):
    return call_cli("build", "--source", str(source), "--db", str(db), *extra)


# -- variants that mean exactly the fixture export --------------------------------------------------------

Variant = Callable[[Path], Path]  # rewrites the export in place; returns what to pass as --source
SAME: dict[str, Variant] = {}


def same(fn: Variant) -> Variant:
    SAME[fn.__name__] = fn
    return fn


def rewrite(export: Path, change: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]],
            **fmt: object) -> Path:
    header, rows = read_rows(export / OUTLETS_FILE)
    header, rows = change(header, rows)
    write_rows(export / OUTLETS_FILE, header, rows, **fmt)
    return export


def per_column(fn: Callable[[str, str], str]) -> Callable:
    return lambda header, rows: (header, [[fn(h, v) for h, v in zip(header, r, strict=True)] for r in rows])


@same
def utf8_with_bom(export: Path) -> Path:
    return rewrite(export, lambda h, r: (h, r), encoding="utf-8-sig")


@same
def utf16_little_endian_with_bom(export: Path) -> Path:
    return rewrite(export, lambda h, r: (h, r), encoding="utf-16", terminator="\r\n")


@same
def utf16_big_endian_with_bom(export: Path) -> Path:
    rewrite(export, lambda h, r: (h, r), encoding="utf-16-be")
    path = export / OUTLETS_FILE
    path.write_bytes(codecs.BOM_UTF16_BE + path.read_bytes())
    return export


@same
def utf16_without_bom(export: Path) -> Path:
    return rewrite(export, lambda h, r: (h, r), encoding="utf-16-le")


@same
def tab_separated(export: Path) -> Path:
    return rewrite(export, lambda h, r: (h, r), delimiter="\t")


@same
def pipe_separated(export: Path) -> Path:
    return rewrite(export, lambda h, r: (h, r), delimiter="|")


@same
def windows_line_endings(export: Path) -> Path:
    return rewrite(export, lambda h, r: (h, r), terminator="\r\n")


@same
def old_mac_line_endings(export: Path) -> Path:
    return rewrite(export, lambda h, r: (h, r), terminator="\r")


@same
def every_field_quoted(export: Path) -> Path:
    return rewrite(export, lambda h, r: (h, r), quoting=csv.QUOTE_ALL)


@same
def header_in_upper_case(export: Path) -> Path:
    return rewrite(export, lambda h, r: ([c.upper() for c in h], r))


@same
def header_with_spaces_and_aliases(export: Path) -> Path:
    alias = {"jaar": "  Inventarisjaar ", "vkp_id": "Verkooppunt ID", "nis_code": " NIS Code", "wvo_m2": "WVO (m²)",
             "leeg_sinds": "Leegstaand sinds", "branche_code": "Branche code  "}
    return rewrite(export, lambda h, r: ([alias.get(c, c) for c in h], r))


@same
def columns_in_another_order(export: Path) -> Path:
    def change(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        order = sorted(range(len(header)), key=lambda i: header[i][::-1])
        return [header[i] for i in order], [[r[i] for i in order] for r in rows]
    return rewrite(export, change)


@same
def extra_columns(export: Path) -> Path:
    return rewrite(export, lambda h, r: (["Opmerking", *h, "Kolom1"], [["nagekeken", *row, ""] for row in r]))


@same
def optional_columns_missing(export: Path) -> Path:
    drop = {"peildatum", "straat", "huisnummer", "postcode", "gemeente", "branche", "branchegroep", "lon", "lat",
            "bron"}

    def change(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        keep = [i for i, c in enumerate(header) if c not in drop]
        return [header[i] for i in keep], [[r[i] for i in keep] for r in rows]
    return rewrite(export, change)


@same
def blank_lines_and_lines_of_separators(export: Path) -> Path:
    def change(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        out: list[list[str]] = []
        for i, row in enumerate(rows):
            out.append(row)
            if i % 5 == 0:
                out.append([])
            if i % 7 == 0:
                out.append([""] * len(header))
        return header, out
    return rewrite(export, change)


@same
def trailing_separator_on_every_line(export: Path) -> Path:
    path = export / OUTLETS_FILE
    path.write_text("".join(line + ";\n" for line in path.read_text(encoding="utf-8").splitlines()),
                    encoding="utf-8")
    return export


@same
def thousands_dots_and_spaces(export: Path) -> Path:
    def fmt(column: str, value: str) -> str:
        if column == "x" and value:
            return value.replace("104500", "104.500").replace("127000", "127 000")
        return "1.000" if column == "wvo_m2" and value == "1000" else value
    return rewrite(export, per_column(fmt))


@same
def comma_separated_with_grouped_decimal_points(export: Path) -> Path:
    def fmt(column: str, value: str) -> str:
        if column in NUMERIC and value:
            whole, _, frac = value.partition(",")
            return f"{int(whole):,}" + (f".{frac}" if frac else "")
        return value
    return rewrite(export, per_column(fmt), delimiter=",")


@same
def iso_dates(export: Path) -> Path:
    return rewrite(export, per_column(
        lambda c, v: dt.datetime.strptime(v, "%d-%m-%Y").date().isoformat() if c == "leeg_sinds" and v else v))


@same
def slash_and_dot_dates(export: Path) -> Path:
    def fmt(column: str, value: str) -> str:
        if column != "leeg_sinds" or not value:
            return value
        d = dt.datetime.strptime(value, "%d-%m-%Y")
        return d.strftime("%d/%m/%Y") if d.year % 2 else d.strftime("%d.%m.%Y")
    return rewrite(export, per_column(fmt))


@same
def excel_serial_dates(export: Path) -> Path:
    return rewrite(export, per_column(
        lambda c, v: str((dt.datetime.strptime(v, "%d-%m-%Y").date() - dt.date(1899, 12, 30)).days)
        if c == "leeg_sinds" and v else v))


@same
def yes_no_in_words(export: Path) -> Path:
    words = {"J": "ja", "N": "Nee"}
    return rewrite(export, per_column(lambda c, v: words.get(v, v) if c in ("leegstand", "filiaal") else v))


@same
def nis_codes_as_excel_numbers_and_with_leading_zero(export: Path) -> Path:
    return rewrite(export, per_column(
        lambda c, v: (f"{v}.0" if v == "41002" else f"0{v}" if v == "44021" else v) if c == "nis_code" else v))


def _reproject(export: Path, crs: str, decimals: int) -> Path:
    def change(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        ix, iy = header.index("x"), header.index("y")
        x = np.array([float(r[ix].replace(",", ".")) for r in rows])
        y = np.array([float(r[iy].replace(",", ".")) for r in rows])
        lon, lat = geo.to_wgs84(x, y, geo.LAMBERT72)
        nx, ny = (lon, lat) if crs == geo.WGS84 else geo.from_wgs84(lon, lat, crs)
        for r, a, b in zip(rows, nx, ny, strict=True):
            r[ix], r[iy] = f"{a:.{decimals}f}".replace(".", ","), f"{b:.{decimals}f}".replace(".", ",")
        return header, rows
    return rewrite(export, change)


@same
def coordinates_in_lambert_2008(export: Path) -> Path:
    return _reproject(export, geo.LAMBERT2008, 4)


@same
def coordinates_in_degrees(export: Path) -> Path:
    return _reproject(export, geo.WGS84, 10)


@same
def xlsx_with_a_notes_sheet_and_typed_cells(export: Path) -> Path:
    import openpyxl

    header, rows = read_rows(export / OUTLETS_FILE)
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Toelichting"
    notes.append(["Export verkooppunten", "aangemaakt door de stad"])
    notes.append(["Bron", "Locatus"])
    data = book.create_sheet("Data")
    data.append(header)
    for row in rows:
        cells: list[object] = []
        for column, value in zip(header, row, strict=True):
            if not value:
                cells.append(None)
            elif column in ("jaar", "nis_code"):
                cells.append(int(value))
            elif column in NUMERIC:
                cells.append(float(value.replace(",", ".")))
            elif column == "leeg_sinds":
                cells.append(dt.datetime.strptime(value, "%d-%m-%Y"))
            else:
                cells.append(value)
        data.append(cells)
    book.create_sheet("Draaitabel").append(["jaar", "aantal"])
    (export / OUTLETS_FILE).unlink()
    book.save(export / "verkooppunten.xlsx")
    return export


@same
def zip_of_the_export(export: Path) -> Path:
    archive = export.parent / "export-2025.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(export.iterdir()):
            zf.write(path, f"Export Locatus/{path.name}")
        zf.writestr("__MACOSX/Export Locatus/._verkooppunten.csv", b"\x00\x05\x16\x07")
        zf.writestr("Export Locatus/LEESMIJ.pdf", b"%PDF-1.4")
    shutil.rmtree(export)
    return archive


@pytest.mark.parametrize("variant", sorted(SAME))
def test_variant_loads_to_the_same_rows(setup, baseline: list[tuple], variant: str) -> None:
    export, db, _ = setup
    source = SAME[variant](export)
    done = build(source, db, "--strict")
    assert done.returncode == 0, done.stderr
    assert outlet_rows(db) == baseline


def test_quoted_separator_and_newline_in_a_name_load_as_written(setup) -> None:
    export, db, _ = setup
    append_outlet(export, jaar="2025", vkp_id="Q1", naam='Bakkerij "De Zoete"; hoek\nMarkt', branche_code="DAG03",
                  wvo_m2="60")
    append_outlet(export, jaar="2025", vkp_id="Q2", naam="Na de regelbreuk", branche_code="DAG03", wvo_m2="61")
    done = build(export, db, "--strict")
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("select outlet_id, name, source_line from stg_outlets where outlet_id like 'Q%' "
                      "order by outlet_id").fetchall()
    con.close()
    # The record with the newline spans two physical lines; the next record's line number says so.
    assert got == [("Q1", 'Bakkerij "De Zoete"; hoek\nMarkt', NEXT_LINE), ("Q2", "Na de regelbreuk", NEXT_LINE + 2)]


def test_pre_2019_code_of_a_merged_municipality_counts_for_the_new_one(setup) -> None:
    export, db, _ = setup
    append_outlet(export, jaar="2018", vkp_id="N1", nis_code="44049", x="95000,0", y="190000,0",
                  branche_code="DAG03", wvo_m2="60")
    done = build(export, db, "--strict")
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("select nis_code, nis_code_export from stg_outlets where outlet_id = 'N1'").fetchall()
    con.close()
    assert got == [("44083", "44049")]  # Nevele -> Deinze (2019)


# -- footfall: the clock ----------------------------------------------------------------------------------

def footfall(export: Path, rows: list[tuple[str, str, str]]) -> None:
    header = ["telpunt_id", "datum", "uur", "passanten", "binnenkomers"]
    write_rows(export / "passanten.csv", header, [["TP1", d, h, p, ""] for d, h, p in rows])


def stg_footfall(db: Path, day: dt.date) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select hour, passers from stg_footfall where count_date = ? order by hour",
                           [day]).fetchall()
    finally:
        con.close()


def test_summer_time_day_of_23_hours_loads_without_hour_2(setup) -> None:
    export, db, _ = setup
    hours = [h for h in range(24) if h != 2]
    footfall(export, [("30-03-2025", str(h), str(10 + h)) for h in hours])
    done = build(export, db, "--strict")
    assert done.returncode == 0, done.stderr
    assert stg_footfall(db, dt.date(2025, 3, 30)) == [(h, 10 + h) for h in hours]


def test_winter_time_day_of_25_hours_adds_up_the_hour_that_occurs_twice(setup) -> None:
    export, db, _ = setup
    rows = [("26-10-2025", str(h), str(10 + h)) for h in range(24)]
    rows.insert(3, ("26-10-2025", "2", "5"))  # 02:00-02:59 summer time, then 02:00-02:59 winter time
    footfall(export, rows)
    done = build(export, db, "--strict")
    assert done.returncode == 0, done.stderr
    got = dict(stg_footfall(db, dt.date(2025, 10, 26)))
    assert len(got) == 24 and got[2] == 12 + 5 and sum(got.values()) == sum(10 + h for h in range(24)) + 5


def test_a_repeated_hour_on_an_ordinary_day_stays_a_duplicate(setup) -> None:
    export, db, digest = setup
    footfall(export, [("19-10-2025", "2", "12"), ("19-10-2025", "2", "5"), ("19-10-2025", "3", "9")])
    assert_fails_cleanly(build(export, db, "--strict"), db, digest, "passanten.csv",
                         "regel 3, kolom 'telpunt_id + datum + uur'", "dubbel")


# -- rows that cannot mean anything: rejected with their reason (fatal with --strict) ---------------------

APPENDED = {
    "hour_24": ("passanten.csv", 5, "uur", "groter dan het maximum 23"),
    "vacant_since_in_the_future": (OUTLETS_FILE, NEXT_LINE, "leeg_sinds", "na de peildatum"),
    "absurd_wvo": (OUTLETS_FILE, NEXT_LINE, "wvo_m2", "groter dan het maximum 200000"),
    "impossible_coordinates": (OUTLETS_FILE, NEXT_LINE, "x/y", "buiten Vlaanderen"),
    "swapped_coordinates": (OUTLETS_FILE, NEXT_LINE, "x/y", "buiten Vlaanderen"),
    "year_as_text": (OUTLETS_FILE, NEXT_LINE, "jaar", "geen geheel getal"),
    "vacancy_flag_unknown": (OUTLETS_FILE, NEXT_LINE, "leegstand", "geen J/N-waarde"),
    "wvo_as_words": (OUTLETS_FILE, NEXT_LINE, "wvo_m2", "geen getal"),
    "nis_code_of_wallonia": (OUTLETS_FILE, NEXT_LINE, "nis_code", "onbekende NIS-code"),
    "nis_code_too_long": (OUTLETS_FILE, NEXT_LINE, "nis_code", "ongeldig formaat"),
    "exact_duplicate_line": (OUTLETS_FILE, NEXT_LINE, "jaar + vkp_id", "dubbel: komt al voor op regel 2"),
    "too_many_fields": (OUTLETS_FILE, NEXT_LINE, "", "velden"),
}


def _append(export: Path, case: str) -> None:
    base = {"jaar": "2025", "vkp_id": "BAD", "branche_code": "DAG03", "wvo_m2": "50"}
    path = export / OUTLETS_FILE
    if case == "hour_24":
        with (export / "passanten.csv").open("a", encoding="utf-8") as fh:
            fh.write("TP1;07-01-2025;24;50;;\n")
    elif case == "exact_duplicate_line":
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    elif case == "too_many_fields":
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([*lines, lines[1].replace("Winkel", "Winkel; De; Hoek")]) + "\n", encoding="utf-8")
    else:
        values = {
            "vacant_since_in_the_future": {"leegstand": "J", "branche_code": "LEE01", "leeg_sinds": "01-03-2027"},
            "absurd_wvo": {"wvo_m2": "2.500.000"},
            "impossible_coordinates": {"x": "999999999,0", "y": "-5"},
            "swapped_coordinates": {"x": "194000,0", "y": "104500,0"},
            "year_as_text": {"jaar": "2025a", "vkp_id": "BAD"},
            "vacancy_flag_unknown": {"leegstand": "misschien"},
            "wvo_as_words": {"wvo_m2": "ca. 100"},
            "nis_code_of_wallonia": {"nis_code": "62063"},
            "nis_code_too_long": {"nis_code": "440210"},
        }[case]
        append_outlet(export, **{**base, **values})


@pytest.mark.parametrize("case", sorted(APPENDED))
def test_meaningless_row_fails_a_strict_build_naming_file_line_and_column(setup, case: str) -> None:
    export, db, digest = setup
    _append(export, case)
    file, line, column, reason = APPENDED[case]
    where = f"{file}: 1 van " if not column else f"regel {line}, kolom '{column}'"
    done = build(export, db, "--strict")
    assert_fails_cleanly(done, db, digest, file, f"regel {line}", reason)
    assert where in done.stderr


# -- files that cannot be read: the build stops with one line ---------------------------------------------

FILE_LEVEL = {
    "header_only": (lambda e: (e / OUTLETS_FILE).write_text((e / OUTLETS_FILE).read_text(encoding="utf-8")
                                                            .splitlines()[0] + "\n", encoding="utf-8"),
                    ("verkooppunten.csv", "geen enkel bruikbaar verkooppunt")),
    "only_blank_lines": (lambda e: (e / OUTLETS_FILE).write_bytes(b"\r\n\n  \n\n"), ("verkooppunten.csv", "leeg")),
    "binary_file_named_csv": (lambda e: (e / OUTLETS_FILE).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x81\x8d" * 50),
                              ("verkooppunten.csv", "regel")),
    "undecodable_byte_on_line_5": (lambda e: (e / OUTLETS_FILE).write_bytes(
        b"\n".join(line + (b"\x81\x8d" if i == 4 else b"") for i, line in
                   enumerate((e / OUTLETS_FILE).read_bytes().split(b"\n")))),
        ("verkooppunten.csv, regel 5", "onleesbare tekens")),
    "truncated_inside_a_character": (lambda e: (e / OUTLETS_FILE).write_bytes(
        (e / OUTLETS_FILE).read_bytes() + "2025;;Z1;Caf\u00e9".encode()[:-1]),
        ("verkooppunten.csv, regel", "onleesbare tekens")),
    "csv_named_xlsx": (lambda e: (e / OUTLETS_FILE).rename(e / "verkooppunten.xlsx"),
                       ("verkooppunten.xlsx", "geen leesbaar Excel-bestand")),
    # The error names the sheet that looks most like outlets (it has a "naam" column), not the first one.
    "header_not_on_any_sheet": (lambda e: _xlsx_without_header(e),
                                ("verkooppunten.xlsx, werkblad 'Blad2', regel 1, kolom 'jaar'",
                                 "verplichte kolom ontbreekt")),
}


def _xlsx_without_header(export: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Dit werkblad is leeg gelaten"])
    book.create_sheet("Blad2").append(["naam", "adres"])
    (export / OUTLETS_FILE).unlink()
    book.save(export / "verkooppunten.xlsx")


@pytest.mark.parametrize("case", sorted(FILE_LEVEL))
def test_unreadable_file_fails_with_one_line(setup, case: str) -> None:
    export, db, digest = setup
    damage, fragments = FILE_LEVEL[case]
    damage(export)
    assert_fails_cleanly(build_process(export, db), db, digest, *fragments)


def test_damaged_zip_fails_with_one_line(setup) -> None:
    export, db, digest = setup
    archive = SAME["zip_of_the_export"](export)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert_fails_cleanly(build_process(archive, db), db, digest, "export-2025.zip", "geen leesbaar zip-bestand")


# -- properties --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, fixture_db: Path) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("pristine")
    return write_fixture_export(base / "export"), fixture_db


STYLE = st.fixed_dictionaries({
    "delimiter": st.sampled_from([";", ",", "\t", "|"]),
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    "terminator": st.sampled_from(["\n", "\r\n"]),
    "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    "case": st.sampled_from([str.lower, str.upper, str.title]),
    "pad": st.booleans(),
    "group_thousands": st.booleans(),
    "blank_every": st.integers(min_value=0, max_value=6),
})


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(style=STYLE, order=st.permutations(list(range(23))))
def test_any_reserialisation_of_a_valid_export_loads_to_the_same_rows(pristine, baseline, style, order) -> None:
    export, _ = pristine
    header, rows = read_rows(export / OUTLETS_FILE)
    assert len(header) == len(order)
    decimal = "." if style["delimiter"] == "," else ","
    group = "," if decimal == "." else "."

    def number(value: str) -> str:
        whole, _, frac = value.partition(",")
        if style["group_thousands"]:
            whole = f"{int(whole):,}".replace(",", group)
        return whole + (decimal + frac if frac else "")

    out_rows = []
    for i, row in enumerate(rows):
        out_rows.append([number(row[j]) if header[j] in NUMERIC and row[j] else row[j] for j in order])
        if style["blank_every"] and i % style["blank_every"] == 0:
            out_rows.append([])
    names = [style["case"](header[j]) for j in order]
    names = [f"  {n} " for n in names] if style["pad"] else names
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "export"
        shutil.copytree(export, source)
        write_rows(source / OUTLETS_FILE, names, out_rows, delimiter=style["delimiter"], encoding=style["encoding"],
                   terminator=style["terminator"], quoting=style["quoting"])
        db = Path(tmp) / "retail.duckdb"
        code, err = cli_build(source, db, "--strict")
        assert code == 0, err
        assert outlet_rows(db) == baseline


FILES = ["verkooppunten.csv", "winkelgebieden.csv", "telpunten.csv", "passanten.csv", "bevolking.csv"]


def _damage(data: bytes, how: str, at: float, junk: bytes) -> bytes:
    cut = int(at * len(data))
    if how == "truncate":
        return data[:cut]
    if how == "insert":
        return data[:cut] + junk + data[cut:]
    if how == "overwrite":
        return data[:cut] + junk + data[cut + len(junk):]
    return junk  # "replace": nothing of the file is left


JUNK = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet=st.sampled_from(list(';,"\t|\n\r \x00é0123456789J-.')), max_size=200).map(
        lambda t: t.encode("utf-8")),
)


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(FILES), how=st.sampled_from(["truncate", "insert", "overwrite", "replace"]),
       at=st.floats(min_value=0, max_value=1), junk=JUNK, strict=st.booleans())
def test_damaged_file_never_crashes_and_a_failed_build_keeps_the_database(pristine, file, how, at, junk,
                                                                          strict) -> None:
    export, good_db = pristine
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "export"
        shutil.copytree(export, source)
        path = source / file
        path.write_bytes(_damage(path.read_bytes(), how, at, junk))
        db = Path(tmp) / "retail.duckdb"
        shutil.copy(good_db, db)
        digest = sha256(db)
        code, err = cli_build(source, db, *(["--strict"] if strict else []))
        assert code in (0, 1), err
        assert "Traceback" not in err
        if code == 1:
            last = err.strip().splitlines()[-1]
            assert last.startswith("fout: "), err
            assert sha256(db) == digest
            assert not list(Path(tmp).glob(".*.building*"))


def test_build_prints_one_line_per_step_with_counts_and_time(setup) -> None:
    export, db, _ = setup
    done = build(export, db)
    assert done.returncode == 0, done.stderr
    steps = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert all(re.fullmatch(r"\[ *\d+\.\d s\] .+ \(\d+\.\d s\)", line) for line in steps), steps
    text = "\n".join(steps)
    for expected in ("verkooppunten.csv: 27 regels gelezen, 0 afgekeurd", "stg_outlets: 27", "fct_outlets: 27",
                     "mart_indicator_values: 175", "database geplaatst"):
        assert expected in text
    assert "Winkel" not in done.stderr and "SuperA" not in done.stderr  # no row contents in the log
