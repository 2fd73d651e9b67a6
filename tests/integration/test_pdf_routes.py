"""The PDF routes under load, on the fixture database through Flask's test client: a full render pool
answers 503 with Retry-After and a Dutch text, and a repeated fiche comes from the per-build cache.

The pool is filled with renders that wait on an event the test holds, so nothing depends on timing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from dashboard.app import create_app
from dashboard.cache import PUBLIC
from dashboard.config import load_settings
from dashboard.features.fiche.routes import fiche_pdf_key
from dashboard.links import base_url
from dashboard.render_pool import RenderPool
from tests.accounts import logged_in

FICHE = "/gemeente/44021/fiche.pdf?gebied=WG1&jaar=2025"


@pytest.fixture()
def app_db(fixture_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "retail.duckdb"
    shutil.copy(fixture_db, db)  # a copy of its own: a test gives it a new build
    return db


@pytest.fixture()
def server(app_db: Path, tmp_path: Path) -> Iterator:
    app = create_app(load_settings({"SMART_RETAIL_DB": str(app_db),
                                    "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp_path / 'i.sqlite3'}"}))
    yield app.server


def fill(pool: RenderPool, release: threading.Event) -> list:
    """Take every slot and queue place of ``pool`` with renders that wait for ``release``."""
    return [pool.start(("bezet", i), lambda ticket: release.wait()) for i in range(pool.workers + pool.queue)]


def test_a_full_pool_answers_503_with_retry_after_and_the_service_stays_up(server) -> None:
    client: FlaskClient = logged_in(server, "gemeente", "44021")  # the dossier needs Gent's account
    pool: RenderPool = server.extensions["smart_retail_pdf_pool"]
    server.extensions["smart_retail_intake"].create_draft("44021", "an", {"contact_name": "An"})
    release = threading.Event()
    jobs = fill(pool, release)
    try:
        for path in (FICHE, "/gemeente/44021/intake.pdf"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.headers["Retry-After"] == "5"
            assert "De PDF-dienst is even volzet" in response.get_data(as_text=True)
        assert client.get("/health").status_code == 200  # the request threads are free
    finally:
        release.set()
        for job in jobs:
            pool.wait(job)
    assert client.get(FICHE).status_code == 200


def test_a_repeated_fiche_comes_from_the_cache_until_a_new_build(server, app_db: Path) -> None:
    client: FlaskClient = logged_in(server, "gemeente", "44021")  # the fiche shows outlets: Gent's own account
    pool: RenderPool = server.extensions["smart_retail_pdf_pool"]
    db = server.extensions["smart_retail_db"]
    first = client.get(FICHE)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert pool.started == 1
    again = client.get(FICHE)
    assert again.data == first.data and again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert pool.started == 1  # no second render
    key = db.cache_key("fiche-pdf", fiche_pdf_key("44021", "WG1", 2025, base_url(), dt.date.today()),
                       scope=PUBLIC)
    assert db.cache.get(key) == (first.data, "fiche-44021-WG1-2025.pdf")

    # The same browser under another host name (its session cookie with it).
    client.set_cookie("smart_retail_sessie", client.get_cookie("smart_retail_sessie").value,
                      domain="dashboard.example")
    asked_elsewhere = client.get(FICHE, base_url="http://dashboard.example/")
    assert asked_elsewhere.data == first.data  # the link printed is SMART_RETAIL_BASE_URL's, whatever the Host
    assert pool.started == 1
    assert client.get("/gemeente/44021/fiche.pdf?gebied=WG1").status_code == 200
    assert pool.started == 2  # the request's own parameters are the key, not the resolved year

    stat = app_db.stat()
    os.utime(app_db, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # the ETL swapped in a build
    assert client.get(FICHE).status_code == 200
    assert pool.started == 3 and db.cache.get(key) is None


def test_the_key_holds_what_the_pdf_prints() -> None:
    day = dt.date(2026, 11, 30)
    base = fiche_pdf_key("44021", "WG1", 2025, "http://a/", day)
    assert base == fiche_pdf_key("44021", "WG1", 2025, "http://a/", day)
    others = {fiche_pdf_key("44021", None, 2025, "http://a/", day),
              fiche_pdf_key("44021", "WG1", None, "http://a/", day),
              fiche_pdf_key("44021", "WG1", 2025, "http://b/", day),
              fiche_pdf_key("44021", "WG1", 2025, "http://a/", day + dt.timedelta(days=1))}
    assert base not in others and len(others) == 4

