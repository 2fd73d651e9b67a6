"""Requests a person (or a script) can get wrong, answered with a clear 4xx; and one log line per request.

Dash renders its pages in the browser, so on its own every address answers 200 and the browser shows
a friendly "not found". Before any page is served, the guard checks the path and query values:

- the path must be a registered page (``dash.page_registry``, path templates included) or a route of
  the Flask server; every ``<variable>`` in it and every known query parameter is checked against the
  current database by *name* (:data:`dashboard.params.CHECKS`), for a GET and for Dash's page router
  alike; an unknown value answers 404, a malformed one 400, an oversized path or query 414;
- a callback (``/_dash-update-component``) must be a JSON object (at most :data:`MAX_DEPTH` deep)
  naming a callback of the app; its inputs and states are checked *by position* against the controls
  the callback declared (:mod:`dashboard.controls`); the id the client writes must be the declared one;
- every body is capped by Flask's ``MAX_CONTENT_LENGTH`` (chunked ones too: 413); a component suite
  Dash does not serve answers 404 before Dash looks for it.

One error policy: :class:`~dashboard.errors.RejectedError` is a deliberate refusal (a Dutch 4xx);
any other exception is a fault: a 500 whose one log line carries the traceback and the request id
the user's message shows. Refusals never log a traceback.

The request log is one JSON line per request on stderr (``smart_retail.requests``): id, method, route,
status, duration, build id and the *names* of the query parameters. Never values, bodies, IP
addresses or user agents: search terms and picked municipalities stay out of the log.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
import sys
import time
import traceback
import uuid
from urllib.parse import parse_qs, urlencode

import dash
import duckdb
import flask
from dash.fingerprint import check_fingerprint
from werkzeug.exceptions import HTTPException
from werkzeug.sansio.response import Response as BaseResponse
from werkzeug.wrappers import Response

from dashboard import audit, features, params
from dashboard.accounts.access import LoginRequiredError, enforce, public_indicators
from dashboard.accounts.oidc import RETURN_PATH as OIDC_RETURN_PATH
from dashboard.accounts.web import LOGIN_PATH, check_origin, csp, current_account, harden
from dashboard.controls import MUNICIPALITY, Control
from dashboard.data import queries
from dashboard.data.db import Database, DatabaseMissingError
from dashboard.errors import MovedError, RejectedError
from dashboard.figures.maps import TileSource
from dashboard.vocab import Known, KnownCache

__all__ = ["Known", "MovedError", "RejectedError", "install"]

MAX_PATH = 512
MAX_QUERY = 2048
#: The largest body any request may carry (a callback with a whole intake form is far below).
MAX_BODY = 2_000_000
#: Deepest JSON a callback may hold: Dash's own payloads stay below 10.
MAX_DEPTH = 32
DASH_INDEX_RULES = ("/", "/<path:path>")
CALLBACK_PATH = "/_dash-update-component"
SUITES_PREFIX = "/_dash-component-suites/"
ROUTER_INPUTS = ("_pages_location.pathname", "_pages_location.search")

log = logging.getLogger("smart_retail.requests")


# -- callback values, by position, against the declared controls ----------------------------------------

def _id_matches(declared: str, sent: object) -> bool:
    """Tell whether ``sent`` is the id ``declared`` (a plain id, or an instance of a pattern-matching id)."""
    if not declared.startswith("{"):
        return sent == declared
    pattern = json.loads(declared)
    return (isinstance(sent, dict) and set(sent) == set(pattern)
            and all(isinstance(v, list) or sent[k] == v for k, v in pattern.items()))


def check_callback_values(known: Known, callback: dict, body: dict, controls: dict[str, Control]) -> None:
    """Raise ``RejectedError`` unless each value fits the control declared at its position in ``callback``."""
    for section in ("inputs", "state"):
        declared, sent = callback.get(section, []), body.get(section) or []
        if len(sent) != len(declared):
            raise RejectedError(400, "De waarden passen niet bij de callback.")
        for dep, item in zip(declared, sent, strict=True):
            control = controls.get(f"{dep['id']}.{dep['property']}")
            if control is None:  # a control nobody declared: nothing to trust it with
                raise RejectedError(400, "Deze callback neemt een waarde die het dashboard niet kent.")
            for entry in item if isinstance(item, list) else [item]:
                if entry.get("property") != dep["property"] or not _id_matches(dep["id"], entry.get("id")):
                    raise RejectedError(400, "De waarden passen niet bij de callback.")
                control.kind.check(known, entry.get("value"))
    if [f"{d['id']}.{d['property']}" for d in callback.get("inputs", [])][:2] == list(ROUTER_INPUTS):
        pathname, search = (entry.get("value") for entry in body["inputs"][:2])
        check_location(known, pathname, search)


def _depth(value: object) -> int:
    """Return how deep ``value`` nests (iteratively: a forged body must not exhaust the stack)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        if isinstance(item, dict):
            todo += [(v, level + 1) for v in item.values()]
        elif isinstance(item, list):
            todo += [(v, level + 1) for v in item]
    return deepest


# -- matching the path against the registered pages -----------------------------------------------------

def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(<[^>]+>)", template.rstrip("/") or "/")
    body = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("<") else re.escape(p) for p in parts)
    return re.compile(f"^{body}/?$")


def page_at(path: str) -> tuple[dict, dict[str, str]] | None:
    """Return the registered page ``path`` points to and its variables, or ``None`` when there is none."""
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template:
            match = _template_regex(template).match(path)
            if match:
                return page, match.groupdict()
        elif path.rstrip("/") == page["path"].rstrip("/"):
            return page, {}
    return None


def page_variables(path: str) -> dict[str, str] | None:
    """Return the variables of the registered page ``path`` points to, or ``None`` when there is none."""
    found = page_at(path)
    return found[1] if found is not None else None


# -- who may: the slice's access rule, for a page and for each callback ---------------------------------

def check_access(req: flask.Request, owners: dict[str, tuple[str, str]], controls: dict[str, Control]) -> None:
    """Raise unless the logged-in account may open the page or run the callback ``req`` asks for.

    A page of a slice that is not public sends an anonymous visitor to the login (``LoginRequiredError``); its
    callbacks and its answers are never cached. An outlet-level slice also needs the municipality the request
    names within the account's reach: the page's ``<nis>``, a callback's municipality values. The page
    router's callback is left to the page's layout (:func:`dashboard.features.install` guards each), which
    draws the refusal inside the app's frame.
    """
    if req.path == CALLBACK_PATH and req.method == "POST":
        body = req.get_json(silent=True, cache=True)
        if not isinstance(body, dict):  # _check_callback refused it already; kept for the reader and mypy
            raise RejectedError(400, "Een callback verwacht een JSON-object.")
        name, func = owners.get(body["output"], ("", ""))
        nis = municipalities_sent(app_callback(body["output"]), body, controls)
    elif req.url_rule is not None and req.url_rule.rule in DASH_INDEX_RULES:
        found = page_at(req.path)
        name, func = (features.slice_of_page(found[0]["module"]) if found else ""), None
        nis = {found[1]["nis"]} if found and "nis" in found[1] else set()
    else:
        return  # the Flask routes check their own rule (the PDFs)
    rule = features.access(name)
    if not rule.is_public(public_indicators()):
        flask.g.private = True
    enforce(rule, nis=nis, callback=func)


def app_callback(output: str) -> dict:
    """Return the ``callback_map`` entry of ``output`` of the app serving the request."""
    return flask.current_app.extensions["smart_retail_dash"].callback_map[output]


def municipalities_sent(callback: dict, body: dict, controls: dict[str, Control]) -> set[str]:
    """Return the values of the municipality controls (:data:`~dashboard.controls.MUNICIPALITY`) in ``body``."""
    found: set[str] = set()
    for section in ("inputs", "state"):
        for dep, item in zip(callback.get(section, []), body.get(section) or [], strict=False):
            control = controls.get(f"{dep['id']}.{dep['property']}")
            if control is not None and control.kind is MUNICIPALITY:
                found.update(str(e.get("value")) for e in (item if isinstance(item, list) else [item])
                             if e.get("value") is not None)
    return found


def check_request(known: Known, req: flask.Request) -> None:
    """Raise ``RejectedError`` when the page request names something the current build does not know."""
    rule = req.url_rule.rule if req.url_rule is not None else None
    if rule in DASH_INDEX_RULES:
        variables = page_variables(req.path)
        if variables is None:
            raise RejectedError(404, "Het adres verwijst naar geen gemeente, provincie of pagina van het dashboard.")
    else:
        variables = dict(req.view_args or {})
    params.check_all(known, {k: str(v) for k, v in variables.items()}, req.args.to_dict(flat=False))


def check_location(known: Known, pathname: object, search: object) -> None:
    """Check the address Dash's page router is asked to render, as a GET of it would be checked."""
    if not isinstance(pathname, str):
        return
    variables = page_variables(pathname)
    if variables is None:
        return  # Dash renders its own 404 page
    query = parse_qs(search[1:] if isinstance(search, str) and search.startswith("?") else "", keep_blank_values=True)
    try:
        params.check_all(known, variables, query)
    except MovedError as exc:
        raise RejectedError(404, f"Gemeente {exc.old} heet nu {exc.new}.") from None


# -- responses ------------------------------------------------------------------------------------------

TITLES = {400: "Ongeldige aanvraag", 401: "Aanmelden vereist", 403: "Geen toegang",
          404: "Niet gevonden", 405: "Methode niet toegelaten", 411: "Lengte ontbreekt",
          413: "Aanvraag te groot", 414: "Adres te lang", 429: "Te veel aanvragen", 500: "Interne fout",
          503: "Database niet beschikbaar"}


def refuse(exc: RejectedError) -> Response:
    """Answer a refusal: a page or download that needs a login sends the browser to ``/login``."""
    req = flask.request
    if isinstance(exc, LoginRequiredError) and req.method == "GET" and req.path != CALLBACK_PATH:
        return flask.redirect(f"{LOGIN_PATH}?{urlencode({'volgende': req.full_path.rstrip('?')})}", code=303)
    if exc.status == 403 and req.method == "GET" and req.url_rule is not None and req.url_rule.rule in DASH_INDEX_RULES:
        # A page the account may not open: the app's own frame with status 403; the page's layout (guarded by
        # the same rule) draws the refusal in it, with the menu to go on from there.
        return flask.make_response(flask.current_app.extensions["smart_retail_dash"].index(), 403)
    return error_page(exc.status, exc.reason)


def error_page(status: int, reason: str) -> flask.Response:
    """Return a small Dutch HTML page (JSON for callbacks and API clients) with ``status``."""
    title = TITLES.get(status, "Fout")
    wants_json = flask.request.path.startswith("/_dash") or flask.request.path == "/health" or (
        flask.request.accept_mimetypes.best == "application/json")
    if wants_json:
        resp = flask.jsonify({"status": status, "fout": title, "reden": reason})
    else:
        resp = flask.Response(framed_page(title, reason), mimetype="text/html")
    resp.status_code = status
    return resp


def _synthetic() -> bool:
    db = flask.current_app.extensions.get("smart_retail_db")
    try:
        return db is not None and queries.build_info(db).get("is_synthetic") == "true"
    except (DatabaseMissingError, duckdb.Error):
        return False


def framed_page(title: str, reason: str) -> str:
    """Return an error page inside the dashboard's frame: the navbar with its search, the demo notice, the footer.

    Plain HTML, no script: it must render whatever went wrong with the app. The search is a form to ``/zoek``.
    """
    notice = ('<div class="alert alert-warning synthetic-notice py-2" id="synthetic-notice" role="note">'
              "<strong>Synthetische demodata.</strong> De verkooppunten, leegstand en tellingen zijn verzonnen in het "
              "formaat van een Locatus-export. Trek er geen conclusies uit.</div>") if _synthetic() else ""
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Smart Retail · {title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/vendor/bootstrap.min.css">'
        '<link rel="stylesheet" href="/assets/style.css"></head><body><div class="app-root">'
        '<nav class="navbar navbar-dark bg-primary mb-3"><div class="container-fluid flex-wrap gap-2">'
        '<a class="navbar-brand" href="/"><span class="fw-bold">Smart Retail</span></a>'
        '<ul class="navbar-nav flex-row gap-3 me-auto"><li class="nav-item"><a class="nav-link" href="/">Vlaanderen</a>'
        '</li><li class="nav-item"><a class="nav-link" href="/intake">Aanvragen Profploeg</a></li></ul>'
        '<form class="search-box" action="/zoek" method="get" role="search">'
        '<label class="visually-hidden" for="zoek-q">Zoek een gemeente</label>'
        '<input id="zoek-q" name="q" type="search" maxlength="100" class="form-control form-control-sm" '
        'placeholder="Gemeente of postcode"></form></div></nav>'
        f'<main class="container-fluid page">{notice}<h1 class="h3">{title}</h1>'
        f'<p>{html.escape(reason, quote=False)}</p>'
        '<p>Zoek een gemeente op naam of postcode in het zoekvak bovenaan.</p>'
        '<p><a href="/">Terug naar het overzicht van Vlaanderen</a></p></main>'
        '<footer class="site-footer mt-4 py-3"><div class="container-fluid">Smart Retail · bedrijvige kernen in '
        "Vlaanderen</div></footer></div></body></html>"
    )


def _check_callback(app: dash.Dash, req: flask.Request) -> tuple[dict, dict]:
    try:
        body = req.get_json(silent=True, cache=True)
    except RecursionError:  # absurdly deep JSON: refused, not a fault
        raise RejectedError(400, "Een callback verwacht een JSON-object.") from None
    if not isinstance(body, dict):
        raise RejectedError(400, "Een callback verwacht een JSON-object.")
    if _depth(body) > MAX_DEPTH:
        raise RejectedError(400, "De aanvraag is te diep genest.")
    output = body.get("output")
    if not isinstance(output, str) or output not in app.callback_map:
        raise RejectedError(400, "Onbekende callback.")
    for key in ("inputs", "state", "changedPropIds"):
        if key in body and not isinstance(body[key], list):
            raise RejectedError(400, f"'{key}' moet een lijst zijn.")
    if not isinstance(body.get("inputs"), list) or not isinstance(body.get("outputs"), dict | list):
        raise RejectedError(400, "Een callback verwacht 'inputs' en 'outputs'.")
    for item in [*body.get("inputs", []), *body.get("state", [])]:
        entries = item if isinstance(item, list) else [item]
        if not all(isinstance(e, dict) and "id" in e and isinstance(e.get("property"), str) for e in entries):
            raise RejectedError(400, "Elke input van een callback heeft een 'id' en een 'property'.")
    if not _outputs_match(output, body["outputs"]):
        raise RejectedError(400, "De 'outputs' passen niet bij de callback.")
    callback = app.callback_map[output]
    if not all(_is_input_of(callback, changed) for changed in body.get("changedPropIds", [])):
        raise RejectedError(400, "'changedPropIds' noemt geen input van de callback.")
    return callback, body


def _is_input_of(callback: dict, changed: object) -> bool:
    """Tell whether ``changed`` (``"<id>.<property>"``, as Dash's ``ctx.triggered_id`` reads it) is an input."""
    if not isinstance(changed, str) or len(changed) > MAX_PATH or "." not in changed:
        return False
    component, prop = changed.rsplit(".", 1)
    try:
        sent = json.loads(component) if component.startswith("{") else component
    except ValueError:
        return False
    return any(dep["property"] == prop and _id_matches(dep["id"], sent) for dep in callback["inputs"])


def _outputs_match(output: str, outputs: dict | list) -> bool:
    """Tell whether ``outputs`` names the outputs of ``output``: same count, properties and kind of id."""
    parts = [p for p in output.strip(".").split("...") if p] if output.startswith("..") else [output]
    given = outputs if isinstance(outputs, list) else [outputs]
    if len(parts) != len(given):
        return False
    for part, item in zip(parts, given, strict=True):
        entries = item if isinstance(item, list) else [item]  # a pattern with ALL: a list of matches
        component, prop = part.rsplit(".", 1)
        wanted = dict if component.startswith("{") else str
        if not all(isinstance(e, dict) and e.get("property") == prop and isinstance(e.get("id"), wanted)
                   for e in entries):
            return False
    return True


def _route(req: flask.Request) -> str:
    """Return what the log shows of the path: a page or rule template, never free text a person typed."""
    rule = req.url_rule.rule if req.url_rule is not None else None
    if rule not in DASH_INDEX_RULES:
        return rule or "(onbekend)"
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template and _template_regex(template).match(req.path):
            return template
        if not template and req.path.rstrip("/") == page["path"].rstrip("/"):
            return page["path"]
    return "(onbekend)"


def _known_suite(app: dash.Dash, path: str) -> bool:
    """Tell whether a component-suite path names a file Dash serves (``/_dash-component-suites/<pkg>/<file>``)."""
    package, _, fingerprinted = path[len(SUITES_PREFIX):].partition("/")
    return check_fingerprint(fingerprinted)[0] in app.registered_paths.get(package, ())


def _refuse_junk(app: dash.Dash, req: flask.Request) -> flask.Response | None:
    """Refuse what no page of the dashboard can be: oversized addresses, unknown suites, uncapped bodies."""
    if len(req.path) > MAX_PATH or len(req.query_string) > MAX_QUERY:
        return error_page(414, "Het adres is te lang.")
    if req.path.startswith(SUITES_PREFIX) and not _known_suite(app, req.path):
        return error_page(404, "Dit bestand bestaat niet.")
    if req.content_length is None and "chunked" in req.headers.get("Transfer-Encoding", "").lower():
        if not req.environ.get("wsgi.input_terminated"):
            # The server does not end the stream for us: without a length the body cannot be capped.
            return error_page(411, "Een aanvraag zonder lengte kan het dashboard niet begrenzen.")
        # Read here, one byte past the cap: Werkzeug's own cap on a stream truncates without a word.
        data = req.environ["wsgi.input"].read(MAX_BODY + 1)
        if len(data) > MAX_BODY:
            return error_page(413, "De aanvraag is te groot.")
        req.environ["wsgi.input"], req.environ["CONTENT_LENGTH"] = io.BytesIO(data), str(len(data))
    return None


def _check(app: dash.Dash, known: KnownCache, controls: dict[str, Control], req: flask.Request) -> None:
    """Raise ``RejectedError`` (or ``MovedError``) for a callback or page request the build cannot answer."""
    is_callback = req.path == CALLBACK_PATH and req.method == "POST"
    callback = _check_callback(app, req) if is_callback else None
    if not is_callback and (req.method not in ("GET", "HEAD") or req.url_rule is None):
        return
    rule = req.url_rule.rule if req.url_rule is not None else None
    if not is_callback and rule not in DASH_INDEX_RULES and not (req.view_args or req.args):
        return  # assets, component suites, /health ...
    if rule == OIDC_RETURN_PATH:
        return  # the provider's parameters (its "code" is no province), checked by Authlib
    try:
        current = known.get()
        flask.g.build_id = current.build_id
    except (DatabaseMissingError, duckdb.Error):
        return  # the page says how to build the database; /health tells what is wrong
    if callback is not None:
        check_callback_values(current, *callback, controls)
    else:
        check_request(current, req)


def install(app: dash.Dash, db: Database, owners: dict[str, tuple[str, str]], *, https: bool = False,
            tiles: TileSource | None = None) -> None:
    """Add the checks, the access rules, the error policy, the headers and the request log to the app's server.

    ``owners`` maps each server callback to its slice and function (:func:`dashboard.features.install`).
    """
    server = app.server
    server.extensions["smart_retail_dash"] = app
    server.extensions["smart_retail_callback_owners"] = owners
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    known = KnownCache(db)
    server.extensions["smart_retail_known"] = known
    controls = features.controls()
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @server.before_request
    def _guard() -> Response | None:
        flask.g.t0 = time.perf_counter()
        flask.g.request_id = uuid.uuid4().hex[:12]
        req = flask.request
        refused = _refuse_junk(app, req)
        if refused is not None:
            return refused
        try:
            check_origin(req)
            _check(app, known, controls, req)
            check_access(req, owners, controls)
        except RejectedError as exc:
            return refuse(exc)
        except MovedError as exc:  # an old bookmark: same page of the merged municipality
            path = re.sub(rf"^/gemeente/{exc.old}(?=/|$)", f"/gemeente/{exc.new}", req.path)
            query = req.query_string.decode("latin-1")
            return flask.redirect(path + (f"?{query}" if query else ""), code=301)
        return None

    @server.errorhandler(RejectedError)
    def _rejected(exc: RejectedError) -> Response:
        return refuse(exc)

    server.errorhandler(Exception)(_failed)

    policy: list[str] = []

    @server.after_request
    def _log(resp: flask.Response) -> flask.Response:
        if not policy:  # Dash adds its inline scripts on the first request: hash them once they are there
            policy.append(csp(list(app.csp_hashes()), tiles))
        harden(resp, policy[0], https, bool(flask.g.get("private")))
        resp.headers["X-Request-ID"] = flask.g.get("request_id", "-")
        _audit(flask.request, resp, owners)
        log.info(json.dumps(_log_entry(flask.request, resp), ensure_ascii=False))
        return resp


#: Slices whose refused pages and callbacks are attempts on applications (an audit line each).
APPLICATION_SLICES = frozenset({"intake", "intake_overview"})


def _on_applications(req: flask.Request, owners: dict[str, tuple[str, str]]) -> bool:
    """Tell whether ``req`` is a page, callback or download of the applications."""
    if req.path == CALLBACK_PATH:
        body = req.get_json(silent=True, cache=True)
        output = body.get("output") if isinstance(body, dict) else None
        return isinstance(output, str) and owners.get(output, ("", ""))[0] in APPLICATION_SLICES
    return "intake" in _route(req)


def _audit(req: flask.Request, resp: flask.Response, owners: dict[str, tuple[str, str]]) -> None:
    """Write the audit lines of the request: what the store and the routes noted, and a refused attempt."""
    events = audit.noted()
    if not events and resp.status_code in (403, 404) and _on_applications(req, owners):
        events = [audit.Event("openen", "pagina", _route(req), denied=True)]
    if not events:
        return
    store = flask.current_app.extensions["smart_retail_intake"]
    try:
        audit.write(store.engine, events, resp.status_code, flask.g.get("request_id", "-"), current_account(),
                    wait_for_disk=False)
    except Exception as exc:  # the answer is made; say in the log (without values) that its audit line is missing
        log.error(json.dumps({"event": "audit-failed", "id": flask.g.get("request_id"), "error": type(exc).__name__}))


def _failed(exc: Exception) -> BaseResponse:
    """Answer an exception nobody meant: an HTTP error as such; a fault as a 500, logged once with its trace."""
    if isinstance(exc, HTTPException):
        if exc.response is not None:  # an answer of its own (the login's rate limit: the form, with the reason)
            return exc.response
        return error_page(exc.code or 500, TITLES.get(exc.code or 500, exc.name) + ".")
    flask.g.error = type(exc).__name__
    request_id = flask.g.get("request_id", "-")
    log.error(json.dumps({"event": "error", "id": request_id, "error": type(exc).__name__,
                          "route": _route(flask.request), "callback": _callback_name(),
                          "traceback": "".join(traceback.format_exception(exc))}))
    return error_page(500, f"Er ging iets mis in het dashboard; de fout is gelogd onder foutcode {request_id}.")


def _log_entry(req: flask.Request, resp: flask.Response) -> dict:
    """Return the request log's line: names and numbers, never values a person typed."""
    entry = {
        "event": "request",
        "id": flask.g.get("request_id"),
        "method": req.method,
        "route": _route(req),
        "status": resp.status_code,
        "ms": round(1000 * (time.perf_counter() - flask.g.get("t0", time.perf_counter())), 1),
        "bytes": resp.calculate_content_length(),
        "build": flask.g.get("build_id"),
    }
    if req.path == CALLBACK_PATH:
        entry["callback"] = _callback_name()
    if req.args:
        entry["params"] = sorted(k for k in req.args if k in params.CHECKS)
    if flask.g.get("error"):
        entry["error"] = flask.g.error
    return entry


def _callback_name() -> str | None:
    """Return the output of a callback request (component ids, no values), if it names a known one."""
    try:
        body = flask.request.get_json(silent=True, cache=True)
    except (RecursionError, HTTPException):
        return None
    output = body.get("output") if isinstance(body, dict) else None
    app = flask.current_app.extensions.get("smart_retail_dash")
    return output[:120] if isinstance(output, str) and app is not None and output in app.callback_map else None
