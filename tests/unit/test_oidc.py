"""Login through OpenID Connect, against a real provider the test starts on loopback (oidc-provider-mock)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import oidc_provider_mock
import pytest
import requests

from dashboard.accounts.users import add_user, disable_user, list_users
from dashboard.intake.store import Store
from tests.accounts import PASSWORD, fresh_app

CLAIMS = {"role": "smart_retail_role", "nis": "nis_code", "province": "province_code"}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def app(provider: str, fixture_db: Path, tmp_path_factory: pytest.TempPathFactory):
    return fresh_app(fixture_db, tmp_path_factory.mktemp("intake") / "intake.sqlite3",
                     SMART_RETAIL_OIDC_ISSUER=provider, SMART_RETAIL_OIDC_CLIENT_ID="smart-retail",
                     SMART_RETAIL_OIDC_CLIENT_SECRET="geheim-van-de-test")


def _store(app) -> Store:
    return app.server.extensions["smart_retail_intake"]


def _person(provider: str, sub: str, claims: dict) -> None:
    """Put a person with ``claims`` at the provider (its own test API)."""
    r = requests.put(f"{provider}/users/{quote(sub)}", json=claims, timeout=10)
    assert r.status_code == 204, r.text


def _log_in_at_provider(app, provider: str, sub: str, target: str = "/intake"):
    """Go through the whole code flow: the app's redirect, the provider's form, the app's return address."""
    client = app.server.test_client()
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"
    start = client.get(f"/login/oidc?volgende={quote(target)}")
    assert start.status_code == 302 and start.headers["Location"].startswith(provider + "/oauth2/authorize")
    chosen = requests.post(start.headers["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert chosen.status_code == 302, chosen.text[:300]
    back = urlsplit(chosen.headers["Location"])
    assert back.path == "/login/oidc/terug"
    return client, client.get(f"{back.path}?{back.query}")


def test_the_login_page_offers_the_provider(app, provider: str) -> None:
    page = app.server.test_client().get("/login?volgende=/intake").text
    assert "Aanmelden via localhost" in page and "/login/oidc?volgende=%2Fintake" in page


def test_claims_make_the_account_with_its_role_and_municipality(app, provider: str) -> None:
    _person(provider, "an-oidc", {"email": "An.OIDC@Gent.be", "name": "An Oidc", CLAIMS["role"]: "gemeente",
                                  CLAIMS["nis"]: "44021"})
    client, done = _log_in_at_provider(app, provider, "an-oidc", "/gemeente/44021/intake")
    assert done.status_code == 303 and done.headers["Location"] == "/gemeente/44021/intake", done.text[:300]
    user = next(u for u in list_users(_store(app)) if u.email == "an.oidc@gent.be")
    assert (user.role, user.nis_code, user.name) == ("gemeente", "44021", "An Oidc")
    assert client.get("/gemeente/44021/kaart").status_code == 200  # its own outlets
    assert client.get("/gemeente/11002/kaart").status_code == 403  # another municipality's: no


def test_without_claims_the_account_table_decides(app, provider: str) -> None:
    add_user(_store(app), "prov@limburg.be", PASSWORD, "provincie", province="70000", name="Pieter Limburg")
    _person(provider, "pieter", {"email": "prov@limburg.be"})
    client, done = _log_in_at_provider(app, provider, "pieter")
    assert done.status_code == 303
    assert client.get("/gemeente/71016/kaart").status_code == 200  # Genk, in Limburg
    assert client.get("/gemeente/44021/kaart").status_code == 403


def test_claims_overrule_the_table_for_the_roles_they_assert(app, provider: str) -> None:
    add_user(_store(app), "wissel@vlaio.be", PASSWORD, "beheerder")
    _person(provider, "wissel", {"email": "wissel@vlaio.be", CLAIMS["role"]: "vlaio"})
    client, done = _log_in_at_provider(app, provider, "wissel")
    assert done.status_code == 303 and client.get("/intake").status_code == 200
    assert next(u.role for u in list_users(_store(app)) if u.email == "wissel@vlaio.be") == "vlaio"


@pytest.mark.parametrize(("sub", "claims", "reason"), [
    ("onbekend", {"email": "niemand@elders.be"}, "kent dit account niet en de aanmeldprovider geeft geen rol mee"),
    ("fout-rol", {"email": "fout@elders.be", CLAIMS["role"]: "koning"}, "Onbekende rol"),
    ("geen-nis", {"email": "geen-nis@elders.be", CLAIMS["role"]: "gemeente"}, "NIS-code"),
    ("geen-mail", {"name": "Zonder Mail"}, "geen e-mailadres"),
])
def test_a_person_without_access_is_refused_in_dutch(app, provider: str, sub: str, claims: dict, reason: str) -> None:
    _person(provider, sub, claims)
    client, done = _log_in_at_provider(app, provider, sub)
    assert done.status_code == 403 and reason in done.text and 'lang="nl"' in done.text
    assert client.get("/intake").status_code == 303  # not logged in
    emails = {u.email for u in list_users(_store(app))}
    assert not {"niemand@elders.be", "fout@elders.be", "geen-nis@elders.be"} & emails


def test_a_disabled_account_stays_disabled_whatever_the_claims(app, provider: str) -> None:
    add_user(_store(app), "weg@gent.be", PASSWORD, "gemeente", nis="44021")
    disable_user(_store(app), "weg@gent.be")
    _person(provider, "weg", {"email": "weg@gent.be", CLAIMS["role"]: "gemeente", CLAIMS["nis"]: "44021"})
    _, done = _log_in_at_provider(app, provider, "weg")
    assert done.status_code == 403 and "uitgeschakeld" in done.text


def test_without_all_three_settings_there_is_no_provider_login(fixture_db: Path, tmp_path: Path) -> None:
    plain = fresh_app(fixture_db, tmp_path / "intake.sqlite3", SMART_RETAIL_OIDC_ISSUER="https://login.example.be",
                      SMART_RETAIL_OIDC_CLIENT_ID="smart-retail")
    client = plain.server.test_client()
    assert "Aanmelden via" not in client.get("/login").text
    assert client.get("/login/oidc").status_code == 404
