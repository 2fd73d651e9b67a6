"""The home page's callbacks: the year -> cards, trend and table; the map's choices -> the map."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html

from dashboard import ids
from dashboard.components.indicator_map import indicator_map
from dashboard.components.kpi import kpi_card
from dashboard.components.tables import data_table
from dashboard.controls import Callbacks
from dashboard.data.db import current_db, map_tiles
from dashboard.features.home.params import P
from dashboard.features.home.view import TABLE_COLUMNS, home_view

CALLBACKS = Callbacks()


@CALLBACKS(
    output=[Output(ids.HOME_KPIS, "children"), Output(ids.HOME_TREND, "figure"), Output(ids.HOME_TABLE, "children"),
            Output(ids.HOME_TABLE_NOTE, "children")],
    inputs={"year": Input(ids.HOME_YEAR, "value")},
)
def update(year: int | None) -> tuple[list, dict, html.Div, str]:
    """Year -> KPI cards, trend and table."""
    if year is None:
        raise dash.exceptions.PreventUpdate
    view = home_view(current_db(), year)
    cards = [dbc.Col(kpi_card(**card), xs=12, sm=6, lg=3) for card in view.cards]
    table = data_table("home-municipalities", view.table, TABLE_COLUMNS, f"vlaanderen-{year}", link_column="name",
                       year=year)
    return cards, view.trend, table, view.note


@CALLBACKS(
    output=[Output({"type": "nav-map", "page": P}, "figure"), Output(P + "map-note", "children")],
    inputs={"year": Input(ids.HOME_YEAR, "value"), "column": Input(P + "map-indicator", "value"),
            "scheme": Input(P + "map-scheme", "value")},
)
def update_map(year: int | None, column: str | None, scheme: str | None) -> tuple[dict, str]:
    """Draw the Flanders map of the chosen indicator, year and classification."""
    if year is None or column is None or scheme is None:
        raise dash.exceptions.PreventUpdate
    return indicator_map(current_db(), year, column, scheme, map_tiles())
