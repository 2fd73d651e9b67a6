"""Repeated read-only callbacks come from the per-build cache; callbacks of the intake store never do.

Through Flask's test client on the fixture database; whether Dash ran is read from a counter the test
wraps around the callback, not from timings.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
from dash import Dash
from flask.testing import FlaskClient

from dashboard.app import create_app
from dashboard.config import load_settings
from dashboard.view_cache import cacheable
from tests.accounts import logged_in
from tests.traffic import Page, payloads
from tests.unit.test_controls import _body as callback_body


def _body(output: str, pathname: str | None = None) -> dict:
    inputs = [{"id": "_pages_location", "property": "pathname", "value": pathname}] if pathname else []
    return {"output": output, "inputs": inputs}


@pytest.mark.parametrize(("body", "expected"), [
    (_body("..gem-kpis.children...gem-trend.figure...{\"page\":\"gem-\",\"type\":\"url-search\"}.data.."), True),
    (_body("..{\"page\":\"home-\",\"type\":\"nav-map\"}.figure...home-map-note.children.."), True),
    (_body("search-results.children"), True),
    (_body("kaart-download.data"), False),
    (_body("..intake-app.data...intake-saved.data.."), False),
    (_body("..intake-fivb-0.children...intake-fiche-note.children...intake-experts.options...intake-experts.value"
           "...intake-suggested.data.."), True),  # the 5B analysis: the build and the request's answers only
    (_body("intake-zone-map.figure"), True),
    (_body("..intake-fivb-0.children...intake-app.data.."), False),  # one output of the store: not kept
    (_body("..{\"page\":\"intake-list\",\"type\":\"url-search\"}.data.."), False),
    (_body(".._pages_content.children..._pages_store.data..", "/gemeente/44021"), True),
    (_body(".._pages_content.children..._pages_store.data..", "/gemeente/44021/intake"), False),
    (_body(".._pages_content.children..._pages_store.data.."), False),
    ("not a callback", False),
])
def test_only_read_only_callbacks_are_kept(body: object, expected: bool) -> None:
    assert cacheable(body) is expected


def municipality_view(db_path: Path, tmp_path: Path) -> tuple[Dash, FlaskClient, dict]:
    """Return an app on ``db_path``, its test client and the body of Gent's main callback."""
    app = create_app(load_settings({"SMART_RETAIL_DB": str(db_path),
                                    "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp_path / 'i.sqlite3'}"}))
    client = logged_in(app, "vlaio")  # the indicator pages need an account by default
    deps = json.loads(client.get("/_dash-dependencies").data)
    page = Page("/gemeente/44021?jaar=2025&peers=grootte", {
        "gem-year.value": 2025, "gem-peer-mode.value": "grootte", "gem-peer-pick.value": [],
        "gem-indicator.value": "vacancy_rate_count", "gem-nis.data": "44021"})
    return app, client, next(b for n, b in payloads(deps, page) if n == "gem-kpis")


def test_a_repeated_view_skips_dash_until_the_next_build(fixture_db: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "retail.duckdb"
    shutil.copy(fixture_db, db_path)
    app, client, body = municipality_view(db_path, tmp_path)
    client.post("/_dash-update-component", json=body)  # Dash wires its callbacks on the first request
    entry = app.callback_map[body["output"]]
    calls = []
    original = entry["callback"]

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)

    entry["callback"] = counted
    app.server.extensions["smart_retail_db"].cache.clear()
    first = client.post("/_dash-update-component", json=body)
    again = client.post("/_dash-update-component", json=body)
    assert first.status_code == again.status_code == 200 and again.data == first.data
    assert len(calls) == 1

    other = {**body, "inputs": [{**i, "value": "provincie"} if i["id"] == "gem-peer-mode" else i
                                for i in body["inputs"]]}
    assert client.post("/_dash-update-component", json=other).status_code == 200
    assert len(calls) == 2  # other inputs: another answer

    stat = db_path.stat()
    os.utime(db_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a new build
    assert client.post("/_dash-update-component", json=body).status_code == 200
    assert len(calls) == 3


def test_a_kept_answer_is_compressed_once_and_other_answers_are_not_kept(fixture_db: Path, tmp_path: Path) -> None:
    app, client, body = municipality_view(fixture_db, tmp_path)
    cache = app.server.extensions["smart_retail_db"].cache
    first = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    kept = len(cache)
    again = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == again.headers["Content-Encoding"] == "gzip"
    assert again.data == first.data and json.loads(gzip.decompress(again.data))["multi"] is True
    assert len(cache) == kept  # the repeat added nothing: answer and compressed bytes were both kept
    compressed = [v for k, (v, _) in cache._entries.items() if k.kind == "compressed"]
    assert compressed == [first.data]
    for _ in range(2):  # a page's HTML is compressed too, but never kept
        assert client.get("/", headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"
    assert sum(k.kind == "compressed" for k in cache._entries) == 1


def test_one_caller_is_never_served_what_was_kept_for_a_caller_who_may_see_more(fixture_db: Path,
                                                                                 tmp_path: Path) -> None:
    # The callback is made to answer with who asks (as a page that shows an account's own data would): each
    # caller must get the answer made for a caller of its own scope, however the cache is filled.
    app, vlaio, body = municipality_view(fixture_db, tmp_path)
    vlaio.post("/_dash-update-component", json=body)  # Dash wires its callbacks on the first request
    entry = app.callback_map[body["output"]]
    original = entry["callback"]
    calls = []

    def whose(*args: object, **kwargs: object) -> object:
        from dashboard.accounts.web import current_account

        account = current_account()
        calls.append(account.email)
        return original(*args, **kwargs).replace("Gent", f"Gent voor {calls[-1]}")

    entry["callback"] = whose
    app.server.extensions["smart_retail_db"].cache.clear()
    province = logged_in(app, "provincie", province="40000")
    same_province = logged_in(app, "provincie", province="40000", origin="http://localhost")
    town = logged_in(app, "gemeente", nis="44021")

    def asks(client: FlaskClient) -> str:
        r = client.post("/_dash-update-component", json=body)
        assert r.status_code == 200
        return r.get_data(as_text=True)

    assert "Gent voor provincie-40000@test.example.be" in asks(province)
    for _ in range(2):
        assert "Gent voor vlaio-vl@test.example.be" in asks(vlaio)
        assert "Gent voor gemeente-44021@test.example.be" in asks(town)
    assert len(calls) == 3  # one answer per scope, each repeat from the cache
    assert "Gent voor provincie-40000@test.example.be" in asks(same_province)  # same role and province: shared
    assert len(calls) == 3


def test_an_answer_kept_for_one_access_scope_is_never_served_to_another(fixture_db: Path, tmp_path: Path) -> None:
    """Found by the access matrix: the page router's answer was kept for everyone, the first caller's refusal too."""
    app, _, _ = municipality_view(fixture_db, tmp_path)
    output = next(k for k in app.callback_map if "_pages_content.children" in k)
    body = callback_body(output, app.callback_map[output])
    body["inputs"][0]["value"], body["inputs"][1]["value"] = "/gemeente/44021/kaart", ""
    antwerpen = logged_in(app, "gemeente", "11002").post("/_dash-update-component", json=body)
    gent = logged_in(app, "gemeente", "44021").post("/_dash-update-component", json=body)
    assert '"className":"refusal"' in antwerpen.text
    assert '"className":"refusal"' not in gent.text and "kaart-map" in gent.text


def test_the_5b_analysis_of_the_same_answers_is_kept_per_caller(fixture_db: Path, tmp_path: Path) -> None:
    from tests.traffic import intake_values

    app = create_app(load_settings({"SMART_RETAIL_DB": str(fixture_db),
                                    "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp_path}/intake.sqlite3"}))
    town = logged_in(app, "gemeente", nis="44021")
    deps = json.loads(town.get("/_dash-dependencies").data)
    page = Page("/gemeente/44021/intake", intake_values("44021"))
    body = next(b for n, b in payloads(deps, page) if n == "intake-fivb-0")
    assert town.post("/_dash-update-component", json=body).status_code == 200  # Dash wires its callbacks
    entry = app.callback_map[body["output"]]
    original, calls = entry["callback"], []
    entry["callback"] = lambda *a, **k: calls.append(1) or original(*a, **k)
    app.server.extensions["smart_retail_db"].cache.clear()
    first = town.post("/_dash-update-component", json=body)
    assert first.status_code == 200 and "fivb-signals" in first.get_data(as_text=True)
    assert town.post("/_dash-update-component", json=body).data == first.data and calls == [1]
    answered = [{**i, "value": "Leegstand in de winkelstraat."} if i["id"] == "intake-f-challenge" else i
                for i in body["inputs"]]
    assert town.post("/_dash-update-component", json={**body, "inputs": answered}).status_code == 200
    assert calls == [1, 1]  # other answers: computed
    expert = logged_in(app, "vlaio")  # another caller: its own answer, never the town's
    assert expert.post("/_dash-update-component", json=body).status_code == 200 and calls == [1, 1, 1]


def test_the_workers_of_a_server_share_their_kept_answers(fixture_db: Path, tmp_path: Path) -> None:
    from dashboard.view_cache import share

    # Two apps on one database and settings: what two gunicorn workers are.
    first_app, first, body = municipality_view(fixture_db, tmp_path)
    second_app, second, _ = municipality_view(fixture_db, tmp_path)
    lone_app, lone, _ = municipality_view(fixture_db, tmp_path)  # a test's or a command's app: not shared
    for app in (first_app, second_app):
        share(app.server, tmp_path / "answers")
    calls = []
    for app, client in ((first_app, first), (second_app, second), (lone_app, lone)):
        client.post("/_dash-update-component", json={**body, "inputs": []})  # Dash wires its callbacks
        entry = app.callback_map[body["output"]]
        entry["callback"] = (lambda original, name: lambda *a, **k: calls.append(name) or original(*a, **k))(
            entry["callback"], app)
    answer = first.post("/_dash-update-component", json=body)
    assert answer.status_code == 200 and calls == [first_app]
    assert second.post("/_dash-update-component", json=body).data == answer.data and calls == [first_app]
    assert lone.post("/_dash-update-component", json=body).data == answer.data and calls == [first_app, lone_app]
    town = logged_in(second_app, "gemeente", nis="44021")  # another scope: never the reader's answer
    town.post("/_dash-update-component", json=body)
    assert calls == [first_app, lone_app, second_app]
