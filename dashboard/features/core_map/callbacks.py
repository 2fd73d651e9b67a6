"""The core-area map's callbacks: the filters -> map (whole, then patched), summary, table page, download."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import flask
import pandas as pd
from dash import ClientsideFunction, Input, Output, Patch, State, dcc, html

from dashboard import audit
from dashboard.components.controls import GRAPH_CONFIG, url_search_id
from dashboard.components.tables import about_export, export_frame, send_frame, sort_frame, table_columns
from dashboard.controls import Callbacks
from dashboard.data import queries
from dashboard.data.db import Database, current_db, map_tiles
from dashboard.features.core_map import mapdata
from dashboard.features.core_map.layout import PAGE_SIZE, since_options
from dashboard.features.core_map.params import P
from dashboard.features.core_map.view import (
    filters,
    groups_of,
    outlets,
    state,
    street_rows,
    summary,
    table_rows,
)
from dashboard.figures import charts, maps

CALLBACKS = Callbacks()


def _filter_controls(dep: type[Input] | type[State] = Input) -> dict:
    """Return the map's filters as named inputs (or states) of a callback."""
    return {"year": dep(P + "year", "value"), "since": dep(P + "since", "value"),
            "groups": dep(P + "groups", "value"), "vacancy_only": dep(P + "vacancy-only", "value"),
            "chain": dep(P + "chain", "value"), "durations": dep(P + "durations", "value")}


@CALLBACKS(
    output=[Output(P + "map", "figure"), Output(P + "summary", "children"), Output(P + "since", "options"),
            Output(url_search_id(P), "data"), Output(P + "points", "data")],
    inputs=_filter_controls(),
    state={"nis": State(P + "nis", "data"), "focus": State(P + "focus", "data"), "drawn": State(P + "drawn", "data")},
)
def update_map(year: int | None, since: int | None, groups: list[str] | None, vacancy_only: bool | None,
               chain: str | None, durations: list[str] | None, nis: str | None, focus: str | None,
               drawn: int | None = None) -> tuple:
    """Redraw the map from the controls: whole on first load, afterwards only what changed.

    A new year's outlet points go to ``kaart-points`` as :func:`~dashboard.figures.maps.year_points` against
    ``drawn``, the year whose points the browser holds (``assets/core-map.js`` draws them).
    """
    if None in (year, since, nis):
        raise dash.exceptions.PreventUpdate
    db = current_db()
    f = filters(groups, vacancy_only, chain, durations)
    names, labels = groups_of(db)
    keys = maps.core_trace_keys(names)
    rows, changes_mode = state(db, nis, year, since, f)
    visible = mapdata.visibility(keys, f, changes_mode)
    trigger = dash.ctx.triggered_id
    total = len(outlets(db, nis, year))
    text = summary(rows, changes_mode, since, year, total)
    options = since_options(queries.years(db), year)
    search = "?" + urlencode({"jaar": year, **({"sinds": since} if changes_mode else {}),
                              **({"gebied": focus} if isinstance(focus, str) and focus else {})})
    if trigger is None:  # first load: everything, once; the browser puts the outlet points in (core-map.js)
        fig = _whole_map(db, nis, year, names, labels, rows, changes_mode, visible, focus)
        first = {"year": year, "figure": fig, "dense": maps.dense_points(keys, outlets(db, nis, year), names)}
        return dash.no_update, text, options, search, first
    points = dash.no_update
    if trigger == P + "year":
        base = maps.outlet_layers(outlets(db, nis, drawn), names) if isinstance(drawn, int) else None
        points = {"year": year, "base": drawn if base is not None else None,
                  "traces": maps.year_points(keys, maps.outlet_layers(outlets(db, nis, year), names), base)}
    patch = _patch(db, nis, year, keys, rows, changes_mode, visible, trigger == P + "year")
    return patch, text, options, search, points


def _whole_map(db: Database, nis: str, year: int, names: list[str], labels: dict, rows: pd.DataFrame,
               changes_mode: bool, visible: list[bool], focus: str | None) -> dict:
    keys = maps.core_trace_keys(names)
    areas = queries.map_areas(db, nis, year)
    # The outlet and vacancy traces go empty: their points follow in the dense form (maps.dense_points).
    layers = maps.change_layers(rows) if changes_mode else {}
    fig = maps.core_map(keys, areas, queries.map_counting_points(db, nis, year), layers, visible, labels, year,
                        map_tiles(), outlets=outlets(db, nis, year))
    picked = areas[areas["area_id"] == focus]
    if not picked.empty:  # ?gebied=<id>: frame that shopping area
        r = picked.iloc[0]
        centre, zoom = maps.fit_view(r["min_lon"], r["min_lat"], r["max_lon"], r["max_lat"], height=620)
        fig["layout"]["map"].update(center=centre, zoom=zoom)
    return fig


def _patch(db: Database, nis: str, year: int, keys: list[str], rows: pd.DataFrame, changes_mode: bool,
           visible: list[bool], new_year: bool) -> Patch:
    patch = Patch()
    if new_year:
        # A new inventory: the counting-point sizes change, the areas do not; the outlet points go to
        # kaart-points (see update_map).
        point = maps.counting_point_trace(queries.map_counting_points(db, nis, year), year)
        for prop in ("marker", "customdata", "hovertemplate"):
            patch["data"][len(keys) - 1][prop] = point[prop]
    if changes_mode:
        for key, data in maps.change_layers(rows).items():
            for prop, values in data.items():
                patch["data"][keys.index(key)][prop] = values
    for i, shown in enumerate(visible):
        patch["data"][i]["visible"] = shown
    return patch


# A year switch's points (kaart-points) join the figure in the browser: assets/core-map.js.
CALLBACKS.clientside(
    ClientsideFunction("coreMap", "draw"),
    [Output(P + "map", "figure", allow_duplicate=True), Output(P + "drawn", "data"), Output(P + "held", "data")],
    Input(P + "points", "data"),
    [State(P + "map", "figure"), State(P + "held", "data")],
    prevent_initial_call=True,
)


@CALLBACKS(
    output=[Output(P + "table", "data"), Output(P + "table", "columns"), Output(P + "table", "page_count")],
    inputs={"page": Input(P + "table", "page_current"), "sort_by": Input(P + "table", "sort_by"),
            "street": Input(P + "street", "value"), **_filter_controls()},
    state={"nis": State(P + "nis", "data")},
)
def update_table(page: int | None, sort_by: list[dict] | None, street: str | None, year: int | None,
                 since: int | None, groups: list[str] | None, vacancy_only: bool | None, chain: str | None,
                 durations: list[str] | None, nis: str | None) -> tuple:
    """Return one page of the table of what the map shows (on the searched streets), sorted on the server."""
    if None in (year, since, nis):
        raise dash.exceptions.PreventUpdate
    frame, columns = table_rows(current_db(), nis, year, since, filters(groups, vacancy_only, chain, durations),
                                street)
    order = sort_by[0] if isinstance(sort_by, list) and sort_by and isinstance(sort_by[0], dict) else {}
    if order.get("column_id") in frame.columns:
        frame = sort_frame(frame, order["column_id"], descending=order.get("direction") == "desc")
    pages = max(1, -(-len(frame) // PAGE_SIZE))
    page = min(max(page if isinstance(page, int) else 0, 0), pages - 1)
    data = frame.iloc[page * PAGE_SIZE:(page + 1) * PAGE_SIZE].astype(object).where(lambda d: d.notna(), None)
    return data.to_dict("records"), table_columns(columns), pages


@CALLBACKS(
    output=Output(P + "download", "data"),
    inputs={"_csv": Input(P + "dl-csv", "n_clicks"), "_xlsx": Input(P + "dl-xlsx", "n_clicks")},
    state={**_filter_controls(State), "street": State(P + "street", "value"), "nis": State(P + "nis", "data")},
    prevent_initial_call=True,
)
def download(_csv: int | None, _xlsx: int | None, year: int | None, since: int | None, groups: list[str] | None,
             vacancy_only: bool | None, chain: str | None, durations: list[str] | None, street: str | None,
             nis: str | None) -> dict:
    """Send the whole table of what the map shows (all pages) as CSV or XLSX."""
    if None in (year, since, nis):
        raise dash.exceptions.PreventUpdate
    frame, columns = table_rows(current_db(), nis, year, since, filters(groups, vacancy_only, chain, durations),
                                street)
    name = f"kernkaart-{nis}-{year}" + (f"-sinds-{since}" if since else "")
    # Outlet rows leave the dashboard here: the one place to log who took them, and to keep them out of caches.
    flask.g.private = True
    audit.note("export", "verkooppunten", nis, nis, f"{name} ({len(frame)} rijen)")
    fmt = "xlsx" if dash.ctx.triggered_id == P + "dl-xlsx" else "csv"
    return send_frame(export_frame(frame.to_dict("records"), columns), name, fmt,
                      about_export(queries.build_info(current_db()), year))


@CALLBACKS(
    output=Output(P + "point", "children"),
    inputs={"click": Input(P + "map", "clickData")},
    state={"year": State(P + "year", "value"), "nis": State(P + "nis", "data")},
    prevent_initial_call=True,
)
def show_point(click: dict | None, year: int | None, nis: str | None) -> list:
    """Show a clicked counting point's weekly passers and hour-of-day profile beside the map."""
    points = click.get("points") if isinstance(click, dict) else None
    # Outlets can sit right under a counting point: take the counting point among what was hit.
    custom = next((p.get("customdata") for p in points or [] if isinstance(p, dict)
                   and isinstance(p.get("customdata"), list) and len(p["customdata"]) >= 3
                   and p["customdata"][0] == "telpunt" and isinstance(p["customdata"][1], str)), None)
    if custom is None or year is None or nis is None:
        raise dash.exceptions.PreventUpdate
    db = current_db()
    point_id, name = custom[1], custom[2]
    weekly = queries.point_weekly(db, nis, point_id)
    if weekly.empty:
        return [html.H2(name, className="h6"), html.P("Geen tellingen voor dit telpunt.", className="text-muted")]
    hours = queries.point_profile(db, nis, point_id, year, "uur")
    profile = (charts.profile_bars(hours, "uur") if not hours.empty
               else charts.empty_figure(f"Geen tellingen in {year}."))
    trend = charts.weekly_footfall(weekly)
    trend["layout"].update(height=260, showlegend=False)
    return [
        html.H2(f"Telpunt {name}", className="h6", id=P + "point-title"),
        html.Div("Passanten per week", className="small text-muted"),
        dcc.Graph(figure=trend, config=GRAPH_CONFIG),
        html.Div(f"Gemiddeld per uur van de dag ({year})", className="small text-muted"),
        dcc.Graph(figure=profile, config=GRAPH_CONFIG),
    ]


@CALLBACKS(
    output=Output(P + "streets", "data"),
    inputs={"street": Input(P + "street", "value"), "year": Input(P + "year", "value")},
    state={"nis": State(P + "nis", "data")},
)
def update_streets(street: str | None, year: int | None, nis: str | None) -> list[dict]:
    """Return the per-street summary of the year's units, on the streets matching the search."""
    if year is None or nis is None:
        raise dash.exceptions.PreventUpdate
    frame = street_rows(current_db(), nis, year, street)
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
