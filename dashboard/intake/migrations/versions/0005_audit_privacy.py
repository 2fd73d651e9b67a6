"""Audit log, append-only, and the moment an application was anonymised.

The database itself refuses a DELETE of the log and any UPDATE but the erasure of its two personal columns.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: The columns that never change once written; ``account_email`` and ``account_name`` may be anonymised.
FIXED = ("id", "at", "request_id", "account_id", "role", "action", "object_type", "object_id", "nis_code",
         "outcome", "detail")
REFUSAL = "audit_log is append-only"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("account_email", sa.String(length=254), nullable=True),
        sa.Column("account_name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.Column("nis_code", sa.String(length=5), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    fixed = ", ".join(FIXED)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$""")
        op.execute(f"CREATE TRIGGER audit_log_append_only BEFORE UPDATE OF {fixed} OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
    else:
        op.execute(f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                   f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
        op.execute(f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF {fixed} ON audit_log "
                   f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER audit_log_no_delete")
        op.execute("DROP TRIGGER audit_log_no_update")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
    op.drop_table("audit_log")
