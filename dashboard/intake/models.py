"""The intake store's tables (SQLAlchemy 2.0 declarative); the Alembic migrations build exactly this schema."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: The statuses in the order an application goes through them (Dutch, as the users say them).
STATUSES: tuple[str, ...] = ("aanvraag", "beoordeling", "intake", "coaching", "evaluatie")
#: The five B's of the Profploeg's intake fiche, in the fiche's order.
B_NAMES: tuple[str, ...] = ("Bekendheid", "Beleving", "Beeldkwaliteit", "Bereikbaarheid", "Beleid")

#: Maximum lengths of the short text fields; the long answers (``Text``) get :data:`MAX_TEXT`.
LENGTHS: dict[str, int] = {"nis_code": 5, "contact_name": 200, "department": 200, "email": 254, "phone": 32}
MAX_TEXT = 10_000
#: The Profploeg's expert profiles (an application picks among these, each at most once).
EXPERTS: tuple[str, ...] = (
    "Centrummanagement", "Ruimtelijke planning", "Publieke ruimte", "Mobiliteit", "Innovatieve winkelconcepten",
    "Evenementen", "Communicatie", "Retaildata en smart tech", "Logistiek", "Retailvastgoed", "Starters",
    "Consumentengedrag", "Onderhandeling en contracten", "Sociale media", "Retailmarketing",
    "Creatieve trajecten", "Procesbegeleiding",
)
#: Most shopping areas a zone can hold.
MAX_ZONE_AREAS = 200

# Named constraints, so that a migration on PostgreSQL and SQLite alike can find and change them later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time in UTC (every timestamp of the store is UTC)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """The declarative base of the intake tables."""

    metadata = MetaData(naming_convention=NAMING)


class Application(Base):
    """One application of a municipality for a Profploeg trajectory."""

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nis_code: Mapped[str] = mapped_column(String(LENGTHS["nis_code"]), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(LENGTHS["contact_name"]))
    department: Mapped[str | None] = mapped_column(String(LENGTHS["department"]))
    email: Mapped[str | None] = mapped_column(String(LENGTHS["email"]))
    phone: Mapped[str | None] = mapped_column(String(LENGTHS["phone"]))
    challenge: Mapped[str | None] = mapped_column(Text)
    expectations: Mapped[str | None] = mapped_column(Text)
    zone_area_ids: Mapped[list[str] | None] = mapped_column(JSON)
    zone_description: Mapped[str | None] = mapped_column(Text)
    earlier_initiatives: Mapped[str | None] = mapped_column(Text)
    went_well: Mapped[str | None] = mapped_column(Text)
    went_less: Mapped[str | None] = mapped_column(Text)
    retail_policy: Mapped[str | None] = mapped_column(Text)
    means_capacity: Mapped[str | None] = mapped_column(Text)
    departments_involvement: Mapped[str | None] = mapped_column(Text)
    experts: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {"suggested": [...], "chosen": [...]}
    five_b_notes: Mapped[dict[str, str] | None] = mapped_column(JSON)  # B -> the expert's free text
    status: Mapped[str] = mapped_column(String(20), index=True, default=STATUSES[0])
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Set when the retention term or an erasure removed its personal data (see dashboard/privacy.py).
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    revisions: Mapped[list[ApplicationRevision]] = relationship(back_populates="application",
                                                               order_by="ApplicationRevision.id")
    status_changes: Mapped[list[StatusChange]] = relationship(order_by="StatusChange.id")
    baselines: Mapped[list[BaselineSnapshot]] = relationship(order_by="BaselineSnapshot.id")

    # Optimistic locking: every UPDATE says "WHERE version = <the one loaded>" and bumps it, so two
    # writers that loaded the same version cannot both win, whatever the database.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ApplicationRevision(Base):
    """One saved change of an application (append-only): who, when, and per field the old and new value."""

    __tablename__ = "application_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the application's version this change produced
    author: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)  # {field: {"old": ..., "new": ...}}

    application: Mapped[Application] = relationship(back_populates="revisions")


class StatusChange(Base):
    """One step of the status history: from which status to which, on which date, by whom."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)  # the date the step took effect (may differ from recorded_at)
    author: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BaselineSnapshot(Base):
    """The indicator values frozen at intake, with the build they came from: the trajectory's zero point."""

    __tablename__ = "baseline_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    build_id: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(200))
    frozen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)


#: The roles of an account (see ``dashboard/accounts/access.py`` for what each may do).
ROLES: tuple[str, ...] = ("gemeente", "provincie", "expert", "vlaio", "beheerder")


class User(Base):
    """An account: e-mail, argon2 hash, one role, the municipality or province it is bound to, its lockout."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    nis_code: Mapped[str | None] = mapped_column(String(5))  # only role gemeente
    province_code: Mapped[str | None] = mapped_column(String(5))  # only role provincie
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Part of every session's id: a new value (logout, disable, new password) ends all sessions of the account.
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ServerSecret(Base):
    """The key that signs session cookies, made once by the first worker: every worker signs alike."""

    __tablename__ = "server_secret"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class ExpertAssignment(Base):
    """An expert assigned to an application: it reads it and its municipality's outlets, and writes its 5B notes."""

    __tablename__ = "expert_assignments"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), primary_key=True,
                                                index=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """One line of the audit log (append-only, enforced by the database: see migration 0005).

    Who (the account, its role), did what (``action``) to which object, when (UTC), in which request, with what
    outcome (``ok``, ``geweigerd`` or the HTTP status). Only ``account_email`` and ``account_name`` are personal:
    they are the only columns an erasure may overwrite.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    request_id: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int | None] = mapped_column(Integer)
    account_email: Mapped[str | None] = mapped_column(String(254))
    account_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str | None] = mapped_column(String(64))
    nis_code: Mapped[str | None] = mapped_column(String(5))
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(String(200))


# The programme's tables (calls, selection, teams, coaching, evaluation) share this metadata: imported last, as
# they build on Base and Application.
from dashboard.programme import models as _programme_models  # noqa: E402, F401
