"""``/gemeente/<nis>/fiche?gebied=<id>``: the DNA fiche of a shopping area, with its PDF download."""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.controls import GRAPH_CONFIG
from dashboard.components.layout import breadcrumbs, not_found
from dashboard.data.db import current_db
from dashboard.features.fiche.params import FicheParams, P
from dashboard.fiche.data import (
    Fiche,
    FicheNotFoundError,
    chain_text,
    dna_rows,
    footfall_text,
    growth_text,
    identity,
    load_fiche,
    vacancy_text,
)
from dashboard.fiche.pdf import pdf_filename
from dashboard.fiche.rules import KINDS, RULES
from dashboard.figures import charts
from dashboard.figures.fiche import core_map
from dashboard.formatting import fmt_number
from dashboard.vocab import current_known

PAGE = {"path_template": "/gemeente/<nis>/fiche", "name": "DNA-fiche", "title": "Smart Retail · DNA-fiche"}


def layout(nis: str | None = None, gebied: str | None = None, jaar: str | None = None, **_: object) -> html.Div:
    """Return the fiche of ``gebied`` (default: the main shopping area of ``nis``), or a friendly 404."""
    p = FicheParams.from_url(current_known(), nis, gebied, jaar)
    try:
        fiche = load_fiche(current_db(), p.nis, p.area, p.year)
    except FicheNotFoundError as exc:
        return not_found(str(exc))
    a = fiche.area
    query = urlencode({"gebied": a["area_id"], "jaar": fiche.year})
    others = fiche.other_areas[fiche.other_areas["area_id"] != a["area_id"]]
    return html.Div([
        breadcrumbs([("Vlaanderen", "/"), (a["province"], f"/provincie/{a['province_code']}"),
                     (a["municipality"], f"/gemeente/{a['nis_code']}"), (f"DNA-fiche {a['name']}", None)]),
        dbc.Row([
            dbc.Col([html.H1(f"DNA-fiche {a['name']}", className="h3"),
                     html.P(f"{a['municipality']} · {a['area_type']} · inventaris {fiche.year}",
                            className="text-muted mb-1"),
                     html.P(fiche.peer_note, id=P + "peer-note", className="text-muted small")], md=9),
            dbc.Col([html.A("Download PDF (A4)", id=P + "download", className="btn btn-primary mb-2",
                            href=f"/gemeente/{a['nis_code']}/fiche.pdf?{query}", download=pdf_filename(fiche)),
                     html.Br(),
                     dcc.Link("Aanvraag Profploeg →", href=f"/gemeente/{a['nis_code']}/intake", id=P + "intake-link",
                              className="small")],
                    md=3, className="text-md-end"),
        ]),
        html.P(["Andere winkelgebieden: ", *_area_links(others, a["nis_code"])], className="small")
        if not others.empty else None,
        dbc.Row([
            dbc.Col([html.H2("Identiteit", className="h5"), _identity(fiche),
                     html.H2(f"Het DNA in cijfers ({fiche.years[0]}–{fiche.years[-1]})", className="h5 mt-3"),
                     _dna_table(fiche)], lg=7, id=P + "dna"),
            dbc.Col([html.H2(f"Winkelgebied en verkooppunten {fiche.year}", className="h5"),
                     dcc.Graph(id=P + "map", figure=core_map(fiche.geometry_wkb, fiche.outlets, a["name"]),
                               config={**GRAPH_CONFIG, "scrollZoom": False}),
                     dcc.Link("Kernkaart met elk verkooppunt, de telpunten en de wijzigingen →",
                              href=f"/gemeente/{a['nis_code']}/kaart?{query}", id=P + "map-link",
                              className="small")], lg=5),
        ], className="g-4"),
        dbc.Row([
            dbc.Col([html.H2("Branchemix tegenover de peers", className="h5"),
                     dcc.Graph(id=P + "mix", figure=_mix_figure(fiche), config=GRAPH_CONFIG)], lg=6),
            dbc.Col([html.H2("Ketens en local heroes", className="h5"), html.P(chain_text(fiche), id=P + "chains"),
                     html.H2("Leegstand naar duur", className="h5"), html.P(vacancy_text(fiche), id=P + "vacancy"),
                     html.H2("Passanten", className="h5"), html.P(footfall_text(fiche), id=P + "footfall"),
                     *_profiles(fiche)], lg=6),
        ], className="g-4 mt-1"),
        dbc.Row([
            dbc.Col([html.H2(KINDS["sterkte"], className="h5"), _findings(fiche, "sterkte")], lg=6,
                    id=P + "strengths"),
            dbc.Col([html.H2(KINDS["aandachtspunt"], className="h5"), _findings(fiche, "aandachtspunt")], lg=6,
                    id=P + "attention"),
        ], className="g-4 mt-1"),
        html.Div([
            html.H2("Groeipotentieel", className="h5"),
            dbc.Row([
                dbc.Col([html.P("Ondervertegenwoordigde branchegroepen (aandeel lager dan P25 van de peers):"),
                         _findings(fiche, "groeikans")], lg=6),
                dbc.Col([html.P(growth_text(fiche)), _sizes_table(fiche)], lg=6),
            ]),
        ], id=P + "growth", className="mt-3"),
        html.Details([html.Summary("De regels achter sterktes, aandachtspunten en groeikansen"), _rules_table()],
                     className="mt-3 small", id=P + "rules"),
    ], className="fiche")


def _area_links(others: pd.DataFrame, nis: str) -> list:
    links: list = []
    for i, r in enumerate(others.itertuples(index=False)):
        links += [", "] if i else []
        links.append(dcc.Link(r.name, href=f"/gemeente/{nis}/fiche?gebied={r.area_id}"))
    return links


def _identity(fiche: Fiche) -> html.Table:
    return html.Table([html.Tr([html.Th(k, className="text-muted fw-normal pe-3"), html.Td(v)])
                       for k, v in identity(fiche)], className="table table-sm table-borderless mb-0",
                      id=P + "identity")


def _dna_table(fiche: Fiche) -> html.Table:
    head = html.Tr([html.Th("Kerncijfer"), *[html.Th(str(y), className="text-end") for y in fiche.years],
                    html.Th(f"Mediaan peers {fiche.year}", className="text-end")])
    body = [html.Tr([html.Td(r["label"]), *[html.Td(t, className="text-end text-nowrap") for t in r["texts"]],
                     html.Td(r["peer"], className="text-end text-nowrap")], **{"data-column": r["column"]})
            for r in dna_rows(fiche)]
    return html.Table([html.Thead(head), html.Tbody(body)], className="table table-sm", id=P + "dna-table")


def _mix_figure(fiche: Fiche) -> dict:
    own = fiche.groups.rename(columns={"share_pct": "share_outlets_pct"})
    peers = fiche.groups[["branch_group", "peer_median"]].rename(columns={"peer_median": "median"})
    return charts.branch_mix_bars(own, peers, fiche.area["name"])


def _profiles(fiche: Fiche) -> list:
    if fiche.hours.empty:
        return []
    return [dbc.Row([
        dbc.Col(dcc.Graph(figure=charts.profile_bars(fiche.hours, "uur"), config=GRAPH_CONFIG), md=7),
        dbc.Col(dcc.Graph(figure=charts.profile_bars(fiche.days, "weekdag"), config=GRAPH_CONFIG), md=5),
    ])]


def _findings(fiche: Fiche, kind: str) -> html.Ul | html.P:
    items = fiche.findings_of(kind)
    if not items:
        return html.P("Geen regel is van toepassing.", className="text-muted")
    return html.Ul([html.Li(f.text, **{"data-rule": f.rule_id}) for f in items])


def _sizes_table(fiche: Fiche) -> html.Table:
    head = html.Tr([html.Th("Grootte (WVO)"), html.Th("Leeg", className="text-end"),
                    html.Th("Waarvan structureel", className="text-end"), html.Th("m² WVO", className="text-end")])
    body = [html.Tr([html.Td(r.band), html.Td(str(r.vacant), className="text-end"),
                     html.Td(str(r.structural), className="text-end"),
                     html.Td(fmt_number(r.wvo_m2), className="text-end")])
            for r in fiche.vacant_by_size.itertuples()]
    return html.Table([html.Thead(head), html.Tbody(body)], className="table table-sm", id=P + "sizes")


def _rules_table() -> html.Table:
    head = html.Tr([html.Th(h) for h in ("Regel", "Soort", "Indicator", "Drempel")])
    body = [html.Tr([html.Td(r.label), html.Td(r.kind), html.Td(html.Code(r.indicator)), html.Td(r.threshold)])
            for r in RULES]
    return html.Table([html.Thead(head), html.Tbody(body)], className="table table-sm")
