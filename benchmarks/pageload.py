"""Page loads in headless Chromium, from navigation start to the answer of the page's last callback.

Usage::

    python benchmarks/pageload.py --db data/retail.duckdb [--warm 3]

Two gunicorns with the Procfile's settings (2 workers x 4 threads) on loopback: the dashboard on ``--db``
and the floor page (``benchmarks/floor_app.py``: a Dash app with one graph and one callback). Debian's
Chromium through Playwright loads each page:

- ``cold``: a new browser profile (empty HTTP cache) and the first visit of that address since the server
  started (its answers not yet kept by the server);
- ``warm``: the median of ``--warm`` reloads in the same profile, and how many requests such a reload sent
  to the server (the most of the reloads; a file the browser kept is not asked for).

The time of a load is what the browser's own clock says (``performance``): from navigation start to the end
of Dash's last answer (the last ``/_dash-update-component``, or ``/_dash-layout`` for a page that asks no
callback: the fiche comes whole with the layout), once no callback has been asked for a second. Each figure is
printed beside the floor page's, measured the same way in the same run, and the ratio (targets: cold ≤ 1.3,
warm ≤ 2). The accounts the pages need are made in the dashboard's own intake store and logged in over
HTTP before the first load, so that the login page does not fill the browser's cache.
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

import requests
from playwright.sync_api import BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.soak import free_port, procfile_command  # noqa: E402
from tests.accounts import PASSWORD, server_account  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: Callbacks are done when none was asked for this long (ms).
QUIET_MS = 1000
#: ms from navigation start to the end of Dash's last answer, or null (not yet: callbacks may still come). Dash's
#: answers: the layout and each callback (a page may ask none: the fiche comes whole with the layout).
LAST_CALLBACK_JS = """quiet => {
    const answers = performance.getEntriesByType('resource')
        .filter(r => /\\/_dash-(layout|update-component)/.test(r.name));
    if (document.readyState !== 'complete' || answers.length === 0 || window.__pending > 0) { return null; }
    const last = Math.max(...answers.map(r => r.responseEnd));
    return performance.now() - last >= quiet ? last : null;
}"""
STATE_JS = """() => [document.readyState, window.__pending, performance.getEntriesByType('resource')
    .filter(r => /\\/_dash-(layout|update-component)/.test(r.name)).map(r => Math.round(r.responseEnd))]"""
#: Counts the callback requests in flight (a request shows in ``performance`` only once it is answered).
PENDING_JS = """(() => {
    window.__pending = 0;
    const send = window.fetch;
    window.fetch = function (input, init) {
        const url = typeof input === 'string' ? input : input.url;
        if (!url.includes('/_dash-update-component')) { return send.apply(this, arguments); }
        window.__pending += 1;
        return send.apply(this, arguments).finally(() => { window.__pending -= 1; });
    };
})();"""

#: (short name, address, account (role, NIS, province) or None)
PAGES = [
    ("Vlaanderen", "/", ("vlaio", None, None)),
    ("provincie Antwerpen", "/provincie/10000", ("vlaio", None, None)),
    ("Antwerpen", "/gemeente/11002", ("vlaio", None, None)),
    ("Gent", "/gemeente/44021", ("vlaio", None, None)),
    ("Herstappe", "/gemeente/73028", ("vlaio", None, None)),
    ("kernkaart Antwerpen", "/gemeente/11002/kaart", ("gemeente", "11002", None)),
    ("fiche Antwerpen", "/gemeente/11002/fiche", ("gemeente", "11002", None)),
]


class Gunicorn:
    """The Procfile's web command on a free loopback port, for ``app`` (the dashboard's by default)."""

    def __init__(self, env: dict[str, str], log: Path, app: str | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = procfile_command(self.port)
        if app is not None:
            command[command.index("dashboard.app:server")] = app
        with log.open("w") as out:  # a file: a pipe nobody reads would block the workers once full
            self.proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=out,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.url + "/", timeout=5)
                return
            except requests.RequestException:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    sys.exit(f"gunicorn did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


#: How many requests of the load reached the server (a file the browser kept shows no bytes transferred).
ASKED_JS = """() => 1 + performance.getEntriesByType('resource').filter(r => r.transferSize > 0).length"""


def load(page: Page, url: str) -> float:
    """Load ``url`` and return ms from navigation start to the end of the last callback answer."""
    return load_and_count(page, url)[0]


def load_and_count(page: Page, url: str) -> tuple[float, int]:
    """Load ``url``; return ms from navigation start to Dash's last answer, and the requests sent to the server."""
    page.goto(url, wait_until="load", timeout=120_000)
    try:
        handle = page.wait_for_function(LAST_CALLBACK_JS, arg=QUIET_MS, timeout=120_000, polling=100)
    except PlaywrightError as exc:
        state = page.evaluate(STATE_JS)
        raise SystemExit(f"{url}: the callbacks did not settle ({state})") from exc
    return float(handle.json_value()), int(page.evaluate(ASKED_JS))


def context(browser: object, base: str, account: tuple | None, intake_db: Path | None) -> BrowserContext:
    """Return a new browser profile, logged in as ``account`` over HTTP (no page visited)."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    ctx.add_init_script(PENDING_JS)
    if account is not None and intake_db is not None:
        email = server_account(intake_db, *account)
        r = ctx.request.post(base + "/login", form={"email": email, "password": PASSWORD},
                             headers={"Origin": base}, max_redirects=0)
        if r.status != 303:
            sys.exit(f"login as {account} refused: {r.status}")
    return ctx


def measure(browser: object, base: str, path: str, account: tuple | None, intake_db: Path | None,
            warm: int) -> tuple[float, float, int]:
    """Return (cold, warm median) ms of ``path`` and the requests a warm load sends (the most of the reloads)."""
    ctx = context(browser, base, account, intake_db)
    try:
        page = ctx.new_page()
        cold = load(page, base + path)
        warms = [load_and_count(page, base + path) for _ in range(warm)]
        return cold, statistics.median(ms for ms, _ in warms), max(asked for _, asked in warms)
    finally:
        ctx.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--warm", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pageload-"))
    intake_db = tmp / "intake.sqlite3"
    env = {"SMART_RETAIL_DB": str(args.db.resolve()), "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{intake_db}",
           "SMART_RETAIL_MAP_TILES": "0"}  # no street tiles: the run needs no internet
    dashboard = Gunicorn(env, tmp / "dashboard.log")
    floor = Gunicorn({}, tmp / "floor.log", app="benchmarks.floor_app:server")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            print(f"load average {os.getloadavg()[0]:.1f}; Procfile's gunicorn; ms from navigation start to the "
                  "last callback answer")
            print(f"{'page':<22}{'cold':>8}{'floor':>8}{'ratio':>7}{'warm':>8}{'floor':>8}{'ratio':>7}"
                  f"{'asked warm (floor)':>20}")
            for name, path, account in PAGES:
                # The floor page right before each page, in a profile of its own: the same moment's machine.
                floor_cold, floor_warm, floor_asked = measure(browser, floor.url, "/", None, None, args.warm)
                cold, warm, asked = measure(browser, dashboard.url, path, account, intake_db, args.warm)
                print(f"{name:<22}{cold:>8.0f}{floor_cold:>8.0f}{cold / floor_cold:>7.2f}"
                      f"{warm:>8.0f}{floor_warm:>8.0f}{warm / floor_warm:>7.2f}{asked:>14} ({floor_asked})", flush=True)
            browser.close()
    finally:
        dashboard.stop()
        floor.stop()


if __name__ == "__main__":
    main()
