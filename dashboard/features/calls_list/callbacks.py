"""``/oproepen``'s callbacks: open a call in the form, and save it (thin: the rules are the store's)."""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboard.controls import Callbacks
from dashboard.features.calls_list.layout import choices, listing
from dashboard.features.calls_list.params import NEW, P
from dashboard.programme.rules import call_problems
from dashboard.programme.store import ProgrammeError, current_programme

CALLBACKS = Callbacks()
FIELDS = ("name", "opens", "deadline", "start", "capacity", "budget-eur", "budget-days")


@CALLBACKS(output=[Output(P + f, "value") for f in FIELDS], inputs={"pick": Input(P + "pick", "value")})
def open_call(pick: int | str | None) -> tuple:
    """Fill the form with the picked call, or empty it for a new one."""
    number = int(pick or NEW)
    if number == NEW:
        return ("", None, None, None, None, None, None)
    c = current_programme().call(number)
    return (c.name, c.opens_on.isoformat(), c.deadline.isoformat(), c.coaching_start.isoformat(), c.capacity,
            c.budget_eur, c.budget_days)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


@CALLBACKS(output=[Output(P + "message", "children"), Output("calls-list-box", "children"),
                   Output(P + "pick", "options"), Output(P + "pick", "value")],
           inputs={"_save": Input(P + "save", "n_clicks")},
           state={"pick": State(P + "pick", "value"), **{f.replace("-", "_"): State(P + f, "value") for f in FIELDS}},
           prevent_initial_call=True)
def save_call(_save: int, pick: int | str | None, name: str | None, opens: str | None, deadline: str | None,
              start: str | None, capacity: float | None, budget_eur: float | None, budget_days: float | None
              ) -> tuple:
    """Add a call, or change the picked one; a refusal says every reason and changes nothing."""
    if not _save:
        raise dash.exceptions.PreventUpdate
    p = current_programme()
    number = int(pick or NEW)
    values = (name or "", _day(opens), _day(deadline), _day(start), capacity, budget_eur, budget_days)
    problems = call_problems(*values)
    if problems:
        return _refused(problems)
    try:
        # call_problems found no value missing: the dates and figures are set.
        call = (p.create_call(*values) if number == NEW  # type: ignore[arg-type]
                else p.update_call(number, *values))  # type: ignore[arg-type]
    except ProgrammeError as exc:
        return _refused([exc.reason])
    done = "toegevoegd" if number == NEW else "gewijzigd"
    return (dbc.Alert(f"Oproep '{call.name}' {done}.", color="success", className="py-2", id=P + "alert"),
            listing(), choices(p.calls()), call.id)


def _refused(problems: list[str]) -> tuple:
    alert = dbc.Alert([html.Strong("Niet bewaard:"), html.Ul([html.Li(x) for x in problems], className="mb-0")],
                      color="warning", className="py-2", id=P + "alert")
    return alert, dash.no_update, dash.no_update, dash.no_update
