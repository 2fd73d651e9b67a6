"""Who may use what, in-process: a role x page/callback/download matrix generated from the slices' declared
access rules (``ACCESS`` in each ``params.py``), and forged requests for another municipality's application.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dashboard import features
from dashboard.controls import MUNICIPALITY
from dashboard.intake.store import Store
from tests.accounts import assigned_expert, fresh_app, logged_in
from tests.conftest import store_url
from tests.unit.test_controls import _body

CALLBACK = "/_dash-update-component"
#: Everyone the matrix asks for: (role, binding); ``None``: not logged in.
#: An expert's binding is the municipality of the one application it is assigned to (``None``: none).
ACTORS: tuple[tuple[str, str | None] | None, ...] = (
    None, ("gemeente", "44021"), ("gemeente", "11002"), ("provincie", "40000"), ("expert", None),
    ("expert", "44021"), ("vlaio", None), ("beheerder", None))
EXPERT_GENT = "Expert Gent"


def _name(actor: tuple[str, str | None] | None) -> str:
    return "anoniem" if actor is None else "-".join(p for p in actor if p)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def intake_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The matrix's store on each backend (the module's own: one store for all the matrix's requests)."""
    return store_url(request, tmp_path_factory)


@pytest.fixture(scope="module")
def app(fixture_db: Path, intake_db_url: str):
    app = fresh_app(fixture_db, intake_db_url)
    store: Store = app.server.extensions["smart_retail_intake"]
    # Gent (Oost-Vlaanderen, 40000) and Antwerpen (10000): the other municipality's application to forge for.
    store.create_draft("44021", "seed", {"contact_name": "Contact Gent", "email": "gent@example.be"})
    store.create_draft("11002", "seed", {"contact_name": "Contact Antwerpen", "email": "antwerpen@example.be"})
    return app


@pytest.fixture(scope="module")
def clients(app) -> dict:
    out = {}
    for actor in ACTORS:
        if actor is None:
            out[None] = app.server.test_client()
        else:
            role, binding = actor
            if role == "expert" and binding is not None:
                assigned_expert(_store(app), EXPERT_GENT, _ids(app)[binding])
                out[actor] = logged_in(app, role, name=EXPERT_GENT)
                continue
            out[actor] = logged_in(app, role, binding if role == "gemeente" else None,
                                   binding if role == "provincie" else None)
    return out


def _store(app) -> Store:
    return app.server.extensions["smart_retail_intake"]


def _ids(app) -> dict[str, int]:
    return {a.nis_code: a.id for a in _store(app).list_applications()}


def _reaches(actor, nis: str) -> bool:
    """Return whose outlets an actor sees, written out again here (not the app's code): the test's own model."""
    role, binding = actor
    province = {"1": "10000", "4": "40000"}.get(nis[0])
    return {"vlaio": True, "gemeente": binding == nis, "provincie": binding == province,
            "expert": binding == nis}.get(role, False)


def _expected(rule, actor, func: str | None = None, nis: str | None = None, public: bool = False) -> str:
    """Return what the declared rule says: ``ok``, ``login`` or ``forbidden``."""
    if rule.read is None and not rule.outlets and (public or not rule.indicators) and func not in rule.write:
        return "ok"
    if actor is None:
        return "login"
    role = actor[0]
    if rule.read is not None and role not in rule.read:
        return "forbidden"
    if func in rule.write and role not in rule.write[func]:
        return "forbidden"
    if rule.outlets and (nis is None or not _reaches(actor, nis)):
        return "forbidden"
    return "ok"


def _page_path(name: str, nis: str = "44021") -> str:
    import importlib

    page = importlib.import_module(f"dashboard.features.{name}.layout").PAGE
    path = (page.get("path_template") or page["path"]).replace("<nis>", nis).replace("<code>", "40000")
    return path.replace("<oproep>", "1").replace("<aanvraag>", "1")  # the programme's pages (issue 19)


def _page_cases() -> list[tuple[str, str | None, object]]:
    """Every page for every actor; a page of one municipality also for another one's (a forged address)."""
    return [(name, nis, actor) for name in features.SLICES
            for nis in (("44021", "11002") if "<nis>" in _page_path(name, "<nis>") else (None,)) for actor in ACTORS]


@pytest.mark.parametrize(("name", "nis", "actor"), _page_cases(),
                         ids=[f"{n}-{m or 'vl'}-{_name(a)}" for n, m, a in _page_cases()])
def test_every_page_for_every_role(app, clients, name: str, nis: str | None, actor) -> None:
    path = _page_path(name, nis or "44021")
    r = clients[actor].get(path)
    expected = _expected(features.access(name), actor, nis=nis)
    status = {"ok": 200, "login": 303, "forbidden": 403}[expected]
    assert r.status_code == status, f"{path} as {_name(actor)}: {r.status_code}"
    if expected == "login":
        assert r.headers["Location"].startswith("/login?volgende=")
    if expected == "forbidden":  # the app's own frame: the layout draws the refusal in it (see the router test)
        assert 'id="react-entry-point"' in r.text
    if not features.access(name).public:
        assert r.headers["Cache-Control"] == "no-store"


def _router_body(app, path: str) -> dict:
    output = next(k for k in app.callback_map if "_pages_content.children" in k)
    body = _body(output, app.callback_map[output])
    body["inputs"][0]["value"], body["inputs"][1]["value"] = path, ""
    return body


@pytest.mark.parametrize(("name", "nis", "actor"), _page_cases(),
                         ids=[f"{n}-{m or 'vl'}-{_name(a)}" for n, m, a in _page_cases()])
def test_every_page_through_the_page_router_for_every_role(app, clients, name: str, nis: str | None, actor) -> None:
    """A click on a link renders the page in Dash's router callback: the layout refuses inside the app's frame."""
    r = clients[actor].post(CALLBACK, json=_router_body(app, _page_path(name, nis or "44021")))
    assert r.status_code == 200, r.text[:300]
    refused = '"className":"refusal"' in r.text
    expected = _expected(features.access(name), actor, nis=nis)
    where = f"{name} {nis} as {_name(actor)}: {r.text[:300]}"
    if expected != "ok" or not name.startswith("intake"):  # the intake layouts refuse by application, too
        assert refused == (expected != "ok"), where
    assert ("refusal-login" in r.text) == (expected == "login"), where


def _callback_cases(app) -> list[tuple[str, str, str, object]]:
    owners = app.server.extensions["smart_retail_callback_owners"]
    return [(output, name, func, actor) for output, (name, func) in sorted(owners.items()) for actor in ACTORS]


def _with_nis(app, output: str, nis: str) -> tuple[dict, bool]:
    """Return the callback's request with every municipality value ``nis``, and whether it has any."""
    body = _body(output, app.callback_map[output])
    municipal = {k for k, c in features.controls().items() if c.kind is MUNICIPALITY}
    found = False
    for entry in [*body["inputs"], *body["state"]]:
        if f"{entry['id']}.{entry['property']}" in municipal:
            entry["value"], found = nis, True
    return body, found


def test_every_callback_for_every_role(app, clients) -> None:
    cases = _callback_cases(app)
    server_side = {k for k, v in app.callback_map.items() if v.get("callback") is not None and "_pages_" not in k}
    assert {c[0] for c in cases} == server_side  # every server callback has its slice's rule (Dash's router: above)
    refused = outlets_refused = 0
    for output, name, func, actor in cases:
        for nis in ("44021", "11002"):  # a municipality of the actor's and another one's (forged)
            body, municipal = _with_nis(app, output, nis)
            r = clients[actor].post(CALLBACK, json=body)
            rule = features.access(name)
            expected = _expected(rule, actor, func, nis if municipal else None)
            where = f"{name}.{func} for {nis} as {_name(actor)}: {r.status_code} {r.text[:200]}"
            if expected == "ok":
                assert r.status_code in (200, 204), where
            else:
                assert r.status_code == {"login": 401, "forbidden": 403}[expected], where
                refused += 1
                outlets_refused += rule.outlets and actor is not None
    assert refused >= 40  # the intake slices' callbacks for anonymous, expert and beheerder, at least
    assert outlets_refused >= 20  # the core map's callbacks for another municipality, at least


DOSSIER = {  # actor -> status for (Gent's dossier, Antwerpen's dossier asked under Gent's address)
    None: (303, 303), ("gemeente", "44021"): (200, 404), ("gemeente", "11002"): (404, 404),
    ("provincie", "40000"): (200, 404), ("expert", None): (404, 404), ("expert", "44021"): (200, 404),
    ("vlaio", None): (200, 404),
    ("beheerder", None): (403, 403)}


@pytest.mark.parametrize("actor", ACTORS, ids=_name)
def test_the_dossier_for_every_role(app, clients, actor) -> None:
    ids = _ids(app)
    own = clients[actor].get(f"/gemeente/44021/intake.pdf?aanvraag={ids['44021']}")
    other = clients[actor].get(f"/gemeente/44021/intake.pdf?aanvraag={ids['11002']}")
    assert (own.status_code, other.status_code) == DOSSIER[actor]
    assert own.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("actor", ACTORS, ids=_name)
def test_the_fiche_pdf_with_its_outlets_for_every_role(app, clients, actor) -> None:
    for nis in ("44021", "11002"):
        r = clients[actor].get(f"/gemeente/{nis}/fiche.pdf")
        expected = _expected(features.access("fiche"), actor, nis=nis)
        # Antwerpen has no shopping area in the fixture: whoever reaches it learns that, the others nothing.
        ok = 200 if nis == "44021" else 404
        assert r.status_code == {"ok": ok, "login": 303, "forbidden": 403}[expected], f"{nis}: {r.text[:200]}"
        assert r.headers["Cache-Control"] == "no-store"
        if expected == "ok" and ok == 200:
            assert r.headers["Content-Type"] == "application/pdf"


def test_another_municipality_s_dossier_reads_exactly_as_one_that_does_not_exist(app, clients) -> None:
    ids = _ids(app)
    gent = clients[("gemeente", "44021")]
    theirs = gent.get(f"/gemeente/11002/intake.pdf?aanvraag={ids['11002']}")
    nobody = gent.get("/gemeente/11002/intake.pdf?aanvraag=999")
    assert theirs.status_code == nobody.status_code == 404
    assert theirs.text.replace(str(ids["11002"]), "N") == nobody.text.replace("999", "N")
    latest = gent.get("/gemeente/11002/intake.pdf")  # "the latest one" of another municipality: none of yours
    assert latest.status_code == 404 and "Contact" not in latest.text


def _filled(app, prefix: str, values: dict) -> dict:
    """Return the body of the callback whose output starts with ``prefix``; the first value is the trigger."""
    output = next(k for k in app.callback_map if k.startswith(prefix))
    body = _body(output, app.callback_map[output])
    for entry in [*body["inputs"], *body["state"]]:
        entry["value"] = values.get(f"{entry['id']}.{entry['property']}", entry["value"])
    body["changedPropIds"] = [next(iter(values))]
    return body


def _save_body(app, nis: str, app_id: int | None, version: int | None) -> dict:
    return _filled(app, "..intake-app.data", {
        "intake-save.n_clicks": 1, "intake-nis.data": nis, "intake-app.data": {"id": app_id, "version": version},
        "intake-author.value": "Bart Janssens (vals)", "intake-f-contact_name.value": "Gewist",
        "intake-saved.data": {}})


def test_forged_saves_for_another_municipality_change_nothing(app, clients) -> None:
    store, ids = _store(app), _ids(app)
    before = store.get(ids["11002"])
    gent = clients[("gemeente", "44021")]
    for nis in ("44021", "11002"):  # Antwerpen's number under Gent's page and under its own
        r = gent.post(CALLBACK, json=_save_body(app, nis, ids["11002"], before.version))
        assert r.status_code == 404 and r.json["reden"] == f"Er is geen aanvraag met nummer {ids['11002']}."
    r = gent.post(CALLBACK, json=_save_body(app, "11002", None, None))  # a new application for Antwerpen
    assert r.status_code == 403
    for actor in [("provincie", "40000"), ("vlaio", None)]:  # readers, not writers
        assert clients[actor].post(CALLBACK, json=_save_body(app, "44021", ids["44021"], 1)).status_code == 403
    after = store.get(ids["11002"])
    assert (after.version, after.contact_name) == (before.version, "Contact Antwerpen")
    assert [a.nis_code for a in store.list_applications(nis="11002")] == ["11002"]


def test_the_author_of_a_save_is_the_logged_in_account_not_the_form_field(app, clients) -> None:
    store, ids = _store(app), _ids(app)
    app_id = ids["44021"]
    r = clients[("gemeente", "44021")].post(CALLBACK, json=_save_body(app, "44021", app_id, store.get(app_id).version))
    assert r.status_code == 200, r.text[:300]
    last = store.revisions(app_id)[-1]
    assert last.author == "Test gemeente 44021" and last.changes["contact_name"]["new"] == "Gewist"


def test_an_assigned_expert_writes_only_the_5b_notes_of_its_application(app, clients) -> None:
    store, ids = _store(app), _ids(app)
    gent, antwerpen = ids["44021"], ids["11002"]
    expert = clients[("expert", "44021")]
    before = store.get(gent)
    body = _save_body(app, "44021", gent, before.version)
    for entry in body["state"]:
        if entry["id"] == "intake-note-0":
            entry["value"] = "Weinig bekend buiten de gemeente."
    r = expert.post(CALLBACK, json=body)
    assert r.status_code == 200, r.text[:300]
    after = store.get(gent)
    # The forged contact name and the form's author are ignored: only the notes change, under the account's name.
    assert after.contact_name == before.contact_name and after.five_b_notes == {"Bekendheid": body["state"][
        next(i for i, e in enumerate(body["state"]) if e["id"] == "intake-note-0")]["value"]}
    last = store.revisions(gent)[-1]
    assert last.author == EXPERT_GENT and set(last.changes) == {"five_b_notes"}
    submit = _save_body(app, "44021", gent, after.version)
    submit["changedPropIds"] = ["intake-submit.n_clicks"]
    assert expert.post(CALLBACK, json=submit).status_code == 403  # only the municipality submits
    for who, app_id, nis in [(expert, antwerpen, "11002"), (expert, antwerpen, "44021"),
                             (clients[("expert", None)], gent, "44021")]:
        r = who.post(CALLBACK, json=_save_body(app, nis, app_id, store.get(app_id).version))
        assert r.status_code == 404 and r.json["reden"] == f"Er is geen aanvraag met nummer {app_id}."
    assert expert.post(CALLBACK, json=_save_body(app, "44021", None, None)).status_code == 403  # no new ones
    assert store.get(antwerpen).contact_name == "Contact Antwerpen"


def _move_body(app, app_id: int, on: str, to: str = "beoordeling") -> dict:
    return _filled(app, "..intake-list-detail-box", {
        "intake-list-move.n_clicks": 1, "intake-list-selected.data": {"id": app_id},
        "intake-list-author.value": "VLAIO-beoordelaar (vals)", "intake-list-move-to.value": to,
        "intake-list-move-date.value": on})


def test_only_vlaio_moves_a_status_never_to_a_future_date_and_under_its_own_name(app, clients) -> None:
    store, ids = _store(app), _ids(app)
    app_id = ids["11002"]
    today = dt.date.today()
    for actor in [None, ("gemeente", "11002"), ("provincie", "40000"), ("expert", None), ("expert", "44021"),
                  ("beheerder", None)]:
        r = clients[actor].post(CALLBACK, json=_move_body(app, app_id, today.isoformat()))
        assert r.status_code in (401, 403), _name(actor)
    vlaio = clients[("vlaio", None)]
    future = (today + dt.timedelta(days=400)).isoformat()
    r = vlaio.post(CALLBACK, json=_move_body(app, app_id, future, "beoordeling"))
    assert r.status_code == 200 and "ligt in de toekomst" in r.text
    assert store.get(app_id).status == "aanvraag"
    # A draft cannot be submitted while incomplete; the refusal names the fields, the step is not written.
    r = vlaio.post(CALLBACK, json=_move_body(app, app_id, today.isoformat(), "beoordeling"))
    assert r.status_code == 200 and store.get(app_id).status == "aanvraag"
    assert [s.author for s in store.status_changes(app_id)] == ["seed"]


def _listing(app, client) -> str:
    r = client.post(CALLBACK, json=_filled(app, "..intake-list-rows", {"intake-list-province.value": None}))
    assert r.status_code == 200, r.text[:300]
    return r.text.replace("\\u002f", "/")  # Dash's JSON escapes the slashes


@pytest.mark.parametrize(("actor", "sees"), [
    (("gemeente", "44021"), {"Gent"}), (("gemeente", "11002"), {"Antwerpen"}), (("provincie", "40000"), {"Gent"}),
    (("expert", None), set()), (("expert", "44021"), {"Gent"}), (("vlaio", None), {"Gent", "Antwerpen"})],
    ids=lambda v: _name(v) if isinstance(v, tuple) else "-".join(sorted(v)))
def test_the_overview_lists_only_the_applications_within_reach(app, clients, actor, sees: set[str]) -> None:
    text = _listing(app, clients[actor])
    nis = {"Gent": "44021", "Antwerpen": "11002"}
    assert {n for n, code in nis.items() if f"/gemeente/{code}/intake.pdf" in text} == sees
    assert ("Contact Antwerpen" in text) == ("Antwerpen" in sees)


def test_a_forged_page_address_shows_nothing_of_another_municipality(app, clients) -> None:
    output = next(k for k in app.callback_map if "_pages_content.children" in k)
    other = _ids(app)["11002"]
    for path in ("/gemeente/11002/intake", "/gemeente/44021/intake"):
        body = _body(output, app.callback_map[output])
        body["inputs"][0]["value"], body["inputs"][1]["value"] = path, f"?aanvraag={other}"
        r = clients[("gemeente", "44021")].post(CALLBACK, json=body)
        assert r.status_code == 200 and "antwerpen@example.be" not in r.text and "Contact Antwerpen" not in r.text
        assert "geen aanvraag met nummer" in r.text or "Geen toegang" in r.text
    body = _body(output, app.callback_map[output])
    body["inputs"][0]["value"], body["inputs"][1]["value"] = "/intake", ""
    r = clients[None].post(CALLBACK, json=body)  # a link followed without login: the page asks for it
    assert r.status_code == 200 and "refusal-login" in r.text and "Contact" not in r.text


def test_matrix_size(app) -> None:
    """The matrix's size, for the record: pages (twice: GET and router), callbacks and downloads, times every actor."""
    pages, callbacks = len(_page_cases()), len(_callback_cases(app))
    with_nis = sum("<nis>" in _page_path(n, "<nis>") for n in features.SLICES)
    assert pages == (len(features.SLICES) + with_nis) * len(ACTORS) and len(ACTORS) == 8
    print(json.dumps({"actors": len(ACTORS), "slices": len(features.SLICES), "page_requests": 2 * pages,
                      "callbacks": len({c[0] for c in _callback_cases(app)}),
                      "callback_requests": 2 * callbacks, "downloads": 2 * 2 * len(ACTORS)}))


def test_public_indicators_open_the_aggregated_pages_but_never_outlet_rows(
        fixture_db: Path, tmp_path: Path) -> None:
    public = fresh_app(fixture_db, tmp_path / "intake.sqlite3", SMART_RETAIL_PUBLIC_INDICATORS="1")
    anonymous = public.server.test_client()
    for name in features.SLICES:
        path, expected = _page_path(name), _expected(features.access(name), None, public=True)
        assert anonymous.get(path).status_code == {"ok": 200, "login": 303}[expected], name
        routed = anonymous.post(CALLBACK, json=_router_body(public, path))
        assert ('"className":"refusal"' in routed.text) == (expected != "ok"), name
    assert {n for n in features.SLICES if _expected(features.access(n), None, public=True) == "ok"} == {
        "home", "province", "municipality", "vitrine"}  # De Vitrine is public in any case: it spreads the concepts
    assert anonymous.get("/").headers.get("Cache-Control") != "no-store"  # published pages may be cached
    assert anonymous.get("/gemeente/44021/fiche.pdf").status_code == 303
    body, _ = _with_nis(public, next(k for k in public.callback_map if k.startswith("..kaart-")), "44021")
    assert anonymous.post(CALLBACK, json=body).status_code == 401
