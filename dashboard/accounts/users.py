"""The accounts in the intake store: create, list, disable, and check a password with a lockout.

Passwords are kept as argon2id hashes (argon2-cffi's defaults). Failed logins are counted in the account's
row, so the lockout holds across workers and restarts without any other service. ``now`` is a parameter
wherever time matters, so the lockout is tested without waiting.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard.intake.models import ROLES, Application, ExpertAssignment, ServerSecret, User, utcnow
from dashboard.intake.store import PROVINCE_OF_DIGIT, Store

#: Failed logins in a row after which an account is locked, and for how long.
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 12
_HASHER = PasswordHasher()
# Verified when the e-mail is unknown, so that a wrong address costs as much time as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """An account that cannot be created or changed as asked (Dutch message)."""


class LoginError(Exception):
    """A refused login; the message never says whether the e-mail address exists."""


@dataclass(frozen=True)
class Account:
    """What a request knows of the logged-in user (detached from the database)."""

    id: int
    email: str
    name: str
    role: str
    nis_code: str | None
    province_code: str | None
    session_token: str
    #: An expert's assigned applications: application id -> its NIS code (empty for the other roles).
    assigned: Mapping[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, user: User, assigned: Mapping[int, str] | None = None) -> Account:
        """Return the account of a ``User`` row (and, for an expert, its assigned applications)."""
        return cls(user.id, user.email, user.name, user.role, user.nis_code, user.province_code, user.session_token,
                   dict(assigned or {}))

    def reaches(self, nis: str) -> bool:
        """Tell whether this account may see the outlet-level data of municipality ``nis``."""
        if self.role == "vlaio":
            return True
        if self.role == "gemeente":
            return nis == self.nis_code
        if self.role == "provincie":
            return PROVINCE_OF_DIGIT.get(nis[:1]) == self.province_code
        if self.role == "expert":
            return nis in self.assigned.values()
        return False  # beheerder: accounts only

    def reads(self, application_id: int, nis: str) -> bool:
        """Tell whether this account may read application ``application_id`` of municipality ``nis``."""
        if self.role == "expert":
            return self.assigned.get(application_id) == nis
        return self.role != "beheerder" and self.reaches(nis)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands timestamps back without their zone; the store writes UTC only.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def check_binding(role: str, nis: str | None, province: str | None) -> None:
    """Raise :class:`AccountError` unless ``role`` comes with exactly the binding it needs."""
    if role not in ROLES:
        raise AccountError(f"Onbekende rol '{role}'; kies uit {', '.join(ROLES)}.")
    if role == "gemeente" and not (nis and re.fullmatch(r"\d{5}", nis) and nis[0] in PROVINCE_OF_DIGIT):
        raise AccountError("Een account van een gemeente heeft een Vlaamse NIS-code nodig (--nis).")
    if role == "provincie" and province not in PROVINCE_OF_DIGIT.values():
        raise AccountError(f"Een account van een provincie heeft een provinciecode nodig (--province: "
                           f"{', '.join(sorted(set(PROVINCE_OF_DIGIT.values())))}).")
    if role != "gemeente" and nis:
        raise AccountError("Alleen een account van een gemeente krijgt een NIS-code.")
    if role != "provincie" and province:
        raise AccountError("Alleen een account van een provincie krijgt een provinciecode.")


def add_user(store: Store, email: str, password: str, role: str, *, name: str | None = None,
             nis: str | None = None, province: str | None = None) -> Account:
    """Create an account; the e-mail address is unique (case-insensitive), the password at least 12 characters."""
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise AccountError(f"'{email}' is geen geldig e-mailadres.")
    _check_password(password)
    check_binding(role, nis, province)
    user = User(email=email, name=(name or email.split("@")[0]).strip()[:200], password_hash=_HASHER.hash(password),
                role=role, nis_code=nis or None, province_code=province or None, active=True, failed_logins=0,
                session_token=secrets.token_hex(16))
    try:
        with store.sessions.begin() as session:
            session.add(user)
    except IntegrityError:
        raise AccountError(f"Er bestaat al een account met e-mailadres {email}.") from None
    return Account.of(user)


def list_users(store: Store) -> list[User]:
    """Return every account, by e-mail address."""
    with store.sessions() as session:
        return list(session.scalars(select(User).order_by(User.email)))


def _by_email(session: object, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.strip().lower())).first()  # type: ignore[attr-defined]


def disable_user(store: Store, email: str) -> None:
    """Disable an account and end its sessions; it can no longer log in."""
    with store.sessions.begin() as session:
        user = _by_email(session, email)
        if user is None:
            raise AccountError(f"Er is geen account met e-mailadres {email.strip().lower()}.")
        user.active = False
        user.session_token = secrets.token_hex(16)


def reset_password(store: Store, email: str, password: str) -> None:
    """Give the account a new password: its lockout is lifted and every session of before ends."""
    _check_password(password)
    with store.sessions.begin() as session:
        user = _by_email(session, email)
        if user is None:
            raise AccountError(f"Er is geen account met e-mailadres {email.strip().lower()}.")
        user.password_hash = _HASHER.hash(password)
        user.failed_logins, user.locked_until = 0, None
        user.session_token = secrets.token_hex(16)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD} tekens lang zijn.")


def authenticate(store: Store, email: str, password: str, now: datetime | None = None) -> Account:
    """Return the account whose e-mail and password match; count a failure and lock after :data:`MAX_FAILURES`.

    Raises
    ------
    LoginError
        Wrong e-mail or password, a disabled account or a locked one: the same message for each but the lock.

    """
    now = now or utcnow()
    refused = LoginError("E-mailadres of wachtwoord onjuist.")
    with store.sessions.begin() as session:
        user = _by_email(session, email)
        if user is None or not user.active:
            _verify(_DUMMY_HASH, password)
            raise refused
        locked = _aware(user.locked_until)
        if locked is not None and locked > now:
            raise LoginError(f"Te veel mislukte pogingen: dit account is vergrendeld tot {locked:%H:%M} UTC.")
        if not _verify(user.password_hash, password):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until, user.failed_logins = now + LOCKOUT, 0
            # The count is committed although the login fails: that is what makes the lockout hold.
            session.flush()
        else:
            user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
            if _HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = _HASHER.hash(password)
            return Account.of(user)
    raise refused


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def load_account(store: Store, session_id: str) -> Account | None:
    """Return the active account of a session id (``"<user id>:<session token>"``), or ``None``."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    with store.sessions() as session:
        user = session.get(User, int(user_id))
        if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
            return None
        return Account.of(user, assigned_to(session, user.id) if user.role == "expert" else None)


def assigned_to(session: Session, user_id: int) -> dict[int, str]:
    """Return the applications account ``user_id`` is assigned to: application id -> its NIS code."""
    query = (select(Application.id, Application.nis_code)
             .join(ExpertAssignment, ExpertAssignment.application_id == Application.id)
             .where(ExpertAssignment.user_id == user_id))
    return {app_id: nis for app_id, nis in session.execute(query)}


def end_sessions(store: Store, user_id: int) -> None:
    """Give the account a new session token: every cookie issued before stops working (logout)."""
    with store.sessions.begin() as session:
        user = session.get(User, user_id)
        if user is not None:
            user.session_token = secrets.token_hex(16)


def server_secret(store: Store) -> str:
    """Return the key that signs the session cookies, made by the first worker that asks."""
    with store.sessions.begin() as session:
        row = session.get(ServerSecret, 1)
        if row is not None:
            return row.value
    try:
        with store.sessions.begin() as session:
            session.add(ServerSecret(id=1, value=secrets.token_hex(32)))
    except IntegrityError:
        pass  # another worker made it first: use theirs
    with store.sessions() as session:
        return session.get(ServerSecret, 1).value  # type: ignore[union-attr]
