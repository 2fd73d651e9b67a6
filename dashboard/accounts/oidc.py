"""Login through an OpenID Connect provider (Authlib), when ``SMART_RETAIL_OIDC_*`` is set.

The Flemish government's ACM/IDM and most municipalities' identity providers speak OIDC. The provider says
who the person is (the e-mail address); what the person may do in the dashboard comes from the provider's
claims (role, NIS code or province code, their names configurable) or, without those claims, from the
account table. A person the table does not know and whose claims name no role is refused, with a Dutch
message; an account disabled in the table stays disabled whatever the claims say.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import flask
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from dashboard.accounts.users import Account, AccountError, add_user, check_binding, load_account
from dashboard.intake.models import User, utcnow
from dashboard.intake.store import Store

START_PATH = "/login/oidc"
RETURN_PATH = "/login/oidc/terug"


@dataclass(frozen=True)
class OidcConfig:
    """Where the provider is, the dashboard's client there, and the names of the claims that carry access."""

    issuer: str
    client_id: str
    client_secret: str
    role_claim: str = "smart_retail_role"
    nis_claim: str = "nis_code"
    province_claim: str = "province_code"

    @property
    def label(self) -> str:
        """Return the provider's name on the login button (its host)."""
        return urlsplit(self.issuer).hostname or self.issuer


class OidcRefusedError(Exception):
    """The provider's person may not use the dashboard (Dutch message for the login page)."""


def _binding(claims: Mapping[str, object], config: OidcConfig) -> tuple[str, str | None, str | None] | None:
    """Return (role, NIS code, province code) from the claims, ``None`` when they name no role."""
    role = claims.get(config.role_claim)
    if not isinstance(role, str) or not role.strip():
        return None
    nis, province = claims.get(config.nis_claim), claims.get(config.province_claim)
    return (role.strip(), str(nis).strip() if nis else None, str(province).strip() if province else None)


def account_for(store: Store, claims: Mapping[str, object], config: OidcConfig) -> Account:
    """Return the account the provider's ``claims`` log in as; made or updated from the claims when they name a role.

    Raises
    ------
    OidcRefusedError
        No e-mail address, claims that name an impossible role or binding, a disabled account, or a person
        the table does not know without claims.

    """
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise OidcRefusedError("De aanmeldprovider gaf geen e-mailadres door; aanmelden is zo niet mogelijk.")
    email = email.strip().lower()
    bound = _binding(claims, config)
    if bound is not None:
        try:
            check_binding(*bound)
        except AccountError as exc:
            raise OidcRefusedError(f"De rol die de aanmeldprovider doorgeeft, klopt niet: {exc}") from None
    name = claims.get("name")
    with store.sessions.begin() as session:
        user = session.scalars(select(User).where(User.email == email)).first()
        if user is not None and bound is not None:  # the provider is the authority on the roles it asserts
            user.role, user.nis_code, user.province_code = bound
        if user is not None:
            if not user.active:
                raise OidcRefusedError("Dit account is uitgeschakeld in het dashboard; vraag raad aan een beheerder.")
            user.last_login_at = utcnow()
            session_id = f"{user.id}:{user.session_token}"
    if user is None:
        if bound is None:
            raise OidcRefusedError(f"U bent aangemeld als {email}, maar het dashboard kent dit account niet en de "
                                   "aanmeldprovider geeft geen rol mee. Vraag een beheerder om u toegang te geven.")
        role, nis, province = bound
        # A password nobody knows: this person logs in through the provider only (a reset gives one).
        made = add_user(store, email, secrets.token_urlsafe(32), role, name=name if isinstance(name, str) else None,
                        nis=nis, province=province)
        session_id = f"{made.id}:{made.session_token}"
    account = load_account(store, session_id)
    if account is None:  # disabled between the two reads
        raise OidcRefusedError("Dit account is uitgeschakeld in het dashboard; vraag raad aan een beheerder.")
    return account


def install_oidc(server: flask.Flask, store: Store, config: OidcConfig,
                 login: Callable[[Account, str], WerkzeugResponse],
                 refuse: Callable[[str], flask.Response]) -> None:
    """Add ``/login/oidc`` (to the provider) and its return address to ``server``.

    ``login`` finishes a login (the session, then the way back), ``refuse`` answers a refused one.
    """
    oauth = OAuth(server)
    client = oauth.register(
        "provider", client_id=config.client_id, client_secret=config.client_secret,
        server_metadata_url=f"{config.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"},
    )
    server.extensions["smart_retail_oidc"] = config

    @server.route(START_PATH)
    def oidc_start() -> WerkzeugResponse:
        flask.session["oidc_volgende"] = flask.request.args.get("volgende", "/")
        return client.authorize_redirect(flask.url_for("oidc_return", _external=True))

    @server.route(RETURN_PATH)
    def oidc_return() -> WerkzeugResponse:
        try:
            token = client.authorize_access_token()
        except OAuthError:
            return refuse("De aanmelding bij de aanmeldprovider is niet gelukt of werd geweigerd; probeer opnieuw.")
        claims = token.get("userinfo") or client.userinfo(token=token)
        try:
            account = account_for(store, claims, config)
        except OidcRefusedError as exc:
            return refuse(str(exc))
        return login(account, str(flask.session.get("oidc_volgende", "/")))
