"""The evaluation document: ``GET /trajecten/<aanvraag>/evaluatie-traject<aanvraag>.pdf``, in the PDF pool."""

from __future__ import annotations

import flask

from dashboard.accounts.access import LoginRequiredError, require
from dashboard.accounts.web import current_account
from dashboard.data.db import Database
from dashboard.errors import RejectedError
from dashboard.features.fiche.routes import CLIENT_GONE, busy, pdf_response, plain
from dashboard.features.trajectory.layout import trajectory
from dashboard.features.trajectory.params import ACCESS
from dashboard.features.trajectory.view import document
from dashboard.params import application_id
from dashboard.programme.documents import evaluation_filename, evaluation_html, render
from dashboard.render_pool import PoolBusyError, RenderCancelledError, RenderPool, client_gone_probe


def register_evaluation_pdf(server: flask.Flask, _db: Database, pool: RenderPool) -> None:
    """Add the evaluation document's route to ``server``."""

    @server.route("/trajecten/<aanvraag>/evaluatie-traject<nummer>.pdf")
    def evaluation_pdf(aanvraag: str, nummer: str) -> flask.Response:
        flask.g.private = True
        account = current_account()
        if account is None:
            raise LoginRequiredError
        require(ACCESS, account)
        app_id = application_id(aanvraag) or 0
        if nummer != str(app_id):
            raise RejectedError(404, "Dit evaluatiedocument bestaat niet.")
        t = trajectory(app_id)  # out of reach: the same 404 as a number nobody has
        if t.evaluation is None:
            raise RejectedError(404, f"Traject {app_id} heeft nog geen evaluatie.")
        html_text = evaluation_html(document(t))
        try:
            pdf = pool.run(object(), lambda _ticket: render(html_text), client_gone_probe(flask.request.environ))
        except PoolBusyError:
            return busy()
        except RenderCancelledError:
            return plain("De aanvrager is weg; het document werd niet afgemaakt.\n", CLIENT_GONE)
        return pdf_response(pdf, evaluation_filename(app_id))
