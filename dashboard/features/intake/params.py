"""What the application form's values may be: ``/gemeente/<nis>/intake?aanvraag=`` and every field of it."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import params
from dashboard.accounts.access import APPLICATION_READERS, Access
from dashboard.controls import CLICKS, EXPERT_LIST, MUNICIPALITY, Blob, Clicked, Control, Count, Record, Subset, Text
from dashboard.intake.form import TEXT_FIELDS
from dashboard.intake.models import B_NAMES, LENGTHS, MAX_TEXT, MAX_ZONE_AREAS
from dashboard.vocab import Known

P = "intake-"
URL_KEY = "intake"  # the page's address-bar store (components.controls.url_sync)
MAX_AUTHOR = 200
#: What the form holds between saves: the values as stored (bounded by the fields' lengths).
MAX_SAVED_BYTES = 400_000
APPLICATION = Record((("id", Count(2**31)), ("version", Count(2**31))))

#: A municipality edits its own applications, an assigned expert their 5B notes; its province and VLAIO read them
#: (each within its reach: the save checks which application, see ``callbacks.writer``).
ACCESS = Access(read=APPLICATION_READERS, write={"save": frozenset({"gemeente", "expert"})})
CONTROLS: tuple[Control, ...] = (
    *[Control(P + "f-" + f.name, "value", Text(LENGTHS.get(f.name, MAX_TEXT))) for f in TEXT_FIELDS],
    Control(P + "f-zone_area_ids", "value", Subset("areas", MAX_ZONE_AREAS, "Onbekend winkelgebied in de zone.")),
    Control(P + "f-zone_description", "value", Text(MAX_TEXT)),
    *[Control(f"{P}note-{i}", "value", Text(MAX_TEXT)) for i in range(len(B_NAMES))],
    Control(P + "experts", "value", EXPERT_LIST),
    Control(P + "suggested", "data", EXPERT_LIST),
    Control(P + "nis", "data", MUNICIPALITY),
    Control(P + "app", "data", APPLICATION),
    Control(P + "saved", "data", Blob(MAX_SAVED_BYTES)),
    Control(P + "author", "value", Text(MAX_AUTHOR)),
    Control(P + "save", "n_clicks", CLICKS),
    Control(P + "submit", "n_clicks", CLICKS),
    Control(P + "autosave", "n_intervals", CLICKS),
    Control(P + "zone-map", "clickData", Clicked()),
)


@dataclass(frozen=True)
class IntakeParams:
    """The form's address: the municipality and the application to resume (``None``: a new one)."""

    nis: str
    application: int | None

    @classmethod
    def from_url(cls, known: Known, nis: str | None, aanvraag: str | None = None) -> IntakeParams:
        """Parse the address; malformed or unknown values raise :class:`~dashboard.errors.RejectedError`."""
        return cls(nis=params.municipality_code(known, nis), application=params.application_id(aanvraag))
