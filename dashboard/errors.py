"""The one way a request is refused on purpose: :class:`RejectedError`, answered as a Dutch 4xx.

Any other exception is a fault of the dashboard: a 500 whose log line carries the traceback and the
request id the user's error message shows (see :mod:`dashboard.guard`).
"""

from __future__ import annotations


class RejectedError(Exception):
    """A request the dashboard will not answer: HTTP status (4xx) and a Dutch reason for the user."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class MovedError(Exception):
    """The address names a municipality by its code of before a merger: it lives on under the new code."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__(f"{old} -> {new}")
        self.old, self.new = old, new
