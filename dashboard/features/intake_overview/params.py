"""What the overview's values may be: ``/intake?provincie=&status=&aanvraag=`` and its controls."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import params
from dashboard.accounts.access import APPLICATION_READERS, Access
from dashboard.controls import CLICKS, PROVINCE, STATUS, YEAR, Control, Count, IsoDate, Record, Text
from dashboard.vocab import Known

P = "intake-list-"
URL_KEY = "intake-list"  # the page's address-bar store (components.controls.url_sync)
#: Each reader sees the applications within its reach; only VLAIO moves a status.
ACCESS = Access(read=APPLICATION_READERS, write={"move": frozenset({"vlaio"})})
CONTROLS: tuple[Control, ...] = (
    Control(P + "province", "value", PROVINCE),
    Control(P + "status", "value", STATUS),
    Control(P + "selected", "data", Record((("id", Count(2**31)),))),
    Control(P + "move", "n_clicks", CLICKS),
    Control(P + "move-to", "value", STATUS),
    Control(P + "move-date", "value", IsoDate()),
    Control(P + "author", "value", Text(200)),
    Control(P + "eval-year", "value", YEAR),
)


@dataclass(frozen=True)
class OverviewParams:
    """The overview's address: the province and status filters, and the application opened."""

    province: str | None
    status: str | None
    application: int | None

    @classmethod
    def from_url(cls, known: Known, provincie: str | None = None, status: str | None = None,
                 aanvraag: str | None = None) -> OverviewParams:
        """Parse the address; unknown values raise :class:`~dashboard.errors.RejectedError`."""
        return cls(province=params.optional_province(known, provincie), status=params.status(status),
                   application=params.application_id(aanvraag))
