"""The intake dossier (issue 6): one A4 PDF for the intake conversation of a Profploeg application.

The dossier holds the application's answers grouped as on the form, the 5B fiche with the expert's notes
(or a ruled box to write in), the chosen experts with the reasons of :func:`~dashboard.intake.expertise.suggest`,
and, as its last page, the DNA fiche of the area the intake reads, rendered by :mod:`dashboard.fiche.pdf`
itself and merged in, so the dossier never shows a fiche that differs from the fiche's own PDF.

:func:`load_dossier` gathers everything (database and store); :func:`dossier_model` and :func:`expert_lines`
are pure; :func:`render_dossier` typesets its own pages with typst (``dashboard/fiche/dossier.typ``, the
model as JSON: every text placed as text, never read as markup) and appends the fiche's page. The HTML
layout it had before cost a second a dossier.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.fiche.data import Fiche
from dashboard.fiche.pdf import SYNTHETIC_TEXT, fiche_link, page_count, render_pdf, typeset
from dashboard.formatting import fmt_date
from dashboard.intake.expertise import Suggestion, suggest
from dashboard.intake.facts import answer, application_fiche, facts_of
from dashboard.intake.fivb import DATA, VISIT, Signal, five_b
from dashboard.intake.models import Application
from dashboard.intake.store import Store
from dashboard.intake.validation import FIELDS
from dashboard.links import permanent_link

#: The application's answers as the form groups them: (section title, fields).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Identificatie", ("contact_name", "department", "email", "phone")),
    ("Uitdaging en verwachtingen", ("challenge", "expectations")),
    ("Zone", ("zone_area_ids", "zone_description")),
    ("Eerdere initiatieven", ("earlier_initiatives", "went_well", "went_less")),
    ("Kritische succesfactoren", ("retail_policy", "means_capacity", "departments_involvement")),
)
EMPTY = "niet ingevuld"
#: Ruled lines of the empty notes box of a B: room for a few sentences during the conversation.
NOTE_LINES = 5
ADDED = "toegevoegd door de gebruiker"
TEMPLATE = "dossier.typ"

#: The house style of the dashboard's HTML documents (the programme's letters lay theirs out with it).
CSS = """
@page { size: A4; margin: 14mm 15mm 16mm 15mm;
  @bottom-left { content: element(footer); vertical-align: top; }
  @bottom-right { content: "pagina " counter(page) " van " counter(pages); vertical-align: top;
    font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; color: #55606b; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #1d2733; line-height: 1.35; }
h1 { font-size: 16pt; margin: 0 0 1mm 0; color: #1f5f8b; }
h2 { font-size: 12pt; margin: 5mm 0 1.5mm 0; color: #1f5f8b; border-bottom: 0.3mm solid #c4ccd4; }
h3 { font-size: 10pt; margin: 3mm 0 1mm 0; }
p { margin: 0 0 1.5mm 0; }
a { color: #1f5f8b; }
.muted { color: #6b7680; font-style: italic; }
.meta { color: #55606b; }
.notice { background: #fff3cd; border: 0.3mm solid #e0c36a; padding: 1.5mm 2.5mm; margin: 2mm 0; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: 0.8mm 1.5mm 0.8mm 0; text-align: left; vertical-align: top; border-bottom: 0.15mm solid #e3e7eb; }
th { color: #55606b; font-weight: normal; }
td.label { width: 34%; color: #55606b; }
.text { white-space: pre-wrap; }
.group { break-inside: avoid; }
.b { break-inside: avoid; }
/* An expert and the reasons for them are read together: a row never breaks over two pages. */
tr.expert { break-inside: avoid; }
ul { margin: 0 0 1.5mm 0; padding-left: 4mm; }
li { margin-bottom: 0.8mm; }
.tag { font-size: 7pt; padding: 0.2mm 1.2mm; border-radius: 1mm; white-space: nowrap; }
.tag.data { background: #dbe9f4; color: #1f5f8b; }
.tag.visit { background: #fdecc8; color: #7a5200; }
.tag.added { background: #e6f0df; color: #3b6b1f; }
.notes { border: 0.3mm solid #c4ccd4; padding: 1.5mm 2mm; }
.ruled { border: 0.3mm solid #c4ccd4; padding: 0 2mm; }
/* Solid writing lines: weasyprint draws a dotted border dot by dot (thousands of curves: seconds a dossier). */
.ruled div { height: 7mm; border-bottom: 0.2mm solid #b9c1c8; }
.ruled div:last-child { border-bottom: none; }
.fiche-slot { break-before: page; }
/* The 5B fiche is the agenda of the conversation: it starts on its own page, never as an orphan heading. */
.new-page { break-before: page; }
h2, h3 { break-after: avoid; }
#footer { position: running(footer); font-size: 7.5pt; color: #55606b; }
"""


@dataclass(frozen=True)
class ExpertLine:
    """One expert of the dossier: why (the current reasons), and whether the user added them by hand."""

    expert: str
    reasons: tuple[str, ...]
    added: bool


@dataclass
class Dossier:
    """Everything the intake dossier shows about one application."""

    application: Application
    municipality: str
    fiche: Fiche | None
    signals: dict[str, list[Signal]]
    suggestions: list[Suggestion]
    steps: list[tuple[str, dt.date]]  # (status, date it took effect), oldest first
    link: str  # the application's page
    fiche_link: str = ""
    area_names: dict[str, str] = field(default_factory=dict)  # area id -> name, of the municipality
    synthetic: bool = False
    created: dt.date = field(default_factory=dt.date.today)  # the day the dossier is made


def application_link(base_url: str | None, nis: str, application_id: int) -> str:
    """Return the link of the application's page, e.g. ``…/gemeente/44021/intake?aanvraag=7``."""
    return permanent_link(f"/gemeente/{nis}/intake", {"aanvraag": application_id}, base_url)


def dossier_filename(application: Application) -> str:
    """Return the download name, e.g. ``intake-44021-7.pdf``."""
    return f"intake-{application.nis_code}-{application.id}.pdf"


def expert_lines(experts: Mapping[str, Any] | None, suggestions: Sequence[Suggestion]) -> list[ExpertLine]:
    """Return the dossier's experts: the stored choice, or the suggestions when no choice was ever stored.

    An expert counts as added by the user when the choice holds them but the suggestions stored with it do
    not (the list the user chose from; the current suggestions when none were stored).
    """
    reasons = {s.expert: s.reasons for s in suggestions}
    if not experts or "chosen" not in experts:
        return [ExpertLine(s.expert, s.reasons, False) for s in suggestions]
    offered = set(experts.get("suggested", reasons))
    return [ExpertLine(e, reasons.get(e, ()), e not in offered) for e in experts["chosen"]]


def load_dossier(db: Database, store: Store, application: Application, base_url: str | None, municipality: str,
                 created: dt.date | None = None) -> Dossier:
    """Gather the dossier of ``application``: its DNA fiche (if any), 5B signals, experts and status steps."""
    fiche = application_fiche(db, application.nis_code, application.zone_area_ids)
    facts = facts_of(fiche) if fiche is not None else None
    areas = queries.areas(db)
    own = areas[areas["nis_code"] == application.nis_code]
    return Dossier(
        application=application, municipality=municipality, fiche=fiche,
        signals=five_b(facts, application), suggestions=suggest(facts, application),
        steps=[(s.to_status, s.effective_on) for s in store.status_changes(application.id)],
        link=application_link(base_url, application.nis_code, application.id),
        fiche_link=fiche_link(base_url, fiche) if fiche is not None else "",
        area_names=dict(zip(own["area_id"], own["name"], strict=True)),
        synthetic=queries.build_info(db).get("is_synthetic") == "true",
        created=created or dt.date.today(),
    )


# --- The model the template prints (pure) ---------------------------------------------------------------------


def _zone(dossier: Dossier) -> str:
    # An id the current build no longer knows stays visible: the applicant did pick it.
    return ", ".join(dossier.area_names.get(i) or f"{i} (onbekend winkelgebied)"
                     for i in dossier.application.zone_area_ids or [])


def _answers(dossier: Dossier) -> list[dict[str, Any]]:
    return [{"title": title, "rows": [
        {"label": FIELDS[n], "value": _zone(dossier) if n == "zone_area_ids" else answer(dossier.application, n)}
        for n in names]} for title, names in GROUPS]


def _five_b(dossier: Dossier) -> list[dict[str, Any]]:
    notes = dossier.application.five_b_notes or {}
    return [{"name": b,
             "signals": [{"kind": "data" if s.status == DATA else "visit", "status": s.status, "text": s.text}
                         for s in signals],
             "note": (notes.get(b) or "").strip() or None} for b, signals in dossier.signals.items()]


def _experts(dossier: Dossier) -> dict[str, Any]:
    experts = dossier.application.experts
    lines = expert_lines(experts, dossier.suggestions)
    dropped = [e for e in (experts or {}).get("suggested", []) if e not in {x.expert for x in lines}]
    return {
        "intro": ("De gekozen experten, met de redenen uit de aanvraag en de DNA-fiche." if experts
                  and "chosen" in experts else "Nog geen keuze opgeslagen: de voorgestelde experten, met hun redenen."),
        "rows": [{"expert": x.expert, "added": ADDED if x.added else None, "reasons": list(x.reasons)} for x in lines],
        "none": "Geen experten gekozen of voorgesteld.",
        "no_reason": "geen reden in de huidige gegevens",
        "dropped": f"Voorgesteld maar niet gekozen: {', '.join(dropped)}." if dropped else None,
    }


def _fiche_section(dossier: Dossier) -> dict[str, Any]:
    fiche = dossier.fiche
    if fiche is None:
        return {"link": None, "text": (
            f"{dossier.municipality} heeft geen afgebakende winkelgebieden: er is geen DNA-fiche bij dit dossier. "
            "De 5B-fiche steunt daarom enkel op de antwoorden van de aanvraag; wat de data zouden tonen, is na te "
            "gaan bij het plaatsbezoek.")}
    return {"before": "De 5B-fiche en de experten lezen de DNA-fiche van winkelgebied ",
            "name": str(fiche.area["name"]),
            "after": (f" (inventaris {fiche.year}); die staat op de laatste pagina van dit dossier. "
                      "Permanente link:"),
            "link": dossier.fiche_link}


def dossier_model(dossier: Dossier) -> dict[str, Any]:
    """Return everything the dossier's own pages print, as JSON-ready data (texts formatted in nl-BE).

    ``pages_after`` counts the fiche page that :func:`render_dossier` appends, so that the footers'
    "pagina i van n" already include it.
    """
    app = dossier.application
    title = f"Intakedossier Profploeg – {dossier.municipality}"
    steps = " → ".join(f"{s} {fmt_date(on)}" for s, on in dossier.steps) or "–"
    return {
        "title": title,
        "footer": f"{title} · aanvraag nr. {app.id} · dossier gemaakt op {fmt_date(dossier.created)}",
        "meta": (f"Aanvraag nr. {app.id} · NIS {app.nis_code} · status {app.status} · aangemaakt op "
                 f"{fmt_date(app.created_at) if app.created_at else '–'}"),
        "steps": f"Statusverloop: {steps}",
        "online_label": "Aanvraag online:",
        "link": dossier.link,
        "notice": SYNTHETIC_TEXT if dossier.synthetic else None,
        "empty": EMPTY,
        "groups": _answers(dossier),
        "tags": {"data": DATA, "visit": VISIT},
        "five_b": _five_b(dossier),
        "note_lines": NOTE_LINES,
        "experts": _experts(dossier),
        "fiche": _fiche_section(dossier),
        "pages_after": 0 if dossier.fiche is None else 1,
    }


def render_dossier(dossier: Dossier, check: Callable[[], None] | None = None) -> bytes:
    """Return the dossier as an A4 PDF: its own pages, then the DNA fiche page (when there is a fiche).

    The fiche page is the fiche's own PDF, with the dossier's page number in its footer.
    ``check`` is called between the steps and may raise to stop a render nobody waits for any more.
    """
    import pypdf

    check = check or (lambda: None)
    own = typeset(dossier_model(dossier), dossier.created, TEMPLATE, "dossier")
    check()
    if dossier.fiche is None:
        return own
    total = page_count(own) + 1
    fiche_page = render_pdf(dossier.fiche, dossier.fiche_link, dossier.created, check=check,
                            footer_note=f"pagina {total} van {total}")
    writer = pypdf.PdfWriter()
    writer.append(io.BytesIO(own))
    writer.append(io.BytesIO(fiche_page))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
