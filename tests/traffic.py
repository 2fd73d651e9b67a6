"""A small load tool: users that open pages and fire the callbacks their browser would, over real HTTP.

Used by the rebuild-under-traffic test (a few users, bounded) and by ``benchmarks/soak.py`` (50 users,
5 minutes). A request counts as failed when it raises or answers anything but 200 or 204 (Dash's
"nothing to update").
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from dashboard.intake.form import TEXT_FIELDS
from dashboard.intake.models import B_NAMES
from dashboard.intake.store import open_store
from tests.accounts import PASSWORD, email_of, ensure_account

OK = (200, 204)


@dataclass(frozen=True)
class Hit:
    """One request: when it ended (monotonic), what it was, its status (0 = no answer) and duration."""

    t: float
    what: str
    status: int
    ms: float
    error: str = ""

    @property
    def failed(self) -> bool:
        """Tell whether the request failed."""
        return self.status not in OK


@dataclass(frozen=True)
class Page:
    """A page a user opens, with the values its controls hold (``"<component id>.<property>": value``)."""

    url: str
    values: dict[str, Any]
    #: The account that may use the page (role, NIS code, province code); ``None``: a public page.
    account: tuple[str, str | None, str | None] | None = None


def _output(part: str) -> dict[str, Any]:
    component, prop = part.rsplit(".", 1)
    # A pattern-matching id (the maps' {"page": ..., "type": ...}) travels as the object, not its text.
    return {"id": json.loads(component) if component.startswith("{") else component, "property": prop}


def _outputs(output: str) -> list[dict[str, Any]] | dict[str, Any]:
    if output.startswith(".."):
        return [_output(p) for p in output.strip(".").split("...") if p]
    return _output(output)


def payloads(dependencies: list[dict], page: Page) -> list[tuple[str, dict]]:
    """Return the server callbacks the page's controls can fire, as (name, request body)."""
    out = []
    path, _, query = page.url.partition("?")
    values = {"_pages_location.pathname": path, "_pages_location.search": f"?{query}" if query else "",
              **page.values}
    for dep in dependencies:
        if dep.get("clientside_function"):
            continue
        ins, states = dep["inputs"], dep["state"]
        keys = [f"{i['id']}.{i['property']}" for i in [*ins, *states]]
        if any(i["id"].startswith("{") for i in [*ins, *states]) or not all(k in values for k in keys):
            continue
        body = {
            "output": dep["output"],
            "outputs": _outputs(dep["output"]),
            "inputs": [{"id": i["id"], "property": i["property"], "value": values[f"{i['id']}.{i['property']}"]}
                       for i in ins],
            "state": [{"id": s["id"], "property": s["property"], "value": values[f"{s['id']}.{s['property']}"]}
                      for s in states],
            "changedPropIds": [f"{ins[0]['id']}.{ins[0]['property']}"],
        }
        out.append((dep["output"].strip(".").split(".")[0], body))
    return out


class User(threading.Thread):
    """Walks random pages until ``stop`` is set: the page, its layout, then its callbacks; then thinks."""

    def __init__(self, base: str, pages: list[Page], dependencies: list[dict], stop: threading.Event,
                 hits: list[Hit], seed: int, think: float = 0.5, cookies: dict | None = None) -> None:
        super().__init__(daemon=True)
        # The same origin as a browser sends it: a request with a cookie and no Origin is refused.
        self.origin = {"Origin": base}
        self.base, self.pages, self.deps, self.stop, self.hits = base, pages, dependencies, stop, hits
        self.rng = random.Random(seed)
        self.think = think
        self.session = requests.Session()
        #: The session cookie of each account logged in so far (``cookies``: those logged in before the run).
        #: A person logs in once a working day: a password check per page view would measure argon2, not pages.
        self.cookies: dict[tuple[str, str | None, str | None], requests.cookies.RequestsCookieJar] = dict(
            cookies or {})

    def _hit(self, what: str, method: str, url: str, body: dict | None = None, form: dict | None = None) -> None:
        t0 = time.perf_counter()
        try:
            if method == "GET":
                r = self.session.get(self.base + url, timeout=60)
            elif form is not None:
                r = self.session.post(self.base + url, data=form, timeout=60)
            else:
                r = self.session.post(self.base + url, data=json.dumps(body), timeout=60,
                                      headers={"Content-Type": "application/json"})
            status, error = r.status_code, "" if r.status_code in OK else r.text[:200]
        except requests.RequestException as exc:
            status, error = 0, type(exc).__name__
        self.hits.append(Hit(time.monotonic(), what, status, 1000 * (time.perf_counter() - t0), error))

    def run(self) -> None:
        while not self.stop.is_set():
            # A new connection per visit: gunicorn closes idle keep-alive connections after 2 s, and a
            # client that reuses one at that moment sees a reset (a browser silently retries; requests not).
            self.session.close()
            self.session = requests.Session()
            self.session.headers.update(self.origin)
            page = self.rng.choice(self.pages)
            if page.account is not None:
                if page.account not in self.cookies:
                    role, nis, province = page.account
                    self._hit("login", "POST", "/login", form={"email": email_of(role, nis, province),
                                                               "password": PASSWORD})
                    self.cookies[page.account] = self.session.cookies.copy()
                self.session.cookies.update(self.cookies[page.account])
            self._hit("page", "GET", page.url)
            self._hit("layout", "GET", "/_dash-layout")
            for name, body in payloads(self.deps, page):
                if self.stop.is_set():
                    break
                self._hit(f"callback:{name}", "POST", "/_dash-update-component", body)
            self.stop.wait(self.rng.uniform(0, 2 * self.think))


def log_in(base: str, account: tuple[str, str | None, str | None]) -> requests.cookies.RequestsCookieJar:
    """Log the test account ``account`` in on ``base`` and return its session cookie."""
    with requests.Session() as session:
        session.headers["Origin"] = base
        r = session.post(base + "/login", data={"email": email_of(*account), "password": PASSWORD},
                         allow_redirects=False, timeout=60)
        r.raise_for_status()
        return session.cookies.copy()


def run_users(base: str, pages: list[Page], users: int, stop: threading.Event, think: float = 0.5,
              intake_db_url: str | None = None, login_first: bool = False) -> tuple[list[User], list[Hit]]:
    """Start ``users`` users on ``base``; they run until ``stop`` is set. Returns them and their hits.

    With the server's ``intake_db_url`` the pages that need an account are visited logged in (the
    accounts are made there); without it, only the public pages. ``login_first``: every account logs in
    before the users start, and they share its session cookie (a throughput of pages, not of logins).
    """
    if intake_db_url is None:
        pages = [p for p in pages if p.account is None]
    else:
        store = open_store(intake_db_url)
        for account in {p.account for p in pages if p.account is not None}:
            ensure_account(store, *account)
        store.engine.dispose()
    dependencies = requests.get(base + "/_dash-dependencies", timeout=60).json()
    hits: list[Hit] = []
    cookies = {a: log_in(base, a) for a in {p.account for p in pages if p.account is not None}} if login_first else {}
    crowd = [User(base, pages, dependencies, stop, hits, seed=i, think=think, cookies=cookies) for i in range(users)]
    for user in crowd:
        user.start()
    return crowd, hits


def percentile(values: Iterable[float], q: float) -> float:
    """Return the ``q`` percentile (0-100) of ``values`` by nearest rank (nan when empty)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


#: Who walks the aggregated indicator pages.
READER: tuple[str, str | None, str | None] = ("vlaio", None, None)


def pages_for(years: list[int], municipalities: list[str], provinces: list[str], base_year: int | None = None
              ) -> list[Page]:
    """Return the pages a person walks: the overview, provinces and municipalities with their controls.

    The indicator pages are walked by a VLAIO account (they need one unless the indicators are published),
    a municipality's core map and fiche by its own account (they list its outlets).
    """
    year = max(years)
    pages = [Page("/", {"home-year.value": year, "search-input.value": "Gent",
                        "home-map-indicator.value": "vacancy_rate_count_all_pct",
                        "home-map-scheme.value": "quantielen"}, READER)]
    for code in provinces:
        pages.append(Page(f"/provincie/{code}", {
            "prov-year.value": year, "prov-indicator.value": "vacancy_rate_count_all_pct",
            "prov-scatter-x.value": "outlets_per_1000_inh", "prov-highlight.value": None,
            "prov-base-year.value": base_year or min(years), "prov-code.data": code,
            "prov-map-indicator.value": "outlets_total", "prov-map-scheme.value": "natuurlijk"}, READER))
    for i, nis in enumerate(municipalities):
        mode = ("grootte", "provincie")[i % 2]
        pages.append(Page(f"/gemeente/{nis}?jaar={year}&peers={mode}", {
            "gem-year.value": year, "gem-peer-mode.value": mode, "gem-peer-pick.value": [],
            "gem-indicator.value": "vacancy_rate_count", "gem-nis.data": nis, "search-input.value": "Sint Niklaas"},
            READER))
    groups = ["Dagelijks", "Mode & Luxe", "Vrije Tijd", "In/Om Huis", "Detailhandel Overig", "Leisure", "Diensten",
              "Leegstand"]
    for nis in municipalities:
        pages.append(Page(f"/gemeente/{nis}/kaart?jaar={year}", {
            "kaart-year.value": year, "kaart-since.value": 0, "kaart-groups.value": groups,
            "kaart-vacancy-only.value": False, "kaart-chain.value": "alle", "kaart-nis.data": nis,
            "kaart-durations.value": ["frictioneel", "langdurig", "structureel"], "kaart-drawn.data": year,
            "kaart-focus.data": None, "kaart-table.page_current": 0, "kaart-table.sort_by": [],
            "search-input.value": "Gent"}, ("gemeente", nis, None)))
        pages.append(Page(f"/gemeente/{nis}/fiche?jaar={year}", {"search-input.value": "Gent"},
                          ("gemeente", nis, None)))
        pages.append(Page(f"/gemeente/{nis}/intake", intake_values(nis), ("gemeente", nis, None)))
    pages.append(Page("/intake", {
        "intake-list-province.value": None, "intake-list-status.value": None, "intake-list-selected.data": None,
        "intake-list-move.n_clicks": 1, "intake-list-move-to.value": None, "intake-list-move-date.value": None,
        "intake-list-author.value": None, "intake-list-eval-year.value": year, "search-input.value": "Gent"},
        ("vlaio", None, None)))
    return pages


def intake_values(nis: str) -> dict[str, Any]:
    """Return the values of a blank application form; without a name its save button writes nothing."""
    return {**{f"intake-f-{f.name}.value": "" for f in TEXT_FIELDS}, "intake-f-zone_area_ids.value": [],
            "intake-f-zone_description.value": "", **{f"intake-note-{i}.value": "" for i in range(len(B_NAMES))},
            "intake-experts.value": [], "intake-suggested.data": None, "intake-nis.data": nis,
            "intake-app.data": {"id": None, "version": None}, "intake-saved.data": {}, "intake-author.value": None,
            "intake-save.n_clicks": 1, "intake-submit.n_clicks": None, "intake-autosave.n_intervals": None,
            "intake-zone-map.clickData": None, "search-input.value": "Gent"}


def child_pids(parent: int) -> list[int]:
    """Return the process ids whose parent is ``parent`` (gunicorn's workers, a worker's typesetting process)."""
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                kids.append(int(entry.name))
    return sorted(kids)
