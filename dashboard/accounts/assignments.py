"""Which applications an expert (Profploeg) is assigned to: it reads those, and its municipalities' outlet data.

The functions take the caller's SQLAlchemy session, so an assignment can be part of a larger transaction
(the Profploeg programme assigns experts while it plans a trajectory). What a logged-in expert reaches is
read with its account (:func:`dashboard.accounts.users.assigned_to`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dashboard.accounts.users import AccountError
from dashboard.intake.models import Application, ExpertAssignment, User
from dashboard.intake.store import missing


@dataclass(frozen=True)
class Assignment:
    """One expert assigned to one application (of municipality ``nis``)."""

    email: str
    name: str
    application_id: int
    nis: str


def _expert(session: Session, email: str) -> User:
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise AccountError(f"Er is geen account met e-mailadres {email.strip().lower()}.")
    if user.role != "expert":
        raise AccountError(f"{user.email} heeft de rol {user.role}: alleen een expert wordt aan een aanvraag "
                           "toegewezen.")
    return user


def assign_expert(session: Session, email: str, application_id: int) -> bool:
    """Assign the expert ``email`` to application ``application_id``; return ``False`` when it already was.

    Raises
    ------
    AccountError
        No account with that e-mail address, or one that is not an expert.
    NotFoundError
        No application with that number.

    """
    user = _expert(session, email)
    if session.get(Application, application_id) is None:
        raise missing(application_id)
    if session.get(ExpertAssignment, (user.id, application_id)) is not None:
        return False
    session.add(ExpertAssignment(user_id=user.id, application_id=application_id))
    session.flush()
    return True


def unassign_expert(session: Session, email: str, application_id: int) -> bool:
    """Take the expert ``email`` off application ``application_id``; return ``False`` when it was not on it."""
    user = _expert(session, email)
    gone = session.execute(delete(ExpertAssignment).where(ExpertAssignment.user_id == user.id,
                                                          ExpertAssignment.application_id == application_id))
    return bool(gone.rowcount)


def list_assignments(session: Session, email: str | None = None, application_id: int | None = None
                     ) -> list[Assignment]:
    """Return the assignments, of one expert and/or one application, by e-mail address and application."""
    query = (select(User.email, User.name, Application.id, Application.nis_code)
             .join(ExpertAssignment, ExpertAssignment.user_id == User.id)
             .join(Application, Application.id == ExpertAssignment.application_id)
             .order_by(User.email, Application.id))
    if email is not None:
        query = query.where(User.email == email.strip().lower())
    if application_id is not None:
        query = query.where(Application.id == application_id)
    return [Assignment(*row) for row in session.execute(query)]
