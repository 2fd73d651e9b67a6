"""``/vitrine``: De Vitrine, the approved summaries of completed trajectories as cards, with their figures.

Searchable by challenge, size class, area type and concept (the 12 ideas of Re-think Winkelstraat). Each card
shows its before/after figures against the peers frozen at the intake. :func:`like_yours_card` is the block
"gemeenten zoals de uwe" of the municipality page and the intake form.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.controls import url_sync
from dashboard.components.layout import breadcrumbs, not_found
from dashboard.data.db import current_db
from dashboard.errors import RejectedError
from dashboard.features.vitrine.params import (
    AREA_TYPES,
    LIKE_BOX,
    LIKE_NIS,
    PER_PAGE,
    URL_KEY,
    P,
    VitrineParams,
)
from dashboard.features.vitrine.view import Paged, cards, like_yours, paged
from dashboard.fiche.data import fmt_cell
from dashboard.formatting import fmt_number
from dashboard.programme.figures import SHORT_SIZE
from dashboard.programme.similarity import RULE
from dashboard.programme.store import current_programme
from dashboard.programme.vitrine import CHALLENGES, CONCEPTS, OTHER, matches
from dashboard.vocab import current_known

#: The address's parameters the page reads (see :class:`VitrineParams`).
VITRINE_KEYS = ("uitdaging", "grootte", "gebiedstype", "concepten", "zoek", "pagina", "kaart")

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


def card(c: dict[str, Any], focused: bool = False) -> dbc.Card:
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
    ])], className="h-100 vitrine-card" + (" border-primary border-3" if focused else ""),
        id=f"kaart-{c['application_id']}")


def pager(p: Paged, where: VitrineParams) -> html.Nav | None:
    """Return the links to the other pages (the filters kept in each address), or ``None`` for one page."""
    if p.pages < 2:
        return None

    def item(label: str, number: int, current: bool = False, disabled: bool = False) -> html.Li:
        if disabled or current:
            return html.Li(html.Span(label, className="page-link", **({"aria-current": "page"} if current else {})),
                           className="page-item" + (" active" if current else " disabled"))
        named = {"id": f"{P}page-{number}"} if label == str(number) else {}
        return html.Li(dcc.Link(label, href=f"/vitrine{where.query(number)}", className="page-link", **named),
                       className="page-item")

    return html.Nav(html.Ul([
        item("Vorige", p.page - 1, disabled=p.page == 1),
        *[item(str(n), n, current=n == p.page) for n in range(1, p.pages + 1)],
        item("Volgende", p.page + 1, disabled=p.page == p.pages),
    ], className="pagination flex-wrap"), **{"aria-label": "Pagina's van De Vitrine"}, id=P + "pager")


def grid(p: Paged, where: VitrineParams) -> list:
    """Return one page of cards in a responsive grid, with the count and the links to the other pages."""
    if not p.total:
        return [html.P("Geen kaarten voor deze zoekopdracht.", id=P + "count"), dcc.Store(id=P + "focus")]
    first = (p.page - 1) * PER_PAGE + 1
    count = (f"{p.total} kaarten, {first}–{first + len(p.cards) - 1} op pagina {p.page} van {p.pages}"
             if p.pages > 1 else f"{p.total} kaarten")
    return [html.P(count, id=P + "count", className="text-muted"),
            dbc.Row([dbc.Col(card(c, c["application_id"] == p.focus), md=6, xl=4, className="mb-3")
                     for c in p.cards]),
            pager(p, where), dcc.Store(id=P + "focus", data=p.focus)]


def found(where: VitrineParams) -> list[dict[str, Any]]:
    """Return the published cards that fit the address's filters."""
    every = cards(current_db(), current_programme())
    return [c for c in every if matches(c, where.challenge, where.size, where.area_type, where.concepts, where.text)]


def search(challenge: str | None, size: str | None, area_type: str | None, concepts: list[str] | None,
           text: str | None) -> tuple[list, str]:
    """Return the first page of the cards that fit the filters, and the address's query for them."""
    where = VitrineParams(challenge or None, size or None, area_type or None, tuple(concepts or ()),
                          (text or "").strip())
    return grid(paged(found(where), 1, PER_PAGE), where), where.query()


def _select(label: str, component_id: str, options: list[str], value: str | None) -> html.Div:
    return html.Div([dbc.Label(label, html_for=component_id),
                     dcc.Dropdown(id=component_id, options=[{"label": o, "value": o} for o in options],
                                  placeholder="alle", value=value)])


def layout(**url: object) -> html.Div:
    """Return De Vitrine: the page of the address (or the one holding its card), filters as in the address."""
    try:
        where = VitrineParams.from_url(current_known(), **{k: str(v) for k, v in url.items()
                                                           if k in VITRINE_KEYS and v is not None})
    except RejectedError as exc:
        return not_found(exc.reason)
    hits = found(where)
    if where.card is not None and where.card not in {c["application_id"] for c in hits}:
        # The card of a link: shown among all cards when the filters hide it; an unpublished one is not there.
        where = where.unfiltered()
        hits = found(where)
        if where.card not in {c["application_id"] for c in hits}:
            return not_found(f"Er staat geen kaart met nummer {where.card} in De Vitrine.")
    shown = paged(hits, where.page, PER_PAGE, where.card)
    return html.Div([
        breadcrumbs([("Vlaanderen", "/"), ("De Vitrine", None)]),
        html.H1("De Vitrine", className="h3"),
        html.P("Wat gemeenten met de Profploeg deden, met hun cijfers voor en na tegenover gelijkaardige "
               "winkelgebieden. Elke kaart werd door de gemeente zelf goedgekeurd voor publicatie.",
               className="text-muted"),
        dbc.Row([
            dbc.Col(_select("Uitdaging", P + "challenge", [*CHALLENGES, OTHER], where.challenge), md=3),
            dbc.Col(_select("Grootteklasse (inwoners)", P + "size", list(SHORT_SIZE), where.size), md=3),
            dbc.Col(_select("Type hoofdwinkelgebied", P + "area-type", list(AREA_TYPES), where.area_type), md=3),
            dbc.Col(html.Div([dbc.Label("Zoek op naam of tekst", html_for=P + "text"),
                              dbc.Input(id=P + "text", type="search", debounce=True, maxLength=100,
                                        value=where.text)]), md=3),
        ], className="g-2 mb-2"),
        html.Div([dbc.Label("Concepten (Re-think Winkelstraat)", html_for=P + "concepts"),
                  dcc.Dropdown(id=P + "concepts", options=[{"label": c, "value": c} for c in CONCEPTS], multi=True,
                               placeholder="alle concepten", value=list(where.concepts))], className="mb-3"),
        html.Div(grid(shown, where), id=P + "cards"),
        *url_sync(URL_KEY), dcc.Store(id=P + "focus-done"),
    ], className="vitrine")


def card_link(card_id: int) -> str:
    """Return the address that lands on a card: the page that holds it, scrolled to it."""
    return f"/vitrine?kaart={card_id}"


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
            dcc.Link(peer.cards[0]["name"], href=card_link(peer.cards[0]["application_id"])),
            f" – {peer.cards[0]['title']} ",
            html.Span(f"(afstand {fmt_number(peer.similar.distance, 2)}: grootte {fmt_number(peer.similar.size_part)}"
                      f" + type {fmt_number(peer.similar.type_part)} + DNA "
                      f"{fmt_number(peer.similar.profile_part, 2)})", className="text-muted"),
        ]) for peer in peers], className="small mb-1"), html.P(RULE, className="small text-muted mb-0")]
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody(body)], className="mb-3 like-yours", id="like-yours")
