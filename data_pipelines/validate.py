"""Declared checks per input, run in DuckDB on the normalized text columns.

For every spec column the validator derives: required value, type, range and pattern checks; then
per input the unique key, the known codes (NIS through the merger table, branch codes, area types),
the relationships between files and the row rules (dates, coordinates inside Flanders). Every
problem becomes one row in ``rejects`` (file, line, column, value, reason); a rejected row does not
reach staging.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def _column_checks(col: Column) -> list[str]:
    """Return the declared checks of one column as ``_problems`` entries (see :func:`_problem`)."""
    value, raw = _q(col.name), _q(col.name + "__raw")
    out = []
    if not col.nullable and col.required:
        out.append(_problem(f"{raw} is null", col.name, raw, "'verplichte waarde ontbreekt'"))
    if col.kind in REASON_TYPE:
        out.append(_problem(f"{raw} is not null and {value} is null", col.name, raw, _lit(REASON_TYPE[col.kind])))
    if col.min is not None:
        out.append(_problem(f"{value} < {col.min}", col.name, raw, _lit(f"kleiner dan het minimum {col.min:g}")))
    if col.max is not None:
        out.append(_problem(f"{value} > {col.max}", col.name, raw, _lit(f"groter dan het maximum {col.max:g}")))
    if col.pattern is not None:
        checked = value if col.name in NIS_COLUMNS else f"trim({raw})"
        out.append(_problem(f"{raw} is not null and not regexp_full_match({checked}, {_lit(col.pattern)})",
                            col.name, raw, _lit("ongeldig formaat")))
    return out


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
            raw = f"raw_{spec.kind}"
            try:
                # Materialized first: the typing refers to each cell several times, and DuckDB would
                # otherwise repeat the reader's trimming for every reference.
                self.con.execute(f"create or replace temp table {raw} as {ex.query}")
                self.con.execute(f"insert into rejects select {_lit(ex.name)}, _line, '', _bad, _reason from {raw} "
                                 "where _bad is not null")
                self._typed(ex, spec, typed, f"(select * from {raw} where _bad is null)")
                ex.rows = self.con.execute(f"select count(*) from {raw}").fetchall()[0][0]
            except duckdb.Error:
                assert ex.reread is not None
                ex.reread()
            finally:
                self.con.execute("set preserve_insertion_order = true")
                self.con.execute(f"drop table if exists {raw}")
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
        bad = "'[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]'"
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
        # Only the keys that occur twice are ordered by line: a hash count, not a sort of every row.
        repeated = (f"select {cols} from {typed} where {' and '.join(f'{_q(k)} is not null' for k in key)} "
                    "group by all having count(*) > 1")
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
