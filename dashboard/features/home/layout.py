"""``/``: Vlaanderen at a glance: KPI cards, the vacancy trend and a table of all municipalities."""

from __future__ import annotations

import dash_bootstrap_components as dbc
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
