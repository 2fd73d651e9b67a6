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

import numpy as np
import pandas as pd

from dashboard.cache import PUBLIC
from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.fiche.rules import MIN_PEERS, Finding, PeerStat, RuleInput, evaluate, peer_stats
from dashboard.formatting import fmt_delta, fmt_number, fmt_percent
from dashboard.labels import HEADLINE_WVO, indicator
from dashboard.peers import SIZE_CLASSES, peer_codes, size_class

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

    Without a hoofdwinkelgebied, its area with the most outlets; ``None`` without any area.
    """
    own = areas[areas["nis_code"] == nis]
    if own.empty:
        return None
    ranked = own.assign(is_main=own["area_type"] == "hoofdwinkelgebied",
                        n=own["outlets_latest"].fillna(-1))
    ranked = ranked.sort_values(["is_main", "n", "area_id"], ascending=[False, False, True])
    return str(ranked["area_id"].iloc[0])


def peer_areas(areas: pd.DataFrame, munis: pd.DataFrame, area_id: str) -> tuple[list[str], str]:
    """Return the peer areas of ``area_id`` and a Dutch sentence that says who they are."""
    area = areas.set_index("area_id").loc[area_id]
    # size_class reads NaN as unknown; a nullable column brings pd.NA, which it cannot compare.
    munis = munis.assign(population=pd.to_numeric(munis["population"], errors="coerce").astype("float64"))
    same_type = areas[(areas["area_type"] == area["area_type"]) & (areas["area_id"] != area_id)]
    codes = peer_codes(munis, area["nis_code"], "grootte")
    peers = sorted(same_type.loc[same_type["nis_code"].isin(codes), "area_id"])
    population = munis.loc[munis["nis_code"] == area["nis_code"], "population"]
    cls = size_class(population.iloc[0]) if not population.empty else None
    if len(peers) >= MIN_PEER_AREAS and cls is not None:
        return peers, (f"Peers: {len(peers)} winkelgebieden van het type {area['area_type']} in gemeenten met "
                       f"{SIZE_CLASSES[cls][2]}.")
    peers = sorted(same_type["area_id"])
    if not peers:
        return [], f"Geen peers: er is geen ander winkelgebied van het type {area['area_type']}."
    return peers, (f"Peers: alle {len(peers)} andere winkelgebieden van het type {area['area_type']} in "
                   f"Vlaanderen (minder dan {MIN_PEER_AREAS} in gemeenten van dezelfde grootteklasse).")


def with_derived(rows: pd.DataFrame, wvo_scope: str | None) -> pd.DataFrame:
    """Add the fiche's derived columns: independent outlets and the WVO vacancy in one scope.

    ``vacancy_rate_wvo_headline_pct`` takes the same scope for every row (``alle`` or ``detailhandel``,
    the area's own in the fiche's year), so a line or a peer comparison never mixes two scopes.
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


def group_table(mix: pd.DataFrame, groups: pd.DataFrame, area_id: str, peers: list[str]) -> pd.DataFrame:
    """Return one row per branch group: the area's outlets and share against the peers' quartiles.

    ``mix`` is ``queries.branch_mix`` of the area and its peers; a group a peer lacks counts as 0 there
    (``mart_branch_mix`` has no row for it), so a median is over all peers. ``groups`` lists every group
    (``branch_group``, ``label``, ``sort_order``).
    """
    with_outlets = sorted(set(mix["area_code"]) & set(peers))
    codes = groups["branch_group"].tolist()

    def matrix(column: str, areas: list[str]) -> np.ndarray:
        # areas x groups, a group an area lacks as 0 (numpy: grouping long rows cost more than the queries).
        rows = pd.Index(areas).get_indexer(mix["area_code"])  # -1: not one of ``areas``
        cols = pd.Index(codes).get_indexer(mix["branch_group"])
        values = pd.to_numeric(mix[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        keep = (rows >= 0) & (cols >= 0) & ~np.isnan(values)
        out = np.zeros((len(areas), len(codes)))
        np.add.at(out, (rows[keep], cols[keep]), values[keep])
        return out

    table = groups[["branch_group", "label", "sort_order"]].copy()
    own_shares, own_outlets = matrix("share_outlets_pct", [area_id])[0], matrix("outlets", [area_id])[0]
    table["outlets"], table["share_pct"] = own_outlets, own_shares
    if with_outlets:
        shares = matrix("share_outlets_pct", with_outlets)
        table["peer_p25"], table["peer_median"], table["peer_p75"] = np.quantile(shares, [0.25, 0.5, 0.75], axis=0)
        table["peer_n"] = len(with_outlets)
        table["peer_median_outlets"] = np.median(matrix("outlets", with_outlets), axis=0)
    else:
        for column in ("peer_p25", "peer_median", "peer_p75", "peer_n", "peer_median_outlets"):
            table[column] = np.nan
    return table.sort_values("sort_order", ignore_index=True)


def vacant_by_size(outlets: pd.DataFrame) -> pd.DataFrame:
    """Count the vacant units per size band: ``band``, ``vacant``, ``structural``, ``wvo_m2``.

    ``outlets`` has ``is_vacant``, ``wvo_m2`` and ``vacancy_class``. Units without a WVO get the band
    ``onbekend`` (only when there are any); a total row closes the table.
    """
    vacant = outlets[outlets["is_vacant"].fillna(False).astype(bool)]
    rows = []
    for lo, hi, label in SIZE_BANDS:
        part = vacant[(vacant["wvo_m2"] >= lo) & (vacant["wvo_m2"] < hi)]
        rows.append((label, len(part), int((part["vacancy_class"] == "structureel").sum()),
                     float(part["wvo_m2"].sum())))
    unknown = vacant[vacant["wvo_m2"].isna()]
    if not unknown.empty:
        rows.append(("onbekend", len(unknown), int((unknown["vacancy_class"] == "structureel").sum()), 0.0))
    rows.append(("totaal", len(vacant), int((vacant["vacancy_class"] == "structureel").sum()),
                 float(vacant["wvo_m2"].sum())))
    return pd.DataFrame(rows, columns=["band", "vacant", "structural", "wvo_m2"])


def busiest(profile: pd.DataFrame, n: int, names: tuple[str, ...] | None = None) -> list[str]:
    """Return the ``n`` busiest buckets of a footfall profile, busiest first (``15u`` or a weekday)."""
    top = profile.sort_values(["avg_passers", "bucket"], ascending=[False, True]).head(n)
    return [names[int(b) - 1] if names else f"{int(b)}u" for b in top["bucket"]]


def _history_dict(history: pd.DataFrame, columns: list[str]) -> dict[str, dict[int, float | None]]:
    return {c: dict(zip(history["year"].astype(int), history[c], strict=True)) for c in columns if c in history}


def load_fiche(db: Database, nis: str, area_id: str | None = None, year: int | None = None) -> Fiche:
    """Return the fiche of ``area_id`` (default: the municipality's main shopping area) in ``year``.

    Computed once per build for these arguments (:meth:`Database.cached`): the page, its PDF and the
    intake dossier share it, and none of them changes it. A not-found error is not kept.

    Raises
    ------
    FicheNotFoundError
        Unknown municipality, area not in that municipality, or a municipality without shopping areas.

    """
    return db.cached("fiche", (nis, area_id, year), lambda: _load_fiche(db, nis, area_id, year), scope=PUBLIC,
                     size=lambda f: 64 * 1024 + int(f.outlets.memory_usage(deep=True).sum()))


def _load_fiche(db: Database, nis: str, area_id: str | None, year: int | None) -> Fiche:
    munis = queries.municipalities(db)
    if nis not in set(munis["nis_code"]):
        raise FicheNotFoundError(f"Er is geen Vlaamse gemeente met NIS-code '{nis}'.")
    areas = queries.areas(db)
    name = munis.loc[munis["nis_code"] == nis, "name"].iloc[0]
    if area_id is None:
        area_id = main_area(areas, nis)
        if area_id is None:
            raise FicheNotFoundError(f"{name} heeft geen afgebakende winkelgebieden.")
    own = areas[(areas["area_id"] == area_id) & (areas["nis_code"] == nis)]
    if own.empty:
        raise FicheNotFoundError(f"{name} heeft geen winkelgebied met code '{area_id}'.")
    years = queries.years(db)
    year = year if year in years else years[-1]
    window = [y for y in years if year - TREND_WINDOW < y <= year]
    peers, peer_note = peer_areas(areas, munis, area_id)

    rows = queries.area_history(db, [area_id, *peers], window)
    own_now = rows[(rows["area_code"] == area_id) & (rows["year"] == year)]
    scope = wvo_scope_of(own_now.iloc[0].to_dict() if not own_now.empty else None)
    rows = with_derived(rows, scope)
    history = rows[rows["area_code"] == area_id].sort_values("year", ignore_index=True)
    current = history[history["year"] == year].iloc[0].to_dict() if (history["year"] == year).any() else {}
    columns = [c for c, *_ in DNA_ROWS]
    stats = peer_stats(rows[rows["year"] == year], peers, columns)

    mix = queries.branch_mix(db, "winkelgebied", [area_id, *peers], year)
    groups = group_table(mix, queries.branch_groups(db), area_id, peers)
    findings = evaluate(RuleInput(year, current, stats, _history_dict(history, columns), groups))

    outlets = queries.area_outlets(db, area_id, year)
    geometry = queries.area_geometry(db, [area_id])
    return Fiche(
        area=own.iloc[0].to_dict(), year=year, years=window, info=queries.build_info(db), peer_note=peer_note,
        peer_ids=peers, current=current, history=history[history["year"].isin(window)].reset_index(drop=True),
        peers=stats, groups=groups, findings=findings, vacant_by_size=vacant_by_size(outlets),
        hours=queries.area_footfall_profile(db, area_id, year, "uur"),
        days=queries.area_footfall_profile(db, area_id, year, "weekdag"),
        outlets=outlets, geometry_wkb=bytes(geometry["geometry_wkb"].iloc[0]) if not geometry.empty else None,
        wvo_scope=scope, other_areas=areas[areas["nis_code"] == nis].reset_index(drop=True),
    )


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
