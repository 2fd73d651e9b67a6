"""Build the analytics database: extract -> validate -> staging -> marts, aside, then swap atomically.

The new database is written to a temporary file next to the target and only ``os.replace``-d over
it when every step succeeded, so a failed, interrupted or killed build leaves the previous database
byte-identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from data_pipelines import geo, models, reference, settings
from data_pipelines.errors import BuildError, ExportError
from data_pipelines.extract.discover import Found, discover
from data_pipelines.extract.tabular import Extracted, extract
from data_pipelines.specs import (
    AREA_TYPES,
    AREAS,
    COUNTING_POINTS,
    FOOTFALL,
    FORMULAS,
    OUTLETS,
    POPULATION,
    SPEC_BY_KIND,
    ColumnMap,
    InputSpec,
    load_column_map,
)
from data_pipelines.validate import FileReport, Validator, valid_rows_sql

EXTENSIONS = (".csv", ".txt", ".xlsx", ".xlsm")
SYNTHETIC_MARK = "SYNTHETISCH"
DEFAULT_MAX_REJECT_FRACTION = 0.01


@dataclass
class BuildSummary:
    """What a build read, rejected, skipped and wrote."""

    db: str
    build_id: str
    files: list[FileReport] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    is_synthetic: bool = False
    rejects_report: str | None = None
    ignored_files: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    chain_rules: dict[int, str] = field(default_factory=dict)  # inventory year -> how chains were told apart

    def lines(self) -> list[str]:
        """Return the summary as lines for a person: every file, loaded as what or ignored and why."""
        out = ["bestand                      soort            in    afgekeurd  overgeslagen        uit"]
        for f in self.files:
            kind = SPEC_BY_KIND[f.kind].label if f.kind in SPEC_BY_KIND else "gemeentegrenzen"
            out.append(f"{f.file:<28} {kind:<14} {_n(f.rows_in):>6} {_n(f.rejected_rows):>12} "
                       f"{_n(f.skipped_rows):>13} {_n(f.rows_out):>10}")
            out.extend(f"  - {n}" for n in f.notes)
        if self.ignored_files:
            out.append("genegeerde bestanden:")
            out.extend(f"  - {name}: {why}" for name, why in self.ignored_files)
        ignored_columns = [(f.file, f.ignored_columns) for f in self.files if f.ignored_columns]
        if ignored_columns:
            out.append("genegeerde kolommen (niet gelezen):")
            out.extend(f"  - {name}: {', '.join(cols)}" for name, cols in ignored_columns)
        by_rule: dict[str, list[int]] = {}
        for year, rule in sorted(self.chain_rules.items()):
            by_rule.setdefault(rule, []).append(year)
        out.extend(f"ketens {', '.join(map(str, years))}: {rule}" for rule, years in by_rule.items())
        out.append("tabellen: " + ", ".join(f"{k} {_n(v)}" for k, v in self.tables.items()))
        if self.rejects_report:
            out.append(f"afgekeurde regels: {self.rejects_report}")
        out.append(f"klaar in {self.seconds:.1f} s: {self.db}")
        return out


def _n(value: int) -> str:
    """Format a count the Belgian way (1.234)."""
    return f"{value:,}".replace(",", ".")


def remove_stale_builds(db: Path) -> list[Path]:
    """Delete the half-written databases of builds that were killed (kill -9, power loss).

    A build writes ``.<db name>.<pid>.<random>.building`` next to the target; when that process is
    gone, nothing will ever finish the file. A running build's file is left alone.
    """
    removed = []
    for path in db.parent.glob(f".{db.name}.*.building*"):
        parts = path.name[len(db.name) + 2:].split(".")
        pid = int(parts[0]) if parts and parts[0].isdigit() else None
        if pid is not None and pid != os.getpid():
            try:
                os.kill(pid, 0)
                continue  # that build is still running
            except ProcessLookupError:
                pass
            except PermissionError:
                continue  # a live process of another user
        elif pid == os.getpid():
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _ref_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    tables = reference.bundle()
    munis = tables["municipalities"]
    con.register("munis_df", munis)
    con.execute("create table ref_municipalities as select * from munis_df order by nis_code")
    con.register("prov_df", tables["provinces"])
    con.execute("create table ref_provinces as select * from prov_df order by province_code")
    con.register("pc_df", tables["postal_codes"])
    con.execute("create table ref_postal_codes as select * from pc_df order by postal_code, nis_code")
    con.register("merge_df", tables["mergers"])
    con.execute("create table ref_mergers as select * from merge_df order by old_nis")
    con.execute(
        "create table ref_nis_map as select nis_code as code, nis_code from ref_municipalities "
        "union all select old_nis, new_nis from ref_mergers where old_nis not in "
        "(select nis_code from ref_municipalities) order by code"
    )
    groups = reference.read_reference("branch_groups.csv")
    groups["is_retail"] = groups["is_retail"] == "true"
    groups["sort_order"] = groups["sort_order"].astype(int)
    branches = reference.read_reference("branches.csv")
    branches = branches.merge(groups[["branch_group", "is_retail"]], on="branch_group", how="left")
    if branches["is_retail"].isna().any():
        bad = branches.loc[branches["is_retail"].isna(), "branch_group"].iloc[0]
        raise BuildError(f"data_pipelines/refdata/branches.csv: onbekende branchegroep '{bad}'")
    con.register("groups_df", groups)
    con.execute("create table ref_branch_groups as select * from groups_df order by sort_order")
    con.register("branch_df", branches)
    con.execute("create table ref_branches as select * from branch_df order by branch_code")
    for name in ("munis_df", "prov_df", "pc_df", "merge_df", "groups_df", "branch_df"):
        con.unregister(name)
    return tables


def _area_geometry(con: duckdb.DuckDBPyConnection, v: Validator, file: str) -> None:
    """Parse the WKT outlines, reproject them to WGS84 and reject the unreadable ones."""
    df = con.execute("select _file, _line, geometrie_wkt from typed_areas").df()
    geoms = shapely.from_wkt(df["geometrie_wkt"].fillna("").replace("", None).to_numpy(), on_invalid="ignore")
    present = df["geometrie_wkt"].notna().to_numpy()
    bad = present & (shapely.is_missing(geoms) | ~np.isin(shapely.get_type_id(geoms), [3, 6]))
    rows = []
    for origin, line, geom, is_bad, has in zip(df["_file"], df["_line"], geoms, bad, present, strict=True):
        if is_bad or not has:
            continue
        minx, miny, maxx, maxy = geom.bounds
        src = geo.WGS84 if max(abs(minx), abs(maxx)) <= 180 and max(abs(miny), abs(maxy)) <= 90 else geo.LAMBERT72
        wgs = geo.transform_geometry(geom, src, geo.WGS84) if src != geo.WGS84 else geom
        if not wgs.is_valid:
            wgs = shapely.make_valid(wgs)
        area_m2 = geo.transform_geometry(wgs, geo.WGS84, geo.LAMBERT2008).area
        c = wgs.centroid
        rows.append((origin, line, shapely.to_wkb(wgs), area_m2, c.x, c.y))
    con.register("geom_df", pd.DataFrame(rows, columns=["_file", "_line", "geometry_wkb", "area_m2", "centroid_lon",
                                                        "centroid_lat"]))
    con.execute("create or replace temp table area_geometry as select * from geom_df")
    con.unregister("geom_df")
    for origin, line in zip(df.loc[bad, "_file"], df.loc[bad, "_line"], strict=True):
        con.execute("insert into rejects values (?, ?, 'geometrie_wkt', NULL, "
                    "'geen geldige WKT-polygoon (POLYGON of MULTIPOLYGON)')", [origin, int(line)])


Step = Callable[[str], None]


class _Steps:
    """One line per build step with counts and time, for a person watching the build."""

    def __init__(self, echo: Step | None) -> None:
        self.echo = echo or (lambda _msg: None)
        self.t0 = time.perf_counter()
        self.last = self.t0

    def __call__(self, msg: str) -> None:
        now = time.perf_counter()
        self.echo(f"[{now - self.t0:6.1f} s] {msg} ({now - self.last:.1f} s)")
        self.last = now


def build(
    source: Path,
    db: Path,
    population: Path | None = None,
    max_reject_fraction: float = DEFAULT_MAX_REJECT_FRACTION,
    echo: Step | None = None,
    rejects_report: Path | None = None,
    boundaries: Path | None = None,
    columns: Path | None = None,
    formulas: Path | None = None,
    strict_files: bool = False,
    add_year: bool = False,
) -> BuildSummary:
    """Build ``db`` from the export directory ``source``.

    Parameters
    ----------
    source
        Directory with the export files (see ``data/FORMAT.md``).
    db
        Target DuckDB file; replaced atomically on success, untouched on failure.
    population
        Optional Statbel population file(s) outside ``source`` (a path or a list of paths); population
        files in ``source`` are found by their columns.
    max_reject_fraction
        Above this share of rejected rows in any file the build fails (0 = strict).
    echo
        Receives one progress line per step.
    rejects_report
        Where the rejected rows are written as CSV (default: next to ``db``).
    boundaries
        Optional municipality boundary file (GeoPackage, Shapefile, GeoJSON) in any Belgian CRS.
    columns
        Optional TOML column mapping (export header -> column name) for headers the aliases lack.
    formulas
        Optional list of the formulas that are chains, for an export without a chain flag.
    strict_files
        Fail when a file of the delivery is ignored (``--strict``).
    add_year
        ``source`` holds one new inventory year (``--add-year``, see :func:`_read_base`): it is added to the
        build ``db`` holds, recomputing only what that year changes, with the same result as a full build.

    Returns
    -------
    BuildSummary
        Counts per file and per table.

    Raises
    ------
    ExportError
        A file-level problem (missing file or column, unreadable file).
    BuildError
        Too many rejected rows, or nothing usable.

    """
    t0 = time.perf_counter()
    step = _Steps(echo)
    source = Path(source)
    db = Path(db).resolve()
    zipped = source.is_file() and source.suffix.lower() == ".zip"
    if not source.is_dir() and not zipped:
        raise ExportError(str(source), "de bronmap bestaat niet")
    if add_year and (boundaries is not None or formulas is not None):
        raise BuildError("--add-year neemt de gemeentegrenzen en de formulelijst van de bestaande database over; "
                         "zonder --boundaries en --formulas, of bouw volledig (zonder --add-year)")
    base = _read_base(Path(db).resolve()) if add_year else None
    column_map = load_column_map(columns) if columns is not None else ColumnMap()
    db.parent.mkdir(parents=True, exist_ok=True)
    build_id = uuid.uuid4().hex[:12]
    remove_stale_builds(db)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{db.name}.{os.getpid()}.", suffix=".building", dir=db.parent)
    os.close(fd)
    tmp_db = Path(tmp_name)
    tmp_db.unlink()  # DuckDB wants to create the file itself
    summary = BuildSummary(db=str(db), build_id=build_id)
    if base is not None:
        shutil.copyfile(db, tmp_db)  # the year is added to a copy: the database in use stays as it is
        step(f"basis gekopieerd: {db.name} (jaren t/m {base.last_year})")
    try:
        with tempfile.TemporaryDirectory(prefix="smart-retail-") as workdir:
            con = duckdb.connect(str(tmp_db))
            # Temporary tables of a large export spill to disk instead of holding the machine's memory.
            con.execute(f"set memory_limit = '{settings.get('etl_memory')}'")
            con.execute(f"set temp_directory = '{Path(workdir) / 'spill'}'")
            try:
                found = _delivery(source, Path(workdir), column_map, population, boundaries, formulas)
                summary.ignored_files = [(f.label, f.reason) for f in found if f.ignored]
                step(f"{source.name}: {len(found)} bestanden, "
                     f"{len(found) - len(summary.ignored_files)} gelezen, {len(summary.ignored_files)} genegeerd")
                if strict_files:
                    bad = next((f for f in found if f.ignored and not f.incidental), None)
                    if bad is not None:
                        raise BuildError(f"{bad.label}: genegeerd ({bad.reason}); --strict aanvaardt geen "
                                         "genegeerd bestand: verwijder het of geef het de kolommen van een "
                                         "exportbestand")
                _build_into(con, found, column_map, Path(workdir), max_reject_fraction, step, summary, base)
                summary.seconds = time.perf_counter() - t0
                _write_build_info(con, source, summary)
                con.execute("checkpoint")
            finally:
                con.close()
        rejects_path = rejects_report or db.with_suffix(".rejects.csv")
        _write_rejects_csv(tmp_db, rejects_path)
        summary.rejects_report = str(rejects_path)
        with tmp_db.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_db, db)
        dir_fd = os.open(db.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        step(f"database geplaatst: {db}")
    finally:
        for leftover in (tmp_db, Path(str(tmp_db) + ".wal")):
            leftover.unlink(missing_ok=True)
    summary.seconds = time.perf_counter() - t0
    return summary


def _delivery(source: Path, workdir: Path, column_map: ColumnMap, population: Path | list[Path] | None,
              boundaries: Path | None, formulas: Path | None) -> list[Found]:
    """Return every file of the delivery with what the build makes of it (see ``extract.discover``)."""
    found = discover(source, workdir / "bron", column_map)
    extra = [population] if isinstance(population, (str, Path)) else list(population or [])
    for number, path in enumerate(extra):
        if not Path(path).is_file():
            raise ExportError(str(path), "het bevolkingsbestand bestaat niet")
        for f in discover(Path(path), workdir / f"bevolking{number}", column_map):
            if f.kind is None and not f.incidental and Path(f.label).suffix.lower() in (".csv", ".txt", ".xlsx"):
                f.kind, f.reason = "population", ""  # given as population: a wrong header says what it lacks
            found.append(f)
    if formulas is not None:
        if not Path(formulas).is_file():
            raise ExportError(str(formulas), "de formulelijst bestaat niet")
        found.append(Found(Path(formulas).name, Path(formulas), kind="formulas"))
    if boundaries is not None:
        if not Path(boundaries).is_file():
            raise ExportError(str(boundaries), "het grenzenbestand bestaat niet")
        found.append(Found(Path(boundaries).name, Path(boundaries), kind="boundaries"))
    # --boundaries wins over a boundary file in the folder; else the first one found is read.
    candidates = [f for f in found if f.kind == "boundaries"]
    if candidates:
        chosen = candidates[-1] if boundaries is not None else candidates[0]
        for f in candidates:
            if f is not chosen:
                f.kind, f.reason = None, f"gemeentegrenzen uit {chosen.label} gebruikt"
    return found


def _load_files(con: duckdb.DuckDBPyConnection, v: Validator, spec: InputSpec, files: list[Found],
                column_map: ColumnMap, workdir: Path, step: _Steps) -> tuple[list[Extracted], str]:
    """Extract and type every file of one kind into one table ``typed_<kind>`` (``_file`` tells them apart)."""
    parts, exs = [], []
    for number, f in enumerate(files):
        ex = extract(f.path, spec, workdir / f"{spec.kind}_{number}.csv", progress=step.echo,
                     user=column_map.for_spec(spec), label=f.label, sheet=f.sheet, deferred=True)
        part = v.load(ex, spec, f"typed_{spec.kind}_{number}")
        if spec.kind == "population":
            _population_year(con, part, ex)
        parts.append(part)
        exs.append(ex)
    typed = f"typed_{spec.kind}"
    if len(parts) == 1:
        con.execute(f"alter table {parts[0]} rename to {typed}")  # one file: no copy
    else:
        con.execute(f"create or replace temp table {typed} as "
                    + " union all by name ".join(f"select * from {t}" for t in parts))
        for part in parts:
            con.execute(f"drop table {part}")
    return exs, typed


def _report(con: duckdb.DuckDBPyConnection, v: Validator, ex: Extracted, skipped: Skipped,
            max_reject_fraction: float, step: _Steps, summary: BuildSummary) -> None:
    """Add one file's counts to the summary and stop when it has too many rejects."""
    report = v.report(ex)
    count, notes = skipped.get(ex.name, (0, []))
    report.skipped_rows, report.rows_out = count, report.rows_out - count
    report.notes.extend(notes)
    summary.files.append(report)
    step(f"{ex.name}: {_n(report.rows_in)} regels gelezen, {_n(report.rejected_rows)} afgekeurd"
         + (f", {_n(count)} overgeslagen" if count else ""))
    _check_threshold(con, report, max_reject_fraction)


def _build_into(
    con: duckdb.DuckDBPyConnection,
    found: list[Found],
    column_map: ColumnMap,
    workdir: Path,
    max_reject_fraction: float,
    step: _Steps,
    summary: BuildSummary,
    base: Base | None = None,
) -> None:
    if base is None:
        tables = _ref_tables(con)
        step(f"referentiegegevens: {len(tables['municipalities'])} gemeenten, {len(tables['provinces'])} provincies")
    else:
        _refuse_in_added_year(found, base)
        tables = reference.bundle()  # the base's reference tables stay; only the outline of Flanders is needed
    flanders = shapely.from_wkb(tables["flanders"]["geometry_wkb"].iloc[0])
    shapely.prepare(flanders)
    v = Validator(con)

    inputs = {spec.kind: [f for f in found if f.kind == spec.kind]
              for spec in (OUTLETS, AREAS, COUNTING_POINTS, FOOTFALL, POPULATION, FORMULAS)}
    if not inputs["outlets"]:
        raise ExportError(OUTLETS.file_name, "verplicht bestand ontbreekt: geen bestand met de kolommen van "
                                             f"verkooppunten ({', '.join(OUTLETS.required)})")

    for spec in (AREAS, COUNTING_POINTS, OUTLETS, FOOTFALL, POPULATION, FORMULAS):
        if not inputs[spec.kind]:
            _empty_valid(con, spec)
            continue
        exs, typed = _load_files(con, v, spec, inputs[spec.kind], column_map, workdir, step)
        if base is not None:
            _check_added_year(con, spec, typed, base, exs[0].name)
        skipped = _validate_kind(_CheckContext(con, v, exs, spec, typed, inputs, flanders, base))
        for ex in exs:
            _report(con, v, ex, skipped, max_reject_fraction, step, summary)
    has_flag = con.execute("select count(filiaal) > 0 from valid_outlets").fetchall()[0][0]
    summary.chain_rules = _chain_rules(con, has_flag, bool(inputs["formulas"]))

    if base is None:
        _boundaries(con, next((f for f in found if f.kind == "boundaries"), None), step, summary)
        _delivery_keys(con, inputs)
    models.run_all(con, models.registry(), echo=step, add_year=None if base is None else base.year)
    for table in ("stg_outlets", "fct_outlets", "stg_areas", "stg_counting_points", "stg_footfall",
                  "stg_population", "mart_area_year", "mart_indicator_values", "rejects"):
        summary.tables[table] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    if summary.tables["fct_outlets"] == 0:
        names = ", ".join(f.label for f in inputs["outlets"])
        raise BuildError(f"{names}: geen enkel bruikbaar verkooppunt; niets gebouwd")
    summary.is_synthetic = bool(con.execute(
        "select count(*) > 0 from stg_outlets where source like ?", [f"%{SYNTHETIC_MARK}%"]
    ).fetchall()[0][0])
    if base is not None:
        summary.files = base.files + summary.files


def _validate_kind(c: _CheckContext) -> Skipped:
    """Run the checks of one file kind and make its ``valid_<kind>`` view; return the rows left out by rule."""
    skipped: Skipped = {}
    if c.spec.kind in ("outlets", "population"):
        _same_year_in_two_files(c.con, c.spec, c.typed, skipped)
    if c.spec.kind == "population":
        _outside_flanders(c.con, c.typed, skipped)
    for check in KIND_CHECKS[c.spec.kind]:
        check(c)
    coordinates = c.spec.kind in ("outlets", "counting_points")
    c.con.execute(f"create or replace temp view valid_{c.spec.kind} as {valid_rows_sql(c.typed, coordinates)}")
    return skipped


#: The delivered keys other files are checked against (rejected rows included, as in ``typed_<kind>``).
DELIVERY_KEYS = {"areas": "winkelgebied_id", "counting_points": "telpunt_id"}


def _delivery_keys(con: duckdb.DuckDBPyConnection, inputs: dict[str, list[Found]]) -> None:
    """Keep the keys of the delivered areas and counting points, so an added year is checked against them."""
    con.execute("create table build_delivery_keys (kind varchar, key varchar)")
    for kind, column in DELIVERY_KEYS.items():
        if inputs[kind]:
            con.execute(f"insert into build_delivery_keys select distinct '{kind}', {column} from typed_{kind} "
                        f"where {column} is not null order by 2")


def code_version() -> str:
    """Return a hash of the build's code, SQL and reference data (and DuckDB's version).

    A year is only added to a database this same code built: other code could compute the old years'
    marts differently, and the result would be no full build's.
    """
    root = Path(__file__).parent
    digest = hashlib.sha256(duckdb.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".sql", ".csv", ".toml", ".json") \
                and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Base:
    """What an added year needs to know of the build it is added to."""

    db: Path
    last_year: int  # the latest inventory year or year of counts
    files: list[FileReport]
    population_years: set[int]
    year: int = 0  # the added year, once the delivery's outlets are read

    def labels(self, kind: str) -> list[str]:
        """Return the base's files of ``kind``, in the order its build read them."""
        return [f.file for f in self.files if f.kind == kind]


FULL_BUILD = "bouw volledig (zonder --add-year)"


def _read_base(db: Path) -> Base:
    """Read what ``--add-year`` needs of the existing database, or refuse with the reason.

    An added year holds the outlets (one inventory year, later than every year of the base), optionally the
    footfall of that calendar year and population of that year or later not in the base. Shopping areas,
    counting points, boundaries and the formula list stay the base's: a change there changes the old
    years' marts, so it needs a full build.
    """
    if not db.is_file():
        raise BuildError(f"{db}: geen database om een jaar aan toe te voegen; {FULL_BUILD}")
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise BuildError(f"{db}: geen leesbare database ({str(exc).splitlines()[0][:120]}); {FULL_BUILD}") from exc
    try:
        info = dict(con.execute("select key, value from build_info").fetchall())
        if info.get("code_version") != code_version():
            raise BuildError(f"{db}: gebouwd door een andere versie van de ETL (versie "
                             f"{info.get('code_version', 'onbekend')}, nu {code_version()}); {FULL_BUILD}")
        last = con.execute("select greatest((select max(year) from stg_outlets), "
                           "(select max(year(count_date)) from stg_footfall))").fetchall()[0][0]
        population = {y for (y,) in con.execute("select distinct year from stg_population").fetchall()}
    except duckdb.Error as exc:
        raise BuildError(f"{db}: geen database van deze ETL ({str(exc).splitlines()[0][:120]}); {FULL_BUILD}") from exc
    finally:
        con.close()
    files = [FileReport(**f) for f in json.loads(info["files"])]
    if any(f.kind == "formulas" for f in files):
        raise BuildError(f"{db}: gebouwd met een formulelijst; een jaar toevoegen kan alleen zonder: {FULL_BUILD}")
    return Base(db=db, last_year=int(last), files=files, population_years=population)


def _refuse_in_added_year(found: list[Found], base: Base) -> None:
    """Refuse files an added year cannot hold, and file names the base already read."""
    what = {"areas": "winkelgebieden", "counting_points": "telpunten", "boundaries": "gemeentegrenzen",
            "formulas": "een formulelijst"}
    taken = {f.file for f in base.files}
    for f in found:
        if f.kind in what:
            raise BuildError(f"{f.label}: {what[f.kind]} horen niet bij een toegevoegd jaar: ze veranderen de "
                             f"vorige jaren; {FULL_BUILD}")
        if f.kind is not None and f.label in taken:
            raise BuildError(f"{f.label}: de database bevat al een bestand met deze naam; geef het bestand van "
                             f"het nieuwe jaar een eigen naam (bv. met het jaartal erin)")


def _check_added_year(con: duckdb.DuckDBPyConnection, spec: InputSpec, typed: str, base: Base, file: str) -> None:
    """Refuse rows of an added year that would change the base's years (see :func:`_read_base`)."""
    if spec.kind == "outlets":
        years = [y for (y,) in con.execute(f"select distinct cast(jaar as integer) from {typed} "
                                           "where jaar is not null order by 1").fetchall()]
        if len(years) != 1:
            raise BuildError(f"{file}: een toegevoegd jaar bevat één inventarisjaar, dit bestand "
                             f"{len(years)} ({', '.join(map(str, years)) or 'geen'})")
        if years[0] <= base.last_year:
            raise BuildError(f"{file}: jaar {years[0]} is niet nieuwer dan de database (jaren t/m {base.last_year}); "
                             f"een jaar vervangen of invoegen: {FULL_BUILD}")
        base.year = years[0]
    elif spec.kind == "footfall":
        row = con.execute(f"select _line, datum from {typed} where datum is not null and year(datum) <> ? "
                          "order by _line limit 1", [base.year]).fetchone()
        if row is not None:
            raise BuildError(f"{file}: regel {row[0]}: telling van {row[1]:%d-%m-%Y} valt buiten het toegevoegde "
                             f"jaar {base.year}; {FULL_BUILD}")
    elif spec.kind == "population":
        taken = ", ".join(str(int(y)) for y in sorted(base.population_years)) or "null"
        row = con.execute(f"select _line, CD_YEAR from {typed} where CD_YEAR < ? or CD_YEAR in ({taken}) "
                          "order by _line limit 1", [base.year]).fetchone()
        if row is not None:
            raise BuildError(f"{file}: regel {row[0]}: bevolking van {row[1]} verandert de vorige jaren (ouder dan "
                             f"{base.year} of al in de database); {FULL_BUILD}")


def _boundaries(con: duckdb.DuckDBPyConnection, found: Found | None, step: _Steps, summary: BuildSummary) -> None:
    """Load the municipality boundaries, if given, into ``ref_municipality_boundaries``."""
    from data_pipelines.extract.boundaries import read_boundaries

    con.execute("create table ref_municipality_boundaries (nis_code varchar, area_km2 double, geometry_wkb blob)")
    if found is None:
        return
    path = found.path
    nis_map = dict(con.execute("select code, nis_code from ref_nis_map").fetchall())
    result = read_boundaries(Path(path), nis_map)
    frame = result.frame.assign(geometry_wkb=shapely.to_wkb(result.frame.geometry.values))
    con.register("bounds_df", frame[["nis_code", "area_km2", "geometry_wkb"]])
    con.execute("insert into ref_municipality_boundaries select * from bounds_df order by nis_code")
    con.unregister("bounds_df")
    summary.files.append(FileReport(found.label, "boundaries", len(frame), 0, len(frame), "", "", result.notes))
    step(f"{found.label}: {len(frame)} gemeentegrenzen" + ("; " + "; ".join(result.notes) if result.notes
                                                                  else ""))


def _empty_valid(con: duckdb.DuckDBPyConnection, spec: InputSpec) -> None:
    """Create an empty ``valid_<kind>`` with the typed columns, for an optional file that is absent."""
    types = {"text": "varchar", "code": "varchar", "int": "bigint", "decimal": "double", "date": "date",
             "bool": "boolean"}
    cols = ["cast(null as varchar) as _file", "cast(null as bigint) as _line"]
    cols += [f'cast(null as {types[c.kind]}) as "{c.name}"' for c in spec.columns]
    if spec.kind in ("outlets", "counting_points"):
        cols += ["cast(null as double) as " + c for c in ("lon_wgs84", "lat_wgs84", "x_l72", "y_l72")]
    con.execute(f"create or replace temp view valid_{spec.kind} as select {', '.join(cols)} where false")
    if spec.kind == "areas":
        con.execute("create or replace temp table area_geometry (_file varchar, _line bigint, geometry_wkb blob, "
                    "area_m2 double, centroid_lon double, centroid_lat double)")


@dataclass
class _CheckContext:
    """What a declared check of one file kind works on: the typed table of its files and the delivery."""

    con: duckdb.DuckDBPyConnection
    v: Validator
    exs: list[Extracted]
    spec: InputSpec
    typed: str
    inputs: dict[str, list[Found]]
    flanders: shapely.Geometry
    base: Base | None = None  # the build an added year joins

    @property
    def file(self) -> str:
        return self.exs[0].name


Check = Callable[[_CheckContext], None]


def _known(column: str, table: str, key: str, reason: str) -> Check:
    """Every value of ``column`` is a ``key`` of the reference ``table``."""
    return lambda c: c.v.known_codes(c.file, c.typed, column, table, key, reason)


def _in_delivered(kind: str, column: str, key: str, what: str, required: str | None = None) -> Check:
    """Every value of ``column`` is a ``key`` of the delivered files of ``kind``.

    Unchecked when none are delivered, unless ``required`` says why that kind must be delivered.
    """

    def check(c: _CheckContext) -> None:
        if c.base is None:
            labels, keys = [f.label for f in c.inputs[kind]], f"typed_{kind}"
        else:  # an added year brings no areas or counting points: they are the base's
            labels = c.base.labels(kind)
            keys = f"(select key as {key} from build_delivery_keys where kind = '{kind}')"
        if not labels:
            if required is not None:
                raise ExportError(c.file, required)
            return
        c.v.known_codes(c.file, c.typed, column, keys, key, f"onbekend {what} (niet in {', '.join(labels)})")

    return check


def _row_rule(column: str, where: str, reason: str) -> Check:
    return lambda c: c.v.rule(c.file, c.typed, column, where, reason)


def _unique(c: _CheckContext) -> None:
    c.v.unique(c.file, c.typed, c.spec.unique)


def _merge_repeated_hour(c: _CheckContext) -> None:
    merged = c.v.merge_repeated_hour(c.file, c.typed)
    for ex in c.exs:
        ex.rows -= merged.get(ex.name, 0)


def _coordinates(c: _CheckContext) -> None:
    c.v.coordinates(c.file, c.typed, c.flanders)


def _area_types(c: _CheckContext) -> None:
    c.v.accepted_values(c.file, c.typed, "type", AREA_TYPES)


def _geometry(c: _CheckContext) -> None:
    _area_geometry(c.con, c.v, c.file)


#: The hour that does not exist: 2:00-2:59 on the last Sunday of March, when summer time starts.
SPRING_FORWARD_HOUR = "uur = 2 and month(datum) = 3 and day(datum) >= 25 and dayofweek(datum) = 0"


_KNOWN_NIS = "onbekende NIS-code: geen Vlaamse gemeente (ook niet van vóór de fusies van 2019 of 2025)"

#: The checks beyond single columns, per file kind, in the order they run (keys, codes, relationships, rules).
KIND_CHECKS: dict[str, tuple[Check, ...]] = {
    "population": (
        _known("CD_REFNIS", "ref_nis_map", "code", _KNOWN_NIS),
        _row_rule("CD_YEAR", "CD_YEAR is null",
                  "geen jaar (geen CD_YEAR, geen DT_REFDATE en geen jaartal in de bestandsnaam)"),
    ),
    "footfall": (
        _merge_repeated_hour,
        _row_rule("uur", SPRING_FORWARD_HOUR,
                  "uur 2 bestaat niet op de dag dat de zomertijd begint (de klok springt van 2:00 naar 3:00)"),
        _unique,
        _in_delivered("counting_points", "telpunt_id", "telpunt_id", "telpunt",
                      required="passanten zonder telpunten: geen bestand met telpunten in de levering"),
    ),
    "outlets": (
        _known("nis_code", "ref_nis_map", "code", _KNOWN_NIS),
        _unique,
        _known("branche_code", "ref_branches", "branch_code",
               "onbekende branchecode (zie data_pipelines/refdata/branches.csv)"),
        _row_rule("leeg_sinds", "leeg_sinds > coalesce(peildatum, make_date(cast(jaar as integer), 12, 31))",
                  "leegstaand-sinds ligt na de peildatum van de inventaris"),
        _in_delivered("areas", "winkelgebied_id", "winkelgebied_id", "winkelgebied"),
        _coordinates,
    ),
    "counting_points": (
        _known("nis_code", "ref_nis_map", "code", _KNOWN_NIS),
        _unique,
        _in_delivered("areas", "winkelgebied_id", "winkelgebied_id", "winkelgebied"),
        _coordinates,
    ),
    "areas": (
        _known("nis_code", "ref_nis_map", "code", _KNOWN_NIS),
        _unique,
        _area_types,
        _geometry,
    ),
    "formulas": (),
}


def _population_year(con: duckdb.DuckDBPyConnection, part: str, ex: Extracted) -> None:
    """Fill ``CD_YEAR`` from ``DT_REFDATE`` or the year in the file name (Statbel's files lack it)."""
    fill = ["year(DT_REFDATE)"] if "DT_REFDATE" in ex.present else []
    match = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", ex.path.stem)
    if match is not None:
        fill.append(match.group(1))
    if "CD_YEAR" not in ex.present and not fill:
        raise ExportError(ex.name, "geen kolom met het jaar (CD_YEAR of DT_REFDATE) en geen jaartal in de "
                                   "bestandsnaam", line=1, column="CD_YEAR")
    if fill:
        con.execute(f"update {part} set CD_YEAR = coalesce(CD_YEAR, {', '.join(fill)})")


Skipped = dict[str, tuple[int, list[str]]]  # file -> rows left out by rule, notes saying why


def _skip(con: duckdb.DuckDBPyConnection, typed: str, where: str, skipped: Skipped, note: str, file: str) -> int:
    """Leave out the rows of ``typed`` matching ``where`` (not rejects), with their rejects; return the count."""
    con.execute(f"create or replace temp table skip_rows as select _file, _line from {typed} where {where}")
    count = con.execute("select count(*) from skip_rows").fetchall()[0][0]
    if count:
        con.execute("delete from rejects as r using skip_rows as s where r.file = s._file and r.line = s._line")
        con.execute(f"delete from {typed} as t using skip_rows as s where t._file = s._file and t._line = s._line")
        before, notes = skipped.get(file, (0, []))
        skipped[file] = (before + count, [*notes, note])
    con.execute("drop table skip_rows")
    return count


def _same_year_in_two_files(con: duckdb.DuckDBPyConnection, spec: InputSpec, typed: str, skipped: Skipped) -> None:
    """Read a year delivered twice once when the rows are the same; stop naming both files when they differ."""
    year = "jaar" if spec.kind == "outlets" else "CD_YEAR"
    cols = ", ".join(f'"{c.name}"' for c in spec.columns)
    twice = con.execute(f"select {year}, list(distinct _file order by _file) from {typed} where {year} is not null "
                        f"group by {year} having count(distinct _file) > 1 order by {year}").fetchall()
    for value, files in twice:
        first = files[0]
        for other in files[1:]:
            one = f"select {cols} from {typed} where _file = ? and {year} = ?"
            differ = con.execute(f"select count(*) from (({one} except all {one}) union all ({one} except all {one}))",
                                 [first, value, other, value, other, value, first, value]).fetchall()[0][0]
            if differ:
                raise BuildError(f"jaar {value} staat in twee bestanden met verschillende rijen: {first} en {other}; "
                                 "lever elk jaar in één bestand (of verwijder het oude)")
            safe = other.replace("'", "''")
            _skip(con, typed, f"_file = '{safe}' and {year} = {int(value)}", skipped,
                  f"jaar {value} staat ook in {first}, met dezelfde rijen: hier overgeslagen", other)


#: Statbel's files cover Belgium: the region (or else the first digits of the code) tells a row outside Flanders.
REGION_SQL = """case ltrim(coalesce(CD_RGN_REFNIS, ''), '0')
    when '2000' then null when '4000' then 'Brussel' when '3000' then 'Wallonië'
    else case when CD_REFNIS like '21%' then 'Brussel'
              when CD_REFNIS like '25%' or left(CD_REFNIS, 1) in ('5', '6', '8', '9') then 'Wallonië' end
end"""


def _outside_flanders(con: duckdb.DuckDBPyConnection, typed: str, skipped: Skipped) -> None:
    """Skip (and count) the population rows of Brussels and Wallonia: they are no rejects."""
    counts = con.execute(f"select _file, region, count(*) from (select _file, {REGION_SQL} as region from {typed}) "
                         "where region is not null group by all order by 1, 2").fetchall()
    per_file: dict[str, dict[str, int]] = {}
    for file, region, count in counts:
        per_file.setdefault(file, {})[region] = count
    for file, regions in per_file.items():
        detail = ", ".join(f"{r} {_n(c)}" for r, c in sorted(regions.items()))
        safe = file.replace("'", "''")
        _skip(con, typed, f"_file = '{safe}' and ({REGION_SQL}) is not null", skipped,
              f"{_n(sum(regions.values()))} regels buiten Vlaanderen overgeslagen ({detail})", file)


#: Share of the Flemish municipalities an inventory must cover before the 7+ outlets rule tells chains apart.
FLANDERS_COVERAGE = 0.95


def _chain_rules(con: duckdb.DuckDBPyConnection, has_flag: bool, has_list: bool) -> dict[int, str]:
    """Decide per inventory how an outlet without a chain flag is classified; return it for the summary.

    Counting a formula's outlets only inside a partial delivery makes chains look independent, so the
    7+ rule holds only for an inventory covering (almost) all of Flanders; a formula list the user
    gives wins; else the chain status stays unknown and the chain share empty.
    """
    con.execute("create or replace temp table ref_chain_formulas as "
                "select distinct trim(formule) as formula from valid_formulas where formule is not null")
    total = con.execute("select count(*) from ref_municipalities").fetchall()[0][0]
    years = con.execute("select cast(o.jaar as integer), count(distinct m.nis_code) from valid_outlets as o "
                        "join ref_nis_map as m on m.code = o.nis_code group by 1 order by 1").fetchall()
    rules, said = [], {}
    for year, covered in years:
        rule = "formulelijst" if has_list else "7+ vestigingen" if covered >= FLANDERS_COVERAGE * total else None
        rules.append((year, rule))
        text = {
            "formulelijst": "formulelijst (--formulas)",
            "7+ vestigingen": "regel 7+ vestigingen (de levering dekt Vlaanderen)",
            None: f"onbekend: aandeel ketens leeg (geen formulelijst --formulas; de levering dekt {covered} van "
                  f"de {total} gemeenten)",
        }[rule]
        said[year] = ("kolom filiaal, lege cellen: " + text) if has_flag else ("geen ketenvlag in de levering; " + text)
    con.execute("create or replace temp table chain_rules (year integer, rule varchar)")
    if rules:
        con.executemany("insert into chain_rules values (?, ?)", rules)
    return said


def _check_threshold(con: duckdb.DuckDBPyConnection, report: FileReport, max_fraction: float) -> None:
    if report.rejected_rows == 0:
        return
    share = report.rejected_rows / max(report.rows_in - report.skipped_rows, 1)
    if share > max_fraction:
        first = con.execute(
            "select line, column_name, value, reason from rejects where file = ? order by line nulls last limit 1",
            [report.file],
        ).fetchall()[0]
        where = f"regel {first[0]}" + (f", kolom '{first[1]}'" if first[1] else "")
        value = f" ('{first[2]}')" if first[2] is not None else ""
        raise BuildError(
            f"{report.file}: {report.rejected_rows} van {report.rows_in - report.skipped_rows} regels afgekeurd "
            f"({100 * share:.1f} %, grens {100 * max_fraction:g} %); eerste: {where}: {first[3]}{value}"
        )


def _write_build_info(con: duckdb.DuckDBPyConnection, source: Path, summary: BuildSummary) -> None:
    info = {
        "build_id": summary.build_id,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source_dir": str(source.resolve()),
        "source_label": "Synthetische demodata (Locatus-formaat)" if summary.is_synthetic else "Locatus-export",
        "is_synthetic": "true" if summary.is_synthetic else "false",
        "files": json.dumps([asdict(f) for f in summary.files], ensure_ascii=False),
        "tables": json.dumps(summary.tables),
        "seconds": f"{summary.seconds:.1f}",
        "code_version": code_version(),
    }
    con.execute("create or replace table build_info (key varchar primary key, value varchar)")
    con.executemany("insert into build_info values (?, ?)", list(info.items()))


def _write_rejects_csv(db_file: Path, path: Path) -> None:
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        df = con.execute("select file, line, column_name, value, reason from rejects order by file, line").df()
    finally:
        con.close()
    df.columns = ["bestand", "regel", "kolom", "waarde", "reden"]
    tmp = path.with_suffix(path.suffix + ".tmp")
    df.to_csv(tmp, sep=";", index=False, encoding="utf-8")
    os.replace(tmp, path)
