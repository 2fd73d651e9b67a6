"""The audit log: who read or changed an application, moved a status or downloaded outlet rows or a dossier.

The places every such request passes (the intake store, the application guard, the download routes) *note*
what happens with :func:`note` or :func:`denied`; nothing is written there. At the end of the request the
web guard calls :func:`flush` once: one line per object and action, with the account, the response's outcome
and the request id that the response's ``X-Request-ID`` header and the request log carry as well. Outside a
request (the CLI, tests of the store) noting does nothing; the privacy commands write their own lines with
:func:`record`.

The table is append-only: migration 0005 makes the database refuse a DELETE and any UPDATE except of the
two personal columns, which an erasure anonymises.

A request's lines are committed before its answer leaves, without waiting for the disk: on SQLite through a
connection of its own with ``synchronous=NORMAL`` (in WAL mode the commit is in the operating system's hands
at once; the fsync of every commit cost a cached PDF most of its time), on PostgreSQL with
``synchronous_commit`` off for that transaction. Nothing is held in the app, so a clean shutdown or a crash of
the worker loses no line; a crash of the machine itself (power, kernel) or of the PostgreSQL server can lose
the lines of the last moment (SQLite: those since the last checkpoint; PostgreSQL: up to three times its
``wal_writer_delay``, 0.6 s by default), never half a line or the database's consistency.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dashboard.intake.models import AuditEntry, utcnow

#: Outcome of an attempt refused (403, or the 404 that hides whether an application exists).
DENIED = "geweigerd"
OK = "ok"
#: The account of lines written by the command line (retention, export, erasure).
SYSTEM = "systeem"
#: A write to an object makes its read in the same request redundant: the write line says more.
WRITES = frozenset({"aanmaken", "wijzigen", "status", "basislijn"})
_KEY = "smart_retail_audit"
_appenders: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
_appenders_lock = threading.Lock()


class Actor(Protocol):
    """What the log keeps of an account (``dashboard.accounts.users.Account`` fits)."""

    @property
    def id(self) -> int: ...  # noqa: D102
    @property
    def email(self) -> str: ...  # noqa: D102
    @property
    def name(self) -> str: ...  # noqa: D102
    @property
    def role(self) -> str: ...  # noqa: D102


@dataclass(frozen=True)
class Event:
    """Something a request did to one object, as noted while it ran."""

    action: str
    object_type: str
    object_id: str | None
    nis_code: str | None = None
    detail: str | None = None
    denied: bool = False


def _pending() -> list[Event] | None:
    import flask  # only inside the app; the store runs without a web server too

    if not flask.has_request_context():
        return None
    return flask.g.setdefault(_KEY, [])


def note(action: str, object_type: str, object_id: object, nis_code: str | None = None,
         detail: str | None = None) -> None:
    """Note that the current request does ``action`` to an object (no-op outside a request)."""
    events = _pending()
    if events is not None:
        events.append(Event(action, object_type, None if object_id is None else str(object_id), nis_code, detail))


def denied(object_type: str, object_id: object, nis_code: str | None = None, action: str = "lezen") -> None:
    """Note a refused attempt on an object: every line of that object in this request says ``geweigerd``."""
    events = _pending()
    if events is not None:
        events.append(Event(action, object_type, None if object_id is None else str(object_id), nis_code,
                            denied=True))


def noted() -> list[Event]:
    """Return what the current request noted so far (empty outside a request)."""
    return list(_pending() or [])


def lines(events: Iterable[Event], status: int) -> list[Event]:
    """Return the lines to write for a request's events: one per object and action, refusals winning.

    A read of an object the request also changed is dropped, and so is every other line of an object the
    request was refused. Pure, so the folding is tested without a request.
    """
    events = list(events)
    refused = {(e.object_type, e.object_id) for e in events if e.denied}
    written = {(e.object_type, e.object_id) for e in events if e.action in WRITES and not e.denied}
    out: dict[tuple[str, str, str | None], Event] = {}
    for e in events:
        key = (e.object_type, e.object_id)
        if key in refused:
            e = Event(e.action if e.denied else "lezen", e.object_type, e.object_id, e.nis_code, e.detail, True)
        elif e.action == "lezen" and key in written:
            continue
        out.setdefault((e.action, *key), e)
    return list(out.values())


def outcome(event: Event, status: int) -> str:
    """Return the outcome column of a line: ``geweigerd``, ``ok`` or the response's error status."""
    if event.denied:
        return DENIED
    return OK if status < 400 else str(status)


def _entry(event: Event, status: int, request_id: str, actor: Actor | None, at: dt.datetime) -> AuditEntry:
    return AuditEntry(at=at, request_id=request_id[:32], account_id=actor.id if actor else None,
                      account_email=actor.email if actor else None, account_name=actor.name if actor else None,
                      role=actor.role if actor else None, action=event.action[:20], object_type=event.object_type[:20],
                      object_id=event.object_id[:64] if event.object_id else None, nis_code=event.nis_code,
                      outcome=outcome(event, status), detail=event.detail[:200] if event.detail else None)


def appender(engine: Engine) -> Engine:
    """Return the engine that appends a web request's lines to the store of ``engine`` (see the module's text).

    On SQLite a second engine on the same file whose connections commit without an fsync; else ``engine``.
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return engine
    from dashboard.intake.db import make_engine  # the intake package imports this module

    with _appenders_lock:
        found = _appenders.get(engine)
        if found is None:
            found = make_engine(engine.url)

            @event.listens_for(found, "connect")
            def _no_fsync(dbapi_connection: object, _record: object) -> None:
                cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.close()

            _appenders[engine] = found
        return found


def write(engine_or_session: Engine | Session, events: Iterable[Event], status: int, request_id: str,
          actor: Actor | None, at: dt.datetime | None = None, *, wait_for_disk: bool = True) -> int:
    """Append the lines of ``events`` (folded by :func:`lines`) in one transaction; return how many.

    ``wait_for_disk=False`` (a web request's lines, given an engine): committed through :func:`appender`,
    without waiting for the disk.
    """
    at = at or utcnow()
    entries = [_entry(e, status, request_id, actor, at) for e in lines(events, status)]
    if not entries:
        return 0
    if isinstance(engine_or_session, Session):
        engine_or_session.add_all(entries)
        return len(entries)
    engine = engine_or_session if wait_for_disk else appender(engine_or_session)
    with Session(engine) as session, session.begin():
        if not wait_for_disk and engine.dialect.name == "postgresql":
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        session.add_all(entries)
    return len(entries)


def record(engine_or_session: Engine | Session, action: str, object_type: str, object_id: object,
           request_id: str, detail: str | None = None) -> None:
    """Append one line of the command line (account ``systeem``) outside any web request."""
    event = Event(action, object_type, None if object_id is None else str(object_id), None, detail)
    entry = _entry(event, 200, request_id, None, utcnow())
    entry.account_name = SYSTEM
    if isinstance(engine_or_session, Session):
        engine_or_session.add(entry)
    else:
        with Session(engine_or_session) as session, session.begin():
            session.add(entry)


def since(engine: Engine, day: dt.date) -> list[AuditEntry]:
    """Return the lines written on or after ``day`` (UTC), oldest first."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.at >= start).order_by(AuditEntry.id)))


def format_line(entry: AuditEntry) -> str:
    """Return one line of ``users audit``: tab-separated, time in UTC (ISO 8601)."""
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
    who = entry.account_email or entry.account_name or "anoniem"
    obj = f"{entry.object_type}:{entry.object_id}" if entry.object_id else entry.object_type
    return "\t".join([at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), entry.request_id, who,
                      entry.role or "-", entry.action, obj, entry.nis_code or "-", entry.outcome,
                      entry.detail or ""])
