"""The municipality page's callbacks: year, peers and indicator -> cards, charts, tables and the address."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard.components.controls import GRAPH_CONFIG, url_search_id
from dashboard.components.kpi import kpi_card
from dashboard.components.tables import data_table
from dashboard.controls import Callbacks
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.features.municipality.params import P
from dashboard.features.municipality.view import municipality_view
from dashboard.figures import charts
from dashboard.labels import table_columns

CALLBACKS = Callbacks()


def _spark(figure: object | None) -> dcc.Graph | None:
    return None if figure is None else dcc.Graph(figure=figure, className="kpi-spark",
                                                 config={"displayModeBar": False, "staticPlot": True})


@CALLBACKS(
    output=[Output(P + "kpis", "children"), Output(P + "trend", "figure"), Output(P + "mix", "figure"),
            Output(P + "duration", "figure"), Output(P + "peer-note", "children"), Output(url_search_id(P), "data")],
    inputs={"year": Input(P + "year", "value"), "mode": Input(P + "peer-mode", "value"),
            "picked": Input(P + "peer-pick", "value"), "indicator": Input(P + "indicator", "value")},
    state={"nis": State(P + "nis", "data")},
)
def update(year: int | None, mode: str | None, picked: list[str] | None, indicator: str | None,
           nis: str | None) -> tuple:
    """Year, peer choice and indicator -> KPI cards, charts and the shareable URL."""
    if None in (year, mode, indicator, nis):
        raise dash.exceptions.PreventUpdate
    view = municipality_view(current_db(), nis, year, mode, picked, indicator)
    cards = [dbc.Col(kpi_card(**{**card, "sparkline": _spark(card.get("sparkline"))}), xs=12, sm=6, lg=3)
             for card in view.cards]
    return cards, view.trend, view.mix, view.duration, view.peer_note, view.search


@CALLBACKS(
    output=[Output(P + "footfall", "children"), Output(P + "areas", "children")],
    inputs={"year": Input(P + "year", "value")},
    state={"nis": State(P + "nis", "data")},
)
def update_footfall_and_areas(year: int | None, nis: str | None) -> tuple:
    """Year -> the footfall section (or a message) and the shopping areas table."""
    if year is None or nis is None:
        raise dash.exceptions.PreventUpdate
    db = current_db()
    weekly = queries.footfall_weekly(db, nis)
    if weekly.empty:
        footfall = dbc.Alert("Deze gemeente heeft geen telpunten voor passanten.", color="light")
    else:
        hours = queries.footfall_profile(db, nis, year, "uur")
        days = queries.footfall_profile(db, nis, year, "weekdag")
        footfall = html.Div([
            dcc.Graph(id=P + "weekly", figure=charts.weekly_footfall(weekly), config=GRAPH_CONFIG),
            dbc.Row([
                dbc.Col([html.H3(f"Per uur ({year})", className="h6"),
                         dcc.Graph(figure=charts.profile_bars(hours, "uur") if not hours.empty
                                   else charts.empty_figure(f"Geen tellingen in {year}."), config=GRAPH_CONFIG)],
                        lg=7),
                dbc.Col([html.H3(f"Per weekdag ({year})", className="h6"),
                         dcc.Graph(figure=charts.profile_bars(days, "weekdag") if not days.empty
                                   else charts.empty_figure(f"Geen tellingen in {year}."), config=GRAPH_CONFIG)],
                        lg=5),
            ]),
        ])
    areas = queries.areas_of_municipality(db, nis, year)
    if areas.empty:
        table = dbc.Alert("Geen winkelgebieden afgebakend in deze gemeente.", color="light")
    else:
        areas = areas.assign(is_legal_core=areas["is_legal_core"].map({True: "ja", False: "nee"}),
                             fiche=[f"[DNA-fiche](/gemeente/{nis}/fiche?gebied={a}&jaar={year}) · "
                                    f"[kaart](/gemeente/{nis}/kaart?gebied={a}&jaar={year})"
                                    for a in areas["area_id"]])
        table = data_table(P + "areas-table", areas, AREA_COLUMNS, f"winkelgebieden-{nis}-{year}",
                           link_column="fiche", year=year)
    return footfall, table


AREA_COLUMNS = table_columns({
    "name": "Winkelgebied", "area_type": "Type", "is_legal_core": "Kernwinkelgebied", "outlets_total": None,
    "retail_outlets": None, "vacancy_rate_count_all_pct": None, "chain_share_count_pct": None,
    "footfall_avg_weekly_per_point": None, "fiche": "Fiche en kaart",
})
