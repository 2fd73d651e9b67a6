"""``/``: Vlaanderen at a glance: KPI cards, the vacancy trend and a table of all municipalities."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.components.controls import GRAPH_CONFIG, year_picker
from dashboard.components.indicator_map import map_panel
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.features.home.params import HomeParams, P
from dashboard.vocab import current_known

PAGE = {"path": "/", "name": "Vlaanderen", "title": "Smart Retail · Vlaanderen", "menu": True, "order": 0}


def layout(jaar: str | None = None, **_kwargs: object) -> html.Div:
    """Return the page; the year picker drives the KPI cards and the table."""
    db = current_db()
    years = queries.years(db)
    year = HomeParams.from_url(current_known(), jaar).year if years else None
    return html.Div([
        html.H1("Vlaanderen in één oogopslag", className="h3"),
        html.P("Kerncijfers van de verkooppunten in de 285 Vlaamse gemeenten, volgens de indicatoren van "
               "Locatus. Kies een inventarisjaar.", className="text-muted"),
        province_links(queries.provinces(db)),
        html.Div(year_picker(ids.HOME_YEAR, years, year, width="8rem"), className="mb-3"),
        dbc.Row(id=ids.HOME_KPIS, className="g-3 mb-4"),
        dbc.Row([
            dbc.Col(dcc.Graph(id=ids.HOME_TREND, config=GRAPH_CONFIG), lg=12),
        ], className="mb-4"),
        html.H2("Kaart van Vlaanderen", className="h4"),
        map_panel(P, queries.indicator_catalogue(db)),
        html.H2("Alle gemeenten", className="h4"),
        html.P(id=ids.HOME_TABLE_NOTE, className="text-muted small"),
        html.Div(id=ids.HOME_TABLE),
    ])


def province_links(provinces: pd.DataFrame) -> html.Nav:
    """Return one link per province: the way in for a province analyst (a click on the map works too)."""
    links = [html.Li(dcc.Link(r.name, href=f"/provincie/{r.province_code}", className="btn btn-outline-primary btn-sm"))
             for r in provinces.itertuples()]
    return html.Nav([html.H2("Provincies", className="h6 mb-1"),
                     html.Ul(links, className="list-unstyled d-flex flex-wrap gap-2 mb-0")],
                    className="mb-3", id="home-provinces", **{"aria-label": "Provincies"})
