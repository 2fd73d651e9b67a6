"""The province page's callbacks: year, base year, indicators and highlight -> cards, charts, table, map."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State

from dashboard.components.controls import url_search_id
from dashboard.components.indicator_map import indicator_map
from dashboard.components.kpi import kpi_card
from dashboard.components.tables import data_table
from dashboard.controls import Callbacks
from dashboard.data.db import current_db, map_tiles
from dashboard.features.province.layout import TABLE_COLUMNS
from dashboard.features.province.params import P
from dashboard.features.province.view import province_view

CALLBACKS = Callbacks()


@CALLBACKS(
    output=[Output(P + "kpis", "children"), Output(P + "ranking", "figure"), Output(P + "scatter", "figure"),
            Output(P + "table", "children")],
    inputs={"year": Input(P + "year", "value"), "indicator": Input(P + "indicator", "value"),
            "x_indicator": Input(P + "scatter-x", "value"), "highlight": Input(P + "highlight", "value"),
            "base_year": Input(P + "base-year", "value")},
    state={"code": State(P + "code", "data")},
)
def update(year: int | None, indicator: str | None, x_indicator: str | None, highlight: str | None,
           base_year: int | None, code: str | None) -> tuple:
    """Year, base year, indicator and highlight -> KPI cards (vs Vlaanderen), ranking, scatter, table."""
    if None in (year, indicator, x_indicator, base_year, code):
        raise dash.exceptions.PreventUpdate
    view = province_view(current_db(), code, year, base_year, indicator, x_indicator, highlight)
    cards = [dbc.Col(kpi_card(**card), xs=12, sm=6, lg=3) for card in view.cards]
    table = data_table(P + "municipalities", view.table, TABLE_COLUMNS, f"provincie-{code}-{year}",
                       link_column="link", year=year)
    return cards, view.ranking, view.scatter, table


@CALLBACKS(
    output=[Output({"type": "nav-map", "page": P}, "figure"), Output(P + "map-note", "children"),
            Output(url_search_id(P), "data")],
    inputs={"year": Input(P + "year", "value"), "column": Input(P + "indicator", "value"),
            "scheme": Input(P + "map-scheme", "value"), "highlight": Input(P + "highlight", "value")},
    state={"code": State(P + "code", "data")},
)
def update_map(year: int | None, column: str | None, scheme: str | None, highlight: str | None,
               code: str) -> tuple[dict, str, str]:
    """Draw the province's map of the page's indicator, its municipalities classed among themselves, one marked.

    The year and the indicator go into the address, so a link or a bookmark opens the same view.
    """
    if None in (year, column, scheme, code):
        raise dash.exceptions.PreventUpdate
    fig, note = indicator_map(current_db(), year, column, scheme, map_tiles(), province=code, highlight=highlight)
    return fig, note, "?" + urlencode({"jaar": year, "indicator": column})
