"""The Flask route of the fiche PDF: ``GET /gemeente/<nis>/fiche.pdf?gebied=<id>&jaar=<year>``."""

from __future__ import annotations

import threading

import flask

from dashboard.data.db import Database, DatabaseMissingError
from dashboard.features.fiche.params import FicheParams
from dashboard.fiche.data import FicheNotFoundError, load_fiche
from dashboard.fiche.pdf import fiche_link, pdf_filename, render_pdf, warm_up
from dashboard.vocab import current_known


def register_fiche_pdf(server: flask.Flask, db: Database) -> None:
    """Add the PDF route to ``server``; bad input gets a 404 with a short Dutch text, never a traceback.

    The PDF renderer is warmed up in the background as the app starts (each gunicorn worker builds its
    own app), so the first fiche a worker serves costs no more than the next ones.
    """
    threading.Thread(target=warm_up, name="fiche-pdf-warm-up", daemon=True).start()

    @server.route("/gemeente/<nis>/fiche.pdf")
    def fiche_pdf(nis: str) -> flask.Response:
        args = flask.request.args
        try:
            p = FicheParams.from_url(current_known(), nis, args.get("gebied"), args.get("jaar"))
            fiche = load_fiche(db, p.nis, p.area, p.year)
        except FicheNotFoundError as exc:
            return flask.Response(f"Fiche niet gevonden: {exc}\n", 404, content_type="text/plain; charset=utf-8")
        except DatabaseMissingError:
            return flask.Response("Nog geen database: bouw eerst de gegevens.\n", 503,
                                  content_type="text/plain; charset=utf-8")
        pdf = render_pdf(fiche, fiche_link(flask.request.host_url, fiche))
        response = flask.Response(pdf, 200, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="{pdf_filename(fiche)}"'
        return response
