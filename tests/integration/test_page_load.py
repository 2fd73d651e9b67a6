"""What a page load asks before the page's callbacks: fingerprinted files kept for good, the page in the first layout.

Through Flask's test client on the fixture database (the browser's side: tests/browser/test_pages.py).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from dash import Dash, html
from flask.testing import FlaskClient

from dashboard import static_files
from dashboard.app import create_app
from dashboard.config import load_settings
from tests.accounts import logged_in
from tests.unit.test_controls import _body as callback_body

ZSTD = {"Accept-Encoding": "gzip, deflate, br, zstd"}


@pytest.fixture(scope="module")
def app(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Dash:
    intake = tmp_path_factory.mktemp("pageload") / "i.sqlite3"
    return create_app(load_settings({"SMART_RETAIL_DB": str(fixture_db), "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{intake}",
                                     "SMART_RETAIL_WARM": "0"}))


def _addresses(index: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/(?:assets|vendor|_dash-component-suites)/[^"]+)"', index)


def test_every_file_the_index_names_is_fingerprinted_and_kept_for_good(app: Dash) -> None:
    client = logged_in(app, "vlaio")
    index = client.get("/gemeente/44021").text
    addresses = _addresses(index)
    assert len(addresses) > 15
    for address in addresses:
        with client.get(address, headers=ZSTD) as r:
            assert r.status_code == 200, address
            assert r.headers["Cache-Control"] == static_files.IMMUTABLE, address
    assert all(re.search(r"\?m=[0-9a-f]{16}$", a) for a in addresses if a.startswith("/assets/"))
    assert 'href="/vendor/bootstrap.min.css?v=' in index
    # Without its fingerprint (an error page's stylesheet, an old address) a file is asked about again.
    for bare in ("/assets/style.css", "/assets/style.css?m=1700000000.5", "/vendor/bootstrap.min.css",
                 "/_dash-component-suites/dash/dcc/async-graph.js"):
        with client.get(bare) as r:
            assert r.status_code == 200 and r.headers["Cache-Control"] == "no-cache", bare


def test_the_index_names_the_lazy_parts_of_its_page(app: Dash) -> None:
    client = logged_in(app, "vlaio")
    municipality = client.get("/gemeente/44021").text
    for chunk in ("dcc/async-graph", "dcc/async-dropdown", "dash_table/async-table", "dash_table/async-highlight"):
        assert re.search(rf'<script async src="/_dash-component-suites/dash/{chunk}\.v[\w]+m[0-9a-f]{{16}}\.js">',
                         municipality), chunk
    preload = re.search(r'<link rel="preload" as="script" id="plotly-js" href="([^"]+)">', municipality)
    assert preload and "/plotly/package_data/plotly.v" in preload.group(1)
    assert client.get(preload.group(1), headers=ZSTD).headers["Content-Encoding"] == "zstd"
    # The fiche draws no table: its index names no table chunk.
    fiche = logged_in(app, "gemeente", "44021").get("/gemeente/44021/fiche").text
    assert "async-graph" in fiche and "async-table" not in fiche


def test_a_fingerprint_follows_the_content(tmp_path: Path) -> None:
    prints = static_files.Fingerprints()
    asset = tmp_path / "style.css"
    asset.write_text("body { color: red; }")
    html = '<link rel="stylesheet" href="/assets/style.css?m=1700000000.5">'
    first = static_files.with_asset_hashes(html, str(tmp_path), prints)
    assert first == f'<link rel="stylesheet" href="/assets/style.css?m={prints.of(asset)}">'
    stat = asset.stat()
    asset.write_text("body { color: blu; }")  # same size, same modification time: still a new content
    os.utime(asset, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    second = static_files.with_asset_hashes(html, str(tmp_path), prints)
    assert second != first and prints.of(asset) in second
    asset.write_text("body { color: red; }")
    os.utime(asset, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2))
    assert static_files.with_asset_hashes(html, str(tmp_path), prints) == first  # the content, not the time


def test_an_asset_changed_on_disk_gets_a_new_address_and_the_old_one_is_no_longer_kept(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "style.css").write_text("body { color: red; }")
    app = Dash(__name__, assets_folder=str(assets))
    app.layout = html.Div("vloer")
    static_files.install(app, {})
    client = app.server.test_client()
    old = next(a for a in _addresses(client.get("/").text) if a.startswith("/assets/style.css"))
    (assets / "style.css").write_text("body { color: blue; }")
    new = next(a for a in _addresses(client.get("/").text) if a.startswith("/assets/style.css"))
    assert new != old
    with client.get(new) as r:
        assert r.text == "body { color: blue; }" and r.headers["Cache-Control"] == static_files.IMMUTABLE
    with client.get(old) as r:
        assert r.headers["Cache-Control"] == "no-cache"


def test_a_static_file_is_compressed_once_per_content_and_encoding(app: Dash) -> None:
    answers = app.server.config["COMPRESS_CACHE_BACKEND"]()
    client = app.server.test_client()
    table = "/_dash-component-suites/dash/dash_table/async-table"
    first = client.get(f"{table}.v1m{'a' * 16}.js", headers=ZSTD)
    kept = dict(answers.static)
    # A made-up fingerprint names the same file: the same entry, not a new one (no memory for the asking).
    second = client.get(f"{table}.v2m{'b' * 16}.js", headers=ZSTD)
    assert first.data == second.data and first.headers["Content-Encoding"] == "zstd"
    assert answers.static == kept and any(v == first.data for v in kept.values())


def _layout(client: FlaskClient, referer: str | None) -> dict:
    r = client.get("/_dash-layout", headers={"Referer": referer} if referer else {})
    assert r.status_code == 200
    return r.json


def _find(tree: object, component_id: str) -> dict | None:
    """Return the component with ``component_id`` in a layout's JSON."""
    if isinstance(tree, dict):
        if tree.get("props", {}).get("id") == component_id:
            return tree
        return next((f for v in tree.values() if (f := _find(v, component_id)) is not None), None)
    if isinstance(tree, list):
        return next((f for v in tree if (f := _find(v, component_id)) is not None), None)
    return None


def _router_answer(app: Dash, client: FlaskClient, pathname: str, search: str) -> object:
    output = next(k for k in app.callback_map if "_pages_content.children" in k)
    body = callback_body(output, app.callback_map[output])
    body["inputs"][0]["value"], body["inputs"][1]["value"] = pathname, search
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200
    return r.json["response"]["_pages_content"]["children"]


@pytest.mark.parametrize(("role", "nis", "path", "search"), [
    ("vlaio", None, "/gemeente/44021", "?jaar=2024"),
    ("vlaio", None, "/", ""),
    ("gemeente", "44021", "/gemeente/44021/kaart", ""),
    ("gemeente", "44021", "/gemeente/44021/fiche", ""),
])
def test_the_first_layout_holds_the_page_the_router_would_render(app: Dash, role: str, nis: str | None, path: str,
                                                                 search: str) -> None:
    client = logged_in(app, role, nis)
    layout = _layout(client, f"http://localhost{path}{search}")
    content = _find(layout, "_pages_content")
    assert content is not None and content["props"]["children"]
    assert content["props"]["children"] == json.loads(json.dumps(_router_answer(app, client, path, search)))
    location = _find(layout, "_pages_location")["props"]
    assert (location["pathname"], location["search"], location["hash"]) == (path, search, "")
    assert _find(layout, "_pages_store")["props"]["data"]["address"] == path + search


def test_a_page_the_caller_may_not_see_is_not_in_the_first_layout(app: Dash) -> None:
    mine = _layout(logged_in(app, "gemeente", "44021"), "http://localhost/gemeente/44021/kaart")
    theirs = _layout(logged_in(app, "gemeente", "11002"), "http://localhost/gemeente/44021/kaart")
    assert _find(mine, "kaart-map") is not None
    assert _find(theirs, "kaart-map") is None and '"refusal"' in json.dumps(theirs)
    visitor = app.server.test_client().get("/_dash-layout", headers={"Referer": "http://localhost/gemeente/44021"})
    assert _find(visitor.json, "gem-kpis") is None and "Aanmelden" in visitor.text
    # Not kept by a browser or a proxy: it holds what only this caller may see.
    assert logged_in(app, "vlaio").get("/_dash-layout", headers={
        "Referer": "http://localhost/gemeente/44021"}).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("referer", [None, "http://elders.example/gemeente/44021", "http://localhost/gemeente/99999",
                                     "http://localhost/gemeente/44021?jaar=1800", "http://localhost/bestaat/niet"])
def test_without_a_page_of_its_own_the_first_layout_leaves_it_to_the_router(app: Dash, referer: str | None) -> None:
    layout = _layout(logged_in(app, "vlaio"), referer)
    assert _find(layout, "_pages_content")["props"].get("children") is None
    assert "pathname" not in _find(layout, "_pages_location")["props"]


def test_the_workers_of_a_server_share_the_first_layout_of_a_page(fixture_db: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import first_page
    from dashboard.view_cache import share

    settings = load_settings({"SMART_RETAIL_DB": str(fixture_db), "SMART_RETAIL_WARM": "0",
                              "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp_path / 'i.sqlite3'}"})
    # Two apps on one database and settings are what two gunicorn workers are; a third is a test's own app.
    first, second, lone = (create_app(settings) for _ in range(3))
    for app in (first, second):
        share(app.server, tmp_path / "answers")
    rendered = first_page._rendered
    renders: list[Dash] = []
    monkeypatch.setattr(first_page, "_rendered", lambda app, *a: renders.append(app) or rendered(app, *a))
    page = "http://localhost/gemeente/44021/fiche"
    layout = _layout(logged_in(first, "vlaio"), page)
    assert _find(layout, "_pages_content")["props"]["children"] and renders == [first]
    assert _layout(logged_in(second, "vlaio"), page) == layout and renders == [first]  # read, not rendered
    assert _layout(logged_in(lone, "vlaio"), page) == layout and renders == [first, lone]
    # Another access scope never reads the layout kept for this one.
    _layout(logged_in(second, "gemeente", "44021"), page)
    assert renders == [first, lone, second]
