"""The web side of accounts: Flask-Login sessions, ``/login``, ``/logout``, CSRF check, hardening headers.

The same-origin check covers every state-changing request; the headers go on every response.

The session cookie is Flask's signed cookie (HttpOnly, SameSite=Lax, Secure behind TLS), checked for its
age on every request. Its user id carries the account's session token: logout, disabling the account or a
new password gives the account a new token, and every cookie issued before stops working.
"""

from __future__ import annotations

import html
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import flask
import flask_login
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response as WerkzeugResponse

from dashboard.accounts.oidc import OidcConfig, install_oidc
from dashboard.accounts.users import Account, LoginError, authenticate, end_sessions, load_account, server_secret
from dashboard.errors import RejectedError
from dashboard.figures.maps import TileSource
from dashboard.intake.store import Store

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOGIN_PATH = "/login"
#: Failed logins one address may send (Flask-Limiter's notation; kept per worker, in memory).
LOGIN_RATE = "20 per minute"
TOO_MANY = "Te veel mislukte aanmeldpogingen vanaf dit adres; probeer het over een minuut opnieuw."


class _User(flask_login.UserMixin):
    """Flask-Login's view of an :class:`Account`."""

    def __init__(self, account: Account) -> None:
        self.account = account

    def get_id(self) -> str:
        return f"{self.account.id}:{self.account.session_token}"


def current_account() -> Account | None:
    """Return the logged-in account of the current request, or ``None``."""
    user = flask_login.current_user
    return user.account if user is not None and user.is_authenticated else None


def _local(target: str | None) -> str:
    # Only a path of this site: "//evil.example" or "https://…" would make the login an open redirect.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(message: str = "", email: str = "", target: str = "/", status: int = 200) -> flask.Response:
    alert = f'<div class="alert alert-danger py-2" role="alert">{html.escape(message)}</div>' if message else ""
    body = (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Smart Retail · Aanmelden</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/vendor/bootstrap.min.css"></head>'
        '<body class="container py-4" style="max-width:28rem"><h1 class="h3">Aanmelden</h1>'
        f'{alert}<form method="post" action="{LOGIN_PATH}">'
        f'<input type="hidden" name="volgende" value="{html.escape(target)}">'
        '<div class="mb-3"><label class="form-label" for="email">E-mailadres</label>'
        f'<input class="form-control" id="email" name="email" type="email" autocomplete="username" required '
        f'value="{html.escape(email)}"></div>'
        '<div class="mb-3"><label class="form-label" for="password">Wachtwoord</label>'
        '<input class="form-control" id="password" name="password" type="password" '
        'autocomplete="current-password" required></div>'
        '<button class="btn btn-primary" type="submit">Aanmelden</button></form>'
        f'{_provider_button(target)}'
        '<p class="mt-3 small"><a href="/">Terug naar het overzicht van Vlaanderen</a></p></body></html>'
    )
    resp = flask.Response(body, status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _provider_button(target: str) -> str:
    """Return the "Aanmelden via …" button when an OIDC provider is configured, else nothing."""
    config = flask.current_app.extensions.get("smart_retail_oidc") if flask.has_app_context() else None
    if config is None:
        return ""
    href = f"/login/oidc?{urlencode({'volgende': target})}"
    return (f'<p class="mt-3"><a class="btn btn-outline-primary" id="login-oidc" href="{html.escape(href)}">'
            f'Aanmelden via {html.escape(config.label)}</a></p>')


def check_origin(req: flask.Request) -> None:
    """Refuse a state-changing request from another site (CSRF): its Origin, else its Referer, must be ours.

    A request without either is let through only when it carries no cookie: without a session it can
    act for nobody (scripts and API clients send neither header).
    """
    if req.method in SAFE_METHODS:
        return
    ours = f"{req.scheme}://{req.host}"
    origin = req.headers.get("Origin")
    referer = req.headers.get("Referer")
    if origin is not None:
        ok = origin == ours
    elif referer:
        parts = urlsplit(referer)
        ok = f"{parts.scheme}://{parts.netloc}" == ours
    else:
        ok = not req.cookies
    if not ok:
        raise RejectedError(403, "Deze aanvraag komt niet van het dashboard zelf en wordt geweigerd.")


def _logged_in(account: Account, target: str) -> WerkzeugResponse:
    """Start the session of ``account`` and go on to ``target`` (a path of this site)."""
    flask.session.clear()  # no value of before the login survives it (session fixation)
    flask.session.permanent = True
    flask_login.login_user(_User(account))
    return flask.redirect(_local(target), code=303)


def install_login(server: flask.Flask, store: Store, *, https: bool, session_hours: float,
                  oidc: OidcConfig | None = None) -> None:
    """Add Flask-Login, ``/login`` and ``/logout`` to ``server``, with the cookie settings (and OIDC, if given)."""
    server.config.update(
        SECRET_KEY=server_secret(store),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        SESSION_COOKIE_NAME="smart_retail_sessie",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=session_hours),
        # A new cookie on every request would let a session live forever: it expires hours after the login.
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    manager = flask_login.LoginManager()
    manager.session_protection = None  # the session token does this job, and survives a changing IP address
    manager.init_app(server)

    @manager.user_loader
    def _load(session_id: str) -> _User | None:
        account = load_account(store, session_id)
        return _User(account) if account is not None else None

    # Per address, failed logins only (a success does not count): spraying many accounts from one address is
    # slowed down here; each account's own lockout is counted in the store, and holds across workers.
    limiter = Limiter(get_remote_address, app=server, storage_uri="memory://", strategy="moving-window",
                      headers_enabled=False)
    server.extensions["smart_retail_limiter"] = limiter

    @server.route(LOGIN_PATH, methods=["GET", "POST"])
    @limiter.limit(LOGIN_RATE, methods=["POST"], deduct_when=lambda resp: resp.status_code != 303,
                   on_breach=lambda _limit: _login_page(TOO_MANY, "", "/", 429))
    def login() -> WerkzeugResponse:
        target = _local(flask.request.values.get("volgende"))
        if flask.request.method == "GET":
            return _login_page(target=target)
        email = flask.request.form.get("email", "")[:254]
        password = flask.request.form.get("password", "")[:1024]
        try:
            account = authenticate(store, email, password)
        except LoginError as exc:
            return _login_page(str(exc), email, target, 401)
        return _logged_in(account, target)

    if oidc is not None:
        install_oidc(server, store, oidc, _logged_in, lambda reason: _login_page(reason, status=403))

    @server.route("/logout", methods=["GET", "POST"])
    def logout() -> WerkzeugResponse:
        account = current_account()
        if account is not None:
            end_sessions(store, account.id)
        flask_login.logout_user()
        flask.session.clear()
        return flask.redirect("/", code=303)


def csp(script_hashes: list[str], tiles: TileSource | None) -> str:
    """Return the Content-Security-Policy: only this site's scripts (Dash's inline ones by hash), no frames.

    Images (and MapLibre's fetches) may come from the host of the configured street tiles, and from no other.
    """
    tile_host = f" {tiles.origin()}" if tiles is not None else ""
    return "; ".join([
        "default-src 'self'",
        # Plotly compiles its WebGL shaders and number formats with new Function(): 'unsafe-eval' is needed.
        f"script-src 'self' 'unsafe-eval' {' '.join(script_hashes)}",
        # Plotly and React set styles inline.
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob:{tile_host}",
        f"connect-src 'self'{tile_host}",
        "worker-src 'self' blob:",  # MapLibre draws the maps in a web worker
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ])


def harden(resp: flask.Response, policy: str, https: bool, private: bool) -> flask.Response:
    """Add the hardening headers to ``resp``; ``private`` responses (personal data) are never cached."""
    resp.headers["Content-Security-Policy"] = policy
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "same-origin"
    if https:
        resp.headers["Strict-Transport-Security"] = "max-age=31536000"
    if private:
        resp.headers["Cache-Control"] = "no-store"
    return resp
