"""Callbacks shared by every page: the search box, table downloads, map clicks and the address bar.

Thin: inputs -> pure -> outputs. Their controls are declared in :data:`CONTROLS`, as a slice does.
"""

from __future__ import annotations

import re

import dash
from dash import MATCH, Input, Output, State, dcc, html

from dashboard.components.tables import about_export, export_frame, send_frame
from dashboard.controls import CLICKS, Blob, Callbacks, Choice, Clicked, Control, Rows, TableMeta, Text
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.search import search

MAX_PATH = 512
MAX_QUERY = 2048
MAX_SEARCH = 200
#: A table's rows as shown (the largest: every municipality, or a page of the core-area map).
MAX_TABLE_BYTES = 1_500_000

CALLBACKS = Callbacks()
CONTROLS: tuple[Control, ...] = (
    Control("search-input", "value", Text(MAX_SEARCH)),
    Control("search-input", "n_submit", CLICKS),
    Control("navbar-toggler", "n_clicks", CLICKS),
    Control("navbar-collapse", "is_open", Choice((True, False))),
    Control({"type": "table-dl", "format": "csv", "table": MATCH}, "n_clicks", CLICKS),
    Control({"type": "table-dl", "format": "xlsx", "table": MATCH}, "n_clicks", CLICKS),
    Control({"type": "table", "table": MATCH}, "derived_virtual_data", Rows(MAX_TABLE_BYTES)),
    Control({"type": "table-meta", "table": MATCH}, "data", TableMeta()),
    Control({"type": "nav-map", "page": MATCH}, "clickData", Clicked()),
    Control({"type": "url-search", "page": MATCH}, "data", Text(MAX_QUERY)),
    # Dash's own page router: the address the browser shows (its parameters are checked like a GET's).
    Control("_pages_location", "pathname", Text(MAX_PATH)),
    Control("_pages_location", "search", Text(MAX_QUERY)),
    Control("_pages_store", "data", Blob(20_000)),  # the title Dash sets after a page change (in the browser)
)


def _matches(text: str | None) -> list[tuple[str, str]]:
    db = current_db()
    return search(text or "", queries.municipalities(db), queries.postal_codes(db))


# The menu of a narrow screen opens and folds in the browser: a new page (a search result, a link) folds it
# again. No round trip, so a page load asks the server for no answer it does not need.
CALLBACKS.clientside(
    """function(_clicks, _path, isOpen) {
        const ctx = window.dash_clientside.callback_context;
        if (ctx.triggered.some(t => t.prop_id === "navbar-toggler.n_clicks")) { return !isOpen; }
        return isOpen ? false : window.dash_clientside.no_update;
    }""",
    Output("navbar-collapse", "is_open"),
    Input("navbar-toggler", "n_clicks"), Input("_pages_location", "pathname"),
    State("navbar-collapse", "is_open"),
    prevent_initial_call=True,
)


# Not at a page load: the box is empty then, and so is the list.
@CALLBACKS(output=Output("search-results", "children"), inputs={"text": Input("search-input", "value")},
           prevent_initial_call=True)
def show_results(text: str | None) -> list:
    """Typed text -> up to 8 links, or a message when nothing matches."""
    if not text or not text.strip():
        return []
    hits = _matches(text[:100])
    if not hits:
        return [html.Div(f"Geen gemeente gevonden voor '{text[:40]}'.", className="list-group-item small")]
    return [dcc.Link(name, href=f"/gemeente/{code}", className="list-group-item list-group-item-action small")
            for code, name in hits]


# A new page (a result picked, or any other link) empties the search box, which closes its list; in the
# browser, and only when there is something to empty: a page load then sends no search request at all.
CALLBACKS.clientside(
    """function(_path, text) { return text ? "" : window.dash_clientside.no_update; }""",
    Output("search-input", "value"),
    Input("_pages_location", "pathname"),
    State("search-input", "value"),
    prevent_initial_call=True,
)


@CALLBACKS(output=Output("search-nav", "href"), inputs={"_submit": Input("search-input", "n_submit")},
           state={"text": State("search-input", "value")}, prevent_initial_call=True)
def go_to_first(_submit: int, text: str | None) -> str:
    """Enter in the search box -> open the best match."""
    hits = _matches((text or "")[:100])
    if not hits:
        raise dash.exceptions.PreventUpdate
    return f"/gemeente/{hits[0][0]}"


@CALLBACKS(
    output=Output({"type": "table-download", "table": MATCH}, "data"),
    inputs={"_csv": Input({"type": "table-dl", "format": "csv", "table": MATCH}, "n_clicks"),
            "_xlsx": Input({"type": "table-dl", "format": "xlsx", "table": MATCH}, "n_clicks")},
    state={"rows": State({"type": "table", "table": MATCH}, "derived_virtual_data"),
           "meta": State({"type": "table-meta", "table": MATCH}, "data")},
    prevent_initial_call=True,
)
def download(_csv: int | None, _xlsx: int | None, rows: list[dict] | None, meta: dict | None) -> dict:
    """Send the table as it is shown (filtered and sorted) as CSV or XLSX."""
    if meta is None:
        raise dash.exceptions.PreventUpdate  # no table drawn yet
    fmt = dash.ctx.triggered_id["format"] if dash.ctx.triggered_id else "csv"
    columns = {k: tuple(v) for k, v in meta["columns"].items()}
    rows = rows or []
    link = meta.get("link_column")
    if link:  # "[Gent](/gemeente/44021)" -> "Gent"; a cell may hold several links
        rows = [{**r, link: re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", str(r.get(link, "")))} for r in rows]
    return send_frame(export_frame(rows, columns), meta["filename"], fmt,
                      about_export(queries.build_info(current_db()), meta.get("year")))


# A click on a municipality (or province) of an indicator map opens its page, in the browser: no round trip.
CALLBACKS.clientside(
    """
    function(click) {
        const p = click && click.points && click.points[0];
        const c = p && p.customdata;
        if (!Array.isArray(c)) { return window.dash_clientside.no_update; }
        if (c[0] === "gemeente" && /^[0-9]{5}$/.test(c[1])) { return "/gemeente/" + c[1]; }
        if (c[0] === "provincie" && /^[0-9]{5}$/.test(c[1])) { return "/provincie/" + c[1]; }
        return window.dash_clientside.no_update;
    }
    """,
    Output({"type": "nav-map-location", "page": MATCH}, "href"),
    Input({"type": "nav-map", "page": MATCH}, "clickData"),
    prevent_initial_call=True,
)


# A page's choices go into the address bar without a navigation: replaceState fires no event, so the page
# is not rendered again, and the link can be shared or reloaded.
CALLBACKS.clientside(
    """function(search) {
        if (search && window.location.search !== search) {
            window.history.replaceState(null, "", window.location.pathname + search);
        }
        return window.dash_clientside.no_update;
    }""",
    Output({"type": "url-done", "page": MATCH}, "data"),
    Input({"type": "url-search", "page": MATCH}, "data"),
)
