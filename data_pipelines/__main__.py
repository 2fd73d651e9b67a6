"""Entry point for ``python -m data_pipelines``."""

import sys

from data_pipelines.cli import main

sys.exit(main())
