"""Personal data in the intake store: the retention term, and a person's export and erasure (GDPR art. 15, 17).

A person is found by e-mail address: the account with it, and the applications that name it as contact,
now or in any earlier revision. Their *identifiers* are that address and the names and phone numbers that
stood beside it (on the account, or on an application while it named that address). An erasure replaces each
identifier wherever it occurs in any text or JSON column of any table of the store (free text and the
append-only revisions included), disables the account and anonymises the personal columns of its audit lines.

The retention term anonymises applications that are closed (end status ``evaluatie``, or a draft nobody
touched) for longer than ``SMART_RETAIL_RETENTION_YEARS``: contact fields and free text emptied, revisions'
values and the authors of revisions, status steps and baselines replaced. The structure stays: municipality,
zone, statuses with their dates, chosen experts and the frozen baseline (no personal data), so the
programme's figures still add up.

Every run writes its own audit line (account ``systeem``), without the person's identifiers.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, MetaData, String, Text, func, inspect, or_, select, update
from sqlalchemy.orm import Session

from dashboard import audit
from dashboard.intake.models import (
    Application,
    ApplicationRevision,
    AuditEntry,
    ExpertAssignment,
    StatusChange,
    User,
    utcnow,
)
from dashboard.intake.store import Store

#: What replaces a personal value that is kept as a fact (an author of a step, an old value in a revision).
ANONYMISED = "[geanonimiseerd]"
#: The application's fields that hold personal data or free text a person wrote (and may name people in).
PERSONAL_FIELDS: tuple[str, ...] = (
    "contact_name", "email", "phone", "challenge", "expectations", "zone_description", "earlier_initiatives",
    "went_well", "went_less", "retail_policy", "means_capacity", "departments_involvement", "five_b_notes")
#: Statuses after which an application counts as closed once the retention term passed its last activity:
#: the end status, and a draft (never submitted or sent back) that nobody touched for that long.
CLOSED = frozenset({"evaluatie", "aanvraag"})
#: Columns an erasure never rewrites: keys and secrets that hold no person (and would break if rewritten).
_SKIP = frozenset({("app_user", "password_hash"), ("app_user", "session_token"), ("server_secret", "value")})
_AUDIT_PERSONAL = ("account_email", "account_name")
#: Coded columns (statuses, roles, codes, ids): never a person, and a code rewritten would break the row.
_CODES = frozenset({"status", "from_status", "to_status", "role", "nis_code", "province_code", "build_id",
                    "request_id", "action", "object_type", "outcome"})


class PrivacyError(ValueError):
    """A privacy command that cannot run as asked (Dutch message)."""


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _iso(value: object) -> object:
    if isinstance(value, dt.datetime):
        return _aware(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _row(obj: object, skip: Iterable[str] = ()) -> dict[str, Any]:
    return {c.key: _iso(getattr(obj, c.key)) for c in inspect(obj).mapper.column_attrs if c.key not in skip}


# -- who is the person ------------------------------------------------------------------------------------

@dataclass
class Person:
    """A person as the store knows them: the e-mail address, the account, the applications, the identifiers."""

    email: str
    user: User | None = None
    applications: list[int] = field(default_factory=list)  # contact now or in an earlier revision
    identifiers: set[str] = field(default_factory=set)  # e-mail, names and phones to erase, exact strings


def _states(revisions: Iterable[ApplicationRevision]) -> Iterable[dict[str, Any]]:
    """Yield the application's fields after each revision, oldest first (rebuilt from the append-only log)."""
    state: dict[str, Any] = {}
    for r in revisions:
        state.update({k: v.get("new") for k, v in r.changes.items() if isinstance(v, dict)})
        yield dict(state)


def find_person(session: Session, email: str) -> Person:
    """Return who ``email`` is in the store (the address compared without case and surrounding spaces)."""
    email = email.strip().lower()
    if not email:
        raise PrivacyError("Geef een e-mailadres (--email).")
    person = Person(email, identifiers={email})
    person.user = session.scalars(select(User).where(func.lower(User.email) == email)).first()
    if person.user is not None:
        person.identifiers.add(person.user.name)
    for app in session.scalars(select(Application).order_by(Application.id)):
        states = [*_states(app.revisions), {f: getattr(app, f) for f in ("contact_name", "email", "phone")}]
        theirs = [s for s in states if str(s.get("email") or "").strip().lower() == email]
        if theirs:
            person.applications.append(app.id)
            person.identifiers.update(str(s[k]) for s in theirs for k in ("contact_name", "phone", "email") if s.get(k))
    person.identifiers = {i for i in person.identifiers if i and i.strip() and i != ANONYMISED}
    return person


# -- export -------------------------------------------------------------------------------------------------

def export(store: Store, email: str) -> dict[str, Any]:
    """Return everything the store holds about the person with ``email``, as JSON-ready data.

    The account (without its password hash and session token: secrets, not data about the person), the
    applications they are or were the contact of with their revisions, status steps and baselines, the
    revisions and status steps they authored elsewhere, their assignments as expert, and the audit lines of
    their account.
    """
    with store.sessions() as session:
        person = find_person(session, email)
        names = {person.user.name} if person.user is not None else set()
        apps = [session.get(Application, i) for i in person.applications]
        authored_revisions = session.scalars(select(ApplicationRevision).where(
            ApplicationRevision.author.in_(names), ApplicationRevision.application_id.not_in(person.applications))
            .order_by(ApplicationRevision.id)).all() if names else []
        authored_steps = session.scalars(select(StatusChange).where(
            StatusChange.author.in_(names), StatusChange.application_id.not_in(person.applications))
            .order_by(StatusChange.id)).all() if names else []
        who = [func.lower(AuditEntry.account_email) == person.email]
        if person.user is not None:
            who.append(AuditEntry.account_id == person.user.id)
        lines = session.scalars(select(AuditEntry).where(or_(*who)).order_by(AuditEntry.id)).all()
        assigned = session.scalars(select(ExpertAssignment).where(
            ExpertAssignment.user_id == person.user.id)).all() if person.user is not None else []
        data: dict[str, Any] = {
            "email": person.email,
            "gemaakt_op": utcnow().isoformat(),
            "account": _row(person.user, ("password_hash", "session_token")) if person.user is not None else None,
            "aanvragen": [{**_row(a),
                           "revisies": [_row(r) for r in a.revisions],
                           "statusstappen": [_row(s) for s in a.status_changes],
                           "basislijnen": [_row(b) for b in a.baselines]} for a in apps if a is not None],
            "revisies_als_auteur": [_row(r) for r in authored_revisions],
            "statusstappen_als_auteur": [_row(s) for s in authored_steps],
            "toewijzingen": [_row(a) for a in assigned],
            "auditregels": [_row(e) for e in lines],
        }
    audit.record(store.engine, "export", "persoon", person.user.id if person.user else None, _request_id(),
                 f"{len(data['aanvragen'])} aanvragen, {len(data['auditregels'])} auditregels")
    return data


def _request_id() -> str:
    return "cli-" + secrets.token_hex(6)


# -- erasure ------------------------------------------------------------------------------------------------

def _pattern(identifiers: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({i for i in identifiers if i}, key=len, reverse=True)  # the longest first: a name in an e-mail
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None


def scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """Return ``value`` with every occurrence of the pattern replaced, in text and inside JSON (pure)."""
    if isinstance(value, str):
        return pattern.sub(ANONYMISED, value)
    if isinstance(value, list):
        return [scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, pattern) for k, v in value.items()}
    return value


def _text_columns(table: Any) -> list[Any]:
    return [c for c in table.columns if isinstance(c.type, String | Text | JSON)
            and (table.name, c.name) not in _SKIP and c.name not in _CODES and not c.primary_key]


@dataclass(frozen=True)
class Erasure:
    """What an erasure changed: rows and values per table, and whether an account was disabled."""

    rows: dict[str, int]
    values: int
    account_disabled: bool


def erase(store: Store, email: str) -> Erasure:
    """Erase the person with ``email`` from every table of the store in one transaction (see the module doc).

    Raises
    ------
    PrivacyError
        The store knows nothing of that address.

    """
    with store.sessions.begin() as session:
        person = find_person(session, email)
        if person.user is None and not person.applications:
            raise PrivacyError(f"De opslag kent geen account of aanvraag met e-mailadres {person.email}.")
        pattern = _pattern(person.identifiers)
        assert pattern is not None
        rows: dict[str, int] = {}
        values = 0
        now = utcnow()
        # Reflected, not the models: a table another part of the app adds later is searched as well.
        tables = MetaData()
        tables.reflect(bind=session.connection())
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            columns = _text_columns(table)
            if table.name == AuditEntry.__tablename__:
                columns = [c for c in columns if c.name in _AUDIT_PERSONAL]  # the only columns it lets change
            if not columns:
                continue
            for row in session.execute(select(*table.primary_key.columns, *columns)).mappings():
                changed = {c.name: scrub(row[c.name], pattern) for c in columns if row[c.name] is not None}
                changed = {k: v for k, v in changed.items() if v != row[k]}
                if not changed:
                    continue
                if table.name == Application.__tablename__:
                    changed["anonymised_at"] = now
                    changed["version"] = table.c.version + 1  # an open form of it gets a conflict, not a silent loss
                key = [c == row[c.name] for c in table.primary_key.columns]
                session.execute(update(table).where(*key).values(**changed))
                rows[table.name] = rows.get(table.name, 0) + 1
                values += len([k for k in changed if k not in ("anonymised_at", "version")])
        disabled = False
        if person.user is not None:
            # The address must stay unique and valid-looking; the account can never log in again.
            user = session.get(User, person.user.id)
            assert user is not None
            user.email = f"gewist-{user.id}@gewist.invalid"
            user.active, disabled = False, True
            user.password_hash = "!" + secrets.token_hex(16)  # no argon2 hash: no password verifies
            user.session_token = secrets.token_hex(16)
        audit.record(session, "wissen", "persoon", person.user.id if person.user else None, _request_id(),
                     f"{values} waarden in {sum(rows.values())} rijen")
    return Erasure(rows, values, disabled)


# -- retention ----------------------------------------------------------------------------------------------

def cutoff(today: dt.date, years: int) -> dt.date:
    """Return the day ``years`` years before ``today`` (29 February becomes the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _last_activity(app: Application) -> dt.date:
    moments = [_aware(app.updated_at).date(), *(_aware(r.at).date() for r in app.revisions),
               *(s.effective_on for s in app.status_changes)]
    return max(moments)


def due(store: Store, years: int, today: dt.date) -> list[int]:
    """Return the ids of the applications the retention term anonymises on ``today``."""
    limit = cutoff(today, years)
    with store.sessions() as session:
        apps = session.scalars(select(Application).where(Application.status.in_(CLOSED),
                                                         Application.anonymised_at.is_(None))).all()
        return [a.id for a in apps if _last_activity(a) < limit]


def _anonymise_changes(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: ({side: (ANONYMISED if v.get(side) not in (None, "") else v.get(side)) for side in ("old", "new")}
                if k in PERSONAL_FIELDS and isinstance(v, dict) else v) for k, v in changes.items()}


def anonymise(store: Store, application_ids: Iterable[int]) -> int:
    """Anonymise the applications (one transaction): personal fields, revision values, every author."""
    ids = list(application_ids)
    if not ids:
        return 0
    now = utcnow()
    with store.sessions.begin() as session:
        for app in session.scalars(select(Application).where(Application.id.in_(ids))):
            for name in PERSONAL_FIELDS:
                setattr(app, name, None)
            app.anonymised_at = now  # the ORM bumps the version: an open form gets a conflict
            for r in app.revisions:
                r.changes, r.author = _anonymise_changes(r.changes), ANONYMISED
            for s in app.status_changes:
                s.author = ANONYMISED
            for b in app.baselines:
                b.author = ANONYMISED
        for i in ids:
            audit.record(session, "anonimiseren", "aanvraag", i, _request_id(), "bewaartermijn verstreken")
    return len(ids)


def forget_audit_accounts(store: Store, years: int, today: dt.date) -> int:
    """Empty the personal columns of audit lines older than the term (the account id and role stay)."""
    start = dt.datetime.combine(cutoff(today, years), dt.time(), tzinfo=dt.UTC)
    with store.sessions.begin() as session:
        result = session.execute(update(AuditEntry).where(AuditEntry.at < start, AuditEntry.account_email.is_not(None))
                                 .values(account_email=None, account_name=None))
        return int(getattr(result, "rowcount", 0) or 0)


def retention(store: Store, years: int, today: dt.date | None = None) -> tuple[int, int]:
    """Apply the retention term: return (applications anonymised, audit lines made anonymous)."""
    today = today or utcnow().date()
    return anonymise(store, due(store, years, today)), forget_audit_accounts(store, years, today)
