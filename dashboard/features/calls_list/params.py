"""What ``/oproepen`` takes: nothing but an account of VLAIO."""

from __future__ import annotations

from dashboard.accounts.access import Access
from dashboard.controls import Control

ACCESS = Access(read=frozenset({"vlaio"}))
CONTROLS: tuple[Control, ...] = ()
