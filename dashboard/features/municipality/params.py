"""What the municipality page's values may be: ``/gemeente/<nis>?jaar=&peers=`` and its controls."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import params
from dashboard.accounts.access import INDICATORS, Access
from dashboard.controls import INDICATOR, MUNICIPALITY, YEAR, Choice, Control, Subset
from dashboard.peers import MODES
from dashboard.vocab import Known

P = "gem-"
#: Aggregated indicators: public with SMART_RETAIL_PUBLIC_INDICATORS=1, else any account.
ACCESS: Access = INDICATORS
CONTROLS: tuple[Control, ...] = (
    Control(P + "nis", "data", MUNICIPALITY),
    Control(P + "year", "value", YEAR),
    Control(P + "peer-mode", "value", Choice(tuple(MODES))),
    Control(P + "peer-pick", "value", Subset("municipalities", params.MAX_PEERS, "Onbekende gemeente in de selectie.")),
    Control(P + "indicator", "value", INDICATOR),
)


@dataclass(frozen=True)
class MunicipalityParams:
    """The municipality page's address: the municipality, the year and the peer group."""

    nis: str
    year: int
    peer_mode: str
    picked: tuple[str, ...]

    @classmethod
    def from_url(cls, known: Known, nis: str | None, jaar: str | None = None,
                 peers: str | None = None) -> MunicipalityParams:
        """Parse the address; unknown values raise :class:`~dashboard.errors.RejectedError`."""
        mode, picked = params.peers(known, peers)
        return cls(nis=params.municipality_code(known, nis), year=params.year(known, jaar), peer_mode=mode,
                   picked=picked)
