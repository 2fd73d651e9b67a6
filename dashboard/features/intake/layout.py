"""``/gemeente/<nis>/intake?aanvraag=<nr>``: the application for a Profploeg trajectory, with its 5B fiche.

The form saves drafts (button and every 20 seconds when something changed) with the version it was loaded
at, so two people editing at once get a clear message instead of overwriting each other. The 5B fiche and
the suggested experts are read from the DNA fiche of the zone's main shopping area, and follow the answers.
"""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import params
from dashboard.accounts.access import may_edit, may_note, readable
from dashboard.accounts.users import Account
from dashboard.accounts.web import current_account
from dashboard.components.controls import GRAPH_CONFIG, url_sync
from dashboard.components.layout import breadcrumbs, not_found, refusal_text
from dashboard.data import queries
from dashboard.data.db import current_db, map_tiles
from dashboard.features.intake.params import URL_KEY, IntakeParams, P
from dashboard.features.vitrine.layout import like_yours_slot
from dashboard.figures.maps import TileSource, zone_map
from dashboard.formatting import fmt_time
from dashboard.intake.dossier import dossier_filename
from dashboard.intake.expertise import EXPERTS
from dashboard.intake.form import (
    SECTIONS,
    TEXT_FIELDS,
    Field,
    stored_values,
    unsaved_texts,
)
from dashboard.intake.models import B_NAMES, Application
from dashboard.intake.store import NotFoundError, current_store
from dashboard.intake.validation import FIELDS
from dashboard.programme.store import current_programme, placement_text
from dashboard.vocab import current_known

PAGE = {"path_template": "/gemeente/<nis>/intake", "name": "Aanvraag Profploeg",
        "title": "Smart Retail · Aanvraag Profploeg"}
AUTOSAVE_MS = 20_000
#: The status names as the form shows them.
STATUS_LABELS = {"aanvraag": "concept (nog niet ingediend)", "beoordeling": "ingediend, in beoordeling bij VLAIO",
                 "intake": "intake", "coaching": "coaching", "evaluatie": "evaluatie"}
#: Outputs with a message under an input: the text fields, the zone and the author's name.
ERROR_FIELDS: tuple[str, ...] = (*(f.name for f in TEXT_FIELDS), "zone_area_ids", "author")


def _input(f: Field, value: str | None) -> html.Div:
    component_id = P + "f-" + f.name
    if f.kind == "long":
        box = dbc.Textarea(id=component_id, value=value or "", placeholder=f.hint, rows=3, debounce=True,
                           maxLength=10_000)
    else:
        box = dbc.Input(id=component_id, value=value or "", type=f.kind, placeholder=f.hint, debounce=True,
                        maxLength=254 if f.kind != "tel" else 32)
    return html.Div([dbc.Label(f.label, html_for=component_id), box,
                     dbc.FormFeedback(id=P + "err-" + f.name, type="invalid")], className="mb-3")


def _section(title: str, fields: tuple[Field, ...], values: dict) -> dbc.Card:
    return dbc.Card([dbc.CardHeader(html.H2(title, className="h6 mb-0")),
                     dbc.CardBody([_input(f, values.get(f.name)) for f in fields])], className="mb-3")


def _zone_section(areas: pd.DataFrame, values: dict, tiles: TileSource | None) -> dbc.Card:
    options = [{"label": f"{r.name} ({r.area_type})", "value": r.area_id} for r in areas.itertuples()]
    zone = values.get("zone_area_ids") or []
    return dbc.Card([
        dbc.CardHeader(html.H2("De zone", className="h6 mb-0")),
        dbc.CardBody([
            html.P("Duid de winkelgebieden aan op de kaart of in de lijst, en/of omschrijf de zone.",
                   className="small text-muted"),
            dcc.Graph(id=P + "zone-map", figure=zone_map(areas, zone, tiles),
                      config={**GRAPH_CONFIG, "scrollZoom": False}) if not areas.empty else
            html.P("Deze gemeente heeft geen afgebakende winkelgebieden: omschrijf de zone.", className="small"),
            dbc.Label(FIELDS["zone_area_ids"], html_for=P + "f-zone_area_ids", className="mt-2"),
            dbc.Checklist(id=P + "f-zone_area_ids", options=options, value=zone),
            html.Div(id=P + "err-zone_area_ids", className="text-danger small"),
            dbc.Label(FIELDS["zone_description"], html_for=P + "f-zone_description", className="mt-2"),
            dbc.Textarea(id=P + "f-zone_description", value=values.get("zone_description") or "", rows=2,
                         debounce=True, maxLength=10_000,
                         placeholder="Bv. de Veldstraat en de zijstraten tot de Kouter"),
        ]),
    ], className="mb-3")


def _five_b_section(values: dict) -> dbc.Card:
    notes = values.get("five_b_notes") or {}
    cards = [dbc.Card([
        dbc.CardHeader(html.H3(b, className="h6 mb-0")),
        dbc.CardBody([
            html.Div(id=f"{P}fivb-{i}"),
            dbc.Label(f"Notities van de expert bij {b}", html_for=f"{P}note-{i}", className="small mt-2"),
            dbc.Textarea(id=f"{P}note-{i}", value=notes.get(b, ""), rows=2, debounce=True, maxLength=10_000),
        ]),
    ], className="mb-2") for i, b in enumerate(B_NAMES)]
    return dbc.Card([
        dbc.CardHeader(html.H2("5B-intakefiche", className="h6 mb-0")),
        dbc.CardBody([html.P(id=P + "fiche-note", className="small text-muted"),
                      html.P([dbc.Badge("de data tonen", color="primary", className="me-1"), "een bevinding met cijfer "
                              "en peers; ", dbc.Badge("na te gaan bij het plaatsbezoek", color="secondary",
                                                      className="me-1"), "geen uitgesproken data of een antwoord "
                              "dat ter plaatse te toetsen is."], className="small"),
                      *cards]),
    ], className="mb-3", id=P + "fivb")


def _experts_section(values: dict) -> dbc.Card:
    experts = values.get("experts") or {}
    return dbc.Card([
        dbc.CardHeader(html.H2("Experten", className="h6 mb-0")),
        dbc.CardBody([
            html.P("Voorgesteld op basis van de data en de aanvraag, elk met de reden. Vink aan of af: uw keuze "
                   "blijft bewaard, ook als de voorstellen wijzigen.", className="small text-muted"),
            dbc.Checklist(id=P + "experts", options=[{"label": e, "value": e} for e in EXPERTS],
                          value=experts.get("chosen") or []),
            dcc.Store(id=P + "suggested", data=experts.get("suggested")),
        ]),
    ], className="mb-3")


def _account_name() -> str:
    account = current_account()
    return account.name if account is not None else ""


def _side(app: Application | None, nis: str) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        dbc.Label("Bewaard op naam van", html_for=P + "author"),
        # The server signs every save with the logged-in account; this field only shows it (and is not stored
        # in the browser: no names in localStorage).
        dbc.Input(id=P + "author", value=_account_name(), maxLength=200, readonly=True, disabled=True),
        dbc.FormFeedback(id=P + "err-author", type="invalid"),
        html.P("Elke wijziging wordt bewaard met naam en tijdstip.", className="small text-muted mt-1"),
        html.Div([
            dbc.Button("Concept bewaren", id=P + "save", color="secondary", className="me-2 mb-2"),
            dbc.Button("Indienen", id=P + "submit", color="primary", className="mb-2",
                       disabled=app is not None and app.status != "aanvraag"),
        ]),
        _call_note(app),
        html.Div(id=P + "message", role="status", **{"aria-live": "polite"}),
        html.Div(_links(app, nis), id=P + "links", className="small mt-2"),
        html.Details([html.Summary("Geschiedenis", className="small"),
                      html.Div(_history(app.id if app else None), id=P + "history")], className="mt-2"),
    ]), className="intake-side")


def _call_note(app: Application | None) -> html.P | None:
    """Return which call the application goes to when submitted today (the programme, issue 19)."""
    if app is not None and app.status != "aanvraag":
        return None
    return html.P(placement_text(current_programme().placement(dt.date.today())), className="small",
                  id=P + "call-note")


def _links(app: Application | None, nis: str) -> list:
    if app is None:
        return [dcc.Link("Alle aanvragen", href="/intake")]
    return [html.A("Intakedossier (PDF)", href=f"/gemeente/{nis}/intake.pdf?aanvraag={app.id}", id=P + "dossier",
                   download=dossier_filename(app), className="d-block"),
            dcc.Link("Opvolging in het overzicht", href=f"/intake?aanvraag={app.id}", className="d-block")]


def _unsaved(unsaved: dict) -> html.Details | None:
    # After a conflict the reload shows the other person's version: keep what this person typed at hand.
    if not unsaved:
        return None
    return html.Details([html.Summary("Uw niet-bewaarde tekst (om over te nemen na het herladen)"),
                         html.Dl([item for label, text in unsaved_texts(unsaved)
                                  for item in (html.Dt(label), html.Dd(text, className="text-pre-wrap"))])],
                        open=True, className="mt-2", id=P + "unsaved")


def _title(app: Application | None) -> str:
    if app is None:
        return "Nieuwe aanvraag"
    return f"Aanvraag nr. {app.id} · status: {STATUS_LABELS.get(app.status, app.status)}"


def _history(app_id: int | None) -> list:
    if app_id is None:
        return [html.P("Nog niet bewaard.", className="small text-muted")]
    entries = current_store().history(app_id)[::-1][:20]
    return [html.Ul([html.Li([html.Span(fmt_time(e.at), className="text-muted"), f" {e.author}: {e.text}"])
                     for e in entries], className="small ps-3")]


def _read_only(app: Application | None, account: Account | None, nis: str) -> dbc.Alert | None:
    if app is None or may_edit(account, nis):
        return None
    if may_note(account, app.id, nis):
        return dbc.Alert("U bent als expert aan deze aanvraag toegewezen: u schrijft de 5B-notities; de rest van de "
                         "aanvraag wijzigt alleen de gemeente zelf.", color="info", id=P + "read-only")
    return dbc.Alert("Alleen-lezen: alleen de gemeente zelf wijzigt haar aanvraag.", color="secondary",
                     id=P + "read-only")


def _existing(apps: list[Application], nis: str) -> dbc.Alert | None:
    if not apps:
        return None
    items = [html.Li([dcc.Link(f"Aanvraag nr. {a.id}", href=f"/gemeente/{nis}/intake?aanvraag={a.id}"),
                      f" – {STATUS_LABELS.get(a.status, a.status)}, gewijzigd {fmt_time(a.updated_at)}"]) for a in apps]
    return dbc.Alert([html.P("Deze gemeente heeft al aanvragen; ga verder met een bestaande of begin hieronder "
                             "een nieuwe.", className="mb-1"), html.Ul(items, className="mb-0")], color="info",
                     id=P + "existing")


def layout(nis: str | None = None, aanvraag: str | None = None, **_: object) -> html.Div:
    """Return the application form of ``nis`` (a new one, or application ``aanvraag`` to resume)."""
    db = current_db()
    p = IntakeParams.from_url(current_known(), nis, aanvraag)
    account = current_account()
    muni = params.municipality(db, p.nis)
    if muni is None:
        return not_found(f"Er is geen Vlaamse gemeente met NIS-code '{nis}'.")
    nis = p.nis
    store = current_store()
    app = None
    if p.application is not None:
        try:
            app = readable(account, store.get(p.application), nis)
        except NotFoundError:
            app = None
        # One text for "does not exist", "of another municipality" and "out of your reach".
        if app is None:
            return not_found(f"{muni['name']} heeft geen aanvraag met nummer '{aanvraag}'.")
    elif not may_edit(account, nis):
        return refusal_text("Alleen de gemeente zelf begint een aanvraag; open een bestaande aanvraag in het "
                            "overzicht.")
    values = stored_values(app)
    areas = queries.map_areas(db, nis, queries.years(db)[-1])
    version = {"id": app.id, "version": app.version} if app else {"id": None, "version": None}
    return html.Div([
        breadcrumbs([("Vlaanderen", "/"), (muni["province"], f"/provincie/{muni['province_code']}"),
                     (muni["name"], f"/gemeente/{nis}"), ("Aanvraag Profploeg", None)]),
        html.H1(f"Aanvraag Profploeg – {muni['name']}", className="h3"),
        html.P(_title(app), id=P + "title", className="text-muted"),
        _existing(store.list_applications(nis=nis), nis) if app is None else None,
        _read_only(app, account, nis),
        dbc.Row([
            dbc.Col([
                _section(*SECTIONS[0], values),
                _section(*SECTIONS[1], values),
                _zone_section(areas, values, map_tiles()),
                _section(*SECTIONS[2], values),
                _section(*SECTIONS[3], values),
                _five_b_section(values),
                _experts_section(values),
            ], lg=8),
            dbc.Col(html.Div([_side(app, nis), like_yours_slot(nis)], className="sticky-top pt-2"), lg=4),
        ], className="g-4"),
        dcc.Store(id=P + "nis", data=nis),
        dcc.Store(id=P + "app", data=version),
        dcc.Store(id=P + "saved", data=values),
        dcc.Interval(id=P + "autosave", interval=AUTOSAVE_MS),
        *url_sync(URL_KEY),
    ], className="intake")


