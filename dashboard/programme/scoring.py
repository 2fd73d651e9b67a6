"""The scoring grid of a call (pure): declared criteria with weights, each scored 0 to 5.

Three criteria read the need the data show (the municipality's DNA figures in the latest inventory); three
are the strength of the application, scored by the VLAIO reviewer. A data criterion maps its figure linearly
onto 0-5 between two declared anchors (clipped); without the figure it scores :data:`NO_DATA_SCORE`, the middle,
so that a municipality without counting points is neither punished nor favoured. A reviewer criterion not
scored yet counts as 0 and marks the total as incomplete. The total is the weighted mean, times 20: 0-100.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: The score of a data criterion whose figure is missing: the middle of the scale.
NO_DATA_SCORE = 2.5
MAX_SCORE = 5.0


@dataclass(frozen=True)
class CriterionRule:
    """A criterion of the grid: ``source`` ``data`` (computed from ``figure``) or ``beoordelaar`` (scored).

    A data criterion scores 0 at ``at_zero`` and 5 at ``at_five`` (either may be the larger: the direction of
    need), linearly between them and clipped outside.
    """

    key: str
    label: str
    grp: str
    source: str
    weight: float
    rule: str
    figure: str | None = None
    at_zero: float = 0.0
    at_five: float = 0.0


#: The default grid of a call (a call stores its own copy, so a later change here never rescores an old call).
DEFAULT_CRITERIA: tuple[CriterionRule, ...] = (
    CriterionRule("structurele_leegstand", "Structurele leegstand", "nood", "data", 3.0,
                  "Aandeel panden langer dan een jaar leeg: 0 bij 2 % of minder, 5 bij 10 % of meer.",
                  "vacancy_structural_rate_pct", 2.0, 10.0),
    CriterionRule("passantentrend", "Passantentrend", "nood", "data", 2.0,
                  "Verandering van de passanten per week t.o.v. het jaar ervoor: 0 bij +5 % of meer, 5 bij −10 % of "
                  "minder; geen telpunt: 2,5.", "footfall_yoy_pct", 5.0, -10.0),
    CriterionRule("leegstand_vs_peers", "Leegstandstrend t.o.v. peers", "nood", "data", 2.0,
                  "Verandering van de leegstand (procentpunt, één jaar) min die van de peers (zelfde grootteklasse): "
                  "0 bij −1 pp of beter, 5 bij +2 pp of slechter.", "vacancy_gap_pp", -1.0, 2.0),
    CriterionRule("beleid", "Detailhandelsbeleid", "sterkte", "beoordelaar", 1.5,
                  "Beoordeling 0–5 van het detailhandelsbeleid in de aanvraag."),
    CriterionRule("middelen", "Middelen en capaciteit", "sterkte", "beoordelaar", 1.5,
                  "Beoordeling 0–5 van de middelen en mensen die de gemeente inzet."),
    CriterionRule("diensten", "Betrokken diensten", "sterkte", "beoordelaar", 1.0,
                  "Beoordeling 0–5 van de betrokkenheid van de diensten (economie, ruimte, mobiliteit …)."),
)
GROUP_LABELS = {"nood": "Nood volgens de data", "sterkte": "Sterkte van de aanvraag"}


def linear_score(value: float | None, at_zero: float, at_five: float) -> float | None:
    """Return ``value`` mapped linearly onto 0-5 between the anchors (clipped), ``None`` without a value.

    NaN (a figure missing in a DataFrame) is no value either: it must not clip to 0.
    """
    if value is None or math.isnan(value) or at_zero == at_five:
        return None
    score = MAX_SCORE * (value - at_zero) / (at_five - at_zero)
    return round(min(MAX_SCORE, max(0.0, score)), 2)


@dataclass(frozen=True)
class Scored:
    """An application's scores per criterion, its total (0-100) and whether a reviewer score is missing."""

    scores: dict[str, float]
    total: float
    complete: bool
    missing_data: tuple[str, ...]


def score(criteria: Iterable[CriterionRule], figures: Mapping[str, float | None],
          reviewer: Mapping[str, float | None]) -> Scored:
    """Score one application on ``criteria`` from its data ``figures`` and the ``reviewer``'s scores.

    Raises
    ------
    ValueError
        A reviewer score outside 0-5, or a grid whose weights add up to nothing.

    """
    criteria = list(criteria)
    scores: dict[str, float] = {}
    missing: list[str] = []
    complete = True
    for c in criteria:
        if c.source == "data":
            value = linear_score(figures.get(c.figure or ""), c.at_zero, c.at_five)
            if value is None:
                missing.append(c.key)
                value = NO_DATA_SCORE
        else:
            given = reviewer.get(c.key)
            if given is not None and not 0 <= given <= MAX_SCORE:
                raise ValueError(f"Score {given} voor '{c.label}' ligt niet tussen 0 en 5.")
            if given is None:
                complete = False
            value = float(given or 0.0)
        scores[c.key] = value
    weights = sum(c.weight for c in criteria)
    if weights <= 0:
        raise ValueError("De gewichten van de criteria tellen op tot nul.")
    total = 20 * sum(c.weight * scores[c.key] for c in criteria) / weights
    return Scored(scores, round(total, 1), complete, tuple(missing))
