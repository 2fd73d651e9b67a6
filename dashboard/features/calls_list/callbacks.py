"""``/oproepen`` has no callbacks: it is a list of links."""

from __future__ import annotations

from dashboard.controls import Callbacks

CALLBACKS = Callbacks()
