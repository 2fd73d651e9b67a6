"""De Vitrine's vocabulary and cards (pure): challenges, the 12 concepts, and the before/after figures of a card.

The challenge of an application is read from its text with declared keywords (:data:`CHALLENGES`, first match
wins, else ``andere``), so the variety view and the Vitrine's filter name the same few challenges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dashboard.intake.baseline import Evaluation as BaselineEvaluation

#: The 12 ideas of the Re-think Winkelstraat track: the concept tags of a Vitrine card.
CONCEPTS: tuple[str, ...] = (
    "het levende-buurten-bezoek", "kwartiermakers", "de datadoos", "sterke merken", "retailsafari's",
    "het leegstandsfonds", "de wisselwinkel", "Togetherware", "de Profploeg", "beleefroutes", "De Vitrine",
    "sociale headhunters",
)
#: Challenge -> the words (at a word start) in the application's challenge that name it; checked in this order.
CHALLENGES: dict[str, str] = {
    "leegstand": r"leegstand|leegstaande|lege panden|leeg pand",
    "beleving": r"beleving|sfeer|aantrekkelijk|evenement",
    "bereikbaarheid": r"bereikba|parke|mobiliteit|fiets",
    "ondernemers": r"ondernemer|starter|handelaar|winkelier",
    "publieke ruimte": r"publieke ruimte|openbare ruimte|plein|heraanleg",
    "samenwerking": r"samenwerk|vereniging|draagvlak|participatie",
}
OTHER = "andere"
#: The DNA figures a card shows, in order.
CARD_FIGURES: tuple[str, ...] = ("vacancy_rate_count_all_pct", "vacancy_structural_rate_pct", "retail_outlets",
                                 "footfall_avg_weekly_per_point")


def challenge_of(text: str | None) -> str:
    """Return the challenge an application's text names (see :data:`CHALLENGES`), else :data:`OTHER`."""
    for name, pattern in CHALLENGES.items():
        if re.search(rf"\b(?:{pattern})", text or "", re.IGNORECASE):
            return name
    return OTHER


def card_figures(evaluation: BaselineEvaluation, columns: Sequence[str] = CARD_FIGURES) -> dict[str, Any]:
    """Return the before/after figures a card keeps (JSON): area and frozen peers, with the verdict."""
    rows = [{"column": r.column, "label": r.label, "unit": r.unit, "decimals": r.decimals, "before": r.before,
             "after": r.after, "peer_before": r.peer_before, "peer_after": r.peer_after, "verdict": r.verdict,
             "good": r.good} for r in evaluation.rows if r.column in columns]
    return {"before_year": evaluation.before_year, "after_year": evaluation.after_year, "area": evaluation.area_name,
            "peer_note": evaluation.peer_note, "rows": rows}


def matches(card: Mapping[str, Any], challenge: str | None = None, size: str | None = None,
            area_type: str | None = None, concepts: Iterable[str] = (), text: str = "") -> bool:
    """Tell whether a card (``challenge``, ``size_label``, ``area_type``, ``concepts``, ``name``, …) fits a search.

    Every given filter must hold; several concepts: the card has all of them; ``text`` is searched in the
    municipality's name, the title and the summary.
    """
    if challenge and card.get("challenge") != challenge:
        return False
    if size and card.get("size_label") != size:
        return False
    if area_type and card.get("area_type") != area_type:
        return False
    if not set(concepts) <= set(card.get("concepts") or []):
        return False
    needle = text.strip().lower()
    haystack = " ".join(str(card.get(k) or "") for k in ("name", "title", "summary")).lower()
    return not needle or needle in haystack
