"""Who may use a page: the access rule each slice declares (``ACCESS`` in its ``params.py``), and its checks.

A rule names the roles that may open the page and run its callbacks (``None``: everyone, also without
login) and, per callback that changes data, the roles that may run it. Which *application* an account
reaches is decided by :meth:`dashboard.accounts.users.Account.reads`; an application out of reach reads
exactly as one that does not exist, so its number tells nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dashboard.accounts.users import Account
from dashboard.errors import RejectedError
from dashboard.intake.models import Application
from dashboard.intake.store import PROVINCE_OF_DIGIT, missing

#: Roles that read applications (each within its reach).
APPLICATION_READERS = frozenset({"gemeente", "provincie", "expert", "vlaio"})


@dataclass(frozen=True)
class Access:
    """A slice's access rule.

    Attributes
    ----------
    read
        Roles that may open the page, run its callbacks and download its files; ``None``: public.
    write
        Callback (function name) -> roles that may run it: the callbacks that change stored data.

    """

    read: frozenset[str] | None = None
    write: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def public(self) -> bool:
        """Tell whether anyone may use the page, also without login."""
        return self.read is None


PUBLIC = Access()


class LoginRequiredError(RejectedError):
    """The page needs an account and the request has none (a page GET is sent to ``/login``)."""

    def __init__(self) -> None:
        super().__init__(401, "Meld u aan om deze pagina te gebruiken.")


def forbidden() -> RejectedError:
    """Return the refusal of a page or action the account's role does not allow."""
    return RejectedError(403, "Uw account heeft geen toegang tot deze pagina of handeling.")


def require(rule: Access, account: Account | None, callback: str | None = None) -> None:
    """Raise unless ``account`` may open a page of ``rule`` (and run ``callback``, when given)."""
    if rule.public and callback not in rule.write:
        return
    if account is None:
        raise LoginRequiredError
    if rule.read is not None and account.role not in rule.read:
        raise forbidden()
    if callback is not None and callback in rule.write and account.role not in rule.write[callback]:
        raise forbidden()


def readable(account: Account | None, app: Application, nis: str | None = None) -> Application:
    """Return ``app`` when ``account`` reads it and it belongs to ``nis`` (when given).

    Else raise the same 404 as for a number nobody has.
    """
    if account is None or not account.reads(app.id, app.nis_code) or nis not in (None, app.nis_code):
        raise missing(app.id)
    return app


def may_edit(account: Account | None, nis: str) -> bool:
    """Tell whether ``account`` may write the applications of municipality ``nis`` (only its own)."""
    return account is not None and account.role == "gemeente" and account.nis_code == nis


def may_note(account: Account | None, app_id: int, nis: str) -> bool:
    """Tell whether ``account`` may write the 5B notes of application ``app_id``: an expert assigned to it."""
    return account is not None and account.role == "expert" and account.reads(app_id, nis)


def scope(account: Account | None) -> str | None:
    """Return the NIS prefix the account's application lists are limited to (``""``: all; ``None``: none).

    An expert's list is narrowed further to its assigned applications (:meth:`Account.reads`).
    """
    if account is None:
        return None
    if account.role in ("vlaio", "expert"):
        return ""
    if account.role == "gemeente":
        return account.nis_code
    if account.role == "provincie":
        digits = [d for d, code in PROVINCE_OF_DIGIT.items() if code == account.province_code]
        return digits[0] if digits else None
    return None
