"""The province page's callbacks: year, base year, indicators and highlight -> cards, charts, table, map."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State

from dashboard.components.indicator_map import indicator_map
from dashboard.components.kpi import kpi_card
from dashboard.components.tables import data_table
from dashboard.controls import Callbacks
from dashboard.data import queries
from dashboard.data.db import current_db, map_tiles
from dashboard.features.province.layout import TABLE_COLUMNS
from dashboard.features.province.params import P
from dashboard.figures import charts
from dashboard.kpis import MUNICIPALITY_KPIS, kpi_view

CALLBACKS = Callbacks()


@CALLBACKS(
    output=[Output(P + "kpis", "children"), Output(P + "ranking", "figure"), Output(P + "scatter", "figure"),
            Output(P + "table", "children")],
    inputs={"year": Input(P + "year", "value"), "indicator": Input(P + "indicator", "value"),
            "x_indicator": Input(P + "scatter-x", "value"), "highlight": Input(P + "highlight", "value"),
            "base_year": Input(P + "base-year", "value")},
    state={"code": State(P + "code", "data")},
)
def update(year: int, indicator: str, x_indicator: str, highlight: str | None, base_year: int, code: str
           ) -> tuple:
    """Year, base year, indicator and highlight -> KPI cards (vs Vlaanderen), ranking, scatter, table."""
    if None in (year, indicator, x_indicator, base_year, code):
        raise dash.exceptions.PreventUpdate
    db = current_db()
    catalogue = queries.indicator_catalogue(db).set_index("column")
    rows = queries.area_year(db, "provincie", code, [base_year, year - 1, year]).to_dict("records")
    prov = {int(r["year"]): r for r in rows}
    flanders = queries.area_year(db, "vlaanderen", "02000", [year]).to_dict("records")
    cards = []
    for spec in MUNICIPALITY_KPIS:
        view = kpi_view(spec, prov.get(year), prov.get(year - 1), prov.get(base_year) if base_year != year else None,
                        base_year)
        fl = kpi_view(spec, flanders[0] if flanders else None, None)["value"]
        view["note"] = f"Vlaanderen: {fl}"
        cards.append(dbc.Col(kpi_card(**view), xs=12, sm=6, lg=3))
    munis = queries.province_municipalities(db, code, year)
    info = catalogue.loc[indicator]
    ranking = (charts.ranked_bars(munis, indicator, highlight, info["unit"], int(info["decimals"]))
               if munis[indicator].notna().any() else charts.empty_figure(f"Geen gegevens in {year}."))
    x_info = catalogue.loc[x_indicator]
    scatter = charts.scatter_two(munis, x_indicator, indicator, x_info["label"], info["label"], highlight)
    table_df = munis.assign(link=[f"[{n}](/gemeente/{c})" for n, c in zip(munis["name"], munis["area_code"],
                                                                          strict=True)])
    table = data_table(P + "municipalities", table_df, TABLE_COLUMNS, f"provincie-{code}-{year}", link_column="link")
    return cards, ranking, scatter, table


@CALLBACKS(
    output=[Output({"type": "nav-map", "page": P}, "figure"), Output(P + "map-note", "children")],
    inputs={"year": Input(P + "year", "value"), "column": Input(P + "map-indicator", "value"),
            "scheme": Input(P + "map-scheme", "value")},
    state={"code": State(P + "code", "data")},
)
def update_map(year: int | None, column: str | None, scheme: str | None, code: str) -> tuple[dict, str]:
    """Draw the province's map of the chosen indicator, its municipalities classed among themselves."""
    if None in (year, column, scheme, code):
        raise dash.exceptions.PreventUpdate
    return indicator_map(current_db(), year, column, scheme, map_tiles(), province=code)
