"""Login, lockout, session cookie and expiry, logout, the same-origin check and the hardening headers, in-process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.accounts.users import (
    MAX_FAILURES,
    AccountError,
    LoginError,
    add_user,
    authenticate,
    disable_user,
    reset_password,
)
from dashboard.intake.store import Store
from tests.accounts import PASSWORD, ensure_account, fresh_app, logged_in


@pytest.fixture(scope="module")
def app(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory):
    return fresh_app(fixture_db, tmp_path_factory.mktemp("intake") / "intake.sqlite3")


def _store(app) -> Store:
    return app.server.extensions["smart_retail_intake"]


def test_the_login_form_is_dutch_and_posts_email_and_password(app) -> None:
    r = app.server.test_client().get("/login?volgende=/intake")
    assert r.status_code == 200 and "Aanmelden" in r.text and 'lang="nl"' in r.text
    assert 'name="email"' in r.text and 'name="password"' in r.text and 'method="post"' in r.text
    assert 'value="/intake"' in r.text


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(app) -> None:
    email = ensure_account(_store(app), "vlaio")
    client = app.server.test_client()
    wrong = client.post("/login", data={"email": email, "password": "niet het wachtwoord"})
    unknown = client.post("/login", data={"email": "niemand@test.example.be", "password": "niet het wachtwoord"})
    assert wrong.status_code == unknown.status_code == 401
    assert "E-mailadres of wachtwoord onjuist." in wrong.text and "E-mailadres of wachtwoord onjuist." in unknown.text
    assert "smart_retail_sessie" not in wrong.headers.get("Set-Cookie", "")


def test_a_login_goes_only_to_a_page_of_this_site(app) -> None:
    email = ensure_account(_store(app), "vlaio")
    for target, where in [("/intake?status=intake", "/intake?status=intake"), ("//evil.example/x", "/"),
                          ("https://evil.example/", "/")]:
        r = app.server.test_client().post("/login", data={"email": email, "password": PASSWORD, "volgende": target})
        assert r.status_code == 303 and r.headers["Location"] == where


def test_lockout_after_repeated_failures_then_free_again_later(app) -> None:
    store = _store(app)
    add_user(store, "slot@test.example.be", PASSWORD, "expert")
    t0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginError, match="onjuist"):
            authenticate(store, "slot@test.example.be", "fout wachtwoord!", now=t0)
    with pytest.raises(LoginError, match="vergrendeld"):  # the right password no longer helps
        authenticate(store, "slot@test.example.be", PASSWORD, now=t0 + dt.timedelta(minutes=1))
    assert authenticate(store, "SLOT@test.example.be", PASSWORD, now=t0 + dt.timedelta(minutes=16)).role == "expert"


def test_a_locked_account_is_locked_over_http_too(app) -> None:
    store = _store(app)
    add_user(store, "http-slot@test.example.be", PASSWORD, "vlaio")
    client = app.server.test_client()
    for _ in range(MAX_FAILURES):
        assert client.post("/login", data={"email": "http-slot@test.example.be", "password": "x"}).status_code == 401
    r = client.post("/login", data={"email": "http-slot@test.example.be", "password": PASSWORD})
    assert r.status_code == 401 and "vergrendeld" in r.text


def test_a_password_reset_lifts_the_lock_and_ends_the_sessions(app) -> None:
    store = _store(app)
    client = logged_in(app, "gemeente", "12025")
    email = "gemeente-12025@test.example.be"
    for _ in range(MAX_FAILURES):
        app.server.test_client().post("/login", data={"email": email, "password": "fout wachtwoord!"})
    with pytest.raises(AccountError, match="minstens 12"):
        reset_password(store, email, "kort")
    reset_password(store, email, "een heel nieuw wachtwoord")
    assert client.get("/intake").status_code == 303  # the session of before the reset is over
    with pytest.raises(LoginError):
        authenticate(store, email, PASSWORD)
    assert authenticate(store, email, "een heel nieuw wachtwoord").nis_code == "12025"
    with pytest.raises(AccountError, match="geen account"):
        reset_password(store, "niemand@test.example.be", "een heel nieuw wachtwoord")


def test_one_address_is_slowed_down_after_many_failed_logins(fixture_db: Path, tmp_path: Path) -> None:
    from dashboard.accounts.web import LOGIN_RATE

    limited = fresh_app(fixture_db, tmp_path / "intake.sqlite3")
    email = ensure_account(_store(limited), "vlaio")
    client = limited.server.test_client()
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"
    allowed = int(LOGIN_RATE.split()[0])
    # Successes do not count: a busy office behind one address logs in all day.
    for _ in range(allowed + 2):
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 303
    # Failures spread over many unknown addresses, so no single account's lockout stops them: the address does.
    answers = [client.post("/login", data={"email": f"gok{i}@test.example.be", "password": "fout wachtwoord!"})
               for i in range(allowed + 1)]
    assert [r.status_code for r in answers[:allowed]] == [401] * allowed
    last = answers[-1]
    assert last.status_code == 429 and "Te veel mislukte aanmeldpogingen" in last.text and 'lang="nl"' in last.text
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 429
    other = limited.server.test_client()
    other.environ_base.update(REMOTE_ADDR="192.0.2.7", HTTP_ORIGIN="http://localhost")
    assert other.post("/login", data={"email": email, "password": PASSWORD}).status_code == 303


def test_accounts_are_checked_when_made(app) -> None:
    store = _store(app)
    for kwargs, message in [({"role": "gemeente"}, "NIS-code"), ({"role": "provincie", "province": "12345"},
                                                                "provinciecode"),
                            ({"role": "vlaio", "nis": "44021"}, "Alleen een account van een gemeente"),
                            ({"role": "baas"}, "Onbekende rol")]:
        with pytest.raises(AccountError, match=message):
            add_user(store, "nieuw@test.example.be", PASSWORD, **kwargs)
    with pytest.raises(AccountError, match="minstens 12"):
        add_user(store, "nieuw@test.example.be", "kort", "vlaio")
    add_user(store, "dubbel@test.example.be", PASSWORD, "vlaio")
    with pytest.raises(AccountError, match="bestaat al"):
        add_user(store, "Dubbel@Test.example.be", PASSWORD, "vlaio")


def test_the_session_cookie_is_httponly_lax_and_secure_behind_tls(fixture_db: Path, tmp_path: Path) -> None:
    for https, secure in (("0", False), ("1", True)):
        app = fresh_app(fixture_db, tmp_path / f"intake-{https}.sqlite3", SMART_RETAIL_HTTPS=https)
        email = ensure_account(_store(app), "vlaio")
        r = app.server.test_client().post("/login", data={"email": email, "password": PASSWORD})
        cookie = r.headers["Set-Cookie"]
        assert cookie.startswith("smart_retail_sessie=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) == secure and "Expires=" in cookie
        page = app.server.test_client().get("/")
        assert ("Strict-Transport-Security" in page.headers) == secure


def test_logout_ends_the_session_also_for_a_copied_cookie(app) -> None:
    client = logged_in(app, "vlaio")
    copy = app.server.test_client()
    copy.environ_base["HTTP_ORIGIN"] = "http://localhost"
    cookie = client.get_cookie("smart_retail_sessie")
    copy.set_cookie("smart_retail_sessie", cookie.value)
    assert copy.get("/intake").status_code == 200
    assert client.post("/logout").status_code == 303
    assert copy.get("/intake").status_code == 303  # the stolen cookie is worth nothing after the logout


def test_a_disabled_account_loses_its_session_and_cannot_log_in(app) -> None:
    client = logged_in(app, "provincie", province="10000")
    disable_user(_store(app), "provincie-10000@test.example.be")
    assert client.get("/intake").status_code == 303
    r = app.server.test_client().post("/login", data={"email": "provincie-10000@test.example.be",
                                                      "password": PASSWORD})
    assert r.status_code == 401


def test_a_session_expires_after_its_hours(app, monkeypatch: pytest.MonkeyPatch) -> None:
    from itsdangerous.timed import TimestampSigner

    client = logged_in(app, "vlaio")
    assert client.get("/intake").status_code == 200
    real = TimestampSigner.get_timestamp
    hours = app.server.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    # The signer reads the clock to check the cookie's age: nine hours on, the eight-hour login is over.
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + int(hours) + 3600)
    assert client.get("/intake").status_code == 303


def test_a_state_changing_request_from_another_site_is_refused(app) -> None:
    client = logged_in(app, "vlaio")
    body = {"output": "search-results.children", "outputs": {"id": "search-results", "property": "children"},
            "inputs": [{"id": "search-input", "property": "value", "value": "Gent"}], "changedPropIds": []}
    assert client.post("/_dash-update-component", json=body).status_code == 200
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}):
        r = client.post("/_dash-update-component", json=body, headers=headers)
        assert r.status_code == 403, headers
    client.environ_base.pop("HTTP_ORIGIN")
    assert client.post("/_dash-update-component", json=body).status_code == 403  # a cookie and no origin at all
    r = client.post("/_dash-update-component", json=body, headers={"Referer": "http://localhost/intake"})
    assert r.status_code == 200
    anonymous = app.server.test_client()  # no cookie: it acts for nobody (scripts, health checks)
    assert anonymous.post("/_dash-update-component", json=body).status_code == 200


def test_hardening_headers_on_every_response(app) -> None:
    client = app.server.test_client()
    for path in ("/", "/login", "/health", "/gemeente/99999", "/vendor/bootstrap.min.css"):
        r = client.get(path)
        csp = r.headers["Content-Security-Policy"]
        for part in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "default-src 'self'"):
            assert part in csp, (path, part)
        assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["Referrer-Policy"] == "same-origin"
    assert client.get("/").headers.get("Cache-Control") == "no-store"  # by default the indicators need a login


def test_health_shows_no_server_paths(app, fixture_db: Path) -> None:
    body = app.server.test_client().get("/health").json
    assert str(fixture_db.parent) not in str(body) and "source_dir" not in body


def test_the_policy_admits_images_from_the_configured_tile_host_only(fixture_db: Path, tmp_path: Path) -> None:
    app = fresh_app(fixture_db, tmp_path / "intake.sqlite3", SMART_RETAIL_MAP_TILES="1",
                    SMART_RETAIL_TILES_URL="https://geo.api.vlaanderen.be/GRB/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}")
    policy = dict(part.strip().split(" ", 1) for part in
                  app.server.test_client().get("/").headers["Content-Security-Policy"].split(";"))
    assert policy["img-src"] == "'self' data: blob: https://geo.api.vlaanderen.be"
    assert "openstreetmap" not in str(policy)
    plain = fresh_app(fixture_db, tmp_path / "intake2.sqlite3", SMART_RETAIL_MAP_TILES="0")
    assert "https:" not in plain.server.test_client().get("/").headers["Content-Security-Policy"]
