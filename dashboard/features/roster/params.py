"""What ``/experten`` takes: an account of VLAIO, and the fields of the roster's form."""

from __future__ import annotations

from dashboard.accounts.access import Access
from dashboard.controls import CLICKS, EXPERT_LIST, Amount, Choice, Control, Count, Text
from dashboard.programme.models import EXPERT_KINDS
from dashboard.programme.rules import MAX_NAME

P = "roster-"
#: The form's choice "a new expert" (a stored expert has a number from 1).
NEW = 0
VLAIO = frozenset({"vlaio"})
#: Only VLAIO keeps the roster.
ACCESS = Access(read=VLAIO, write={"save_expert": VLAIO, "toggle_or_remove": VLAIO})
CONTROLS: tuple[Control, ...] = (
    Control(P + "pick", "value", Count(2**31)),
    Control(P + "name", "value", Text(MAX_NAME)),
    Control(P + "kind", "value", Choice(EXPERT_KINDS)),
    Control(P + "email", "value", Text(254)),
    Control(P + "profiles", "value", EXPERT_LIST),
    Control(P + "rate", "value", Amount(100_000)),
    Control(P + "days", "value", Amount(1_000)),
    Control(P + "save", "n_clicks", CLICKS),
    Control(P + "toggle", "n_clicks", CLICKS),
    Control(P + "remove", "n_clicks", CLICKS),
)
