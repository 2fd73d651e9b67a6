"""“Gemeenten zoals de uwe” (pure): the municipalities most like a given one.

The distance, as the pages state it, adds three parts:

- the size class by inhabitants (the peers' classes of :mod:`dashboard.peers`): 1 per class apart;
- the area type of the main shopping area (hoofdwinkelgebied, kernverzorgend centrum, ondersteunend
  winkelgebied): 1 when it differs;
- the DNA profile: the root mean square of the differences of :data:`PROFILE` after standardising each figure
  over all municipalities (a missing figure is left out of the mean).

The smallest distance is the most similar; ties go to the lower NIS code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

#: The DNA figures of the profile distance (columns of the municipality table).
PROFILE: tuple[str, ...] = ("vacancy_rate_count_all_pct", "vacancy_structural_rate_pct", "chain_share_count_pct",
                            "outlets_per_1000_inh")
RULE = ("Gelijkenis = verschil in grootteklasse (1 per klasse) + 1 als het type hoofdwinkelgebied verschilt + "
        "de DNA-afstand (wortel van het gemiddelde kwadratische verschil van leegstand, structurele leegstand, "
        "ketenaandeel en winkels per 1.000 inwoners, gestandaardiseerd over alle gemeenten). Kleiner is meer gelijk.")


@dataclass(frozen=True)
class Similar:
    """A similar municipality and its distance, with the parts that make it up."""

    nis_code: str
    distance: float
    size_part: float
    type_part: float
    profile_part: float


def standardise(profiles: pd.DataFrame) -> pd.DataFrame:
    """Return ``profiles`` with each :data:`PROFILE` column as z-scores over all rows (sd 0: all zero)."""
    out = profiles.copy()
    for col in PROFILE:
        values = pd.to_numeric(out[col], errors="coerce")
        sd = values.std(ddof=0)
        out[col] = (values - values.mean()) / sd if sd and not math.isnan(sd) else values * 0.0
    return out


def distance(a: pd.Series, b: pd.Series) -> Similar:
    """Return the distance between two standardised profiles (``nis_code``, ``size_class``, ``area_type``, …)."""
    size_a, size_b = a.get("size_class"), b.get("size_class")
    size_part = 1.0 * abs(int(size_a) - int(size_b)) if pd.notna(size_a) and pd.notna(size_b) else 1.0
    type_part = 0.0 if a.get("area_type") == b.get("area_type") else 1.0
    squares = [(float(a[c]) - float(b[c])) ** 2 for c in PROFILE if pd.notna(a.get(c)) and pd.notna(b.get(c))]
    profile_part = math.sqrt(sum(squares) / len(squares)) if squares else 1.0
    return Similar(str(b["nis_code"]), round(size_part + type_part + profile_part, 3), size_part, type_part,
                   round(profile_part, 3))


def most_similar(profiles: pd.DataFrame, nis: str, among: set[str] | None = None, k: int = 3) -> list[Similar]:
    """Return the ``k`` municipalities most like ``nis`` (itself excluded), optionally only those in ``among``."""
    z = standardise(profiles).set_index("nis_code", drop=False)
    if nis not in z.index:
        return []
    own = z.loc[nis]
    others = [r for code, r in z.iterrows() if code != nis and (among is None or code in among)]
    ranked = sorted((distance(own, r) for r in others), key=lambda s: (s.distance, s.nis_code))
    return ranked[:k]
