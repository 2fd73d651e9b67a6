"""The core-area map's logic, as pure functions: what changed between two inventories, what a filter shows.

The map and the table under it must always agree, so both are derived here from the same rules:
``visibility`` says which traces are on, ``shown`` returns the rows those traces hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.figures.maps import CHANGE_CLASSES, VACANCY_CLASSES
from dashboard.formatting import DATE_FORMAT

VACANT_GROUP = "Leegstand"
CHAIN_CHOICES = {"alle": "Alle", "keten": "Ketens", "zelfstandig": "Zelfstandigen"}
#: The vacancy-duration filter: class (``fct_outlets.vacancy_class``) -> short Dutch label.
DURATION_CHOICES = {"frictioneel": "≤ 1 j", "langdurig": "1–3 j", "structureel": "> 3 j"}


@dataclass(frozen=True)
class Filters:
    """What the user chose to see on the core-area map."""

    groups: tuple[str, ...]  # branch groups switched on; ``Leegstand`` stands for the vacant units
    vacancy_only: bool = False
    chain: str = "alle"  # alle | keten | zelfstandig; applies to occupied units only
    #: Vacancy classes shown (``DURATION_CHOICES``); applies to vacant units only.
    durations: tuple[str, ...] = tuple(DURATION_CHOICES)

    def wants_duration(self, klass: str) -> bool:
        """Whether vacant units of vacancy class ``klass`` show (a unit of unknown duration always does)."""
        return klass in self.durations or klass not in DURATION_CHOICES

    def wants_vacant(self) -> bool:
        """Vacant units show unless switched off or a chain filter asks for occupied units only."""
        return (VACANT_GROUP in self.groups or self.vacancy_only) and self.chain == "alle"

    def wants_group(self, group: str) -> bool:
        """Occupied units of ``group`` show when the group is on and the vacancy-only switch is off."""
        return group in self.groups and not self.vacancy_only

    def wants_chain(self, is_chain: bool) -> bool:
        """Whether an occupied unit with this chain flag passes the chain filter."""
        return self.chain == "alle" or (self.chain == "keten") == is_chain


def _same_business(a: pd.Series, b: pd.Series) -> pd.Series:
    return a.fillna("").str.strip().str.casefold() == b.fillna("").str.strip().str.casefold()


def changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Compare two inventories of the same units (``outlet_id``) and return one row per changed unit.

    ``change`` is one of:

    - ``geopend``: occupied now; absent or vacant before.
    - ``nieuwe_zaak``: occupied in both, by another business (another name): an opening and a closure.
    - ``gesloten``: occupied before; vacant (``now_vacant``) or gone from the inventory now.
    - ``nieuw_leeg``: vacant now and not in the earlier inventory at all.

    Unchanged units, units vacant in both and vacant units that left the inventory are not listed.
    Each row carries the record that tells the change (the earlier one for a closure to a unit that
    is gone, else the later one): its ``branch_group``, ``is_chain``, position and WVO.
    """
    cols = ["outlet_id", "name", "is_vacant", "branch_group", "branch_name", "is_chain", "wvo_m2", "lon", "lat",
            "street", "house_number"]
    merged = before[cols].merge(after[cols], on="outlet_id", how="outer", suffixes=("_a", "_b"), indicator=True)
    in_a, in_b = merged["_merge"] != "right_only", merged["_merge"] != "left_only"
    occ_a = in_a & ~merged["is_vacant_a"].fillna(True).astype(bool)
    occ_b = in_b & ~merged["is_vacant_b"].fillna(True).astype(bool)
    vac_b = in_b & merged["is_vacant_b"].fillna(False).astype(bool)
    same = _same_business(merged["name_a"], merged["name_b"])
    change = pd.Series(None, index=merged.index, dtype=object)
    change[occ_b & ~occ_a] = "geopend"
    change[occ_a & occ_b & ~same] = "nieuwe_zaak"
    change[occ_a & ~occ_b] = "gesloten"
    change[vac_b & ~in_a] = "nieuw_leeg"
    merged["change"] = change
    merged["now_vacant"] = vac_b
    merged = merged[merged["change"].notna()].copy()
    use_a = (merged["change"] == "gesloten") & ~merged["now_vacant"]
    out = pd.DataFrame({"outlet_id": merged["outlet_id"], "change": merged["change"],
                        "now_vacant": merged["now_vacant"].astype(bool)})
    for c in ("branch_group", "branch_name", "is_chain", "wvo_m2", "lon", "lat", "street", "house_number"):
        out[c] = merged[f"{c}_a"].where(use_a, merged[f"{c}_b"])
    # A unit closed and now vacant carries the Leegstand group of its later record; the business that
    # closed belongs to the group it had before, which is what a filter on branch groups means.
    closed = merged["change"] == "gesloten"
    out.loc[closed, "branch_group"] = merged.loc[closed, "branch_group_a"]
    out.loc[closed, "branch_name"] = merged.loc[closed, "branch_name_a"]
    out.loc[closed, "is_chain"] = merged.loc[closed, "is_chain_a"]
    out["name_before"] = merged["name_a"]
    out["name_after"] = merged["name_b"]
    out["description"] = [_describe(r) for r in out.itertuples(index=False)]
    out["branch_label"] = out["branch_name"].fillna("")
    return out.sort_values(["change", "outlet_id"]).reset_index(drop=True)


def _describe(r: Any) -> str:  # a row of DataFrame.itertuples
    before, after = r.name_before or "", r.name_after or ""
    if r.change == "geopend":
        return after
    if r.change == "nieuwe_zaak":
        return f"{before} → {after}"
    if r.change == "gesloten":
        return f"{before} (nu leeg)" if r.now_vacant else f"{before} (pand niet meer in de inventaris)"
    return "leeg pand, nieuw in de inventaris"


def change_counts(ch: pd.DataFrame) -> dict[str, int]:
    """Count openings, closures and new vacancies (a change of business is both an opening and a closure)."""
    kinds = ch["change"]
    return {
        "openingen": int(kinds.isin(["geopend", "nieuwe_zaak"]).sum()),
        "sluitingen": int(kinds.isin(["gesloten", "nieuwe_zaak"]).sum()),
        "nieuwe_leegstand": int(((kinds == "gesloten") & ch["now_vacant"]).sum() + (kinds == "nieuw_leeg").sum()),
    }


def filter_changes(ch: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Keep the changes a filter asks for; with vacancy only, the changes that made a unit vacant."""
    if f.vacancy_only:
        keep = ((ch["change"] == "gesloten") & ch["now_vacant"]) | (ch["change"] == "nieuw_leeg")
    else:
        vacant = ch["change"] == "nieuw_leeg"
        keep = (vacant & (VACANT_GROUP in f.groups)) | (~vacant & ch["branch_group"].isin(f.groups))
    if f.chain != "alle":
        keep &= (ch["change"] != "nieuw_leeg") & (ch["is_chain"].fillna(False).astype(bool) == (f.chain == "keten"))
    return ch[keep]


def visibility(keys: list[str], f: Filters, changes_mode: bool) -> list[bool]:
    """Return one on/off flag per trace of ``core_trace_keys`` for these filters."""
    flags = []
    for key in keys:
        kind, _, rest = key.partition("|")
        if kind == "outlet":
            group, chain = rest.split("|")
            flags.append(not changes_mode and f.wants_group(group) and f.wants_chain(chain == "keten"))
        elif kind == "vacant":
            flags.append(not changes_mode and f.wants_vacant() and f.wants_duration(rest))
        elif kind == "change":
            flags.append(changes_mode)
        else:
            flags.append(True)
    return flags


def shown(outlets: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Return the outlets the visible traces hold (the same rule as ``visibility``)."""
    vacant = outlets["is_vacant"].astype(bool)
    chain = outlets["is_chain"].fillna(False).astype(bool)
    # Column-wise forms of wants_group and wants_chain (a large city has thousands of outlets a year).
    in_group = outlets["branch_group"].isin(list(f.groups)) & (not f.vacancy_only)
    passes_chain = chain == (f.chain == "keten") if f.chain != "alle" else pd.Series(True, index=outlets.index)
    klass = outlets["vacancy_class"].astype(object)
    in_duration = klass.isin(list(f.durations)) | ~klass.isin(list(DURATION_CHOICES))
    keep = (~vacant & in_group & passes_chain) | (vacant & f.wants_vacant() & in_duration)
    return outlets[keep]


def street_of(outlets: pd.DataFrame) -> pd.Series:
    """Return each outlet's street as the summary groups it (trimmed; an unknown street is "(straat onbekend)")."""
    return outlets["street"].astype(object).where(outlets["street"].notna(), "").str.strip().replace(
        "", "(straat onbekend)")


def on_street(outlets: pd.DataFrame, query: str | None) -> pd.DataFrame:
    """Keep the outlets whose street contains ``query`` (case and accents as typed are ignored; empty: all)."""
    needle = _fold(query or "")
    if not needle:
        return outlets
    return outlets[street_of(outlets).map(_fold).str.contains(needle, regex=False)]


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: Columns of the per-street summary (key -> Dutch header, decimals or None for text).
STREET_COLUMNS = {
    "street": ("Straat", None), "units": ("Panden", 0), "vacant": ("Leeg", 0),
    "structural": ("Structureel leeg (> 3 j)", 0), "vacancy_pct": ("Leegstand (%)", 1), "wvo_m2": ("WVO (m²)", 0),
}


def street_summary(outlets: pd.DataFrame) -> pd.DataFrame:
    """Return one row per street: units, vacant units, structurally vacant units (> 3 years), vacancy %, WVO.

    Streets are listed by their number of vacant units, then structural ones, then name: the streets that
    need attention first.
    """
    if outlets.empty:
        return pd.DataFrame({k: [] for k in STREET_COLUMNS})
    vacant = outlets["is_vacant"].astype(bool)
    frame = pd.DataFrame({
        "street": street_of(outlets),
        "units": 1,
        "vacant": vacant.astype(int),
        "structural": (vacant & (outlets["vacancy_class"] == "structureel")).astype(int),
        "wvo_m2": pd.to_numeric(outlets["wvo_m2"], errors="coerce"),
    })
    out = frame.groupby("street", as_index=False).agg(units=("units", "sum"), vacant=("vacant", "sum"),
                                                       structural=("structural", "sum"),
                                                       wvo_m2=("wvo_m2", lambda w: w.sum(min_count=1)))
    out["vacancy_pct"] = 100 * out["vacant"] / out["units"]
    out = out.sort_values(["vacant", "structural", "street"], ascending=[False, False, True], kind="stable")
    return out[list(STREET_COLUMNS)].reset_index(drop=True)


#: Table columns of the core-area map (key -> Dutch header, decimals or None for text).
OUTLET_COLUMNS = {
    "name": ("Naam", None), "branch_name": ("Branche", None), "group_label": ("Branchegroep", None),
    "address": ("Adres", None), "area_name": ("Winkelgebied", None), "wvo_m2": ("WVO (m²)", 0),
    "chain_label": ("Keten of zelfstandig", None), "vacant_since": ("Leeg sinds", None),
    "vacancy_label": ("Leegstandsduur", None),
}
CHANGE_COLUMNS = {
    "change_label": ("Wijziging", None), "name_before": ("Naam toen", None), "name_after": ("Naam nu", None),
    "branch_name": ("Branche", None), "address": ("Adres", None), "wvo_m2": ("WVO (m²)", 0),
}


def outlet_table(rows: pd.DataFrame, group_labels: dict[str, str]) -> pd.DataFrame:
    """Return the shown outlets as the table under the map lists them (Dutch values)."""
    vacant = rows["is_vacant"].astype(bool)
    chain = rows["is_chain"].fillna(False).astype(bool)
    start = pd.to_datetime(rows["vacancy_start"], errors="coerce")
    return pd.DataFrame({
        "name": rows["name"].where(~vacant, "(leeg pand)"),
        "branch_name": rows["branch_name"].where(~vacant, ""),
        "group_label": rows["branch_group"].map(group_labels).fillna(rows["branch_group"]),
        "address": (rows["street"].fillna("") + " " + rows["house_number"].fillna("")).str.strip(),
        "area_name": rows["area_name"].fillna("buiten een winkelgebied"),
        "wvo_m2": rows["wvo_m2"],
        "chain_label": np.where(vacant, "", np.where(chain, "keten", "zelfstandig")),
        "vacant_since": start.dt.strftime(DATE_FORMAT).where(vacant & start.notna(), ""),
        "vacancy_label": rows["vacancy_class"].map({k: v[0] for k, v in VACANCY_CLASSES.items()})
                         .where(vacant, "").fillna(""),
    })


def change_table(ch: pd.DataFrame) -> pd.DataFrame:
    """Return the changes as the table under the map lists them."""
    return pd.DataFrame({
        "change_label": ch["change"].map({k: v[0] for k, v in CHANGE_CLASSES.items()}),
        "name_before": ch["name_before"].fillna(""),
        "name_after": ch["name_after"].fillna(""),
        "branch_name": ch["branch_name"].fillna(""),
        "address": (ch["street"].fillna("") + " " + ch["house_number"].fillna("")).str.strip(),
        "wvo_m2": ch["wvo_m2"],
    })
