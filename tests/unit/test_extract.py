"""The two extraction paths (columnar for plain files, record by record otherwise) agree."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from data_pipelines.extract import tabular
from data_pipelines.extract.tabular import extract, is_plain
from data_pipelines.specs import FOOTFALL

ROWS = [["TP1", "06-01-2025", "10", " 100 ", "10"], ["TP1", "06-01-2025", "11", "200", ""],
        ["", "", "", "", ""], ["TP2", "07-01-2025", "9", "1.234", "5"]]


def write(path: Path, quoted: bool) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\n",
                       quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL)
        w.writerow(["Telpunt", "datum", "UUR", "passanten", "binnenkomers"])
        w.writerows(ROWS)
    return path


def records(ex) -> list[tuple]:
    con = duckdb.connect()
    if ex.table is not None:
        con.register("t", ex.table)
        rel = "t"
    else:
        rel = f"read_csv('{ex.out_csv}', all_varchar=true)"
    got = con.execute(f"select cast(_line as bigint), telpunt_id, datum, uur, passanten, binnenkomers, bron "
                      f"from {rel} order by 1").fetchall()
    con.close()
    return got


@pytest.mark.parametrize("quoted", [False, True])
def test_plain_and_careful_paths_give_the_same_records(tmp_path: Path, quoted: bool) -> None:
    path = write(tmp_path / "passanten.csv", quoted)
    assert is_plain(path) is not quoted
    ex = extract(path, FOOTFALL, tmp_path / "out.csv")
    assert (ex.table is not None) is not quoted
    assert ex.rows == 3  # the line of empty fields is no record
    assert records(ex) == [
        (2, "TP1", "06-01-2025", "10", "100", "10", None),
        (3, "TP1", "06-01-2025", "11", "200", None, None),
        (5, "TP2", "07-01-2025", "9", "1.234", "5", None),
    ]


def spy_on_duckdb(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record whether each call of the DuckDB reader took the file (True) or left it to the careful path."""
    real, calls = tabular._extract_plain_duckdb, []

    def spy(*args: object) -> bool:
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(tabular, "_extract_plain_duckdb", spy)
    return calls


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_large_plain_file_read_by_duckdb_gives_the_records_of_the_careful_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str) -> None:
    path = tmp_path / "passanten.csv"
    lines = ["Telpunt;datum;UUR;passanten;binnenkomers", *(";".join(r) for r in ROWS), "TP3 ;08-01-2025;\t8;7;"]
    path.write_bytes(newline.join(lines).encode("utf-8") + newline.encode())
    monkeypatch.setattr(tabular, "stream_above_bytes", lambda: 0)  # every file counts as large
    read_by_duckdb = spy_on_duckdb(monkeypatch)
    fast = extract(path, FOOTFALL, tmp_path / "duckdb.csv")
    assert read_by_duckdb == [True]
    monkeypatch.setattr(tabular, "_extract_plain_duckdb", lambda *_: False)
    careful = extract(path, FOOTFALL, tmp_path / "careful.csv")
    assert fast.rows == careful.rows == 4
    assert records(fast) == records(careful)
    assert records(fast)[-1] == (6, "TP3", "08-01-2025", "8", "7", None, None)


@pytest.mark.parametrize("line", ["TP1;06-01-2025", "TP1;06-01-2025;10;5;;;"])
def test_a_large_file_with_a_line_of_another_width_names_it_as_the_careful_path_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str) -> None:
    path = tmp_path / "passanten.csv"
    path.write_text(f"telpunt_id;datum;uur;passanten\nTP1;06-01-2025;10;5\n{line}\nTP1;06-01-2025;11;6;\n",
                    encoding="utf-8")
    monkeypatch.setattr(tabular, "stream_above_bytes", lambda: 0)
    read_by_duckdb = spy_on_duckdb(monkeypatch)
    ex = extract(path, FOOTFALL, tmp_path / "out.csv")
    assert read_by_duckdb == [True]
    monkeypatch.setattr(tabular, "is_plain", lambda _path: False)
    careful = extract(path, FOOTFALL, tmp_path / "careful.csv")
    assert ex.rows == careful.rows == 3  # one trailing separator too many is harmless
    reject = (3, "", line, f"verwacht 4 velden, gevonden {len(line.split(';'))}")
    assert ex.structural_rejects == careful.structural_rejects == [reject]
    assert records(ex) == records(careful)


def test_a_blank_line_sends_the_file_down_the_careful_path(tmp_path: Path) -> None:
    path = tmp_path / "passanten.csv"
    path.write_text("telpunt_id;datum;uur;passanten\nTP1;06-01-2025;10;5\n\nTP1;06-01-2025;11;6\n", encoding="utf-8")
    assert not is_plain(path)
    ex = extract(path, FOOTFALL, tmp_path / "out.csv")
    assert [r[0] for r in records(ex)] == [2, 4]


def typed_rows(path: Path, out: Path, deferred: bool) -> tuple[list[tuple], list[tuple]]:
    """Type ``path`` as the build does; return its typed rows and its rejects."""
    from data_pipelines.validate import Validator

    con = duckdb.connect()
    v = Validator(con)
    typed = v.load(extract(path, FOOTFALL, out, deferred=deferred), FOOTFALL)
    rows = con.execute(f"select _line, telpunt_id, datum, uur, passanten, binnenkomers from {typed} order by 1")
    got = rows.fetchall(), con.execute("select * from rejects order by line, column_name").fetchall()
    con.close()
    return got


@pytest.mark.parametrize("short_line", [False, True])
def test_a_file_read_by_the_builds_duckdb_types_as_the_careful_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    short_line: bool) -> None:
    path = tmp_path / "passanten.csv"
    lines = ["Telpunt;datum;UUR;passanten;binnenkomers", *(";".join(r) for r in ROWS), "TP3 ;08-01-2025;\t8;x;-1"]
    if short_line:
        lines.append("TP4;09-01-2025")  # DuckDB's reader stops; the careful path names the line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    deferred = extract(path, FOOTFALL, tmp_path / "d.csv", deferred=True)
    assert deferred.query is not None
    fast = typed_rows(path, tmp_path / "fast.csv", deferred=True)
    monkeypatch.setattr(tabular, "is_plain", lambda _path: False)
    assert fast == typed_rows(path, tmp_path / "careful.csv", deferred=False)
    rows, rejects = fast
    assert rows[-1][0] == 6 and rows[-1][1] == "TP3"
    assert [(r[1], r[2], r[4]) for r in rejects if r[1] == 6] == [
        (6, "binnenkomers", "kleiner dan het minimum 0"), (6, "passanten", "geen geheel getal")]
    assert [r[1:] for r in rejects if r[1] == 7] == ([(7, "", "TP4;09-01-2025", "verwacht 5 velden, gevonden 2")]
                                                     if short_line else [])
