"""The expert roster: an expert with planned days is deactivated, never deleted.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision: every expert already on the roster stays active."""
    with op.batch_alter_table("programme_expert", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("programme_expert", schema=None) as batch_op:
        batch_op.drop_column("active")
