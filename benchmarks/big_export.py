"""A 1 GB export through the real CLI: wall time and peak memory of the build process.

Usage::

    python benchmarks/big_export.py [--gb 1.0] [--workdir DIR]

The demo export is generated, then its ``verkooppunten.csv`` is repeated with new outlet ids until
the file passes ``--gb`` GB (the other files stay as they are). ``python -m data_pipelines build``
runs on it in its own process; the script prints the file size and rows, the build's step lines, its
wall time and its peak resident memory (from ``wait4``). The file is read line by line (above
``SMART_RETAIL_STREAM_ABOVE_MB``) and DuckDB spills beyond ``SMART_RETAIL_ETL_MEMORY``, so the peak
stays far below the file size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def grow(source: Path, target: Path, size: float) -> int:
    """Write ``source`` (a ``;`` export with the id in the third column) again and again; return the rows."""
    header, *lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = 0
    with target.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        copy = 0
        while out.tell() < size:
            chunk = []
            for line in lines:
                parts = line.split(";", 3)
                parts[2] = f"{parts[2]}x{copy}"
                chunk.append(";".join(parts))
            out.write("".join(chunk))
            rows += len(lines)
            copy += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="big-export-"))
    export = work / "export"
    try:
        subprocess.run([sys.executable, "-m", "data_pipelines", "demo", "--out", str(work / "demo")], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copytree(work / "demo", export)
        t0 = time.perf_counter()
        rows = grow(work / "demo" / "verkooppunten.csv", export / "verkooppunten.csv", args.gb * 1e9)
        size = (export / "verkooppunten.csv").stat().st_size
        print(f"verkooppunten.csv: {size / 1e9:.2f} GB, {rows:,} rows (written in {time.perf_counter() - t0:.0f} s)")
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "data_pipelines", "build", "--source", str(export),
                                 "--db", str(work / "big.duckdb")], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        print(err.rstrip())
        print(f"exit code {os.waitstatus_to_exitcode(status)}; build {seconds:.0f} s; "
              f"peak RSS {usage.ru_maxrss / 1024:.0f} MB for a {size / 1e9:.2f} GB file "
              f"(SMART_RETAIL_ETL_MEMORY={os.environ.get('SMART_RETAIL_ETL_MEMORY', '4GB')})")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
