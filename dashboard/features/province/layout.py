"""``/provincie/<code>``: a province against Vlaanderen, and its municipalities ranked and compared."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import params
from dashboard.components.controls import GRAPH_CONFIG, indicator_options, year_picker
from dashboard.components.indicator_map import indicator_map, map_panel
from dashboard.components.kpi import kpi_card
from dashboard.components.layout import breadcrumbs, not_found
from dashboard.components.tables import data_table
from dashboard.data import queries
from dashboard.data.db import current_db, map_tiles
from dashboard.figures import charts
from dashboard.kpis import MUNICIPALITY_KPIS, kpi_view

dash.register_page(__name__, path_template="/provincie/<code>", name="Provincie", title="Smart Retail · provincie")

P = "prov-"
TABLE_COLUMNS = {
    "link": ("Gemeente", None),
    "population": ("Inwoners", 0),
    "outlets_total": ("Verkooppunten", 0),
    "retail_outlets": ("Winkels", 0),
    "retail_wvo_m2": ("WVO detailhandel (m²)", 0),
    "vacancy_rate_count_all_pct": ("Leegstand aantal (%)", 1),
    "vacancy_rate_wvo_all_pct": ("Leegstand WVO (%)", 1),
    "vacancy_structural_rate_pct": ("Structurele leegstand (%)", 1),
    "chain_share_count_pct": ("Ketens (%)", 1),
    "vacancy_frictional_share_vacant_pct": ("Frictieleegstand (% van leegstand)", 1),
    "vacancy_longterm_share_vacant_pct": ("Langdurige leegstand (% van leegstand)", 1),
    "vacancy_structural_share_vacant_pct": ("Structurele leegstand (% van leegstand)", 1),
    "chain_share_wvo_pct": ("Ketens WVO (%)", 1),
    "avg_wvo_per_store_m2": ("Gem. winkelgrootte (m²)", 0),
    "outlets_per_1000_inh": ("Winkels per 1.000 inw.", 1),
    "wvo_per_inh_m2": ("WVO per inwoner (m²)", 2),
    "footfall_avg_weekly_per_point": ("Passanten per week", 0),
    "footfall_yoy_pct": ("Passanten t.o.v. vorig jaar (%)", 1),
    "capture_rate_pct": ("Capture rate (%)", 1),
}


def _indicator_options(catalogue: pd.DataFrame) -> list[dict]:
    keep = catalogue["column"].isin(TABLE_COLUMNS) | catalogue["column"].str.endswith("_pct")
    return indicator_options(catalogue[keep])


def layout(code: str | None = None, jaar: str | None = None, **_: object) -> html.Div:
    """Return the province page, or a friendly 404."""
    db = current_db()
    provinces = queries.provinces(db).set_index("province_code")
    if code not in provinces.index:
        return not_found(f"Er is geen Vlaamse provincie met code '{code}'.")
    years = queries.years(db)
    year = params.pick_year(jaar, years)
    options = _indicator_options(queries.indicator_catalogue(db))
    munis = queries.municipalities(db)
    mine = munis[munis["province_code"] == code]
    return html.Div([
        dcc.Store(id=P + "code", data=code),
        breadcrumbs([("Vlaanderen", "/"), (provinces.at[code, "name"], None)]),
        html.H1(f"Provincie {provinces.at[code, 'name']}", className="h3"),
        dbc.Row([
            dbc.Col(year_picker(P + "year", years, year), md=2),
            dbc.Col([html.Label("Basisjaar", htmlFor=P + "base-year", className="form-label"),
                     dcc.Dropdown(id=P + "base-year", options=[{"label": str(y), "value": y} for y in years],
                                  value=years[0], clearable=False)], md=2),
            dbc.Col([html.Label("Indicator", htmlFor=P + "indicator", className="form-label"),
                     dcc.Dropdown(id=P + "indicator", options=options, value="vacancy_rate_count_all_pct",
                                  clearable=False)], md=4),
            dbc.Col([html.Label("Markeer gemeente", htmlFor=P + "highlight", className="form-label"),
                     dcc.Dropdown(id=P + "highlight", options=[{"label": n, "value": c} for c, n in
                                                                zip(mine["nis_code"], mine["name"], strict=True)],
                                  placeholder="kies een gemeente…")], md=4),
        ], className="mb-3 g-3"),
        html.H2("Provincie en Vlaanderen", className="h5"),
        dbc.Row(id=P + "kpis", className="g-3 mb-4"),
        html.H2("Kaart van de gemeenten", className="h5"),
        map_panel(P, queries.indicator_catalogue(db)),
        dbc.Row([
            dbc.Col([html.H2("Rangschikking van de gemeenten", className="h5"),
                     dcc.Graph(id=P + "ranking", config=GRAPH_CONFIG)], lg=6),
            dbc.Col([html.H2("Twee indicatoren naast elkaar", className="h5"),
                     dcc.Dropdown(id=P + "scatter-x", options=options, value="outlets_per_1000_inh",
                                  clearable=False, className="mb-2"),
                     dcc.Graph(id=P + "scatter", config=GRAPH_CONFIG)], lg=6),
        ]),
        html.H2("Alle gemeenten van de provincie", className="h5 mt-3"),
        html.Div(id=P + "table"),
    ])


@callback(
    Output(P + "kpis", "children"),
    Output(P + "ranking", "figure"),
    Output(P + "scatter", "figure"),
    Output(P + "table", "children"),
    Input(P + "year", "value"),
    Input(P + "indicator", "value"),
    Input(P + "scatter-x", "value"),
    Input(P + "highlight", "value"),
    Input(P + "base-year", "value"),
    State(P + "code", "data"),
)
def update(year: int, indicator: str, x_indicator: str, highlight: str | None, base_year: int, code: str
           ) -> tuple:
    """Year, base year, indicator and highlight -> KPI cards (vs Vlaanderen), ranking, scatter, table."""
    db = current_db()
    catalogue = queries.indicator_catalogue(db).set_index("column")
    if year not in queries.years(db) or indicator not in catalogue.index or x_indicator not in catalogue.index:
        raise dash.exceptions.PreventUpdate
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


@callback(
    Output({"type": "nav-map", "page": P}, "figure"),
    Output(P + "map-note", "children"),
    Input(P + "year", "value"),
    Input(P + "map-indicator", "value"),
    Input(P + "map-scheme", "value"),
    State(P + "code", "data"),
)
def update_map(year: int | None, column: str | None, scheme: str | None, code: str) -> tuple[dict, str]:
    """Draw the province's map of the chosen indicator, its municipalities classed among themselves."""
    db = current_db()
    if (year not in queries.years(db) or not isinstance(column, str) or not isinstance(scheme, str)
            or code not in set(queries.provinces(db)["province_code"])):
        raise dash.exceptions.PreventUpdate
    try:
        return indicator_map(db, year, column, scheme, map_tiles(), province=code)
    except ValueError:
        raise dash.exceptions.PreventUpdate from None
