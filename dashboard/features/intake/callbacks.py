"""The application form's callbacks: zone clicks, the 5B fiche and experts following the answers, saving."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, ctx, dcc, html

from dashboard.accounts.access import forbidden, may_edit, may_note
from dashboard.accounts.users import Account
from dashboard.accounts.web import current_account
from dashboard.components.controls import url_search_id
from dashboard.controls import Callbacks
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.features.intake.layout import ERROR_FIELDS, _history, _links, _title, _unsaved
from dashboard.features.intake.params import URL_KEY, P
from dashboard.features.intake.view import analyse as analyse_zone
from dashboard.figures.maps import zone_trace
from dashboard.intake.expertise import EXPERTS
from dashboard.intake.fivb import DATA
from dashboard.intake.form import TEXT_FIELDS, collect, save_form, stored_values
from dashboard.intake.models import B_NAMES
from dashboard.intake.store import current_store, missing

CALLBACKS = Callbacks()


def _texts(dep: type[Input] | type[State]) -> list:
    return [dep(P + "f-" + f.name, "value") for f in TEXT_FIELDS]


@CALLBACKS(output=Output(P + "f-zone_area_ids", "value"), inputs={"click": Input(P + "zone-map", "clickData")},
           state={"zone": State(P + "f-zone_area_ids", "value")}, prevent_initial_call=True)
def toggle_area(click: dict | None, zone: list[str] | None) -> list[str]:
    """Add a shopping area clicked on the map to the zone, or take it out."""
    point = ((click or {}).get("points") or [{}])[0]
    custom = point.get("customdata")
    if not (isinstance(custom, list) and len(custom) > 1 and custom[0] == "winkelgebied"):
        raise dash.exceptions.PreventUpdate
    area, zone = str(custom[1]), list(zone or [])
    return [a for a in zone if a != area] if area in zone else [*zone, area]


@CALLBACKS(output=Output(P + "zone-map", "figure"), inputs={"zone": Input(P + "f-zone_area_ids", "value")},
           state={"nis": State(P + "nis", "data")}, prevent_initial_call=True)
def show_zone(zone: list[str] | None, nis: str | None) -> Patch:
    """Fill the picked areas on the map (only that layer is sent again)."""
    if nis is None:
        raise dash.exceptions.PreventUpdate
    db = current_db()
    patch = Patch()
    patch["data"][0] = zone_trace(queries.map_areas(db, nis, queries.years(db)[-1]), zone)
    return patch


def _signal(signal: object) -> html.Li:
    data = signal.status == DATA
    return html.Li([dbc.Badge(signal.status, color="primary" if data else "secondary", className="me-1"),
                    signal.text], **{"data-status": "data" if data else "bezoek"})


@CALLBACKS(
    output=[[Output(f"{P}fivb-{i}", "children") for i in range(len(B_NAMES))], Output(P + "fiche-note", "children"),
            Output(P + "experts", "options"), Output(P + "experts", "value"), Output(P + "suggested", "data")],
    inputs={"zone": Input(P + "f-zone_area_ids", "value"), "zone_description": Input(P + "f-zone_description", "value"),
            "texts": _texts(Input)},
    state={"chosen": State(P + "experts", "value"), "old_suggested": State(P + "suggested", "data"),
           "nis": State(P + "nis", "data")},
)
def analyse(zone: list[str] | None, zone_description: str | None, texts: list, chosen: list[str] | None,
            old_suggested: list[str] | None, nis: str | None) -> tuple:
    """Zone or answers changed -> the 5B fiche and the expert suggestions of the zone's DNA fiche."""
    if nis is None:
        raise dash.exceptions.PreventUpdate
    result = analyse_zone(current_db(), nis, zone, zone_description, texts, chosen, old_suggested)
    reasons, fiche = result.reasons, result.fiche
    options = [{"label": html.Span([html.Span(e, className="fw-semibold" if e in reasons else None),
                                    html.Span(" – voorgesteld: " + "; ".join(reasons[e]), className="small text-muted")
                                    if e in reasons else None]), "value": e} for e in EXPERTS]
    if fiche is None:
        note: object = "Geen winkelgebied met gegevens: de 5B-fiche zegt wat het plaatsbezoek moet uitzoeken."
    else:
        a = fiche.area
        note = ["Cijfers uit de DNA-fiche van ", dcc.Link(a["name"], href=f"/gemeente/{nis}/fiche?gebied="
                                                                            f"{a['area_id']}&jaar={fiche.year}"),
                f" (inventaris {fiche.year}). {fiche.peer_note}"]
    lists = [html.Ul([_signal(s) for s in result.signals[b]], className="list-unstyled mb-0 fivb-signals")
             for b in B_NAMES]
    return lists, note, options, result.chosen, result.suggested


@CALLBACKS(
    output=[Output(P + "app", "data"), Output(P + "saved", "data"), Output(P + "message", "children"),
            Output(P + "title", "children"), Output(P + "links", "children"), Output(P + "history", "children"),
            Output(P + "submit", "disabled"), Output(url_search_id(URL_KEY), "data"),
            [Output(P + "f-" + name, "invalid") for name in ERROR_FIELDS if name not in ("zone_area_ids", "author")],
            Output(P + "author", "invalid"), [Output(P + "err-" + name, "children") for name in ERROR_FIELDS]],
    inputs={"_save": Input(P + "save", "n_clicks"), "_submit": Input(P + "submit", "n_clicks"),
            "_tick": Input(P + "autosave", "n_intervals")},
    state={"texts": _texts(State), "zone": State(P + "f-zone_area_ids", "value"),
           "zone_description": State(P + "f-zone_description", "value"),
           "notes": [State(f"{P}note-{i}", "value") for i in range(len(B_NAMES))],
           "suggested": State(P + "suggested", "data"), "chosen": State(P + "experts", "value"),
           "state": State(P + "app", "data"), "saved": State(P + "saved", "data"),
           "author": State(P + "author", "value"), "nis": State(P + "nis", "data")},
    prevent_initial_call=True,
    # No autosave and no second click while a save runs: two saves of one version would conflict.
    running=[(Output(P + "autosave", "disabled"), True, False), (Output(P + "save", "disabled"), True, False)],
)
def save(_save: int | None, _submit: int | None, _tick: int | None, texts: list, zone: list[str] | None,
         zone_description: str | None, notes: list, suggested: list[str] | None, chosen: list[str] | None,
         state: dict | None, saved: dict | None, author: str | None, nis: str | None) -> tuple:
    """Save, autosave or submit -> the outcome's message, field errors, the new version and the address."""
    if state is None or nis is None:
        raise dash.exceptions.PreventUpdate
    action = {P + "save": "bewaren", P + "submit": "indienen"}.get(str(ctx.triggered_id), "auto")
    account = writer(nis, state.get("id"))
    if account.role == "expert" and action == "indienen":
        raise forbidden()  # only the municipality submits its application
    # The author is the logged-in account, never the form's field (a forged payload could name anyone).
    return save_outputs(action, texts, zone, zone_description, notes, suggested, chosen, state, saved, account.name,
                        nis, notes_only=account.role == "expert")


def writer(nis: str, app_id: int | None) -> Account:
    """Return the account that may write application ``app_id`` of ``nis`` (a new one: ``None``), else refuse.

    The municipality writes its own applications; an expert only the 5B notes of those it is assigned to.
    An application out of reach is refused as one that does not exist.
    """
    account = current_account()
    if app_id is not None:
        app = current_store().get(app_id)
        if app.nis_code != nis or not (may_edit(account, nis) or may_note(account, app_id, nis)):
            raise missing(app_id)
        return account  # type: ignore[return-value]  # may_edit and may_note are False without an account
    if account is None or not may_edit(account, nis):
        raise forbidden()
    return account


def save_outputs(action: str, texts: list, zone: list[str] | None, zone_description: str | None, notes: list,
                 suggested: list[str] | None, chosen: list[str] | None, state: dict, saved: dict | None,
                 author: str | None, nis: str, *, notes_only: bool = False) -> tuple:
    """Return the save callback's outputs for ``action`` (``bewaren``, ``indienen`` or ``auto``).

    ``notes_only`` (an expert): of the form only the 5B notes are taken; every other field is kept as stored,
    whatever the request sends.
    """
    values = collect(texts, zone, zone_description, notes, suggested, chosen)
    if notes_only:
        saved = stored_values(current_store().get(state["id"]))
        values = {**saved, "five_b_notes": values["five_b_notes"]}
    # Only a submission checks the NIS code: no query on the autosave's every tick.
    known = frozenset(queries.municipalities(current_db())["nis_code"]) if action == "indienen" else None
    outcome = save_form(current_store(), nis, state.get("id"), state.get("version"), values, saved, author, action,
                        known)
    if outcome is None:
        raise dash.exceptions.PreventUpdate
    app = outcome.app
    new_state = {"id": app.id, "version": app.version} if app is not None else dash.no_update
    message = dbc.Alert([outcome.message, _unsaved(outcome.unsaved)], color=outcome.kind, className="py-2 small mb-0",
                        id=P + "alert")
    errors = outcome.errors
    flags = [name in errors for name in ERROR_FIELDS if name not in ("zone_area_ids", "author")]
    texts_out = [errors.get(name, "") for name in ERROR_FIELDS]
    return (new_state,
            outcome.saved if outcome.saved is not None else dash.no_update,
            message,
            _title(app) if app is not None else dash.no_update,
            _links(app, nis) if app is not None else dash.no_update,
            _history(app.id) if app is not None else dash.no_update,
            app is not None and app.status != "aanvraag",
            f"?aanvraag={app.id}" if app is not None else dash.no_update,
            flags, "author" in errors, texts_out)
