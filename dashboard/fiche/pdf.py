"""The DNA fiche as a one-page A4 PDF, typeset by typst (``fiche.typ``) from the fiche's data as JSON.

Why typst and not the HTML renderer the intake dossier uses: on the real fiche, a typst compile costs a
few tens of milliseconds against several hundred for the same page through HTML and CSS layout
(``benchmarks/pdf.py`` prints both beside a plain page). The compiler, its fonts and the template are
loaded once per process and kept; typst also keeps what it laid out before, so the next fiche reuses it.

The data reach the template as one JSON document in ``sys.inputs``: every name, label and sentence is a
JSON string the template places as text, so nothing an export or a user wrote is read as typst markup.
The fiche is set in the largest type size first (every demo fiche fits in it); should the page run over,
it is set again one size smaller. Letting the template measure every size itself cost one compile, but
typst keeps each layout it made for its next compiles: three times the memory of a worker. typst runs in a
process of its own beside each worker (:mod:`dashboard.fiche.typesetter`): stopped when nobody waits.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from dashboard.fiche.data import (
    WEEKDAYS,
    Fiche,
    chain_text,
    dna_rows,
    footfall_text,
    growth_text,
    identity,
    vacancy_text,
)
from dashboard.fiche.rules import KINDS, RULES
from dashboard.fiche.typesetter import Typesetter
from dashboard.figures import fiche as figs
from dashboard.formatting import fmt_date, fmt_number
from dashboard.links import permanent_link

SYNTHETIC_TEXT = ("Synthetische demodata: de gemeenten, NIS-codes en provincies zijn echt; alle verkooppunten, "
                  "leegstand, tellingen en bevolkingscijfers zijn verzonnen. Trek er geen conclusies uit.")
#: Base type sizes (pt), largest first: the template sets the fiche in the first one the page holds.
FONT_SIZES = (7.2, 6.8, 6.3, 5.8, 5.3)
TEMPLATE = "fiche.typ"
_typesetter: Typesetter | None = None
_typesetter_lock = threading.Lock()


def fiche_link(base_url: str | None, fiche: Fiche) -> str:
    """Return the permanent link of the fiche: its page for this area and inventory year.

    ``base_url``: the dashboard's address; ``None``: ``SMART_RETAIL_BASE_URL`` (see :mod:`dashboard.links`).
    """
    return permanent_link(f"/gemeente/{fiche.area['nis_code']}/fiche",
                          {"gebied": fiche.area["area_id"], "jaar": fiche.year}, base_url)


def pdf_filename(fiche: Fiche) -> str:
    """Return the download name, e.g. ``fiche-44021-WG4402101-2025.pdf``."""
    return f"fiche-{fiche.area['nis_code']}-{fiche.area['area_id']}-{fiche.year}.pdf"


def built_on(info: dict[str, str]) -> str:
    """Return the build's day as ``dd-mm-jjjj`` (the build info keeps an ISO timestamp), or ``onbekend``."""
    try:
        return fmt_date(dt.datetime.fromisoformat(info.get("built_at", "")).date())
    except ValueError:
        return "onbekend"


def _profiles(fiche: Fiche) -> list[dict[str, str]]:
    """Return the footfall profiles as titled charts, one under the other (side by side their labels met)."""
    charts = []
    if not fiche.hours.empty:
        hours = fiche.hours.sort_values("bucket")
        charts.append({"title": "Per uur (gemiddelde per telpunt)",
                       "svg": figs.svg_columns([f"{int(b)}u" for b in hours["bucket"]], list(hours["avg_passers"]),
                                               66, 12, 3, 3)})
    if not fiche.days.empty:
        days = fiche.days.sort_values("bucket")
        charts.append({"title": "Per weekdag (gemiddelde per telpunt)",
                       "svg": figs.svg_columns([WEEKDAYS[int(b) - 1][:2] for b in days["bucket"]],
                                               list(days["avg_passers"]), 66, 10, 2)})
    return charts


def _findings(fiche: Fiche, kind: str, empty: str) -> dict[str, Any]:
    return {"title": KINDS[kind], "items": [f.text for f in fiche.findings_of(kind)], "empty": empty}


def fiche_model(fiche: Fiche, link: str, created: dt.date, footer_note: str = "") -> dict[str, Any]:
    """Return everything the template prints, as JSON-ready data (texts already formatted in nl-BE).

    ``footer_note`` ends the footer line (the intake dossier puts its page number there).
    """
    a = fiche.area
    rows = dna_rows(fiche)
    rules_used = ", ".join(f"{r.label.lower()} ({r.threshold})" for r in RULES[:4])
    source = fiche.info.get("source_label") or "onbekend"
    return {
        "title": f"DNA-fiche {a['name']}",
        "subtitle": f"{a['municipality']} · {a['area_type']} · inventaris {fiche.year} · {fiche.peer_note}",
        "notice": SYNTHETIC_TEXT if fiche.synthetic else None,
        "identity": [list(pair) for pair in identity(fiche)],
        "dna": {
            "title": f"Het DNA in cijfers ({fiche.years[0]}–{fiche.years[-1]})",
            "header": ["kerncijfer", *(str(y) for y in fiche.years), f"peers {fiche.year} (mediaan)", "trend"],
            "rows": [{"label": r["label"], "texts": r["texts"], "peer": r["peer"],
                      "trend": figs.svg_sparkline(r["values"])} for r in rows],
        },
        "map": {
            "title": f"Winkelgebied en verkooppunten {fiche.year}",
            "svg": figs.svg_core_map(fiche.geometry_wkb, fiche.outlets, legend=False),
            "legend": [{"color": color, "label": label} for color, label in figs.POINT_STYLES.values()],
        },
        "branches": figs.svg_branch_bars(fiche.groups),
        "chains": chain_text(fiche),
        "vacancy": vacancy_text(fiche),
        "footfall": footfall_text(fiche),
        "profiles": _profiles(fiche),
        "strengths": _findings(fiche, "sterkte", "Geen regel wijst een sterkte aan."),
        "concerns": _findings(fiche, "aandachtspunt", "Geen regel wijst een aandachtspunt aan."),
        "under": [f.text for f in fiche.findings if f.rule_id == "branche_ondervertegenwoordigd"],
        "growth": growth_text(fiche),
        "sizes": {
            "header": ["grootte (WVO)", "leeg", "waarvan structureel", "m² WVO"],
            "rows": [[r.band, str(r.vacant), str(r.structural), fmt_number(r.wvo_m2)]
                     for r in fiche.vacant_by_size.itertuples()],
        },
        "rules_note": (f"Sterktes, aandachtspunten en groeikansen volgen uit {len(RULES)} vaste regels "
                       f"({rules_used}, …; de volledige tabel staat op de fiche-pagina). Peerwaarden: P25, mediaan "
                       f"en P75 van de peers in {fiche.year}."),
        "footer": (f"Bron: {source} (gebouwd {built_on(fiche.info)}) · fiche gemaakt op {fmt_date(created)} · "
                   "permanente link:"),
        "link": link,
        "footer_note": f" · {footer_note}" if footer_note else "",
        "type_size": FONT_SIZES[0],
    }


def typesetter() -> Typesetter:
    """Return this process's typesetter of the fiche's templates (its process starts at the first document)."""
    global _typesetter
    with _typesetter_lock:
        if _typesetter is None:
            _typesetter = Typesetter(Path(str(resources.files("dashboard.fiche"))), TEMPLATE)
        return _typesetter


def typeset(model: dict[str, Any], created: dt.date, template: str = TEMPLATE, key: str = "fiche",
            check: Callable[[], None] | None = None) -> bytes:
    """Return the PDF of a model; the PDF's creation date is ``created`` (same input, same bytes).

    ``template``: a template of this package (the fiche's, or the intake dossier's own pages); it reads the
    model as JSON from ``sys.inputs`` under ``key``. ``check`` is called while typst works: what it raises
    stops the compile (its process is ended) and reaches the caller.
    """
    return typesetter().typeset(template, key, json.dumps(model, ensure_ascii=False), created, check)


def warm_up() -> None:
    """Start the typesetting process and load its compiler, fonts and template, so the first fiche does not pay it."""
    typesetter().warm_up()


_PAGE_COUNT = re.compile(rb"/Type\s*/Pages\s*/Count\s+(\d+)")


def page_count(pdf: bytes) -> int:
    """Return the number of pages of a PDF (read from its page tree, else by parsing it)."""
    found = _PAGE_COUNT.search(pdf)
    if found:
        return int(found.group(1))
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def first_page(pdf: bytes) -> bytes:
    """Return the first page of ``pdf`` alone."""
    import pypdf

    writer = pypdf.PdfWriter()
    writer.append(io.BytesIO(pdf), pages=(0, 1))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pdf(fiche: Fiche, link: str, created: dt.date | None = None,
               check: Callable[[], None] | None = None, footer_note: str = "") -> bytes:
    """Return the fiche as a one-page A4 PDF; ``check`` may raise to stop a render nobody waits for.

    Set in the largest type size that fits; still too long in the smallest, the first page is kept
    rather than a second sheet.
    """
    created = created or dt.date.today()
    model = fiche_model(fiche, link, created, footer_note)
    pdf = b""
    for size in FONT_SIZES:
        if check is not None:
            check()
        pdf = typeset({**model, "type_size": size}, created, check=check)
        if page_count(pdf) == 1:
            return pdf
    return first_page(pdf)
