"""The overview's callbacks: filters -> rows; a status step; another inventory for the evaluation."""

from __future__ import annotations

import datetime as dt

import dash
from dash import Input, Output, State

from dashboard.accounts.access import readable
from dashboard.accounts.web import current_account
from dashboard.components.controls import url_search_id
from dashboard.controls import Callbacks
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.features.intake_overview.layout import _listing, _query, detail, evaluation
from dashboard.features.intake_overview.params import URL_KEY, P
from dashboard.formatting import fmt_date
from dashboard.intake.baseline import snapshot
from dashboard.intake.store import TransitionError, current_store
from dashboard.intake.validation import ValidationError

CALLBACKS = Callbacks()


@CALLBACKS(
    output=[Output(P + "rows", "children"), Output(P + "counts", "children"), Output(url_search_id(URL_KEY), "data")],
    inputs={"province": Input(P + "province", "value"), "status": Input(P + "status", "value")},
    state={"selected": State(P + "selected", "data")},
    prevent_initial_call=True,
)
def filter_rows(province: str | None, status: str | None, selected: dict | None) -> tuple:
    """Province or status picked -> the matching applications, and the choice in the address bar."""
    return (*_listing(province, status), _query(province, status, (selected or {}).get("id")))


@CALLBACKS(
    output=[Output(P + "detail-box", "children"), Output(P + "rows", "children", allow_duplicate=True),
            Output(P + "counts", "children", allow_duplicate=True)],
    inputs={"_clicks": Input(P + "move", "n_clicks")},
    state={"to": State(P + "move-to", "value"), "on": State(P + "move-date", "value"),
           "author": State(P + "author", "value"), "selected": State(P + "selected", "data"),
           "province": State(P + "province", "value"), "status": State(P + "status", "value")},
    prevent_initial_call=True,
)
def move(_clicks: int, to: str | None, on: str | None, author: str | None, selected: dict | None,
         province: str | None, status: str | None) -> tuple:
    """Move the opened application one step, dated; a refused step says why and changes nothing."""
    app_id = (selected or {}).get("id")
    if not app_id:
        raise dash.exceptions.PreventUpdate
    store = current_store()
    account = current_account()
    app = readable(account, store.get(app_id))  # the guard let only VLAIO through; it reaches every application
    problem = None
    day = dt.date.fromisoformat(on[:10]) if on else dt.date.today()
    if not to:
        problem = "Kies de volgende stap."
    elif day > dt.date.today():
        problem = f"De datum {fmt_date(day)} ligt in de toekomst: een stap wordt gezet wanneer hij plaatsvindt."
    else:
        db = current_db()
        try:
            baseline = snapshot(db, app.nis_code, app.zone_area_ids, day) if to == "intake" else None
            # The author is the logged-in account, never the form's field.
            store.move_status(app_id, to, account.name, day,  # type: ignore[union-attr]
                              known_nis=frozenset(queries.municipalities(db)["nis_code"]), baseline=baseline)
        except (TransitionError, ValidationError) as exc:
            problem = str(exc)
    box = detail(app_id, problem)
    return (box, *_listing(province, status))


@CALLBACKS(output=Output(P + "evaluation-box", "children"), inputs={"year": Input(P + "eval-year", "value")},
           state={"selected": State(P + "selected", "data")}, prevent_initial_call=True)
def show_evaluation(year: int | None, selected: dict | None) -> list:
    """Another inventory year picked -> the evaluation of the opened application against it."""
    app_id = int((selected or {}).get("id") or 0)
    if not (app_id and year):
        raise dash.exceptions.PreventUpdate
    store = current_store()
    snapshots = store.baselines(readable(current_account(), store.get(app_id)).id)
    if not snapshots:
        raise dash.exceptions.PreventUpdate
    return evaluation(snapshots[-1].values or {}, year)

