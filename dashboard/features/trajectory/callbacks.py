"""The trajectory page's callbacks: the team, the coaching log, the evaluation and its approval (thin)."""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State

from dashboard.accounts.web import current_account
from dashboard.controls import Callbacks
from dashboard.features.trajectory.layout import _role, eval_box, log_box, team_box, trajectory
from dashboard.features.trajectory.params import SLOTS, P
from dashboard.intake.store import TransitionError, current_store
from dashboard.programme.store import ProgrammeError, current_programme
from dashboard.programme.vitrine import card_figures

CALLBACKS = Callbacks()
ID = {"app_id": State(P + "id", "data")}


def _alert(text: str, ok: bool = True) -> dbc.Alert:
    return dbc.Alert(text, color="success" if ok else "warning", className="py-2", id=P + "alert")


def _author() -> str:
    account = current_account()
    assert account is not None  # the guard lets no anonymous request reach a write callback
    return account.name


def _day(text: str | None) -> dt.date:
    return dt.date.fromisoformat(text[:10]) if text else dt.date.today()


@CALLBACKS(output=[Output(P + "team-box", "children"), Output(P + "team-message", "children")],
           inputs={"_save": Input(P + "team-save", "n_clicks")},
           state={"profiles": [State(f"{P}slot-profile-{i}", "value") for i in range(SLOTS)],
                  "experts": [State(f"{P}slot-expert-{i}", "value") for i in range(SLOTS)],
                  "days": [State(f"{P}slot-days-{i}", "value") for i in range(SLOTS)], **ID},
           prevent_initial_call=True)
def save_team(_save: int, profiles: list, experts: list, days: list, app_id: int | None) -> tuple:
    """Save the team: every filled row (profile, expert, days) becomes a member."""
    if not app_id or not _save:
        raise dash.exceptions.PreventUpdate
    t = trajectory(app_id)
    rows = list(zip(profiles, experts, days, strict=True))
    half = [i + 1 for i, (p, e, d) in enumerate(rows) if e and not (p and d)]
    if half:
        return dash.no_update, _alert(f"Rij {', '.join(map(str, half))}: kies bij de expert ook het profiel en de "
                                      "dagen.", ok=False)
    members = [(e, p, float(d)) for p, e, d in rows if p and e and d]
    # A profile the application asked for, still without an expert: planned later, said so.
    open_rows = [p for p, e, _d in rows if p and not e]
    try:
        current_programme().compose_team(t.app.id, members, _author())
    except ProgrammeError as exc:
        return dash.no_update, _alert(exc.reason, ok=False)
    later = f" Nog zonder expert: {', '.join(open_rows)}." if open_rows else ""
    return team_box(trajectory(app_id)), _alert(f"Team bewaard: {len(members)} experten.{later}")


def _log(app_id: int, message: str, ok: bool = True) -> tuple:
    return log_box(trajectory(app_id)), _alert(message, ok)


LOG = [Output(P + "log-box", "children"), Output(P + "log-message", "children")]


@CALLBACKS(output=LOG, inputs={"_save": Input(P + "s-save", "n_clicks")},
           state={"on": State(P + "s-date", "value"), "experts": State(P + "s-experts", "value"),
                  "departments": State(P + "s-departments", "value"), "notes": State(P + "s-notes", "value"), **ID},
           prevent_initial_call=True)
def add_session(_save: int, on: str | None, experts: list | None, departments: str | None, notes: str | None,
                app_id: int | None) -> tuple:
    """Log a coaching session."""
    if not app_id or not _save:
        raise dash.exceptions.PreventUpdate
    t = trajectory(app_id)
    names = {x.id: x.name for _, x in t.team}
    try:
        current_programme().add_session(t.app.id, _day(on), [names[e] for e in experts or [] if e in names],
                                        [d.strip() for d in (departments or "").split(",") if d.strip()],
                                        notes or "", _author())
    except ProgrammeError as exc:
        return _log(app_id, exc.reason, ok=False)
    return _log(app_id, "Sessie bewaard.")


@CALLBACKS(output=[*(Output(o.component_id, o.component_property, allow_duplicate=True) for o in LOG)],
           inputs={"_save": Input(P + "a-save", "n_clicks")},
           state={"text": State(P + "a-text", "value"), "owner": State(P + "a-owner", "value"),
                  "due": State(P + "a-due", "value"), **ID}, prevent_initial_call=True)
def add_action(_save: int, text: str | None, owner: str | None, due: str | None, app_id: int | None) -> tuple:
    """Add an action with its owner and due date."""
    if not app_id or not _save:
        raise dash.exceptions.PreventUpdate
    try:
        current_programme().add_action(trajectory(app_id).app.id, text or "", owner or "", _day(due), _author())
    except ProgrammeError as exc:
        return _log(app_id, exc.reason, ok=False)
    return _log(app_id, "Actie bewaard.")


@CALLBACKS(output=[*(Output(o.component_id, o.component_property, allow_duplicate=True) for o in LOG)],
           inputs={"_move": Input(P + "a-move", "n_clicks")},
           state={"action": State(P + "a-pick", "value"), "status": State(P + "a-status", "value"), **ID},
           prevent_initial_call=True)
def move_action(_move: int, action: int | None, status: str | None, app_id: int | None) -> tuple:
    """Change the status of an action."""
    if not app_id or not _move:
        raise dash.exceptions.PreventUpdate
    if not action or not status:
        return _log(app_id, "Kies een actie en haar nieuwe status.", ok=False)
    try:
        current_programme().set_action_status(action, trajectory(app_id).app.id, status)
    except ProgrammeError as exc:
        return _log(app_id, exc.reason, ok=False)
    return _log(app_id, f"Actie {action}: {status}.")


@CALLBACKS(output=[*(Output(o.component_id, o.component_property, allow_duplicate=True) for o in LOG)],
           inputs={"_save": Input(P + "r-save", "n_clicks")},
           state={"on": State(P + "r-date", "value"), "kind": State(P + "r-kind", "value"),
                  "text": State(P + "r-text", "value"), **ID}, prevent_initial_call=True)
def add_report(_save: int, on: str | None, kind: str | None, text: str | None, app_id: int | None) -> tuple:
    """Add a dated report to VLAIO."""
    if not app_id or not _save:
        raise dash.exceptions.PreventUpdate
    try:
        current_programme().add_report(trajectory(app_id).app.id, _day(on), kind or "", text or "", _author())
    except ProgrammeError as exc:
        return _log(app_id, exc.reason, ok=False)
    return _log(app_id, "Rapport bewaard.")


@CALLBACKS(output=[Output(P + "eval-box", "children"), Output(P + "eval-message", "children")],
           inputs={"_save": Input(P + "e-save", "n_clicks")},
           state={"title": State(P + "e-title", "value"), "challenge": State(P + "e-challenge", "value"),
                  "concepts": State(P + "e-concepts", "value"), "summary": State(P + "e-summary", "value"),
                  "worked": State(P + "e-worked", "value"), "worked_less": State(P + "e-worked-less", "value"),
                  "next_steps": State(P + "e-next", "value"), **ID}, prevent_initial_call=True)
def save_evaluation(_save: int, title: str | None, challenge: str | None, concepts: list | None,
                    summary: str | None, worked: str | None, worked_less: str | None, next_steps: str | None,
                    app_id: int | None) -> tuple:
    """Write the evaluation with the figures of now; a trajectory in coaching moves to evaluatie."""
    if not app_id or not _save:
        raise dash.exceptions.PreventUpdate
    t = trajectory(app_id)
    texts = {"title": title, "summary": summary, "worked": worked, "worked_less": worked_less,
             "next_steps": next_steps}
    empty = [k for k, v in texts.items() if not (v or "").strip()]
    if empty or not challenge or not concepts:
        return dash.no_update, _alert("Vul titel, uitdaging, minstens één concept, samenvatting, wat werkte en wat "
                                      "minder, en de volgende stappen in.", ok=False)
    if t.app.status not in ("coaching", "evaluatie"):
        return dash.no_update, _alert(f"Een traject in status '{t.app.status}' wordt nog niet geëvalueerd.", ok=False)
    author = _author()
    try:
        if t.app.status == "coaching":
            current_store().move_status(t.app.id, "evaluatie", author)
    except TransitionError as exc:
        return dash.no_update, _alert(str(exc), ok=False)
    values = {k: (v or "").strip() for k, v in texts.items()}
    current_programme().save_evaluation(t.app.id, {**values, "challenge_tag": challenge, "concepts": concepts,
                                                   "figures": card_figures(t.comparison) if t.comparison else {}},
                                        author)
    return eval_box(trajectory(app_id), _role(current_account())), _alert("Evaluatie bewaard; de gemeente kan ze nu "
                                                                          "goedkeuren voor De Vitrine.")


@CALLBACKS(output=[Output(P + "eval-box", "children", allow_duplicate=True),
                   Output(P + "eval-message", "children", allow_duplicate=True)],
           inputs={"_approve": Input(P + "approve", "n_clicks")}, state=ID, prevent_initial_call=True)
def approve(_approve: int, app_id: int | None) -> tuple:
    """Approve the Vitrine summary for the municipality: it is published."""
    if not app_id or not _approve:
        raise dash.exceptions.PreventUpdate
    t = trajectory(app_id)
    try:
        current_programme().approve(t.app.id, _author())
    except ProgrammeError as exc:
        return dash.no_update, _alert(exc.reason, ok=False)
    return eval_box(trajectory(app_id), "gemeente"), _alert("Goedgekeurd: de kaart staat in De Vitrine.")
