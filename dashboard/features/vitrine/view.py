"""De Vitrine's cards and "gemeenten zoals de uwe" (no Dash): store + database -> what the pages show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.data.db import Database
from dashboard.programme.figures import profiles
from dashboard.programme.similarity import Similar, most_similar
from dashboard.programme.store import Programme


def cards(db: Database, p: Programme) -> list[dict[str, Any]]:
    """Return every published card: the evaluation's summary with the municipality's size class and area type."""
    munis = profiles(db).set_index("nis_code")
    out = []
    for e, app in p.published():
        muni = munis.loc[app.nis_code] if app.nis_code in munis.index else None
        out.append({
            "application_id": app.id, "nis_code": app.nis_code,
            "name": str(muni["name"]) if muni is not None else app.nis_code,
            "province": str(muni["province"]) if muni is not None else "",
            "size_label": str(muni["size_label"]) if muni is not None else "onbekend",
            "area_type": (muni["area_type"] if muni is not None else None) or "onbekend",
            "challenge": e.challenge_tag, "concepts": list(e.concepts or []), "title": e.title, "summary": e.summary,
            "worked": e.worked, "worked_less": e.worked_less, "figures": e.figures or {},
            "synthetic": e.synthetic, "approved_at": e.approved_at,
        })
    return out


@dataclass(frozen=True)
class Paged:
    """One page of the cards found: the cards, its number, how many pages and cards, and the card to scroll to."""

    cards: list[dict[str, Any]]
    page: int
    pages: int
    total: int
    focus: int | None


def paged(found: list[dict[str, Any]], page: int, per_page: int, card: int | None = None) -> Paged:
    """Return page ``page`` of ``found`` (clamped to the last), or the page holding ``card`` when it is there (pure)."""
    pages = max(1, -(-len(found) // per_page))
    ids = [c["application_id"] for c in found]
    focus = card if card in ids else None
    number = ids.index(card) // per_page + 1 if focus is not None else min(max(page, 1), pages)
    return Paged(found[(number - 1) * per_page:number * per_page], number, pages, len(found), focus)


@dataclass(frozen=True)
class Peer:
    """A similar municipality with a published trajectory: its distance and its card(s)."""

    similar: Similar
    cards: list[dict[str, Any]]


def like_yours(db: Database, p: Programme, nis: str, k: int = 3) -> list[Peer]:
    """Return the ``k`` municipalities most like ``nis`` that have a completed, published trajectory."""
    published = cards(db, p)
    by_nis: dict[str, list[dict[str, Any]]] = {}
    for card in published:
        by_nis.setdefault(card["nis_code"], []).append(card)
    ranked = most_similar(profiles(db), nis, among=set(by_nis), k=k)
    return [Peer(s, by_nis[s.nis_code]) for s in ranked]
