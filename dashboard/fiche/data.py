"""Assemble the DNA fiche of one shopping area from the queries (no SQL here, no Dash).

The page, the PDF route and the ``fiches`` command all call :func:`load_fiche`, so the screen and the
paper show the same figures. The peer rule of a shopping area: the areas of the same type in the peer
municipalities of :func:`dashboard.peers.peer_codes` (same size class by inhabitants); when fewer than
:data:`MIN_PEER_AREAS` such areas exist, all other areas of that type in Flanders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import SupportsFloat

import pandas as pd

from dashboard.cache import PUBLIC
from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.fiche.rules import MIN_PEERS, Finding, PeerStat, RuleInput, evaluate
from dashboard.formatting import fmt_delta, fmt_number, fmt_percent
from dashboard.labels import HEADLINE_WVO, indicator
from dashboard.peers import SIZE_CLASSES

MIN_PEER_AREAS = 5
#: Years the fiche shows the trend of each key figure over.
TREND_WINDOW = 5
def _dna(column: str, unit: str | None = None) -> tuple[str, str, str, int]:
    i = indicator(column)
    return column, i.label, unit or (i.unit if i.unit in ("%", "m²") else "aantal"), i.decimals


#: The key figures of the DNA, in order: (column, Dutch label, unit, decimals); labels from the catalogue.
DNA_ROWS: tuple[tuple[str, str, str, int], ...] = (
    _dna("outlets_total"), _dna("retail_outlets"), _dna("chain_share_count_pct"),
    ("independent_outlets", "Zelfstandige winkels", "aantal", 0),  # retail outlets that are no chain
    _dna("avg_wvo_per_store_m2"), _dna("vacancy_rate_count_all_pct"), _dna(HEADLINE_WVO),
    _dna("vacancy_structural_rate_pct"), _dna("footfall_avg_weekly_per_point"), _dna("footfall_yoy_pct", "Δ%"),
)
#: Size bands of vacant units (m² WVO): what a "wisselwinkel" or a vacancy fund needs to know.
SIZE_BANDS: tuple[tuple[float, float, str], ...] = (
    (0, 100, "< 100 m²"),
    (100, 250, "100–250 m²"),
    (250, 500, "250–500 m²"),
    (500, math.inf, "≥ 500 m²"),
)
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


class FicheNotFoundError(LookupError):
    """No such municipality, or no such shopping area in it; the message is Dutch, for the user."""


@dataclass
class Fiche:
    """Everything a DNA fiche shows about one shopping area in one year."""

    area: dict
    year: int
    years: list[int]
    info: dict[str, str]
    peer_note: str
    peer_ids: list[str]
    current: dict
    history: pd.DataFrame
    peers: dict[str, PeerStat]
    groups: pd.DataFrame
    findings: list[Finding]
    vacant_by_size: pd.DataFrame
    hours: pd.DataFrame
    days: pd.DataFrame
    outlets: pd.DataFrame
    geometry_wkb: bytes | None
    wvo_scope: str | None = None
    other_areas: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def synthetic(self) -> bool:
        """Tell whether the fiche shows the synthetic demo data."""
        return self.info.get("is_synthetic") == "true"

    def findings_of(self, kind: str) -> list[Finding]:
        """Return the findings of one kind (``sterkte``, ``aandachtspunt``, ``groeikans``)."""
        return [f for f in self.findings if f.kind == kind]


def main_area(areas: pd.DataFrame, nis: str) -> str | None:
    """Return the main shopping area of a municipality: its hoofdwinkelgebied with the most outlets.

    Without a hoofdwinkelgebied, its area with the most outlets (ties: the first ``area_id``); ``None``
    without any area. ``areas`` as :func:`dashboard.data.queries.areas`.
    """
    own = areas.loc[areas["nis_code"] == nis, ["area_id", "area_type", "outlets_latest"]]
    if own.empty:
        return None
    # A handful of rows: plain Python orders them faster than a DataFrame sort.
    ranked = min(own.itertuples(index=False), key=lambda a: (
        a.area_type != "hoofdwinkelgebied", -(-1 if pd.isna(a.outlets_latest) else a.outlets_latest), a.area_id))
    return str(ranked.area_id)


def candidate_peers(classes: pd.DataFrame, area_id: str) -> tuple[list[str], list[str], int | None]:
    """Return the other areas of ``area_id``'s type: those in other municipalities of its size class, and all.

    ``classes`` as :func:`dashboard.data.queries.area_size_classes`; the third value is the area's size class
    (``None`` when its municipality's population is unknown).
    """
    rows = [(a, n, t, None if pd.isna(c) else int(c))
            for a, n, t, c in classes[["area_id", "nis_code", "area_type", "size_class"]].itertuples(index=False)]
    _, nis, area_type, size = next(r for r in rows if r[0] == area_id)
    # A few hundred rows: a plain loop costs less than four DataFrame masks.
    same_type = [r for r in rows if r[2] == area_type and r[0] != area_id]
    if size is None:
        return [], [r[0] for r in same_type], None
    return [r[0] for r in same_type if r[1] != nis and r[3] == size], [r[0] for r in same_type], size


def choose_peers(area_type: str, same_class: list[str], every: list[str], size: int | None) -> tuple[list[str], str]:
    """Return the peer areas and a Dutch sentence that says who they are.

    ``same_class``: the other areas of ``area_type`` in the other municipalities of the area's size class
    (index ``size`` of :data:`SIZE_CLASSES`, ``None`` when unknown); ``every``: all other areas of that type.
    """
    if len(same_class) >= MIN_PEER_AREAS and size is not None:
        return same_class, (f"Peers: {len(same_class)} winkelgebieden van het type {area_type} in gemeenten met "
                            f"{SIZE_CLASSES[size][2]}.")
    if not every:
        return [], f"Geen peers: er is geen ander winkelgebied van het type {area_type}."
    return every, (f"Peers: alle {len(every)} andere winkelgebieden van het type {area_type} in "
                   f"Vlaanderen (minder dan {MIN_PEER_AREAS} in gemeenten van dezelfde grootteklasse).")


def with_derived(rows: pd.DataFrame, wvo_scope: str | None) -> pd.DataFrame:
    """Add the fiche's derived columns: independent outlets and the WVO vacancy in one scope.

    ``vacancy_rate_wvo_headline_pct`` takes the same scope for every row (``alle`` or ``detailhandel``,
    the area's own in the fiche's year), so a line or a peer comparison never mixes two scopes. The fiche
    reads the same figures from :func:`dashboard.data.queries.fiche_history`; the intake's baseline adds
    them here.
    """
    out = rows.copy()
    out["independent_outlets"] = out["retail_outlets"] - out["chain_outlets"]
    column = {"alle": "vacancy_rate_wvo_all_pct", "detailhandel": "vacancy_rate_wvo_retail_pct"}.get(wvo_scope or "")
    out["vacancy_rate_wvo_headline_pct"] = out[column] if column else float("nan")
    return out


def wvo_scope_of(row: dict | None) -> str | None:
    """Return the scope of the headline WVO vacancy of ``row`` (the mart's ``vacancy_wvo_scope``), or ``None``."""
    scope = None if row is None else row.get("vacancy_wvo_scope")
    return scope if isinstance(scope, str) else None


def busiest(profile: pd.DataFrame, n: int, names: tuple[str, ...] | None = None) -> list[str]:
    """Return the ``n`` busiest buckets of a footfall profile, busiest first (``15u`` or a weekday)."""
    top = profile.sort_values(["avg_passers", "bucket"], ascending=[False, True]).head(n)
    return [names[int(b) - 1] if names else f"{int(b)}u" for b in top["bucket"]]


def _history_dict(history: pd.DataFrame, columns: list[str]) -> dict[str, dict[int, float | None]]:
    return {c: dict(zip(history["year"].astype(int), history[c], strict=True)) for c in columns if c in history}


def load_fiche(db: Database, nis: str, area_id: str | None = None, year: int | None = None) -> Fiche:
    """Return the fiche of ``area_id`` (default: the municipality's main shopping area) in ``year``.

    Computed once per build for the area and year it resolves to (:meth:`Database.cached`): the page
    (``?gebied=`` left out or named), its PDF and the intake's 5B analysis share one fiche, and none of them
    changes it. A not-found error is not kept.

    Raises
    ------
    FicheNotFoundError
        Unknown municipality, area not in that municipality, or a municipality without shopping areas.

    """
    others, area_id, year = _resolve(db, nis, area_id, year)
    return db.cached("fiche", (nis, area_id, year), lambda: _load_fiche(db, others, area_id, year), scope=PUBLIC,
                     size=lambda f: 64 * 1024 + int(f.outlets.memory_usage(deep=True).sum()))


def municipality_areas(db: Database, nis: str) -> pd.DataFrame:
    """Return the shopping areas of municipality ``nis`` (:func:`dashboard.data.queries.areas`), not to be changed.

    Kept per build: the intake form asks for them on every change of an answer.
    """
    def compute() -> pd.DataFrame:
        areas = queries.areas(db)
        return areas[areas["nis_code"] == nis].reset_index(drop=True)

    return db.cached("municipality-areas", (nis,), compute, scope=PUBLIC,
                     size=lambda frame: int(frame.memory_usage(deep=True).sum()))


def _resolve(db: Database, nis: str, area_id: str | None, year: int | None) -> tuple[pd.DataFrame, str, int]:
    """Return the municipality's areas, the area the fiche shows and its year (the latest unless a known one)."""
    others = municipality_areas(db, nis)
    if others.empty or (area_id is not None and not (others["area_id"] == area_id).any()):
        raise FicheNotFoundError(_not_found(db, nis, area_id))
    years = queries.years(db)
    area_id = area_id if area_id is not None else str(main_area(others, nis))  # others holds an area
    return others, area_id, year if year in years else years[-1]


def _load_fiche(db: Database, others: pd.DataFrame, area_id: str, year: int) -> Fiche:
    # Every grouping and quartile is a query (dashboard.data.queries): pandas steps over the peers' rows cost
    # an uncached fiche more than its queries.
    area = others[others["area_id"] == area_id].iloc[0].to_dict()
    years = queries.years(db)
    window = [y for y in years if year - TREND_WINDOW < y <= year]
    classes = queries.area_size_classes(db, tuple(lo for lo, _, _ in SIZE_CLASSES))
    peers, peer_note = choose_peers(area["area_type"], *candidate_peers(classes, area_id))

    history = queries.fiche_history(db, area_id, window, year)
    this_year = history[history["year"] == year]
    current = this_year.iloc[0].to_dict() if not this_year.empty else {}
    scope = wvo_scope_of(current or None)
    columns = [c for c, *_ in DNA_ROWS]
    stats = {c: PeerStat(*q) for c, q in queries.fiche_peer_quartiles(db, peers, year, scope, columns).items()}
    groups = queries.fiche_branch_groups(db, area_id, peers, year)
    findings = evaluate(RuleInput(year, current, stats, _history_dict(history, columns), groups))
    profiles = queries.area_footfall_profiles(db, area_id, year)
    return Fiche(
        area=area, year=year, years=window, info=queries.build_info(db), peer_note=peer_note,
        peer_ids=peers, current=current, history=history, peers=stats, groups=groups, findings=findings,
        vacant_by_size=queries.fiche_vacant_by_size(db, area_id, year, list(SIZE_BANDS)),
        hours=profiles["uur"], days=profiles["weekdag"], outlets=queries.area_outlets(db, area_id, year),
        geometry_wkb=queries.area_geometry_wkb(db, area_id), wvo_scope=scope, other_areas=others,
    )


def _not_found(db: Database, nis: str, area_id: str | None) -> str:
    munis = queries.municipalities(db)
    name = munis.loc[munis["nis_code"] == nis, "name"]
    if name.empty:
        return f"Er is geen Vlaamse gemeente met NIS-code '{nis}'."
    if area_id is None:
        return f"{name.iloc[0]} heeft geen afgebakende winkelgebieden."
    return f"{name.iloc[0]} heeft geen winkelgebied met code '{area_id}'."


# --- Texts shared by the page and the PDF (pure, on a Fiche) ----------------------------------------------------


def fmt_cell(value: SupportsFloat | None, unit: str, decimals: int) -> str:
    """Format one key figure for the fiche: ``12,3 %``, ``+1,2 %`` (unit ``Δ%``), ``1.234`` or ``85 m²``."""
    number = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    if unit == "%":
        return fmt_percent(number, decimals)
    if unit == "Δ%":  # a change: with its sign
        return fmt_delta(number, decimals, "%")
    if unit == "aantal" or number is None:
        return fmt_number(number, decimals)
    return f"{fmt_number(number, decimals)} {unit}"


def dna_label(column: str, label: str, wvo_scope: str | None) -> str:
    """Return a DNA row's label; the WVO vacancy says when it is measured on retail floor area only."""
    if column == "vacancy_rate_wvo_headline_pct" and wvo_scope == "detailhandel":
        return f"{label} – detailhandel"
    return label


def dna_rows(fiche: Fiche) -> list[dict]:
    """Return the DNA table: per key figure its ``label``, the ``texts`` per year, the ``values`` and ``peer``.

    ``peer`` is the peers' median in the fiche's year (``–`` without enough peers).
    """
    history = fiche.history.set_index("year")
    out = []
    for column, label, unit, decimals in DNA_ROWS:
        values = [history[column].get(y) if column in history else None for y in fiche.years]
        values = [None if v is None or pd.isna(v) else float(v) for v in values]
        stat = fiche.peers.get(column)
        label = dna_label(column, label, fiche.wvo_scope)
        out.append({
            "column": column, "label": label, "values": values,
            "texts": [fmt_cell(v, unit, decimals) for v in values],
            "peer": fmt_cell(stat.median, unit, decimals) if stat is not None and stat.n >= MIN_PEERS else "–",
        })
    return out


def identity(fiche: Fiche) -> list[tuple[str, str]]:
    """Return the identity of the area as (label, value) pairs, in Dutch."""
    a = fiche.area
    return [
        ("Gemeente", f"{a['municipality']} (NIS {a['nis_code']})"),
        ("Provincie", a["province"]),
        ("Type", a["area_type"]),
        ("Kernwinkelgebied", "ja (juridisch afgebakend)" if a["is_legal_core"] else "nee"),
        ("Inventarisjaar", str(fiche.year)),
        ("Oppervlakte", f"{fmt_number((a.get('area_m2') or 0) / 10_000, 1)} ha"),
        ("Bron", fiche.info.get("source_label") or a.get("source") or "onbekend"),
    ]


def vacancy_text(fiche: Fiche) -> str:
    """Return the vacancy by duration in one sentence (counts and share of the vacant units)."""
    c = fiche.current
    vacant = int(c.get("outlets_vacant") or 0)
    if not vacant:
        return f"Geen leegstaande panden in {fiche.year}."
    parts = [f"{int(c.get(col) or 0)} {label}" for col, label in (
        ("vacant_frictional", "frictioneel (≤ 1 jaar)"), ("vacant_longterm", "langdurig (1–3 jaar)"),
        ("vacant_structural", "structureel (> 3 jaar)"))]
    return (f"{vacant} leegstaande panden in {fiche.year}: " + ", ".join(parts)
            + f"; structureel is {fmt_percent(c.get('vacancy_structural_share_vacant_pct'))} van de leegstand.")


def chain_text(fiche: Fiche) -> str:
    """Return chains versus independents ("ketens en local heroes") in one sentence, with the peer median."""
    c = fiche.current
    retail = c.get("retail_outlets")
    if not retail:
        return "Geen bezette winkels."
    stat = fiche.peers.get("chain_share_count_pct")
    peer = f" (mediaan peers {fmt_percent(stat.median)})" if stat is not None and stat.n >= MIN_PEERS else ""
    return (f"{fmt_number(c.get('chain_outlets'))} ketenwinkels en {fmt_number(c.get('independent_outlets'))} "
            f"zelfstandige winkels: ketens {fmt_percent(c.get('chain_share_count_pct'))} van de winkels{peer}, "
            f"{fmt_percent(c.get('chain_share_wvo_pct'))} van de m² detailhandel.")


def footfall_text(fiche: Fiche) -> str:
    """Return the footfall level, trend and busiest hours and days in one sentence (or why there is none)."""
    c = fiche.current
    points = c.get("counting_points")
    if not points or pd.isna(points):
        return f"Geen telpunten voor passanten in dit winkelgebied in {fiche.year}."
    hours, days = busiest(fiche.hours, 3), busiest(fiche.days, 2, WEEKDAYS)
    return (f"{fmt_number(c.get('footfall_avg_weekly_per_point'))} passanten per week per telpunt "
            f"({int(points)} telpunt{'en' if points != 1 else ''}), "
            f"{fmt_delta(c.get('footfall_yoy_pct'), 1, '%')} t.o.v. vorig jaar. Drukste uren: {', '.join(hours)}; "
            f"drukste dagen: {' en '.join(days)}.")


def growth_text(fiche: Fiche) -> str:
    """Return the vacant units inside the area and how many are structural, as one sentence."""
    total = fiche.vacant_by_size.iloc[-1]
    if not total["vacant"]:
        return "Geen leegstaande panden in het winkelgebied."
    bands = fiche.vacant_by_size.iloc[:-1]
    sizes = ", ".join(f"{int(r.vacant)} van {r.band}" for r in bands.itertuples() if r.vacant)
    return (f"{int(total['vacant'])} leegstaande panden ({fmt_number(total['wvo_m2'])} m² WVO) in het "
            f"winkelgebied, waarvan {int(total['structural'])} structureel (> 3 jaar): {sizes}.")
