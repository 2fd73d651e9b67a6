"""``/provincie/<code>``: a province against Vlaanderen, and its municipalities ranked and compared."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.controls import GRAPH_CONFIG, dropdown, indicator_options, url_sync, year_picker
from dashboard.components.indicator_map import map_panel
from dashboard.components.layout import breadcrumbs
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.features.province.params import P, ProvinceParams
from dashboard.labels import table_columns
from dashboard.vocab import current_known

PAGE = {"path_template": "/provincie/<code>", "name": "Provincie", "title": "Smart Retail · provincie"}
TABLE_COLUMNS = table_columns({
    "link": "Gemeente", "population": None, "outlets_total": None, "retail_outlets": None, "retail_wvo_m2": None,
    "vacancy_rate_count_all_pct": None, "vacancy_rate_wvo_headline_pct": None, "vacancy_structural_rate_pct": None,
    "chain_share_count_pct": None, "vacancy_frictional_share_vacant_pct": None,
    "vacancy_longterm_share_vacant_pct": None, "vacancy_structural_share_vacant_pct": None,
    "chain_share_wvo_pct": None, "avg_wvo_per_store_m2": None, "outlets_per_1000_inh": None, "wvo_per_inh_m2": None,
    "footfall_avg_weekly_per_point": None, "footfall_yoy_pct": None, "capture_rate_pct": None,
})


def _with(options: list[dict], column: str, catalogue: pd.DataFrame) -> list[dict]:
    """Return ``options`` with ``column`` among them (an address may name any indicator of the catalogue)."""
    if any(o["value"] == column for o in options):
        return options
    return options + indicator_options(catalogue[catalogue["column"] == column])


def _indicator_options(catalogue: pd.DataFrame) -> list[dict]:
    keep = catalogue["column"].isin(TABLE_COLUMNS) | catalogue["column"].str.endswith("_pct")
    return indicator_options(catalogue[keep])


def layout(code: str | None = None, jaar: str | None = None, indicator: str | None = None,
           **_: object) -> html.Div:
    """Return the province page (an unknown code, year or indicator is refused before: see ``params``)."""
    db = current_db()
    p = ProvinceParams.from_url(current_known(), code, jaar, indicator)
    code, year = p.code, p.year
    provinces = queries.provinces(db).set_index("province_code")
    years = queries.years(db)
    catalogue = queries.indicator_catalogue(db)
    options = _indicator_options(catalogue)
    munis = queries.municipalities(db)
    mine = munis[munis["province_code"] == code]
    return html.Div([
        dcc.Store(id=P + "code", data=code),
        *url_sync(P),
        breadcrumbs([("Vlaanderen", "/"), (provinces.at[code, "name"], None)]),
        html.H1(f"Provincie {provinces.at[code, 'name']}", className="h3"),
        dbc.Row([
            dbc.Col(year_picker(P + "year", years, year), md=2),
            dbc.Col([html.Label("Basisjaar", htmlFor=P + "base-year", className="form-label"),
                     dropdown(id=P + "base-year", options=[{"label": str(y), "value": y} for y in years],
                                  value=years[0], clearable=False)], md=2),
            dbc.Col([html.Label("Indicator (rangschikking, kaart en spreidingsdiagram)", htmlFor=P + "indicator",
                                className="form-label"),
                     dropdown(id=P + "indicator", options=_with(options, p.indicator, catalogue),
                                  value=p.indicator, clearable=False)], md=4),
            dbc.Col([html.Label("Markeer gemeente", htmlFor=P + "highlight", className="form-label"),
                     dropdown(id=P + "highlight", options=[{"label": n, "value": c} for c, n in
                                                                zip(mine["nis_code"], mine["name"], strict=True)],
                                  placeholder="kies een gemeente…")], md=4),
        ], className="mb-3 g-3"),
        html.H2("Provincie en Vlaanderen", className="h5"),
        dbc.Row(id=P + "kpis", className="g-3 mb-4"),
        html.H2("Kaart van de gemeenten", className="h5"),
        map_panel(P, catalogue, indicator=False),
        dbc.Row([
            dbc.Col([html.H2("Rangschikking van de gemeenten", className="h5"),
                     dcc.Graph(id=P + "ranking", config=GRAPH_CONFIG)], lg=6),
            dbc.Col([html.H2("Twee indicatoren naast elkaar", className="h5"),
                     html.Label("Horizontale as", htmlFor=P + "scatter-x", className="form-label"),
                     dropdown(id=P + "scatter-x", options=options, value="outlets_per_1000_inh",
                                  clearable=False, className="mb-2"),
                     dcc.Graph(id=P + "scatter", config=GRAPH_CONFIG)], lg=6),
        ]),
        html.H2("Alle gemeenten van de provincie", className="h5 mt-3"),
        html.Div(id=P + "table"),
    ])


