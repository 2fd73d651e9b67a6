"""The Flask route of the fiche PDF: ``GET /gemeente/<nis>/fiche.pdf?gebied=<id>&jaar=<year>``."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import flask

from dashboard import audit
from dashboard.accounts.access import enforce
from dashboard.cache import PUBLIC
from dashboard.data.db import Database, DatabaseMissingError
from dashboard.features.fiche.params import ACCESS, FicheParams
from dashboard.fiche.data import FicheNotFoundError, load_fiche
from dashboard.fiche.pdf import fiche_link, pdf_filename, render_pdf, warm_up
from dashboard.links import base_url
from dashboard.render_pool import (
    BUSY_TEXT,
    RETRY_AFTER,
    PoolBusyError,
    RenderCancelledError,
    RenderPool,
    Ticket,
    client_gone_probe,
)
from dashboard.vocab import current_known

#: Status logged for a render whose client left before it was done (nobody reads the answer).
CLIENT_GONE = 499


def plain(text: str, status: int) -> flask.Response:
    """Return a short Dutch text answer."""
    return flask.Response(text, status, content_type="text/plain; charset=utf-8")


def busy() -> flask.Response:
    """Return the 503 of a full PDF pool, with the seconds to wait before trying again."""
    response = plain(BUSY_TEXT, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def fiche_pdf_key(nis: str, area: str | None, year: int | None, base: str, created: dt.date) -> tuple:
    """Return the cache parameters of a fiche PDF: what the request names, and what the PDF prints.

    The request's own values, not the resolved area and year: a repeat is then answered without a query.
    The PDF prints the permanent link (on ``SMART_RETAIL_BASE_URL``) and the day it was made: both are part of it.
    """
    return (nis, area or "", year, base, created.isoformat())


def render_fiche(db: Database, nis: str, area: str | None, year: int | None, base: str, created: dt.date
                 ) -> Callable[[Ticket], tuple[bytes, str]]:
    """Return the pool job that loads one fiche and renders its PDF: ``(pdf, filename)``."""

    def job(ticket: Ticket) -> tuple[bytes, str]:
        fiche = load_fiche(db, nis, area, year)
        ticket.check()
        return render_pdf(fiche, fiche_link(base, fiche), created, check=ticket.check), pdf_filename(fiche)

    return job


def pdf_response(pdf: bytes, filename: str) -> flask.Response:
    """Return a PDF answer shown in the browser, saved under ``filename``."""
    response = flask.Response(pdf, 200, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def register_fiche_pdf(server: flask.Flask, db: Database, pool: RenderPool) -> None:
    """Add the PDF route to ``server``; bad input gets a 404 with a short Dutch text, never a traceback.

    PDFs are rendered in ``pool`` (bounded: a burst gets 503 with ``Retry-After``, never a stalled
    service) and kept per build in ``db.cache``, so a repeat costs no render. The renderer is warmed up
    in the background as the app starts (each gunicorn worker builds its own app), so the first fiche a
    worker serves costs no more than the next ones.
    """
    threading.Thread(target=warm_up, name="fiche-pdf-warm-up", daemon=True).start()

    @server.route("/gemeente/<nis>/fiche.pdf")
    def fiche_pdf(nis: str) -> flask.Response:
        args = flask.request.args
        # Never the request's Host: the link printed in the PDF is the dashboard's own address.
        base, created = base_url(), dt.date.today()
        try:
            p = FicheParams.from_url(current_known(), nis, args.get("gebied"), args.get("jaar"))
            flask.g.private = True  # the area's outlets, one by one: never in a shared cache
            enforce(ACCESS, nis={p.nis})  # before the render cache: one PDF serves every account that reaches it
            # Outlets one by one leave the dashboard here, also when the PDF comes from the cache.
            audit.note("download", "fiche", p.area or "hoofdwinkelgebied", p.nis, f"jaar {p.year or 'laatste'}")
            key = db.cache_key("fiche-pdf", fiche_pdf_key(p.nis, p.area, p.year, base, created), scope=PUBLIC)
            found = db.cache.get(key)
            if found is None:
                found = pool.run(key, render_fiche(db, p.nis, p.area, p.year, base, created),
                                 client_gone_probe(flask.request.environ))
                db.remember(key, found, len(found[0]))
            pdf, filename = found
        except FicheNotFoundError as exc:
            return plain(f"Fiche niet gevonden: {exc}\n", 404)
        except DatabaseMissingError:
            return plain("Nog geen database: bouw eerst de gegevens.\n", 503)
        except PoolBusyError:
            return busy()
        except RenderCancelledError:
            return plain("De aanvrager is weg; de PDF werd niet afgemaakt.\n", CLIENT_GONE)
        return pdf_response(pdf, filename)
