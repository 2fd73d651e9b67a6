"""Who may use a page: the access rule each slice declares (``ACCESS`` in its ``params.py``), and its checks.

A rule names the roles that may open the page and run its callbacks (``None``: everyone, also without
login) and, per callback that changes data, the roles that may run it. Which *application* an account
reaches is decided by :meth:`dashboard.accounts.users.Account.reads`; an application out of reach reads
exactly as one that does not exist, so its number tells nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
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
        Roles that may open the page, run its callbacks and download its files; ``None``: every role (and
        anyone without login, unless ``indicators`` or ``outlets`` says otherwise).
    write
        Callback (function name) -> roles that may run it: the callbacks that change stored data.
    indicators
        The page shows aggregated indicators: public only when ``SMART_RETAIL_PUBLIC_INDICATORS=1``, else
        any logged-in account.
    outlets
        The page shows outlet-level rows of the municipality the request names (the address's ``<nis>``, a
        callback's municipality values): only an account that reaches it (:meth:`Account.reaches`).

    """

    read: frozenset[str] | None = None
    write: Mapping[str, frozenset[str]] = field(default_factory=dict)
    indicators: bool = False
    outlets: bool = False

    def is_public(self, public_indicators: bool) -> bool:
        """Tell whether anyone may use the page without login (``public_indicators``: the setting)."""
        return self.read is None and not self.outlets and (public_indicators or not self.indicators)

    @property
    def public(self) -> bool:
        """Tell whether anyone may use the page without login, whatever the settings."""
        return self.is_public(public_indicators=False)


#: Where the app keeps the ``SMART_RETAIL_PUBLIC_INDICATORS`` setting (its Flask config).
PUBLIC_INDICATORS_KEY = "SMART_RETAIL_PUBLIC_INDICATORS"
PUBLIC = Access()
#: The aggregated indicator pages (Vlaanderen, a province, a municipality).
INDICATORS = Access(indicators=True)
#: The pages with outlet-level rows of one municipality (the core-area map, the DNA fiche).
OUTLETS = Access(outlets=True)


class LoginRequiredError(RejectedError):
    """The page needs an account and the request has none (a page GET is sent to ``/login``)."""

    def __init__(self) -> None:
        super().__init__(401, "Meld u aan om deze pagina te gebruiken.")


def forbidden() -> RejectedError:
    """Return the refusal of a page or action the account's role does not allow."""
    return RejectedError(403, "Uw account heeft geen toegang tot deze pagina of handeling.")


def outlets_forbidden() -> RejectedError:
    """Return the refusal of another municipality's outlet-level data (its aggregated indicators stay open)."""
    return RejectedError(403, "Uw account ziet de winkels van deze gemeente niet; haar cijfers staan geaggregeerd op "
                              "de pagina van de gemeente.")


def require(rule: Access, account: Account | None, callback: str | None = None, *,
            nis: Collection[str] = (), public_indicators: bool = False) -> None:
    """Raise unless ``account`` may open a page of ``rule`` (and run ``callback``, when given).

    ``nis``: the municipalities the request names (an ``outlets`` rule needs at least one, each within reach).
    """
    if rule.is_public(public_indicators) and callback not in rule.write:
        return
    if account is None:
        raise LoginRequiredError
    if rule.read is not None and account.role not in rule.read:
        raise forbidden()
    if callback is not None and callback in rule.write and account.role not in rule.write[callback]:
        raise forbidden()
    if rule.outlets and (not nis or not all(account.reaches(code) for code in nis)):
        raise outlets_forbidden()


def public_indicators() -> bool:
    """Tell whether the app serving this request publishes its aggregated indicators without login."""
    import flask

    return bool(flask.current_app.config.get(PUBLIC_INDICATORS_KEY))


def enforce(rule: Access, *, nis: Collection[str] = (), callback: str | None = None) -> None:
    """Apply ``rule`` to the logged-in account of the current request (:func:`require`, with the app's setting)."""
    from dashboard.accounts.web import current_account

    account = current_account()
    try:
        require(rule, account, callback, nis=nis, public_indicators=public_indicators())
    except RejectedError:
        if rule.outlets and account is not None:
            from dashboard import audit  # an account reaching for outlet rows it may not see: the audit says so

            codes: list[str | None] = [*sorted(set(nis))] or [None]
            for code in codes:
                audit.denied("verkooppunten", code, code)
        raise


def access_scope() -> str:
    """Return the access scope of the current request's caller, for caches (:mod:`dashboard.cache`).

    Callers with the same role, binding and assignments see the same pages; anonymous callers share
    :data:`~dashboard.cache.PUBLIC`.
    """
    from dashboard.accounts.web import current_account
    from dashboard.cache import PUBLIC as PUBLIC_SCOPE

    account = current_account()
    if account is None:
        return PUBLIC_SCOPE
    assigned = ",".join(str(i) for i in sorted(account.assigned))
    return f"{account.role}:{account.nis_code or account.province_code or ''}:{assigned}"


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

