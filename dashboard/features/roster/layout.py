"""``/experten``: the Profploeg's expert roster (role ``vlaio``).

Each expert (a person or a firm) with its profiles of the 17, day rate, available days per month, the days
planned in teams and whether it is active. An expert with planned days is deactivated, never removed: the teams
and their cost refer to it; an inactive expert joins no new team.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.layout import breadcrumbs, refusal
from dashboard.features.calls.layout import _table, eur
from dashboard.features.roster.params import ACCESS, NEW, P
from dashboard.formatting import fmt_number
from dashboard.intake.models import EXPERTS
from dashboard.programme.models import EXPERT_KINDS, Expert
from dashboard.programme.rules import MAX_DAYS_PER_MONTH
from dashboard.programme.store import current_programme

PAGE = {"path": "/experten", "name": "Expertenpool", "title": "Smart Retail · Expertenpool Profploeg"}


def roster() -> list:
    """Return the roster as a table, active experts first."""
    p = current_programme()
    planned = p.planned_days()
    experts = sorted(p.experts(), key=lambda e: (not e.active, e.name, e.id))
    rows = [[str(e.id), e.name, e.kind, ", ".join(e.profiles), eur(e.day_rate), fmt_number(e.days_per_month, 1),
             fmt_number(planned.get(e.id, 0.0), 1), "actief" if e.active else "inactief"] for e in experts]
    active = sum(e.active for e in experts)
    return [html.P(f"{active} actieve en {len(experts) - active} inactieve experten.", id=P + "count",
                   className="small text-muted"),
            _table(["Nr.", "Naam", "Soort", "Profielen", "Dagtarief", "Dagen/maand", "Gepland (dagen)", "Status"],
                   rows, P + "table") if rows else dbc.Alert("Nog geen experten in de pool.", color="info")]


def choices(experts: list[Expert]) -> list[dict]:
    """Return the form's choice of expert: a new one, or one of the roster."""
    return [{"label": "Nieuwe expert", "value": NEW},
            *({"label": f"{e.name}{'' if e.active else ' (inactief)'}", "value": e.id} for e in experts)]


def _col(label: str, component: object, component_id: str, width: int) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=component_id, className="small"), component], md=width)


def expert_form(experts: list[Expert]) -> dbc.Card:
    """Return the form that adds an expert or changes, deactivates or removes the one picked."""
    return dbc.Card([dbc.CardHeader(html.H2("Expert toevoegen of wijzigen", className="h6 mb-0")), dbc.CardBody([
        dbc.Row([_col("Expert", dcc.Dropdown(id=P + "pick", options=choices(experts), value=NEW, clearable=False),
                      P + "pick", 6),
                 _col("Naam (persoon of bureau)", dbc.Input(id=P + "name", type="text", maxLength=200), P + "name", 6)],
                className="g-2 mb-2"),
        dbc.Row([_col("Soort", dbc.RadioItems(id=P + "kind", options=list(EXPERT_KINDS), value=EXPERT_KINDS[0],
                                              inline=True), P + "kind", 4),
                 _col("E-mail (koppelt een account van de rol expert, niet verplicht)",
                      dbc.Input(id=P + "email", type="email", maxLength=254), P + "email", 8)], className="g-2 mb-2"),
        _col("Profielen (van de 17)", dcc.Dropdown(id=P + "profiles", options=list(EXPERTS), multi=True),
             P + "profiles", 12),
        dbc.Row([_col("Dagtarief (EUR)", dbc.Input(id=P + "rate", type="number", min=0, step=25), P + "rate", 4),
                 _col("Beschikbare dagen per maand",
                      dbc.Input(id=P + "days", type="number", min=0, max=MAX_DAYS_PER_MONTH, step=0.5),
                      P + "days", 4)], className="g-2 my-2"),
        html.Div([dbc.Button("Expert bewaren", id=P + "save", color="primary", n_clicks=0, className="me-2"),
                  dbc.Button("Activeren / deactiveren", id=P + "toggle", color="secondary", outline=True,
                             n_clicks=0, className="me-2"),
                  dbc.Button("Verwijderen", id=P + "remove", color="danger", outline=True, n_clicks=0)]),
        html.P("Een expert met geplande dagen wordt gedeactiveerd, niet verwijderd: zijn teams blijven zoals ze "
               "zijn, maar hij komt in geen nieuw team.", className="small text-muted mt-2 mb-0"),
        html.Div(id=P + "message", className="mt-2", role="status"),
    ])], className="mb-3 roster-form")


def layout(**_: object) -> html.Div:
    """Return the roster and its form."""
    refused = refusal(ACCESS, "/experten")
    if refused is not None:
        return refused
    return html.Div([
        breadcrumbs([("Vlaanderen", "/"), ("Oproepen", "/oproepen"), ("Expertenpool", None)]),
        html.H1("Expertenpool van de Profploeg", className="h3"),
        expert_form(current_programme().experts()),
        html.Div(roster(), id=P + "box"),
    ])
