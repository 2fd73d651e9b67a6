"""What the DNA fiche's values may be: ``/gemeente/<nis>/fiche?gebied=&jaar=`` (page and PDF alike)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import params
from dashboard.accounts.access import OUTLETS, Access
from dashboard.controls import Control
from dashboard.vocab import Known

P = "fiche-"
#: Outlet-level: the area's outlets on its map (page and PDF): only an account that reaches the municipality.
ACCESS: Access = OUTLETS
#: The fiche has no controls: everything it shows follows from its address.
CONTROLS: tuple[Control, ...] = ()


@dataclass(frozen=True)
class FicheParams:
    """The fiche's address: the municipality, the shopping area (default: its main one) and the year."""

    nis: str
    area: str | None
    year: int | None

    @classmethod
    def from_url(cls, known: Known, nis: str | None, gebied: str | None = None,
                 jaar: str | None = None) -> FicheParams:
        """Parse the address; unknown values raise :class:`~dashboard.errors.RejectedError`."""
        code = params.municipality_code(known, nis)
        return cls(nis=code, area=params.area_id(known, gebied, code), year=params.optional_year(known, jaar))
