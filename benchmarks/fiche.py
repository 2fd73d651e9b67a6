"""Fiche benchmark: one DNA-fiche PDF cold and warm, and the batch of one province.

Usage::

    python benchmarks/fiche.py --db data/retail.duckdb [--nis 44021] [--repeat 10] [--province 70000]

- cold: a fresh Python process imports the app, loads one fiche and renders its PDF (what the first
  request of a new gunicorn worker pays); the script prints the process wall time and, inside it,
  the time of that first fiche alone; then the same after the renderer's warm-up (what the app runs in
  the background as a worker starts).
- warm: in this process, after one fiche to warm up, the p50 / p95 of ``--repeat`` fiches (queries +
  HTML + weasyprint), as a running worker serves them.
- batch: ``python -m dashboard fiches --province CODE`` through the real CLI, wall time and PDFs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD = """
import sys, time
t0 = time.perf_counter()
from dashboard.data.db import Database
from dashboard.fiche.data import load_fiche
from dashboard.fiche.pdf import render_pdf, warm_up
t1 = time.perf_counter()
if sys.argv[3] == "warm-up":
    warm_up()
t2 = time.perf_counter()
pdf = render_pdf(load_fiche(Database(sys.argv[1]), sys.argv[2]), "http://127.0.0.1:8050/")
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {time.perf_counter() - t2:.3f} {len(pdf)}")
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--nis", default="44021")
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--province", default="70000")
    args = p.parse_args()
    env_path = str(ROOT)

    for mode in ("plain", "warm-up"):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD, str(args.db), args.nis, mode], capture_output=True,
                             text=True, check=True, cwd=ROOT, env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})
        wall = time.perf_counter() - t
        imports, warm, first, size = out.stdout.split()
        what = f"warm-up {float(warm):.2f} s, then " if mode == "warm-up" else ""
        print(f"cold ({mode}): {wall:.2f} s process wall (imports {float(imports):.2f} s, {what}first fiche "
              f"{float(first):.2f} s, {int(size) // 1024} KiB)")

    from dashboard.data.db import Database
    from dashboard.fiche.data import load_fiche
    from dashboard.fiche.pdf import render_pdf

    db = Database(args.db)
    render_pdf(load_fiche(db, args.nis), "http://127.0.0.1:8050/")
    times, loads = [], []
    for _ in range(args.repeat):
        db.cache.clear()  # the fiche is kept per build: measure its queries every time
        t = time.perf_counter()
        fiche = load_fiche(db, args.nis)
        loads.append(time.perf_counter() - t)
        render_pdf(fiche, "http://127.0.0.1:8050/")
        times.append(time.perf_counter() - t)
    print(f"warm: p50 {statistics.median(times):.2f} s, p95 {percentile(times, 0.95):.2f} s per PDF "
          f"(of which queries p50 {statistics.median(loads):.2f} s; n={args.repeat})")

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "dashboard", "fiches", "--db", str(args.db), "--out", tmp,
                               "--province", args.province], capture_output=True, text=True, cwd=ROOT,
                              env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})
        wall = time.perf_counter() - t
        n = len(list(Path(tmp).glob("*.pdf")))
        print(f"batch province {args.province}: {n} PDFs in {wall:.1f} s ({wall / max(n, 1):.2f} s per fiche), "
              f"exit {done.returncode}")


if __name__ == "__main__":
    main()
