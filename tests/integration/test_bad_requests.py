"""The app under bad requests, over real HTTP (gunicorn): a clear 4xx in Dutch, never a 500 with a trace.

Valid addresses keep serving the Dash app; unknown codes, years, indicators and areas answer 404,
malformed ones 400, oversized ones 414; forged callback payloads answer 400 (or 204, "nothing to
update"). The request log is one JSON line per request, without query values or personal data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from tests.accounts import http_session
from tests.conftest import Server
from tests.traffic import _outputs, pages_for, payloads


@pytest.fixture(scope="module")
def server(fixture_db: Path):
    server = Server(fixture_db)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dependencies(server: Server) -> list[dict]:
    return requests.get(server.url + "/_dash-dependencies", timeout=30).json()


VALID = ["/", "/gemeente/44021", "/gemeente/44021?jaar=2025&peers=provincie", "/gemeente/44021?peers=41002,44021",
         "/gemeente/41002?jaar=2024&utm_source=nieuwsbrief", "/provincie/40000", "/provincie/10000?jaar=2025",
         "/gemeente/44021?indicator=vacancy_rate_count", "/404", "/gemeente/44021/kaart",
         "/gemeente/44021/kaart?jaar=2025&sinds=2024&gebied=WG1", "/gemeente/44021/fiche?gebied=WG1&jaar=2025",
         "/gemeente/44021/intake", "/intake", "/intake?provincie=40000&status=intake"]

BAD = [
    ("/gemeente/99999", 404, "Er is geen Vlaamse gemeente met NIS-code '99999'"),
    ("/gemeente/62063", 404, "geen Vlaamse gemeente"),  # Liège: Belgian, not Flemish
    ("/gemeente/abc", 400, "is geen NIS-code"),
    ("/gemeente/44021%27%20or%201=1", 400, "is geen NIS-code"),
    ("/gemeente/99999/kaart", 404, "Er is geen Vlaamse gemeente met NIS-code '99999'"),
    ("/gemeente/44021/kaart?sinds=1999", 404, "Voor 1999 zijn er geen gegevens"),
    ("/gemeente/44021/kaart?gebied=WG9", 404, "geen winkelgebied met id 'WG9'"),
    ("/gemeente/41002/fiche.pdf?gebied=WG1", 404, "ligt niet in gemeente 41002"),
    ("/gemeente/44021/extra/deel", 404, "verwijst naar geen"),
    ("/provincie/99999", 404, "Er is geen Vlaamse provincie met code '99999'"),
    ("/provincie/", 404, "verwijst naar geen"),
    ("/onbestaand", 404, "verwijst naar geen"),
    ("/gemeente/44021?jaar=2031", 404, "Voor 2031 zijn er geen gegevens"),
    ("/gemeente/44021?jaar=twintig", 400, "is geen jaartal"),
    ("/gemeente/44021?jaar=2025&jaar=2024", 400, "meer dan één keer"),
    ("/provincie/40000?jaar=1999", 404, "geen gegevens"),
    ("/gemeente/44021?peers=11002,99999", 404, "Onbekende NIS-code(s) in 'peers': 99999"),
    ("/gemeente/44021?peers=alles", 400, "'peers' is 'grootte', 'provincie'"),
    ("/gemeente/44021?indicator=geluk", 404, "Er is geen indicator 'geluk'"),
    ("/gemeente/44021?gebied=WG9", 404, "geen winkelgebied met id 'WG9'"),
    ("/gemeente/41002?gebied=WG1", 404, "ligt niet in gemeente 41002"),
    ("/gemeente/44021?jaar=" + "9" * 3000, 414, "te lang"),
    ("/gemeente/" + "4" * 600, 414, "te lang"),
    ("/gemeente/44021?jaar=%ff%fe", 400, "is geen jaartal"),
    ("/gemeente/44021?jaar=%00", 400, "is geen jaartal"),
    ("/gemeente/44021/intake?aanvraag=1%3B%20drop", 400, "aanvraag"),
    ("/gemeente/44021/intake.pdf?aanvraag=-1", 400, "aanvraag"),
    ("/intake?status=klaar", 404, "Er is geen status 'klaar'"),
    ("/intake?provincie=12345", 404, "Er is geen Vlaamse provincie met code '12345'"),
]


@pytest.fixture(scope="module")
def gent(server: Server) -> requests.Session:
    """Gent's account: it may open its own intake page and the overview of its applications."""
    return http_session(server.url, server.intake_db, "gemeente", "44021")


@pytest.mark.parametrize("url", VALID)
def test_valid_address_serves_the_app(server: Server, gent: requests.Session, url: str) -> None:
    r = gent.get(server.url + url, timeout=30)
    assert r.status_code == 200
    assert '<html lang="nl">' in r.text and "_dash-config" in r.text


@pytest.mark.parametrize(("url", "status", "reason"), BAD)
def test_bad_address_answers_a_dutch_4xx(server: Server, url: str, status: int, reason: str) -> None:
    r = requests.get(server.url + url, timeout=30)
    assert r.status_code == status, r.text[:300]
    assert reason in r.text
    assert "Traceback" not in r.text and '<html lang="nl">' in r.text
    assert "_dash-config" not in r.text  # not the app with a friendly message: a real 4xx


@pytest.mark.parametrize(("url", "location"), [
    ("/gemeente/44034?jaar=2024", "/gemeente/44087?jaar=2024"),  # Lochristi before the 2025 merger
    ("/gemeente/44049", "/gemeente/44083"),  # Nevele, merged into Deinze in 2019
])
def test_code_of_before_a_merger_redirects_to_the_municipality_it_became(server: Server, url: str,
                                                                         location: str) -> None:
    r = requests.get(server.url + url, timeout=30, allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"].endswith(location)


def test_api_clients_get_the_reason_as_json(server: Server) -> None:
    r = requests.get(server.url + "/gemeente/99999", headers={"Accept": "application/json"}, timeout=30)
    assert r.status_code == 404 and r.json()["reden"] == "Er is geen Vlaamse gemeente met NIS-code '99999'."


def _real(dependencies: list[dict], page_url: str, name: str) -> dict:
    pages = {p.url.split("?")[0]: p for p in pages_for([2024, 2025], ["44021"], ["40000"])}
    return next(body for n, body in payloads(dependencies, pages[page_url]) if n == name)


def _with(body: dict, key: str, value: object) -> dict:
    out = json.loads(json.dumps(body))
    for item in [*out["inputs"], *out["state"]]:
        if f"{item['id']}.{item['property']}" == key:
            item["value"] = value
    return out


# Forged values of every declared control are generated from the declarations: tests/unit/test_controls.py.
# Over HTTP: the forgery of the review (a save whose NIS code travels under another id) and a chunked body.

def test_a_save_with_its_nis_code_under_a_renamed_id_stores_nothing(server: Server, dependencies: list[dict]) -> None:
    dep = next(d for d in dependencies if d["output"].startswith("..intake-app.data"))
    for nis in ("99999", "<b>", "0"):
        state = [{"id": s["id"], "property": s["property"], "value": None} for s in dep["state"]]
        for entry in state:
            if entry["id"] == "intake-nis":
                entry.update(id="unchecked-id", value=nis)
            elif entry["id"] == "intake-app":
                entry["value"] = {"id": None, "version": None}
            elif entry["id"] == "intake-author":
                entry["value"] = "Vervalser"
        body = {"output": dep["output"], "outputs": [], "changedPropIds": ["intake-save.n_clicks"],
                "inputs": [{"id": i["id"], "property": i["property"], "value": 1} for i in dep["inputs"]],
                "state": state}
        body["outputs"] = _outputs(dep["output"])
        r = requests.post(server.url + "/_dash-update-component", json=body, timeout=30)
        assert r.status_code == 400 and "De waarden passen niet" in r.json()["reden"], r.text[:300]
    vlaio = http_session(server.url, server.intake_db, "vlaio")
    overview = vlaio.post(server.url + "/_dash-update-component", timeout=30,
                          json=_real(dependencies, "/intake", "intake-list-rows"))
    assert overview.status_code == 200
    assert "99999" not in overview.text and "unchecked" not in overview.text


@pytest.mark.server
def test_a_chunked_body_over_the_limit_answers_413_without_a_traceback(server: Server) -> None:
    def chunks():
        yield b'{"output": "search-results.children", "x": "'
        for _ in range(10):
            yield b"x" * 1_000_000
        yield b'"}'

    r = requests.post(server.url + "/_dash-update-component", data=chunks(), timeout=60,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text[:300]
    assert "Traceback" not in server.log()
    small = json.dumps(_with(_real(requests.get(server.url + "/_dash-dependencies", timeout=30).json(), "/",
                                   "search-results"), "search-input.value", "Gent")).encode()
    r = requests.post(server.url + "/_dash-update-component", data=iter([small[:10], small[10:]]), timeout=30,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and "44021" in r.text  # a chunked body within the cap is served


FORGED_BODIES = [
    (b"", "JSON-object"),
    (b"{not json", "JSON-object"),
    (b"[1, 2]", "JSON-object"),
    (b'{"output": "nope.children", "outputs": {}, "inputs": []}', "Onbekende callback"),
    (b'{"output": 5}', "Onbekende callback"),
    (b'{"output": "search-results.children", "outputs": {"id": "search-results", "property": "children"}, '
     b'"inputs": "search-input"}', "moet een lijst zijn"),
    (b'{"output": "search-results.children", "outputs": {"id": "search-results", "property": "children"}, '
     b'"inputs": [{"value": 1}]}', "'id' en een 'property'"),
    (b'{"output": "search-results.children", "outputs": {"id": "search-input", "property": "value"}, '
     b'"inputs": [{"id": "search-input", "property": "value", "value": "x"}]}', "passen niet"),
    (b'{"output": "..{\\"page\\":\\"home-\\",\\"type\\":\\"nav-map\\"}.figure...home-map-note.children..", '
     b'"outputs": [{"id": "{\\"page\\":\\"home-\\",\\"type\\":\\"nav-map\\"}", "property": "figure"}, '
     b'{"id": "home-map-note", "property": "children"}], "inputs": []}', "passen niet"),
]


@pytest.mark.parametrize(("body", "reason"), FORGED_BODIES)
def test_forged_callback_body_answers_400(server: Server, body: bytes, reason: str) -> None:
    r = requests.post(server.url + "/_dash-update-component", data=body, timeout=30,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and reason in r.json()["reden"]


def test_real_callbacks_still_answer(server: Server, dependencies: list[dict]) -> None:
    for page in pages_for([2024, 2025], ["44021", "41002"], ["40000"]):
        who = http_session(server.url, server.intake_db, *page.account) if page.account else requests.Session()
        for name, body in payloads(dependencies, page):
            r = who.post(server.url + "/_dash-update-component", json=body, timeout=60)
            assert r.status_code in (200, 204), f"{page.url} {name}: {r.text[:300]}"


def test_health_tells_presence_freshness_and_build(server: Server) -> None:
    body = requests.get(server.url + "/health", timeout=30).json()
    assert body["status"] == "ok" and body["fresh"] is True
    assert 0 <= body["age_hours"] < 1 and body["max_age_days"] == 400 and len(body["build_id"]) == 12


@pytest.mark.server
def test_unreadable_database_answers_503_not_500(tmp_path: Path) -> None:
    db = tmp_path / "kapot.duckdb"
    db.write_bytes(b"dit is geen DuckDB-bestand" * 1000)
    server = Server(db)
    try:
        r = requests.get(server.url + "/health", timeout=30)
        assert r.status_code == 503 and r.json()["status"] == "unreadable"
        layout = requests.get(server.url + "/_dash-layout", timeout=30)
        assert layout.status_code == 200 and "Database onleesbaar" in layout.text
    finally:
        server.stop()


def test_request_log_is_json_lines_without_values(server: Server, gent: requests.Session) -> None:
    gent.get(server.url + "/gemeente/44021?jaar=2025&peers=41002,44021&email=jan@example.be", timeout=30)
    requests.get(server.url + "/gemeente/99999", timeout=30)
    requests.post(server.url + "/_dash-update-component", timeout=30,
                  json=_with(_real(requests.get(server.url + "/_dash-dependencies", timeout=30).json(), "/",
                                   "search-results"), "search-input.value", "Jan Janssens Kerkstraat 1"))
    log = "\n".join(line for line in server.log().splitlines() if line.startswith("{"))  # gunicorn's own aside
    entries = [json.loads(line) for line in log.splitlines()]
    requests_ = [e for e in entries if e.get("event") == "request"]
    assert {"method", "route", "status", "ms", "build"} <= set(requests_[-1])
    page = next(e for e in requests_ if e["route"] == "/gemeente/<nis>" and e["status"] == 200 and e.get("params"))
    assert page["params"] == ["jaar", "peers"] and page["build"]
    assert any(e["route"] == "/gemeente/<nis>" for e in requests_ if e["status"] == 404)
    assert any(e.get("callback") == "search-results.children" for e in requests_)
    for secret in ("jan@example.be", "Janssens", "Kerkstraat", "127.0.0.1", "41002,44021", "python-requests"):
        assert secret not in log
