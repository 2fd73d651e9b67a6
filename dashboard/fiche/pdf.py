"""The DNA fiche as a one-page A4 PDF: HTML + inline SVG rendered by weasyprint (no browser).

weasyprint runs inside the process that asks for the PDF (a gunicorn worker, the ``fiches`` command):
the fonts and the renderer stay loaded, so only the first fiche of a process pays their start-up.
The page is fitted on one A4: when the content runs over, the fiche is set again in a smaller type.

What a layout costs (``benchmarks/fiche.py`` prints it beside a plain weasyprint page): each layout
parses the HTML and cascades the CSS over every element. The charts therefore go in as SVG *images*
(``<img src="data:image/svg+xml,…">``): weasyprint reads those with its XML parser and styles only the
``<img>``, instead of parsing and cascading hundreds of SVG elements as HTML. And the fiche starts in
the type size it is expected to fit (:func:`first_size`), so that most fiches are laid out once.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

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
from dashboard.figures import fiche as figs
from dashboard.formatting import fmt_date, fmt_number
from dashboard.links import permanent_link
from dashboard.pdfdoc import html_document

if TYPE_CHECKING:
    import weasyprint

SYNTHETIC_TEXT = ("Synthetische demodata: de gemeenten, NIS-codes en provincies zijn echt; alle verkooppunten, "
                  "leegstand, tellingen en bevolkingscijfers zijn verzonnen. Trek er geen conclusies uit.")
#: Base font sizes (pt) tried in turn until the fiche fits on one page.
FONT_SIZES = (6.8, 6.3, 5.8, 5.3)

CSS = """
@page { size: A4; margin: 10mm 11mm 14mm 11mm;
  @bottom-left { content: element(footer); } }
body { font-family: "DejaVu Sans", sans-serif; font-size: %(size)spt; color: #1d2733; line-height: 1.28; }
h1 { font-size: 1.9em; margin: 0 0 0.5mm 0; color: #1f5f8b; }
h2 { font-size: 1.15em; margin: 2.2mm 0 0.8mm 0; color: #1f5f8b; border-bottom: 0.3mm solid #c4ccd4; }
.sub { color: #55606b; margin: 0 0 1.5mm 0; }
.notice { background: #fff3cd; border: 0.3mm solid #e0c36a; padding: 1mm 2mm; margin-bottom: 1.5mm; }
/* Columns as CSS tables: weasyprint lays them out predictably, and a cell never spills off the page. */
.cols { display: table; width: 100%%; table-layout: fixed; }
.col { display: table-cell; vertical-align: top; padding-right: 4mm; }
.col:last-child { padding-right: 0; }
.wide { width: 62%%; }
td { white-space: nowrap; }
td.l { white-space: normal; }
table { border-collapse: collapse; width: 100%%; }
td, th { padding: 0.35mm 1mm; text-align: right; border-bottom: 0.15mm solid #e3e7eb; }
th { color: #55606b; font-weight: normal; }
td.l, th.l { text-align: left; }
ul { margin: 0; padding-left: 4mm; }
li { margin-bottom: 0.5mm; }
p { margin: 0 0 1mm 0; }
.muted { color: #55606b; }
.id td { text-align: left; border: none; padding: 0.1mm 1mm 0.1mm 0; }
#footer { position: running(footer); font-size: 6.5pt; color: #55606b; }
#footer a { color: #1f5f8b; }
"""


_SVG_SIZE = re.compile(r'<svg [^>]*?width="([0-9.]+)mm" height="([0-9.]+)mm"')


def svg_image(svg: str) -> str:
    """Return an SVG chart (sized in mm) as an ``<img>`` of the same size with the SVG as a data URI."""
    size = _SVG_SIZE.match(svg)
    style = f' style="width:{size.group(1)}mm;height:{size.group(2)}mm"' if size else ""
    return f'<img{style} alt="" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'


def first_size(fiche: Fiche) -> float:
    """Return the type size to lay the fiche out in first: the largest it is expected to fit in.

    The footfall profiles take about a ninth of the page: in the demo every fiche with them overflows
    in the largest type and every fiche without them fits, so a fiche with profiles starts one size
    smaller. Should it still run over, :func:`render_document` goes on to the next size as before.
    """
    has_profiles = not (fiche.hours.empty and fiche.days.empty)
    return FONT_SIZES[1] if has_profiles else FONT_SIZES[0]


def fiche_link(base_url: str | None, fiche: Fiche) -> str:
    """Return the permanent link of the fiche: its page for this area and inventory year.

    ``base_url``: the dashboard's address; ``None``: ``SMART_RETAIL_BASE_URL`` (see :mod:`dashboard.links`).
    """
    return permanent_link(f"/gemeente/{fiche.area['nis_code']}/fiche",
                          {"gebied": fiche.area["area_id"], "jaar": fiche.year}, base_url)


def pdf_filename(fiche: Fiche) -> str:
    """Return the download name, e.g. ``fiche-44021-WG4402101-2025.pdf``."""
    return f"fiche-{fiche.area['nis_code']}-{fiche.area['area_id']}-{fiche.year}.pdf"


def _findings(fiche: Fiche, kind: str, empty: str) -> str:
    items = fiche.findings_of(kind)
    if not items:
        return f'<p class="muted">{escape(empty)}</p>'
    return "<ul>" + "".join(f"<li>{escape(f.text)}</li>" for f in items) + "</ul>"


def _profiles(fiche: Fiche) -> str:
    if fiche.hours.empty and fiche.days.empty:
        return ""
    hours, days = fiche.hours.sort_values("bucket"), fiche.days.sort_values("bucket")
    hour_svg = svg_image(figs.svg_columns([str(int(b)) for b in hours["bucket"]], list(hours["avg_passers"]),
                                          58, 14, 3, 3))
    day_svg = svg_image(figs.svg_columns([WEEKDAYS[int(b) - 1][:2] for b in days["bucket"]],
                                         list(days["avg_passers"]), 24, 14, 2))
    return (f'<div class="cols"><div class="col" style="width: 70%">{hour_svg}</div>'
            f'<div class="col">{day_svg}</div></div>')


def fiche_html(fiche: Fiche, link: str, created: dt.date, font_size: float = FONT_SIZES[0],
               footer_note: str = "") -> str:
    """Return the fiche as one HTML document (inline SVG charts), ready for weasyprint.

    ``footer_note`` ends the footer line (the intake dossier puts its page number there).
    """
    a = fiche.area
    rows = dna_rows(fiche)
    head = "".join(f"<th>{y}</th>" for y in fiche.years)
    dna = "".join(
        f'<tr><td class="l">{escape(r["label"])}</td>' + "".join(f"<td>{escape(t)}</td>" for t in r["texts"])
        + f'<td>{escape(r["peer"])}</td><td>{svg_image(figs.svg_sparkline(r["values"]))}</td></tr>' for r in rows)
    pairs = identity(fiche)
    ident = "".join(  # two (label, value) pairs a row: the identity takes four lines instead of seven
        "<tr>" + "".join(f'<td class="muted">{escape(k)}</td><td>{escape(v)}</td>' for k, v in pairs[i:i + 2])
        + "</tr>" for i in range(0, len(pairs), 2))
    sizes = "".join(
        f'<tr><td class="l">{escape(r.band)}</td><td>{r.vacant}</td><td>{r.structural}</td>'
        f"<td>{fmt_number(r.wvo_m2)}</td></tr>" for r in fiche.vacant_by_size.itertuples())
    under = [f for f in fiche.findings if f.rule_id == "branche_ondervertegenwoordigd"]
    notice = f'<div class="notice"><b>{escape(SYNTHETIC_TEXT)}</b></div>' if fiche.synthetic else ""
    note = f" · {escape(footer_note)}" if footer_note else ""
    source = fiche.info.get("source_label") or "onbekend"
    built = fiche.info.get("built_at", "")[:10]
    rules_used = ", ".join(f"{r.label.lower()} ({r.threshold})" for r in RULES[:4])
    return f"""<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>DNA-fiche {escape(a['name'])}</title><style>{CSS % {"size": font_size}}</style></head><body>
<div id="footer">Bron: {escape(source)} (gebouwd {escape(built)}) · fiche gemaakt op {fmt_date(created)} ·
permanente link: <a href="{escape(link)}">{escape(link)}</a>{note}</div>
<h1>DNA-fiche {escape(a['name'])}</h1>
<p class="sub">{escape(a['municipality'])} · {escape(a['area_type'])} · inventaris {fiche.year} ·
{escape(fiche.peer_note)}</p>
{notice}
<div class="cols">
 <div class="col wide">
  <h2>Identiteit</h2><table class="id">{ident}</table>
  <h2>Het DNA in cijfers ({fiche.years[0]}–{fiche.years[-1]})</h2>
  <table><tr><th class="l">kerncijfer</th>{head}<th>mediaan peers {fiche.year}</th><th>trend</th></tr>{dna}</table>
 </div>
 <div class="col"><h2>Winkelgebied en verkooppunten {fiche.year}</h2>
  {svg_image(figs.svg_core_map(fiche.geometry_wkb, fiche.outlets))}</div>
</div>
<div class="cols">
 <div class="col wide"><h2>Branchemix tegenover de peers (aandeel verkooppunten)</h2>
  {svg_image(figs.svg_branch_bars(fiche.groups))}</div>
 <div class="col"><h2>Ketens en local heroes</h2><p>{escape(chain_text(fiche))}</p>
  <h2>Leegstand naar duur</h2><p>{escape(vacancy_text(fiche))}</p>
  <h2>Passanten</h2><p>{escape(footfall_text(fiche))}</p>
  {_profiles(fiche)}
 </div>
</div>
<div class="cols">
 <div class="col"><h2>{KINDS["sterkte"]}</h2>{_findings(fiche, "sterkte", "Geen regel wijst een sterkte aan.")}</div>
 <div class="col"><h2>{KINDS["aandachtspunt"]}</h2>{_findings(fiche, "aandachtspunt",
                                                               "Geen regel wijst een aandachtspunt aan.")}</div>
</div>
<h2>Groeipotentieel</h2>
<div class="cols">
 <div class="col"><p><b>Ondervertegenwoordigde branchegroepen</b> (aandeel lager dan P25 van de peers):</p>
  {"<ul>" + "".join(f"<li>{escape(f.text)}</li>" for f in under) + "</ul>" if under
   else '<p class="muted">Geen branchegroep onder P25 van de peers.</p>'}
 </div>
 <div class="col"><p>{escape(growth_text(fiche))}</p>
  <table><tr><th class="l">grootte (WVO)</th><th>leeg</th><th>waarvan structureel</th><th>m² WVO</th></tr>{sizes}
  </table></div>
</div>
<p class="muted" style="margin-top:1.5mm">Sterktes, aandachtspunten en groeikansen volgen uit {len(RULES)} vaste
regels ({escape(rules_used)}, …; de volledige tabel staat op de fiche-pagina). Peerwaarden: P25, mediaan en P75 van
de peers in {fiche.year}.</p>
</body></html>"""


def warm_up() -> None:
    """Load weasyprint, pango and the fonts with a tiny document, so the first real fiche does not pay it."""
    html_document(f"<style>{CSS % {'size': FONT_SIZES[0]}}</style><p>DNA-fiche 1.234,5 m²</p>").write_pdf()


def render_document(fiche: Fiche, link: str, created: dt.date | None = None, footer_note: str = "",
                    check: Callable[[], None] | None = None) -> weasyprint.Document:
    """Return the fiche laid out on one A4 page (set in a smaller type until it fits), not yet written.

    The intake dossier appends this page to its own pages; :func:`render_pdf` writes it alone. ``check``
    is called before each layout and may raise to stop a render nobody waits for any more.
    """
    created = created or dt.date.today()
    document = None
    for size in FONT_SIZES[FONT_SIZES.index(first_size(fiche)):]:
        if check is not None:
            check()
        document = html_document(fiche_html(fiche, link, created, size, footer_note)).render()
        if len(document.pages) == 1:
            break
    assert document is not None
    # Still too long in the smallest type: keep the first page rather than a second sheet.
    return document.copy(document.pages[:1])


def render_pdf(fiche: Fiche, link: str, created: dt.date | None = None,
               check: Callable[[], None] | None = None) -> bytes:
    """Return the fiche as a one-page A4 PDF (set in a smaller type until it fits on one page)."""
    document = render_document(fiche, link, created, check=check)
    if check is not None:
        check()
    return document.write_pdf()
