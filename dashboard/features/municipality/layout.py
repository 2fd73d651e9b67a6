"""``/gemeente/<nis>``: the municipality profile against its peers."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import params
from dashboard.components.controls import GRAPH_CONFIG, dropdown, url_sync, year_picker
from dashboard.components.layout import breadcrumbs, not_found
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.features.municipality.params import MunicipalityParams, P
from dashboard.features.vitrine.layout import like_yours_slot
from dashboard.formatting import fmt_number
from dashboard.peers import MODES
from dashboard.vocab import current_known

PAGE = {"path_template": "/gemeente/<nis>", "name": "Gemeente", "title": "Smart Retail · gemeente"}
TREND_INDICATORS = ("vacancy_rate_count", "vacancy_rate_wvo", "vacancy_structural_rate", "chain_share_count",
                    "outlets_per_1000_inh", "retail_outlets", "avg_wvo_per_store", "footfall_weekly")


def layout(nis: str | None = None, jaar: str | None = None, peers: str | None = None, **_: object) -> html.Div:
    """Return the page for ``nis``, or a friendly 404 with the search box."""
    db = current_db()
    p = MunicipalityParams.from_url(current_known(), nis, jaar, peers)
    m = params.municipality(db, p.nis)
    if m is None:
        return not_found(f"Er is geen Vlaamse gemeente met NIS-code '{nis}'.")
    munis = queries.municipalities(db)
    years = queries.years(db)
    year, mode, picked = p.year, p.peer_mode, list(p.picked)
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
                  # The core's figures over five years live on its DNA fiche: one click, landing on the table.
                  dcc.Link("De kern over vijf jaar (DNA-fiche) →", href=f"/gemeente/{m['nis_code']}/fiche#fiche-dna",
                           className="btn btn-outline-primary btn-sm me-2", id=P + "fiche-link"),
                  dcc.Link("Aanvraag Profploeg →", href=f"/gemeente/{m['nis_code']}/intake",
                           className="btn btn-outline-primary btn-sm", id=P + "intake-link")], className="mb-3"),
        dbc.Row([
            dbc.Col(year_picker(P + "year", years, year), md=2),
            dbc.Col([html.Label("Vergelijk met", className="form-label"),
                     dbc.RadioItems(id=P + "peer-mode", options=[{"label": v, "value": k} for k, v in MODES.items()],
                                    value=mode, inline=True)], md=5),
            dbc.Col([html.Label("Eigen selectie", htmlFor=P + "peer-pick", className="form-label"),
                     dropdown(id=P + "peer-pick", multi=True, value=picked, placeholder="kies gemeenten…",
                                  options=[{"label": n, "value": c} for c, n in zip(munis["nis_code"], munis["name"],
                                                                                   strict=True)
                                           if c != m["nis_code"]])], md=5),
        ], className="mb-2 g-3"),
        html.P(id=P + "peer-note", className="text-muted small"),
        dbc.Row(id=P + "kpis", className="g-3 mb-4"),
        html.H2("Evolutie tegenover de peers", className="h5"),
        dropdown(id=P + "indicator", options=options, value="vacancy_rate_count", clearable=False,
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
        # The programme (issue 19): what municipalities like this one did with the Profploeg.
        like_yours_slot(p.nis),
    ])


