"""``/trajecten/<aanvraag>``: one trajectory from selection to Vitrine.

VLAIO composes the team from the profiles the application chose (planned days and cost per expert, with the
call's budget and over-booked experts flagged); the experts, the municipality and VLAIO keep the coaching log
(sessions, actions, reports to VLAIO); an expert or VLAIO writes the evaluation (the baseline against the latest
inventory, against the same frozen peers) with its one-page Vitrine summary, which the municipality approves.
"""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.accounts.users import Account
from dashboard.accounts.web import current_account
from dashboard.components.layout import breadcrumbs, not_found, refusal
from dashboard.data.db import current_db
from dashboard.features.calls.layout import _badge, _table, eur
from dashboard.features.trajectory.params import ACCESS, LOG_ROLES, SLOTS, P, TrajectoryParams, reaches
from dashboard.features.trajectory.view import Trajectory, load
from dashboard.features.vitrine.layout import figures_table, like_yours_card
from dashboard.formatting import fmt_date, fmt_number
from dashboard.intake.models import EXPERTS
from dashboard.intake.store import NotFoundError, current_store
from dashboard.programme import budget
from dashboard.programme.documents import evaluation_filename
from dashboard.programme.models import ACTION_STATUSES, REPORT_KINDS
from dashboard.programme.store import current_programme
from dashboard.programme.vitrine import CHALLENGES, CONCEPTS, OTHER, challenge_of
from dashboard.vocab import current_known

PAGE = {"path_template": "/trajecten/<aanvraag>", "name": "Traject", "title": "Smart Retail · Traject Profploeg"}


def trajectory(app_id: int) -> Trajectory:
    """Return the trajectory ``app_id`` when the logged-in account reaches it; else the 404 of a missing one."""
    p = current_programme()
    try:
        app = current_store().get(app_id)
    except NotFoundError:
        app = None
    if app is None or not reaches(current_account(), app):
        raise NotFoundError(f"Er is geen traject met nummer {app_id}.")
    return load(current_db(), p, app)


def _role(account: Account | None) -> str:
    return account.role if account is not None else ""


def team_box(t: Trajectory) -> list:
    """Return the team with its planned days and cost, and the call's budget flags."""
    rows = [[x.name, m.profile, fmt_number(m.planned_days), eur(m.day_rate), eur(m.planned_days * m.day_rate)]
            for m, x in t.team]
    flags = []
    if t.totals is not None and t.totals.over_eur:
        flags.append(dbc.Alert(f"De oproep gaat boven budget: gepland {eur(t.totals.cost)} tegen "
                               f"{eur(t.totals.budget_eur)}.", color="danger", className="py-2"))
    names = {e.id: e.name for e in t.roster}
    team_ids = {m.expert_id for m, _ in t.team}
    for expert_id, (planned, available) in t.overbooked.items():
        if expert_id in team_ids:
            flags.append(dbc.Alert(f"Overboekt in deze oproep: {names.get(expert_id)} – {fmt_number(planned)} dagen "
                                   f"gepland, {fmt_number(available)} beschikbaar.", color="warning", className="py-2"))
    totals = (f"Team: {eur(t.cost)}. Oproep: {eur(t.totals.cost)} gepland van {eur(t.totals.budget_eur)}, "
              f"{fmt_number(t.totals.days)} van {fmt_number(t.totals.budget_days)} expertdagen."
              if t.totals is not None else "")
    return [_table(["Expert", "Profiel", "Dagen", "Dagtarief", "Kost"], rows, P + "team") if rows
            else html.P("Nog geen team samengesteld.", className="text-muted"), html.P(totals, className="small"),
            *flags]


def _slots(t: Trajectory) -> list:
    chosen = list((t.app.experts or {}).get("chosen") or [])
    current = [(m.profile, m.expert_id, int(m.planned_days)) for m, _ in t.team]
    filled = current or [(profile, None, int(budget.DEFAULT_DAYS)) for profile in chosen]
    filled = (filled + [(None, None, None)] * SLOTS)[:SLOTS]
    out = []
    for i, (profile, expert, days) in enumerate(filled):
        # An inactive expert joins no new team; one already in this team stays choosable.
        able = [e for e in t.roster if (profile is None or profile in e.profiles)
                and (e.active or e.id == expert)]
        out.append(dbc.Row([
            dbc.Col([dbc.Label(f"Profiel {i + 1}", html_for=f"{P}slot-profile-{i}", className="small"),
                     dcc.Dropdown(id=f"{P}slot-profile-{i}", options=list(EXPERTS), value=profile)], md=5),
            dbc.Col([dbc.Label("Expert", html_for=f"{P}slot-expert-{i}", className="small"),
                     dcc.Dropdown(id=f"{P}slot-expert-{i}", value=expert, options=[
                         {"label": f"{e.name} ({eur(e.day_rate)}/dag, {fmt_number(e.days_per_month)} d/maand)",
                          "value": e.id} for e in able])], md=5),
            dbc.Col([dbc.Label("Dagen", html_for=f"{P}slot-days-{i}", className="small"),
                     dcc.Dropdown(id=f"{P}slot-days-{i}", options=list(range(1, 21)), value=days)], md=2),
        ], className="g-2 mb-1"))
    return out


def team_card(t: Trajectory, role: str) -> dbc.Card:
    """Return the team card; VLAIO composes the team."""
    form = [html.H3("Team samenstellen", className="h6 mt-3"),
            html.P("Uit de expertprofielen van de aanvraag; een lege rij telt niet. Het dagtarief is dat van de pool "
                   "op het moment van bewaren.", className="small text-muted"),
            *_slots(t), dbc.Button("Team bewaren", id=P + "team-save", color="primary", n_clicks=0),
            html.Div(id=P + "team-message", className="mt-2")] if role == "vlaio" else []
    return dbc.Card([dbc.CardHeader(html.H2("Team en budget", className="h6 mb-0")),
                     dbc.CardBody([html.Div(team_box(t), id=P + "team-box"), *form])], className="mb-3")


def log_box(t: Trajectory) -> list:
    """Return the coaching log: sessions, actions and reports."""
    sessions = [html.Li([html.Strong(fmt_date(s.held_on)), f" – {', '.join(s.experts)}; diensten: "
                         f"{', '.join(s.departments) or '–'}", html.Div(s.notes, className="text-pre-wrap")])
                for s in t.sessions]
    actions = [[str(a.id), a.text, a.owner, fmt_date(a.due_on), a.status] for a in t.actions]
    reports = [html.Li([html.Strong(f"{fmt_date(r.reported_on)} · {r.kind}"), f" ({r.author}): {r.text}"])
               for r in t.reports]
    return [
        html.H3(f"Sessies ({len(sessions)})", className="h6"),
        html.Ul(sessions, className="small") if sessions else html.P("Nog geen sessies.", className="small"),
        html.H3(f"Acties ({len(actions)})", className="h6"),
        _table(["Nr.", "Actie", "Eigenaar", "Tegen", "Status"], actions, P + "actions") if actions
        else html.P("Nog geen acties.", className="small"),
        html.H3(f"Rapporten aan VLAIO ({len(reports)})", className="h6"),
        html.Ul(reports, className="small") if reports else html.P("Nog geen rapporten.", className="small"),
    ]


def _date(component_id: str, label: str) -> html.Div:
    # The browser's own date field: keyboard and screen readers know it, and a phone shows its own picker.
    return html.Div([dbc.Label(label, html_for=component_id, className="small"),
                     dbc.Input(id=component_id, type="date", value=dt.date.today().isoformat())])


def log_forms(t: Trajectory) -> list:
    """Return the forms of the coaching log: a session, an action, a status, a report."""
    team = [{"label": x.name, "value": x.id} for x in {x.id: x for _, x in t.team}.values()]
    return [
        html.H3("Sessie toevoegen", className="h6 mt-3"),
        dbc.Row([dbc.Col(_date(P + "s-date", "Datum"), md=3),
                 dbc.Col([dbc.Label("Experten aanwezig", html_for=P + "s-experts", className="small"),
                          dcc.Dropdown(id=P + "s-experts", options=team, multi=True)], md=5),
                 dbc.Col([dbc.Label("Diensten aanwezig", html_for=P + "s-departments", className="small"),
                          dbc.Input(id=P + "s-departments", placeholder="bv. lokale economie, mobiliteit",
                                    maxLength=500)], md=4)], className="g-2"),
        dbc.Label("Notities", html_for=P + "s-notes", className="small mt-1"),
        dbc.Textarea(id=P + "s-notes", rows=2, maxLength=10_000),
        dbc.Button("Sessie bewaren", id=P + "s-save", color="primary", size="sm", className="mt-1", n_clicks=0),
        html.H3("Actie toevoegen", className="h6 mt-3"),
        dbc.Row([dbc.Col([dbc.Label("Actie", html_for=P + "a-text", className="small"),
                          dbc.Input(id=P + "a-text", maxLength=2000)], md=5),
                 dbc.Col([dbc.Label("Eigenaar", html_for=P + "a-owner", className="small"),
                          dbc.Input(id=P + "a-owner", maxLength=200)], md=4),
                 dbc.Col(_date(P + "a-due", "Tegen"), md=3)], className="g-2"),
        dbc.Button("Actie bewaren", id=P + "a-save", color="primary", size="sm", className="mt-1", n_clicks=0),
        html.H3("Status van een actie", className="h6 mt-3"),
        dbc.Row([dbc.Col([dbc.Label("Actie", html_for=P + "a-pick", className="small"),
                          dcc.Dropdown(id=P + "a-pick", options=[{"label": f"{a.id}: {a.text[:60]}", "value": a.id}
                                                                 for a in t.actions])], md=7),
                 dbc.Col([dbc.Label("Status", html_for=P + "a-status", className="small"),
                          dcc.Dropdown(id=P + "a-status", options=list(ACTION_STATUSES))], md=3),
                 dbc.Col(dbc.Button("Wijzigen", id=P + "a-move", size="sm", color="secondary", className="mt-4",
                                    n_clicks=0), md=2)], className="g-2"),
        html.H3("Rapport aan VLAIO", className="h6 mt-3"),
        dbc.Row([dbc.Col(_date(P + "r-date", "Datum"), md=3),
                 dbc.Col([dbc.Label("Soort", html_for=P + "r-kind", className="small"),
                          dcc.Dropdown(id=P + "r-kind", options=list(REPORT_KINDS), value=REPORT_KINDS[0])], md=3),
                 ], className="g-2"),
        dbc.Label("Rapport", html_for=P + "r-text", className="small mt-1"),
        dbc.Textarea(id=P + "r-text", rows=2, maxLength=10_000),
        dbc.Button("Rapport bewaren", id=P + "r-save", color="primary", size="sm", className="mt-1", n_clicks=0),
        html.Div(id=P + "log-message", className="mt-2"),
    ]


def log_card(t: Trajectory, role: str) -> dbc.Card:
    """Return the coaching log card; experts, the municipality and VLAIO write in it."""
    forms = log_forms(t) if role in LOG_ROLES else []
    return dbc.Card([dbc.CardHeader(html.H2("Coachingslogboek", className="h6 mb-0")),
                     dbc.CardBody([html.Div(log_box(t), id=P + "log-box"), *forms])], className="mb-3")


def eval_box(t: Trajectory, role: str) -> list:
    """Return the evaluation: the comparison with the baseline, the summary, the PDF and the approval."""
    e, c = t.evaluation, t.comparison
    compare = (html.P(f"Basislijn {c.before_year} ({c.area_name}) tegenover {c.after_year}, tegen dezelfde "
                      f"{len(c.peer_ids)} bevroren peers.", className="small") if c is not None
               else html.P("Geen basislijn: die wordt vastgelegd bij de stap naar intake.", className="small"))
    if e is None:
        return [compare, html.P("Nog geen evaluatie.", className="text-muted")]
    state = (dbc.Alert(f"Goedgekeurd voor De Vitrine door {e.approved_by} op {fmt_date(e.approved_at)}.",
                       color="success", className="py-2") if e.approved_at else
             dbc.Alert("Wacht op de goedkeuring van de gemeente voor publicatie in De Vitrine.", color="info",
                       className="py-2"))
    approve = (dbc.Button("Goedkeuren voor De Vitrine", id=P + "approve", color="success", n_clicks=0)
               if role == "gemeente" and not e.approved_at else None)
    return [compare, html.H3(e.title, className="h6"), html.P(e.summary, className="small"),
            figures_table(e.figures or {}), state, approve,
            html.A("Evaluatiedocument (PDF)", href=f"/trajecten/{t.app.id}/{evaluation_filename(t.app.id)}",
                   className="btn btn-outline-primary btn-sm mt-2", id=P + "eval-pdf")]


def eval_form(t: Trajectory) -> list:
    """Return the evaluation form (experts and VLAIO), filled with the stored evaluation or sensible defaults."""
    e = t.evaluation
    challenge = e.challenge_tag if e is not None else challenge_of(t.app.challenge)

    def area(key: str, label: str, value: str | None) -> html.Div:
        return html.Div([dbc.Label(label, html_for=P + key, className="small mt-1"),
                         dbc.Textarea(id=P + key, value=value or "", rows=2, maxLength=10_000)])

    return [
        html.H3("Evaluatie en Vitrine-samenvatting schrijven", className="h6 mt-3"),
        dbc.Label("Titel", html_for=P + "e-title", className="small"),
        dbc.Input(id=P + "e-title", value=e.title if e else "", maxLength=200),
        dbc.Row([dbc.Col([dbc.Label("Uitdaging", html_for=P + "e-challenge", className="small"),
                          dcc.Dropdown(id=P + "e-challenge", options=[*CHALLENGES, OTHER], value=challenge)], md=4),
                 dbc.Col([dbc.Label("Concepten", html_for=P + "e-concepts", className="small"),
                          dcc.Dropdown(id=P + "e-concepts", options=list(CONCEPTS), multi=True,
                                       value=list(e.concepts) if e else [])], md=8)], className="g-2"),
        area("e-summary", "Samenvatting (de uitdaging en de aanpak)", e.summary if e else ""),
        area("e-worked", "Wat werkte", e.worked if e else ""),
        area("e-worked-less", "Wat minder werkte", e.worked_less if e else ""),
        area("e-next", "Volgende stappen voor de gemeente", e.next_steps if e else ""),
        dbc.Button("Evaluatie bewaren", id=P + "e-save", color="primary", className="mt-2", n_clicks=0),
        html.P("Bewaren legt de cijfers vast (basislijn tegenover de laatste inventaris) en vraagt de gemeente "
               "opnieuw om goedkeuring.", className="small text-muted mt-1"),
    ]


def eval_card(t: Trajectory, role: str) -> dbc.Card:
    """Return the evaluation card."""
    form = eval_form(t) if role in ("expert", "vlaio") else []
    return dbc.Card([dbc.CardHeader(html.H2("Evaluatie en De Vitrine", className="h6 mb-0")), dbc.CardBody([
        html.Div(eval_box(t, role), id=P + "eval-box"), *form, html.Div(id=P + "eval-message", className="mt-2"),
    ])], className="mb-3")


def layout(aanvraag: str | None = None, **_: object) -> html.Div:
    """Return the page of trajectory ``aanvraag``."""
    p = TrajectoryParams.from_url(current_known(), aanvraag)
    refused = refusal(ACCESS, f"/trajecten/{p.application}")
    if refused is not None:
        return refused
    try:
        t = trajectory(p.application)
    except NotFoundError as exc:
        return not_found(exc.reason)
    role = _role(current_account())
    entry, call = t.candidacy, t.call
    call_text = (f"{call.name} · ingediend {fmt_date(entry.submitted_on)}" if call is not None and entry is not None
                 else "in geen oproep ingediend")
    crumbs = [("Vlaanderen", "/"), *([("Oproepen", "/oproepen"), (call.name, f"/oproepen/{call.id}")]
                                     if call is not None and role == "vlaio" else []),
              (f"Traject {t.municipality}", None)]
    return html.Div([
        breadcrumbs(crumbs),
        html.H1([f"Traject {t.municipality} ", _badge(entry.decision if entry else None)], className="h3"),
        html.P([call_text, f" · status {t.app.status} · ",
                dcc.Link("aanvraag", href=f"/gemeente/{t.app.nis_code}/intake?aanvraag={t.app.id}")],
               className="text-muted"),
        html.P(["Reden: ", entry.reason], className="small") if entry is not None and entry.reason else None,
        dbc.Row([
            dbc.Col([team_card(t, role), log_card(t, role)], lg=7),
            dbc.Col([eval_card(t, role), like_yours_card(t.app.nis_code)], lg=5),
        ]),
        dcc.Store(id=P + "id", data=t.app.id),
    ], className="trajectory")
