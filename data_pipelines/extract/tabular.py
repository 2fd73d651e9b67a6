"""Read one export file (CSV/TXT in any usual encoding and separator, or XLSX) into a normalized CSV.

The normalized file is UTF-8, comma separated, with the canonical column names of the spec and a
first column ``_line``: the physical line (or Excel row) where the record starts, so that every later
check can name it. Values stay text here; typing happens in ``validate``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from data_pipelines import settings
from data_pipelines.errors import ExportError
from data_pipelines.specs import IGNORE, InputSpec, header_map, normalize_header, resembling_column

DELIMITERS = (";", ",", "\t", "|")
csv.field_size_limit(sys.maxsize)  # shopping-area polygons as WKT are long


@dataclass
class Extracted:
    """What the extractor found out about one file."""

    path: Path
    kind: str
    out_csv: Path
    columns: list[str]
    encoding: str
    delimiter: str
    decimal_mark: str
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    structural_rejects: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, col, value, reason
    sheet: str | None = None
    present: list[str] = field(default_factory=list)  # declared columns found in the header
    table: object | None = None  # a pyarrow.Table instead of out_csv (the fast path for plain files)
    label: str = ""  # the name as the user knows it (path inside the source folder or zip)
    skipped_sheets: list[str] = field(default_factory=list)
    #: Deferred reading (the build's own DuckDB reads the file): the SELECT giving ``_line`` and the text
    #: columns, and what to call when that reader fails on the file (the careful path fills ``out_csv``).
    query: str | None = None
    reread: Callable[[], None] | None = None
    #: A deferred file's header cells: the column each fills, for a typed read by DuckDB (empty: the file
    #: holds a control character or a cell with blanks around it, see :func:`control_or_padding`).
    mapped: list[str | None] = field(default_factory=list)

    @property
    def name(self) -> str:
        """Return the file name as the user knows it."""
        return self.label or self.path.name


def detect_encoding(path: Path, limit: int | None = None) -> str:
    """Return the encoding of a text export (judged on its first ``limit`` bytes, if given).

    A BOM decides; then UTF-16 without BOM (every other byte NUL in ASCII text); then UTF-8 if the
    file decodes as such (an incomplete character at the very end, as in a truncated file, still
    counts as UTF-8); else Windows-1252, what Excel on a Belgian Windows machine writes.
    """
    with path.open("rb") as fh:
        head = fh.read(4096)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        sample = head[:512] if len(head) % 2 == 0 else head[:len(head) - 1][:512]
        if len(sample) >= 8:
            even, odd = sample[0::2], sample[1::2]
            if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
                return "utf-16-le"
            if even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
                return "utf-16-be"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        left = limit
        try:
            while (left is None or left > 0) and (chunk := fh.read(1 << 20 if left is None else min(left, 1 << 20))):
                decoder.decode(chunk)
                left = None if left is None else left - len(chunk)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def ends_mid_character(path: Path) -> bool:
    """Tell whether a UTF-8 file stops inside a multi-byte character (a truncated file)."""
    with path.open("rb") as fh:
        fh.seek(max(path.stat().st_size - 4, 0))
        tail = fh.read()
    for start in range(len(tail)):
        try:
            tail[start:].decode("utf-8")
            return False
        except UnicodeDecodeError as exc:
            if exc.reason != "unexpected end of data":
                continue
            return True
    return False


def is_plain(path: Path) -> bool:
    """Tell whether a text file has no quote characters, no blank lines and no byte 0x01.

    In such a file every line is one record, so a columnar reader may parse it and the line numbers
    still follow from the row order; anything else takes the careful record-by-record path. (DuckDB reads
    a plain file as whole lines, split on 0x01, which therefore must not occur.)
    """
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 24):
            if b'"' in chunk or b"\x01" in chunk or b"\n\n" in chunk or b"\n\r\n" in chunk:
                return False
            # a blank line across two chunks
            if b"\n\n" in tail + chunk[:2] or b"\n\r\n" in tail + chunk[:2]:
                return False
            tail = chunk[-2:]
    return True


#: Control characters (all but tab, line feed and carriage return), as the validator's check names them.
CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])


def control_or_padding(path: Path, delimiter: str) -> bool:
    """Tell whether a plain file's records hold a control character or a cell starting or ending with a blank.

    Either keeps the file from DuckDB's typed read: its number reader skips a vertical tab as a blank, and it
    leaves a cell's blanks, which the general rules trim. One pass over the bytes, classed by ``translate``
    (control -> 0, blank -> space, separator and line end -> ``;``, the rest -> ``a``).
    """
    import numpy as np

    table = bytearray(b"a" * 256)
    for byte in CONTROL_BYTES:
        table[byte] = 0
    for blank in (" ", "\t"):
        table[ord(blank)] = 32
    for edge in (delimiter, "\n", "\r"):
        table[ord(edge)] = 59
    classes = bytes(table)
    previous = b";"
    with path.open("rb") as fh:
        first = fh.read(1 << 24)
        chunk = first[first.find(b"\n") + 1:] if b"\n" in first else b""  # the header is no record
        while chunk:
            marked = previous + chunk.translate(classes)
            cells = np.frombuffer(marked, dtype=np.uint8)
            blank, edge = cells == 32, cells == 59
            if b"\x00" in marked or (blank[:-1] & edge[1:]).any() or (edge[:-1] & blank[1:]).any():
                return True
            previous = marked[-1:]
            chunk = fh.read(1 << 24)
    return previous == b" "  # the last line, without a line end, ends with a blank


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def plain_query(path: Path, result: Extracted, header: list[str], mapped: list[str | None]) -> str | None:
    """Return the SELECT that reads a plain UTF-8 file (see :func:`is_plain`) with DuckDB, set-based.

    DuckDB reads whole lines (a plain file has one record per line, so a row's line is its ordinality
    plus the header line) and SQL splits them. Columns: ``_line``, ``_bad`` (NULL, or for a line with
    another number of fields its text, cut at 200 characters), ``_reason`` (why) and the canonical columns as
    trimmed text (empty = NULL). Lines of only separators and blanks are no record and left out, as on
    the careful path; so is nothing else. ``None`` when the header fills no column.
    """
    width = len(header)
    positions = {name: i for i, name in enumerate(mapped) if name is not None}
    if not positions:
        return None
    blank = _lit(" " + chr(9) + chr(13))
    cells = {name: _trimmed(f"p[{i + 1}]") for name, i in positions.items()}
    select = ", ".join([f'{cells.get(name, "cast(null as varchar)")} as "{name}"' for name in result.columns])
    # Excel may end a line with one separator too many ("a;b;"): harmless, as on the careful path.
    fits = f"(len(p) = {width} or len(p) = {width + 1} and trim(p[{width + 1}], {blank}) = '')"
    reason = _lit(structural_reason(width, 0).removesuffix("0"))
    return (f"select _line, case when not {fits} then left(line, 200) end as _bad, "
            f"case when not {fits} then {reason} || len(p) end as _reason, {select} "
            f"from (select ordinality + 1 as _line, line, string_split(line, {_lit(result.delimiter)}) as p "
            f"from read_csv({_lit(str(path))}, delim='\x01', header=false, skip=1, quote='', escape='', "
            f"columns={{'line': 'VARCHAR'}}, auto_detect=false, strict_mode=true, encoding='utf-8') "
            f"with ordinality where case when ascii(line) not in (32, 9, 13, {ord(result.delimiter)}) then true "
            f"else trim(replace(line, {_lit(result.delimiter)}, ''), {blank}) <> '' end)")


def _trimmed(cell: str) -> str:
    """Return SQL for a cell without surrounding blanks, NULL when empty.

    Trimming costs a copy of every cell: only a cell that starts or ends with a blank is trimmed.
    """
    edge = " or ".join([f"ascii({cell}) in (32, 9, 13)", *(f"suffix({cell}, chr({c}))" for c in (32, 9, 13))])
    return (f"case when {cell} = '' then null when {edge} "
            f"then nullif(trim({cell}, {_lit(' ' + chr(9) + chr(13))}), '') else {cell} end")


def structural_reason(width: int, found: int) -> str:
    """Return the reason of a line with another number of fields than the header."""
    return f"verwacht {width} velden, gevonden {found}"


def _reader(spill: Path) -> Any:
    """Return an in-memory DuckDB connection for one extraction, under the build's memory limit."""
    import duckdb

    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    # The rows may leave in any order (each carries its line), which keeps the memory flat at any size.
    con.execute("set preserve_insertion_order = false")
    con.execute(f"set memory_limit = {_lit(str(settings.get('etl_memory')))}")
    con.execute(f"set temp_directory = {_lit(str(spill))}")
    return con


def _extract_plain(path: Path, result: Extracted, header: list[str], mapped: list[str | None]) -> bool:
    """Read a small plain file (see :func:`is_plain`) with DuckDB into an Arrow table; return False to fall back."""
    import duckdb

    query = plain_query(path, result, header, mapped)
    if query is None:
        return False
    con = _reader(result.out_csv.parent / f".{result.out_csv.name}.spill")
    try:
        con.execute(f"create temp table plain as {query}")
        result.table = con.sql(f"select _line, {_columns(result)} from plain where _bad is null "
                               "order by _line").to_arrow_table()
        _structural(con, result, "plain")
    except duckdb.Error:
        return False
    finally:
        con.close()
    return True


def _columns(result: Extracted) -> str:
    return ", ".join(f'"{c}"' for c in result.columns)


def _structural(con: Any, result: Extracted, table: str) -> None:
    """Count the records of ``table`` (a :func:`plain_query`) and keep its lines of another width as rejects."""
    result.rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    result.structural_rejects = [(line, "", text, reason) for line, text, reason in
                                 con.execute(f"select _line, _bad, _reason from {table} where _bad is not null "
                                             "order by _line").fetchall()]


def _extract_plain_duckdb(path: Path, result: Extracted, header: list[str], mapped: list[str | None]) -> bool:
    """Normalize a large plain UTF-8 file (see :func:`is_plain`) with DuckDB's CSV reader; False to fall back.

    DuckDB reads in parallel and streams to ``out_csv`` under the build's memory limit, where the
    record-by-record path costs seconds of Python per million lines.
    """
    import duckdb

    query = plain_query(path, result, header, mapped)
    if query is None:
        return False
    con = _reader(result.out_csv.parent / f".{result.out_csv.name}.spill")
    try:
        # Streamed twice (records, then the count and the odd lines), never held whole in memory.
        con.execute(f"copy (select _line, {_columns(result)} from ({query}) where _bad is null) "
                    f"to {_lit(str(result.out_csv))} (header true, delimiter ',', quote '\"')")
        _structural(con, result, f"({query})")
    except duckdb.Error:
        result.out_csv.unlink(missing_ok=True)
        return False
    finally:
        con.close()
    return True


def sniff_delimiter(header_line: str) -> str | None:
    """Return the separator used in a header line (outside quotes), or ``None``."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else None


@dataclass
class HeaderMatch:
    """How the cells of a header row map onto the columns of one file kind."""

    mapped: list[str | None]  # per header cell: the column it fills, or None
    ignored: list[str]  # header cells that fill no column
    missing: list[str]  # required columns the header lacks
    resembling: list[tuple[str, str]]  # unknown header cell, the column it looks like

    @property
    def present(self) -> list[str]:
        """Return the columns the header fills."""
        return [m for m in self.mapped if m]


def match_header(raw: list[str], spec: InputSpec, user: dict[str, str] | None = None, *,
                 suggest: bool = True) -> HeaderMatch:
    """Map header cells through the aliases and the user's column mapping (which wins).

    ``suggest=False`` skips the look-alike search for unknown cells (a fuzzy comparison against every
    column): telling which kind a file is needs only the missing columns, for every kind in turn.
    """
    mapping = header_map(spec) | (user or {})
    mapped: list[str | None] = []
    ignored: list[str] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for cell in raw:
        text = (cell or "").strip()
        name = mapping.get(normalize_header(text))
        if name is None or name == IGNORE or name in seen:
            if text:
                ignored.append(text)
                if name is None:
                    unknown.append(text)
            mapped.append(None)
            continue
        seen.add(name)
        mapped.append(name)
    resembling = [(h, target) for h in unknown
                  if suggest and (target := resembling_column(h, spec, seen)) is not None]
    missing = [c for c in spec.required if c not in seen]
    return HeaderMatch(mapped, ignored, missing, resembling)


def check_header(match: HeaderMatch, raw: list[str], file: str) -> None:
    """Stop on a header that leaves a column unaccounted for: a look-alike header or a missing column."""
    if match.resembling:
        header, target = match.resembling[0]
        key = header.replace("\\", "\\\\").replace('"', '\\"')
        raise ExportError(file, f"kolom niet herkend; bedoelt u '{target}'? Voeg deze regel toe aan een "
                                f"kolommenbestand (--columns kolommen.toml): \"{key}\" = \"{target}\" "
                                f"(of \"{key}\" = \"-\" als de kolom iets anders is)", line=1, column=header)
    if match.missing:
        found = ", ".join(c.strip() for c in raw if c and c.strip()) or "(geen)"
        raise ExportError(file, f"verplichte kolom ontbreekt (gevonden kolommen: {found})", line=1,
                          column=match.missing[0])


def _map_header(raw: list[str], spec: InputSpec, file: str, user: dict[str, str] | None = None
                ) -> tuple[list[str | None], list[str]]:
    match = match_header(raw, spec, user)
    check_header(match, raw, file)
    return match.mapped, match.ignored


def _writer(out_csv: Path) -> tuple[TextIO, Any]:
    fh = out_csv.open("w", encoding="utf-8", newline="")
    return fh, csv.writer(fh, lineterminator="\n")


#: How often a long extraction reports its progress (rows).
PROGRESS_EVERY = 1_000_000

Progress = Callable[[str], None]


def extract_text(path: Path, spec: InputSpec, out_csv: Path, progress: Progress | None = None,
                 user: dict[str, str] | None = None, label: str = "", deferred: bool = False) -> Extracted:
    """Normalize a CSV/TXT export; see the module docstring.

    ``deferred``: leave a plain UTF-8 file to the caller's DuckDB (``Extracted.query``) instead of reading it.
    """
    label = label or path.name
    if path.stat().st_size == 0:
        raise ExportError(label, "het bestand is leeg")
    encoding = detect_encoding(path)
    try:
        return _extract_text(path, spec, out_csv, encoding, progress, user, label, deferred)
    except UnicodeDecodeError as exc:
        raise ExportError(label, f"onleesbare tekens in codering {encoding} ({exc.reason}); "
                                     "is het wel een tekstbestand (CSV)?",
                          line=_first_bad_line(path, encoding)) from None


def _first_bad_line(path: Path, encoding: str) -> int | None:
    """Return the physical line of the first byte that does not decode (None for UTF-16)."""
    if encoding.startswith("utf-16"):
        return None
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode(encoding)
            except UnicodeDecodeError:
                return number
    return None


def stream_above_bytes() -> int:
    """Return the size above which a file skips the columnar fast path (which holds it in memory) and is streamed."""
    return int(settings.get("stream_above_mb") * 1024 * 1024)


def _header_delimiter(header_line: str, spec: InputSpec, label: str) -> str:
    delimiter = sniff_delimiter(header_line)
    if delimiter is None and len(spec.columns) == 1:
        return ";"  # a one-column list (formulas) has no separator to find
    if delimiter is None:
        raise ExportError(label, "geen scheidingsteken (; , tab |) gevonden in de kopregel", line=1)
    return delimiter


def _read_plain(result: Extracted, spec: InputSpec, header: list[str], mapped: list[str | None], deferred: bool,
                progress: Progress | None, user: dict[str, str] | None) -> bool:
    """Read a plain UTF-8 file the fast way (deferred to the build's DuckDB, or now); False: the careful way."""
    path = result.path
    if not is_plain(path) or ends_mid_character(path):
        return False
    if deferred and (query := plain_query(path, result, header, mapped)) is not None:
        result.query = query
        if not control_or_padding(path, result.delimiter):
            result.mapped = mapped

        def reread() -> None:
            fresh = _extract_text(path, spec, result.out_csv, result.encoding, progress, user, result.name,
                                  careful=True)
            result.query, result.rows = None, fresh.rows
            result.structural_rejects = fresh.structural_rejects

        result.reread = reread
        return True
    if path.stat().st_size <= stream_above_bytes():
        return _extract_plain(path, result, header, mapped)
    return _extract_plain_duckdb(path, result, header, mapped)


def _extract_text(path: Path, spec: InputSpec, out_csv: Path, encoding: str, progress: Progress | None,
                  user: dict[str, str] | None, label: str, deferred: bool = False,
                  careful: bool = False) -> Extracted:
    with path.open(encoding=encoding, errors="strict", newline="") as fh:
        header_line = fh.readline()
        leading_blank = False
        while header_line and not header_line.strip():
            leading_blank = True
            header_line = fh.readline()
        if not header_line.strip():
            raise ExportError(label, "het bestand is leeg")
        delimiter = _header_delimiter(header_line, spec, label)
        header = next(csv.reader([header_line], delimiter=delimiter))
        mapped, ignored = _map_header(header, spec, label, user)
        # A comma-separated file uses the decimal point; otherwise the Belgian decimal comma.
        decimal_mark = "." if delimiter == "," else ","
        result = Extracted(path, spec.kind, out_csv, [c.name for c in spec.columns], encoding, delimiter,
                           decimal_mark, ignored_columns=ignored, present=[m for m in mapped if m], label=label)
        if not careful and encoding.startswith("utf-8") and not leading_blank \
                and _read_plain(result, spec, header, mapped, deferred, progress, user):
            return result
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        out_fh, writer = _writer(out_csv)
        positions = {name: i for i, name in enumerate(mapped) if name is not None}
        order = [positions.get(c) for c in result.columns]
        writer.writerow(["_line", *result.columns])
        width = len(header)
        start = reader.line_num + 2  # the header was line 1
        with out_fh:
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise ExportError(label, f"onleesbare regel ({exc}); is het bestand afgebroken?",
                                      line=start) from None
                line = start
                start = reader.line_num + 2
                if not record or all(not v.strip() for v in record):
                    continue
                result.rows += 1
                if progress is not None and result.rows % PROGRESS_EVERY == 0:
                    progress(f"{label}: {result.rows:,} regels gelezen...".replace(",", "."))
                if len(record) != width:
                    # A trailing empty field from Excel ("a;b;") is harmless.
                    if len(record) == width + 1 and not record[-1].strip():
                        record = record[:-1]
                    else:
                        result.structural_rejects.append(
                            (line, "", delimiter.join(record)[:200], structural_reason(width, len(record))))
                        continue
                writer.writerow([line, *((record[i].strip() if i is not None else "") for i in order)])
    return result


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # Numeric cells are written with a decimal comma, so that they parse like the text cells
        # a Belgian user types ("104500,5") under one rule.
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return str(value).strip()


def sheet_headers(path: Path) -> list[tuple[str, list[str]]]:
    """Return (sheet title, first row as text) for every worksheet of an XLSX file."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out = []
        for sheet in book.worksheets:
            header = next(sheet.iter_rows(values_only=True, max_row=1), None)
            out.append((sheet.title, [_cell(v) for v in header or ()]))
        return out
    finally:
        book.close()


def best_sheet(headers: list[tuple[str, list[str]]], spec: InputSpec, user: dict[str, str] | None) -> str | None:
    """Return the sheet whose header fills most of the required columns of ``spec``."""
    scored = [(len(spec.required) - len(match_header(cells, spec, user).missing), -i, title)
              for i, (title, cells) in enumerate(headers) if any(cells)]
    return max(scored)[2] if scored and max(scored)[0] > 0 else None


def extract_xlsx(path: Path, spec: InputSpec, out_csv: Path, user: dict[str, str] | None = None,
                 label: str = "", sheet: str | None = None) -> Extracted:
    """Normalize an XLSX export: the given sheet, else the one whose header holds most required columns.

    The other sheets (notes, pivots) are skipped and named in the summary; a header error names the
    sheet it was found in.
    """
    import openpyxl

    label = label or path.name
    try:
        headers = sheet_headers(path)
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged zip
        raise ExportError(label, f"geen leesbaar Excel-bestand ({type(exc).__name__})") from None
    try:
        title = sheet or best_sheet(headers, spec, user)
        if title is None:
            if not any(cells for _, cells in headers):
                raise ExportError(label, "geen werkblad met gegevens gevonden")
            title = next(t for t, cells in headers if any(cells))
        ws = book[title]
        rows = ws.iter_rows(values_only=True)
        header_text = [_cell(v) for v in next(rows, None) or ()]
        where = f"{label}, werkblad '{title}'" if len(headers) > 1 else label
        mapped, ignored = _map_header(header_text, spec, where, user)
        result = Extracted(path, spec.kind, out_csv, [c.name for c in spec.columns], "xlsx", "", ",",
                           ignored_columns=ignored, sheet=title, present=[m for m in mapped if m], label=label,
                           skipped_sheets=[t for t, _ in headers if t != title])
        positions = {name: i for i, name in enumerate(mapped) if name is not None}
        order = [positions.get(c) for c in result.columns]
        out_fh, writer = _writer(out_csv)
        with out_fh:
            writer.writerow(["_line", *result.columns])
            for line, values in enumerate(rows, start=2):
                cells = [_cell(v) for v in values]
                if not any(cells):
                    continue
                result.rows += 1
                writer.writerow([line, *((cells[i] if i is not None and i < len(cells) else "")
                                         for i in order)])
        return result
    finally:
        book.close()


def extract(path: Path, spec: InputSpec, out_csv: Path, progress: Progress | None = None,
            user: dict[str, str] | None = None, label: str = "", sheet: str | None = None,
            deferred: bool = False) -> Extracted:
    """Normalize ``path`` (CSV/TXT/XLSX) into ``out_csv``; raise ``ExportError`` on file-level problems."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return extract_xlsx(path, spec, out_csv, user, label, sheet)
    return extract_text(path, spec, out_csv, progress, user, label, deferred)
