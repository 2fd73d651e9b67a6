"""Intake benchmark: what the application form and the overview cost, in one process, on a real store.

Usage::

    python benchmarks/intake.py --db data/retail.duckdb [--nis 11002] [--repeat 20] [--applications 500]

The app is built as gunicorn builds it (``create_app``) on the given analytics database and a fresh
SQLite intake store in a temporary folder; the callbacks' functions run inside a request context, so the
figures are the server's work without HTTP. Printed, each as p50 / p95 over ``--repeat`` runs:

- the 5B fiche and expert suggestions after a change of the zone (the DNA fiche is loaded: cold) and after
  a change of an answer (the fiche comes from the cache: warm), and their ratio;
- a draft save with one changed field, and an autosave with nothing to save;
- the overview of ``--applications`` applications (list, status steps and table), and one application's
  follow-up with its evaluation;
- the intake dossier PDF next to the DNA fiche PDF it contains (ratio).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - t0))
    return out


def show(label: str, times: list[float]) -> float:
    ordered = sorted(times)
    p50, p95 = statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"{label:<58} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")
    return p50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--nis", default="11002")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--applications", type=int, default=500)
    args = parser.parse_args()

    from dash.exceptions import PreventUpdate

    from dashboard.app import create_app
    from dashboard.config import load_settings
    from dashboard.data import queries
    from dashboard.data.db import Database
    from dashboard.fiche.data import load_fiche
    from dashboard.fiche.pdf import render_pdf
    from dashboard.intake.baseline import snapshot
    from dashboard.intake.dossier import load_dossier, render_dossier
    from dashboard.intake.form import TEXT_FIELDS
    from dashboard.intake.models import B_NAMES
    from dashboard.intake.store import current_store

    tmp = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    app = create_app(load_settings({"SMART_RETAIL_DB": args.db,
                                    "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp / 'intake.sqlite3'}"}))
    from dashboard.features.intake import callbacks as intake
    from dashboard.features.intake_overview import layout as intake_overview
    db = Database(Path(args.db))
    app_db = app.server.extensions["smart_retail_db"]
    areas = queries.areas(db)
    zones = [[a] for a in areas.loc[areas["nis_code"] == args.nis, "area_id"]]
    texts = [""] * len(TEXT_FIELDS)
    texts[[f.name for f in TEXT_FIELDS].index("challenge")] = "Leegstand en parkeren in de winkelstraat."
    print(f"database {args.db}, municipality {args.nis} ({len(zones)} shopping areas), repeat {args.repeat}")

    with app.server.test_request_context("/"):
        def analyse(zone: list[str]) -> object:
            return intake.analyse(zone, "", texts, [], None, args.nis)

        analyse(zones[0])  # imports and the first connection
        cold = []
        for i in range(args.repeat):
            app_db.cache.forget("fiche")  # the cold case is the point
            t0 = time.perf_counter()
            analyse(zones[i % len(zones)])
            cold.append(1000 * (time.perf_counter() - t0))
        c = show("5B + experts, zone changed (DNA fiche loaded)", cold)
        w = show("5B + experts, answer changed (fiche from the cache)", timed(lambda: analyse(zones[0]), args.repeat))
        print(f"{'':<58} cold / warm = {c / w:.1f}x")

        store = current_store()
        state = {"id": None, "version": None}
        saved: dict | None = None
        counter = iter(range(10**6))

        def save_once() -> None:
            nonlocal state, saved
            texts[0] = f"Contact {next(counter)}"
            out = intake.save_outputs("bewaren", texts, zones[0], "", [""] * len(B_NAMES), [], [], state, saved,
                                      "Benchmark", args.nis)
            state, saved = out[0], out[1]

        save_once()
        show("draft save, one field changed (revision written)", timed(save_once, args.repeat))

        def autosave() -> None:
            with contextlib.suppress(PreventUpdate):  # nothing to save: the case measured
                intake.save_outputs("auto", texts, zones[0], "", [""] * len(B_NAMES), [], [], state, saved,
                                    "Benchmark", args.nis)

        show("autosave with nothing changed", timed(autosave, args.repeat))

        munis = queries.municipalities(db)["nis_code"].tolist()
        for i in range(args.applications - 1):
            store.create_draft(munis[i % len(munis)], "Benchmark", {"challenge": f"Aanvraag {i}"})
        show(f"overview of {args.applications} applications (layout)",
             timed(lambda: intake_overview.layout(), max(3, args.repeat // 4)))
        first = state["id"]
        complete = {"department": "Economie", "email": "a@b.be", "phone": "09 123 45 67", "expectations": "x",
                    "retail_policy": "x", "means_capacity": "x", "departments_involvement": "x"}
        version = store.get(first).version
        store.save(first, complete, version, "Benchmark")
        store.submit(first, "Benchmark")
        store.move_status(first, "intake", "Benchmark", dt.date.today(),
                          baseline=snapshot(db, args.nis, zones[0], dt.date.today()))
        show("one application's follow-up with its evaluation", timed(lambda: intake_overview.detail(first),
                                                                      max(3, args.repeat // 4)))

        application = store.get(first)
        n = max(3, args.repeat // 4)
        d = show("intake dossier PDF (answers, 5B, experts + DNA fiche)",
                 timed(lambda: render_dossier(load_dossier(db, store, application, "http://x/", "x")), n))
        f = show("DNA fiche PDF alone", timed(lambda: render_pdf(load_fiche(db, args.nis, zones[0][0]), "http://x/"),
                                              n))
        print(f"{'':<58} dossier / fiche = {d / f:.1f}x")


if __name__ == "__main__":
    main()
