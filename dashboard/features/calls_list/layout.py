"""``/oproepen``: the programme's calls with their selection figures, and the programme's budget."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.layout import breadcrumbs, refusal
from dashboard.features.calls.layout import _table, eur
from dashboard.features.calls_list.params import ACCESS
from dashboard.formatting import fmt_date
from dashboard.programme.demo import PROGRAMME_BUDGET, summarise
from dashboard.programme.store import current_programme

PAGE = {"path": "/oproepen", "name": "Oproepen", "title": "Smart Retail · Oproepen Profploeg", "menu": True,
        "order": 6}


def layout(**_: object) -> html.Div:
    """Return the list of calls."""
    refused = refusal(ACCESS, "/oproepen")
    if refused is not None:
        return refused
    p = current_programme()
    calls = {c.name: c for c in p.calls()}
    figures = summarise(p, written=False).per_call
    rows = [[html.A(f["call"], href=f"/oproepen/{calls[str(f['call'])].id}"),
             fmt_date(calls[str(f["call"])].deadline), str(f["applications"]), str(f["selected"]),
             f"{f['provinces']} van 5", eur(float(f["budget_used"])), eur(float(f["budget"]))] for f in figures]
    used = sum(float(f["budget_used"]) for f in figures)
    return html.Div([
        breadcrumbs([("Vlaanderen", "/"), ("Oproepen", None)]),
        html.H1("Oproepen van de Profploeg", className="h3"),
        html.P(f"Programmabudget {eur(PROGRAMME_BUDGET)}; gepland in teams: {eur(used)}.", id="calls-total"),
        _table(["Oproep", "Deadline", "Aanvragen", "Geselecteerd", "Provincies", "Gepland (teams)", "Budget"], rows,
               "calls-list") if rows else dbc.Alert("Nog geen oproepen.", color="info"),
    ])
