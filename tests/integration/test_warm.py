"""After a build swap the warmer fills the cache: the most visited public views and the main areas' fiche PDFs.

On a copy of the fixture database through Flask's test client; the warmer's thread is not started (the
servers start it) and the test runs its work directly, so nothing depends on timing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from dashboard.app import create_app
from dashboard.config import load_settings
from dashboard.data import queries
from dashboard.view_cache import Visits
from dashboard.warm import Activity, Warmer, main_fiches
from tests.accounts import logged_in
from tests.traffic import Page, payloads

CALLBACK = "/_dash-update-component"


def test_a_new_build_is_warmed_with_the_visited_views_and_the_main_fiches(fixture_db: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "retail.duckdb"
    shutil.copy(fixture_db, db_path)
    # Visitors may read the indicator pages here: the warmer answers again what the public scope asked.
    app = create_app(load_settings({"SMART_RETAIL_DB": str(db_path), "SMART_RETAIL_PUBLIC_INDICATORS": "1",
                                    "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp_path / 'i.sqlite3'}"}))
    server = app.server
    db, pool = server.extensions["smart_retail_db"], server.extensions["smart_retail_pdf_pool"]
    warmer: Warmer = server.extensions["smart_retail_warmer"]
    visitor = server.test_client()
    deps = json.loads(visitor.get("/_dash-dependencies").data)
    page = Page("/gemeente/44021?jaar=2025&peers=grootte", {
        "gem-year.value": 2025, "gem-peer-mode.value": "grootte", "gem-peer-pick.value": [],
        "gem-indicator.value": "vacancy_rate_count", "gem-nis.data": "44021"})
    body = next(b for n, b in payloads(deps, page) if n == "gem-kpis")
    for _ in range(2):
        assert visitor.post(CALLBACK, json=body).status_code == 200
    account = logged_in(app, "gemeente", nis="44021")
    other = {**body, "inputs": [{**i, "value": 2024} if i["id"] == "gem-year" else i for i in body["inputs"]]}
    assert account.post(CALLBACK, json=other).status_code == 200
    assert [json.loads(b) for b in warmer.visits.top(5)] == [body]  # only the public scope's requests count

    stat = db_path.stat()
    os.utime(db_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # the ETL swapped in a build
    assert warmer._thread is None and warmer.limit == 40  # made, not started: the servers start it
    warmer.limit = 5
    warmer.warm(db.fingerprint())
    assert (warmer.views, warmer.fiches) == (1, len(main_fiches(db, 5))) and warmer.fiches >= 1

    nis, area = main_fiches(db, 1)[0]
    year = max(queries.years(db))
    reader = logged_in(app, "vlaio")  # the fiche shows outlets: an account that reaches every municipality
    for url in (f"/gemeente/{nis}/fiche.pdf?gebied={area}&jaar={year}", f"/gemeente/{nis}/fiche.pdf"):
        r = reader.get(url)
        assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert pool.started == 0  # both addresses of the main fiche were rendered by the warmer

    entry = app.callback_map[body["output"]]
    original, calls = entry["callback"], []
    entry["callback"] = lambda *a, **k: calls.append(1) or original(*a, **k)
    warm_answer = visitor.post(CALLBACK, json=body)
    assert warm_answer.status_code == 200 and calls == []  # answered from the warmed cache
    db.cache.clear()
    assert visitor.post(CALLBACK, json=body).data == warm_answer.data and calls == [1]  # the same answer


def test_the_warmer_waits_for_a_quiet_moment() -> None:
    activity = Activity()
    activity.enter()
    assert activity.wait_idle(0) is False
    activity.enter()
    activity.leave()
    assert activity.wait_idle(0) is False  # one request still in flight
    activity.leave()
    assert activity.wait_idle(0) is True


def test_visits_keep_the_most_asked_requests_within_their_bound() -> None:
    visits = Visits(max_bodies=4)
    for body, times in ((b"a", 5), (b"b", 3), (b"c", 1), (b"d", 1)):
        for _ in range(times):
            visits.record(body)
    assert visits.top(2) == [b"a", b"b"]
    visits.record(b"e")  # a fifth request body: the least asked half is forgotten
    assert visits.top(10) == [b"a", b"b"]
