"""What the core-area map's values may be: ``/gemeente/<nis>/kaart?jaar=&sinds=&gebied=`` and its controls."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import params
from dashboard.accounts.access import OUTLETS, Access
from dashboard.controls import (
    CLICKS,
    MUNICIPALITY,
    YEAR,
    Blob,
    Choice,
    Clicked,
    Control,
    Count,
    Member,
    Subset,
    Text,
    Year,
)
from dashboard.features.core_map import mapdata
from dashboard.vocab import Known

P = "kaart-"
#: "Changes since": 0 is no comparison.
NO_SINCE = 0
MAX_PAGES = 100_000
#: A street name search: longer than any Flemish street name, short enough to refuse junk.
STREET_QUERY_MAX = 80
#: Outlet-level: its municipality's outlets one by one (map points, table, export): only an account that reaches it.
ACCESS: Access = OUTLETS
CONTROLS: tuple[Control, ...] = (
    Control(P + "nis", "data", MUNICIPALITY),
    Control(P + "focus", "data", Member("areas", "Onbekend winkelgebied.")),
    Control(P + "year", "value", YEAR),
    Control(P + "drawn", "data", YEAR),
    Control(P + "since", "value", Year(zero=True)),
    Control(P + "groups", "value", Subset("branch_groups", 40, "Onbekende branchegroep.")),
    Control(P + "vacancy-only", "value", Choice((True, False))),
    Control(P + "chain", "value", Choice(tuple(mapdata.CHAIN_CHOICES))),
    Control(P + "durations", "value", Subset(tuple(mapdata.DURATION_CHOICES), len(mapdata.DURATION_CHOICES),
                                             "Onbekende leegstandsduur.")),
    Control(P + "street", "value", Text(STREET_QUERY_MAX)),
    Control(P + "table", "page_current", Count(MAX_PAGES)),
    Control(P + "table", "sort_by", Blob(1_000, list)),
    Control(P + "dl-csv", "n_clicks", CLICKS),
    Control(P + "dl-xlsx", "n_clicks", CLICKS),
    Control(P + "map", "clickData", Clicked()),
    # Read by the browser's own callback alone (assets/core-map.js): no server callback takes them.
    *(Control(P + c, p, Blob(2, dict)) for c, p in (("points", "data"), ("held", "data"), ("map", "figure"))),
)


@dataclass(frozen=True)
class CoreMapParams:
    """The core-area map's address: municipality, year, the year to compare with (0: none), the area to frame."""

    nis: str
    year: int
    since: int
    area: str | None

    @classmethod
    def from_url(cls, known: Known, nis: str | None, jaar: str | None = None, sinds: str | None = None,
                 gebied: str | None = None) -> CoreMapParams:
        """Parse the address; unknown values raise :class:`~dashboard.errors.RejectedError`.

        A "since" year that is not before the shown year means no comparison (the picker offers none).
        """
        code = params.municipality_code(known, nis)
        year = params.year(known, jaar)
        since = params.optional_year(known, sinds)
        return cls(nis=code, year=year, since=since if since is not None and since < year else NO_SINCE,
                   area=params.area_id(known, gebied, code))
