"""The DNA fiche page has no callbacks: its address says everything it shows."""

from __future__ import annotations

from dashboard.controls import Callbacks

CALLBACKS = Callbacks()
