"""The selection that keeps variety (pure): a greedy pass over the scores under spread constraints.

The rule, as the call page states it:

1. Every candidate whose score is below ``min_score`` is not selected.
2. Coverage first: per province, its best candidate is taken (provinces in the order of that candidate's
   score), so every province that applied is in the selection, as long as capacity and budget allow.
3. Then the rest in order of score (ties: the lower application number first), each taken unless the
   selection is full, its province already holds ``max_province_share`` of the capacity (rounded up), its size
   class already holds ``max_size_share`` of it, or its estimated cost exceeds the budget left.
4. Of those not taken, the best ``reserve`` (above ``min_score``) form the reserve list, in order of score.

Greedy is enough here: the constraints are caps, not exact quotas, and the reviewer overrides any line.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

SELECTED, RESERVE, NOT_SELECTED = "geselecteerd", "reservelijst", "niet geselecteerd"


@dataclass(frozen=True)
class Candidate:
    """An application of the call as the selection sees it."""

    application_id: int
    score: float
    province: str
    size_class: str
    cost: float  # the estimated cost of its trajectory (EUR)


@dataclass(frozen=True)
class Rules:
    """The spread constraints of a selection."""

    capacity: int
    budget: float
    max_province_share: float = 0.3
    max_size_share: float = 0.4
    min_score: float = 30.0
    reserve: int = 10

    def cap(self, share: float) -> int:
        """Return how many of the capacity one province or size class may hold at most."""
        return max(1, math.ceil(share * self.capacity))


@dataclass(frozen=True)
class Suggestion:
    """A suggested decision for one candidate, with its reason in Dutch."""

    application_id: int
    decision: str
    reason: str


def _order(candidates: Sequence[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (-c.score, c.application_id))


class _Tally:
    """The selection being built: who is in, per province and size class, and what it costs."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.chosen: dict[int, str] = {}
        self.provinces: Counter[str] = Counter()
        self.sizes: Counter[str] = Counter()
        self.spent = 0.0

    def blocks(self, c: Candidate) -> str | None:
        """Return why ``c`` cannot be taken now, or ``None``."""
        r = self.rules
        province_cap, size_cap = r.cap(r.max_province_share), r.cap(r.max_size_share)
        if len(self.chosen) >= r.capacity:
            return f"capaciteit bereikt ({r.capacity} trajecten)"
        if self.spent + c.cost > r.budget + 1e-6:
            return "budget van de oproep op"
        if self.provinces[c.province] >= province_cap:
            return f"{c.province} heeft al {province_cap} trajecten (plafond {r.max_province_share:.0%})"
        if self.sizes[c.size_class] >= size_cap:
            return f"grootteklasse {c.size_class} heeft al {size_cap} trajecten (plafond {r.max_size_share:.0%})"
        return None

    def take(self, c: Candidate, why: str) -> None:
        """Put ``c`` in the selection."""
        self.chosen[c.application_id] = why
        self.provinces[c.province] += 1
        self.sizes[c.size_class] += 1
        self.spent += c.cost


def suggest(candidates: Sequence[Candidate], rules: Rules) -> list[Suggestion]:
    """Return a decision with a reason for every candidate, in order of score (see the module's rule)."""
    ordered = _order(candidates)
    tally = _Tally(rules)
    eligible = [c for c in ordered if c.score >= rules.min_score]
    best_of: dict[str, Candidate] = {}
    for c in eligible:
        best_of.setdefault(c.province, c)
    for c in best_of.values():  # already in order of score
        if tally.blocks(c) is None:
            tally.take(c, f"beste score van {c.province} (spreiding over de provincies)")
    blocked: dict[int, str] = {}
    for c in eligible:
        if c.application_id in tally.chosen:
            continue
        why = tally.blocks(c)
        if why is None:
            tally.take(c, f"score {c.score:.1f} binnen capaciteit, budget en spreiding")
        else:
            blocked[c.application_id] = why
    out, reserves = [], 0
    for c in ordered:
        if c.application_id in tally.chosen:
            out.append(Suggestion(c.application_id, SELECTED, tally.chosen[c.application_id]))
        elif c.score < rules.min_score:
            out.append(Suggestion(c.application_id, NOT_SELECTED,
                                  f"score {c.score:.1f} onder de drempel {rules.min_score:.0f}"))
        elif reserves < rules.reserve:
            reserves += 1
            out.append(Suggestion(c.application_id, RESERVE, f"reserve {reserves}: {blocked[c.application_id]}"))
        else:
            out.append(Suggestion(c.application_id, NOT_SELECTED, blocked[c.application_id]))
    return out


@dataclass(frozen=True)
class Spread:
    """What a selection covers: counts per dimension, and the capacity and budget left."""

    by: dict[str, dict[str, int]]  # dimension -> value -> count
    selected: int
    capacity_left: int
    cost: float
    budget_left: float


def spread(selected: Sequence[dict[str, object]], capacity: int, budget: float,
           dimensions: Sequence[str] = ("province", "size_class", "area_type", "challenge")) -> Spread:
    """Return the counts of ``selected`` (dicts with the ``dimensions`` and ``cost``) and what is left."""
    by = {d: dict(sorted(Counter(str(s.get(d) or "onbekend") for s in selected).items())) for d in dimensions}
    cost = sum((float(str(s.get("cost") or 0)) for s in selected), 0.0)
    return Spread(by, len(selected), capacity - len(selected), cost, budget - cost)
