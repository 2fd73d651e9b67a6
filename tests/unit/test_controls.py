"""Every value a callback takes is declared, and the guard checks it by position, in-process.

The forged requests are generated from the declarations (``dashboard.controls``): for every control, each
of its kind's forgeries (wrong type, out of range, oversized) and the value moved under a renamed id.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import features
from dashboard.app import create_app
from dashboard.config import load_settings
from dashboard.controls import Control
from dashboard.data.db import Database
from dashboard.intake.store import current_store
from dashboard.vocab import Known, read_known
from tests.accounts import logged_in
from tests.traffic import pages_for, payloads

CALLBACK = "/_dash-update-component"


@pytest.fixture(scope="module")
def app(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory):
    intake = tmp_path_factory.mktemp("intake") / "intake.sqlite3"
    app = create_app(load_settings({"SMART_RETAIL_DB": str(fixture_db),
                                    "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{intake}"}))
    # Dash adds its page router on the first request (the pages themselves need a login).
    assert app.server.test_client().get("/login").status_code == 200
    return app


@pytest.fixture(scope="module")
def client(app):
    # VLAIO reaches every municipality: the values are what these tests check, not who sends them.
    return logged_in(app, "vlaio")


@pytest.fixture(scope="module")
def known(fixture_db: Path) -> Known:
    return read_known(Database(fixture_db))


@pytest.fixture()
def request_log() -> Iterator[list[str]]:
    """The lines the request log writes during the test."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = Keep()
    logger = logging.getLogger("smart_retail.requests")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def _concrete(component_id: str) -> object:
    """Return an id the browser could send for a declared id (a pattern's wildcards filled in)."""
    if not component_id.startswith("{"):
        return component_id
    return {k: "home-" if isinstance(v, list) else v for k, v in json.loads(component_id).items()}


def _outputs(output: str) -> list[dict] | dict:
    parts = [p for p in output.strip(".").split("...") if p] if output.startswith("..") else [output]
    items = [{"id": _concrete(p.rsplit(".", 1)[0]), "property": p.rsplit(".", 1)[1]} for p in parts]
    return items if output.startswith("..") else items[0]


def _body(output: str, callback: dict, at: str | None = None, value: object = None, rename: bool = False) -> dict:
    """Return a request for ``callback``: every value ``None`` (nothing chosen yet), but ``value`` at key ``at``."""
    body: dict = {"output": output, "outputs": _outputs(output), "changedPropIds": []}
    for section in ("inputs", "state"):
        body[section] = []
        for dep in callback[section]:
            key = f"{dep['id']}.{dep['property']}"
            entry = {"id": _concrete(dep["id"]), "property": dep["property"], "value": None}
            if key == at:
                entry["value"] = value
                if rename:
                    entry["id"] = "unchecked-id"
            body[section].append(entry)
    return body


def _server_callbacks(app) -> dict[str, dict]:
    return {k: v for k, v in app.callback_map.items() if v.get("callback") is not None}


def test_every_input_and_state_of_every_callback_is_declared(app) -> None:
    declared = features.controls()
    taken = {f"{d['id']}.{d['property']}" for cb in app.callback_map.values() for d in [*cb["inputs"], *cb["state"]]}
    assert taken - set(declared) == set()
    assert len(taken) > 60  # all pages' callbacks are registered on this app


def test_a_control_nobody_declared_is_refused(app, client, monkeypatch: pytest.MonkeyPatch) -> None:
    output, callback = next((k, v) for k, v in _server_callbacks(app).items() if k == "search-results.children")
    from dashboard import guard

    monkeypatch.setattr(guard, "features", type("F", (), {"controls": staticmethod(dict)}))
    fresh = create_app(load_settings({"SMART_RETAIL_DB": str(app.server.extensions["smart_retail_db"].path),
                                      "SMART_RETAIL_INTAKE_DB_URL": "sqlite://"}))
    r = fresh.server.test_client().post(CALLBACK, json=_body(output, callback))
    assert r.status_code == 400 and "niet kent" in r.json["reden"]


def _forgeries(app, known: Known) -> list[tuple[str, str, str, object, bool]]:
    """Return (callback, control key, what, value, renamed) for every declared control of every callback."""
    declared: dict[str, Control] = features.controls()
    out = []
    for output, callback in sorted(_server_callbacks(app).items()):
        for dep in [*callback["inputs"], *callback["state"]]:
            key = f"{dep['id']}.{dep['property']}"
            out += [(output, key, what, value, False) for what, value in declared[key].kind.forgeries(known)]
            if not dep["id"].startswith("{"):
                out.append((output, key, "renamed", declared[key].kind.forgeries(known)[0][1], True))
    return out


def test_forged_values_generated_from_the_declarations_are_refused(app, client, known: Known,
                                                                    request_log: list[str]) -> None:
    cases = _forgeries(app, known)
    assert len(cases) > 300
    for output, key, what, value, renamed in cases:
        r = client.post(CALLBACK, json=_body(output, app.callback_map[output], key, value, renamed))
        assert r.status_code == 400, f"{output} {key} {what} {str(value)[:60]}: {r.status_code} {r.text[:200]}"
        assert r.json["fout"] == "Ongeldige aanvraag"
    assert not any("Traceback" in line for line in request_log)
    with app.server.app_context():
        assert current_store().list_applications() == []  # no forged save got through


def test_a_valid_value_moved_under_another_id_is_refused(app, client) -> None:
    # The id the client writes is compared with the declaration: a year cannot hide as "unchecked-id".
    output = next(k for k, v in app.callback_map.items() if k.startswith("..intake-app.data"))
    body = _body(output, app.callback_map[output], "intake-nis.data", "44021")
    body["state"][[s["id"] for s in body["state"]].index("intake-nis")]["id"] = "unchecked-id"
    r = client.post(CALLBACK, json=body)
    assert r.status_code == 400 and "passen niet" in r.json["reden"]


def test_real_callbacks_of_every_page_answer(app, client) -> None:
    dependencies = client.get("/_dash-dependencies").json
    done = set()
    for page in pages_for([2024, 2025], ["44021", "41002"], ["40000"]):
        # Each page as the account that may use it: the municipality itself for its outlets and its applications.
        as_who = logged_in(app, *page.account) if page.account else client
        for name, body in payloads(dependencies, page):
            r = as_who.post(CALLBACK, json=body)
            assert r.status_code in (200, 204), f"{page.url} {name}: {r.text[:300]}"
            done.add(body["output"])
    assert len(done) >= 12


@pytest.mark.parametrize(("search", "status"), [
    ("?aanvraag=99999999999999999999", 400),
    ("?aanvraag=12abc", 400),
    ("?aanvraag=" + "9" * 9, 200),  # well formed: the page itself says there is no such application
])
def test_page_router_checks_the_address_like_a_get(app, client, search: str, status: int) -> None:
    output = next(k for k in app.callback_map if "_pages_content.children" in k)
    body = _body(output, app.callback_map[output])
    body["inputs"][0]["value"], body["inputs"][1]["value"] = "/gemeente/44021/intake", search
    r = client.post(CALLBACK, json=body)
    assert r.status_code == status, r.text[:300]


def test_router_refuses_unknown_values_in_the_path(app, client) -> None:
    output = next(k for k in app.callback_map if "_pages_content.children" in k)
    for path, search in [("/gemeente/99999", ""), ("/provincie/40000", "?jaar=1850"), ("/intake", "?status=klaar")]:
        body = _body(output, app.callback_map[output])
        body["inputs"][0]["value"], body["inputs"][1]["value"] = path, search
        assert client.post(CALLBACK, json=body).status_code == 404, path + search


def test_a_fault_in_a_view_is_a_500_with_its_traceback_logged_once(app, client, monkeypatch: pytest.MonkeyPatch,
                                                                  request_log: list[str]) -> None:
    from dashboard.features.home import callbacks

    def broken(*_args: object) -> None:
        raise KeyError("kolom_die_er_niet_is")

    monkeypatch.setattr(callbacks, "home_view", broken)
    output = next(k for k in app.callback_map if "home-kpis.children" in k)
    body = _body(output, app.callback_map[output], "home-year.value", max(app.server.extensions[
        "smart_retail_known"].get().years))
    r = client.post(CALLBACK, json=body)
    assert r.status_code == 500
    errors = [json.loads(line) for line in request_log if '"event": "error"' in line]
    assert len(errors) == 1
    assert "KeyError: 'kolom_die_er_niet_is'" in errors[0]["traceback"] and "home_view" not in r.text
    assert errors[0]["id"] in r.json["reden"]  # the user can quote the code the log line carries


@pytest.mark.parametrize(("path", "status"), [
    ("/_dash-component-suites/os/path.py", 404),
    ("/_dash-component-suites/dashboard/app.py", 404),
    ("/_dash-component-suites/../../etc/passwd", 404),
    ("/_dash-component-suites/dash/nonexistent.js", 404),  # a package Dash serves, a file it does not
    ("/_dash-component-suites/dash_bootstrap_components/../../x.py", 404),
])
def test_unknown_component_suites_answer_404_without_a_traceback(client, request_log: list[str], path: str,
                                                                 status: int) -> None:
    assert client.get(path).status_code == status
    assert not any("Traceback" in line or '"event": "error"' in line for line in request_log)


def test_absurd_json_depth_and_oversized_bodies_are_refused_before_dash(client, request_log: list[str]) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    assert client.post(CALLBACK, data=deep, content_type="application/json").status_code == 400
    nested = '{"output": "search-results.children", "x": ' + "[" * 40 + "]" * 40 + "}"
    r = client.post(CALLBACK, data=nested, content_type="application/json")
    assert r.status_code == 400 and "diep" in r.json["reden"]
    big = json.dumps({"output": "search-results.children", "x": "x" * 3_000_000})
    assert client.post(CALLBACK, data=big, content_type="application/json").status_code == 413
    assert client.post("/health", data="x" * 3_000_000).status_code in (405, 413)
    assert not any("Traceback" in line or '"event": "error"' in line for line in request_log)


def test_the_component_suites_the_page_names_are_served(client) -> None:
    import re

    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', client.get("/").text)
    assert len(scripts) > 5
    for src in scripts:
        assert client.get(src).status_code == 200, src


@pytest.mark.parametrize("changed", ["{bad.n_clicks", "search-input.value", 42, "x" * 600, "geen-punt"])
def test_changed_prop_ids_must_name_an_input_of_the_callback(app, client, changed: object,
                                                             request_log: list[str]) -> None:
    # Dash parses them into ctx.triggered_id: a malformed one was a 500 with a traceback.
    output = next(k for k in app.callback_map if "table-download" in k)
    body = _body(output, app.callback_map[output])
    body["changedPropIds"] = [changed]
    r = client.post(CALLBACK, json=body)
    assert r.status_code == 400 and "changedPropIds" in r.json["reden"]
    body["changedPropIds"] = ['{"format":"csv","table":"home-","type":"table-dl"}.n_clicks']
    assert client.post(CALLBACK, json=body).status_code != 400
    assert not any('"event": "error"' in line for line in request_log)


def test_a_table_download_with_what_the_page_drew_answers_a_csv(app, client) -> None:
    from dashboard.features.home.view import TABLE_COLUMNS

    meta = {"columns": {k: list(v) for k, v in TABLE_COLUMNS.items()}, "filename": "vlaanderen-2025",
            "link_column": "name", "year": 2025}
    output = next(k for k in app.callback_map if "table-download" in k)
    body = _body(output, app.callback_map[output])
    body["inputs"][0]["value"] = 1
    body["state"][0]["value"] = [{"name": "[Gent](/gemeente/44021)", "outlets_total": 9}]
    body["state"][1]["value"] = meta
    body["changedPropIds"] = ['{"format":"csv","table":"home-","type":"table-dl"}.n_clicks']
    r = client.post(CALLBACK, json=body)
    assert r.status_code == 200
    csv = next(iter(r.json["response"].values()))["data"]["content"]
    header, row = (line.split(";") for line in csv.splitlines()[:2])
    assert row[header.index("Gemeente")] == "Gent" and row[header.index("Verkooppunten")] == "9"


def test_a_table_xlsx_says_its_source_year_and_build_on_a_second_sheet(app, client) -> None:
    import base64
    import io

    import pandas as pd

    from dashboard.data import queries
    from dashboard.features.home.view import TABLE_COLUMNS

    meta = {"columns": {k: list(v) for k, v in TABLE_COLUMNS.items()}, "filename": "vlaanderen-2025",
            "link_column": "name", "year": 2025}
    output = next(k for k in app.callback_map if "table-download" in k)
    body = _body(output, app.callback_map[output])
    body["inputs"][1]["value"] = 1
    body["state"][0]["value"] = [{"name": "[Gent](/gemeente/44021)", "outlets_total": 9}]
    body["state"][1]["value"] = meta
    body["changedPropIds"] = ['{"format":"xlsx","table":"home-","type":"table-dl"}.n_clicks']
    r = client.post(CALLBACK, json=body)
    assert r.status_code == 200
    payload = next(iter(r.json["response"].values()))["data"]
    sheets = pd.read_excel(io.BytesIO(base64.b64decode(payload["content"])), sheet_name=None)
    assert list(sheets) == ["Smart Retail", "Bron"]
    assert sheets["Smart Retail"].loc[0, "Gemeente"] == "Gent"  # the table's sheet is a plain table
    about = dict(zip(sheets["Bron"].iloc[:, 0], sheets["Bron"].iloc[:, 1].astype(str), strict=True))
    info = queries.build_info(app.server.extensions["smart_retail_db"])
    assert about["Bron"] == info["source_label"] and about["Inventarisjaar"] == "2025"
    assert about["Build"].startswith(info["build_id"] + ", gebouwd op ")
    meta["year"] = 1066  # a year the build does not hold is no table the page drew
    assert client.post(CALLBACK, json=body).status_code == 400


def _call(app, client, prefix: str, values: dict) -> object:
    """Post the callback whose output starts with ``prefix``: ``values`` by key, every other value ``None``."""
    output = next(k for k in app.callback_map if k.startswith(prefix))
    body = _body(output, app.callback_map[output])
    for entry in [*body["inputs"], *body["state"]]:
        entry["value"] = values.get(f"{entry['id']}.{entry['property']}", entry["value"])
    body["changedPropIds"] = [next(iter(values))]
    return client.post(CALLBACK, json=body)


@pytest.mark.parametrize(("role", "prefix", "values"), [
    ("vlaio", "..intake-list-detail-box", {"intake-list-move.n_clicks": 1, "intake-list-selected.data": {"id": 999},
                                           "intake-list-author.value": "Jan",
                                           "intake-list-move-to.value": "beoordeling"}),
    ("gemeente", "..intake-app.data", {"intake-save.n_clicks": 1, "intake-app.data": {"id": 999, "version": 1},
                                       "intake-nis.data": "44021", "intake-author.value": "Jan"}),
    ("vlaio", "intake-list-evaluation-box", {"intake-list-eval-year.value": 2025,
                                             "intake-list-selected.data": {"id": 999}}),
])
def test_an_application_that_does_not_exist_is_a_404_not_a_fault(app, role: str, prefix: str, values: dict,
                                                                  request_log: list[str]) -> None:
    client = logged_in(app, role, "44021" if role == "gemeente" else None)
    r = _call(app, client, prefix, values)
    assert r.status_code == 404 and r.json["reden"] == "Er is geen aanvraag met nummer 999."
    assert not any('"event": "error"' in line for line in request_log)
