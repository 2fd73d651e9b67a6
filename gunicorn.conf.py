"""gunicorn's settings for the dashboard (read from the working directory; the Procfile names it too).

The intake store is migrated once, in a process of its own, before the workers start: a worker then only
checks that the schema is at the head and never loads alembic. The memory a worker holds is described in
the README's performance section.
"""

import subprocess
import sys

workers = 2
threads = 4
timeout = 60


def on_starting(server: object) -> None:
    """Migrate the intake store before any worker starts (a failure stops gunicorn with the reason)."""
    subprocess.run([sys.executable, "-m", "dashboard.intake.migrate"], check=True)
