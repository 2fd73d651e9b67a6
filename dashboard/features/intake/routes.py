"""The Flask route of the intake dossier: ``GET /gemeente/<nis>/intake.pdf?aanvraag=<id>``."""

from __future__ import annotations

import flask

from dashboard import audit, params
from dashboard.accounts.access import LoginRequiredError, enforce, readable
from dashboard.accounts.users import Account
from dashboard.accounts.web import current_account
from dashboard.data.db import Database, DatabaseMissingError
from dashboard.features.fiche.routes import CLIENT_GONE, busy, pdf_response, plain
from dashboard.features.intake.params import ACCESS, IntakeParams
from dashboard.intake.dossier import dossier_filename, load_dossier, render_dossier
from dashboard.intake.models import Application
from dashboard.intake.store import NotFoundError, current_store
from dashboard.links import base_url
from dashboard.render_pool import PoolBusyError, RenderCancelledError, RenderPool, client_gone_probe
from dashboard.vocab import current_known


def _not_found(message: str) -> flask.Response:
    return flask.Response(f"Intakedossier niet gevonden: {message}\n", 404, content_type="text/plain; charset=utf-8")


def _application(account: Account, nis: str, name: str, app_id: int | None) -> Application | str:
    """Return the application the request names (default: the latest), or why there is none (Dutch).

    One text for an application that does not exist, one of another municipality and one out of the
    account's reach: the number tells nothing.
    """
    store = current_store()
    if app_id is None:
        latest = [a for a in store.list_applications(nis=nis) if account.reads(a.id, nis)]
        return latest[0] if latest else f"{name} heeft nog geen aanvraag voor de Profploeg."
    try:
        return readable(account, store.get(app_id), nis)
    except NotFoundError:
        return f"{name} heeft geen aanvraag met nummer {app_id}."


def register_intake_pdf(server: flask.Flask, db: Database, pool: RenderPool) -> None:
    """Add the intake dossier route to ``server``: the application's dossier as an A4 PDF.

    Without ``aanvraag`` the municipality's most recent application; a malformed address is refused
    (:class:`~dashboard.features.intake.params.IntakeParams`); an unknown application, or one of another
    municipality, gets a 404 with a short Dutch text, never a traceback. The dossier is rendered in
    ``pool``, as the fiche is (503 with ``Retry-After`` when it is full). It is never cached: the
    application it shows can change at any moment.
    """

    @server.route("/gemeente/<nis>/intake.pdf")
    def intake_pdf(nis: str) -> flask.Response:
        flask.g.private = True  # personal data: never cached
        enforce(ACCESS)
        account = current_account()
        if account is None:  # enforce refused it already; this tells the type checker
            raise LoginRequiredError
        try:
            p = IntakeParams.from_url(current_known(), nis, flask.request.args.get("aanvraag"))
            municipality = params.municipality(db, p.nis)
            if municipality is None:
                return _not_found(f"er is geen Vlaamse gemeente met NIS-code '{nis}'.")
            name = str(municipality["name"])
            found = _application(account, p.nis, name, p.application)
            if isinstance(found, str):
                return _not_found(found)
            audit.note("download", "dossier", found.id, found.nis_code)
            dossier = load_dossier(db, current_store(), found, base_url(), name)
        except DatabaseMissingError:
            return plain("Nog geen database: bouw eerst de gegevens.\n", 503)
        try:
            # A key of its own: two requests for a dossier never share a render, the application may differ.
            pdf = pool.run(object(), lambda ticket: render_dossier(dossier, ticket.check),
                           client_gone_probe(flask.request.environ))
        except PoolBusyError:
            return busy()
        except RenderCancelledError:
            return plain("De aanvrager is weg; het dossier werd niet afgemaakt.\n", CLIENT_GONE)
        return pdf_response(pdf, dossier_filename(found))
