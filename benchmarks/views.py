"""Server time of every page callback beside its floors, in one process and one run.

Usage::

    python benchmarks/views.py --db data/retail.duckdb [--repeat 7]

For each page (Vlaanderen, a province, Antwerpen, Gent, a small town, the core map of Antwerpen, a
fiche page) the script fires the server callbacks a browser would, through Flask's test client (the whole
Dash dispatch, the JSON included, no network), and prints per callback:

- ``first``: the first call of the build (the per-build cache emptied before it);
- ``repeat``: the same call again (served from the cache where the app caches it);
- ``sql``: the time spent inside the database's queries during the first call (the bare SQL);
- ``floor``: ``sql`` + the no-op callback (a callback of the same app that returns its input);
- the ratios ``first / floor`` (target ≤ 2) and ``repeat / no-op`` (target ≤ 2), and the decoded bytes.

Medians of ``--repeat`` runs; the per-build cache is cleared before each "first" call.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dash import Input, Output  # noqa: E402

from dashboard import features  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.config import load_settings  # noqa: E402
from dashboard.controls import Control, Count  # noqa: E402
from dashboard.data.db import Database  # noqa: E402
from tests.accounts import logged_in  # noqa: E402
from tests.traffic import Page, pages_for, payloads  # noqa: E402

_sql = threading.local()
_query = Database.query


def timed_query(self: Database, sql: str, params: object = None) -> object:
    t0 = time.perf_counter()
    try:
        return _query(self, sql, params)
    finally:
        _sql.seconds = getattr(_sql, "seconds", 0.0) + time.perf_counter() - t0


def pages(years: list[int]) -> list[tuple[str, Page]]:
    """Return the measured pages: the traffic tool's pages of these areas, with a short name each."""
    walk = pages_for(years, ["11002", "44021", "73028"], ["10000"])
    wanted = {"/": "Vlaanderen", "/provincie/10000": "provincie Antwerpen",
              "/gemeente/11002": "Antwerpen", "/gemeente/44021": "Gent", "/gemeente/73028": "Herstappe",
              "/gemeente/11002/kaart": "kernkaart Antwerpen", "/gemeente/11002/fiche": "fiche Antwerpen"}
    return [(wanted[p.url.split("?")[0]], p) for p in walk if p.url.split("?")[0] in wanted]


def with_noop_control(controls: object = features.controls) -> object:
    """Return ``features.controls`` plus the no-op's input: the guard refuses a value nobody declared."""
    def every() -> dict[str, Control]:
        noop = Control("bench-noop-in", "value", Count())
        return {**controls(), noop.key: noop}
    return every


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", nargs="*", default=None, help="measure only these pages (short names)")
    args = parser.parse_args()
    Database.query = timed_query
    features.controls = with_noop_control()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(load_settings({"SMART_RETAIL_DB": str(args.db),
                                        "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp}/intake.sqlite3"}))
        app.callback(Output("bench-noop", "children"), Input("bench-noop-in", "value"))(lambda value: value)
        db: Database = app.server.extensions["smart_retail_db"]
        anonymous = app.server.test_client()
        client = anonymous
        deps = json.loads(anonymous.get("/_dash-dependencies").data)
        noop_body = {"output": "bench-noop.children", "outputs": {"id": "bench-noop", "property": "children"},
                     "inputs": [{"id": "bench-noop-in", "property": "value", "value": 1}], "state": [],
                     "changedPropIds": ["bench-noop-in.value"]}

        def post(body: dict) -> tuple[float, float, int, int]:
            _sql.seconds = 0.0
            t0 = time.perf_counter()
            r = client.post("/_dash-update-component", json=body)
            return time.perf_counter() - t0, _sql.seconds, r.status_code, len(r.get_data())

        for _ in range(3):
            post(noop_body)
        noop = statistics.median(post(noop_body)[0] for _ in range(max(args.repeat, 15)))
        years = sorted(int(y) for y in db.query("select distinct year from mart_area_year")["year"])
        print(f"no-op callback: {1000 * noop:.1f} ms (the floor of every callback, with its SQL)")
        print(f"{'page':<22}{'callback':<26}{'first':>8}{'sql':>7}{'floor':>7}{'ratio':>7}{'repeat':>8}"
              f"{'ratio':>7}{'kB':>8}")
        for name, page in pages(years):
            if args.only and name not in args.only:
                continue
            # The pages need an account (the indicators unless published, the outlets always): the page's own.
            client = logged_in(app, *page.account) if page.account else anonymous
            client.get(page.url)
            for callback, body in payloads(deps, page):
                body = {**body, "changedPropIds": []}  # as a page's first call: no input changed yet
                post(body)  # imports and first-use costs of the process are not the build's
                firsts, sqls, repeats = [], [], []
                for _ in range(args.repeat):
                    db.cache.clear()
                    seconds, sql, status, size = post(body)
                    firsts.append(seconds)
                    sqls.append(sql)
                    repeats.append(post(body)[0])
                first, sql, repeat = (statistics.median(v) for v in (firsts, sqls, repeats))
                floor = sql + noop
                print(f"{name:<22}{callback[:25]:<26}{1000 * first:>8.1f}{1000 * sql:>7.1f}{1000 * floor:>7.1f}"
                      f"{first / floor:>7.2f}{1000 * repeat:>8.1f}{repeat / noop:>7.2f}{size / 1024:>8.1f}"
                      + ("" if status in (200, 204) else f"  status {status}"))
                if callback == "kaart-map":
                    switch = {**body, "changedPropIds": ["kaart-year.value"],
                              "inputs": [{**i, "value": i["value"] - 1} if i["id"] == "kaart-year" else i
                                         for i in body["inputs"]]}
                    db.cache.clear()
                    seconds, sql, status, size = post(switch)
                    print(f"{name:<22}{'kaart-map: year switch':<26}{1000 * seconds:>8.1f}{1000 * sql:>7.1f}"
                          f"{1000 * (sql + noop):>7.1f}{seconds / (sql + noop):>7.2f}{'':>15}{size / 1024:>8.1f}")


if __name__ == "__main__":
    main()
