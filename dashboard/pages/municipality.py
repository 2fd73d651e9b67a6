"""``/gemeente/<nis>``: the municipality profile against its peers."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import params
from dashboard.components.controls import GRAPH_CONFIG, url_search_id, url_sync, year_picker
from dashboard.components.kpi import kpi_card
from dashboard.components.layout import breadcrumbs, not_found
from dashboard.components.tables import data_table
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.figures import charts
from dashboard.formatting import fmt_number
from dashboard.kpis import MUNICIPALITY_KPIS, kpi_view
from dashboard.peers import (
    MODES,
    SIZE_CLASSES,
    parse_peers,
    peer_codes,
    rank_of,
    size_class,
)

dash.register_page(__name__, path_template="/gemeente/<nis>", name="Gemeente", title="Smart Retail · gemeente")

P = "gem-"
TREND_INDICATORS = ("vacancy_rate_count", "vacancy_rate_wvo", "vacancy_structural_rate", "chain_share_count",
                    "outlets_per_1000_inh", "retail_outlets", "avg_wvo_per_store", "footfall_weekly")


def layout(nis: str | None = None, jaar: str | None = None, peers: str | None = None, **_: object) -> html.Div:
    """Return the page for ``nis``, or a friendly 404 with the search box."""
    db = current_db()
    m = params.municipality(db, nis)
    if m is None:
        return not_found(f"Er is geen Vlaamse gemeente met NIS-code '{nis}'.")
    munis = queries.municipalities(db)
    years = queries.years(db)
    year = params.pick_year(jaar, years)
    mode, picked = parse_peers(peers)
    catalogue = queries.indicator_catalogue(db)
    labels = catalogue.drop_duplicates("indicator").set_index("indicator")["label"]
    options = [{"label": labels[i], "value": i} for i in TREND_INDICATORS if i in labels.index]
    return html.Div([
        *url_sync(P),
        dcc.Store(id=P + "nis", data=m["nis_code"]),
        breadcrumbs([("Vlaanderen", "/"), (m["province"], f"/provincie/{m['province_code']}"), (m["name"], None)]),
        html.H1(m["name"], className="h3"),
        html.P(f"NIS {m['nis_code']} · provincie {m['province']} · "
               f"{fmt_number(m['population'])} inwoners", className="text-muted"),
        html.Div([dcc.Link("Kernkaart: winkelgebieden, elk verkooppunt en de leegstand →",
                           href=f"/gemeente/{m['nis_code']}/kaart", className="btn btn-outline-primary btn-sm me-2",
                           id=P + "map-link"),
                  dcc.Link("Aanvraag Profploeg →", href=f"/gemeente/{m['nis_code']}/intake",
                           className="btn btn-outline-primary btn-sm", id=P + "intake-link")], className="mb-3"),
        dbc.Row([
            dbc.Col(year_picker(P + "year", years, year), md=2),
            dbc.Col([html.Label("Vergelijk met", className="form-label"),
                     dbc.RadioItems(id=P + "peer-mode", options=[{"label": v, "value": k} for k, v in MODES.items()],
                                    value=mode, inline=True)], md=5),
            dbc.Col([html.Label("Eigen selectie", htmlFor=P + "peer-pick", className="form-label"),
                     dcc.Dropdown(id=P + "peer-pick", multi=True, value=picked, placeholder="kies gemeenten…",
                                  options=[{"label": n, "value": c} for c, n in zip(munis["nis_code"], munis["name"],
                                                                                   strict=True)
                                           if c != m["nis_code"]])], md=5),
        ], className="mb-2 g-3"),
        html.P(id=P + "peer-note", className="text-muted small"),
        dbc.Row(id=P + "kpis", className="g-3 mb-4"),
        html.H2("Evolutie tegenover de peers", className="h5"),
        dcc.Dropdown(id=P + "indicator", options=options, value="vacancy_rate_count", clearable=False,
                     style={"maxWidth": "28rem"}),
        dcc.Graph(id=P + "trend", config=GRAPH_CONFIG),
        dbc.Row([
            dbc.Col([html.H2("Branchemix", className="h5"), dcc.Graph(id=P + "mix", config=GRAPH_CONFIG)], lg=6),
            dbc.Col([html.H2("Leegstand naar duur", className="h5"),
                     dcc.Graph(id=P + "duration", config=GRAPH_CONFIG)], lg=6),
        ]),
        html.H2("Passanten", className="h5 mt-3"),
        html.Div(id=P + "footfall"),
        html.H2("Winkelgebieden", className="h5 mt-3"),
        html.Div(id=P + "areas"),
    ])


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


@callback(
    Output(P + "kpis", "children"),
    Output(P + "trend", "figure"),
    Output(P + "mix", "figure"),
    Output(P + "duration", "figure"),
    Output(P + "peer-note", "children"),
    Output(url_search_id(P), "data"),
    Input(P + "year", "value"),
    Input(P + "peer-mode", "value"),
    Input(P + "peer-pick", "value"),
    Input(P + "indicator", "value"),
    State(P + "nis", "data"),
)
def update(year: int, mode: str, picked: list[str] | None, indicator: str, nis: str) -> tuple:
    """Year, peer choice and indicator -> KPI cards, charts and the shareable URL."""
    db = current_db()
    munis = queries.municipalities(db)
    if nis not in set(munis["nis_code"]) or year not in queries.years(db):
        raise dash.exceptions.PreventUpdate
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
    own = queries.indicator_values(db, "gemeente", [nis], indicator)
    band = queries.peer_band(db, "gemeente", codes, indicator)  # the quartiles computed in SQL
    trend = (charts.peer_trend(own, band, name, info["unit"], int(info["decimals"]))
             if not own.empty else charts.empty_figure(f"Geen gegevens over '{info['label']}' voor {name}."))

    own_mix = queries.branch_mix(db, "gemeente", [nis], year)
    peer_mix = queries.peer_branch_median(db, "gemeente", codes, year)
    mix_fig = (charts.branch_mix_bars(own_mix, peer_mix, name) if not own_mix.empty
               else charts.empty_figure(f"Geen verkooppunten in {year}."))

    duration = (charts.duration_bars(history) if history["outlets_vacant"].sum() > 0
                else charts.empty_figure("Geen leegstand in deze jaren."))
    search = "?" + urlencode({"jaar": year, "peers": ",".join(picked) if mode == "eigen" and picked else mode})
    return cards, trend, mix_fig, duration, note, search


@callback(
    Output(P + "footfall", "children"),
    Output(P + "areas", "children"),
    Input(P + "year", "value"),
    State(P + "nis", "data"),
)
def update_footfall_and_areas(year: int, nis: str) -> tuple:
    """Year -> the footfall section (or a message) and the shopping areas table."""
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
