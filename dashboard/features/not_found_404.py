"""The friendly 404 page Dash shows for an unknown path."""

from __future__ import annotations

from dash import dcc, html

PAGE = {"path": "/404", "name": "Niet gevonden", "title": "Smart Retail · niet gevonden"}


def layout(**_kwargs: object) -> html.Div:
    """Return the page."""
    return html.Div([
        html.H1("Deze pagina bestaat niet", className="h3"),
        html.P("Het adres verwijst naar geen gemeente, provincie of pagina van het dashboard."),
        dcc.Link("Terug naar het overzicht van Vlaanderen", href="/"),
    ])
