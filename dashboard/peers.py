"""Peer groups and positions (pure functions).

The rule, as the README documents it: the default peers of a municipality are the other Flemish
municipalities of the same size class by inhabitants (< 10.000, 10.000-20.000, 20.000-50.000,
50.000-100.000, >= 100.000). "provincie" takes the other municipalities of its province; "eigen"
a list the user picks. The choice lives in the URL (``?peers=grootte|provincie|44021,11002``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

SIZE_CLASSES: tuple[tuple[float, float, str], ...] = (
    (0, 10_000, "minder dan 10.000 inwoners"),
    (10_000, 20_000, "10.000 tot 20.000 inwoners"),
    (20_000, 50_000, "20.000 tot 50.000 inwoners"),
    (50_000, 100_000, "50.000 tot 100.000 inwoners"),
    (100_000, math.inf, "100.000 inwoners of meer"),
)
MODES = {"grootte": "Gelijkaardige grootte", "provincie": "Zelfde provincie", "eigen": "Eigen selectie"}


def size_class(population: float | None) -> int | None:
    """Return the index of the size class of ``population`` (None when unknown)."""
    if population is None or pd.isna(population):  # None, NaN or pandas' NA (no population known)
        return None
    return next(i for i, (lo, hi, _) in enumerate(SIZE_CLASSES) if lo <= population < hi)


def peer_codes(munis: pd.DataFrame, nis: str, mode: str, picked: list[str] | None = None) -> list[str]:
    """Return the NIS codes of the peers of ``nis`` (itself excluded), sorted.

    ``munis`` has ``nis_code``, ``province_code`` and ``population``.
    """
    others = munis[munis["nis_code"] != nis]
    if mode == "eigen":
        return sorted(set(picked or []) & set(others["nis_code"]))
    own = munis.loc[munis["nis_code"] == nis]
    if own.empty:
        return []
    if mode == "provincie":
        return sorted(others.loc[others["province_code"] == own["province_code"].iloc[0], "nis_code"])
    cls = size_class(own["population"].iloc[0])
    if cls is None:
        return []
    classes = others["population"].map(size_class)
    return sorted(others.loc[classes == cls, "nis_code"])


def peer_band(values: pd.DataFrame, peers: list[str]) -> pd.DataFrame:
    """Return per ``year`` and ``scope`` the peers' ``p25``, ``median``, ``p75`` and count ``n``.

    ``values`` has ``area_code``, ``year``, ``scope``, ``value``.
    """
    part = values[values["area_code"].isin(peers)].dropna(subset=["value"])
    if part.empty:
        return pd.DataFrame(columns=["year", "scope", "p25", "median", "p75", "n"])
    grouped = part.groupby(["year", "scope"])["value"]
    out = pd.DataFrame({
        "p25": grouped.quantile(0.25),
        "median": grouped.median(),
        "p75": grouped.quantile(0.75),
        "n": grouped.count(),
    }).reset_index()
    return out.sort_values(["scope", "year"], ignore_index=True)


def rank_of(values: pd.Series, code: str) -> tuple[int, int] | None:
    """Return (rank, group size) of ``code`` in ``values`` (indexed by code), 1 = highest value."""
    if code not in values.index:
        return None
    # On the array: the cards ask this sixteen times a view, and a Series' dropna costs more than the count.
    array = values.to_numpy(dtype=float, na_value=np.nan)
    own = array[values.index.get_loc(code)]
    known = array[~np.isnan(array)]
    if np.isnan(own):
        return None
    return int((known > own).sum()) + 1, len(known)


def rank_note(in_peers: tuple[int, int] | None, in_province: tuple[int, int] | None,
              higher_is_better: bool | None) -> str | None:
    """Return a card's ranks in words, with what rank 1 means: the highest value, good or bad.

    ``rang 1 van 4`` reads as "the best" unless said otherwise; for vacancy the highest is the worst.
    """
    parts = []
    if in_peers:
        parts.append(f"rang {in_peers[0]} van {in_peers[1]} bij de peers")
    if in_province:
        parts.append(f"rang {in_province[0]} van {in_province[1]} in de provincie")
    if not parts:
        return None
    meaning = {True: "1 = hoogste, hoog is gunstig", False: "1 = hoogste, hoog is ongunstig",
               None: "1 = hoogste"}[higher_is_better]
    return " · ".join(parts) + f" ({meaning})"


def peer_median_by(values: pd.DataFrame, peers: list[str], key: str, column: str) -> pd.DataFrame:
    """Return the peers' median of ``column`` per ``key`` (e.g. per branch group) as ``key``, ``median``."""
    part = values[values["area_code"].isin(peers)]
    return part.groupby(key)[column].median().rename("median").reset_index()
