"""``python -m dashboard.intake.migrate``: bring the intake store to the latest schema, then exit.

gunicorn's configuration (``gunicorn.conf.py``) runs this in a process of its own before it starts the
workers: the workers then find the store at the head and never load alembic (about 37 MiB each).
"""

from __future__ import annotations

import sys

from data_pipelines.settings import SettingError


def main() -> int:
    """Migrate the store of ``SMART_RETAIL_INTAKE_DB_URL``; exit code 1 with one Dutch line when that fails."""
    from sqlalchemy.exc import SQLAlchemyError

    from dashboard.config import load_settings
    from dashboard.intake.db import ensure_schema, make_engine

    try:
        engine = make_engine(load_settings().intake_db_url)
        ensure_schema(engine)
        engine.dispose()
    except (SettingError, SQLAlchemyError, OSError) as exc:
        print(f"fout: de intake-opslag kon niet bijgewerkt worden naar het laatste schema ({type(exc).__name__}: "
              f"{exc})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
