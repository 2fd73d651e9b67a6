"""The intake store's API: every call is one transaction, so a crash halfway keeps what was saved before.

:class:`Store` wraps a ``sessionmaker``; each method opens its own session and transaction, writes the
application together with its revision (or status change), and commits both or neither. Edits carry the
version the user loaded: when someone else saved since, :class:`ConflictError` names who changed what, and
nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from dashboard import audit
from dashboard.errors import RejectedError
from dashboard.formatting import fmt_date, fmt_time
from dashboard.intake.db import ensure_schema, make_engine
from dashboard.intake.models import STATUSES, Application, ApplicationRevision, BaselineSnapshot, StatusChange
from dashboard.intake.validation import FIELDS, ValidationError, check_shape, validate

#: Allowed steps: the trajectory moves forward; a review may send the application back to the applicant.
TRANSITIONS: dict[str, frozenset[str]] = {
    "aanvraag": frozenset({"beoordeling"}),
    "beoordeling": frozenset({"aanvraag", "intake"}),
    "intake": frozenset({"coaching"}),
    "coaching": frozenset({"evaluatie"}),
    "evaluatie": frozenset(),
}
#: First digit of a Flemish NIS code -> province code (Vlaams-Brabant's municipalities start with 23 or 24).
PROVINCE_OF_DIGIT = {"1": "10000", "2": "20001", "3": "30000", "4": "40000", "7": "70000"}


class NotFoundError(RejectedError, LookupError):
    """No application with that id (Dutch message): a request naming it is answered with a 404."""

    def __init__(self, message: str) -> None:
        super().__init__(404, message)


def missing(application_id: int) -> NotFoundError:
    """Return the refusal of an application number: the same text whether it does not exist or is not yours.

    Every refusal of an application passes here, so the audit log notes the attempt here too.
    """
    audit.denied("aanvraag", application_id)
    return NotFoundError(f"Er is geen aanvraag met nummer {application_id}.")


class ConflictError(RuntimeError):
    """Someone saved the application after the version the user loaded; ``changes`` says who changed what."""

    def __init__(self, message: str, current_version: int, changes: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.changes = changes


class TransitionError(ValueError):
    """A status step that is not allowed (Dutch message)."""


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an application's history: a saved change, a status step or a frozen baseline."""

    at: datetime
    author: str
    kind: str  # "wijziging", "status" or "basislijn"
    text: str
    version: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)


def _labels(names: Collection[str]) -> str:
    return ", ".join(FIELDS.get(n, n).lower() for n in names)


def _values(app: Application) -> dict[str, Any]:
    return {name: getattr(app, name) for name in FIELDS}


class Store:
    """The intake store on one database.

    Parameters
    ----------
    engine
        An engine (see :func:`dashboard.intake.db.make_engine`); the schema must be migrated
        (:func:`open_store` does both).

    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # expire_on_commit=False: the returned objects keep their values after the session closes.
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        # One session, one transaction: commit on success, roll back everything on any exception.
        with self.sessions.begin() as session:
            yield session

    @staticmethod
    def _get(session: Session, application_id: int) -> Application:
        app = session.get(Application, application_id)
        if app is None:
            raise missing(application_id)
        return app

    @classmethod
    def _read(cls, session: Session, application_id: int) -> Application:
        app = cls._get(session, application_id)
        audit.note("lezen", "aanvraag", app.id, app.nis_code)
        return app

    def get(self, application_id: int) -> Application:
        """Return one application (detached: read its fields, change it only through :meth:`save`)."""
        with self.sessions() as session:
            return self._read(session, application_id)

    def create_draft(self, nis_code: str, author: str, values: Mapping[str, Any] | None = None,
                     on: date | None = None) -> Application:
        """Create a draft application of a municipality (status ``aanvraag``, version 1) and return it.

        The first revision records every field filled in at creation; the first status step is dated ``on``
        (default today; earlier for an application entered after the fact).
        """
        values = {"nis_code": nis_code, **(values or {})}
        errors = check_shape(values)
        if errors:
            raise ValidationError(errors)
        with self._transaction() as session:
            app = Application(**values, status=STATUSES[0])
            session.add(app)
            session.flush()  # assigns the id and version 1
            session.add(ApplicationRevision(application_id=app.id, version=app.version, author=author,
                                            changes={k: {"old": None, "new": v} for k, v in values.items()}))
            session.add(StatusChange(application_id=app.id, from_status=None, to_status=STATUSES[0],
                                     effective_on=on or date.today(), author=author))
            audit.note("aanmaken", "aanvraag", app.id, app.nis_code)
            return app

    def _conflict(self, session: Session, app: Application, expected_version: int) -> ConflictError:
        since = session.scalars(select(ApplicationRevision).where(
            ApplicationRevision.application_id == app.id, ApplicationRevision.version > expected_version,
        ).order_by(ApplicationRevision.id)).all()
        parts = [f"{r.author} op {fmt_time(r.at)} ({_labels(r.changes) or 'status'})" for r in since]
        message = (f"Deze aanvraag werd intussen gewijzigd door {'; '.join(parts) or 'iemand anders'}. "
                   f"Uw wijzigingen zijn niet opgeslagen: laad de aanvraag opnieuw (versie {app.version}) "
                   f"en voer ze opnieuw in.")
        return ConflictError(message, app.version,
                             [{"author": r.author, "at": r.at, "changes": r.changes} for r in since])

    def save(self, application_id: int, changes: Mapping[str, Any], expected_version: int,
             author: str) -> Application:
        """Save ``changes`` to an application in one transaction, with a revision of the old and new values.

        Parameters
        ----------
        application_id
            The application.
        changes
            Field name -> new value (fields of :data:`~dashboard.intake.validation.FIELDS`); a draft may stay
            incomplete, but unknown fields, wrong types and too long texts are refused.
        expected_version
            The version the user loaded.
        author
            Who saves (name or e-mail), recorded in the revision.

        Raises
        ------
        ConflictError
            The application was saved by someone else after ``expected_version``; nothing is written.
        ValidationError
            A change no stage may store.

        """
        errors = check_shape(changes)
        if errors:
            raise ValidationError(errors)
        try:
            with self._transaction() as session:
                app = self._get(session, application_id)
                if app.version != expected_version:
                    raise self._conflict(session, app, expected_version)
                diff = {k: {"old": getattr(app, k), "new": v} for k, v in changes.items() if getattr(app, k) != v}
                if not diff:
                    return app
                for name, change in diff.items():
                    setattr(app, name, change["new"])
                session.flush()  # UPDATE ... WHERE version = expected: bumps the version or raises StaleDataError
                session.add(ApplicationRevision(application_id=app.id, version=app.version, author=author,
                                                changes=diff))
                audit.note("wijzigen", "aanvraag", app.id, app.nis_code, f"versie {app.version}")
                return app
        except StaleDataError:
            # Another writer committed between our read and our UPDATE: report it like any conflict.
            with self.sessions() as session:
                raise self._conflict(session, self._get(session, application_id), expected_version) from None

    def submit(self, application_id: int, author: str, on: date | None = None,
               known_nis: Collection[str] | None = None) -> Application:
        """Submit a draft: validate it for ``indienen`` and move it to ``beoordeling``.

        Raises
        ------
        ValidationError
            Required fields missing or invalid; the application stays a draft.

        """
        return self.move_status(application_id, "beoordeling", author, on, known_nis=known_nis)

    def move_status(self, application_id: int, new_status: str, author: str, on: date | None = None,
                    known_nis: Collection[str] | None = None, *,
                    baseline: Mapping[str, Any] | None = None) -> Application:
        """Move an application to ``new_status`` (an allowed step of :data:`TRANSITIONS`), dated ``on``.

        Moving to ``beoordeling`` submits: the application must pass :func:`validate` at ``indienen``.

        Parameters
        ----------
        application_id, new_status, author, on, known_nis
            The application, the status it moves to, who moves it, the date the step takes effect (default
            today) and the NIS codes a submitted application may name.
        baseline
            Only with ``new_status`` ``intake``: the baseline to freeze (JSON, e.g.
            :func:`dashboard.intake.baseline.snapshot`), with the build it comes from under ``build_id``.
            It is written in the same transaction as the status step: both are saved, or neither.

        Raises
        ------
        TransitionError
            The step is not allowed from the current status, or a baseline comes with another step than
            ``intake``.
        ValidationError
            Submitting an incomplete or invalid application.
        ValueError
            A baseline without ``build_id``.

        """
        if new_status not in STATUSES:
            raise TransitionError(f"Onbekende status '{new_status}'; kies uit {', '.join(STATUSES)}.")
        if baseline is not None:
            if new_status != "intake":
                raise TransitionError(f"Een basislijn wordt vastgelegd bij de stap naar intake, niet naar "
                                      f"'{new_status}'.")
            if not baseline.get("build_id"):
                raise ValueError("De basislijn vermeldt niet uit welke build ze komt (build_id ontbreekt).")
        with self._transaction() as session:
            app = self._get(session, application_id)
            if new_status not in TRANSITIONS[app.status]:
                allowed = ", ".join(sorted(TRANSITIONS[app.status])) or "geen (eindstatus)"
                raise TransitionError(f"Van '{app.status}' kan de aanvraag niet naar '{new_status}'; "
                                      f"toegelaten: {allowed}.")
            day = on or date.today()
            previous = self._last_step(session, app.id)
            if previous is not None and day < previous.effective_on:
                raise TransitionError(f"De datum {fmt_date(day)} ligt vóór de vorige stap ({previous.to_status} op "
                                      f"{fmt_date(previous.effective_on)}): een traject loopt vooruit in de tijd.")
            if new_status == "beoordeling":
                errors = validate(_values(app), "indienen", known_nis)
                if errors:
                    raise ValidationError(errors)
            old = app.status
            app.status = new_status
            session.flush()
            session.add(StatusChange(application_id=app.id, from_status=old, to_status=new_status,
                                     effective_on=day, author=author))
            session.add(ApplicationRevision(application_id=app.id, version=app.version, author=author,
                                            changes={"status": {"old": old, "new": new_status}}))
            if baseline is not None:
                session.add(BaselineSnapshot(application_id=app.id, build_id=str(baseline["build_id"]),
                                             author=author, values=dict(baseline)))
            audit.note("status", "aanvraag", app.id, app.nis_code, f"{old} -> {new_status} op {day.isoformat()}")
            return app

    @staticmethod
    def _last_step(session: Session, application_id: int) -> StatusChange | None:
        return session.scalars(select(StatusChange).where(StatusChange.application_id == application_id)
                               .order_by(StatusChange.id.desc()).limit(1)).first()

    def freeze_baseline(self, application_id: int, values: Mapping[str, Any], build_id: str,
                        author: str = "systeem") -> BaselineSnapshot:
        """Freeze the indicator values (JSON) with the build they come from; return the snapshot.

        For a baseline outside a status step (a correction, a second measurement); at intake, pass it to
        :meth:`move_status` so that the step and its baseline are saved together.
        """
        with self._transaction() as session:
            app = self._get(session, application_id)
            audit.note("basislijn", "aanvraag", app.id, app.nis_code, build_id[:100])
            snapshot = BaselineSnapshot(application_id=application_id, build_id=build_id, author=author,
                                        values=dict(values))
            session.add(snapshot)
            return snapshot

    def history(self, application_id: int) -> list[HistoryEntry]:
        """Return the application's history, oldest first: saved changes, status steps and baselines."""
        with self.sessions() as session:
            app = self._read(session, application_id)
            entries = [HistoryEntry(r.at, r.author, "wijziging", f"Gewijzigd: {_labels(r.changes)}", r.version,
                                    r.changes) for r in app.revisions if set(r.changes) != {"status"}]
            entries += [HistoryEntry(s.recorded_at, s.author, "status",
                                     f"Status {s.from_status or '–'} → {s.to_status} op {s.effective_on:%d-%m-%Y}")
                        for s in app.status_changes]
            entries += [HistoryEntry(b.frozen_at, b.author, "basislijn", f"Basislijn vastgelegd (build {b.build_id})")
                        for b in app.baselines]
            return sorted(entries, key=lambda e: e.at)

    def revisions(self, application_id: int) -> list[ApplicationRevision]:
        """Return every revision of an application, oldest first (status steps included)."""
        with self.sessions() as session:
            return list(self._read(session, application_id).revisions)

    def status_changes(self, application_id: int) -> list[StatusChange]:
        """Return the status steps of an application, oldest first (with the date each took effect)."""
        with self.sessions() as session:
            return list(self._read(session, application_id).status_changes)

    def baselines(self, application_id: int) -> list[BaselineSnapshot]:
        """Return the frozen baselines of an application, oldest first."""
        with self.sessions() as session:
            return list(self._read(session, application_id).baselines)

    def list_applications(self, province: str | None = None, status: str | None = None,
                          nis: str | None = None, prefix: str = "") -> list[Application]:
        """Return the applications, newest first, optionally of one province (its code), status or municipality.

        ``prefix`` limits them to the NIS codes that start with it: what an account reaches.
        """
        query = select(Application).order_by(Application.created_at.desc(), Application.id.desc())
        if prefix:
            query = query.where(Application.nis_code.startswith(prefix))
        if nis is not None:
            query = query.where(Application.nis_code == nis)
        if status is not None:
            query = query.where(Application.status == status)
        if province is not None:
            digits = [d for d, code in PROVINCE_OF_DIGIT.items() if code == province]
            if not digits:
                return []
            query = query.where(Application.nis_code.startswith(digits[0]))
        with self.sessions() as session:
            found = list(session.scalars(query))
        scope = {"nis": nis, "prefix": prefix or None, "provincie": province, "status": status}
        audit.note("lijst", "aanvragen", " ".join(f"{k}={v}" for k, v in scope.items() if v) or "alle", nis,
                   f"{len(found)} aanvragen")
        return found

    def status_steps(self, application_ids: Collection[int]) -> dict[int, list[StatusChange]]:
        """Return the status steps of several applications at once (application id -> steps, oldest first)."""
        query = (select(StatusChange).where(StatusChange.application_id.in_(list(application_ids)))
                 .order_by(StatusChange.application_id, StatusChange.id))
        out: dict[int, list[StatusChange]] = {i: [] for i in application_ids}
        with self.sessions() as session:
            for step in session.scalars(query):
                out[step.application_id].append(step)
        return out


def current_store() -> Store:
    """Return the intake store of the app serving the current request."""
    import flask  # only the app needs it; the store itself runs without a web server

    return flask.current_app.extensions["smart_retail_intake"]


def open_store(url: str) -> Store:
    """Migrate the database at ``url`` to the latest schema and return a :class:`Store` on it."""
    engine = make_engine(url)
    ensure_schema(engine)
    return Store(engine)
