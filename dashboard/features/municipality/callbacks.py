"""The municipality page's callbacks: year, peers and indicator -> cards, charts, tables and the address."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboard.components.controls import GRAPH_CONFIG, url_search_id
from dashboard.components.kpi import kpi_card
from dashboard.components.tables import data_table
from dashboard.controls import Callbacks
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.features.municipality.params import P
from dashboard.figures import charts
from dashboard.kpis import MUNICIPALITY_KPIS, kpi_view
from dashboard.peers import SIZE_CLASSES, peer_band, peer_codes, peer_median_by, rank_of, size_class

CALLBACKS = Callbacks()


def _peers(munis: pd.DataFrame, nis: str, mode: str, picked: list[str]) -> tuple[list[str], str]:
    codes = peer_codes(munis, nis, mode, picked)
    if mode == "grootte":
        cls = size_class(munis.loc[munis["nis_code"] == nis, "population"].iloc[0])
        what = f"gemeenten met {SIZE_CLASSES[cls][2]}" if cls is not None else "gemeenten van gelijke grootte"
    elif mode == "provincie":
        what = "gemeenten van dezelfde provincie"
    else:
        what = "gekozen gemeenten"
    return codes, f"Peergroep: {len(codes)} {what}."


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
    db = current_db()
    munis = queries.municipalities(db)
    picked = picked or []
    if mode == "eigen" and not picked:
        mode_note = "Kies gemeenten in 'Eigen selectie'; tot dan vergelijken we met gelijkaardige grootte."
        codes, note = _peers(munis, nis, "grootte", [])
        note = f"{mode_note} {note}"
    else:
        codes, note = _peers(munis, nis, mode, picked)
    name = munis.loc[munis["nis_code"] == nis, "name"].iloc[0]
    province = munis.loc[munis["nis_code"] == nis, "province_code"].iloc[0]
    province_codes = list(munis.loc[munis["province_code"] == province, "nis_code"])

    rows = queries.area_rows(db, "gemeente", sorted({nis, *codes, *province_codes}), year).set_index("area_code")
    previous = queries.area_rows(db, "gemeente", [nis], year - 1).set_index("area_code")
    current = rows.loc[nis].to_dict() if nis in rows.index else None
    before = previous.loc[nis].to_dict() if nis in previous.index else None
    history = queries.area_year(db, "gemeente", nis, list(range(year - 10, year + 1)))
    cards = []
    for spec in MUNICIPALITY_KPIS:
        view = kpi_view(spec, current, before)
        if history[spec.column].notna().sum() > 1:
            view["sparkline"] = dcc.Graph(figure=charts.sparkline(history, spec.column), className="kpi-spark",
                                          config={"displayModeBar": False, "staticPlot": True})
        notes = [view["note"]] if view["note"] else []
        if current is not None and spec.column in rows.columns:
            in_peers = rank_of(rows.loc[rows.index.isin([nis, *codes]), spec.column], nis)
            in_prov = rank_of(rows.loc[rows.index.isin(province_codes), spec.column], nis)
            if in_peers:
                notes.append(f"rang {in_peers[0]} van {in_peers[1]} bij de peers")
            if in_prov:
                notes.append(f"rang {in_prov[0]} van {in_prov[1]} in de provincie")
        view["note"] = " · ".join(notes) or None
        cards.append(dbc.Col(kpi_card(**view), xs=12, sm=6, lg=3))

    catalogue = queries.indicator_catalogue(db)
    info = catalogue[catalogue["indicator"] == indicator].iloc[0]
    values = queries.indicator_values(db, "gemeente", [nis, *codes], indicator)
    own = values[values["area_code"] == nis]
    trend = (charts.peer_trend(own, peer_band(values, codes), name, info["unit"], int(info["decimals"]))
             if not own.empty else charts.empty_figure(f"Geen gegevens over '{info['label']}' voor {name}."))

    mix = queries.branch_mix(db, "gemeente", [nis, *codes], year)
    own_mix = mix[mix["area_code"] == nis]
    peer_mix = peer_median_by(mix, codes, "branch_group", "share_outlets_pct")
    mix_fig = (charts.branch_mix_bars(own_mix, peer_mix, name) if not own_mix.empty
               else charts.empty_figure(f"Geen verkooppunten in {year}."))

    duration = (charts.duration_bars(history) if history["outlets_vacant"].sum() > 0
                else charts.empty_figure("Geen leegstand in deze jaren."))
    search = "?" + urlencode({"jaar": year, "peers": ",".join(picked) if mode == "eigen" and picked else mode})
    return cards, trend, mix_fig, duration, note, search


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
                           link_column="fiche")
    return footfall, table


AREA_COLUMNS = {
    "name": ("Winkelgebied", None),
    "area_type": ("Type", None),
    "is_legal_core": ("Kernwinkelgebied", None),
    "outlets_total": ("Verkooppunten", 0),
    "retail_outlets": ("Winkels", 0),
    "vacancy_rate_count_all_pct": ("Leegstand aantal (%)", 1),
    "chain_share_count_pct": ("Ketens (%)", 1),
    "footfall_avg_weekly_per_point": ("Passanten per week", 0),
    "fiche": ("Fiche en kaart", None),
}
