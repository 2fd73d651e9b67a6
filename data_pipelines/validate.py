"""Declared checks per input, run in DuckDB on the normalized text columns.

For every spec column the validator derives: required value, type, range and pattern checks; then
per input the unique key, the known codes (NIS through the merger table, branch codes, area types),
the relationships between files and the row rules (dates, coordinates inside Flanders). Every
problem becomes one row in ``rejects`` (file, line, column, value, reason); a rejected row does not
reach staging.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from data_pipelines import geo
from data_pipelines.extract.tabular import Extracted
from data_pipelines.specs import Column, InputSpec

TRUE_WORDS = ("j", "ja", "y", "yes", "1", "true", "waar", "x", "oui", "o")
FALSE_WORDS = ("n", "nee", "no", "0", "false", "onwaar", "non")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")

NIS_COLUMNS = ("nis_code", "CD_REFNIS")

REASON_TYPE = {
    "int": "geen geheel getal",
    "decimal": "geen getal",
    "date": "geen geldige datum (verwacht dd-mm-jjjj of jjjj-mm-dd)",
    "bool": "geen J/N-waarde",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def decimal_sql(expr: str, decimal_mark: str) -> str:
    """Return SQL parsing ``expr`` (text) as DOUBLE with the file's decimal mark.

    With a decimal comma, dots grouping thousands (``1.234,5``) are dropped and a lone dot is
    taken as a decimal point (``12.5``): that is what a person typing either form means.
    """
    v = f"replace(replace({expr}, ' ', ''), chr(160), '')"
    if decimal_mark == ",":
        return (f"try_cast(case when regexp_full_match({v}, '[-+]?\\d{{1,3}}(\\.\\d{{3}})+(,\\d*)?') "
                f"then replace(replace({v}, '.', ''), ',', '.') else replace({v}, ',', '.') end as double)")
    return (f"try_cast(case when regexp_full_match({v}, '[-+]?\\d{{1,3}}(,\\d{{3}})+(\\.\\d*)?') "
            f"then replace({v}, ',', '') else {v} end as double)")


def parse_sql(col: Column, decimal_mark: str) -> str:
    """Return the SQL expression that types the raw text column of ``col``."""
    raw = _q(col.name)
    # Each kind starts with the form nearly every cell has, parsed directly; only the other cells take the
    # general rules (same result, a fraction of the work on millions of cells).
    if col.kind == "int":
        d = decimal_sql(raw, decimal_mark)
        return (f"case when regexp_full_match({raw}, '-?\\d{{1,15}}') then cast({raw} as bigint) "
                f"when {d} = floor({d}) then try_cast({d} as bigint) end")
    if col.kind == "decimal":
        plain = f"replace({raw}, ',', '.')" if decimal_mark == "," else raw
        mark = "," if decimal_mark == "," else "\\."
        return (f"case when regexp_full_match({raw}, '-?\\d{{1,15}}({mark}\\d{{1,15}})?') then cast({plain} as double) "
                f"else {decimal_sql(raw, decimal_mark)} end")
    if col.kind == "date":
        formats = "[" + ", ".join(_lit(f) for f in DATE_FORMATS) + "]"
        t = f"trim({raw})"
        # Excel stores dates as days since 1899-12-30; a CSV saved from it may carry that number.
        return (f"case when regexp_full_match({t}, '\\d\\d-\\d\\d-\\d{{4}}') "
                f"then cast(try_strptime({t}, '%d-%m-%Y') as date) "
                f"when regexp_full_match({t}, '\\d{{4}}-\\d\\d-\\d\\d') "
                f"then cast(try_strptime({t}, '%Y-%m-%d') as date) "
                f"else coalesce(cast(try_strptime({t}, {formats}) as date), "
                f"case when regexp_full_match({t}, '\\d{{5}}') "
                f"then date '1899-12-30' + cast({t} as integer) end) end")
    if col.kind == "bool":
        t = ", ".join(_lit(w) for w in TRUE_WORDS)
        f = ", ".join(_lit(w) for w in FALSE_WORDS)
        return f"case when lower(trim({raw})) in ({t}) then true when lower(trim({raw})) in ({f}) then false end"
    if col.kind == "code" and col.name in NIS_COLUMNS:
        # Excel turns codes into numbers: "44021.0", "044021" and "4402" all mean a padded 5-digit code.
        code = f"ltrim(regexp_replace(trim({raw}), '[.,]0+$', ''), '0')"
        return f"case when length({code}) < 5 then lpad({code}, 5, '0') else {code} end"  # lpad would cut
    return f"trim({raw})"


#: Raw text kept in the typed table: the coordinates are checked (inside Flanders) after typing.
COORDINATES = ("x", "y", "lon", "lat")


def _problem(condition: str, column: str, value_sql: str, reason_sql: str) -> str:
    """Return SQL for one entry of a row's ``_problems`` list: NULL unless ``condition`` holds."""
    return (f"case when {condition} then {{'c': {_lit(column)}, 'v': cast({value_sql} as varchar), "
            f"'r': {reason_sql}}} end")


def _column_conditions(col: Column) -> list[tuple[str, str]]:
    """Return the declared checks of one column: (SQL condition on ``<name>`` and ``<name>__raw``, reason SQL)."""
    value, raw = _q(col.name), _q(col.name + "__raw")
    out = []
    if not col.nullable and col.required:
        out.append((f"{raw} is null", "'verplichte waarde ontbreekt'"))
    if col.kind in REASON_TYPE:
        out.append((f"{raw} is not null and {value} is null", _lit(REASON_TYPE[col.kind])))
    if col.min is not None:
        out.append((f"{value} < {col.min}", _lit(f"kleiner dan het minimum {col.min:g}")))
    if col.max is not None:
        out.append((f"{value} > {col.max}", _lit(f"groter dan het maximum {col.max:g}")))
    if col.pattern is not None:
        checked = value if col.name in NIS_COLUMNS else f"trim({raw})"
        out.append((f"{raw} is not null and not regexp_full_match({checked}, {_lit(col.pattern)})",
                    _lit("ongeldig formaat")))
    return out


def _column_checks(col: Column) -> list[str]:
    """Return the declared checks of one column as ``_problems`` entries (see :func:`_problem`)."""
    raw = _q(col.name + "__raw")
    return [_problem(condition, col.name, raw, reason) for condition, reason in _column_conditions(col)]


#: Kinds DuckDB's CSV reader types itself on the fast path. Integers are read as DOUBLE and taken only when
#: whole (its BIGINT reader rounds "1.5" and reads "0x10", which the general rules refuse).
NATIVE_TYPES = {"int": "DOUBLE", "decimal": "DOUBLE", "date": "DATE"}
#: The date forms DuckDB reads on the fast path (one per file): strptime format and the shape of its values.
DATE_SHAPES = (("%d-%m-%Y", r"\d\d-\d\d-\d{4}"), ("%Y-%m-%d", r"\d{4}-\d\d-\d\d"))
#: Problems as ``_problems`` holds them.
PROBLEM_LIST = "struct(c varchar, v varchar, r varchar)[]"
CONTROL = "'[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]'"


def sniff_date_format(path: Path, delimiter: str, positions: list[int], lines: int = 200) -> str | None:
    """Return the one date form (see ``DATE_SHAPES``) of the dates in ``positions`` of the first lines.

    ``None`` when they mix forms or use another one (the dates are then typed by the general rules); the
    first form when the first lines hold no date at all.
    """
    shapes: set[str | None] = set()
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        fh.readline()
        for _, line in zip(range(lines), fh, strict=False):
            cells = line.rstrip("\r\n").split(delimiter)
            for value in (cells[i].strip() for i in positions if i < len(cells)):
                if value:
                    shapes.add(next((f for f, shape in DATE_SHAPES if re.fullmatch(shape, value)), None))
    if None in shapes or len(shapes) > 1:
        return None
    return next(iter(shapes), DATE_SHAPES[0][0])


def native_columns(ex: Extracted, spec: InputSpec, date_format: str | None) -> dict[str, str]:
    """Return the columns of ``spec`` DuckDB's reader types itself (name -> DuckDB type) for this file."""
    present = {m for m in ex.mapped if m}
    return {c.name: NATIVE_TYPES[c.kind] for c in spec.columns
            if c.kind in NATIVE_TYPES and c.name in present and c.pattern is None and c.name not in COORDINATES
            and (c.kind != "date" or date_format is not None)}


def typed_read_sql(ex: Extracted, natives: dict[str, str], date_format: str | None, rejects: str) -> str:
    """Return DuckDB's ``read_csv`` of a plain file with the declared types.

    It skips the lines it cannot read and names them in the table ``rejects``. Its columns ``c0``, ``c1`` …
    follow the header cells.
    """
    types = {f"c{i}": natives.get(name or "", "VARCHAR") for i, name in enumerate(ex.mapped)}
    columns = ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in types.items())
    options = [f"decimal_separator={_lit(ex.decimal_mark)}"] if ex.decimal_mark == "," else []
    if date_format is not None:
        options.append(f"dateformat={_lit(date_format)}")
    return (f"read_csv({_lit(str(ex.path))}, delim={_lit(ex.delimiter)}, header=false, skip=1, quote='', "
            f"escape='', columns={{{columns}}}, auto_detect=false, strict_mode=true, encoding='utf-8', "
            f"store_rejects=true, rejects_table={_lit(rejects)}, rejects_scan={_lit(rejects + '_scan')}"
            + "".join(", " + o for o in options) + ")")


def typed_rows_sql(ex: Extracted, spec: InputSpec, natives: dict[str, str], source: str, line: str) -> str:
    """Return the SELECT typing the rows of a :func:`typed_read_sql` table ``source`` (line number ``line``).

    The columns are those of :meth:`Validator._typed`. A row any check would find a problem in gets
    ``_problems`` NULL (it is typed again by the general rules, from its text); the others an empty list.
    Lines of only separators and blanks are no record and left out.
    """
    position = {name: i for i, name in enumerate(ex.mapped) if name is not None}
    cells = [f"c{position[c.name]}" if c.name in position else "cast(null as varchar)" for c in spec.columns]
    unread = [f"c{i}" for i, name in enumerate(ex.mapped) if name is None]
    blank = " and ".join(f"{q} is null" for q in [*(_q(c.name) for c in spec.columns), *(f"_u{i}" for i in
                                                                                          range(len(unread)))])
    inner = ", ".join([f"{line} as _line"] + [f"{cell} as {_q(c.name)}" for c, cell in zip(spec.columns, cells,
                                                                                              strict=True)]
                      + [f"{u} as _u{i}" for i, u in enumerate(unread)])

    def value(c: Column) -> str:
        v = _q(c.name)
        if natives.get(c.name) and c.kind == "int":
            return f"case when {v} = trunc({v}) and abs({v}) < 1e15 then cast({v} as bigint) end"
        if c.name in natives or (c.kind in ("text", "code") and c.name not in NIS_COLUMNS):
            return v  # no cell starts or ends with a blank (see Extracted.mapped): trimming changes nothing
        return parse_sql(c, ex.decimal_mark)

    parsed = ", ".join([f"{_lit(ex.name)} as _file", "_line"] + [f"{value(c)} as {_q(c.name)}" for c in spec.columns]
                       + [f"{_q(c.name)} as {_q(c.name + '__raw')}" for c in spec.columns])
    conditions = [condition for c in spec.columns for condition, _ in _column_conditions(c)]
    # A year below 1000 may be another form misread (20-08-14); the general rules decide.
    conditions += [f"year({_q(c.name)}) < 1000" for c in spec.columns if natives.get(c.name) == "DATE"]
    names = [c.name for c in spec.columns]
    kept = names + [f"{c}__raw" for c in COORDINATES if c in names]
    return (f"select _file, _line, {', '.join(_q(k) for k in kept)}, case when coalesce("
            + " or ".join(f"({c})" for c in conditions)
            + f", false) then null else cast([] as {PROBLEM_LIST}) end as _problems "
            f"from (select {parsed} from (select {inner} from {source}) where not ({blank}))")


@dataclass
class FileReport:
    """Counts of one input file after validation."""

    file: str
    kind: str
    rows_in: int
    rejected_rows: int
    rows_out: int
    encoding: str
    delimiter: str
    notes: list[str]
    skipped_rows: int = 0  # rows left out by rule (not rejects): population outside Flanders, a repeated file
    ignored_columns: list[str] = field(default_factory=list)


class Validator:
    """Runs the declared checks of one input in a DuckDB connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        con.execute(
            "create table if not exists rejects (file varchar, line bigint, column_name varchar, "
            "value varchar, reason varchar)"
        )

    def _reject(self, file: str, table: str, column: str, value_sql: str, where: str, reason_sql: str) -> None:
        # Every typed table carries the file of each row in ``_file`` (several files may make one table).
        self.con.execute(
            f"insert into rejects select _file, _line, {_lit(column)}, "
            f"cast({value_sql} as varchar), {reason_sql} from {table} where {where}"
        )

    def load(self, ex: Extracted, spec: InputSpec, typed: str | None = None) -> str:
        """Type the rows of one extracted file and run its column checks in one pass; return the typed table.

        A deferred file is read here by DuckDB straight into the typed table; when its reader fails on
        the file (a line with another number of fields), the careful path reads it and reports the line.
        """
        typed = typed or f"typed_{spec.kind}"
        if ex.query is not None:
            # The rows may be written in any order (each carries its line): memory stays flat at any size.
            self.con.execute("set preserve_insertion_order = false")
            try:
                if not (ex.mapped and self._typed_read(ex, spec, typed)):
                    ex.rows = self._split_lines(ex, spec, typed, ex.query)
            except duckdb.Error:
                assert ex.reread is not None
                ex.reread()
            finally:
                self.con.execute("set preserve_insertion_order = true")
        if ex.query is None:
            if ex.table is not None:
                self.con.register("raw_arrow", ex.table)
                self._typed(ex, spec, typed, "raw_arrow")
                self.con.unregister("raw_arrow")
                ex.table = None  # DuckDB holds the rows now; free the Arrow copy
            else:
                cols = ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in ["_line", *ex.columns])
                self._typed(ex, spec, typed, f"read_csv({_lit(str(ex.out_csv))}, header=true, delim=',', "
                                             f"quote='\"', escape='\"', columns={{{cols}}}, strict_mode=true)")
        if ex.structural_rejects:
            self.con.executemany("insert into rejects values (?, ?, ?, ?, ?)",
                                 [[ex.name, *r] for r in ex.structural_rejects])
        self.con.execute(f"insert into rejects select _file, _line, p.c, p.v, p.r from "
                         f"(select _file, _line, unnest(_problems) as p from {typed} where len(_problems) > 0)")
        return typed

    def _split_lines(self, ex: Extracted, spec: InputSpec, typed: str, query: str) -> int:
        """Type the records of ``query`` (an ``Extracted.query``, lines split in SQL) into ``typed``; count them."""
        raw = f"raw_{typed}"
        try:
            # Materialized first: the typing refers to each cell several times, and DuckDB would
            # otherwise repeat the reader's trimming for every reference.
            self.con.execute(f"create or replace temp table {raw} as {query}")
            self.con.execute(f"insert into rejects select {_lit(ex.name)}, _line, '', _bad, _reason from {raw} "
                             "where _bad is not null")
            self._typed(ex, spec, typed, f"(select * from {raw} where _bad is null)")
            return int(self.con.execute(f"select count(*) from {raw}").fetchall()[0][0])
        finally:
            self.con.execute(f"drop table if exists {raw}")

    def _typed_read(self, ex: Extracted, spec: InputSpec, typed: str) -> bool:
        """Type a plain file with DuckDB's own reader and declared types; False when that reader cannot.

        Only the lines it cannot read, and the rows in which a check finds a problem, are typed again by
        the general rules (:meth:`_split_lines`) from their text: every problem is reported with its file,
        line, column, value and reason as on that path, and the other rows take DuckDB's values, the
        same as the general rules give for the usual forms.
        """
        dates = [i for i, name in enumerate(ex.mapped) if name and spec.column(name).kind == "date"]
        date_format = sniff_date_format(ex.path, ex.delimiter, dates) if dates else None
        natives = native_columns(ex, spec, date_format)
        rejected = f"rejected_{typed}"
        read = f"(select ordinality as _k, * from {typed_read_sql(ex, natives, date_format, rejected)} with ordinality)"
        try:
            # Typed straight from the reader (no copy of the file's rows in between), as if no line were refused.
            self.con.execute(f"create or replace temp table {typed} as "
                             f"{typed_rows_sql(ex, spec, natives, read, '_k + 1')}")
        except duckdb.Error:
            self._drop(typed, rejected, rejected + "_scan")
            return False
        try:
            if self.con.execute(f"select count(*) > 0 from {rejected}").fetchall()[0][0]:
                self._renumber(typed, rejected)
            again = f"again_{typed}"
            self.con.execute(f"create or replace temp table {again} as select distinct line from {rejected} "
                             f"union select _line from {typed} where _problems is null")
            ex.rows = self.con.execute(f"select count(*) from {typed} where _problems is not null").fetchall()[0][0]
            if self.con.execute(f"select count(*) from {again}").fetchall()[0][0]:
                self.con.execute(f"delete from {typed} where _problems is null")
                ex.rows += self._split_lines(ex, spec, f"{typed}_again", f"select * from ({ex.query}) "
                                             f"where _line in (select line from {again})")
                self.con.execute(f"insert into {typed} by name select * from {typed}_again")
            return True
        finally:
            self._drop(rejected, rejected + "_scan", f"again_{typed}", f"{typed}_again")

    def _renumber(self, typed: str, rejected: str) -> None:
        """Give the rows of ``typed`` their lines: the reader skipped the lines in ``rejected``.

        A row numbered k among the rows read (line k + 1 so far) comes after the i rejected lines whose
        count of rows read before them, t = line - 1 - i, is below k: its line is k + 1 + i.
        """
        shifts = (f"select r - 1 - i as t, max(i) as i from (select line as r, row_number() over (order by line) "
                  f"as i from (select distinct line from {rejected})) group by all")
        self.con.execute(f"create or replace temp table {typed}_lines as select t.* replace "
                         f"(t._line + coalesce(s.i, 0) as _line) from {typed} as t "
                         f"asof left join ({shifts}) as s on t._line - 1 > s.t")
        self._drop(typed)
        self.con.execute(f"alter table {typed}_lines rename to {typed}")

    def _drop(self, *tables: str) -> None:
        for table in tables:
            self.con.execute(f"drop table if exists {table}")

    def _typed(self, ex: Extracted, spec: InputSpec, typed: str, source: str) -> None:
        """Create ``typed`` from the text columns of ``source``: typed values and each row's problems.

        The raw text stays only where a later check shows it (the coordinates); every column check of a
        row becomes one entry of its ``_problems`` list, in the order the checks are declared.
        """
        parsed = ", ".join(
            [f"{_lit(ex.name)} as _file", "cast(_line as bigint) as _line"]
            + [f"{parse_sql(c, ex.decimal_mark)} as {_q(c.name)}" for c in spec.columns]
            + [f"{_q(c.name)} as {_q(c.name + '__raw')}" for c in spec.columns]
        )
        names = [c.name for c in spec.columns]
        kept = names + [f"{c}__raw" for c in COORDINATES if c in names]
        checks = [check for col in spec.columns for check in _column_checks(col)]
        bad = CONTROL
        raws = ", ".join(_q(c.name + "__raw") for c in spec.columns)
        # One test over the whole row finds the few damaged ones; the per-column reasons look only at those.
        control = ", ".join(
            _problem(f"regexp_matches({_q(c.name + '__raw')}, {bad})", c.name,
                     f"regexp_replace({_q(c.name + '__raw')}, {bad}, '\uFFFD', 'g')",
                     "'stuurteken (bv. een NUL-byte) in het veld: is het bestand beschadigd?'")
            for c in spec.columns)
        problems = (f"list_concat([{', '.join(checks)}], case when regexp_matches(concat_ws('', {raws}), {bad}) "
                    f"then [{control}] end)")
        self.con.execute(
            f"create or replace temp table {typed} as select _file, _line, "
            + ", ".join(_q(k) for k in kept)
            + f", list_filter({problems}, lambda p: p is not null) as _problems from (select {parsed} from {source})"
        )

    def unique(self, file: str, typed: str, key: tuple[str, ...]) -> None:
        """Reject every later duplicate of ``key``, naming the line of the first one."""
        cols = ", ".join(_q(k) for k in key)
        label = " + ".join(key)
        present = " and ".join(f"{_q(k)} is not null" for k in key)
        # Equal keys have equal hashes: with as many distinct hashes as rows no key repeats (one 64-bit value
        # per row counted, a fraction of grouping by the key's columns).
        if not self.con.execute(f"select count(*) - count(distinct hash({cols})) from {typed} "
                                f"where {present}").fetchall()[0][0]:
            return
        # Only the keys that occur twice are ordered by line: a hash count, not a sort of every row.
        repeated = f"select {cols} from {typed} where {present} group by all having count(*) > 1"
        on = " and ".join(f"{typed}.{_q(k)} = d.{_q(k)}" for k in key)
        self.con.execute(
            f"""insert into rejects
            select _file, _line, {_lit(label)}, concat_ws(' / ', {cols}),
                   'dubbel: komt al voor op regel ' || first_line
                   || case when first_file <> _file then ' van ' || first_file else '' end
            from (select _file, _line, {cols},
                         first_value(_line) over w as first_line, first_value(_file) over w as first_file,
                         row_number() over w as nth
                  from {typed} semi join ({repeated}) as d on {on}
                  window w as (partition by {cols} order by _file, _line))
            where nth > 1"""
        )

    def merge_repeated_hour(self, file: str, typed: str) -> dict[str, int]:
        """Add up the two counts of the hour that occurs twice when summer time ends.

        On the last Sunday of October the clock goes from 03:00 back to 02:00, so a counter in local
        time reports hour 2 twice. Both are real passers of "hour 2": the second line is added to the
        first and dropped (no reject). Returns the number of lines merged away per file.
        """
        dst = ("uur = 2 and month(datum) = 10 and day(datum) >= 25 and dayofweek(datum) = 0 "
               "and telpunt_id is not null and passanten is not null")
        self.con.execute(
            f"""create or replace temp table dst_pairs as
            select _file, telpunt_id, datum, min(_line) as keep, list(_line) as lines,
                   sum(passanten) as passanten, sum(binnenkomers) as binnenkomers
            from {typed} where {dst} group by _file, telpunt_id, datum having count(*) = 2"""
        )
        per_file = dict(self.con.execute("select _file, count(*) from dst_pairs group by _file").fetchall())
        merged = sum(per_file.values())
        if merged:
            self.con.execute(
                f"""update {typed} as t set passanten = d.passanten, binnenkomers = d.binnenkomers
                from dst_pairs d where t._file = d._file and t._line = d.keep"""
            )
            self.con.execute(
                f"""delete from {typed} as t using (select _file, unnest(lines) as line, keep from dst_pairs) as d
                where t._file = d._file and t._line = d.line and d.line <> d.keep"""
            )
        self.con.execute("drop table dst_pairs")
        return per_file

    def known_codes(self, file: str, typed: str, column: str, ref_table: str, ref_column: str,
                    reason: str) -> None:
        """Reject values of ``column`` that do not occur in ``ref_table.ref_column``."""
        c = _q(column)
        self._reject(
            file, typed, column, c,
            f"{c} is not null and {c} not in (select {_q(ref_column)} from {ref_table})", _lit(reason)
        )

    def accepted_values(self, file: str, typed: str, column: str, values: tuple[str, ...]) -> None:
        """Reject values of ``column`` outside ``values`` (case-insensitive)."""
        c = _q(column)
        listed = ", ".join(_lit(v) for v in values)
        self._reject(file, typed, column, c, f"{c} is not null and lower({c}) not in ({listed})",
                     _lit("onbekende waarde; toegelaten: " + ", ".join(values)))

    def rule(self, file: str, typed: str, column: str, where: str, reason: str) -> None:
        """Reject rows matching a declared row rule."""
        self._reject(file, typed, column, _q(column), where, _lit(reason))

    def coordinates(self, file: str, typed: str, flanders: shapely.Geometry) -> list[str]:
        """Convert the coordinates of ``typed`` to WGS84 and Lambert 72 and reject those outside Flanders.

        Each distinct (x, y, lon, lat) is converted once (an outlet keeps its place year after year) into
        ``coords_<typed>``, which :func:`valid_rows_sql` joins: the typed table itself is not copied.
        Returns notes for the build summary (e.g. which CRS the x/y values were read in).
        """
        notes: list[str] = []
        mx, my = self.con.execute(f"select median(x), median(y) from {typed}").fetchone() or (None, None)
        crs = geo.crs_of_medians(mx, my)
        if crs != geo.LAMBERT72:
            notes.append(f"x/y gelezen als {geo.CRS_NAMES[crs]}")
        found = self.con.execute(f"select distinct x, y, lon, lat from {typed} "
                                 "where x is not null and y is not null or lon is not null").fetchnumpy()

        def column(name: str) -> np.ndarray:
            return np.ma.filled(np.ma.asarray(found[name], dtype=float), np.nan)

        x, y, given_lon, given_lat = (column(n) for n in ("x", "y", "lon", "lat"))
        lon, lat = geo.to_wgs84(x, y, crs)
        has_lonlat = ~np.isnan(given_lon)
        lon = np.where(np.isnan(lon) & has_lonlat, given_lon, lon)
        lat = np.where(np.isnan(lat) & has_lonlat, given_lat, lat)
        x72, y72 = geo.from_wgs84(lon, lat, geo.LAMBERT72)
        present = ~np.isnan(lon)
        inside = np.zeros(len(x), dtype=bool)
        inside[present] = shapely.contains_xy(flanders, lon[present], lat[present])
        coords = pd.DataFrame({"x": x, "y": y, "lon": given_lon, "lat": given_lat, "lon_wgs84": lon, "lat_wgs84": lat,
                               "x_l72": x72, "y_l72": y72, "outside": present & ~inside})
        self.con.register("coords_df", coords)
        self.con.execute(f"create or replace temp table coords_{typed} as select * from coords_df")
        self.con.unregister("coords_df")
        self.con.execute(
            f"insert into rejects select t._file, t._line, 'x/y', "
            f"coalesce(t.x__raw || ' ' || t.y__raw, t.lon__raw || ' ' || t.lat__raw), "
            f"'coördinaten liggen buiten Vlaanderen' from {typed} as t join coords_{typed} as c "
            f"on {COORDINATE_MATCH} where c.outside"
        )
        return notes

    def report(self, ex: Extracted) -> FileReport:
        """Count rows in, rejected and out for one file."""
        rejected = self.con.execute(
            "select count(distinct line) from rejects where file = ?", [ex.name]
        ).fetchall()[0][0]
        notes = []
        if ex.encoding not in ("utf-8", "xlsx"):
            notes.append(f"codering {ex.encoding}")
        if ex.sheet:
            skipped = f"; overgeslagen: {', '.join(repr(t) for t in ex.skipped_sheets)}" if ex.skipped_sheets else ""
            notes.append(f"werkblad '{ex.sheet}' gelezen{skipped}")
        return FileReport(ex.name, ex.kind, ex.rows, rejected, ex.rows - rejected, ex.encoding,
                          ex.delimiter, notes, ignored_columns=list(ex.ignored_columns))


#: A typed row and its converted coordinates (``coords_<typed>``): the same four values, NULLs alike.
COORDINATE_MATCH = " and ".join(f"t.{c} is not distinct from c.{c}" for c in COORDINATES)


def valid_rows_sql(typed: str, coordinates: bool = False) -> str:
    """Return SQL selecting the rows of ``typed`` that no check rejected (with their converted coordinates)."""
    rows = f"select * from {typed} as t"
    if coordinates:
        rows = (f"select t.*, c.lon_wgs84, c.lat_wgs84, c.x_l72, c.y_l72 from {typed} as t "
                f"left join coords_{typed} as c on {COORDINATE_MATCH}")
    return (f"{rows} where not exists "
            f"(select 1 from rejects as r where r.file = t._file and r.line = t._line)")
