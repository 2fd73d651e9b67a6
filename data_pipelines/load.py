"""Build the analytics database: extract -> validate -> staging -> marts, aside, then swap atomically.

The new database is written to a temporary file next to the target and only ``os.replace``-d over
it when every step succeeded, so a failed, interrupted or killed build leaves the previous database
byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

import duckdb
import numpy as np
import pandas as pd
import shapely

from data_pipelines import geo, reference, settings
from data_pipelines.classes import write_map_classes
from data_pipelines.errors import BuildError, ExportError
from data_pipelines.extract.tabular import Extracted, extract
from data_pipelines.indicators import CATALOGUE
from data_pipelines.specs import AREA_TYPES, AREAS, COUNTING_POINTS, FOOTFALL, OUTLETS, POPULATION, InputSpec
from data_pipelines.validate import FileReport, Validator, valid_rows_sql

SQL_DIR = Path(__file__).parent / "sql"
EXTENSIONS = (".csv", ".txt", ".xlsx", ".xlsm")
SYNTHETIC_MARK = "SYNTHETISCH"
DEFAULT_MAX_REJECT_FRACTION = 0.01


@dataclass
class BuildSummary:
    """What a build read, rejected and wrote."""

    db: str
    build_id: str
    files: list[FileReport] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    is_synthetic: bool = False
    rejects_report: str | None = None

    def lines(self) -> list[str]:
        """Return the summary as lines for a person."""
        out = ["bestand                      in        afgekeurd   uit"]
        for f in self.files:
            out.append(f"{f.file:<26} {_n(f.rows_in):>10} {_n(f.rejected_rows):>10} {_n(f.rows_out):>10}")
            out.extend(f"  - {n}" for n in f.notes)
        out.append("tabellen: " + ", ".join(f"{k} {_n(v)}" for k, v in self.tables.items()))
        if self.rejects_report:
            out.append(f"afgekeurde regels: {self.rejects_report}")
        out.append(f"klaar in {self.seconds:.1f} s: {self.db}")
        return out


def _n(value: int) -> str:
    """Format a count the Belgian way (1.234)."""
    return f"{value:,}".replace(",", ".")


def find_input(source: Path, spec: InputSpec) -> Path | None:
    """Return the file in ``source`` for ``spec`` (by its accepted names, case-insensitive)."""
    candidates = {p.name.casefold(): p for p in source.iterdir() if p.is_file()}
    for stem in spec.stems:
        for ext in EXTENSIONS:
            hit = candidates.get(f"{stem}{ext}")
            if hit is not None:
                return hit
    for p in sorted(source.iterdir()):  # e.g. "verkooppunten_2025.csv" or "TF_SOC_POP_STRUCT_2024.xlsx"
        if p.suffix.lower() in EXTENSIONS and any(p.stem.casefold().startswith(s) for s in spec.stems):
            return p
    return None


def unzip_export(archive: Path, target: Path) -> Path:
    """Unpack the export files of a zip (at any depth in it) into ``target``, streaming; return ``target``."""
    target.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = PurePosixPath(info.filename).name
                if info.is_dir() or name.startswith((".", "~$")) or "__MACOSX" in info.filename \
                        or Path(name).suffix.lower() not in EXTENSIONS:
                    continue
                if (target / name).exists():
                    raise ExportError(archive.name, f"het zip-bestand bevat twee keer '{name}'")
                with zf.open(info) as src, (target / name).open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError) as exc:  # RuntimeError: encrypted
        raise ExportError(archive.name, f"geen leesbaar zip-bestand ({exc})") from None
    except NotImplementedError as exc:  # an unsupported compression method
        raise ExportError(archive.name, f"zip-bestand niet te lezen: {exc}") from None
    return target


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
    df = con.execute("select _line, geometrie_wkt from typed_areas").df()
    geoms = shapely.from_wkt(df["geometrie_wkt"].fillna("").replace("", None).to_numpy(), on_invalid="ignore")
    present = df["geometrie_wkt"].notna().to_numpy()
    bad = present & (shapely.is_missing(geoms) | ~np.isin(shapely.get_type_id(geoms), [3, 6]))
    rows = []
    for line, geom, is_bad, has in zip(df["_line"], geoms, bad, present, strict=True):
        if is_bad or not has:
            continue
        minx, miny, maxx, maxy = geom.bounds
        src = geo.WGS84 if max(abs(minx), abs(maxx)) <= 180 and max(abs(miny), abs(maxy)) <= 90 else geo.LAMBERT72
        wgs = geo.transform_geometry(geom, src, geo.WGS84) if src != geo.WGS84 else geom
        if not wgs.is_valid:
            wgs = shapely.make_valid(wgs)
        area_m2 = geo.transform_geometry(wgs, geo.WGS84, geo.LAMBERT2008).area
        c = wgs.centroid
        rows.append((line, shapely.to_wkb(wgs), area_m2, c.x, c.y))
    con.register("geom_df", pd.DataFrame(rows, columns=["_line", "geometry_wkb", "area_m2", "centroid_lon",
                                                        "centroid_lat"]))
    con.execute("create or replace temp table area_geometry as select * from geom_df")
    con.unregister("geom_df")
    bad_lines = [int(x) for x in df.loc[bad, "_line"]]
    for line in bad_lines:
        con.execute("insert into rejects values (?, ?, 'geometrie_wkt', NULL, "
                    "'geen geldige WKT-polygoon (POLYGON of MULTIPOLYGON)')", [file, line])


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
) -> BuildSummary:
    """Build ``db`` from the export directory ``source``.

    Parameters
    ----------
    source
        Directory with the export files (see ``data/FORMAT.md``).
    db
        Target DuckDB file; replaced atomically on success, untouched on failure.
    population
        Optional Statbel population file; else ``bevolking.*`` in ``source`` is used if present.
    max_reject_fraction
        Above this share of rejected rows in any file the build fails (0 = strict).
    echo
        Receives one progress line per step.
    rejects_report
        Where the rejected rows are written as CSV (default: next to ``db``).
    boundaries
        Optional municipality boundary file (GeoPackage, Shapefile, GeoJSON) in any Belgian CRS.

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
    db.parent.mkdir(parents=True, exist_ok=True)
    build_id = uuid.uuid4().hex[:12]
    remove_stale_builds(db)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{db.name}.{os.getpid()}.", suffix=".building", dir=db.parent)
    os.close(fd)
    tmp_db = Path(tmp_name)
    tmp_db.unlink()  # DuckDB wants to create the file itself
    summary = BuildSummary(db=str(db), build_id=build_id)
    try:
        with tempfile.TemporaryDirectory(prefix="smart-retail-") as workdir:
            con = duckdb.connect(str(tmp_db))
            # Temporary tables of a large export spill to disk instead of holding the machine's memory.
            con.execute(f"set memory_limit = '{settings.get('etl_memory')}'")
            con.execute(f"set temp_directory = '{Path(workdir) / 'spill'}'")
            try:
                export_dir = unzip_export(source, Path(workdir) / "bron") if zipped else source
                if zipped:
                    step(f"{source.name}: uitgepakt")
                _build_into(con, export_dir, population, Path(workdir), max_reject_fraction, step, summary)
                _boundaries(con, boundaries, step, summary)
                _map_shapes(con)
                step("map_shapes: kaartvormen klaar")
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


def _build_into(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    population: Path | None,
    workdir: Path,
    max_reject_fraction: float,
    step: _Steps,
    summary: BuildSummary,
) -> None:
    tables = _ref_tables(con)
    step(f"referentiegegevens: {len(tables['municipalities'])} gemeenten, {len(tables['provinces'])} provincies")
    flanders = shapely.from_wkb(tables["flanders"]["geometry_wkb"].iloc[0])
    shapely.prepare(flanders)
    v = Validator(con)

    inputs: dict[str, Path | None] = {spec.kind: find_input(source, spec) for spec in
                                      (OUTLETS, AREAS, COUNTING_POINTS, FOOTFALL, POPULATION)}
    if population is not None:
        if not Path(population).is_file():
            raise ExportError(str(population), "het bevolkingsbestand bestaat niet")
        inputs["population"] = Path(population)
    if inputs["outlets"] is None:
        raise ExportError(OUTLETS.file_name, f"verplicht bestand ontbreekt in {source}")

    extracted: dict[str, Extracted] = {}
    for spec in (AREAS, COUNTING_POINTS, OUTLETS, FOOTFALL, POPULATION):
        path = inputs[spec.kind]
        if path is None:
            _empty_valid(con, spec)
            continue
        ex = extract(path, spec, workdir / f"{spec.kind}.csv", progress=step.echo)
        extracted[spec.kind] = ex
        typed = v.load(ex, spec)
        _checks(con, v, ex, spec, typed, inputs, flanders)
        con.execute(f"create or replace temp view valid_{spec.kind} as {valid_rows_sql(typed, ex.name)}")
        report = v.report(ex)
        summary.files.append(report)
        step(f"{ex.name}: {_n(report.rows_in)} regels gelezen, {_n(report.rejected_rows)} afgekeurd")
        _check_threshold(con, report, max_reject_fraction)

    def run_sql(sql_file: Path) -> None:
        sql = sql_file.read_text(encoding="utf-8")
        con.execute(sql)
        made = re.findall(r"create (?:or replace )?(?:temp )?table (\w+)", sql, flags=re.I)
        counts = ", ".join(f"{t} {_n(con.execute(f'select count(*) from {t}').fetchall()[0][0])}" for t in made)
        step(f"{sql_file.parent.name}/{sql_file.name}" + (f": {counts}" if counts else ""))

    for sql_file in sorted((SQL_DIR / "staging").glob("*.sql")):
        run_sql(sql_file)
    placed = _assign_point_areas(con)
    step(f"telpunten zonder winkelgebied: {placed} op ligging toegewezen")
    for sql_file in sorted((SQL_DIR / "marts").glob("*.sql")):
        run_sql(sql_file)
    _indicator_tables(con)
    step(f"mart_indicator_values: {_n(con.execute('select count(*) from mart_indicator_values').fetchall()[0][0])}")
    step(f"mart_map_classes: {_n(write_map_classes(con))} klassegrenzen van de kaarten")
    for table in ("stg_outlets", "fct_outlets", "stg_areas", "stg_counting_points", "stg_footfall",
                  "stg_population", "mart_area_year", "mart_indicator_values", "rejects"):
        summary.tables[table] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    if summary.tables["fct_outlets"] == 0:
        raise BuildError(f"{inputs['outlets'].name}: geen enkel bruikbaar verkooppunt; niets gebouwd")
    summary.is_synthetic = bool(con.execute(
        "select count(*) > 0 from stg_outlets where source like ?", [f"%{SYNTHETIC_MARK}%"]
    ).fetchall()[0][0])


def _boundaries(con: duckdb.DuckDBPyConnection, path: Path | None, step: _Steps, summary: BuildSummary) -> None:
    """Load the municipality boundaries, if given, into ``ref_municipality_boundaries``."""
    from data_pipelines.extract.boundaries import read_boundaries

    con.execute("create table ref_municipality_boundaries (nis_code varchar, area_km2 double, geometry_wkb blob)")
    if path is None:
        return
    nis_map = dict(con.execute("select code, nis_code from ref_nis_map").fetchall())
    result = read_boundaries(Path(path), nis_map)
    frame = result.frame.assign(geometry_wkb=shapely.to_wkb(result.frame.geometry.values))
    con.register("bounds_df", frame[["nis_code", "area_km2", "geometry_wkb"]])
    con.execute("insert into ref_municipality_boundaries select * from bounds_df order by nis_code")
    con.unregister("bounds_df")
    summary.files.append(FileReport(Path(path).name, "boundaries", len(frame), 0, len(frame), "", "", result.notes))
    step(f"{Path(path).name}: {len(frame)} gemeentegrenzen" + ("; " + "; ".join(result.notes) if result.notes
                                                                  else ""))


def _assign_point_areas(con: duckdb.DuckDBPyConnection) -> int:
    """Give counting points without a shopping area the area they lie in (same municipality)."""
    points = con.execute("select point_id, nis_code, lon, lat from stg_counting_points "
                         "where area_id is null and lon is not null").df()
    if points.empty:
        return 0
    areas = con.execute("select area_id, nis_code, geometry_wkb from stg_areas where geometry_wkb is not null").df()
    placed: list[tuple[str, str]] = []
    for nis, group in points.groupby("nis_code"):
        mine = areas[areas["nis_code"] == nis]
        if mine.empty:
            continue
        found = geo.assign_to_areas(group["lon"].to_numpy(), group["lat"].to_numpy(), mine["area_id"].tolist(),
                                    shapely.from_wkb([bytes(b) for b in mine["geometry_wkb"]]))
        placed += [(pid, aid) for pid, aid in zip(group["point_id"], found, strict=True) if aid is not None]
    if placed:
        con.register("placed_df", pd.DataFrame(placed, columns=["point_id", "area_id"]))
        con.execute("update stg_counting_points as s set area_id = p.area_id, area_source = 'ligging' "
                    "from placed_df as p where s.point_id = p.point_id")
        con.unregister("placed_df")
    return len(placed)


#: Outline simplification per map layer, in degrees (0.00001 degrees is about 1 m in Flanders).
MAP_TOLERANCE = {"provincie": 0.0, "gemeente": 0.0, "winkelgebied": 0.00001}


def _map_shapes(con: duckdb.DuckDBPyConnection) -> None:
    """Store every map outline once as GeoJSON text, so the app sends shapes without converting them."""
    sources = {
        "provincie": "select province_code as code, null as nis_code, geometry_wkb from ref_provinces",
        "gemeente": "select nis_code as code, nis_code, geometry_wkb from ref_municipality_boundaries",
        "winkelgebied": "select area_id as code, nis_code, geometry_wkb from stg_areas where geometry_wkb is not null",
    }
    frames = []
    for kind, sql in sources.items():
        df = con.execute(sql).df()
        if df.empty:
            continue
        geoms = shapely.from_wkb([bytes(b) for b in df["geometry_wkb"]])
        if MAP_TOLERANCE[kind]:
            geoms = geo.simplify_valid(geoms, MAP_TOLERANCE[kind])
        bounds = shapely.bounds(geoms)
        frames.append(pd.DataFrame({
            "kind": kind, "code": df["code"], "nis_code": df["nis_code"],
            "geojson": [geo.geojson_text(g) for g in geoms],
            "min_lon": bounds[:, 0], "min_lat": bounds[:, 1], "max_lon": bounds[:, 2], "max_lat": bounds[:, 3],
        }))
    con.execute("create table map_shapes (kind varchar, code varchar, nis_code varchar, geojson varchar, "
                "min_lon double, min_lat double, max_lon double, max_lat double)")
    if frames:
        con.register("shapes_df", pd.concat(frames, ignore_index=True))
        con.execute("insert into map_shapes select * from shapes_df order by kind, code")
        con.unregister("shapes_df")


def _empty_valid(con: duckdb.DuckDBPyConnection, spec: InputSpec) -> None:
    """Create an empty ``valid_<kind>`` with the typed columns, for an optional file that is absent."""
    types = {"text": "varchar", "code": "varchar", "int": "bigint", "decimal": "double", "date": "date",
             "bool": "boolean"}
    cols = ["cast(null as bigint) as _line"] + [f'cast(null as {types[c.kind]}) as "{c.name}"' for c in spec.columns]
    if spec.kind in ("outlets", "counting_points"):
        cols += ["cast(null as double) as " + c for c in ("lon_wgs84", "lat_wgs84", "x_l72", "y_l72")]
    con.execute(f"create or replace temp view valid_{spec.kind} as select {', '.join(cols)} where false")
    if spec.kind == "areas":
        con.execute("create or replace temp table area_geometry (_line bigint, geometry_wkb blob, area_m2 double, "
                    "centroid_lon double, centroid_lat double)")


def _checks(  # noqa: C901  (the if-chain on the file kind becomes declared per-model checks: issue 17)
    con: duckdb.DuckDBPyConnection,
    v: Validator,
    ex: Extracted,
    spec: InputSpec,
    typed: str,
    inputs: dict[str, Path | None],
    flanders: shapely.Geometry,
) -> None:
    """Run the checks that go beyond single columns: keys, codes, relationships, row rules."""
    file = ex.name
    nis_col = next((c.name for c in spec.columns if c.name in ("nis_code", "CD_REFNIS")), None)
    if nis_col is not None:
        v.known_codes(file, typed, nis_col, "ref_nis_map", "code",
                      "onbekende NIS-code: geen Vlaamse gemeente (ook niet van vóór de fusies van 2019 of 2025)")
    if spec.kind == "population" and "CD_YEAR" not in ex.present:
        match = re.search(r"(20\d\d|19\d\d)", ex.path.stem)
        if match is None:
            raise ExportError(file, "geen kolom met het jaar en geen jaartal in de bestandsnaam", line=1,
                              column="CD_YEAR")
        con.execute(f"update {typed} set CD_YEAR = {int(match.group(1))}")
    if spec.kind == "footfall":
        ex.rows -= v.merge_repeated_hour(file, typed)
    if spec.unique:
        v.unique(file, typed, spec.unique)
    if spec.kind == "outlets":
        v.known_codes(file, typed, "branche_code", "ref_branches", "branch_code",
                      "onbekende branchecode (zie data_pipelines/refdata/branches.csv)")
        v.rule(file, typed, "leeg_sinds",
               "leeg_sinds > coalesce(peildatum, make_date(cast(jaar as integer), 12, 31))",
               "leegstaand-sinds ligt na de peildatum van de inventaris")
        if inputs["areas"] is not None:
            v.known_codes(file, typed, "winkelgebied_id", "typed_areas", "winkelgebied_id",
                          f"onbekend winkelgebied (niet in {inputs['areas'].name})")
    if spec.kind == "counting_points" and inputs["areas"] is not None:
        v.known_codes(file, typed, "winkelgebied_id", "typed_areas", "winkelgebied_id",
                      f"onbekend winkelgebied (niet in {inputs['areas'].name})")
    if spec.kind == "footfall":
        if inputs["counting_points"] is None:
            raise ExportError(file, "passanten zonder telpunten: telpunten.csv ontbreekt")
        v.known_codes(file, typed, "telpunt_id", "typed_counting_points", "telpunt_id",
                      f"onbekend telpunt (niet in {inputs['counting_points'].name})")
    if spec.kind == "areas":
        v.accepted_values(file, typed, "type", AREA_TYPES)
        _area_geometry(con, v, file)
    if spec.kind in ("outlets", "counting_points"):
        v.coordinates(file, typed, flanders)


def _check_threshold(con: duckdb.DuckDBPyConnection, report: FileReport, max_fraction: float) -> None:
    if report.rejected_rows == 0:
        return
    share = report.rejected_rows / max(report.rows_in, 1)
    if share > max_fraction:
        first = con.execute(
            "select line, column_name, value, reason from rejects where file = ? order by line nulls last limit 1",
            [report.file],
        ).fetchall()[0]
        where = f"regel {first[0]}" + (f", kolom '{first[1]}'" if first[1] else "")
        value = f" ('{first[2]}')" if first[2] is not None else ""
        raise BuildError(
            f"{report.file}: {report.rejected_rows} van {report.rows_in} regels afgekeurd "
            f"({100 * share:.1f} %, grens {100 * max_fraction:g} %); eerste: {where}: {first[3]}{value}"
        )


def _indicator_tables(con: duckdb.DuckDBPyConnection) -> None:
    catalogue = pd.DataFrame([asdict(i) for i in CATALOGUE])
    con.register("catalogue_df", catalogue)
    con.execute("create or replace table dim_indicator as select * from catalogue_df")
    con.unregister("catalogue_df")
    parts = [
        f"select level, area_code, year, '{i.indicator}' as indicator, '{i.scope}' as scope, "
        f"cast({i.column} as double) as value from mart_area_year where {i.column} is not null"
        for i in CATALOGUE
    ]
    con.execute("create or replace table mart_indicator_values as " + " union all ".join(parts)
                + " order by level, area_code, indicator, scope, year")


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
