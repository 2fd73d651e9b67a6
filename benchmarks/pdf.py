"""PDF costs beside their floor, in one process and one run.

Usage::

    python benchmarks/pdf.py --db data/retail.duckdb [--nis 11002] [--repeat 7]

Prints, each as a median of ``--repeat`` and as a ratio to the floor:

- floor: a plain weasyprint page with the fiche's own text (same words, same font, no tables or charts);
- the fiche's render (HTML + layout + PDF, its data already loaded) as served, and two variants that show
  what the fixes saved: charts inline as SVG elements (as before), and every type size tried from the
  largest (as before: a fiche with footfall profiles was laid out twice);
- the fiche PDF over the app's route (Flask test client: queries + render), uncached and cached;
- the intake dossier over its route, against the uncached fiche (target ≤ 3×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import weasyprint  # noqa: E402

from dashboard.app import create_app  # noqa: E402
from dashboard.config import load_settings  # noqa: E402
from dashboard.data.db import Database  # noqa: E402
from dashboard.fiche import pdf  # noqa: E402
from dashboard.fiche.data import load_fiche  # noqa: E402

DAY = dt.date(2026, 12, 1)
LINK = "http://127.0.0.1:8050/gemeente/x/fiche"


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def plain_page(html: str) -> str:
    """Return the fiche's text as plain paragraphs: what weasyprint costs for the words alone."""
    body = re.sub(r"<style>.*?</style>|<svg.*?</svg>|<img[^>]*>", "", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", body))
    words = text.split()
    paragraphs = [" ".join(words[i:i + 60]) for i in range(0, len(words), 60)]
    return ('<html><head><style>@page { size: A4; margin: 10mm } body { font-family: "DejaVu Sans"; '
            'font-size: 6.3pt }</style></head><body>' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>")


def old_fit(fiche: pdf.Fiche) -> bytes:
    """Render as before the fix: every type size from the largest until the fiche fits."""
    for size in pdf.FONT_SIZES:
        document = weasyprint.HTML(string=pdf.fiche_html(fiche, LINK, DAY, size)).render()
        if len(document.pages) == 1:
            break
    return document.copy(document.pages[:1]).write_pdf()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--nis", default="11002")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    db = Database(args.db)
    fiche = load_fiche(db, args.nis)
    pdf.warm_up()
    html = pdf.fiche_html(fiche, LINK, DAY, pdf.first_size(fiche))
    plain = plain_page(html)
    floor = median_ms(lambda: weasyprint.HTML(string=plain).write_pdf(), args.repeat)
    rows = [("floor: plain weasyprint page, the fiche's text", floor)]
    rows.append(("fiche render (as served)", median_ms(lambda: pdf.render_pdf(fiche, LINK, DAY), args.repeat)))
    rows.append(("  every size from the largest (before)", median_ms(lambda: old_fit(fiche), args.repeat)))
    inline = pdf.svg_image
    pdf.svg_image = lambda svg: svg  # charts as inline SVG elements, as before
    try:
        rows.append(("  charts inline as SVG (before)", median_ms(lambda: pdf.render_pdf(fiche, LINK, DAY),
                                                                   args.repeat)))
        rows.append(("  both (the fiche before the fixes)", median_ms(lambda: old_fit(fiche), args.repeat)))
    finally:
        pdf.svg_image = inline

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(load_settings({"SMART_RETAIL_DB": str(args.db),
                                        "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp}/intake.sqlite3"}))
        client = app.server.test_client()
        url = f"/gemeente/{args.nis}/fiche.pdf"
        client.get(url)

        def uncached() -> None:
            db_app = app.server.extensions["smart_retail_db"]
            db_app.cache.clear()
            assert client.get(url).status_code == 200

        fiche_http = median_ms(uncached, args.repeat)
        rows.append(("fiche PDF over the route, uncached", fiche_http))
        rows.append(("fiche PDF over the route, cached", median_ms(lambda: client.get(url), args.repeat)))
        store = app.server.extensions["smart_retail_intake"]
        store.create_draft(args.nis, "benchmark", {"contact_name": "Benchmark", "challenge": "leegstand"})
        dossier = median_ms(lambda: client.get(f"/gemeente/{args.nis}/intake.pdf"), args.repeat)

    print(f"{'what':<52}{'ms':>9}{'× floor':>9}")
    for what, ms in rows:
        print(f"{what:<52}{ms:>9.1f}{ms / floor:>9.2f}")
    print(f"{'intake dossier over the route':<52}{dossier:>9.1f}{dossier / floor:>9.2f}"
          f"   {dossier / fiche_http:.2f}× the uncached fiche (target ≤ 3)")


if __name__ == "__main__":
    main()
