"""The application form's analysis: zone and answers -> the 5B signals and the suggested experts (no Dash)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.data.db import Database
from dashboard.fiche.data import Fiche
from dashboard.intake.expertise import suggest
from dashboard.intake.facts import application_fiche, facts_of
from dashboard.intake.fivb import five_b
from dashboard.intake.form import collect, merge_experts
from dashboard.intake.models import B_NAMES


def zone_fiche(db: Database, nis: str, zone: list[str] | None) -> Fiche | None:
    """Return the DNA fiche of the zone, or ``None`` without data.

    The very fiche the fiche page and its PDF show: :func:`~dashboard.fiche.data.load_fiche` keeps it in the
    app's per-build cache under the area and year it resolves to, so whichever of the three comes first
    computes it for the others.
    """
    return application_fiche(db, nis, list(zone or []))


@dataclass(frozen=True)
class Analysis:
    """What the form shows beside the answers: the 5B signals, the fiche read, and the experts."""

    signals: dict[str, list]  # B name -> its signals (status, text)
    fiche: Fiche | None
    reasons: dict[str, list[str]]  # suggested expert -> why
    chosen: list[str]  # the experts ticked: all suggestions at first, afterwards the user's own choice
    suggested: list[str]


def analyse(db: Database, nis: str, zone: list[str] | None, zone_description: str | None, texts: list,
            chosen: list[str] | None, old_suggested: list[str] | None) -> Analysis:
    """Return the 5B signals and the expert suggestions of the zone's DNA fiche and the answers so far."""
    fiche = zone_fiche(db, nis, zone)
    facts = facts_of(fiche) if fiche is not None else None
    answers = collect(texts, zone, zone_description, [None] * len(B_NAMES), None, None)
    suggestions = suggest(facts, answers)
    value = merge_experts(suggestions, old_suggested, chosen if old_suggested is not None else None)
    return Analysis(five_b(facts, answers), fiche, {s.expert: s.reasons for s in suggestions}, value,
                    [s.expert for s in suggestions])
