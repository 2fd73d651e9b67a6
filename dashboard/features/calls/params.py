"""What the call page's values may be: ``/oproepen/<oproep>`` and the review form's controls."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import params
from dashboard.accounts.access import Access
from dashboard.controls import CLICKS, Choice, Control, Count, Text
from dashboard.programme.models import DECISIONS
from dashboard.programme.scoring import DEFAULT_CRITERIA
from dashboard.vocab import Known

P = "call-"
MAX_REASON = 2000
#: The scores a reviewer gives (whole points 0-5).
SCORE = Count(6)
#: The criteria a reviewer scores (the others come from the data).
REVIEWED: tuple[str, ...] = tuple(c.key for c in DEFAULT_CRITERIA if c.source == "beoordelaar")
#: Only VLAIO reviews, selects and decides.
ACCESS = Access(read=frozenset({"vlaio"}), write={"save_review": frozenset({"vlaio"}),
                                                  "accept_suggestion": frozenset({"vlaio"})})
CONTROLS: tuple[Control, ...] = (
    Control(P + "id", "data", Count(2**31)),
    Control(P + "pick", "value", Count(2**31)),
    Control(P + "decision", "value", Choice(DECISIONS)),
    Control(P + "reason", "value", Text(MAX_REASON)),
    *[Control(f"{P}score-{k}", "value", SCORE) for k in REVIEWED],
    Control(P + "save", "n_clicks", CLICKS),
    Control(P + "accept", "n_clicks", CLICKS),
)


@dataclass(frozen=True)
class CallParams:
    """The call page's address: the call's number."""

    call: int

    @classmethod
    def from_url(cls, _known: Known, oproep: str | None) -> CallParams:
        """Parse the address; a malformed number raises :class:`~dashboard.errors.RejectedError` (400)."""
        return cls(params.call_id(oproep))
