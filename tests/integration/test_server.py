"""The app over real HTTP, served by gunicorn as in the Procfile."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.accounts import http_session
from tests.conftest import Server


@pytest.fixture(scope="module")
def fixture_server(fixture_db: Path):
    server = Server(fixture_db)
    yield server
    server.stop()


def test_health_reports_build_source_and_counts(fixture_server: Server) -> None:
    r = requests.get(fixture_server.url + "/health", timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["synthetic"] is False
    assert body["row_counts"]["stg_outlets"] == 27
    assert len(body["build_id"]) == 12 and body["built_at"].startswith("20")


def test_stylesheets_are_served_by_the_app_itself(fixture_server: Server) -> None:
    reader = http_session(fixture_server.url, fixture_server.intake_db, "vlaio")  # the pages need an account
    page = reader.get(fixture_server.url + "/", timeout=10).text
    assert "_dash-config" in page  # the app itself, not the login page
    assert 'href="/vendor/bootstrap.min.css?v=' in page and "cdn" not in page.lower()
    assert '<html lang="nl">' in page
    css = requests.get(fixture_server.url + "/vendor/bootstrap.min.css", timeout=10)
    assert css.status_code == 200 and "Bootstrap" in css.text[:500]
    assert requests.get(fixture_server.url + "/vendor/bootstrap.bundle.js", timeout=10).status_code == 404


@pytest.mark.server
def test_missing_database_answers_503_and_a_page_that_says_what_to_do(tmp_path: Path) -> None:
    server = Server(tmp_path / "nog-niet-gebouwd.duckdb")
    try:
        health = requests.get(server.url + "/health", timeout=10)
        assert health.status_code == 503 and health.json()["status"] == "missing"
        layout = requests.get(server.url + "/_dash-layout", timeout=10)
        assert layout.status_code == 200 and "Nog geen database" in layout.text
    finally:
        server.stop()
