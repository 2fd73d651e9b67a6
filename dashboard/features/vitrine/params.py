"""What ``/vitrine`` takes: its filters. Public, even when the indicator pages need a login: it spreads the concepts."""

from __future__ import annotations

from dashboard.accounts.access import PUBLIC
from dashboard.controls import MUNICIPALITY, Choice, Control, Subset, Text
from dashboard.programme.figures import SHORT_SIZE
from dashboard.programme.vitrine import CHALLENGES, CONCEPTS, OTHER

P = "vitrine-"
AREA_TYPES = ("hoofdwinkelgebied", "kernverzorgend centrum", "ondersteunend winkelgebied")
#: "Gemeenten zoals de uwe" on the municipality page and the intake form: the municipality, and the box it fills.
LIKE_NIS, LIKE_BOX = "like-yours-nis", "like-yours-box"
ACCESS = PUBLIC
CONTROLS: tuple[Control, ...] = (
    Control(P + "challenge", "value", Choice((*CHALLENGES, OTHER))),
    Control(P + "size", "value", Choice(SHORT_SIZE)),
    Control(P + "area-type", "value", Choice(AREA_TYPES)),
    Control(P + "concepts", "value", Subset(CONCEPTS, len(CONCEPTS), "Onbekend concept.")),
    Control(P + "text", "value", Text(100)),
    Control(LIKE_NIS, "data", MUNICIPALITY),
)
