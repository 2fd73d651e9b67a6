"""What ``/oproepen`` takes: an account of VLAIO, and the fields of the form that adds or changes a call."""

from __future__ import annotations

from dashboard.accounts.access import Access
from dashboard.controls import CLICKS, Amount, Control, Count, IsoDate, Text
from dashboard.programme.rules import MAX_NAME

P = "calls-form-"
#: The form's choice "a new call" (a stored call has a number from 1).
NEW = 0
#: Only VLAIO sees the calls and adds or changes one.
ACCESS = Access(read=frozenset({"vlaio"}), write={"save_call": frozenset({"vlaio"})})
CONTROLS: tuple[Control, ...] = (
    Control(P + "pick", "value", Count(2**31)),
    Control(P + "name", "value", Text(MAX_NAME)),
    Control(P + "opens", "value", IsoDate()),
    Control(P + "deadline", "value", IsoDate()),
    Control(P + "start", "value", IsoDate()),
    Control(P + "capacity", "value", Amount(10_000)),
    Control(P + "budget-eur", "value", Amount(1e9)),
    Control(P + "budget-days", "value", Amount(1e6)),
    Control(P + "save", "n_clicks", CLICKS),
)
