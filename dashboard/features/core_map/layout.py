"""``/gemeente/<nis>/kaart``: the core-area map: shopping areas, every outlet, vacancy and footfall points.

Responses stay small for the largest city: the areas and points are sent once; a filter only switches
traces on and off (a ``Patch`` of booleans); a new year re-sends the outlet points and nothing else;
the table under the map is paged on the server (see callbacks.py).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dash_table, dcc, html

from dashboard import params
from dashboard.components.controls import GRAPH_CONFIG, dropdown, url_sync
from dashboard.components.layout import breadcrumbs, not_found
from dashboard.components.tables import table_columns
from dashboard.data import queries
from dashboard.data.db import Database, current_db
from dashboard.features.core_map import mapdata
from dashboard.features.core_map.params import NO_SINCE, STREET_QUERY_MAX, CoreMapParams, P
from dashboard.vocab import current_known

PAGE = {"path_template": "/gemeente/<nis>/kaart", "name": "Kernkaart", "title": "Smart Retail · kernkaart"}
PAGE_SIZE = 25


def layout(nis: str | None = None, jaar: str | None = None, sinds: str | None = None, gebied: str | None = None,
           **_: object) -> html.Div:
    """Return the core-area map page of ``nis``, or a friendly 404."""
    db = current_db()
    p = CoreMapParams.from_url(current_known(), nis, jaar, sinds, gebied)
    m = params.municipality(db, p.nis)
    if m is None:
        return not_found(f"Er is geen Vlaamse gemeente met NIS-code '{nis}'.")
    years = queries.years(db)
    year, since, gebied = p.year, p.since, p.area
    groups = queries.branch_groups(db)
    group_options = [{"label": html.Span([html.Span(className="legend-dot", style={"backgroundColor": r.color}),
                                          r.label]), "value": r.branch_group} for r in groups.itertuples()]
    return html.Div([
        dcc.Store(id=P + "nis", data=m["nis_code"]),
        dcc.Store(id=P + "focus", data=gebied),
        # The year whose outlet points the map shows, the points of each year drawn so far, and a new year's
        # points as the server sends them (see assets/core-map.js).
        dcc.Store(id=P + "drawn", data=year), dcc.Store(id=P + "held", data={}), dcc.Store(id=P + "points"),
        *url_sync(P),
        breadcrumbs([("Vlaanderen", "/"), (m["province"], f"/provincie/{m['province_code']}"),
                     (m["name"], f"/gemeente/{m['nis_code']}"), ("Kernkaart", None)]),
        html.H1(f"Kernkaart {m['name']}", className="h3"),
        html.P("Winkelgebieden, elk verkooppunt van het gekozen jaar, de leegstand naar duur en de telpunten "
               "van passanten. Beweeg over een punt voor de details; klik op een telpunt voor zijn trend.",
               className="text-muted"),
        dbc.Row([
            dbc.Col([html.Label("Inventarisjaar", htmlFor=P + "year", className="form-label"),
                     dropdown(id=P + "year", options=[{"label": str(y), "value": y} for y in reversed(years)],
                                  value=year, clearable=False, searchable=False)], sm=4, lg=2),
            # Wide enough for "— (geen vergelijking)": a cut-off choice reads as a different one.
            dbc.Col([html.Label("Wijzigingen sinds", htmlFor=P + "since", className="form-label"),
                     dropdown(id=P + "since", options=since_options(years, year), value=since,
                                  clearable=False, searchable=False)], sm=8, lg=3),
            dbc.Col([html.Label("Keten of zelfstandig", className="form-label", id=P + "chain-label"),
                     dbc.RadioItems(id=P + "chain", options=[{"label": v, "value": k}
                                                             for k, v in mapdata.CHAIN_CHOICES.items()],
                                    value="alle", inline=True)], md=6, lg=3),
            dbc.Col([html.Label("Leegstand", className="form-label"),
                     dbc.Switch(id=P + "vacancy-only", label="Alleen leegstaande panden", value=False),
                     html.Div([html.Span("Leeg sinds: ", className="me-1 small", id=P + "durations-label"),
                               dbc.Checklist(id=P + "durations", inline=True, value=list(mapdata.DURATION_CHOICES),
                                             options=[{"label": v, "value": k}
                                                      for k, v in mapdata.DURATION_CHOICES.items()])],
                              className="d-flex flex-wrap align-items-center")], md=6, lg=4),
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
        html.H2("Per straat", className="h5", id=P + "streets-title"),
        html.P("Alle panden van het inventarisjaar per straat; de straten met de meeste leegstand eerst. Het "
               "zoekveld beperkt ook de tabel 'Wat op de kaart staat' tot die straten.", className="small text-muted"),
        dbc.Row(dbc.Col([
            html.Label("Zoek een straat", htmlFor=P + "street", className="form-label"),
            dbc.Input(id=P + "street", type="search", value="", placeholder="bv. Bruul", debounce=True,
                      maxLength=STREET_QUERY_MAX, autoComplete="off"),
        ], sm=8, lg=4), className="mb-2"),
        html.Div(dash_table.DataTable(
            id=P + "streets", columns=table_columns(mapdata.STREET_COLUMNS), data=[], page_action="native",
            page_size=10, sort_action="native", style_table={"overflowX": "auto"},
            style_cell_conditional=[{"if": {"column_type": "text"}, "textAlign": "left"}],
            style_cell={"fontFamily": "inherit", "fontSize": "0.9rem", "padding": "4px 8px"},
            style_header={"fontWeight": "600", "backgroundColor": "#f3f5f7", "fontFamily": "inherit"},
        ), className="mb-4"),
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


def since_options(years: list[int], year: int) -> list[dict]:
    """Return the choices of "changes since": none, or a year before ``year``."""
    return [{"label": "— (geen vergelijking)", "value": NO_SINCE}] + [
        {"label": str(y), "value": y} for y in reversed(years) if y < year]


def _point_hint() -> html.Div:
    return html.Div([html.H2("Telpunt", className="h6"),
                     html.P("Klik op een blauw telpunt (de grote stippen) op de kaart: hier verschijnen zijn "
                            "passanten per week en zijn drukste uren.", className="text-muted small")],
                    className="point-panel")
