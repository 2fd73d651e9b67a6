"""``/gemeente/<nis>/kaart``: the core-area map: shopping areas, every outlet, vacancy and footfall points.

Responses stay small for the largest city: the areas and points are sent once; a filter only switches
traces on and off (a ``Patch`` of booleans); a new year re-sends the outlet points and nothing else;
the table under the map is paged on the server.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, Patch, State, callback, dash_table, dcc, html

from dashboard import mapdata, params
from dashboard.components.controls import GRAPH_CONFIG, url_search_id, url_sync
from dashboard.components.layout import breadcrumbs, not_found
from dashboard.components.tables import export_frame, send_frame, table_columns
from dashboard.data import queries
from dashboard.data.db import Database, current_db, map_tiles
from dashboard.figures import charts, maps
from dashboard.formatting import fmt_number

dash.register_page(__name__, path_template="/gemeente/<nis>/kaart", name="Kernkaart",
                   title="Smart Retail · kernkaart")

P = "kaart-"
PAGE_SIZE = 25
#: The map's controls, in the order the callbacks take them: year, since, groups, vacancy only, chain.
CONTROLS = ("year", "since", "groups", "vacancy-only", "chain")
NO_SINCE = 0


@functools.lru_cache(maxsize=32)
def _outlets_cached(path: str, fingerprint: tuple, nis: str, years: tuple[int, ...]) -> pd.DataFrame:
    # Keyed on the file's identity, so a swapped-in build is never served from the cache.
    return queries.map_outlets(Database(path), nis, list(years))


def _outlets(db: Database, nis: str, year: int) -> pd.DataFrame:
    return _outlets_cached(str(db.path), db.fingerprint(), nis, (year,))


def _groups(db: Database) -> tuple[list[str], dict[str, tuple[str, str]]]:
    g = queries.branch_groups(db)
    occupied = g[g["branch_group"] != mapdata.VACANT_GROUP]
    labels = {r.branch_group: (r.label, r.color) for r in occupied.itertuples()}
    return occupied["branch_group"].tolist(), labels


def layout(nis: str | None = None, jaar: str | None = None, sinds: str | None = None, gebied: str | None = None,
           **_: object) -> html.Div:
    """Return the core-area map page of ``nis``, or a friendly 404."""
    db = current_db()
    m = params.municipality(db, nis)
    if m is None:
        return not_found(f"Er is geen Vlaamse gemeente met NIS-code '{nis}'.")
    years = queries.years(db)
    year = params.pick_year(jaar, years)
    since = int(sinds) if sinds and sinds.isdigit() and int(sinds) in years and int(sinds) < year else NO_SINCE
    groups = queries.branch_groups(db)
    group_options = [{"label": html.Span([html.Span(className="legend-dot", style={"backgroundColor": r.color}),
                                          r.label]), "value": r.branch_group} for r in groups.itertuples()]
    return html.Div([
        dcc.Store(id=P + "nis", data=m["nis_code"]),
        dcc.Store(id=P + "focus", data=gebied),
        *url_sync(P),
        breadcrumbs([("Vlaanderen", "/"), (m["province"], f"/provincie/{m['province_code']}"),
                     (m["name"], f"/gemeente/{m['nis_code']}"), ("Kernkaart", None)]),
        html.H1(f"Kernkaart {m['name']}", className="h3"),
        html.P("Winkelgebieden, elk verkooppunt van het gekozen jaar, de leegstand naar duur en de telpunten "
               "van passanten. Beweeg over een punt voor de details; klik op een telpunt voor zijn trend.",
               className="text-muted"),
        dbc.Row([
            dbc.Col([html.Label("Inventarisjaar", htmlFor=P + "year", className="form-label"),
                     dcc.Dropdown(id=P + "year", options=[{"label": str(y), "value": y} for y in reversed(years)],
                                  value=year, clearable=False)], md=2),
            dbc.Col([html.Label("Wijzigingen sinds", htmlFor=P + "since", className="form-label"),
                     dcc.Dropdown(id=P + "since", options=_since_options(years, year), value=since,
                                  clearable=False)], md=2),
            dbc.Col([html.Label("Keten of zelfstandig", className="form-label"),
                     dbc.RadioItems(id=P + "chain", options=[{"label": v, "value": k}
                                                             for k, v in mapdata.CHAIN_CHOICES.items()],
                                    value="alle", inline=True)], md=4),
            dbc.Col([html.Label("Leegstand", className="form-label"),
                     dbc.Switch(id=P + "vacancy-only", label="Alleen leegstaande panden", value=False)], md=4),
        ], className="g-3 mb-2"),
        html.Div([html.Label("Branchegroepen", className="form-label me-2"),
                  dbc.Checklist(id=P + "groups", options=group_options, value=groups["branch_group"].tolist(),
                                inline=True)], className="mb-2"),
        html.P(id=P + "summary", className="fw-semibold", role="status"),
        dbc.Row([
            dbc.Col(dcc.Graph(id=P + "map", config={**GRAPH_CONFIG, "scrollZoom": True},
                              figure={"data": [], "layout": {"height": 620}}), lg=8),
            dbc.Col(html.Div(id=P + "point", children=_point_hint()), lg=4),
        ], className="mb-3"),
        _fiche_links(db, m["nis_code"], year),
        html.H2("Wat op de kaart staat", className="h5"),
        html.Div([
            dbc.Button("CSV", id=P + "dl-csv", size="sm", color="secondary", outline=True, className="me-2"),
            dbc.Button("XLSX", id=P + "dl-xlsx", size="sm", color="secondary", outline=True),
            dcc.Download(id=P + "download"),
        ], className="mb-2 text-end"),
        dash_table.DataTable(
            id=P + "table", columns=table_columns(mapdata.OUTLET_COLUMNS), data=[],
            page_action="custom", page_current=0, page_size=PAGE_SIZE, sort_action="custom", sort_mode="single",
            sort_by=[], style_table={"overflowX": "auto"},
            style_cell_conditional=[{"if": {"column_type": "text"}, "textAlign": "left"}],
            style_cell={"fontFamily": "inherit", "fontSize": "0.9rem", "padding": "4px 8px", "maxWidth": "260px",
                        "whiteSpace": "normal"},
            style_header={"fontWeight": "600", "backgroundColor": "#f3f5f7", "fontFamily": "inherit"},
        ),
    ])


def _fiche_links(db: Database, nis: str, year: int) -> html.P | None:
    areas = queries.areas_of_municipality(db, nis, year)  # names only: no outlines needed here
    if areas.empty:
        return None
    links: list = ["DNA-fiche per winkelgebied: "]
    for i, r in enumerate(areas.itertuples()):
        links += [" · "] if i else []
        links.append(dcc.Link(r.name, href=f"/gemeente/{nis}/fiche?gebied={r.area_id}&jaar={year}"))
    return html.P(links, className="small", id=P + "fiches")


def _since_options(years: list[int], year: int) -> list[dict]:
    return [{"label": "— (geen vergelijking)", "value": NO_SINCE}] + [
        {"label": str(y), "value": y} for y in reversed(years) if y < year]


def _point_hint() -> html.Div:
    return html.Div([html.H2("Telpunt", className="h6"),
                     html.P("Klik op een blauw telpunt (de grote stippen) op de kaart: hier verschijnen zijn "
                            "passanten per week en zijn drukste uren.", className="text-muted small")],
                    className="point-panel")


def _filters(groups: object, vacancy_only: object, chain: object) -> mapdata.Filters:
    # Callback payloads can be forged: anything that is not what the controls send counts as "nothing".
    chain = chain if isinstance(chain, str) and chain in mapdata.CHAIN_CHOICES else "alle"
    picked = tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else ()
    return mapdata.Filters(picked, vacancy_only is True, chain)


def _state(db: Database, nis: str, year: int, since: int, f: mapdata.Filters) -> tuple[pd.DataFrame, bool]:
    """Return the rows the map shows (outlets, or changes in 'changes since' mode) and the mode."""
    now = _outlets(db, nis, year)
    if since and since < year:
        return mapdata.filter_changes(mapdata.changes(_outlets(db, nis, since), now), f), True
    return mapdata.shown(now, f), False


def _valid(db: Database, nis: str | None, year: object, since: object) -> bool:
    years = queries.years(db)
    return (isinstance(nis, str) and isinstance(year, int) and year in years
            and isinstance(since, int) and (since == NO_SINCE or since in years))


@callback(
    Output(P + "map", "figure"),
    Output(P + "summary", "children"),
    Output(P + "since", "options"),
    Output(url_search_id(P), "data"),
    *[Input(P + c, "value") for c in CONTROLS],
    State(P + "nis", "data"),
    State(P + "focus", "data"),
)
def update_map(  # noqa: C901  (thin callback over a view model: issue 13)
    year: int, since: int, groups: list[str], vacancy_only: bool, chain: str, nis: str, focus: str | None,
) -> tuple:
    """Redraw the map from the controls: whole on first load, afterwards only what changed."""
    db = current_db()
    if not _valid(db, nis, year, since):
        raise dash.exceptions.PreventUpdate
    f = _filters(groups, vacancy_only, chain)
    names, labels = _groups(db)
    keys = maps.core_trace_keys(names)
    rows, changes_mode = _state(db, nis, year, since, f)
    visible = mapdata.visibility(keys, f, changes_mode)
    trigger = dash.ctx.triggered_id
    total = len(_outlets(db, nis, year))
    summary = _summary(rows, changes_mode, since, year, total)
    options = _since_options(queries.years(db), year)
    search = "?" + urlencode({"jaar": year, **({"sinds": since} if changes_mode else {}),
                              **({"gebied": focus} if isinstance(focus, str) and focus else {})})
    if trigger is None:  # first load: everything, once
        areas = queries.map_areas(db, nis, year)
        layers = maps.outlet_layers(_outlets(db, nis, year), names)
        if changes_mode:
            layers |= maps.change_layers(rows)
        fig = maps.core_map(keys, areas, queries.map_counting_points(db, nis, year), layers, visible, labels, year,
                            map_tiles())
        picked = areas[areas["area_id"] == focus]
        if not picked.empty:  # ?gebied=<id>: frame that shopping area
            r = picked.iloc[0]
            centre, zoom = maps.fit_view(r["min_lon"], r["min_lat"], r["max_lon"], r["max_lat"], height=620)
            fig["layout"]["map"].update(center=centre, zoom=zoom)
        return fig, summary, options, search
    patch = Patch()
    if trigger == P + "year":
        # A new inventory: the outlet points and the counting-point sizes change, the areas do not.
        for key, data in maps.outlet_layers(_outlets(db, nis, year), names).items():
            for prop, values in data.items():
                patch["data"][keys.index(key)][prop] = values
        point = maps.counting_point_trace(queries.map_counting_points(db, nis, year), year)
        for prop in ("marker", "customdata", "hovertemplate"):
            patch["data"][len(keys) - 1][prop] = point[prop]
    if changes_mode:
        for key, data in maps.change_layers(rows).items():
            for prop, values in data.items():
                patch["data"][keys.index(key)][prop] = values
    for i, shown in enumerate(visible):
        patch["data"][i]["visible"] = shown
    return patch, summary, options, search


def _summary(rows: pd.DataFrame, changes_mode: bool, since: int, year: int, total: int) -> str:
    if changes_mode:
        c = mapdata.change_counts(rows)
        return (f"Van {since} tot {year}: {fmt_number(c['openingen'])} openingen, {fmt_number(c['sluitingen'])} "
                f"sluitingen, {fmt_number(c['nieuwe_leegstand'])} panden nieuw leeg "
                f"({fmt_number(len(rows))} gewijzigde panden op de kaart).")
    vacant = int(rows["is_vacant"].astype(bool).sum())
    return (f"{fmt_number(len(rows))} van de {fmt_number(total)} verkooppunten van {year} op de kaart, "
            f"waarvan {fmt_number(vacant)} leegstaand.")


def _table_rows(db: Database, nis: str, year: int, since: int, f: mapdata.Filters) -> tuple[pd.DataFrame, dict]:
    rows, changes_mode = _state(db, nis, year, since, f)
    if changes_mode:
        return mapdata.change_table(rows), mapdata.CHANGE_COLUMNS
    labels = {g: lab for g, (lab, _) in _groups(db)[1].items()} | {mapdata.VACANT_GROUP: "Leegstand"}
    return mapdata.outlet_table(rows, labels), mapdata.OUTLET_COLUMNS


@callback(
    Output(P + "table", "data"),
    Output(P + "table", "columns"),
    Output(P + "table", "page_count"),
    Input(P + "table", "page_current"),
    Input(P + "table", "sort_by"),
    *[Input(P + c, "value") for c in CONTROLS],
    State(P + "nis", "data"),
)
def update_table(page: int | None, sort_by: list[dict] | None, year: int, since: int, groups: list[str],
                 vacancy_only: bool, chain: str, nis: str) -> tuple:
    """Return one page of the table of what the map shows, sorted on the server."""
    db = current_db()
    if not _valid(db, nis, year, since):
        raise dash.exceptions.PreventUpdate
    frame, columns = _table_rows(db, nis, year, since, _filters(groups, vacancy_only, chain))
    order = sort_by[0] if isinstance(sort_by, list) and sort_by and isinstance(sort_by[0], dict) else {}
    if order.get("column_id") in frame.columns:
        frame = frame.sort_values(order["column_id"], ascending=order.get("direction") != "desc",
                                  na_position="last", kind="stable")
    pages = max(1, -(-len(frame) // PAGE_SIZE))
    page = min(max(page if isinstance(page, int) else 0, 0), pages - 1)
    data = frame.iloc[page * PAGE_SIZE:(page + 1) * PAGE_SIZE].astype(object).where(lambda d: d.notna(), None)
    return data.to_dict("records"), table_columns(columns), pages


@callback(
    Output(P + "download", "data"),
    Input(P + "dl-csv", "n_clicks"),
    Input(P + "dl-xlsx", "n_clicks"),
    *[State(P + c, "value") for c in CONTROLS],
    State(P + "nis", "data"),
    prevent_initial_call=True,
)
def download(_csv: int | None, _xlsx: int | None, year: int, since: int, groups: list[str], vacancy_only: bool,
             chain: str, nis: str) -> dict:
    """Send the whole table of what the map shows (all pages) as CSV or XLSX."""
    db = current_db()
    if not _valid(db, nis, year, since):
        raise dash.exceptions.PreventUpdate
    frame, columns = _table_rows(db, nis, year, since, _filters(groups, vacancy_only, chain))
    name = f"kernkaart-{nis}-{year}" + (f"-sinds-{since}" if since else "")
    fmt = "xlsx" if dash.ctx.triggered_id == P + "dl-xlsx" else "csv"
    return send_frame(export_frame(frame.to_dict("records"), columns), name, fmt)


@callback(
    Output(P + "point", "children"),
    Input(P + "map", "clickData"),
    State(P + "year", "value"),
    State(P + "nis", "data"),
    prevent_initial_call=True,
)
def show_point(click: dict | None, year: int, nis: str) -> list:
    """Show a clicked counting point's weekly passers and hour-of-day profile beside the map."""
    points = click.get("points") if isinstance(click, dict) else None
    # Outlets can sit right under a counting point: take the counting point among what was hit.
    custom = next((p.get("customdata") for p in points or [] if isinstance(p, dict)
                   and isinstance(p.get("customdata"), list) and len(p["customdata"]) >= 3
                   and p["customdata"][0] == "telpunt" and isinstance(p["customdata"][1], str)), None)
    if custom is None:
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
