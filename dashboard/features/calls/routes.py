"""The decision letter: ``GET /oproepen/<oproep>/brief-<aanvraag>.pdf`` (VLAIO), rendered in the PDF pool."""

from __future__ import annotations

import flask

from dashboard.accounts.access import LoginRequiredError, require
from dashboard.accounts.web import current_account
from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.errors import RejectedError
from dashboard.features.calls.params import ACCESS
from dashboard.features.calls.view import review
from dashboard.features.fiche.routes import CLIENT_GONE, busy, pdf_response, plain
from dashboard.params import application_id, call_id
from dashboard.programme.documents import Letter, letter_filename, letter_html, render
from dashboard.programme.store import current_programme
from dashboard.render_pool import PoolBusyError, RenderCancelledError, RenderPool, client_gone_probe


def letter(db: Database, call: int, app_id: int) -> Letter:
    """Return the decision letter of application ``app_id`` in call ``call`` (404 when it has none)."""
    p = current_programme()
    r = review(p, db, call, queries.years(db))
    rows = r.rows[r.rows["application_id"] == app_id] if not r.rows.empty else r.rows
    if rows.empty or not rows.iloc[0]["decision"]:
        raise RejectedError(404, f"Oproep {call} heeft geen beslissing over aanvraag {app_id}.")
    x = rows.iloc[0]
    app = p.store.get(app_id)
    return Letter(call=r.call.name, deadline=r.call.deadline, coaching_start=r.call.coaching_start,
                  municipality=str(x["name"]), application_id=app_id, contact=app.contact_name or "",
                  department=app.department or "", decision=str(x["decision"]), reason=str(x["reason"] or ""),
                  total=float(x["total"]), scores={c.key: float(x[f"s_{c.key}"]) for c in r.criteria},
                  criteria=r.criteria, synthetic=r.call.synthetic)


def register_letter_pdf(server: flask.Flask, db: Database, pool: RenderPool) -> None:
    """Add the decision letter's route to ``server``."""

    @server.route("/oproepen/<oproep>/brief-<aanvraag>.pdf")
    def decision_letter(oproep: str, aanvraag: str) -> flask.Response:
        flask.g.private = True  # a letter to one municipality: never cached
        account = current_account()
        if account is None:
            raise LoginRequiredError
        require(ACCESS, account)
        app_id = application_id(aanvraag)
        x = letter(db, call_id(oproep), app_id or 0)
        try:
            pdf = pool.run(object(), lambda _ticket: render(letter_html(x)), client_gone_probe(flask.request.environ))
        except PoolBusyError:
            return busy()
        except RenderCancelledError:
            return plain("De aanvrager is weg; de brief werd niet afgemaakt.\n", CLIENT_GONE)
        return pdf_response(pdf, letter_filename(call_id(oproep), x.application_id))
