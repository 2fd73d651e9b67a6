"""The baseline frozen at intake and the evaluation against it (issue 6, item 5).

At intake the DNA figures of the application's shopping area are frozen as a JSON snapshot
(:func:`snapshot`), together with the peer areas the fiche compared it with. At the evaluation (and a year
later) :func:`evaluate` reads the same figures in a newer inventory and compares before and after, for the
area and for the SAME peers, so that a changed peer rule or a new area in a later build cannot move the
goalposts. :func:`compare` does the comparison itself and is pure.

The snapshot (``format`` 1), as the store keeps it in ``BaselineSnapshot.values``::

    {"format": 1, "on": "2026-03-02", "year": 2025, "nis_code": "44021", "area_id": "WG4402101",
     "area_name": "Centrum Gent", "wvo_scope": "alle" | "detailhandel" | null,
     "values": {column: float | null, ...},                 # the DNA_ROWS columns
     "peer_ids": ["WG1100201", ...],
     "peers": {column: {"n": int, "p25": float, "median": float, "p75": float}, ...},
     "peer_note": "Peers: ...", "build_id": "670d2a932a96"}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pandas as pd

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.fiche.data import DNA_ROWS, dna_label, with_derived
from dashboard.fiche.rules import MIN_PEERS, PeerStat, as_number, peer_stats
from dashboard.intake.facts import application_fiche

#: Version of the snapshot's JSON shape; an evaluation years later knows what it reads.
SNAPSHOT_FORMAT = 1
#: Directions of the DNA columns the indicator catalogue does not hold (the fiche derives them). Declared here
#: and nowhere else. Independent outlets get no judgement, as the catalogue gives none to the chain share;
#: the WVO vacancy in the fiche's scope is a vacancy rate like its two catalogued scopes (lower is better).
DERIVED_DIRECTIONS: dict[str, bool | None] = {
    "independent_outlets": None,
    "vacancy_rate_wvo_headline_pct": False,
}
#: Units whose change is a difference of percentages, i.e. in percentage points.
PERCENT_UNITS = frozenset({"%", "Δ%"})
#: "als de peers" when the area's change and the peers' change differ by at most this many percentage
#: points. For a percentage, 0.5 pp is less than one unit in an area of a hundred outlets (the peers' median
#: is around 80), so a smaller gap is no difference a centre manager could act on. For a count the verdict
#: weighs growth in percent, and 2 pp is two outlets in a hundred, or the week-to-week wobble of a
#: counting point's passers. These are judgement calls, not significance tests; change them here only.
TOLERANCE_PP = 0.5
TOLERANCE_GROWTH_PP = 2.0

BETTER = "beter dan de peers"
WORSE = "slechter dan de peers"
SAME = "als de peers"
NO_DATA = "geen gegevens"
TOO_FEW_PEERS = "te weinig peers"
#: Indicators without a direction (more outlets is not better in itself): the verdict only says which way.
ROSE = "gestegen t.o.v. de peers"
FELL = "gedaald t.o.v. de peers"
NO_NEWER = "nog geen nieuwere inventaris dan de basislijn"


def baseline_year(years: Sequence[int], on: date) -> int:
    """Return the inventory year a baseline uses when the intake takes effect on ``on``.

    The latest year up to ``on.year``: the newest picture of the area known at intake, never one taken
    after it. When the intake predates every inventory, the earliest year: it is the nearest picture of the
    situation before the coaching, and the evaluation still compares it with a later one.

    Raises
    ------
    ValueError
        No inventory years at all.

    """
    if not years:
        raise ValueError("Er zijn geen inventarisjaren: een basislijn kan niet vastgelegd worden.")
    earlier = [y for y in years if y <= on.year]
    return max(earlier) if earlier else min(years)


def peer_json(stats: Mapping[str, PeerStat]) -> dict[str, dict[str, float | int]]:
    """Return the peers' quartiles as JSON: ``{column: {"n", "p25", "median", "p75"}}``."""
    return {c: {"n": int(s.n), "p25": float(s.p25), "median": float(s.median), "p75": float(s.p75)}
            for c, s in stats.items()}


def dna_values(row: Mapping[str, Any]) -> dict[str, float | None]:
    """Return the DNA columns of a fiche row as plain floats, ``None`` for missing or NaN (JSON-able)."""
    # as_number turns NaN, pandas' NA and numpy scalars into None or a plain float: the snapshot stays JSON.
    return {c: as_number(row.get(c)) for c, *_ in DNA_ROWS}


def snapshot(db: Database, nis: str, zone: list[str] | None, on: date, year: int | None = None
             ) -> dict[str, Any] | None:
    """Return the JSON-able baseline of an application whose intake takes effect on ``on``.

    The DNA fiche the intake reads (:func:`~dashboard.intake.facts.application_fiche`) in the year of
    :func:`baseline_year` (or the inventory ``year`` given, e.g. that of the call the application answered):
    its DNA values, its peer areas and their quartiles, the WVO scope and the build.
    The shape is in the module's docstring. ``None`` for a municipality without shopping areas.
    """
    year = baseline_year(queries.years(db), on) if year is None else year
    fiche = application_fiche(db, nis, zone, year)
    if fiche is None:
        return None
    columns = {c for c, *_ in DNA_ROWS}
    return {
        "format": SNAPSHOT_FORMAT,
        "on": on.isoformat(),
        "year": int(fiche.year),
        "nis_code": nis,
        "area_id": str(fiche.area["area_id"]),
        "area_name": str(fiche.area["name"]),
        "wvo_scope": fiche.wvo_scope,
        "values": dna_values(fiche.current),
        "peer_ids": list(fiche.peer_ids),
        "peers": peer_json({c: s for c, s in fiche.peers.items() if c in columns}),
        "peer_note": fiche.peer_note,
        "build_id": fiche.info.get("build_id", "onbekend"),
    }


@dataclass(frozen=True)
class EvaluationRow:
    """One DNA figure before and after, for the area and for its frozen peers.

    ``change`` is ``after - before`` (in percentage points for a percentage: see ``change_label``);
    ``peer_before`` is the peers' median in the snapshot, ``peer_after`` the median over the same peer ids
    now. ``gap`` is what the verdict weighs, in percentage points: for a percentage the area's change minus
    the peers' change, for a count its growth in percent minus the peers' growth. ``good`` is ``True`` /
    ``False`` for a verdict better / worse than the peers, else ``None``.
    """

    column: str
    label: str
    unit: str
    decimals: int
    change_label: str
    higher_is_better: bool | None
    before: float | None
    after: float | None
    change: float | None
    peer_before: float | None
    peer_after: float | None
    peer_change: float | None
    peer_n_before: int
    peer_n_after: int
    gap: float | None
    verdict: str
    good: bool | None


@dataclass(frozen=True)
class Evaluation:
    """The comparison of a baseline with a later inventory (see :func:`compare`)."""

    before_year: int
    after_year: int
    rows: list[EvaluationRow]
    peer_note: str
    area_id: str = ""
    area_name: str = ""
    baseline_build_id: str = ""
    build_id: str = ""
    note: str | None = None  # NO_NEWER when there is no inventory after the baseline's yet
    peer_ids: list[str] = field(default_factory=list)

    @property
    def same_year(self) -> bool:
        """Tell whether the evaluation reads the baseline's own inventory year (nothing to compare yet)."""
        return self.after_year == self.before_year


def directions(catalogue: pd.DataFrame) -> dict[str, bool | None]:
    """Return ``higher_is_better`` of each DNA column: the catalogue's (``column``), else the declared one.

    Raises
    ------
    KeyError
        A DNA column neither catalogued nor in :data:`DERIVED_DIRECTIONS`.

    """
    known = {str(c): (None if pd.isna(b) else bool(b))
             for c, b in zip(catalogue["column"], catalogue["higher_is_better"], strict=True)}
    known.update(DERIVED_DIRECTIONS)
    return {c: known[c] for c, *_ in DNA_ROWS}


def _median(peers: Mapping[str, Any], column: str) -> tuple[float | None, int]:
    stat = peers.get(column) or {}
    n = int(stat.get("n") or 0)
    return (as_number(stat.get("median")) if n >= MIN_PEERS else None), n


def _growth(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None or before == 0 else 100 * (after / before - 1)


def _verdict(gap: float, higher_is_better: bool | None, tolerance: float) -> tuple[str, bool | None]:
    # Rounded so that 10.5 - 10.0 against 9.5 - 9.0 is exactly on the tolerance, not a float's hair beyond.
    gap = round(gap, 9)
    if abs(gap) <= tolerance:
        return SAME, None
    if higher_is_better is None:
        return (ROSE if gap > 0 else FELL), None
    good = (gap > 0) == higher_is_better
    return (BETTER if good else WORSE), good


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def compare(snap: Mapping[str, Any], after_year: int, after: Mapping[str, Any],
            after_peers: Mapping[str, Mapping[str, Any]], higher_is_better: Mapping[str, bool | None]
            ) -> Evaluation:
    """Compare a baseline snapshot with the figures of ``after_year`` (pure).

    Parameters
    ----------
    snap
        A snapshot of :func:`snapshot` (its ``values``, ``peers``, ``year``, ``peer_note``, ...).
    after_year
        The inventory year of ``after``.
    after
        The area's DNA values in ``after_year`` (column -> number; missing or NaN is no data).
    after_peers
        The quartiles of the snapshot's peer ids in ``after_year``, shaped as :func:`peer_json`.
    higher_is_better
        Direction per DNA column (:func:`directions`); ``None`` gives a verdict without judgement.

    Returns
    -------
    Evaluation
        One row per DNA figure. The verdict weighs the area's change against the peers' change (the
        difference of the two; for a count the difference of their growth in percent, as areas of other
        sizes are compared): within :data:`TOLERANCE_PP` / :data:`TOLERANCE_GROWTH_PP` it is
        :data:`SAME`; otherwise :data:`BETTER` or :data:`WORSE` by the direction, or :data:`ROSE` /
        :data:`FELL` for a figure without one. :data:`NO_DATA` when a value or a peer median is missing
        (and for every row while ``after_year`` is the baseline's year); :data:`TOO_FEW_PEERS` when fewer
        than :data:`~dashboard.fiche.rules.MIN_PEERS` peers have the figure before or after.

    """
    before_year = int(snap["year"])
    same_year = after_year == before_year
    rows = []
    for column, label, unit, decimals in DNA_ROWS:
        label = dna_label(column, label, snap.get("wvo_scope"))
        percent = unit in PERCENT_UNITS
        before, now = as_number(snap["values"].get(column)), as_number(after.get(column))
        peer_before, n_before = _median(snap.get("peers", {}), column)
        peer_after, n_after = _median(after_peers, column)
        change, peer_change = _difference(before, now), _difference(peer_before, peer_after)
        gap = None
        if change is not None and peer_change is not None:
            if percent:
                gap = change - peer_change
            else:
                growth, peer_growth = _growth(before, now), _growth(peer_before, peer_after)
                gap = None if growth is None or peer_growth is None else growth - peer_growth
        direction = higher_is_better.get(column)
        if same_year or before is None or now is None:
            verdict, good = NO_DATA, None
        elif n_before < MIN_PEERS or n_after < MIN_PEERS:
            verdict, good = TOO_FEW_PEERS, None
        elif gap is None:
            verdict, good = NO_DATA, None
        else:
            verdict, good = _verdict(gap, direction, TOLERANCE_PP if percent else TOLERANCE_GROWTH_PP)
        rows.append(EvaluationRow(
            column=column, label=label, unit=unit, decimals=decimals,
            change_label="Verandering (procentpunt)" if percent else "Verandering",
            higher_is_better=direction, before=before, after=now, change=change, peer_before=peer_before,
            peer_after=peer_after, peer_change=peer_change, peer_n_before=n_before, peer_n_after=n_after,
            gap=gap, verdict=verdict, good=good,
        ))
    return Evaluation(before_year=before_year, after_year=after_year, rows=rows,
                      peer_note=str(snap.get("peer_note", "")), area_id=str(snap.get("area_id", "")),
                      area_name=str(snap.get("area_name", "")),
                      baseline_build_id=str(snap.get("build_id", "")), note=NO_NEWER if same_year else None,
                      peer_ids=list(snap.get("peer_ids", [])))


def evaluate(db: Database, snap: Mapping[str, Any], year: int | None = None) -> Evaluation:
    """Compare a baseline snapshot with the inventory of ``year`` (default: the latest) in ``db``.

    The area and the snapshot's own peer ids are read in ``year`` through
    :func:`~dashboard.data.queries.area_history`, with the fiche's derived columns in the snapshot's WVO
    scope: before and after measure the WVO vacancy alike, even when the area's widest scope changed since.

    Raises
    ------
    ValueError
        ``year`` is no inventory year of ``db``, or lies before the baseline's year.

    """
    years = queries.years(db)
    after_year = years[-1] if year is None else year
    if after_year not in years:
        raise ValueError(f"Geen inventaris voor {after_year}; beschikbaar: {', '.join(map(str, years))}.")
    if after_year < int(snap["year"]):
        raise ValueError(f"{after_year} ligt vóór het jaar van de basislijn ({snap['year']}).")
    area, peer_ids = str(snap["area_id"]), [str(p) for p in snap.get("peer_ids", [])]
    rows = with_derived(queries.area_history(db, [area, *peer_ids], [after_year]), snap.get("wvo_scope"))
    own = rows[rows["area_code"] == area]
    values = dna_values(own.iloc[0].to_dict()) if not own.empty else {}
    peers = peer_json(peer_stats(rows, peer_ids, [c for c, *_ in DNA_ROWS]))
    result = compare(snap, after_year, values, peers, directions(queries.indicator_catalogue(db)))
    return replace(result, build_id=queries.build_info(db).get("build_id", "onbekend"))
