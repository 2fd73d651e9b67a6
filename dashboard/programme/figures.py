"""The municipalities' figures the programme reads from the DNA database: profiles with size class and need.

:func:`profiles` adds to :func:`~dashboard.data.queries.programme_profiles` the size class (the peers' classes)
and the vacancy trend against the peers: the municipality's change of vacancy over one year minus the median
change of its size class, in percentage points (``vacancy_gap_pp``), which the scoring grid reads.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.peers import SIZE_CLASSES, size_class

SHORT_SIZE = ("< 10.000", "10.000–20.000", "20.000–50.000", "50.000–100.000", "≥ 100.000")


def with_need(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with ``size_class`` (index), ``size_label`` and ``vacancy_gap_pp`` added (pure)."""
    out = frame.copy()
    out["size_class"] = out["population"].map(size_class)
    out["size_label"] = out["size_class"].map(lambda i: SHORT_SIZE[int(i)] if pd.notna(i) else "onbekend")
    change = pd.to_numeric(out["vacancy_rate_count_all_pct"], errors="coerce") - pd.to_numeric(
        out["vacancy_prev_pct"], errors="coerce")
    out["vacancy_change_pp"] = change
    median = change.groupby(out["size_class"]).transform("median")
    out["vacancy_gap_pp"] = change - median
    return out


def profiles(db: Database, year: int | None = None) -> pd.DataFrame:
    """Return every municipality's profile for ``year`` (default the latest), one row per NIS code."""
    year = year if year is not None else queries.years(db)[-1]
    return with_need(queries.programme_profiles(db, year))


def size_labels() -> list[str]:
    """Return the size classes as the variety view names them."""
    return [SHORT_SIZE[i] for i in range(len(SIZE_CLASSES))]
