"""The programme's PDFs: the decision letter of a call and the evaluation document of a trajectory (A4).

:func:`letter_html` and :func:`evaluation_html` are pure (every user text escaped); :func:`render` lays the HTML
out with weasyprint, as the intake dossier does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from dashboard.fiche.data import fmt_cell
from dashboard.formatting import fmt_date, fmt_delta, fmt_number
from dashboard.intake.baseline import PERCENT_UNITS
from dashboard.intake.baseline import Evaluation as BaselineEvaluation
from dashboard.intake.dossier import CSS
from dashboard.programme.scoring import CriterionRule

SYNTHETIC = ("Synthetisch demoprogramma: de gemeenten zijn echt, de oproepen, aanvragen, beslissingen, teams en "
             "cijfers zijn verzonnen. Trek er geen conclusies uit.")
NEXT = {
    "geselecteerd": "Uw gemeente krijgt een traject van de Profploeg. VLAIO neemt contact op voor de intake; daar "
                    "stellen we samen het team van experten samen. De coaching is gratis voor de gemeente.",
    "reservelijst": "Uw aanvraag staat op de reservelijst: komt er een plaats vrij in deze oproep, dan nemen we "
                    "contact op. Anders kan u ze zonder nieuwe aanvraag laten meetellen in de volgende oproep.",
    "niet geselecteerd": "Uw aanvraag werd deze keer niet geselecteerd. U kan opnieuw indienen bij een volgende "
                         "oproep; de uitleg hieronder en de trajecten van gelijkaardige gemeenten in De Vitrine "
                         "helpen daarbij.",
}


def _p(text: str | None) -> str:
    return f'<p class="text">{escape(text)}</p>' if text else '<p class="muted">niet ingevuld</p>'


def _doc(title: str, footer: str, body: str, synthetic: bool) -> str:
    notice = f'<div class="notice"><b>{escape(SYNTHETIC)}</b></div>' if synthetic else ""
    return f"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>{CSS} .vitrine {{ break-before: page; }} .figure td, .figure th {{ text-align: right; }}
.figure td:first-child, .figure th:first-child {{ text-align: left; }}</style></head><body>
<div id="footer">{escape(footer)}</div>{notice}{body}</body></html>"""


@dataclass(frozen=True)
class Letter:
    """What a decision letter says."""

    call: str
    deadline: dt.date
    coaching_start: dt.date
    municipality: str
    application_id: int
    contact: str
    department: str
    decision: str
    reason: str
    total: float
    scores: dict[str, float]
    criteria: Sequence[CriterionRule]
    synthetic: bool
    created: dt.date = field(default_factory=dt.date.today)


def letter_html(x: Letter) -> str:
    """Return the decision letter as HTML."""
    total_weight = sum(c.weight for c in x.criteria) or 1.0
    rows = "".join(f"<tr><td>{escape(c.label)}</td><td>{fmt_number(100 * c.weight / total_weight)} %</td>"
                   f"<td>{fmt_number(x.scores.get(c.key), 1)} / 5</td></tr>" for c in x.criteria)
    body = f"""<p class="meta">VLAIO · De Profploeg · {fmt_date(x.created, long=True)}</p>
<p>Aan {escape(x.contact or 'de contactpersoon')}, {escape(x.department or 'gemeentebestuur')}<br>
Gemeente {escape(x.municipality)}</p>
<h1>Beslissing over uw aanvraag</h1>
<p class="meta">{escape(x.call)} · deadline {fmt_date(x.deadline, long=True)} · aanvraag nr. {x.application_id}</p>
<p>Beste,</p>
<p>VLAIO beoordeelde alle aanvragen van deze oproep met het beoordelingsrooster hieronder en koos een selectie
die verscheiden blijft over de provincies, de grootte van de gemeenten en hun uitdagingen.</p>
<h2>Beslissing: {escape(x.decision)}</h2>
<p><b>Reden:</b> {escape(x.reason)}</p>
<p>{escape(NEXT.get(x.decision, ''))}</p>
<p>{"De coaching start vanaf " + fmt_date(x.coaching_start, long=True) + "." if x.decision == "geselecteerd"
    else ""}</p>
<h2>Uw score: {fmt_number(x.total, 1)} op 100</h2>
<table class="figure"><tr><th>Criterium</th><th>Gewicht</th><th>Score</th></tr>{rows}</table>
<p class="meta">Totaal = gewogen gemiddelde × 20. De criteria over de nood lezen de cijfers van de DNA-fiche; de
sterkte van de aanvraag werd door VLAIO gescoord.</p>
<p>Met vriendelijke groeten,<br>het team van de Profploeg, VLAIO</p>"""
    return _doc(f"Beslissing – {x.municipality}", f"Beslissingsbrief · {x.call} · aanvraag nr. {x.application_id}",
                body, x.synthetic)


def letter_filename(call_id: int, application_id: int) -> str:
    """Return the letter's download name."""
    return f"beslissing-oproep{call_id}-aanvraag{application_id}.pdf"


@dataclass(frozen=True)
class EvaluationDocument:
    """What the evaluation document says about one trajectory."""

    municipality: str
    application_id: int
    call: str
    team: list[tuple[str, str, float]]  # expert, profile, days
    sessions: int
    comparison: BaselineEvaluation | None
    actions: list[tuple[str, str, dt.date, str]]  # text, owner, due, status
    evaluation: dict[str, Any]  # the stored evaluation's fields
    approved: str | None
    synthetic: bool
    created: dt.date = field(default_factory=dt.date.today)


def _comparison(c: BaselineEvaluation | None) -> str:
    if c is None:
        return "<p class=\"muted\">Geen basislijn vastgelegd bij de intake: er is niets te vergelijken.</p>"
    rows = []
    for r in c.rows:
        change = fmt_delta(r.change, r.decimals, "pp" if r.unit in PERCENT_UNITS else "")
        rows.append(f"<tr><td>{escape(r.label)}</td><td>{fmt_cell(r.before, r.unit, r.decimals)}</td>"
                    f"<td>{fmt_cell(r.after, r.unit, r.decimals)}</td><td>{change}</td>"
                    f"<td>{fmt_cell(r.peer_before, r.unit, r.decimals)}</td>"
                    f"<td>{fmt_cell(r.peer_after, r.unit, r.decimals)}</td><td>{escape(r.verdict)}</td></tr>")
    note = f"<p class=\"meta\">{escape(c.note)}</p>" if c.note else ""
    return (f"<p class=\"meta\">Winkelgebied {escape(c.area_name)}: basislijn {c.before_year} tegenover "
            f"{c.after_year}, tegen dezelfde bevroren peers ({len(c.peer_ids)} gebieden). {escape(c.peer_note)}</p>"
            f"{note}<table class=\"figure\"><tr><th>Cijfer</th><th>{c.before_year}</th><th>{c.after_year}</th>"
            f"<th>Verandering</th><th>Peers {c.before_year}</th><th>Peers {c.after_year}</th><th>Oordeel</th></tr>"
            f"{''.join(rows)}</table>")


def _actions(items: list[tuple[str, str, dt.date, str]], done: bool) -> str:
    chosen = [a for a in items if (a[3] == "klaar") == done]
    if not chosen:
        return '<p class="muted">geen</p>'
    return "<ul>" + "".join(f"<li>{escape(t)} – {escape(o)}, tegen {fmt_date(d)} ({escape(s)})</li>"
                            for t, o, d, s in chosen) + "</ul>"


def vitrine_figures(figures: dict[str, Any]) -> str:
    """Return a card's before/after figures against its peers as an HTML table."""
    rows = figures.get("rows") or []
    if not rows:
        return '<p class="muted">geen cijfers</p>'
    b, a = figures.get("before_year"), figures.get("after_year")
    body = "".join(f"<tr><td>{escape(r['label'])}</td><td>{fmt_cell(r['before'], r['unit'], r['decimals'])}</td>"
                   f"<td>{fmt_cell(r['after'], r['unit'], r['decimals'])}</td>"
                   f"<td>{fmt_cell(r['peer_before'], r['unit'], r['decimals'])} → "
                   f"{fmt_cell(r['peer_after'], r['unit'], r['decimals'])}</td><td>{escape(r['verdict'])}</td></tr>"
                   for r in rows)
    return (f'<table class="figure"><tr><th>Cijfer</th><th>{b}</th><th>{a}</th><th>Peers</th><th>Oordeel</th></tr>'
            f"{body}</table>")


def evaluation_html(x: EvaluationDocument) -> str:
    """Return the evaluation document: comparison, actions, next steps, then the one-page Vitrine summary."""
    e = x.evaluation
    team = "".join(f"<li>{escape(n)} – {escape(p)}, {fmt_number(d)} dagen</li>" for n, p, d in x.team)
    approved = (f"Goedgekeurd voor publicatie door {escape(x.approved)}." if x.approved
                else "Nog niet goedgekeurd door de gemeente: niet gepubliceerd in De Vitrine.")
    body = f"""<h1>Evaluatie Profploeg – {escape(x.municipality)}</h1>
<p class="meta">Traject nr. {x.application_id} · {escape(x.call)} · {x.sessions} coachingsessies ·
document gemaakt op {fmt_date(x.created)}</p>
<h2>Het team</h2><ul>{team or '<li class="muted">geen team</li>'}</ul>
<h2>Basislijn tegenover de laatste inventaris</h2>{_comparison(x.comparison)}
<h2>Acties afgerond</h2>{_actions(x.actions, True)}
<h2>Acties nog open</h2>{_actions(x.actions, False)}
<h2>Volgende stappen voor de gemeente</h2>{_p(e.get('next_steps'))}
<div class="vitrine"><h1>De Vitrine – {escape(e.get('title', ''))}</h1>
<p class="meta">{escape(x.municipality)} · uitdaging: {escape(e.get('challenge_tag', ''))} · concepten:
{escape(', '.join(e.get('concepts') or []))}</p>
{_p(e.get('summary'))}
<h2>Wat werkte</h2>{_p(e.get('worked'))}
<h2>Wat minder werkte</h2>{_p(e.get('worked_less'))}
<h2>De cijfers tegenover de peers</h2>{vitrine_figures(e.get('figures') or {})}
<p class="meta">{approved}</p></div>"""
    return _doc(f"Evaluatie – {x.municipality}", f"Evaluatie Profploeg · {x.municipality} · traject nr. "
                f"{x.application_id}", body, x.synthetic)


def evaluation_filename(application_id: int) -> str:
    """Return the evaluation document's download name."""
    return f"evaluatie-traject{application_id}.pdf"


def render(html_text: str) -> bytes:
    """Return ``html_text`` laid out as an A4 PDF (a document that fetches nothing: :mod:`dashboard.pdfdoc`)."""
    from dashboard.pdfdoc import html_document

    return html_document(html_text).write_pdf()
