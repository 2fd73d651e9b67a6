"""The requested page in Dash's first layout, so that a page load does not wait for the page router.

Dash draws a page in three round trips one after the other: the layout (an empty page container), the page
router's callback (the page's layout), then the page's own callbacks. The browser's request for the layout
names the page in its ``Referer`` (the app's ``Referrer-Policy: same-origin`` sends the whole address to the
app itself), so the layout can hold the page already, rendered exactly as the router would render it: the
same registered page, path variables and query parameters, the same access rule (the page function is the
guarded one of :func:`dashboard.features.guarded`: a page the caller may not see holds the refusal, never
the page) and the same checks of its values (:func:`dashboard.guard.check_location`). Its location component
then carries the address, so it asks the router for nothing, and the page's callbacks start with the layout.

Whenever that cannot be done (no or a foreign ``Referer``, an address that is not a page, a value the build
does not know) the container is Dash's own, empty one: the router renders the page as before. A browser
whose ``Referer`` names another page of the app than the one it shows gets its page from the router too:
a callback in the browser compares the address the layout was made for with the one it shows
(:data:`CHECK_ADDRESS`).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import dash
import duckdb
import flask
from dash import Input, Output, dcc, html
from dash._pages import _parse_query_string, _path_to_page

from dashboard import answers, features, guard, view_cache
from dashboard.accounts.access import access_scope, public_indicators
from dashboard.data.db import Database, DatabaseMissingError
from dashboard.errors import MovedError, RejectedError
from dashboard.vocab import KnownCache

LAYOUT_PATH = "/_dash-layout"
#: Dash's ids of its page container (``dash.page_container``).
LOCATION, CONTENT, STORE, DUMMY = "_pages_location", "_pages_content", "_pages_store", "_pages_dummy"

#: In the browser, once: the address the first layout was made for must be the one the page was loaded with;
#: else the location is told the address it shows, and the router renders that page.
CHECK_ADDRESS = """function(data) {
    const loaded = window.smartRetailLoadedAddress;  // assets/first-page.js, before a page changed the address
    if (!data || !data.address || data.address === loaded) { return window.dash_clientside.no_update; }
    return [window.location.pathname, window.location.search];
}"""


def requested_address(req: flask.Request) -> tuple[str, str] | None:
    """Return (path, ``?query`` or ``""``) of the page whose layout ``req`` asks for, from its ``Referer``."""
    if req.path != LAYOUT_PATH:
        return None
    referer = req.headers.get("Referer", "")
    parts = urlsplit(referer)
    own = urlsplit(req.host_url)
    if not referer or (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
        return None
    if len(parts.path) > guard.MAX_PATH or len(parts.query) > guard.MAX_QUERY:
        return None
    return parts.path or "/", f"?{parts.query}" if parts.query else ""


def _slice_rule(page: dict) -> Any:
    return features.access(features.slice_of_page(page.get("module", "")))


def _rendered(app: dash.Dash, page: dict, variables: dict | None, pathname: str, search: str) -> bytes:
    """Return the JSON text of [the page's layout as the router renders it, its title]."""
    layout, title = page.get("layout", ""), page["title"]
    flask.g.page_address = pathname + search  # the refusal's way back (features._router_path)
    if callable(layout):
        layout = layout(**(variables or {}), **_parse_query_string(search))
    if callable(title):
        title = title(**(variables or {}))
    return f"[{answers.to_json(layout)},{json.dumps(title)}]".encode()


def _content_and_title(rendered: bytes) -> tuple[Any, str]:
    content, title = json.loads(rendered)
    return content, title


def _sized(rendered: bytes) -> tuple[Any, str, int]:
    """Return (content, title, the bytes they came from): the size the worker's cache counts."""
    return (*_content_and_title(rendered), len(rendered))


def page_content(app: dash.Dash, db: Database, known: KnownCache, pathname: str, search: str) -> tuple[Any, str] | None:
    """Return (content, title) of the page at ``pathname`` + ``search`` for the caller, or ``None``.

    Checked as the router's request is (the values against the build); kept per build and access scope, as
    the router's answer is (:mod:`dashboard.view_cache`), except on the pages that show the intake store.
    """
    try:
        guard.check_location(known.get(), pathname, search)
    except (RejectedError, MovedError, DatabaseMissingError, duckdb.Error):
        return None  # the router answers it (its 4xx), as before
    page, variables = _path_to_page(app.strip_relative_path(pathname))
    if not page:
        return None  # Dash's own 404 page: left to the router, as before
    if not _slice_rule(page).is_public(public_indicators()):
        flask.g.private = True  # the layout then holds what only this caller may see: no browser or proxy keeps it
    try:
        if any(part in pathname for part in view_cache.STORE_PAGES):
            return _content_and_title(_rendered(app, page, variables, pathname, search))
        scope = access_scope()

        def shared() -> bytes:  # another worker's layout of this page, else this one's, then shared
            return view_cache.shared_or_compute(
                app.server, db, "first-page", f"{pathname}{search}".encode(),
                lambda: _rendered(app, page, variables, pathname, search), scope=scope)

        found = db.cached("first-page", (pathname, search), lambda: _sized(shared()), scope=scope,
                          size=lambda kept: kept[2])
        return found[0], found[1]
    except Exception:  # a page that fails to render fails again in the router's answer, logged there as ever
        return None


def container(app: dash.Dash, db: Database, known: KnownCache) -> html.Div:
    """Return the page container of the first layout: holding the requested page, or Dash's empty one."""
    address = requested_address(flask.request) if flask.has_request_context() else None
    found = page_content(app, db, known, *address) if address is not None else None
    if found is None:
        return dash.page_container
    content, title = found
    pathname, search = address
    return html.Div([
        # Every part of the address set: the location then reports no change as it mounts (no router call).
        dcc.Location(id=LOCATION, refresh="callback-nav", pathname=pathname, search=search, hash="",
                     href=flask.request.headers["Referer"]),
        html.Div(content, id=CONTENT, disable_n_clicks=True),
        dcc.Store(id=STORE, data={"title": title, "address": pathname + search}),
        html.Div(id=DUMMY, disable_n_clicks=True),
    ])


def install(app: dash.Dash) -> None:
    """Add the browser's check of the address the first layout was made for."""
    app.clientside_callback(CHECK_ADDRESS, Output(LOCATION, "pathname"), Output(LOCATION, "search"),
                            Input(STORE, "data"))
