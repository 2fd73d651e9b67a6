"""Interaction benchmark: the callbacks of the pages over HTTP, behind gunicorn, on a large database.

Usage::

    python benchmarks/interactions.py --db /path/to/flanders.duckdb [--repeat 30]

A headless chromium (Debian's, through Playwright) opens the overview, a province and a municipality
once and records the callback requests it sends. Those requests are then replayed over HTTP with
``requests``, one after the other, and the script prints per callback the p50 and p95 wall time and
the response bytes, next to the cheapest callback of the app (the search box with empty input: the
fixed cost of a Dash round trip) and the bare SQL behind each page, timed in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("/", "/provincie/10000", "/gemeente/11002")
CORE_MAP = "/gemeente/11002/kaart"  # Antwerpen: the largest municipality


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def record(url: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    calls: list[dict] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        page = browser.new_page()
        page.on("request", lambda r: calls.append({"page": page.url, "body": r.post_data})
                if "_dash-update-component" in r.url else None)
        for path in PAGES:
            page.goto(url + path)
            page.wait_for_selector(".kpi-card", timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)
        # The core-area map: first load, then each control once (each request is one map callback).
        page.goto(url + CORE_MAP)
        page.wait_for_function("document.querySelector('#kaart-map .js-plotly-plot')?.data?.length > 5",
                               timeout=60_000)
        page.wait_for_load_state("networkidle")
        for action in (lambda: page.locator("#kaart-groups label", has_text="Mode & luxe").click(),
                       lambda: page.locator("#kaart-chain label", has_text="Ketens").click(),
                       lambda: page.locator("#kaart-vacancy-only").click(),
                       lambda: (page.locator("#kaart-year").click(),
                                page.get_by_role("option", name="2024").click()),
                       lambda: (page.locator("#kaart-since").click(),
                                page.get_by_role("option", name="2019").click())):
            action()
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
        page.locator("#search-input").fill("")
        browser.close()
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    env = {**os.environ, "SMART_RETAIL_DB": str(args.db)}
    server = subprocess.Popen(["gunicorn", "dashboard.app:server", "--workers", "2", "--threads", "4",
                               "--bind", f"127.0.0.1:{args.port}"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                if requests.get(url + "/health", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        calls = record(url)
        noop = {"page": "search", "body": json.dumps({
            "output": "search-results.children", "outputs": {"id": "search-results", "property": "children"},
            "inputs": [{"id": "search-input", "property": "value", "value": ""}], "changedPropIds": [],
            "state": []})}
        session = requests.Session()
        print(f"{'callback [trigger]':<58} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>10} {'gzip':>10}")
        for call in [noop, *calls]:
            body = json.loads(call["body"])
            changed = ",".join(p.split(".")[0].replace("kaart-", "") for p in body.get("changedPropIds", []))
            label = f"{call['page'].replace(url, '') or '/'} {body['output'][:30]} [{changed[:18]}]"
            times, size = [], 0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                r = session.post(url + "/_dash-update-component", data=call["body"],
                                 headers={"Content-Type": "application/json"}, timeout=60)
                times.append(1000 * (time.perf_counter() - t0))
                size = len(r.content)
                wire = int(r.headers.get("Content-Length", size))  # gzip on the wire (flask-compress)
                if r.status_code not in (200, 204):
                    raise SystemExit(f"{label}: HTTP {r.status_code}")
            print(f"{label:<58} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} {size:10,} {wire:10,}")
    finally:
        server.terminate()
        server.wait(timeout=10)

    from dashboard.data import queries
    from dashboard.data.db import Database

    db = Database(args.db)
    year = queries.years(db)[-1]
    munis = queries.municipalities(db)
    province = list(munis.loc[munis["province_code"] == "10000", "nis_code"])
    bare = {
        "overview: municipality_table": lambda: queries.municipality_table(db, year),
        "province: province_municipalities": lambda: queries.province_municipalities(db, "10000", year),
        "municipality: area_rows (peers + province)": lambda: queries.area_rows(db, "gemeente", province, year),
        "municipality: indicator_values (trend)": lambda: queries.indicator_values(db, "gemeente", province,
                                                                                   "vacancy_rate_count"),
        "municipality: footfall_weekly": lambda: queries.footfall_weekly(db, "11002"),
        "core map: map_outlets (one year)": lambda: queries.map_outlets(db, "11002", [year]),
        "core map: map_areas": lambda: queries.map_areas(db, "11002", year),
        "core map: map_counting_points": lambda: queries.map_counting_points(db, "11002", year),
        "indicator map: map_municipalities": lambda: queries.map_municipalities(db, year,
                                                                                "vacancy_rate_count_all_pct"),
    }
    print(f"\n{'bare SQL (in process)':<58} {'p50 ms':>8} {'p95 ms':>8}")
    for label, fn in bare.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            times.append(1000 * (time.perf_counter() - t0))
        print(f"{label:<58} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f}")


if __name__ == "__main__":
    main()
