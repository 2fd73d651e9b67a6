"""A burst of PDF requests against gunicorn with the Procfile's settings: does the rest of the service stay up?

Usage::

    python benchmarks/pdf_burst.py --db data/retail.duckdb [--burst 20] [--gone 6]

1. idle: ``/health`` and a municipality page's main callback (a new answer each time: never from the
   cache), p50/p95 with nothing else running — the floor;
2. burst: ``--burst`` clients ask at once for the fiche PDFs of different areas while a prober repeats the
   idle requests; prints the PDF answers (200, 503 with Retry-After), timeouts, and the prober's p95
   against the idle p95 (target ≤ 3×);
3. cached: the fiche rendered before, asked again over HTTP (target ≤ 10 ms), beside ``/health``;
4. gone: ``--gone`` clients ask for fiches and hang up after 0.3 s; the request log then tells how many
   renders were stopped for them (status 499) rather than finished.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from itertools import count
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.soak import free_port, procfile_command  # noqa: E402
from tests.accounts import http_session  # noqa: E402
from tests.traffic import Page, payloads, percentile  # noqa: E402

INDICATORS = ("vacancy_rate_count", "vacancy_rate_wvo", "vacancy_structural_rate", "chain_share_count",
              "outlets_per_1000_inh", "retail_outlets", "avg_wvo_per_store", "footfall_weekly")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--gone", type=int, default=6)
    args = parser.parse_args()
    import duckdb

    con = duckdb.connect(str(args.db), read_only=True)
    areas = con.execute("select nis_code, area_id from stg_areas order by area_id").fetchall()
    munis = [r[0] for r in con.execute("select nis_code from ref_municipalities order by 1").fetchall()]
    years = [r[0] for r in con.execute("select distinct year from mart_area_year order by 1").fetchall()]
    con.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "gunicorn.log"
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
               "SMART_RETAIL_DB": str(args.db),
               "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp}/intake.sqlite3"}
        with log_path.open("w") as log:
            server = subprocess.Popen(procfile_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            run(base, server, log_path, Path(tmp) / "intake.sqlite3", areas, munis, years, args)
        finally:
            server.terminate()
            server.wait(timeout=30)


class Service:
    """The gunicorn under test, with what the probes need: a fresh callback body each time."""

    def __init__(self, base: str, munis: list[str], years: list[int], cookies: dict[str, str]) -> None:
        self.base, self.munis, self.years, self.cookies = base, munis, years, cookies
        self.deps = requests.get(base + "/_dash-dependencies", timeout=30).json()
        self.fresh = count()

    def callback_body(self) -> dict:
        # Another municipality, year and indicator each time: the answer is never in the per-build cache.
        i = next(self.fresh)
        nis, year = self.munis[i % len(self.munis)], self.years[i % len(self.years)]
        page = Page(f"/gemeente/{nis}", {"gem-year.value": year, "gem-peer-mode.value": "grootte",
                                         "gem-peer-pick.value": [], "gem-indicator.value": INDICATORS[i % 8],
                                         "gem-nis.data": nis})
        return next(b for n, b in payloads(self.deps, page) if n == "gem-kpis")

    def probe(self, kind: str) -> float:
        t0 = time.perf_counter()
        if kind == "health":
            requests.get(self.base + "/health", timeout=60).raise_for_status()
        else:  # as a browser of the account: its cookie, and the origin a state-changing request names
            requests.post(self.base + "/_dash-update-component", json=self.callback_body(), cookies=self.cookies,
                          headers={"Origin": self.base}, timeout=60).raise_for_status()
        return 1000 * (time.perf_counter() - t0)

    def fiche(self, nis: str, area: str, timeout: float = 60) -> requests.Response:
        # A fiche needs an account (the outlets, one by one); an answer that is no PDF stops the benchmark.
        r = requests.get(f"{self.base}/gemeente/{nis}/fiche.pdf?gebied={area}", timeout=timeout,
                         cookies=self.cookies, allow_redirects=False)
        if r.status_code == 200 and r.headers.get("Content-Type") != "application/pdf":
            sys.exit(f"no PDF for {nis}/{area}: {r.headers.get('Content-Type')}")
        return r


def wait_up(base: str, server: subprocess.Popen, log_path: Path) -> None:
    for _ in range(200):
        try:
            requests.get(base + "/health", timeout=5).raise_for_status()
            return
        except requests.RequestException:
            if server.poll() is not None:
                sys.exit(f"gunicorn did not start:\n{log_path.read_text()}")
            time.sleep(0.3)


def burst(service: Service, picked: list[tuple[str, str]]) -> tuple[dict[str, list[float]], list, float]:
    """Ask for the fiches of ``picked`` at once while probing; return the probes, the answers, the wall time."""
    busy: dict[str, list[float]] = {"health": [], "callback": []}
    stop = threading.Event()

    def prober() -> None:
        while not stop.is_set():
            for kind in busy:
                busy[kind].append(service.probe(kind))

    answers: list[tuple[int, float, str]] = []

    def ask(nis: str, area: str) -> None:
        t0 = time.perf_counter()
        try:
            r = service.fiche(nis, area)
            answers.append((r.status_code, time.perf_counter() - t0, r.headers.get("Retry-After", "")))
        except requests.RequestException as exc:
            answers.append((0, time.perf_counter() - t0, type(exc).__name__))

    watcher = threading.Thread(target=prober)
    watcher.start()
    clients = [threading.Thread(target=ask, args=a) for a in picked]
    t0 = time.perf_counter()
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    wall = time.perf_counter() - t0
    stop.set()
    watcher.join()
    return busy, answers, wall


def hang_ups(service: Service, gone: list[tuple[str, str]], log_path: Path) -> tuple[int, list[float]]:
    """Ask for fiches and hang up after 0.3 s; return the renders stopped (499) and the server's milliseconds
    of each one answered (200): one answered within the 0.3 s reached its client before it left."""
    before = len(log_path.read_text().splitlines())

    def hang_up(nis: str, area: str) -> None:
        with contextlib.suppress(requests.RequestException):
            service.fiche(nis, area, timeout=0.3)

    leavers = [threading.Thread(target=hang_up, args=a) for a in gone]
    for c in leavers:
        c.start()
    for c in leavers:
        c.join()
    time.sleep(10)  # let the workers notice and log (a benchmark may wait; the tests never do)
    entries = [json.loads(ln) for ln in log_path.read_text().splitlines()[before:] if ln.startswith("{")]
    pdfs = [e for e in entries if e.get("event") == "request" and "fiche.pdf" in e.get("route", "")]
    return sum(e["status"] == 499 for e in pdfs), [e["ms"] for e in pdfs if e["status"] == 200]


def run(base: str, server: subprocess.Popen, log_path: Path, intake_db: Path, areas: list, munis: list,
        years: list, args: argparse.Namespace) -> None:
    wait_up(base, server, log_path)
    service = Service(base, munis, years, http_session(base, intake_db, "vlaio").cookies.get_dict())
    for _ in range(6):  # imports and first-use costs of both workers
        service.probe("callback")
        assert service.fiche(*areas[0]).status_code == 200
    idle = {k: [service.probe(k) for _ in range(30)] for k in ("health", "callback")}
    busy, answers, wall = burst(service, areas[1:1 + args.burst])
    print(f"{'':<22}{'idle p50':>9}{'idle p95':>9}{'burst p50':>10}{'burst p95':>10}{'p95 ratio':>10}")
    for kind in ("health", "callback"):
        i95, b95 = percentile(idle[kind], 95), percentile(busy[kind], 95)
        print(f"{kind:<22}{percentile(idle[kind], 50):>9.1f}{i95:>9.1f}{percentile(busy[kind], 50):>10.1f}"
              f"{b95:>10.1f}{b95 / i95:>10.2f}")
    ok = [a for a in answers if a[0] == 200]
    refused = [a for a in answers if a[0] == 503]
    print(f"burst of {len(answers)} fiche PDFs in {wall:.1f} s: {len(ok)} rendered (p50 "
          f"{1000 * percentile([a[1] for a in ok], 50):.0f} ms), {len(refused)} refused with 503 (Retry-After "
          f"{sorted({a[2] for a in refused})}, p95 {1000 * percentile([a[1] for a in refused], 95):.0f} ms), "
          f"{sum(a[0] == 0 for a in answers)} timed out or failed")
    cached = []
    for _ in range(30):
        t0 = time.perf_counter()
        assert service.fiche(*areas[0]).status_code == 200
        cached.append(1000 * (time.perf_counter() - t0))
    print(f"cached fiche PDF over HTTP: p50 {percentile(cached, 50):.1f} ms, p95 {percentile(cached, 95):.1f} ms "
          f"(floor: /health idle p50 {percentile(idle['health'], 50):.1f} ms; target ≤ 10 ms)")
    gone = areas[1 + args.burst:1 + args.burst + args.gone]
    stopped, answered = hang_ups(service, gone, log_path)
    late = [ms for ms in answered if ms > 300]
    print(f"{len(gone)} clients hung up after 0.3 s: {stopped} renders stopped (499), {len(answered) - len(late)} "
          f"answered before the hang-up, {len(late)} finished after it (server ms of the answered: "
          f"{', '.join(f'{ms:.0f}' for ms in answered) or '-'})")


if __name__ == "__main__":
    main()
