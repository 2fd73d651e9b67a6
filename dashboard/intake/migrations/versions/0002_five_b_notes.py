"""The expert's free text per B of the 5B intake fiche.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("five_b_notes", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("five_b_notes")
