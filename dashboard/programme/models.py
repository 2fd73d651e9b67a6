"""The programme's tables in the intake store (same metadata, migration 0006)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.intake.models import Base, utcnow

#: A reviewer's decision on an application of a call (Dutch, as VLAIO writes them).
DECISIONS: tuple[str, ...] = ("geselecteerd", "reservelijst", "niet geselecteerd")
#: The status of an action agreed during the coaching.
ACTION_STATUSES: tuple[str, ...] = ("open", "bezig", "klaar")
#: A report to VLAIO: at the end of the trajectory, or at a big change on the way.
REPORT_KINDS: tuple[str, ...] = ("einde", "grote wijziging")
#: An expert of the roster is a person or a firm.
EXPERT_KINDS: tuple[str, ...] = ("persoon", "bureau")


class Call(Base):
    """A call (``oproep``): applications until the deadline, coaching from ``coaching_start``."""

    __tablename__ = "programme_call"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    coaching_start: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)  # trajectories
    budget_eur: Mapped[float] = mapped_column(Float)
    budget_days: Mapped[float] = mapped_column(Float)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class Criterion(Base):
    """One criterion of a call's scoring grid, with its weight (declared per call, shown on the page)."""

    __tablename__ = "programme_criterion"
    __table_args__ = (UniqueConstraint("call_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("programme_call.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    grp: Mapped[str] = mapped_column(String(40))  # "nood" (the data) or "sterkte" (the application)
    source: Mapped[str] = mapped_column(String(20))  # "data" (computed) or "beoordelaar" (scored by VLAIO)
    weight: Mapped[float] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(Text)  # how 0-5 is given, in words


class Candidacy(Base):
    """An application entered in a call: the call, the call it was meant for when late, the decision."""

    __tablename__ = "programme_candidacy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("programme_call.id"), index=True)
    late_for_call_id: Mapped[int | None] = mapped_column(ForeignKey("programme_call.id"))
    submitted_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class Score(Base):
    """A reviewer's score (0-5) of one application on one criterion that the data cannot give."""

    __tablename__ = "programme_score"
    __table_args__ = (UniqueConstraint("application_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    author: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Expert(Base):
    """An expert of the roster: a person or a firm, its profiles (of the 17), day rate and days a month."""

    __tablename__ = "programme_expert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254), index=True)  # links an ``expert`` account
    profiles: Mapped[list[str]] = mapped_column(JSON)
    day_rate: Mapped[float] = mapped_column(Float)
    days_per_month: Mapped[float] = mapped_column(Float)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    # An expert with planned days stays on the roster (the teams and their cost refer to it): inactive, not deleted.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class TeamMember(Base):
    """An expert in the team of a trajectory, for one profile, with the days planned (cost = days x rate)."""

    __tablename__ = "programme_team_member"
    __table_args__ = (UniqueConstraint("application_id", "expert_id", "profile"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("programme_expert.id"), index=True)
    profile: Mapped[str] = mapped_column(String(60))
    planned_days: Mapped[float] = mapped_column(Float)
    day_rate: Mapped[float] = mapped_column(Float)  # the rate agreed: a later change of the roster keeps it
    author: Mapped[str] = mapped_column(String(200))


class CoachingSession(Base):
    """A coaching session: when, which experts, which departments of the municipality, notes."""

    __tablename__ = "programme_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    experts: Mapped[list[str]] = mapped_column(JSON)
    departments: Mapped[list[str]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Action(Base):
    """An action agreed in the coaching: what, who, by when, and how far it is."""

    __tablename__ = "programme_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=ACTION_STATUSES[0])
    author: Mapped[str] = mapped_column(String(200))


class Report(Base):
    """A dated report of the team to VLAIO (at the end, or at a big change)."""

    __tablename__ = "programme_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    reported_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))


class Evaluation(Base):
    """The evaluation of a trajectory and its one-page Vitrine summary, published once the municipality approves."""

    __tablename__ = "programme_evaluation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    next_steps: Mapped[str] = mapped_column(Text)
    challenge_tag: Mapped[str] = mapped_column(String(60))
    concepts: Mapped[list[str]] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    worked: Mapped[str] = mapped_column(Text)
    worked_less: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)  # before/after against the frozen peers
    author: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


#: The programme's tables (migration 0006).
PROGRAMME_TABLES: tuple[str, ...] = tuple(t.__tablename__ for t in (
    Call, Criterion, Candidacy, Score, Expert, TeamMember, CoachingSession, Action, Report, Evaluation))
