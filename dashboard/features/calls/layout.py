"""``/oproepen/<oproep>``: VLAIO reviews a call's applications, keeps the selection varied, and decides.

The page shows the scoring grid with its weights, every application with its key DNA figures and scores, the
variety of the selection (counts and map, capacity and budget left), a suggestion that keeps variety (the rule
is stated on the page) to accept or override, the teams' planned cost against the budget, and a decision
letter per municipality.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.controls import GRAPH_CONFIG
from dashboard.components.layout import breadcrumbs, not_found, refusal
from dashboard.data import queries
from dashboard.data.db import current_db, map_tiles
from dashboard.errors import RejectedError
from dashboard.features.calls.params import ACCESS, REVIEWED, CallParams, P
from dashboard.features.calls.view import Review, review
from dashboard.figures.programme import DECISION_NAMES, selection_map
from dashboard.formatting import fmt_date, fmt_number
from dashboard.labels import header as label_of
from dashboard.programme import budget, selection
from dashboard.programme.models import DECISIONS
from dashboard.programme.scoring import GROUP_LABELS, NO_DATA_SCORE
from dashboard.programme.store import current_programme
from dashboard.vocab import current_known

PAGE = {"path_template": "/oproepen/<oproep>", "name": "Oproep", "title": "Smart Retail · Oproep Profploeg"}
DIMENSIONS = {"province": "Provincie", "size_class": "Grootteklasse (inwoners)", "area_type": "Type hoofdwinkelgebied",
              "challenge": "Uitdaging"}


def eur(value: float) -> str:
    """Return an amount in euro as the page writes it (nl-BE)."""
    return f"€ {fmt_number(value)}"


def _table(header: list[str], rows: list[list], table_id: str | None = None, small: bool = True) -> html.Div:
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in header]))
    body = html.Tbody([html.Tr([html.Td(c) for c in r]) for r in rows])
    table = dbc.Table([head, body], bordered=False, hover=True, size="sm" if small else None, className="align-middle",
                      id=table_id or "")
    # A table wider than the screen scrolls in its own box, which the keyboard can reach (tabindex) as well.
    return html.Div(table, className="table-responsive", tabIndex=0, role="region",
                    **{"aria-label": f"Tabel: {', '.join(header[:3])}"})


def criteria_card(r: Review) -> dbc.Card:
    """Return the scoring grid: each criterion with its group, weight and rule."""
    total = sum(c.weight for c in r.criteria)
    rows = [[c.label, GROUP_LABELS.get(c.grp, c.grp), "de data" if c.source == "data" else "VLAIO",
             fmt_number(c.weight, 1), f"{fmt_number(100 * c.weight / total, 0)} %", c.rule] for c in r.criteria]
    return dbc.Card([dbc.CardHeader(html.H2("Beoordelingsrooster", className="h6 mb-0")), dbc.CardBody([
        html.P(f"Elk criterium krijgt 0 tot 5; de totaalscore is het gewogen gemiddelde × 20 (0–100). Een "
               f"datacriterium zonder cijfer krijgt {fmt_number(NO_DATA_SCORE, 1)}; een criterium dat VLAIO nog "
               f"niet scoorde telt als 0. Cijfers uit de inventaris {r.year}.", className="small text-muted"),
        _table(["Criterium", "Groep", "Bron", "Gewicht", "Aandeel", "Regel"], rows, P + "criteria"),
    ])], className="mb-3")


def _counts(spread: selection.Spread, dimension: str) -> html.Div:
    counts = spread.by.get(dimension, {})
    items = [html.Li([html.Span(k), dbc.Badge(str(v), color="secondary", className="ms-2")]) for k, v in counts.items()]
    return html.Div([html.H3(DIMENSIONS[dimension], className="h6"),
                     html.Ul(items or [html.Li("nog niets geselecteerd", className="text-muted")],
                             className="list-unstyled small mb-2")])


def variety_card(r: Review) -> dbc.Card:
    """Return the variety view: the selection so far in counts and on the map, capacity and budget left."""
    db = current_db()
    provinces = queries.map_shapes(db, "provincie").merge(
        queries.provinces(db).rename(columns={"province_code": "code"}), on="code")
    s = r.spread
    facts = [("Geselecteerd", f"{s.selected} van {r.call.capacity}"), ("Capaciteit over", str(s.capacity_left)),
             ("Kost geselecteerde trajecten", eur(s.cost)), ("Budget over", eur(s.budget_left)),
             ("Provincies gedekt", f"{len(s.by['province'])} van 5")]
    return dbc.Card([dbc.CardHeader(html.H2("Spreiding van de selectie", className="h6 mb-0")), dbc.CardBody([
        dbc.Row([dbc.Col(html.Div([html.Div(k, className="small text-muted"), html.Div(v, className="fw-semibold")],
                                  className="kpi-mini"), xs=6, md=True) for k, v in facts], className="g-2 mb-3",
                id=P + "facts"),
        dbc.Row([
            dbc.Col([_counts(s, d) for d in DIMENSIONS], md=4),
            dbc.Col(dcc.Graph(id=P + "map", figure=selection_map(r.rows, provinces, map_tiles()),
                              config={**GRAPH_CONFIG, "scrollZoom": False}) if not r.rows.empty else None, md=8),
        ]),
        html.P("Kost: het geplande team (dagen × dagtarief) zodra het is samengesteld, anders de raming "
               f"({fmt_number(budget.DEFAULT_DAYS)} dagen per gekozen expertprofiel, minstens "
               f"{budget.MIN_PROFILES}, aan het mediane dagtarief van de pool).", className="small text-muted mb-0"),
    ])], className="mb-3")


def budget_card(r: Review) -> dbc.Card:
    """Return the teams' planned days and cost against the call's budget, and the over-booked experts."""
    t = r.totals
    flags = []
    if t.over_eur:
        flags.append(dbc.Alert(f"Boven budget: gepland {eur(t.cost)} tegen {eur(t.budget_eur)}.", color="danger",
                               className="py-2 mb-2"))
    if t.over_days:
        flags.append(dbc.Alert(f"Meer expertdagen gepland ({fmt_number(t.days)}) dan het budget "
                               f"({fmt_number(t.budget_days)}).", color="danger", className="py-2 mb-2"))
    for expert_id, (planned, available) in r.overbooked.items():
        flags.append(dbc.Alert(f"Overboekt: {r.expert_names.get(expert_id, expert_id)} – {fmt_number(planned)} dagen "
                               f"gepland, {fmt_number(available)} beschikbaar in {budget.COACHING_MONTHS} maanden.",
                               color="warning", className="py-2 mb-2"))
    return dbc.Card([dbc.CardHeader(html.H2("Teams en budget", className="h6 mb-0")), dbc.CardBody([
        _table(["", "Gepland", "Budget", "Over"], [
            ["Kost (EUR)", eur(t.cost), eur(t.budget_eur), eur(t.budget_eur - t.cost)],
            ["Expertdagen", fmt_number(t.days), fmt_number(t.budget_days), fmt_number(t.budget_days - t.days)],
        ]),
        *flags,
        html.P("Een expert is overboekt wanneer de dagen die voor hem in deze oproep gepland zijn zijn beschikbare "
               f"dagen per maand × {budget.COACHING_MONTHS} (de duur van de coaching) overschrijden.",
               className="small text-muted mb-0"),
    ])], className="mb-3", id=P + "budget")


def _badge(decision: str | None) -> dbc.Badge:
    colors = {"geselecteerd": "success", "reservelijst": "warning", "niet geselecteerd": "secondary"}
    return dbc.Badge(DECISION_NAMES.get(decision, "Nog niet beslist"), color=colors.get(decision or "", "info"),
                     text_color="dark" if decision in (None, "reservelijst") else None)


def _pct(value: object, decimals: int = 1) -> str:
    return "–" if value is None or pd.isna(value) else f"{fmt_number(float(value), decimals)} %"


def applications_card(r: Review) -> dbc.Card:
    """Return every application of the call with its figures, scores, decision and suggestion."""
    rows = []
    for x in r.rows.itertuples():
        late = dbc.Badge("laattijdig: van vorige oproep", color="light", text_color="dark", className="ms-1") \
            if x.late else None
        rows.append([
            html.A(f"nr. {x.application_id}", href=f"/trajecten/{x.application_id}"),
            html.Span([x.name, late]), x.province, x.size_class, x.area_type, x.challenge,
            _pct(x.vacancy), _pct(x.structural), _pct(x.gap).replace(" %", " pp"), _pct(x.footfall),
            *[fmt_number(getattr(x, f"s_{c.key}"), 1) for c in r.criteria],
            html.Strong(fmt_number(x.total, 1)),
            html.Div([_badge(x.decision), html.Div(x.reason or "", className="small text-muted")], className="reason"),
            html.Div([_badge(x.suggestion), html.Div(x.suggestion_reason, className="small text-muted")],
                     className="reason"),
            html.A("brief (PDF)", href=f"/oproepen/{r.call.id}/brief-{x.application_id}.pdf") if x.decision else "–",
        ])
    header = ["Aanvraag", "Gemeente", "Provincie", "Grootteklasse", "Type", "Uitdaging",
              label_of("vacancy_rate_count_all_pct"), label_of("vacancy_structural_rate_pct"),
              "Leegstandstrend t.o.v. peers (pp)", label_of("footfall_yoy_pct"),
              *[c.label for c in r.criteria], "Totaal", "Beslissing", "Suggestie", "Brief"]
    return dbc.Card([dbc.CardHeader(html.H2(f"Aanvragen ({len(rows)})", className="h6 mb-0")), dbc.CardBody(
        _table(header, rows, P + "applications") if rows else html.P("Nog geen ingediende aanvragen.")
    )], className="mb-3")


def suggestion_card(r: Review) -> dbc.Card:
    """Return the suggestion's rule and figures, with the button that accepts it."""
    rules = r.rules
    if r.rows.empty:
        return dbc.Card(dbc.CardBody("Geen aanvragen: niets voor te stellen."), className="mb-3")
    chosen = r.rows[r.rows["suggestion"] == selection.SELECTED]
    differs = int((r.rows["suggestion"] != r.rows["decision"]).sum())
    return dbc.Card([dbc.CardHeader(html.H2("Suggestie die de spreiding bewaakt", className="h6 mb-0")),
                     dbc.CardBody([
        html.Ol([
            html.Li(f"Onder de drempelscore {fmt_number(rules.min_score)}: niet geselecteerd."),
            html.Li("Eerst de beste aanvraag van elke provincie (spreiding)."),
            html.Li(f"Dan de rest in volgorde van score, zolang de oproep niet vol is ({rules.capacity} trajecten), "
                    f"een provincie niet meer dan {rules.cap(rules.max_province_share)} trajecten heeft "
                    f"({rules.max_province_share:.0%}), een grootteklasse niet meer dan "
                    f"{rules.cap(rules.max_size_share)} ({rules.max_size_share:.0%}) en het budget het toelaat."),
            html.Li(f"De {rules.reserve} beste van de rest vormen de reservelijst."),
        ], className="small"),
        html.P(f"De suggestie selecteert {len(chosen)} aanvragen uit {chosen['province'].nunique()} provincies voor "
               f"{eur(float(chosen['cost'].sum()))}; {differs} aanvragen hebben nu een andere of nog geen beslissing.",
               id=P + "suggestion-note"),
    ])], className="mb-3")


def review_form(r: Review) -> dbc.Card:
    """Return the form that scores one application and records its decision with a reason."""
    options = [{"label": f"nr. {x.application_id} – {x.name}", "value": int(x.application_id)}
               for x in r.rows.sort_values("name").itertuples()]
    labels = {c.key: c.label for c in r.criteria}
    return dbc.Card([dbc.CardHeader(html.H2("Beoordelen en beslissen", className="h6 mb-0")), dbc.CardBody([
        dbc.Label("Aanvraag", html_for=P + "pick"),
        dcc.Dropdown(id=P + "pick", options=options, placeholder="Kies een aanvraag…", clearable=False),
        html.Div(id=P + "detail", className="my-2"),
        dbc.Row([dbc.Col([dbc.Label(labels.get(k, k), html_for=f"{P}score-{k}"),
                          dcc.Dropdown(id=f"{P}score-{k}", options=[{"label": str(i), "value": i} for i in range(6)],
                                       placeholder="0–5")], xs=12, sm=4)
                 for k in REVIEWED], className="g-2 mb-2"),
        dbc.Label("Beslissing", html_for=P + "decision"),
        dbc.RadioItems(id=P + "decision", options=[{"label": d, "value": d} for d in DECISIONS], inline=True),
        dbc.Label("Reden (verplicht)", html_for=P + "reason", className="mt-2"),
        dbc.Textarea(id=P + "reason", rows=2, maxLength=2000),
        dbc.Button("Opslaan", id=P + "save", color="primary", className="mt-2", n_clicks=0),
        html.Div(id=P + "message", className="mt-2"),
    ])], className="mb-3")


def overview(r: Review) -> list:
    """Return the parts of the page a decision changes."""
    return [dbc.Row([dbc.Col(variety_card(r), lg=8), dbc.Col([suggestion_card(r), budget_card(r)], lg=4)]),
            applications_card(r)]


def _header(r: Review) -> list:
    c = r.call
    badge = dbc.Badge("synthetisch", color="warning", text_color="dark", className="ms-2") if c.synthetic else None
    calls = current_programme().calls()
    nav = dbc.Nav([dbc.NavLink(x.name, href=f"/oproepen/{x.id}", active=x.id == c.id) for x in calls], pills=True,
                  className="small mb-3 flex-wrap", id=P + "nav")
    return [
        breadcrumbs([("Vlaanderen", "/"), ("Oproepen", "/oproepen"), (c.name, None)]),
        html.H1([c.name, badge], className="h3"),
        html.P(f"Open van {fmt_date(c.opens_on)} tot {fmt_date(c.deadline)} · coaching vanaf "
               f"{fmt_date(c.coaching_start)} · capaciteit {c.capacity} trajecten · budget {eur(c.budget_eur)} en "
               f"{fmt_number(c.budget_days)} expertdagen", className="text-muted"),
        nav,
    ]


def layout(oproep: str | None = None, **_: object) -> html.Div:
    """Return the review page of call ``oproep``."""
    p = CallParams.from_url(current_known(), oproep)
    refused = refusal(ACCESS, f"/oproepen/{p.call}")
    if refused is not None:
        return refused
    db = current_db()
    try:
        r = review(current_programme(), db, p.call, queries.years(db))
    except RejectedError as exc:
        return not_found(exc.reason)
    return html.Div([
        *_header(r),
        dbc.Row([dbc.Col(criteria_card(r), lg=7), dbc.Col(review_form(r), lg=5)]),
        # Outside the part a decision redraws: a button drawn anew must never count as a click.
        html.Div([dbc.Button("Suggestie overnemen voor alle aanvragen", id=P + "accept", color="primary", n_clicks=0),
                  html.Span(" Daarna kan u elke beslissing aanpassen (met reden).", className="small text-muted")],
                 className="mb-3"),
        html.Div(overview(r), id=P + "overview"),
        dcc.Store(id=P + "id", data=r.call.id),
    ], className="call-page")
