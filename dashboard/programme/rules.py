"""What VLAIO may write about a call and an expert of the roster (pure; Dutch messages, one per problem).

- A call opens, then closes at its deadline (strictly later), then its coaching starts (strictly later); its
  capacity (trajectories), budget in EUR and budget in expert days are positive.
- An edit may not leave a call below what it already holds: the trajectories selected, the cost and the days
  planned in their teams (:class:`Committed`). The refusal names both figures.
- An expert is a person or a firm with a name, at least one of the 17 profiles, a positive day rate and
  available days per month (at most :data:`MAX_DAYS_PER_MONTH`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dashboard.formatting import fmt_date, fmt_number

#: A person works at most this many days a month; a firm's days are capped alike per entry (one line a firm).
MAX_DAYS_PER_MONTH = 31.0
MAX_NAME = 200


@dataclass(frozen=True)
class Committed:
    """What a call already holds: selected trajectories and the days and cost planned in their teams."""

    selected: int
    days: float
    cost: float


def _eur(value: float) -> str:
    return f"€ {fmt_number(value)}"


def call_problems(name: str, opens_on: date | None, deadline: date | None, coaching_start: date | None,
                  capacity: float | None, budget_eur: float | None, budget_days: float | None) -> list[str]:
    """Return what is wrong with a call's values (empty: none)."""
    problems = []
    if not name.strip():
        problems.append("Geef de oproep een naam.")
    elif len(name.strip()) > MAX_NAME:
        problems.append(f"De naam van een oproep telt hoogstens {MAX_NAME} tekens.")
    if opens_on is None or deadline is None or coaching_start is None:
        problems.append("Vul de openingsdatum, de deadline en de start van de coaching in.")
    else:
        if deadline <= opens_on:
            problems.append(f"De deadline ({fmt_date(deadline)}) moet na de opening ({fmt_date(opens_on)}) liggen.")
        if coaching_start <= deadline:
            problems.append(f"De coaching ({fmt_date(coaching_start)}) moet na de deadline ({fmt_date(deadline)}) "
                            "starten.")
    for value, what in ((capacity, "De capaciteit (trajecten)"), (budget_eur, "Het budget in euro"),
                        (budget_days, "Het budget in expertendagen")):
        if value is None or value <= 0:
            problems.append(f"{what} moet groter dan nul zijn.")
    if capacity is not None and capacity > 0 and capacity != int(capacity):
        problems.append("De capaciteit is een geheel aantal trajecten.")
    return problems


def below_committed(capacity: int, budget_eur: float, budget_days: float, committed: Committed) -> list[str]:
    """Return why new figures would leave a call below what it already holds (empty: they do not)."""
    problems = []
    if capacity < committed.selected:
        problems.append(f"De capaciteit ({capacity}) ligt onder de {committed.selected} trajecten die al "
                        "geselecteerd zijn.")
    if budget_eur + 1e-6 < committed.cost:
        problems.append(f"Het budget ({_eur(budget_eur)}) ligt onder de {_eur(committed.cost)} die al in de teams "
                        "gepland is.")
    if budget_days + 1e-6 < committed.days:
        problems.append(f"Het budget in expertendagen ({fmt_number(budget_days, 1)}) ligt onder de "
                        f"{fmt_number(committed.days, 1)} dagen die al in de teams gepland zijn.")
    return problems


def expert_problems(name: str, kind: str | None, profiles: Sequence[str], day_rate: float | None,
                    days_per_month: float | None, kinds: Sequence[str], known_profiles: Sequence[str]) -> list[str]:
    """Return what is wrong with an expert's values (empty: none)."""
    problems = []
    if not name.strip():
        problems.append("Geef de naam van de expert of het bureau.")
    elif len(name.strip()) > MAX_NAME:
        problems.append(f"Een naam telt hoogstens {MAX_NAME} tekens.")
    if kind not in kinds:
        problems.append(f"Kies of het om een {' of een '.join(kinds)} gaat.")
    unknown = [p for p in profiles if p not in known_profiles]
    if not profiles:
        problems.append("Kies minstens één van de 17 profielen.")
    elif unknown:
        problems.append(f"Onbekend profiel: {', '.join(unknown)}.")
    if day_rate is None or day_rate <= 0:
        problems.append("Het dagtarief moet groter dan nul zijn.")
    if days_per_month is None or not 0 < days_per_month <= MAX_DAYS_PER_MONTH:
        problems.append(f"De beschikbare dagen per maand liggen tussen 0 en {fmt_number(MAX_DAYS_PER_MONTH)}.")
    return problems
