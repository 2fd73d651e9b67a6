"""ETL benchmark: the full ``build`` against a bare DuckDB ``read_csv`` of the same files, per scale, in one run.

Usage::

    python benchmarks/etl.py [--scales demo flanders x4] [--workdir DIR] [--repeat 1] [--stream-above-mb N]

For each scale it generates the demo export once (kept in ``--workdir`` for the next run), then alternates a
bare load (each CSV into a table with DuckDB's own type detection, nothing else) and the real build (extract,
validate, model graph, grain checks, atomic swap), each in a fresh process. It ends with one table: rows in,
bare read, build, their ratio (what to compare between runs: the machines here are noisy), each as wall time and
as CPU time of the process (user + system, all threads; steadier than wall time on a shared machine) and the
peak memory (max RSS) of each process. ``--stream-above-mb`` only matters for files the build cannot read with DuckDB
(quoted fields, other encodings): those are read line by line above that size.
"""

from __future__ import annotations

import argparse
import os
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


@dataclass
class Result:
    """The figures of one scale."""

    scale: str
    rows: int
    mib: float
    bare: list[tuple[float, float, float]]
    build: list[tuple[float, float, float]]

    def row(self) -> str:
        """Return the scale's line of the README table (medians of the rounds, the highest peak)."""
        def median(runs: list[tuple[float, float, float]], i: int) -> float:
            return statistics.median(r[i] for r in runs)

        def peak(runs: list[tuple[float, float, float]]) -> float:
            return max(r[2] for r in runs)

        wall, cpu = (median(self.bare, 0), median(self.build, 0)), (median(self.bare, 1), median(self.build, 1))
        return (f"| {self.scale} ({self.mib:,.0f} MiB of CSV) | {self.rows:,} | {wall[0]:.1f} / {cpu[0]:.1f} s | "
                f"{wall[1]:.1f} / {cpu[1]:.1f} s | {wall[1] / wall[0]:.1f}× / {cpu[1] / cpu[0]:.1f}× | "
                f"{peak(self.bare):,.0f} / {peak(self.build):,.0f} MiB |")


def bench(scale: str, workdir: Path, repeat: int) -> Result:
    """Generate (once) and measure one scale."""
    source = workdir / f"export-{scale}"
    if not (source / "verkooppunten.csv").exists():
        print(f"generating the {scale} export in {source} ...", flush=True)
        wall, _, rss = run([sys.executable, "-m", "data_pipelines", "demo", "--out", str(source), "--scale", scale])
        print(f"demo generation: {wall:.1f} s, peak {rss:.0f} MiB", flush=True)
    result = Result(scale, count_rows(source), sum(p.stat().st_size for p in source.glob("*.csv")) / 2**20, [], [])
    print(f"{scale}: {result.rows:,} rows in {result.mib:.0f} MiB of CSV", flush=True)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for i in range(repeat):
            result.bare.append(run([sys.executable, "-c", BARE, str(source), str(Path(tmp) / f"bare{i}.duckdb")]))
            result.build.append(run([sys.executable, "-m", "data_pipelines", "build", "--source", str(source),
                                     "--db", str(Path(tmp) / "retail.duckdb")]))
            print(f"  round {i + 1}: bare {result.bare[-1][0]:.1f} s ({result.bare[-1][2]:.0f} MiB), "
                  f"build {result.build[-1][0]:.1f} s ({result.build[-1][2]:.0f} MiB)", flush=True)
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
          f"peak RSS (bare / build) |  (median of {args.repeat})")
    print("|---|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row())


if __name__ == "__main__":
    main()
