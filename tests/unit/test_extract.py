"""The two extraction paths (columnar for plain files, record by record otherwise) agree."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

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


def test_a_blank_line_sends_the_file_down_the_careful_path(tmp_path: Path) -> None:
    path = tmp_path / "passanten.csv"
    path.write_text("telpunt_id;datum;uur;passanten\nTP1;06-01-2025;10;5\n\nTP1;06-01-2025;11;6\n", encoding="utf-8")
    assert not is_plain(path)
    ex = extract(path, FOOTFALL, tmp_path / "out.csv")
    assert [r[0] for r in records(ex)] == [2, 4]
