"""``/``: Vlaanderen at a glance: KPI cards, the vacancy trend and a table of all municipalities."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import ids
from dashboard.components.controls import GRAPH_CONFIG, year_picker
from dashboard.components.indicator_map import indicator_map, map_panel
from dashboard.components.kpi import kpi_card
from dashboard.components.tables import data_table
from dashboard.data import queries
from dashboard.data.db import current_db, map_tiles
from dashboard.figures.trend import scope_trend
from dashboard.kpis import OVERVIEW_KPIS, kpi_view

dash.register_page(__name__, path="/", name="Vlaanderen", title="Smart Retail · Vlaanderen", menu=True, order=0)

#: Decimals per table column (None: text).
DECIMALS = {
    "name": None, "province": None, "population": 0, "outlets_total": 0, "retail_outlets": 0, "retail_wvo_m2": 0,
    "vacancy_rate_count_all_pct": 1, "vacancy_rate_wvo_headline_pct": 1, "vacancy_structural_rate_pct": 1,
    "chain_share_count_pct": 1, "outlets_per_1000_inh": 1, "footfall_avg_weekly_per_point": 0,
}
TABLE_COLUMNS = {k: (v, DECIMALS[k]) for k, v in queries.MUNICIPALITY_COLUMNS.items()}


def layout(**_kwargs: object) -> html.Div:
    """Return the page; the year picker drives the KPI cards and the table."""
    years = queries.years(current_db())
    latest = years[-1] if years else None
    return html.Div([
        html.H1("Vlaanderen in één oogopslag", className="h3"),
        html.P("Kerncijfers van de verkooppunten in de 285 Vlaamse gemeenten, volgens de indicatoren van "
               "Locatus. Kies een inventarisjaar.", className="text-muted"),
        html.Div(year_picker(ids.HOME_YEAR, years, latest, width="8rem"), className="mb-3"),
        dbc.Row(id=ids.HOME_KPIS, className="g-3 mb-4"),
        dbc.Row([
            dbc.Col(dcc.Graph(id=ids.HOME_TREND, config=GRAPH_CONFIG), lg=12),
        ], className="mb-4"),
        html.H2("Kaart van Vlaanderen", className="h4"),
        map_panel("home-", queries.indicator_catalogue(current_db())),
        html.H2("Alle gemeenten", className="h4"),
        html.P(id=ids.HOME_TABLE_NOTE, className="text-muted small"),
        html.Div(id=ids.HOME_TABLE),
    ])


@callback(
    Output(ids.HOME_KPIS, "children"),
    Output(ids.HOME_TREND, "figure"),
    Output(ids.HOME_TABLE, "children"),
    Output(ids.HOME_TABLE_NOTE, "children"),
    Input(ids.HOME_YEAR, "value"),
)
def update(year: int | None) -> tuple[list, dict, html.Div, str]:
    """Year -> KPI cards, trend and table."""
    db = current_db()
    known = queries.years(db)
    if year not in known:
        raise dash.exceptions.PreventUpdate
    rows = queries.area_year(db, "vlaanderen", "02000", [year - 1, year]).to_dict("records")
    by_year = {int(r["year"]): r for r in rows}
    cards = [dbc.Col(kpi_card(**kpi_view(spec, by_year.get(year), by_year.get(year - 1))), xs=12, sm=6, lg=3)
             for spec in OVERVIEW_KPIS]
    trend = scope_trend(queries.flanders_series(db, "vacancy_rate_wvo"),
                        "Leegstand (WVO) in Vlaanderen: de scope verbreedde in 2020")
    table = queries.municipality_table(db, year)
    narrow = table["vacancy_wvo_scope"].eq("detailhandel").sum()
    note = f"{len(table)} gemeenten, inventaris {year}. Klik op een kolomtitel om te sorteren."
    if narrow:
        note += (f" Leegstand WVO: in {narrow} gemeenten alleen voor de detailhandel gemeten (WVO van horeca en "
                 "diensten ontbreekt).")
    table = table.assign(name=[f"[{n}](/gemeente/{c})" for n, c in zip(table["name"], table["nis_code"],
                                                                        strict=True)])
    return cards, trend, data_table("home-municipalities", table, TABLE_COLUMNS, f"vlaanderen-{year}",
                                    link_column="name"), note


@callback(
    Output({"type": "nav-map", "page": "home-"}, "figure"),
    Output("home-map-note", "children"),
    Input(ids.HOME_YEAR, "value"),
    Input("home-map-indicator", "value"),
    Input("home-map-scheme", "value"),
)
def update_map(year: int | None, column: str | None, scheme: str | None) -> tuple[dict, str]:
    """Draw the Flanders map of the chosen indicator, year and classification."""
    db = current_db()
    if year not in queries.years(db) or not isinstance(column, str) or not isinstance(scheme, str):
        raise dash.exceptions.PreventUpdate
    try:
        return indicator_map(db, year, column, scheme, map_tiles())
    except ValueError:
        raise dash.exceptions.PreventUpdate from None
