"""The three users' ways in, over real HTTP: the indicator in the province address, the framed error page and its
search, the street base map's policy."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.conftest import PUBLISHED, Server


@pytest.fixture(scope="module")
def fixture_server(fixture_db: Path):
    server = Server(fixture_db, env={**PUBLISHED, "SMART_RETAIL_MAP_TILES": "1",
                                     "SMART_RETAIL_TILES_URL": "https://tiles.example.be/grb/{z}/{x}/{y}.png"})
    yield server
    server.stop()


def test_the_province_address_carries_a_checked_indicator(fixture_server: Server) -> None:
    ok = requests.get(fixture_server.url + "/provincie/40000?indicator=chain_share_count_pct", timeout=10)
    assert ok.status_code == 200
    r = requests.get(fixture_server.url + "/provincie/40000?indicator=onzin", timeout=10)
    assert r.status_code == 404 and "Er is geen indicator 'onzin'." in r.text


def test_an_error_page_keeps_the_frame_with_navbar_search_and_demo_notice(fixture_server: Server) -> None:
    r = requests.get(fixture_server.url + "/bestaat-niet", timeout=10)
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("text/html")
    page = r.text
    assert 'class="navbar' in page and 'href="/intake"' in page and 'action="/zoek"' in page
    assert '<label class="visually-hidden" for="zoek-q">' in page and "/assets/style.css" in page
    assert "<script" not in page  # drawn without the app: it must render whatever is wrong
    # The fixture is a real-looking export, not the demo: no demo notice.
    assert "Synthetische demodata" not in page


def test_the_error_page_search_opens_the_best_match_or_says_none(fixture_server: Server) -> None:
    r = requests.get(fixture_server.url + "/zoek", params={"q": "gent"}, allow_redirects=False, timeout=10)
    assert r.status_code == 303 and r.headers["Location"].endswith("/gemeente/44021")
    r = requests.get(fixture_server.url + "/zoek", params={"q": "Atlantis"}, timeout=10)
    assert r.status_code == 404 and "Geen gemeente gevonden voor 'Atlantis'." in r.text


def test_the_policy_admits_the_configured_tile_host_and_the_map_draws_its_tiles(fixture_server: Server) -> None:
    headers = requests.get(fixture_server.url + "/", timeout=10).headers
    policy = dict(p.strip().split(" ", 1) for p in headers["Content-Security-Policy"].split(";"))
    assert policy["img-src"].endswith(" https://tiles.example.be")
    assert policy["connect-src"] == "'self' https://tiles.example.be"


def test_plotly_speaks_dutch_from_a_file_of_the_app(fixture_server: Server) -> None:
    # The plotly locale is served by the app itself, as an asset (no CDN): the page names it.
    page = requests.get(fixture_server.url + "/", timeout=10).text
    assert "/assets/plotly-locale-nl.js" in page
    js = requests.get(fixture_server.url + "/assets/plotly-locale-nl.js", timeout=10)
    assert js.status_code == 200 and '"Download plot as a PNG": "Grafiek opslaan als PNG-afbeelding"' in js.text
