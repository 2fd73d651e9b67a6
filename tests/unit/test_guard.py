"""The request guard covers routes it was never told about: checks go by the name of a variable."""

from __future__ import annotations

from pathlib import Path

import flask
import pytest

from dashboard.app import create_app
from dashboard.config import load_settings
from dashboard.guard import _template_regex


@pytest.fixture(scope="module")
def client(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory):
    intake = tmp_path_factory.mktemp("intake") / "intake.sqlite3"
    app = create_app(load_settings({"SMART_RETAIL_DB": str(fixture_db), "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{intake}"}))

    @app.server.route("/gemeente/<nis>/fiche.pdf")  # as another page of the project will add it
    def fiche(nis: str) -> flask.Response:
        return flask.Response(f"fiche {nis} {flask.request.args.get('gebied')}", mimetype="application/pdf")

    return app.server.test_client()


@pytest.mark.parametrize(("url", "status"), [
    # Well formed: the fiche shows outlets, so an anonymous visitor is sent to the login.
    ("/gemeente/44021/fiche.pdf?gebied=WG1", 303),
    ("/gemeente/44021/fiche.pdf", 303),
    ("/gemeente/99999/fiche.pdf?gebied=WG1", 404),
    ("/gemeente/44021/fiche.pdf?gebied=WG9", 404),
    ("/gemeente/41002/fiche.pdf?gebied=WG1", 404),
    ("/gemeente/44021/fiche.pdf?jaar=abc", 400),
    ("/gemeente/4402x/fiche.pdf", 400),
    ("/gemeente/44021/intake.pdf?aanvraag=abc", 400),
    ("/gemeente/44021/intake.pdf?aanvraag=1234567890", 400),
    ("/gemeente/44021/intake.pdf?aanvraag=-1", 400),
    # Well formed: an anonymous visitor is sent to the login (tests/unit/test_access.py has the rest).
    ("/gemeente/44021/intake.pdf?aanvraag=12", 303),
])
def test_a_new_flask_route_is_checked_by_its_variable_names(client, url: str, status: int) -> None:
    assert client.get(url).status_code == status


@pytest.mark.parametrize(("template", "path", "expected"), [
    ("/gemeente/<nis>/kaart", "/gemeente/44021/kaart", {"nis": "44021"}),
    ("/gemeente/<nis>/kaart", "/gemeente/44021/kaart/", {"nis": "44021"}),
    ("/gemeente/<nis>/kaart", "/gemeente/44021", None),
    ("/gemeente/<nis>/intake", "/gemeente/44021/kaart", None),
    ("/gemeente/<nis>", "/gemeente/44021/kaart", None),
    ("/provincie/<code>", "/provincie/40000", {"code": "40000"}),
])
def test_page_templates_match_exactly_their_paths(template: str, path: str, expected: dict | None) -> None:
    match = _template_regex(template).match(path)
    assert (match.groupdict() if match else None) == expected
