"""``/oproepen``: the programme's calls with their selection figures and the programme's budget.

VLAIO adds a call or changes one here (the rules in :mod:`dashboard.programme.rules`, checked again by the store).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.layout import breadcrumbs, refusal
from dashboard.features.calls.layout import _table, eur
from dashboard.features.calls_list.params import ACCESS, NEW, P
from dashboard.formatting import fmt_date
from dashboard.programme.demo import PROGRAMME_BUDGET, summarise
from dashboard.programme.models import Call
from dashboard.programme.store import current_programme

PAGE = {"path": "/oproepen", "name": "Oproepen", "title": "Smart Retail · Oproepen Profploeg", "menu": True,
        "order": 6}


def listing() -> list:
    """Return the programme's total and the table of calls with their selection figures."""
    p = current_programme()
    calls = {c.name: c for c in p.calls()}
    figures = summarise(p, written=False).per_call
    rows = [[html.A(f["call"], href=f"/oproepen/{calls[str(f['call'])].id}"),
             fmt_date(calls[str(f["call"])].deadline), str(f["applications"]), str(f["selected"]),
             f"{f['provinces']} van 5", eur(float(f["budget_used"])), eur(float(f["budget"]))] for f in figures]
    used = sum(float(f["budget_used"]) for f in figures)
    return [
        html.P(f"Programmabudget {eur(PROGRAMME_BUDGET)}; gepland in teams: {eur(used)}.", id="calls-total"),
        _table(["Oproep", "Deadline", "Aanvragen", "Geselecteerd", "Provincies", "Gepland (teams)", "Budget"], rows,
               "calls-list") if rows else dbc.Alert("Nog geen oproepen.", color="info"),
    ]


def choices(calls: list[Call]) -> list[dict]:
    """Return the form's choice of call: a new one, or one of ``calls``."""
    return [{"label": "Nieuwe oproep", "value": NEW}, *({"label": c.name, "value": c.id} for c in calls)]


def _field(label: str, component_id: str, kind: str, width: int, **extra: object) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=component_id, className="small"),
                    dbc.Input(id=component_id, type=kind, **extra)], md=width)


def call_form(calls: list[Call]) -> dbc.Card:
    """Return the form that adds a call or changes the one picked."""
    return dbc.Card([dbc.CardHeader(html.H2("Oproep toevoegen of wijzigen", className="h6 mb-0")), dbc.CardBody([
        dbc.Row([dbc.Col([dbc.Label("Oproep", html_for=P + "pick", className="small"),
                          dcc.Dropdown(id=P + "pick", options=choices(calls), value=NEW, clearable=False)], md=6),
                 _field("Naam", P + "name", "text", 6, maxLength=200)], className="g-2 mb-2"),
        dbc.Row([_field("Opent op", P + "opens", "date", 4), _field("Deadline aanvragen", P + "deadline", "date", 4),
                 _field("Start coaching", P + "start", "date", 4)], className="g-2 mb-2"),
        dbc.Row([_field("Capaciteit (trajecten)", P + "capacity", "number", 4, min=1, step=1),
                 _field("Budget (EUR)", P + "budget-eur", "number", 4, min=0, step=100),
                 _field("Budget (expertendagen)", P + "budget-days", "number", 4, min=0, step=0.5)],
                className="g-2 mb-2"),
        html.P("De deadline ligt na de opening en de coaching start na de deadline. Een wijziging mag de oproep niet "
               "onder wat al vastligt brengen: de geselecteerde trajecten en de kosten en dagen van hun teams.",
               className="small text-muted"),
        dbc.Button("Oproep bewaren", id=P + "save", color="primary", n_clicks=0),
        html.Div(id=P + "message", className="mt-2", role="status"),
    ])], className="mb-3 call-form")


def layout(**_: object) -> html.Div:
    """Return the list of calls and the form."""
    refused = refusal(ACCESS, "/oproepen")
    if refused is not None:
        return refused
    return html.Div([
        breadcrumbs([("Vlaanderen", "/"), ("Oproepen", None)]),
        html.H1("Oproepen van de Profploeg", className="h3"),
        html.Div(listing(), id="calls-list-box"),
        html.P([html.A("De expertenpool beheren", href="/experten")], className="small"),
        call_form(current_programme().calls()),
    ])
