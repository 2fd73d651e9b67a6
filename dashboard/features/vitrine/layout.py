"""``/vitrine``: De Vitrine, the approved summaries of completed trajectories as cards, with their figures.

Searchable by challenge, size class, area type and concept (the 12 ideas of Re-think Winkelstraat). Each card
shows its before/after figures against the peers frozen at the intake. :func:`like_yours_card` is the block
"gemeenten zoals de uwe" of the municipality page and the intake form.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.layout import breadcrumbs
from dashboard.data.db import current_db
from dashboard.features.vitrine.params import AREA_TYPES, LIKE_BOX, LIKE_NIS, P
from dashboard.features.vitrine.view import cards, like_yours
from dashboard.fiche.data import fmt_cell
from dashboard.formatting import fmt_number
from dashboard.programme.figures import SHORT_SIZE
from dashboard.programme.similarity import RULE
from dashboard.programme.store import current_programme
from dashboard.programme.vitrine import CHALLENGES, CONCEPTS, OTHER, matches

PAGE = {"path": "/vitrine", "name": "De Vitrine", "title": "Smart Retail · De Vitrine", "menu": True, "order": 7}


def figures_table(figures: dict[str, Any]) -> html.Table | html.P:
    """Return a card's before/after figures against its peers."""
    rows = figures.get("rows") or []
    if not rows:
        return html.P("Geen cijfers bij deze kaart.", className="small text-muted")
    b, a = figures.get("before_year"), figures.get("after_year")
    head = html.Thead(html.Tr([html.Th("Cijfer", scope="col"), html.Th(str(b), scope="col"),
                               html.Th(str(a), scope="col"), html.Th(f"Peers {b} → {a}", scope="col")]))
    body = html.Tbody([html.Tr([
        html.Td([r["label"], html.Div(r["verdict"], className="small " + {True: "text-success", False: "text-danger"}
                                      .get(r.get("good"), "text-muted"))]),
        html.Td(fmt_cell(r["before"], r["unit"], r["decimals"])),
        html.Td(fmt_cell(r["after"], r["unit"], r["decimals"])),
        html.Td(f"{fmt_cell(r['peer_before'], r['unit'], r['decimals'])} → "
                f"{fmt_cell(r['peer_after'], r['unit'], r['decimals'])}"),
    ]) for r in rows])
    return dbc.Table([head, body], size="sm", className="small mb-1 vitrine-figures", responsive=True)


def card(c: dict[str, Any]) -> dbc.Card:
    """Return one Vitrine card."""
    tags = [dbc.Badge(c["challenge"], color="primary", className="me-1"),
            dbc.Badge(c["size_label"] + " inw.", color="light", text_color="dark", className="me-1"),
            dbc.Badge(c["area_type"], color="light", text_color="dark", className="me-1"),
            *[dbc.Badge(t, color="info", text_color="dark", className="me-1") for t in c["concepts"]]]
    if c["synthetic"]:
        tags.append(dbc.Badge("synthetisch", color="warning", text_color="dark"))
    f = c["figures"]
    return dbc.Card([dbc.CardBody([
        html.H2([dcc.Link(c["name"], href=f"/gemeente/{c['nis_code']}"), f" – {c['title']}"], className="h6"),
        html.Div(tags, className="mb-2"),
        html.P(c["summary"], className="small"),
        html.Details([html.Summary("Wat werkte, wat minder", className="small"),
                      html.P(["Werkte: ", c["worked"]], className="small mb-1"),
                      html.P(["Minder: ", c["worked_less"]], className="small")]),
        html.P(f"Winkelgebied {f.get('area', '')}, tegen dezelfde peers als bij de intake.",
               className="small text-muted mb-1") if f else None,
        figures_table(f),
    ])], className="h-100 vitrine-card", id=f"kaart-{c['application_id']}")


def grid(found: list[dict[str, Any]]) -> list:
    """Return the cards in a responsive grid, with the count."""
    if not found:
        return [html.P("Geen kaarten voor deze zoekopdracht.", id=P + "count")]
    return [html.P(f"{len(found)} kaarten", id=P + "count", className="text-muted"),
            dbc.Row([dbc.Col(card(c), md=6, xl=4, className="mb-3") for c in found])]


def search(challenge: str | None, size: str | None, area_type: str | None, concepts: list[str] | None,
           text: str | None) -> list:
    """Return the grid of the cards that fit the filters."""
    every = cards(current_db(), current_programme())
    return grid([c for c in every if matches(c, challenge, size, area_type, concepts or [], text or "")])


def _select(label: str, component_id: str, options: list[str]) -> html.Div:
    return html.Div([dbc.Label(label, html_for=component_id),
                     dcc.Dropdown(id=component_id, options=[{"label": o, "value": o} for o in options],
                                  placeholder="alle")])


def layout(**_: object) -> html.Div:
    """Return De Vitrine."""
    return html.Div([
        breadcrumbs([("Vlaanderen", "/"), ("De Vitrine", None)]),
        html.H1("De Vitrine", className="h3"),
        html.P("Wat gemeenten met de Profploeg deden, met hun cijfers voor en na tegenover gelijkaardige "
               "winkelgebieden. Elke kaart werd door de gemeente zelf goedgekeurd voor publicatie.",
               className="text-muted"),
        dbc.Row([
            dbc.Col(_select("Uitdaging", P + "challenge", [*CHALLENGES, OTHER]), md=3),
            dbc.Col(_select("Grootteklasse (inwoners)", P + "size", list(SHORT_SIZE)), md=3),
            dbc.Col(_select("Type hoofdwinkelgebied", P + "area-type", list(AREA_TYPES)), md=3),
            dbc.Col(html.Div([dbc.Label("Zoek op naam of tekst", html_for=P + "text"),
                              dbc.Input(id=P + "text", type="search", debounce=True, maxLength=100)]), md=3),
        ], className="g-2 mb-2"),
        html.Div([dbc.Label("Concepten (Re-think Winkelstraat)", html_for=P + "concepts"),
                  dcc.Dropdown(id=P + "concepts", options=[{"label": c, "value": c} for c in CONCEPTS], multi=True,
                               placeholder="alle concepten")], className="mb-3"),
        html.Div(search(None, None, None, None, None), id=P + "cards"),
    ], className="vitrine")


def like_yours_slot(nis: str) -> html.Div:
    """Return the place of "gemeenten zoals de uwe" on a page, filled by its own callback.

    Never from a page cache: an approval in the store changes it.
    """
    return html.Div([dcc.Store(id=LIKE_NIS, data=nis), html.Div(id=LIKE_BOX)])


def like_yours_card(nis: str, heading: str = "h2") -> dbc.Card:
    """Return "gemeenten zoals de uwe": the completed trajectories of the most similar municipalities."""
    peers = like_yours(current_db(), current_programme(), nis)
    title = getattr(html, heading.upper())("Gemeenten zoals de uwe", className="h6 mb-0")
    if not peers:
        body: list = [html.P("Nog geen afgeronde trajecten in De Vitrine.", className="small mb-0")]
    else:
        body = [html.Ul([html.Li([
            dcc.Link(peer.cards[0]["name"], href=f"/vitrine#kaart-{peer.cards[0]['application_id']}"),
            f" – {peer.cards[0]['title']} ",
            html.Span(f"(afstand {fmt_number(peer.similar.distance, 2)}: grootte {fmt_number(peer.similar.size_part)}"
                      f" + type {fmt_number(peer.similar.type_part)} + DNA "
                      f"{fmt_number(peer.similar.profile_part, 2)})", className="text-muted"),
        ]) for peer in peers], className="small mb-1"), html.P(RULE, className="small text-muted mb-0")]
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody(body)], className="mb-3 like-yours", id="like-yours")
