"""gunicorn's settings for the dashboard (read from the working directory; the Procfile names it too).

Worker memory (issue 15; the README's performance section has the figures):

- The intake store is migrated once, in a process of its own, before the workers start: a worker only
  checks that the schema is at the head and never loads alembic.
- A worker's pandas runs without pyarrow. pandas loads it when it can, to hold text columns; the app reads
  small frames from DuckDB and never needs Arrow, while pyarrow and its memory pool cost a worker about
  45 MiB. The build (``data_pipelines``) runs in its own processes and keeps it.
"""

import subprocess
import sys

workers = 2
threads = 4
timeout = 60


def on_starting(server: object) -> None:
    """Migrate the intake store before any worker starts (a failure stops gunicorn with the reason)."""
    subprocess.run([sys.executable, "-m", "dashboard.intake.migrate"], check=True)


def post_fork(server: object, worker: object) -> None:
    """Make pyarrow unimportable in the worker before it imports the app (pandas then keeps text itself).

    Not when pandas came with it already (an app preloaded in the master): its columns then need pyarrow.
    """
    if "pyarrow" not in sys.modules:
        sys.modules["pyarrow"] = None  # type: ignore[assignment]
