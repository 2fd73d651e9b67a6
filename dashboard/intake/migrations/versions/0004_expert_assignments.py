"""Expert assignments: which expert account is assigned to which application.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "expert_assignments",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_expert_assignments_user_id_app_user"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"],
                                name=op.f("fk_expert_assignments_application_id_application"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "application_id", name=op.f("pk_expert_assignments")),
    )
    op.create_index(op.f("ix_expert_assignments_application_id"), "expert_assignments", ["application_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_expert_assignments_application_id"), table_name="expert_assignments")
    op.drop_table("expert_assignments")
