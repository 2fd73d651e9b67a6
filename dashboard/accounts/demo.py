"""Demo accounts, one per role, for the synthetic demo only: a newcomer logs in without an administrator.

A real build (``is_synthetic`` is not ``"true"`` in its build metadata) never gets them. They are made once:
a restart finds them and prints no new password (``users reset-password`` gives one).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from dashboard.accounts.assignments import assign_expert, list_assignments
from dashboard.accounts.users import AccountError, add_user
from dashboard.intake.models import User
from dashboard.intake.store import Store

DOMAIN = "demo.invalid"  # a reserved top-level domain: no mail ever leaves for these addresses
#: (e-mail, role, name, NIS code, province code) of each demo account.
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    (f"gemeente-mechelen@{DOMAIN}", "gemeente", "Demo Gemeente Mechelen", "12025", None),
    (f"provincie-limburg@{DOMAIN}", "provincie", "Demo Provincie Limburg", None, "70000"),
    (f"expert@{DOMAIN}", "expert", "Demo Expert Profploeg", None, None),
    (f"vlaio@{DOMAIN}", "vlaio", "Demo VLAIO", None, None),
    (f"beheerder@{DOMAIN}", "beheerder", "Demo Beheerder", None, None),
)
#: The municipality of the demo application the expert is assigned to (Mechelen, as the gemeente account).
DEMO_NIS = "12025"


class NotSyntheticError(RuntimeError):
    """Demo accounts were asked for on a build of real data."""


@dataclass(frozen=True)
class DemoAccount:
    """A demo account and its password (``None``: it existed already, its password is unchanged)."""

    email: str
    role: str
    password: str | None


def ensure_demo_accounts(store: Store, build_info: dict[str, str]) -> list[DemoAccount]:
    """Create the missing demo accounts (and the expert's demo application); return every one of them.

    Raises
    ------
    NotSyntheticError
        The build is not the synthetic demo.

    """
    if build_info.get("is_synthetic") != "true":
        raise NotSyntheticError("Demo-accounts horen alleen bij de synthetische demo, niet bij echte gegevens.")
    out = []
    for email, role, name, nis, province in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        try:
            add_user(store, email, password, role, name=name, nis=nis, province=province)
        except AccountError:
            if not _exists(store, email):
                raise
            password = None  # made by an earlier start: keep it
        out.append(DemoAccount(email, role, password))
    _assign_demo_expert(store, f"expert@{DOMAIN}")
    return out


def _exists(store: Store, email: str) -> bool:
    with store.sessions() as session:
        return session.scalars(select(User.id).where(User.email == email)).first() is not None


def _assign_demo_expert(store: Store, email: str) -> None:
    """Give the demo expert one application of Mechelen (a draft made for it when Mechelen has none)."""
    with store.sessions() as session:
        if list_assignments(session, email=email):
            return
    apps = store.list_applications(nis=DEMO_NIS)
    app = apps[-1] if apps else store.create_draft(DEMO_NIS, "Demo Gemeente Mechelen", {
        "contact_name": "Demo Gemeente Mechelen", "challenge": "Voorbeeldaanvraag van de demo: leegstand in de kern."})
    with store.sessions.begin() as session:
        assign_expert(session, email, app.id)
