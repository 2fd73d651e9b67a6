"""PDF costs beside their floors, in one process and one run.

Usage::

    python benchmarks/pdf.py --db data/retail.duckdb [--nis 11002] [--repeat 9]

Prints, each as a median of ``--repeat`` and as a ratio to the floors:

- floors: the fiche's own words as plain paragraphs on an A4 page, once through weasyprint (the HTML
  renderer the intake dossier uses) and once through typst (the fiche's typesetter), same font;
- the fiche's render (its data already loaded: model, charts as SVG, typst compile) as served;
- the fiche PDF over the app's route (Flask test client: the fiche's queries + render; the reference
  tables every page reads stay cached, as in a running worker), uncached and cached;
- the intake dossier over its route, against the uncached fiche (target ≤ 3×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import typst  # noqa: E402
import weasyprint  # noqa: E402

from dashboard.accounts.users import add_user  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.config import load_settings  # noqa: E402
from dashboard.data.db import Database  # noqa: E402
from dashboard.fiche import pdf  # noqa: E402
from dashboard.fiche.data import load_fiche  # noqa: E402
from dashboard.fiche.typesetter import fonts  # noqa: E402

DAY = dt.date(2026, 12, 1)
LINK = "https://winkelgebieden.example/gemeente/x/fiche"
PASSWORD = "benchmark paard batterij nietje"


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def words(model: object) -> Iterator[str]:
    """Yield every text of a fiche model (the SVG charts left out)."""
    if isinstance(model, str):
        if not model.startswith("<svg"):
            yield model
    elif isinstance(model, dict):
        for value in model.values():
            yield from words(value)
    elif isinstance(model, list):
        for value in model:
            yield from words(value)


def paragraphs(model: dict) -> list[str]:
    text = " ".join(words(model)).split()
    return [" ".join(text[i:i + 60]) for i in range(0, len(text), 60)]


def weasyprint_floor(paras: list[str]) -> str:
    from html import escape

    return ('<html><head><style>@page { size: A4; margin: 10mm } body { font-family: "DejaVu Sans"; '
            'font-size: 6.3pt }</style></head><body>' + "".join(f"<p>{escape(p)}</p>" for p in paras)
            + "</body></html>")


TYPST_FLOOR = """#set page(paper: "a4", margin: 10mm)
#set text(font: "DejaVu Sans", size: 6.3pt)
#for p in json(bytes(sys.inputs.words)) [#text(p)\n\n]
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--nis", default="11002")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    db = Database(args.db)
    fiche = load_fiche(db, args.nis)
    pdf.warm_up()
    pdf.render_pdf(fiche, LINK, DAY)
    paras = paragraphs(pdf.fiche_model(fiche, LINK, DAY))
    html = weasyprint_floor(paras)
    weasyprint.HTML(string=html).write_pdf()
    floor_w = median_ms(lambda: weasyprint.HTML(string=html).write_pdf(), args.repeat)
    plain = typst.Compiler(TYPST_FLOOR.encode(), font_paths=fonts())
    inputs = {"words": json.dumps(paras)}
    plain.compile(TYPST_FLOOR.encode(), format="pdf", sys_inputs=inputs)
    floor_t = median_ms(lambda: plain.compile(TYPST_FLOOR.encode(), format="pdf", sys_inputs=inputs), args.repeat)
    rows = [("floor: plain weasyprint page, the fiche's text", floor_w),
            ("floor: plain typst page, the fiche's text", floor_t),
            ("fiche render (model + charts + typst), as served", median_ms(lambda: pdf.render_pdf(fiche, LINK, DAY),
                                                                             args.repeat))]

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(load_settings({"SMART_RETAIL_DB": str(args.db),
                                        "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp}/intake.sqlite3"}))
        client = app.server.test_client()
        store = app.server.extensions["smart_retail_intake"]
        # The fiche needs an account, the dossier (personal data) the municipality's own: that one asks for both.
        add_user(store, "benchmark@gemeente.example", PASSWORD, "gemeente", name="Benchmark", nis=args.nis)
        client.environ_base["HTTP_ORIGIN"] = "http://localhost"
        assert client.post("/login", data={"email": "benchmark@gemeente.example", "password": PASSWORD}
                           ).status_code == 303
        url = f"/gemeente/{args.nis}/fiche.pdf"
        client.get(url)
        db_app = app.server.extensions["smart_retail_db"]

        def uncached() -> None:
            db_app.cache.forget("fiche", "fiche-pdf")
            assert client.get(url).status_code == 200

        def model_cached() -> None:
            db_app.cache.forget("fiche-pdf")  # the fiche's page was seen: its view model is in the cache
            assert client.get(url).status_code == 200

        fiche_http = median_ms(uncached, args.repeat)
        rows.append(("fiche PDF over the route, uncached", fiche_http))
        rows.append(("fiche PDF over the route, its page seen first", median_ms(model_cached, args.repeat)))
        rows.append(("fiche PDF over the route, cached", median_ms(lambda: client.get(url), args.repeat)))
        draft = store.create_draft(args.nis, "benchmark", {"contact_name": "Benchmark", "challenge": "leegstand"})
        dossier_url = f"/gemeente/{args.nis}/intake.pdf?aanvraag={getattr(draft, 'id', draft)}"
        assert client.get(dossier_url).status_code == 200
        dossier = median_ms(lambda: client.get(dossier_url), args.repeat)

    print(f"{'what':<52}{'ms':>9}{'× weasyprint floor':>20}{'× typst floor':>15}")
    for what, ms in rows:
        print(f"{what:<52}{ms:>9.1f}{ms / floor_w:>20.2f}{ms / floor_t:>15.2f}")
    print(f"{'intake dossier over the route':<52}{dossier:>9.1f}{dossier / floor_w:>20.2f}{dossier / floor_t:>15.2f}"
          f"   {dossier / fiche_http:.2f}× the uncached fiche (target ≤ 3)")


if __name__ == "__main__":
    main()
