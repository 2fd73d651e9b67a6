"""The typed read of a plain export (DuckDB's own reader, declared types) against the general rules.

Both paths type the same file in a real DuckDB. The typed read hands only the lines its reader refuses and
the rows a check finds a problem in to the general rules, so the typed rows, the rejects and the count of
records must be those of the general rules alone; every row's ``vkp_id`` is ``V<its line>``, which checks
the line numbers of both paths against the file itself.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from data_pipelines.extract.tabular import extract
from data_pipelines.specs import OUTLETS
from data_pipelines.validate import Validator, valid_rows_sql
from tests.exports import outlet

HEADER = [c.name for c in OUTLETS.columns]

#: line -> the values a bad (or unusual) row carries instead of the defaults; the reason it is there.
ODD: dict[int, dict[str, str]] = {
    40: {"jaar": "1.5"},  # DuckDB's reader takes 1.5; not whole, so "geen geheel getal"
    41: {"jaar": "20x5"},  # the reader refuses it ...
    42: {"jaar": "0x10"},  # ... and this (its integer reader would read 16) and the next, adjacent lines
    43: {"wvo_m2": "250000"},  # read, but above the maximum: the reject shows the text as written
    44: {"wvo_m2": "1.234,5"},  # refused by the reader, a valid 1234.5 by the general rules
    45: {"peildatum": "32-01-2020"},
    300: {"peildatum": "2020-01-15"},  # another date form than the file's: refused, then valid
    301: {"peildatum": "20-08-14"},  # read as the year 14; the general rules read 0020-08-14
    302: {"leegstand": "misschien"},
    303: {"nis_code": "44021.0"},  # Excel's number: a valid code
    304: {"vkp_id": ""},
    305: {"postcode": "12345"},
    306: {"wvo_m2": "-3"},
    1500: {"x": "104.500,0"},
    1501: {"jaar": "2025", "peildatum": "29-02-2025"},
    2999: {"jaar": ""},
}
SHORT_LINE, BLANK_LINE, LINES = 1000, 1001, 3000


def write_export(path: Path, newline: str = "\n", extra: dict[int, str] | None = None) -> None:
    """Write an outlets file of ``LINES`` lines with the rows of ``ODD``, a short line and a blank record."""
    lines = [";".join(HEADER)]
    for line in range(2, LINES + 1):
        if line == SHORT_LINE:
            lines.append("2025;;V1000;Winkel")
        elif line == BLANK_LINE:
            lines.append(";" * (len(HEADER) - 1))
        else:
            values = {"jaar": "2024", "vkp_id": f"V{line}", "peildatum": "31-12-2024", "wvo_m2": "120,5",
                      "branche_code": "MOD01", "postcode": "9000"}
            row = outlet(**(values | ODD.get(line, {})))
            lines.append(";".join(row[h] for h in HEADER))
    for line, text in (extra or {}).items():
        lines[line - 1] = text
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))


def typed(path: Path, typed_read: bool, calls: list[str] | None = None) -> tuple[list, list, list, int]:
    """Type ``path`` on one path; return its typed rows, rejects, valid lines and count of records."""
    con = duckdb.connect()
    try:
        ex = extract(path, OUTLETS, path.with_suffix(".out.csv"), deferred=True)
        if not typed_read:
            ex.mapped = []
        v = Validator(con)
        if calls is not None:
            split = v._split_lines

            def spy(ex_: object, spec: object, table: str, query: str) -> int:
                calls.append(query)
                return split(ex_, spec, table, query)  # type: ignore[arg-type]

            v._split_lines = spy  # type: ignore[method-assign]
        table = v.load(ex, OUTLETS)
        rows = con.execute(f"select * from {table} order by _line").fetchall()
        rejects = con.execute("select * from rejects order by line, column_name, reason").fetchall()
        valid = [r[0] for r in con.execute(f"select _line from ({valid_rows_sql(table)}) order by 1").fetchall()]
        return rows, rejects, valid, ex.rows
    finally:
        con.close()


def test_the_typed_read_gives_the_general_rules_result(tmp_path: Path) -> None:
    path = tmp_path / "verkooppunten.csv"
    write_export(path)
    calls: list[str] = []
    fast = typed(path, typed_read=True, calls=calls)
    general = typed(path, typed_read=False)
    assert fast == general
    rows, rejects, valid, count = fast
    assert count == LINES - 2  # the header and the blank record are no record
    vkp_id = HEADER.index("vkp_id") + 2
    assert all(r[vkp_id] in (f"V{r[1]}", None) for r in rows), "a row's line is not where it is in the file"
    # Only the odd lines went to the general rules, as one query restricted to them.
    assert len(calls) == 1 and "where _line in" in calls[0]
    assert ("verkooppunten.csv", 40, "jaar", "1.5", "geen geheel getal") in rejects
    assert ("verkooppunten.csv", 42, "jaar", "0x10", "geen geheel getal") in rejects
    assert ("verkooppunten.csv", 43, "wvo_m2", "250000", "groter dan het maximum 200000") in rejects
    assert ("verkooppunten.csv", 45, "peildatum", "32-01-2020",
            "geen geldige datum (verwacht dd-mm-jjjj of jjjj-mm-dd)") in rejects
    assert ("verkooppunten.csv", SHORT_LINE, "", "2025;;V1000;Winkel", "verwacht 23 velden, gevonden 4") in rejects
    assert ("verkooppunten.csv", 302, "leegstand", "misschien", "geen J/N-waarde") in rejects
    by_line = {r[1]: r for r in rows}
    wvo, peildatum = HEADER.index("wvo_m2") + 2, HEADER.index("peildatum") + 2
    assert by_line[44][wvo] == 1234.5 and 44 in valid
    assert str(by_line[300][peildatum]) == "2020-01-15" and 300 in valid
    assert str(by_line[301][peildatum]) == "0020-08-14"
    assert by_line[2][wvo] == 120.5  # a row DuckDB typed
    # nothing half: a rejected line is typed (to be reported) but never valid
    assert {40, 41, 42, 43, 45, 302, 304, 305, 306, 1501, 2999}.isdisjoint(valid)
    assert SHORT_LINE not in by_line and BLANK_LINE not in by_line
    assert len(valid) == LINES - 2 - len({r[1] for r in rejects})


@pytest.mark.parametrize(
    ("label", "newline", "extra"),
    [
        ("Windows line ends", "\r\n", None),
        ("a cell with a blank at its end", "\n", {7: None}),
        ("a vertical tab, which DuckDB's number reader skips", "\n", {8: "2024\x0b"}),
        ("a control character in a text cell", "\n", {9: "Win\x02kel"}),
    ],
)
def test_files_the_typed_read_declines_give_the_same_result(tmp_path: Path, label: str, newline: str,
                                                            extra: dict[int, str | None] | None) -> None:
    path = tmp_path / "verkooppunten.csv"
    write_export(path, newline)
    if extra:
        lines = path.read_bytes().decode("utf-8").split(newline)
        for line, value in extra.items():
            cells = lines[line - 1].split(";")
            if value is None:
                cells[HEADER.index("naam")] += " "
            elif value.startswith("2024"):
                cells[HEADER.index("jaar")] = value
            else:
                cells[HEADER.index("naam")] = value
            lines[line - 1] = ";".join(cells)
        path.write_bytes(newline.join(lines).encode("utf-8"))
    fast, general = typed(path, typed_read=True), typed(path, typed_read=False)
    assert fast == general, label
    rejects = fast[1]
    if extra and 8 in extra:
        assert ("verkooppunten.csv", 8, "jaar", "2024\ufffd", "stuurteken (bv. een NUL-byte) in het veld: is het "
                "bestand beschadigd?") in rejects
    if extra and 7 in extra:
        row = next(r for r in fast[0] if r[1] == 7)
        assert row[HEADER.index("naam") + 2] == "Winkel"  # trimmed, as the general rules do
