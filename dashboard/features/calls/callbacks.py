"""The call page's callbacks: open an application, save its scores and decision, accept the suggestion."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboard.accounts.web import current_account
from dashboard.controls import Callbacks
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.errors import RejectedError
from dashboard.features.calls.layout import overview
from dashboard.features.calls.params import REVIEWED, P
from dashboard.features.calls.view import review
from dashboard.features.intake.view import zone_fiche
from dashboard.intake.facts import facts_of
from dashboard.intake.fivb import DATA, five_b
from dashboard.programme.store import current_programme

CALLBACKS = Callbacks()
SCORES = [Output(f"{P}score-{k}", "value") for k in REVIEWED]


def _candidate(call_id: int, app_id: int) -> object:
    """Return the application ``app_id`` of call ``call_id`` (a number of another call: 404)."""
    found = [a for a, _ in current_programme().candidates(call_id) if a.id == app_id]
    if not found:
        raise RejectedError(404, f"Oproep {call_id} heeft geen aanvraag met nummer {app_id}.")
    return found[0]


def signals(app: object) -> html.Div:
    """Return the application's 5B signals: what the data show per B, and its challenge."""
    fiche = zone_fiche(current_db(), app.nis_code, app.zone_area_ids)  # type: ignore[attr-defined]
    result = five_b(facts_of(fiche) if fiche is not None else None, app)
    items = [html.Li([html.Strong(b + ": "), "; ".join(s.text for s in found if s.status == DATA) or
                      "niets uitgesproken in de data (na te gaan bij het plaatsbezoek)"])
             for b, found in result.items()]
    return html.Div([html.H3("5B-signalen uit de data", className="h6"), html.Ul(items, className="small"),
                     html.P(["Uitdaging: ", app.challenge or "–"], className="small text-muted")])  # type: ignore[attr-defined]


@CALLBACKS(output=[Output(P + "detail", "children"), *SCORES, Output(P + "decision", "value"),
                   Output(P + "reason", "value")],
           inputs={"pick": Input(P + "pick", "value")}, state={"call_id": State(P + "id", "data")},
           prevent_initial_call=True)
def open_application(pick: int | None, call_id: int | None) -> tuple:
    """Show the picked application's 5B signals, its scores so far and its decision."""
    if not pick or not call_id:
        raise dash.exceptions.PreventUpdate
    app = _candidate(call_id, pick)
    p = current_programme()
    scores = p.scores([pick])[pick]
    entry = p.candidacy(pick)
    return (signals(app), *[int(scores[k]) if k in scores else None for k in REVIEWED],
            entry.decision if entry else None, (entry.reason if entry else "") or "")


def _refresh(call_id: int) -> list:
    db = current_db()
    return overview(review(current_programme(), db, call_id, queries.years(db)))


@CALLBACKS(output=[Output(P + "message", "children"), Output(P + "overview", "children")],
           inputs={"_save": Input(P + "save", "n_clicks")},
           state={"pick": State(P + "pick", "value"), "scores": [State(f"{P}score-{k}", "value") for k in REVIEWED],
                  "decision": State(P + "decision", "value"), "reason": State(P + "reason", "value"),
                  "call_id": State(P + "id", "data")},
           prevent_initial_call=True)
def save_review(_save: int, pick: int | None, scores: list, decision: str | None, reason: str | None,
                call_id: int | None) -> tuple:
    """Save the scores and, when given, the decision with its reason; the overview follows."""
    if not call_id or not _save:
        raise dash.exceptions.PreventUpdate
    if not pick:
        return dbc.Alert("Kies eerst een aanvraag.", color="warning", className="py-2"), dash.no_update
    _candidate(call_id, pick)
    author = current_account().name  # type: ignore[union-attr]  # the guard let only VLAIO through
    p = current_programme()
    for key, value in zip(REVIEWED, scores, strict=True):
        p.set_score(pick, key, value, author)
    if decision:
        if not (reason or "").strip():
            return (dbc.Alert("Scores bewaard; een beslissing heeft een reden nodig.", color="warning",
                              className="py-2", id=P + "alert"), _refresh(call_id))
        p.decide([(pick, decision, reason or "")], author)
    done = f"Bewaard: aanvraag {pick}" + (f" – {decision}." if decision else " (scores).")
    return dbc.Alert(done, color="success", className="py-2", id=P + "alert"), _refresh(call_id)


@CALLBACKS(output=Output(P + "overview", "children", allow_duplicate=True),
           inputs={"_accept": Input(P + "accept", "n_clicks")}, state={"call_id": State(P + "id", "data")},
           prevent_initial_call=True)
def accept_suggestion(_accept: int, call_id: int | None) -> list:
    """Accept the suggestion: every application gets the suggested decision with its reason."""
    # A button drawn anew by a refresh arrives with 0 clicks: only a real click accepts.
    if not call_id or not _accept:
        raise dash.exceptions.PreventUpdate
    db = current_db()
    p = current_programme()
    r = review(p, db, call_id, queries.years(db))
    p.decide([(int(x.application_id), x.suggestion, f"suggestie overgenomen: {x.suggestion_reason}")
              for x in r.rows.itertuples()], current_account().name)  # type: ignore[union-attr]
    return _refresh(call_id)
