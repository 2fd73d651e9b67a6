"""Team cost, budget and over-booking rules (pure).

- A team member costs planned days x the day rate agreed; a trajectory costs the sum of its members.
- A call is over budget when its trajectories' planned cost exceeds its budget in EUR, or their planned days
  its budget in expert days.
- An expert is over-booked in a call when the days planned for them over the call's trajectories exceed their
  available days per month times :data:`COACHING_MONTHS`, the months a call's coaching runs.
- Before a team is composed, the selection estimates a trajectory at :data:`DEFAULT_DAYS` days per suggested
  profile (at least :data:`MIN_PROFILES`) at the roster's median day rate.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Months a call's coaching runs (from its coaching start).
COACHING_MONTHS = 6
#: Days per expert profile a trajectory is estimated at before its team is composed.
DEFAULT_DAYS = 3.0
#: A trajectory is estimated with at least this many profiles.
MIN_PROFILES = 2


@dataclass(frozen=True)
class Line:
    """One team member as the budget reads it."""

    application_id: int
    expert_id: int
    planned_days: float
    day_rate: float

    @property
    def cost(self) -> float:
        """Return the cost of this line (EUR)."""
        return self.planned_days * self.day_rate


@dataclass(frozen=True)
class Totals:
    """A call's planned days and cost against its budget, and the flags."""

    days: float
    cost: float
    budget_days: float
    budget_eur: float

    @property
    def over_eur(self) -> bool:
        """Tell whether the planned cost exceeds the budget in EUR."""
        return self.cost > self.budget_eur + 1e-6

    @property
    def over_days(self) -> bool:
        """Tell whether the planned days exceed the budget in expert days."""
        return self.days > self.budget_days + 1e-6


def totals(lines: Iterable[Line], budget_eur: float, budget_days: float) -> Totals:
    """Return the planned days and cost of ``lines`` against the budget."""
    lines = list(lines)
    return Totals(sum(x.planned_days for x in lines), sum(x.cost for x in lines), budget_days, budget_eur)


def overbooked(lines: Iterable[Line], available: dict[int, float], months: int = COACHING_MONTHS
               ) -> dict[int, tuple[float, float]]:
    """Return the over-booked experts: expert id -> (days planned, days available) where planned > available.

    ``available`` holds each expert's days per month.
    """
    planned: dict[int, float] = defaultdict(float)
    for x in lines:
        planned[x.expert_id] += x.planned_days
    return {e: (d, available.get(e, 0.0) * months) for e, d in sorted(planned.items())
            if d > available.get(e, 0.0) * months + 1e-6}


def estimate(profiles: int, rates: Sequence[float]) -> float:
    """Return the estimated cost of a trajectory with ``profiles`` suggested profiles (see the module's rule)."""
    rate = statistics.median(rates) if rates else 0.0
    return max(profiles, MIN_PROFILES) * DEFAULT_DAYS * rate
