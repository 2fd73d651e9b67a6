"""The Profploeg programme: calls, criteria, candidacies, scores, experts, teams, coaching and evaluations.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "programme_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("coaching_start", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("budget_eur", sa.Float(), nullable=False),
        sa.Column("budget_days", sa.Float(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_call")),
    )
    op.create_table(
        "programme_expert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("profiles", sa.JSON(), nullable=False),
        sa.Column("day_rate", sa.Float(), nullable=False),
        sa.Column("days_per_month", sa.Float(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_expert")),
    )
    with op.batch_alter_table("programme_expert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_expert_email"), ["email"], unique=False)

    op.create_table(
        "programme_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_programme_action_application_id_application")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_action")),
    )
    with op.batch_alter_table("programme_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_action_application_id"), ["application_id"], unique=False)

    op.create_table(
        "programme_candidacy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("late_for_call_id", sa.Integer(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_programme_candidacy_application_id_application")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["programme_call.id"], name=op.f("fk_programme_candidacy_call_id_programme_call")
        ),
        sa.ForeignKeyConstraint(
            ["late_for_call_id"],
            ["programme_call.id"],
            name=op.f("fk_programme_candidacy_late_for_call_id_programme_call"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_candidacy")),
        sa.UniqueConstraint("application_id", name=op.f("uq_programme_candidacy_application_id")),
    )
    with op.batch_alter_table("programme_candidacy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_candidacy_call_id"), ["call_id"], unique=False)

    op.create_table(
        "programme_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("grp", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["programme_call.id"], name=op.f("fk_programme_criterion_call_id_programme_call")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_criterion")),
        sa.UniqueConstraint("call_id", "key", name=op.f("uq_programme_criterion_call_id")),
    )
    with op.batch_alter_table("programme_criterion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_criterion_call_id"), ["call_id"], unique=False)

    op.create_table(
        "programme_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("challenge_tag", sa.String(length=60), nullable=False),
        sa.Column("concepts", sa.JSON(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("worked", sa.Text(), nullable=False),
        sa.Column("worked_less", sa.Text(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_programme_evaluation_application_id_application")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_evaluation")),
        sa.UniqueConstraint("application_id", name=op.f("uq_programme_evaluation_application_id")),
    )
    op.create_table(
        "programme_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_programme_report_application_id_application")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_report")),
    )
    with op.batch_alter_table("programme_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_report_application_id"), ["application_id"], unique=False)

    op.create_table(
        "programme_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_programme_score_application_id_application")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_score")),
        sa.UniqueConstraint("application_id", "key", name=op.f("uq_programme_score_application_id")),
    )
    with op.batch_alter_table("programme_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_score_application_id"), ["application_id"], unique=False)

    op.create_table(
        "programme_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("experts", sa.JSON(), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_programme_session_application_id_application")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_session")),
    )
    with op.batch_alter_table("programme_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_session_application_id"), ["application_id"], unique=False)

    op.create_table(
        "programme_team_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=60), nullable=False),
        sa.Column("planned_days", sa.Float(), nullable=False),
        sa.Column("day_rate", sa.Float(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_programme_team_member_application_id_application")
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["programme_expert.id"], name=op.f("fk_programme_team_member_expert_id_programme_expert")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_team_member")),
        sa.UniqueConstraint(
            "application_id", "expert_id", "profile", name=op.f("uq_programme_team_member_application_id")
        ),
    )
    with op.batch_alter_table("programme_team_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_team_member_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_programme_team_member_expert_id"), ["expert_id"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("programme_team_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_team_member_expert_id"))
        batch_op.drop_index(batch_op.f("ix_programme_team_member_application_id"))

    op.drop_table("programme_team_member")
    with op.batch_alter_table("programme_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_session_application_id"))

    op.drop_table("programme_session")
    with op.batch_alter_table("programme_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_score_application_id"))

    op.drop_table("programme_score")
    with op.batch_alter_table("programme_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_report_application_id"))

    op.drop_table("programme_report")
    op.drop_table("programme_evaluation")
    with op.batch_alter_table("programme_criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_criterion_call_id"))

    op.drop_table("programme_criterion")
    with op.batch_alter_table("programme_candidacy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_candidacy_call_id"))

    op.drop_table("programme_candidacy")
    with op.batch_alter_table("programme_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_action_application_id"))

    op.drop_table("programme_action")
    with op.batch_alter_table("programme_expert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_expert_email"))

    op.drop_table("programme_expert")
    op.drop_table("programme_call")
