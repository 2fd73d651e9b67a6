"""What the intake reads from a DNA fiche and from an application (pure).

The 5B fiche and the expert suggestions look at the same facts the DNA fiche shows: the area's indicators,
the peers' quartiles, the findings of :mod:`dashboard.fiche.rules`, the branch groups and the hour profile.
:func:`facts_of` takes them from a loaded :class:`~dashboard.fiche.data.Fiche`; :func:`facts_from_rules`
runs the fiche's rules on a :class:`~dashboard.fiche.rules.RuleInput` (what tests and the baseline use).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.data.db import Database
from dashboard.fiche.data import Fiche, FicheNotFoundError, load_fiche, main_area, municipality_areas
from dashboard.fiche.rules import Finding, PeerStat, RuleInput, as_number, evaluate


@dataclass
class FicheFacts:
    """The fiche facts of one shopping area in one year."""

    year: int
    values: dict[str, Any]
    peers: dict[str, PeerStat]
    findings: list[Finding]
    groups: pd.DataFrame | None = None
    hours: pd.DataFrame | None = None  # footfall by hour: bucket, avg_passers
    area: dict[str, Any] = field(default_factory=dict)  # the area's identity (is_legal_core, ...)

    def fired(self, rule_ids: tuple[str, ...]) -> list[Finding]:
        """Return the findings of the given fiche rules, in the order of the fiche."""
        return [f for f in self.findings if f.rule_id in rule_ids]

    def value(self, column: str) -> float | None:
        """Return the area's value of ``column`` as a float, ``None`` when missing."""
        # Read as the fiche's rules read a figure (None for missing, NaN or text), so both agree on "no data".
        return as_number(self.values.get(column))


def facts_of(fiche: Fiche) -> FicheFacts:
    """Return the facts of a loaded DNA fiche (the same findings and peers the fiche shows)."""
    return FicheFacts(fiche.year, dict(fiche.current), dict(fiche.peers), list(fiche.findings), fiche.groups,
                      fiche.hours, dict(fiche.area))


def facts_from_rules(data: RuleInput, hours: pd.DataFrame | None = None,
                     area: Mapping[str, Any] | None = None) -> FicheFacts:
    """Run the DNA fiche's rules on ``data`` and return the facts (for figures not loaded through a fiche)."""
    return FicheFacts(data.year, dict(data.values), dict(data.peers), evaluate(data), data.groups, hours,
                      dict(area or {}))


def answer(application: Mapping[str, Any] | object | None, name: str) -> str:
    """Return an application's answer ``name`` as stripped text ('' when empty); a mapping or a model."""
    if application is None:
        return ""
    value = application.get(name) if isinstance(application, Mapping) else getattr(application, name, None)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value).strip() if value is not None else ""


def fiche_area(areas: pd.DataFrame, nis: str, zone: list[str] | None) -> str | None:
    """Return the shopping area whose DNA fiche an application's intake reads.

    The municipality's main area when the zone holds it (or names no area of the municipality), else the
    zone's area with the most outlets; ``None`` for a municipality without shopping areas.
    """
    main = main_area(areas, nis)
    own = areas[(areas["nis_code"] == nis) & areas["area_id"].isin(zone or [])]
    if own.empty or main in set(own["area_id"]):
        return main
    ranked = own.assign(n=own["outlets_latest"].fillna(-1)).sort_values(["n", "area_id"], ascending=[False, True])
    return str(ranked["area_id"].iloc[0])


def application_fiche(db: Database, nis: str, zone: list[str] | None, year: int | None = None) -> Fiche | None:
    """Return the DNA fiche an application's intake reads (see :func:`fiche_area`); ``None`` without areas."""
    area = fiche_area(municipality_areas(db, nis), nis, zone)
    if area is None:
        return None
    try:
        return load_fiche(db, nis, area, year)
    except FicheNotFoundError:
        return None
