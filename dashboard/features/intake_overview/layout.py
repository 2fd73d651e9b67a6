"""``/intake?provincie=&status=&aanvraag=``: every Profploeg application, its status steps and its follow-up.

VLAIO and the provinces filter the applications, open one, and move it through aanvraag -> beoordeling ->
intake -> coaching -> evaluatie with the date each step took effect. At the step to intake the indicators
of the zone are frozen as the baseline; from then on the evaluation compares them with the latest
inventory, against the same peers.
"""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.accounts.access import forbidden, readable, scope
from dashboard.accounts.users import Account
from dashboard.accounts.web import current_account
from dashboard.components.controls import dropdown, url_sync
from dashboard.components.layout import breadcrumbs, refusal
from dashboard.data import queries
from dashboard.data.db import current_db
from dashboard.features.intake_overview.params import ACCESS, URL_KEY, OverviewParams, P
from dashboard.fiche.data import fmt_cell
from dashboard.formatting import fmt_date, fmt_delta, fmt_time
from dashboard.intake.baseline import PERCENT_UNITS, Evaluation, evaluate
from dashboard.intake.dossier import dossier_filename
from dashboard.intake.models import STATUSES, Application, StatusChange
from dashboard.intake.store import TRANSITIONS, NotFoundError, current_store
from dashboard.vocab import current_known

PAGE = {"path": "/intake", "name": "Aanvragen Profploeg", "title": "Smart Retail · Aanvragen Profploeg",
        "menu": True, "order": 5}

#: Status names as the overview shows them.
STATUS_NAMES = {"aanvraag": "Aanvraag (concept)", "beoordeling": "Beoordeling", "intake": "Intake",
                "coaching": "Coaching", "evaluatie": "Evaluatie"}
STATUS_COLORS = {"aanvraag": "light", "beoordeling": "warning", "intake": "info", "coaching": "primary",
                 "evaluatie": "success"}


def _badge(status: str) -> dbc.Badge:
    return dbc.Badge(STATUS_NAMES.get(status, status), color=STATUS_COLORS.get(status, "secondary"),
                     text_color="dark" if STATUS_COLORS.get(status) in ("light", "warning", "info") else None,
                     className="status-badge")


def _munis() -> pd.DataFrame:
    return queries.municipalities(current_db()).set_index("nis_code")


def _query(province: str | None, status: str | None, selected: int | None) -> str:
    parts = [f"provincie={province}" if province else "", f"status={status}" if status else "",
             f"aanvraag={selected}" if selected else ""]
    joined = "&".join(p for p in parts if p)
    return f"?{joined}" if joined else ""


def _rows(apps: list[Application], steps: dict[int, list[StatusChange]], munis: pd.DataFrame,
          province: str | None, status: str | None) -> html.Table | html.P:
    if not apps:
        return html.P("Geen aanvragen met deze keuze.", className="text-muted", id=P + "empty")
    head = html.Tr([html.Th(h) for h in ("Nr.", "Gemeente", "Provincie", "Contactpersoon", "Status", "Sinds",
                                         "Gewijzigd", "")])
    body = []
    for a in apps:
        name = munis["name"].get(a.nis_code, a.nis_code)
        last = steps.get(a.id, [])[-1:] or [None]
        body.append(html.Tr([
            html.Td(str(a.id)), html.Td(dcc.Link(name, href=f"/gemeente/{a.nis_code}")),
            html.Td(munis["province"].get(a.nis_code, "")), html.Td(a.contact_name or "–"),
            html.Td(_badge(a.status)), html.Td(fmt_date(last[0].effective_on) if last[0] else "–"),
            html.Td(fmt_time(a.updated_at)),
            html.Td([dcc.Link("Opvolgen", href="/intake" + _query(province, status, a.id), className="me-2"),
                     dcc.Link("Aanvraag", href=f"/gemeente/{a.nis_code}/intake?aanvraag={a.id}", className="me-2"),
                     html.A("Dossier (PDF)", href=f"/gemeente/{a.nis_code}/intake.pdf?aanvraag={a.id}",
                            download=dossier_filename(a))],
                    className="text-nowrap"),
        ], **{"data-application": str(a.id)}))
    return html.Table([html.Thead(head), html.Tbody(body)], className="table table-sm align-middle",
                      id=P + "table")


def _listing(province: str | None, status: str | None) -> tuple[html.Table | html.P, list]:
    """Return the table of the applications matching the filters, and the counts per status of the province."""
    store = current_store()
    account = current_account()
    reach = scope(account)
    if account is None or reach is None:
        raise forbidden()
    every = [a for a in store.list_applications(province, None, prefix=reach) if account.reads(a.id, a.nis_code)]
    apps = [a for a in every if status is None or a.status == status]
    table = _rows(apps, store.status_steps([a.id for a in apps]), _munis(), province, status)
    return table, _counts(every)


def _counts(apps: list[Application]) -> list:
    counts = {s: sum(a.status == s for a in apps) for s in STATUSES}
    return [html.Span([_badge(s), f" {n}"], className="me-3") for s, n in counts.items()]


def _steps(app: Application, steps: list[StatusChange]) -> html.Ol:
    reached = {s.to_status: s for s in steps}  # the last time each status was reached
    items = []
    for status in STATUSES:
        step = reached.get(status)
        when = (f"{fmt_date(step.effective_on)} ({step.author})" if step else "nog niet")
        items.append(html.Li([html.Strong(STATUS_NAMES[status]), html.Br(), html.Span(when, className="small")],
                             className="current" if status == app.status else ("done" if step else "todo")))
    return html.Ol(items, className="status-steps", id=P + "steps")


def _baseline_table(result: Evaluation) -> html.Table:
    """Show the frozen figures alone: a year compared with itself has no change and no verdict to show."""
    head = html.Tr([html.Th("Kerncijfer"), html.Th(f"{result.before_year} (basislijn)", className="text-end"),
                    html.Th("Peers (mediaan)", className="text-end")])
    body = [html.Tr([html.Td(r.label), html.Td(fmt_cell(r.before, r.unit, r.decimals), className="text-end"),
                     html.Td(fmt_cell(r.peer_before, r.unit, r.decimals), className="text-end")],
                    **{"data-column": r.column}) for r in result.rows]
    return html.Table([html.Thead(head), html.Tbody(body)], className="table table-sm", id=P + "evaluation")


def _evaluation_table(result: Evaluation) -> html.Table:
    if result.same_year:
        return _baseline_table(result)
    numbers = (str(result.before_year), str(result.after_year), "Verandering", "Peers (mediaan)",
               "Peers, verandering")
    head = html.Tr([html.Th("Kerncijfer"), *[html.Th(h, className="text-end") for h in numbers], html.Th("Oordeel")])
    body = []
    for r in result.rows:
        change_unit = "pp" if r.unit in PERCENT_UNITS else ("" if r.unit == "aantal" else r.unit)
        peers = f"{fmt_cell(r.peer_before, r.unit, r.decimals)} → {fmt_cell(r.peer_after, r.unit, r.decimals)}"
        tone = "text-success" if r.good is True else "text-danger" if r.good is False else "text-muted"
        body.append(html.Tr([
            html.Td(r.label), html.Td(fmt_cell(r.before, r.unit, r.decimals), className="text-end text-nowrap"),
            html.Td(fmt_cell(r.after, r.unit, r.decimals), className="text-end text-nowrap"),
            html.Td(fmt_delta(r.change, r.decimals, change_unit), className="text-end text-nowrap"),
            html.Td(peers, className="text-end text-nowrap"),
            html.Td(fmt_delta(r.peer_change, r.decimals, change_unit), className="text-end text-nowrap"),
            html.Td(r.verdict, className=tone),
        ], **{"data-column": r.column}))
    return html.Table([html.Thead(head), html.Tbody(body)], className="table table-sm", id=P + "evaluation")


def _baseline(app: Application) -> list:
    snapshots = current_store().baselines(app.id)
    if not snapshots:
        return [html.P("De basislijn wordt vastgelegd bij de stap naar intake: de kerncijfers van de zone en haar "
                       "peers in de laatste inventaris vóór die datum.", className="text-muted small",
                       id=P + "baseline")]
    snap = snapshots[-1]
    values = snap.values or {}
    out: list = [html.P(f"Basislijn: {values.get('area_name', '')}, inventaris {values.get('year', '–')}, vastgelegd "
                        f"op {fmt_time(snap.frozen_at)} door {snap.author} (build {snap.build_id}).", className="small",
                        id=P + "baseline")]
    later = [y for y in queries.years(current_db()) if y >= int(values.get("year", 0))]
    if not later:
        return [*out, dbc.Alert("De basislijn ligt na de laatste inventaris van deze build.", color="warning",
                                className="small")]
    # At the end of the coaching, and again a year later: the user picks the inventory to compare with.
    picker = html.Div([dbc.Label("Vergelijk met inventaris", html_for=P + "eval-year", className="small me-2"),
                       dropdown(id=P + "eval-year", options=[{"label": str(y), "value": y} for y in later][::-1],
                                    value=later[-1], clearable=False, style={"width": "8rem"})],
                      className="d-flex align-items-center mb-2")
    return [*out, picker, html.Div(evaluation(values, later[-1]), id=P + "evaluation-box")]


def evaluation(values: dict, year: int) -> list:
    """Return the evaluation of a frozen baseline against the inventory of ``year``, or why there is none."""
    try:
        result = evaluate(current_db(), values, year)
    except (KeyError, ValueError) as exc:  # a snapshot the current build cannot read back
        return [dbc.Alert(f"De evaluatie kan niet berekend worden: {exc}", color="warning", className="small")]
    intro = (f"Voor en na, tegenover dezelfde {len(result.peer_ids)} peers als bij de intake. {result.peer_note}"
             if not result.same_year else f"{result.note[0].upper()}{result.note[1:]}: de evaluatie volgt zodra "
                                          "een nieuwe inventaris geladen is.")
    return [html.P(intro, className="small text-muted", id=P + "evaluation-note"), _evaluation_table(result)]


def detail(app_id: int, problem: str | None = None) -> html.Div:
    """Return the follow-up of one application: status steps, the next step, baseline and evaluation."""
    store = current_store()
    try:
        app = readable(current_account(), store.get(app_id))
    except NotFoundError as exc:
        return dbc.Alert(str(exc), color="warning")
    steps = store.status_changes(app.id)
    account = current_account()
    may_move = account is not None and account.role in ACCESS.write["move"]
    name = _munis()["name"].get(app.nis_code, app.nis_code)
    nexts = sorted(TRANSITIONS[app.status], key=STATUSES.index)
    move = dbc.Row([
        dbc.Col([dbc.Label("Volgende stap", html_for=P + "move-to"),
                 dbc.Select(id=P + "move-to", options=[{"label": STATUS_NAMES[s], "value": s} for s in nexts],
                            value=nexts[-1] if nexts else None, disabled=not nexts)], md=4),
        dbc.Col([dbc.Label("Datum", html_for=P + "move-date"),
                 # A step takes effect between the previous step and today: a trajectory runs forward in time.
                 # The browser's own date field: Dash's picker wraps its input in a div with popup attributes
                 # that axe-core refuses (aria-allowed-attr); the server checks the day again.
                 dbc.Input(id=P + "move-date", type="date", value=dt.date.today().isoformat(),
                           max=dt.date.today().isoformat(),
                           min=steps[-1].effective_on.isoformat() if steps else None)],
                md=3),
        dbc.Col([dbc.Label("Op naam van", html_for=P + "author"),
                 # Shown only: the server records the logged-in account as the author of the step.
                 dbc.Input(id=P + "author", maxLength=200, value=account.name if account else "", readonly=True,
                           disabled=True)], md=3),
        dbc.Col(dbc.Button("Status wijzigen", id=P + "move", color="primary", disabled=not (nexts and may_move),
                           className="mt-md-4"), md=2),
    ], className="g-2 align-items-end")
    return dbc.Card([
        dbc.CardHeader(html.H2([f"Aanvraag nr. {app.id} – {name} ", _badge(app.status)], className="h5 mb-0")),
        dbc.CardBody([
            _steps(app, steps),
            move if nexts and may_move else html.P("Alleen VLAIO zet de volgende stap.", className="small")
            if nexts else html.P("Het traject is afgerond: de evaluatie is de laatste stap.", className="small"),
            dbc.Alert(problem, color="danger", className="py-2 small mt-2", id=P + "move-error") if problem else None,
            html.H3("Basislijn en evaluatie", className="h6 mt-3"),
            *_baseline(app),
        ]),
    ], id=P + "detail", className="mt-3")


def layout(provincie: str | None = None, status: str | None = None, aanvraag: str | None = None,
           **_: object) -> html.Div:
    """Return the overview, filtered by ``provincie`` and ``status``, with application ``aanvraag`` opened."""
    provinces = queries.provinces(current_db())
    p = OverviewParams.from_url(current_known(), provincie, status, aanvraag)
    refused = refusal(ACCESS, "/intake")
    if refused is not None:
        return refused
    province, status, selected = p.province, p.status, p.application
    table, counts = _listing(province, status)
    return html.Div([
        breadcrumbs([("Vlaanderen", "/"), ("Aanvragen Profploeg", None)]),
        html.H1("Aanvragen Profploeg", className="h3"),
        html.P("Elke aanvraag van een gemeente voor een traject met de Profploeg: van aanvraag tot evaluatie. "
               "Een nieuwe aanvraag begint op de pagina van de gemeente.", className="text-muted"),
        new_application_entry(current_account(), queries.municipalities(current_db())),
        dbc.Row([
            dbc.Col([dbc.Label("Provincie", html_for=P + "province"),
                     dropdown(id=P + "province", value=province, placeholder="Alle provincies",
                                  options=[{"label": r.name, "value": r.province_code}
                                           for r in provinces.itertuples()])], md=4),
            dbc.Col([dbc.Label("Status", html_for=P + "status"),
                     dropdown(id=P + "status", value=status, placeholder="Alle statussen",
                                  options=[{"label": STATUS_NAMES[s], "value": s} for s in STATUSES])], md=4),
        ], className="g-3 mb-3"),
        html.Div(counts, id=P + "counts", className="mb-2"),
        html.Div(table, id=P + "rows"),
        html.Div(detail(selected) if selected else None, id=P + "detail-box"),
        dcc.Store(id=P + "selected", data={"id": selected} if selected else None),
        *url_sync(URL_KEY),
    ], className="intake-overview")




def new_application_entry(account: Account | None, munis: pd.DataFrame) -> dbc.Card:
    """Return the way to a new application: a municipality's own button; for the other roles, who starts one.

    Only a municipality's own account begins its application (the form refuses anyone else), so the others
    are told so rather than sent to a form that will refuse them.
    """
    if account is not None and account.role == "gemeente" and account.nis_code:
        name = munis.set_index("nis_code")["name"].get(account.nis_code, account.nis_code)
        body = [dcc.Link(f"Nieuwe aanvraag voor {name} →", href=f"/gemeente/{account.nis_code}/intake",
                         className="btn btn-primary", id=P + "new-link")]
    else:
        body = [html.P("Een nieuwe aanvraag begint de gemeente zelf: aangemeld met haar account vindt ze hier de "
                       "knop 'Nieuwe aanvraag', of op haar gemeentepagina 'Aanvraag Profploeg'. Zodra ze bewaard is, "
                       "staat ze in de lijst hieronder.", className="mb-0")]
    return dbc.Card([dbc.CardHeader(html.H2("Nieuwe aanvraag", className="h6 mb-0")), dbc.CardBody(body)],
                    className="mb-3", id=P + "new")
