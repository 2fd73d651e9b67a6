"""What the province page's values may be: ``/provincie/<code>?jaar=`` and its controls."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import params
from dashboard.accounts.access import INDICATORS, Access
from dashboard.components.indicator_map import DEFAULT_INDICATOR, map_controls
from dashboard.controls import INDICATOR_COLUMN, MUNICIPALITY, PROVINCE, YEAR, Control
from dashboard.vocab import Known

P = "prov-"
#: Aggregated indicators: public with SMART_RETAIL_PUBLIC_INDICATORS=1, else any account.
ACCESS: Access = INDICATORS
CONTROLS: tuple[Control, ...] = (
    Control(P + "code", "data", PROVINCE),
    Control(P + "year", "value", YEAR),
    Control(P + "base-year", "value", YEAR),
    Control(P + "indicator", "value", INDICATOR_COLUMN),
    Control(P + "scatter-x", "value", INDICATOR_COLUMN),
    Control(P + "highlight", "value", MUNICIPALITY),
    *map_controls(P, indicator=False),  # one indicator for ranking, scatter and map: P + "indicator"
)


@dataclass(frozen=True)
class ProvinceParams:
    """The province page's address: the province, the inventory year and the indicator of ranking and map."""

    code: str
    year: int
    indicator: str = DEFAULT_INDICATOR

    @classmethod
    def from_url(cls, known: Known, code: str | None, jaar: str | None = None,
                 indicator: str | None = None) -> ProvinceParams:
        """Parse the address; an unknown province, year or indicator raises :class:`~dashboard.errors.RejectedError`."""
        return cls(code=params.province_code(known, code), year=params.year(known, jaar),
                   indicator=params.indicator_column(known, indicator, DEFAULT_INDICATOR))
