"""ETL benchmark: the full ``build`` against a bare DuckDB ``read_csv`` of the same files, in one run.

Usage::

    python benchmarks/etl.py [--scale flanders] [--workdir DIR] [--repeat 2] [--stream-above-mb N]

Generates the demo export once (kept in ``--workdir`` for the next run), then alternates a bare load
(each CSV into a table with DuckDB's own type detection, nothing else) and the real build (extract,
validate, staging, marts, atomic swap), each in a fresh process. Prints wall time, peak memory (max
RSS of that process), input rows per second and the ratio build / bare: the ratio is what to compare
between runs, since machines here are noisy. ``--stream-above-mb 1`` sends every file down the path of a
large file (DuckDB's reader for a plain UTF-8 file, else record by record), as at ``flanders`` scale.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
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


def run(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, peak RSS in MiB) of that process alone."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024  # KiB -> MiB


def count_rows(source: Path) -> int:
    total = 0
    for path in source.glob("*.csv"):
        with path.open("rb") as fh:
            total += sum(buf.count(b"\n") for buf in iter(lambda f=fh: f.read(1 << 24), b"")) - 1
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="flanders", choices=("demo", "flanders"))
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "smart-retail-bench")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--stream-above-mb", type=int, help="SMART_RETAIL_STREAM_ABOVE_MB for the build")
    args = parser.parse_args()
    if args.stream_above_mb is not None:
        os.environ["SMART_RETAIL_STREAM_ABOVE_MB"] = str(args.stream_above_mb)  # inherited by the build

    source = args.workdir / f"export-{args.scale}"
    if not (source / "verkooppunten.csv").exists():
        print(f"generating the {args.scale} export in {source} ...", flush=True)
        wall, rss = run([sys.executable, "-m", "data_pipelines", "demo", "--out", str(source), "--scale",
                         args.scale])
        print(f"demo generation: {wall:.1f} s, peak {rss:.0f} MiB")
    rows = count_rows(source)
    size = sum(p.stat().st_size for p in source.glob("*.csv")) / 2**20
    print(f"input: {rows:,} rows in {size:.0f} MiB of CSV")

    bare, built = [], []
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for i in range(args.repeat):
            bare_db = Path(tmp) / f"bare{i}.duckdb"
            bare.append(run([sys.executable, "-c", BARE, str(source), str(bare_db)]))
            built.append(run([sys.executable, "-m", "data_pipelines", "build", "--source", str(source),
                              "--db", str(Path(tmp) / "retail.duckdb")]))
            print(f"round {i + 1}: bare {bare[-1][0]:.1f} s, build {built[-1][0]:.1f} s", flush=True)

    def line(name: str, runs: list[tuple[float, float]]) -> float:
        wall = statistics.median(w for w, _ in runs)
        rss = max(r for _, r in runs)
        print(f"{name:<6} wall {wall:7.1f} s   peak {rss:7.0f} MiB   {rows / wall:12,.0f} rows/s")
        return wall

    print()
    b = line("bare", bare)
    f = line("build", built)
    print(f"ratio build / bare: {f / b:.1f}x (median of {args.repeat})")


if __name__ == "__main__":
    main()
