"""What typst keeps of the fiches it rendered: resident memory after the warmer's fiches.

Usage::

    python benchmarks/pdf_memory.py --db data/retail.duckdb [--fiches 40] [--rounds 2]

Each setting runs in a fresh process, one after the other in this run: the fiches of the main areas of the
``--fiches`` municipalities with most outlets (what the warmer renders after a build swap) are loaded, the
typst compiler warmed up, then every fiche rendered ``--rounds`` times. typst runs in its own typesetting
process beside the worker: prints the resident memory (VmRSS) of the worker (this process) and of its
typesetting process, before and after the renders, and the median time of a render, for typst left to keep
its last ten compiles (0 blank compiles) and for the blank compiles the typesetting process makes after each
fiche.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mib(pid: int | str = "self") -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(next(ln for ln in text.splitlines() if ln.startswith("VmRSS")).split()[1]) / 1024


def child(db_path: Path, fiches: int, rounds: int, forget: int) -> dict[str, float]:
    from dashboard.data.db import Database
    from dashboard.fiche import pdf
    from dashboard.fiche.data import load_fiche
    from dashboard.fiche.typesetter import Typesetter
    from dashboard.warm import main_fiches

    pdf._typesetter = Typesetter(Path(pdf.__file__).parent, pdf.TEMPLATE, forget)
    db = Database(db_path)
    loaded = [load_fiche(db, nis, area) for nis, area in main_fiches(db, fiches)]
    pdf.warm_up()
    typesetter = pdf.typesetter().pid
    before, before_typst = rss_mib(), rss_mib(typesetter)
    times = []
    for _ in range(rounds):
        for fiche in loaded:
            t0 = time.perf_counter()
            pdf.render_pdf(fiche, "https://winkelgebieden.example/fiche", dt.date(2026, 12, 1))
            times.append(time.perf_counter() - t0)
    return {"forget": forget, "before": before, "after": rss_mib(), "typst_before": before_typst,
            "typst_after": rss_mib(typesetter), "ms": 1000 * statistics.median(times), "renders": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--fiches", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.db, args.fiches, args.rounds, args.child)))
        return
    from dashboard.fiche.typesetter import FORGET_AFTER

    print(f"{'blank compiles after each fiche':<34}{'worker RSS before / after':>27}"
          f"{'typesetting process before / after':>37}{'render':>11}")
    for forget in (0, FORGET_AFTER):
        out = subprocess.run([sys.executable, __file__, "--db", str(args.db), "--fiches", str(args.fiches),
                              "--rounds", str(args.rounds), "--child", str(forget)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{forget:<34}{r['before']:>16.0f} / {r['after']:.0f} MiB{r['typst_before']:>26.0f} / "
              f"{r['typst_after']:.0f} MiB{r['ms']:>8.1f} ms   ({r['renders']} renders, wall time)")


if __name__ == "__main__":
    main()
