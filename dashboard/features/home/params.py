"""What the home page's values may be: the inventory year (``?jaar=``) and its controls."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import params
from dashboard.accounts.access import INDICATORS, Access
from dashboard.components.indicator_map import map_controls
from dashboard.controls import YEAR, Control
from dashboard.vocab import Known

P = "home-"
#: Aggregated indicators: public with SMART_RETAIL_PUBLIC_INDICATORS=1, else any account.
ACCESS: Access = INDICATORS
CONTROLS: tuple[Control, ...] = (Control(P + "year", "value", YEAR), *map_controls(P))


@dataclass(frozen=True)
class HomeParams:
    """The home page's choices: the inventory year."""

    year: int

    @classmethod
    def from_url(cls, known: Known, jaar: str | None = None) -> HomeParams:
        """Parse the query; an unknown year raises :class:`~dashboard.errors.RejectedError`."""
        return cls(year=params.year(known, jaar))
