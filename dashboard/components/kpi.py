"""KPI cards: a value, its change against the previous year, and a footnote (e.g. the scope)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def kpi_card(label: str, value: str, delta: str | None = None, delta_good: bool | None = None,
             note: str | None = None, base_delta: str | None = None, sparkline: object | None = None) -> dbc.Card:
    """Return one KPI card. ``delta_good`` colours the change (True green, False red, None grey)."""
    tone = {True: "text-success", False: "text-danger", None: "text-muted"}[delta_good]
    body = [html.Div(label, className="kpi-label"), html.Div(value, className="kpi-value")]
    if delta:
        body.append(html.Div(delta, className=f"kpi-delta {tone}"))
    if base_delta:
        body.append(html.Div(base_delta, className="kpi-delta text-muted"))
    if sparkline is not None:
        body.append(sparkline)
    if note:
        body.append(html.Div(note, className="kpi-note text-muted"))
    return dbc.Card(dbc.CardBody(body), className="kpi-card h-100")
