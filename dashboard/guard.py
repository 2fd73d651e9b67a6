"""Requests a person (or a script) can get wrong, answered with a clear 4xx; and one log line per request.

Dash renders its pages in the browser, so on its own every address answers 200 and the browser shows
a friendly "not found". Before any page is served, the guard checks the path and query values:

- the path must be a registered page (``dash.page_registry``, path templates included) or a route of
  the Flask server; every ``<variable>`` in it and every known query parameter is checked against the
  current database by *name* (``nis``, ``code``, ``gebied``, ``jaar``, ``peers``, ``indicator``; ``aanvraag``
  only by its form), so new pages such as ``/gemeente/<nis>/kaart`` or
  ``/gemeente/<nis>/fiche.pdf?gebied=<id>`` are covered without touching this module;
- an unknown value answers 404, a malformed one 400, an oversized path or query 414, each with a
  Dutch page; parameters the dashboard does not use (``utm_source``...) are ignored;
- a callback (``/_dash-update-component``) must be a JSON object naming a callback of the app;
  a callback that fails on the values it was sent answers 400 with a Dutch message, never a trace.

The request log is one JSON line per request on stderr (``smart_retail.requests``): method, route,
status, duration, build id and the *names* of the query parameters. Never values, bodies, IP
addresses or user agents: search terms and picked municipalities stay out of the log.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import dash
import duckdb
import flask
from werkzeug.exceptions import HTTPException

from dashboard.data import queries
from dashboard.data.db import Database, DatabaseMissingError
from dashboard.intake.expertise import EXPERTS
from dashboard.intake.models import MAX_TEXT, STATUSES

MAX_PATH = 512
MAX_QUERY = 2048
MAX_CALLBACK_BYTES = 2_000_000
DASH_INDEX_RULES = ("/", "/<path:path>")
CALLBACK_PATH = "/_dash-update-component"

log = logging.getLogger("smart_retail.requests")


@dataclass(frozen=True)
class Known:
    """The values a URL may name, read once per build."""

    build_id: str
    municipalities: frozenset[str]
    provinces: frozenset[str]
    years: frozenset[int]
    indicators: frozenset[str]
    areas: dict[str, str] = field(default_factory=dict)  # area id -> NIS code
    merged: dict[str, str] = field(default_factory=dict)  # NIS code before a merger -> current code


class RejectedError(Exception):
    """A request the dashboard cannot answer: HTTP status and a Dutch reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class MovedError(Exception):
    """The address names a municipality by its code of before a merger: it lives on under the new code."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__(f"{old} -> {new}")
        self.old, self.new = old, new


class _KnownCache:
    """``Known`` for the build the database currently serves; re-read when the ETL swaps a new one in."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._value: tuple[object, Known] | None = None

    def get(self) -> Known:
        build = queries.build_info(self.db)  # also (re)opens the current file, so the identity is fresh
        identity = (self.db.identity, build.get("build_id"))
        with self._lock:
            if self._value is not None and self._value[0] == identity:
                return self._value[1]
        catalogue = queries.indicator_catalogue(self.db)
        areas = queries.area_ids(self.db)
        known = Known(
            build_id=build.get("build_id", ""),
            municipalities=frozenset(queries.municipalities(self.db)["nis_code"]),
            provinces=frozenset(queries.provinces(self.db)["province_code"]),
            years=frozenset(queries.years(self.db)),
            indicators=frozenset(catalogue["indicator"]) | frozenset(catalogue["column"]),
            areas=dict(zip(areas["area_id"], areas["nis_code"], strict=True)),
            merged=queries.nis_mergers(self.db),
        )
        with self._lock:
            self._value = (identity, known)
        return known


# -- the checks, by the name of the variable or parameter ---------------------------------------------

Check = Callable[[Known, str, dict[str, str]], None]


def _nis(known: Known, value: str, ctx: dict[str, str]) -> None:
    if not re.fullmatch(r"\d{4,5}", value):
        raise RejectedError(400, f"'{value}' is geen NIS-code (vijf cijfers, bv. 44021 voor Gent).")
    if value.zfill(5) in known.merged and ctx.get("nis") == value:
        raise MovedError(value, known.merged[value.zfill(5)])
    if value.zfill(5) not in known.municipalities:
        raise RejectedError(404, f"Er is geen Vlaamse gemeente met NIS-code '{value}'.")


def _province(known: Known, value: str, _ctx: dict[str, str]) -> None:
    if value not in known.provinces:
        raise RejectedError(404, f"Er is geen Vlaamse provincie met code '{value}' "
                             f"(wel: {', '.join(sorted(known.provinces))}).")


def _year(known: Known, value: str, _ctx: dict[str, str]) -> None:
    if not re.fullmatch(r"\d{4}", value):
        raise RejectedError(400, f"'{value}' is geen jaartal.")
    if int(value) not in known.years:
        span = f"{min(known.years)}–{max(known.years)}" if known.years else "geen"
        raise RejectedError(404, f"Voor {value} zijn er geen gegevens (jaren: {span}).")


def _peers(known: Known, value: str, _ctx: dict[str, str]) -> None:
    if value in ("grootte", "provincie"):
        return
    codes = [c.strip() for c in value.split(",")]
    if not codes or len(codes) > 300 or not all(re.fullmatch(r"\d{4,5}", c) for c in codes):
        raise RejectedError(400, "'peers' is 'grootte', 'provincie' of een lijst NIS-codes gescheiden door komma's.")
    unknown = [c for c in codes if c.zfill(5) not in known.municipalities]
    if unknown:
        raise RejectedError(404, f"Onbekende NIS-code(s) in 'peers': {', '.join(unknown[:5])}.")


def _indicator(known: Known, value: str, _ctx: dict[str, str]) -> None:
    if value not in known.indicators:
        raise RejectedError(404, f"Er is geen indicator '{value}'.")


def _area(known: Known, value: str, ctx: dict[str, str]) -> None:
    nis = known.areas.get(value)
    if nis is None:
        raise RejectedError(404, f"Er is geen winkelgebied met id '{value}'.")
    if "nis" in ctx and ctx["nis"].zfill(5) != nis:
        raise RejectedError(404, f"Winkelgebied '{value}' ligt niet in gemeente {ctx['nis']}.")


def _application_id(_known: Known, value: str, _ctx: dict[str, str]) -> None:
    # Only the form: whether the application exists (and belongs to the municipality) is the page's to say.
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise RejectedError(400, f"'{value}' is geen aanvraagnummer (een getal van 1 tot 9 cijfers).")


def _status(_known: Known, value: str, _ctx: dict[str, str]) -> None:
    if value not in STATUSES:
        raise RejectedError(404, f"Er is geen status '{value[:40]}' (wel: {', '.join(STATUSES)}).")


#: Path variables and query parameters, checked by name wherever they occur.
CHECKS: dict[str, Check] = {
    "nis": _nis,
    "code": _province,
    "jaar": _year,
    "basisjaar": _year,
    "sinds": _year,
    "peers": _peers,
    "indicator": _indicator,
    "gebied": _area,
    "aanvraag": _application_id,
    "provincie": _province,
    "status": _status,
}


# -- callback values, by the component id's name (pages follow the convention ``<page>-<name>``) --------

def _is_year(known: Known, value: object) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value not in known.years):
        raise RejectedError(400, "Onbekend jaar.")


def _is_year_or_zero(known: Known, value: object) -> None:
    # The core-area map's "changes since" holds 0 for "no comparison".
    if value != 0 or isinstance(value, bool):
        _is_year(known, value)


def _is_indicator(known: Known, value: object) -> None:
    if value is not None and (not isinstance(value, str) or value not in known.indicators):
        raise RejectedError(400, "Onbekende indicator.")


def _is_municipality(known: Known, value: object) -> None:
    if value is not None and (not isinstance(value, str) or value not in known.municipalities):
        raise RejectedError(400, "Onbekende gemeente.")


def _is_province(known: Known, value: object) -> None:
    if value is not None and (not isinstance(value, str) or value not in known.provinces):
        raise RejectedError(400, "Onbekende provincie.")


def _is_municipality_list(known: Known, value: object) -> None:
    if value is not None and (not isinstance(value, list) or len(value) > 300
                              or not all(isinstance(v, str) and v in known.municipalities for v in value)):
        raise RejectedError(400, "Onbekende gemeente in de selectie.")


def _is_peer_mode(_known: Known, value: object) -> None:
    if value is not None and value not in ("grootte", "provincie", "eigen"):
        raise RejectedError(400, "Onbekende keuze van peers.")


def _is_short_text(limit: int) -> Callable[[Known, object], None]:
    def check(_known: Known, value: object) -> None:
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise RejectedError(400, "Tekst te lang of geen tekst.")
    return check


def _is_one_of(*allowed: object) -> Callable[[Known, object], None]:
    def check(_known: Known, value: object) -> None:
        if value is not None and (isinstance(value, bool) != isinstance(allowed[0], bool) or value not in allowed):
            raise RejectedError(400, "Onbekende keuze.")
    return check


def _is_branch_groups(_known: Known, value: object) -> None:
    if value is not None and (not isinstance(value, list) or len(value) > 20
                              or not all(isinstance(v, str) and len(v) <= 40 for v in value)):
        raise RejectedError(400, "Onbekende branchegroepen.")


def _is_page_number(_known: Known, value: object) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 100_000):
        raise RejectedError(400, "Ongeldig paginanummer.")


def _is_area_list(known: Known, value: object) -> None:
    if value is not None and (not isinstance(value, list) or len(value) > 200
                              or not all(isinstance(v, str) and v in known.areas for v in value)):
        raise RejectedError(400, "Onbekend winkelgebied in de zone.")


def _is_expert_list(_known: Known, value: object) -> None:
    if value is not None and (not isinstance(value, list) or not all(v in EXPERTS for v in value)):
        raise RejectedError(400, "Onbekend expertprofiel.")


def _is_application_state(_known: Known, value: object) -> None:
    ok = value is None or (isinstance(value, dict) and set(value) <= {"id", "version"} and all(
        v is None or (isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**31) for v in value.values()))
    if not ok:
        raise RejectedError(400, "Onbekende aanvraag.")


def _is_iso_date(_known: Known, value: object) -> None:
    if value is None:
        return
    try:
        dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise RejectedError(400, "Ongeldige datum.") from None


#: Checks of callback input values: (pattern on "<component id>.<property>", check).
CALLBACK_CHECKS: tuple[tuple[re.Pattern[str], Callable[[Known, object], None]], ...] = (
    (re.compile(r"(^|-)(year|base-year|jaar)\.value$"), _is_year),
    (re.compile(r"(^|-)since\.value$"), _is_year_or_zero),
    (re.compile(r"(^|-)groups\.value$"), _is_branch_groups),
    (re.compile(r"(^|-)chain\.value$"), _is_one_of("alle", "keten", "zelfstandig")),
    (re.compile(r"(^|-)vacancy-only\.value$"), _is_one_of(True, False)),
    (re.compile(r"(^|-)map-scheme\.value$"), _is_one_of("quantielen", "natuurlijk")),
    (re.compile(r"(^|-)table\.page_current$"), _is_page_number),
    (re.compile(r"(^|-)(indicator|scatter-x)\.value$"), _is_indicator),
    (re.compile(r"(^|-)(nis|highlight)\.(data|value)$"), _is_municipality),
    (re.compile(r"(^|-)code\.data$"), _is_province),
    (re.compile(r"(^|-)peer-pick\.value$"), _is_municipality_list),
    (re.compile(r"(^|-)peer-mode\.value$"), _is_peer_mode),
    (re.compile(r"^search-input\.value$"), _is_short_text(200)),
    # The intake pages: texts of bounded length, areas of the build, the declared experts and statuses.
    (re.compile(r"^intake-(f-(?!zone_area_ids)[a-z_]+|note-\d)\.value$"), _is_short_text(MAX_TEXT)),
    (re.compile(r"^intake(-list)?-author\.value$"), _is_short_text(200)),
    (re.compile(r"^intake-f-zone_area_ids\.value$"), _is_area_list),
    (re.compile(r"^intake-(experts\.value|suggested\.data)$"), _is_expert_list),
    (re.compile(r"^intake-list-(status|move-to)\.value$"), _is_one_of(*STATUSES)),
    (re.compile(r"^intake-list-province\.value$"), _is_province),
    (re.compile(r"^intake-(list-)?(app|selected)\.data$"), _is_application_state),
    (re.compile(r"^intake-list-move-date\.date$"), _is_iso_date),
    (re.compile(r"^_pages_location\.pathname$"), _is_short_text(MAX_PATH)),
    (re.compile(r"^_pages_location\.search$"), _is_short_text(MAX_QUERY)),
)


def check_callback_values(known: Known, body: dict) -> None:
    """Raise ``RejectedError`` when a callback carries a value no control of the dashboard can hold."""
    for item in [*body.get("inputs", []), *body.get("state", [])]:
        for entry in item if isinstance(item, list) else [item]:
            if not isinstance(entry.get("id"), str):
                continue  # pattern-matching ids (tables) carry their own data
            key = f"{entry['id']}.{entry['property']}"
            for pattern, check in CALLBACK_CHECKS:
                if pattern.search(key):
                    check(known, entry.get("value"))


# -- matching the path against the registered pages -----------------------------------------------------

def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(<[^>]+>)", template.rstrip("/") or "/")
    body = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("<") else re.escape(p) for p in parts)
    return re.compile(f"^{body}/?$")


def page_variables(path: str) -> dict[str, str] | None:
    """Return the variables of the registered page ``path`` points to, or ``None`` when there is none."""
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template:
            match = _template_regex(template).match(path)
            if match:
                return match.groupdict()
        elif path.rstrip("/") == page["path"].rstrip("/"):
            return {}
    return None


def check_request(known: Known, req: flask.Request) -> None:
    """Raise ``RejectedError`` when the page request names something the current build does not know."""
    rule = req.url_rule.rule if req.url_rule is not None else None
    if rule in DASH_INDEX_RULES:
        variables = page_variables(req.path)
        if variables is None:
            raise RejectedError(404, "Het adres verwijst naar geen gemeente, provincie of pagina van het dashboard.")
    else:
        variables = dict(req.view_args or {})
    variables = {k: str(v) for k, v in variables.items()}
    for name, value in variables.items():
        if name in CHECKS:
            CHECKS[name](known, value, variables)
    for name in req.args:
        values = req.args.getlist(name)
        if name not in CHECKS:
            continue
        if len(values) != 1:
            raise RejectedError(400, f"De parameter '{name}' staat meer dan één keer in het adres.")
        CHECKS[name](known, values[0].strip(), variables)


# -- responses ------------------------------------------------------------------------------------------

TITLES = {400: "Ongeldige aanvraag", 404: "Niet gevonden", 405: "Methode niet toegelaten",
          413: "Aanvraag te groot", 414: "Adres te lang", 500: "Interne fout", 503: "Database niet beschikbaar"}


def error_page(status: int, reason: str) -> flask.Response:
    """Return a small Dutch HTML page (JSON for callbacks and API clients) with ``status``."""
    title = TITLES.get(status, "Fout")
    wants_json = flask.request.path.startswith("/_dash") or flask.request.path == "/health" or (
        flask.request.accept_mimetypes.best == "application/json")
    if wants_json:
        resp = flask.jsonify({"status": status, "fout": title, "reden": reason})
    else:
        resp = flask.Response(
            f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Smart Retail · {title}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="stylesheet" href="/vendor/bootstrap.min.css"></head>'
            f'<body class="container py-4"><h1 class="h3">{title}</h1><p>{html.escape(reason, quote=False)}</p>'
            '<p><a href="/">Terug naar het overzicht van Vlaanderen</a></p></body></html>',
            mimetype="text/html",
        )
    resp.status_code = status
    return resp


def _check_callback(app: dash.Dash, req: flask.Request) -> dict:
    if req.content_length is not None and req.content_length > MAX_CALLBACK_BYTES:
        raise RejectedError(413, "De aanvraag is te groot.")
    body = req.get_json(silent=True, cache=True)
    if not isinstance(body, dict):
        raise RejectedError(400, "Een callback verwacht een JSON-object.")
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
    return body


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


#: Exceptions a callback raises on values it was never meant to get (a forged or stale request).
BAD_VALUES = (KeyError, IndexError, ValueError, TypeError, AttributeError, LookupError)


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


def install(app: dash.Dash, db: Database) -> None:  # noqa: C901  (split with the declared control specs: issue 13)
    """Add the checks and the request log to the app's Flask server."""
    server = app.server
    server.extensions["smart_retail_dash"] = app
    known = _KnownCache(db)
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @server.before_request
    def _guard() -> flask.Response | None:
        flask.g.t0 = time.perf_counter()
        req = flask.request
        if len(req.path) > MAX_PATH or len(req.query_string) > MAX_QUERY:
            return error_page(414, "Het adres is te lang.")
        try:
            is_callback = req.path == CALLBACK_PATH and req.method == "POST"
            body = _check_callback(app, req) if is_callback else None
            if not is_callback and (req.method not in ("GET", "HEAD") or req.url_rule is None):
                return None
            rule = req.url_rule.rule if req.url_rule is not None else None
            if not is_callback and rule not in DASH_INDEX_RULES and not (req.view_args or req.args):
                return None  # assets, component suites, /health ...
            try:
                current = known.get()
                flask.g.build_id = current.build_id
            except (DatabaseMissingError, duckdb.Error):
                return None  # the page says how to build the database; /health tells what is wrong
            if body is not None:
                check_callback_values(current, body)
            else:
                check_request(current, req)
        except RejectedError as exc:
            return error_page(exc.status, exc.reason)
        except MovedError as exc:  # an old bookmark: same page of the merged municipality
            path = re.sub(rf"^/gemeente/{exc.old}(?=/|$)", f"/gemeente/{exc.new}", req.path)
            query = req.query_string.decode("latin-1")
            return flask.redirect(path + (f"?{query}" if query else ""), code=301)
        return None

    @server.errorhandler(Exception)
    def _failed(exc: Exception) -> flask.Response:
        if isinstance(exc, HTTPException):
            return error_page(exc.code or 500, TITLES.get(exc.code or 500, exc.name) + ".")
        flask.g.error = type(exc).__name__
        if flask.request.path == CALLBACK_PATH and isinstance(exc, BAD_VALUES):
            log.warning(json.dumps({"event": "callback_rejected", "error": type(exc).__name__,
                                    "callback": _callback_name()}))
            return error_page(400, "De aanvraag bevat waarden die het dashboard niet kent.")
        log.exception(json.dumps({"event": "error", "error": type(exc).__name__, "route": _route(flask.request)}))
        return error_page(500, "Er ging iets mis in het dashboard; de fout is gelogd.")

    @server.after_request
    def _log(resp: flask.Response) -> flask.Response:
        req = flask.request
        entry = {
            "event": "request",
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
            entry["params"] = sorted(k for k in req.args if k in CHECKS)
        if flask.g.get("error"):
            entry["error"] = flask.g.error
        log.info(json.dumps(entry, ensure_ascii=False))
        return resp


def _callback_name() -> str | None:
    """Return the output of a callback request (component ids, no values), if it names a known one."""
    body = flask.request.get_json(silent=True, cache=True)
    output = body.get("output") if isinstance(body, dict) else None
    app = flask.current_app.extensions.get("smart_retail_dash")
    return output[:120] if isinstance(output, str) and app is not None and output in app.callback_map else None
