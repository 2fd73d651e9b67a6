"""Entry point for ``python -m dashboard`` (see ``dashboard/cli.py``)."""

import sys

from dashboard.cli import main

sys.exit(main())
