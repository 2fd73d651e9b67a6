"""``/experten``'s callbacks: open an expert in the form, save, (de)activate or remove it (thin)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboard.controls import Callbacks
from dashboard.features.roster.layout import choices, roster
from dashboard.features.roster.params import NEW, P
from dashboard.programme.models import EXPERT_KINDS
from dashboard.programme.store import ProgrammeError, current_programme

CALLBACKS = Callbacks()
FIELDS = ("name", "kind", "email", "profiles", "rate", "days")
PICKED = {"pick": State(P + "pick", "value")}
#: What every write returns: a message, the roster, and the form's choices (a name or status may have changed).
AFTER = [Output(P + "message", "children"), Output(P + "box", "children"), Output(P + "pick", "options"),
         Output(P + "pick", "value")]


@CALLBACKS(output=[Output(P + f, "value") for f in FIELDS], inputs={"pick": Input(P + "pick", "value")})
def open_expert(pick: int | None) -> tuple:
    """Fill the form with the picked expert, or empty it for a new one."""
    number = int(pick or NEW)
    if number == NEW:
        return ("", EXPERT_KINDS[0], "", [], None, None)
    e = next((x for x in current_programme().experts() if x.id == number), None)
    if e is None:
        raise dash.exceptions.PreventUpdate
    return (e.name, e.kind, e.email or "", list(e.profiles), e.day_rate, e.days_per_month)


def _done(text: str, pick: int) -> tuple:
    return (dbc.Alert(text, color="success", className="py-2", id=P + "alert"), roster(),
            choices(current_programme().experts()), pick)


def _refused(reason: str) -> tuple:
    return (dbc.Alert([html.Strong("Niet bewaard: "), reason], color="warning", className="py-2", id=P + "alert"),
            dash.no_update, dash.no_update, dash.no_update)


@CALLBACKS(output=AFTER, inputs={"_save": Input(P + "save", "n_clicks")},
           state={**PICKED, **{f: State(P + f, "value") for f in FIELDS}}, prevent_initial_call=True)
def save_expert(_save: int, pick: int | None, name: str | None, kind: str | None, email: str | None,
                profiles: list[str] | None, rate: float | None, days: float | None) -> tuple:
    """Add an expert, or change the picked one; a refusal says every reason and changes nothing."""
    if not _save:
        raise dash.exceptions.PreventUpdate
    p = current_programme()
    values = (name or "", kind or "", profiles or [], rate if rate is not None else 0.0,
              days if days is not None else 0.0, email)
    try:
        expert = (p.add_expert(*values) if not pick else p.update_expert(int(pick), *values))
    except ProgrammeError as exc:
        return _refused(exc.reason)
    return _done(f"Expert {expert.id} {'toegevoegd' if not pick else 'gewijzigd'}.", expert.id)


@CALLBACKS(output=[Output(o.component_id, o.component_property, allow_duplicate=True) for o in AFTER],
           inputs={"_toggle": Input(P + "toggle", "n_clicks"), "_remove": Input(P + "remove", "n_clicks")},
           state=PICKED, prevent_initial_call=True)
def toggle_or_remove(_toggle: int, _remove: int, pick: int | None) -> tuple:
    """Deactivate the picked expert (or activate it again), or remove one without planned days."""
    removing = dash.ctx.triggered_id == P + "remove"
    if not (_remove if removing else _toggle):
        raise dash.exceptions.PreventUpdate
    p = current_programme()
    now = next((e.active for e in p.experts() if e.id == pick), None) if pick else None
    if now is None:
        return _refused("kies eerst een expert uit de pool.")
    try:
        if removing:
            p.remove_expert(int(pick))  # type: ignore[arg-type]  # now is set: pick is an expert's number
            return _done(f"Expert {pick} verwijderd.", NEW)
        expert = p.set_expert_active(int(pick), not now)  # type: ignore[arg-type]
    except ProgrammeError as exc:
        return _refused(exc.reason)
    return _done(f"Expert {expert.id} is nu {'actief' if expert.active else 'inactief'}.", expert.id)
