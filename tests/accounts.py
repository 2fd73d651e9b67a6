"""Accounts for tests: one per role (and binding), created in the app's own store, logged in over HTTP."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import requests

from dashboard.accounts.assignments import assign_expert
from dashboard.accounts.users import AccountError, add_user
from dashboard.app import create_app
from dashboard.config import load_settings
from dashboard.intake.store import Store, open_store

PASSWORD = "correct paard batterij nietje"


def email_of(role: str, nis: str | None = None, province: str | None = None, name: str | None = None) -> str:
    """Return the test account's e-mail address of ``role`` bound to ``nis`` or ``province`` (and ``name``)."""
    person = f"{name.lower().replace(' ', '.')}." if name else ""
    return f"{person}{role}-{nis or province or 'vl'}@test.example.be"


def ensure_account(store: Store, role: str, nis: str | None = None, province: str | None = None,
                   name: str | None = None) -> str:
    """Create the test account of ``role`` (once; named ``name`` or after its role) and return its e-mail address."""
    email = email_of(role, nis, province, name)
    with contextlib.suppress(AccountError):  # made by an earlier test of the session
        add_user(store, email, PASSWORD, role, name=name or f"Test {role} {nis or province or ''}".strip(), nis=nis,
                 province=province)
    return email


def fresh_app(db: Path, intake: Path | str, **env: str) -> Any:
    """Return the app on database ``db`` with its own intake store, past its first request.

    ``intake``: a SQLite file, or the URL of any store (a PostgreSQL database of ``tests/postgres.py``).
    """
    url = intake if isinstance(intake, str) else f"sqlite:///{intake}"
    app = create_app(load_settings({"SMART_RETAIL_DB": str(db), "SMART_RETAIL_INTAKE_DB_URL": url, **env}))
    # Dash adds its page router on the first request, whichever it is (the home page may need a login).
    assert app.server.test_client().get("/login").status_code == 200
    return app


def assigned_expert(store: Store, name: str, *application_ids: int) -> str:
    """Create the expert account ``name`` (once), assign it to ``application_ids`` and return its e-mail address."""
    email = ensure_account(store, "expert", name=name)
    with store.sessions.begin() as session:
        for app_id in application_ids:
            assign_expert(session, email, app_id)
    return email


def logged_in(app: Any, role: str, nis: str | None = None, province: str | None = None,
              origin: str = "http://localhost", name: str | None = None) -> Any:
    """Return a Flask test client of ``app`` (Dash app or Flask server) logged in as the account of ``role``.

    It sends the app's own Origin with every request, as a browser does: a state-changing request that
    carries a cookie and no Origin is refused.
    """
    server = getattr(app, "server", app)  # the Dash app or its Flask server
    email = ensure_account(server.extensions["smart_retail_intake"], role, nis, province, name)
    client = server.test_client()
    client.environ_base["HTTP_ORIGIN"] = origin
    r = client.post("/login", data={"email": email, "password": PASSWORD})
    assert r.status_code == 303, r.text[:300]
    return client


def server_account(intake_db: Path, role: str, nis: str | None = None, province: str | None = None,
                   name: str | None = None) -> str:
    """Create a test account in a gunicorn's intake store (a SQLite file) and return its e-mail address."""
    store = open_store(f"sqlite:///{intake_db}")
    email = ensure_account(store, role, nis, province, name)
    store.engine.dispose()
    return email


def http_session(base: str, intake_db: Path, role: str, nis: str | None = None, province: str | None = None
                 ) -> requests.Session:
    """Return a ``requests`` session logged in on the gunicorn at ``base`` (its intake store: ``intake_db``)."""
    email = server_account(intake_db, role, nis, province)
    session = requests.Session()
    session.headers["Origin"] = base  # as a browser: a state-changing request with a cookie names its origin
    r = session.post(base + "/login", data={"email": email, "password": PASSWORD}, allow_redirects=False, timeout=30)
    assert r.status_code == 303, r.text[:300]
    return session
