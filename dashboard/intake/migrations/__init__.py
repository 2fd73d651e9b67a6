"""Alembic migrations of the intake store (applied by :func:`dashboard.intake.db.upgrade`)."""
