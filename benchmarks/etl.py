"""ETL benchmark: the full ``build`` against a bare DuckDB ``read_csv`` of the same files, per scale, in one run.

Usage::

    python benchmarks/etl.py [--scales demo flanders x4] [--workdir DIR] [--repeat 1] [--stream-above-mb N]

For each scale it generates the demo export once (kept in ``--workdir`` for the next run), then alternates a
bare load (each CSV into a table with DuckDB's own type detection, nothing else) and the real build (extract,
validate, model graph, grain checks, atomic swap), each in a fresh process. It ends with one table: rows in,
bare read, build, their ratio (what to compare between runs: the machines here are noisy), each as wall time and
as CPU time of the process (user + system, all threads; steadier than wall time on a shared machine) and the
peak memory (max RSS) of each process. Then the incremental path: the export is split (once) into a base
without its last year and that year's delivery, the base is built, and ``build --add-year`` of the last year
is timed against the full build. ``--stream-above-mb`` only matters for files the build cannot read with DuckDB
(quoted fields, other encodings): those are read line by line above that size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = r"""
import sys, duckdb
from pathlib import Path
src, db = Path(sys.argv[1]), sys.argv[2]
con = duckdb.connect(db)
for path in sorted(src.glob("*.csv")):
    con.execute(f"create table {path.stem} as select * from read_csv('{path}', delim=';', header=true)")
con.close()
"""


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Run ``cmd``; return (wall seconds, CPU seconds, peak RSS in MiB) of that process alone."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KiB -> MiB


def count_rows(source: Path) -> int:
    """Return the data lines of the CSV files of ``source`` (headers left out)."""
    total = 0
    for path in source.glob("*.csv"):
        with path.open("rb") as fh:
            total += sum(buf.count(b"\n") for buf in iter(lambda f=fh: f.read(1 << 24), b"")) - 1
    return total


def _year_of(header: list[str]) -> tuple[int, slice] | None:
    """Return the column and the slice of it that hold a row's year, for the files split by year."""
    for column, part in (("jaar", slice(0, 4)), ("datum", slice(-4, None)), ("CD_YEAR", slice(0, 4))):
        if column in header and ("vkp_id" in header or "telpunt_id" in header or column == "CD_YEAR"):
            return header.index(column), part
    return None


def split_last_year(source: Path, dest: Path) -> tuple[Path, Path, int]:
    """Split a demo export into ``dest/base`` (all but the last inventory year) and ``dest/added`` (that year).

    Line by line, so each row stays as it was; the added year's files get the year in their name. Kept in
    ``dest`` for the next run.
    """
    base, added, done = dest / "base", dest / "added", dest / "year.txt"
    if done.exists():
        return base, added, int(done.read_text())
    shutil.rmtree(dest, ignore_errors=True)
    base.mkdir(parents=True)
    added.mkdir()
    with (source / "verkooppunten.csv").open(encoding="utf-8") as fh:
        fh.readline()
        last = max(int(line[:4]) for line in fh)
    for path in sorted(source.glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            head = fh.readline()
            where = _year_of(head.rstrip("\n").split(";"))
            if where is None:
                shutil.copy(path, base / path.name)
                continue
            column, part = where
            year = str(last)
            with (base / path.name).open("w", encoding="utf-8") as old, \
                    (added / f"{path.stem}_{last}{path.suffix}").open("w", encoding="utf-8") as new:
                old.write(head)
                new.write(head)
                for line in fh:
                    (new if line.split(";", column + 1)[column][part] == year else old).write(line)
    done.write_text(str(last))
    return base, added, last


@dataclass
class Result:
    """The figures of one scale."""

    scale: str
    rows: int
    mib: float
    bare: list[tuple[float, float, float]]
    build: list[tuple[float, float, float]]
    added: list[tuple[float, float, float]]
    year: int = 0

    def row(self) -> str:
        """Return the scale's line of the README table (medians of the rounds, the highest peak)."""
        def median(runs: list[tuple[float, float, float]], i: int) -> float:
            return statistics.median(r[i] for r in runs)

        def peak(runs: list[tuple[float, float, float]]) -> float:
            return max(r[2] for r in runs)

        wall, cpu = (median(self.bare, 0), median(self.build, 0)), (median(self.bare, 1), median(self.build, 1))
        add = (median(self.added, 0), median(self.added, 1))
        return (f"| {self.scale} ({self.mib:,.0f} MiB of CSV) | {self.rows:,} | {wall[0]:.1f} / {cpu[0]:.1f} s | "
                f"{wall[1]:.1f} / {cpu[1]:.1f} s | {wall[1] / wall[0]:.1f}× / {cpu[1] / cpu[0]:.1f}× | "
                f"{peak(self.bare):,.0f} / {peak(self.build):,.0f} MiB | {add[0]:.1f} / {add[1]:.1f} s "
                f"({add[0] / wall[1]:.2f} / {add[1] / cpu[1]:.2f} of the build), {peak(self.added):,.0f} MiB |")


def bench(scale: str, workdir: Path, repeat: int) -> Result:
    """Generate (once) and measure one scale."""
    source = workdir / f"export-{scale}"
    if not (source / "verkooppunten.csv").exists():
        print(f"generating the {scale} export in {source} ...", flush=True)
        wall, _, rss = run([sys.executable, "-m", "data_pipelines", "demo", "--out", str(source), "--scale", scale])
        print(f"demo generation: {wall:.1f} s, peak {rss:.0f} MiB", flush=True)
    result = Result(scale, count_rows(source), sum(p.stat().st_size for p in source.glob("*.csv")) / 2**20, [], [], [])
    base, added, result.year = split_last_year(source, workdir / f"years-{scale}")
    print(f"{scale}: {result.rows:,} rows in {result.mib:.0f} MiB of CSV", flush=True)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for i in range(repeat):
            result.bare.append(run([sys.executable, "-c", BARE, str(source), str(Path(tmp) / f"bare{i}.duckdb")]))
            result.build.append(run([sys.executable, "-m", "data_pipelines", "build", "--source", str(source),
                                     "--db", str(Path(tmp) / "retail.duckdb")]))
            (bw, bc, bm), (w, c, m) = result.bare[-1], result.build[-1]
            print(f"  round {i + 1}: bare {bw:.1f} s, {bc:.1f} s CPU ({bm:.0f} MiB), "
                  f"build {w:.1f} s, {c:.1f} s CPU ({m:.0f} MiB)", flush=True)
        base_db, db = Path(tmp) / "base.duckdb", Path(tmp) / "years.duckdb"
        wall, cpu, rss = run([sys.executable, "-m", "data_pipelines", "build", "--source", str(base),
                              "--db", str(base_db)])
        print(f"  base without {result.year}: {wall:.1f} s, {cpu:.1f} s CPU ({rss:.0f} MiB)", flush=True)
        for i in range(repeat):
            shutil.copy(base_db, db)
            result.added.append(run([sys.executable, "-m", "data_pipelines", "build", "--source", str(added),
                                     "--db", str(db), "--add-year"]))
            print(f"  round {i + 1}: add {result.year} {result.added[-1][0]:.1f} s, {result.added[-1][1]:.1f} s "
                  f"CPU ({result.added[-1][2]:.0f} MiB)", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=["demo", "flanders", "x4"], choices=("demo", "flanders", "x4"))
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "smart-retail-bench")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--stream-above-mb", type=int, help="SMART_RETAIL_STREAM_ABOVE_MB for the build")
    args = parser.parse_args()
    if args.stream_above_mb is not None:
        os.environ["SMART_RETAIL_STREAM_ABOVE_MB"] = str(args.stream_above_mb)  # inherited by the build
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = [bench(scale, args.workdir, args.repeat) for scale in args.scales]
    print()
    print(f"| scale | rows in | bare read (wall / CPU) | build (wall / CPU) | ratio (wall / CPU) | "
          f"peak RSS (bare / build) | add the last year (wall / CPU), peak |  (median of {args.repeat})")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row())


if __name__ == "__main__":
    main()
