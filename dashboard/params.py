"""The pages' URL parameters, checked: anything a person can type in the address bar lands here first."""

from __future__ import annotations

import pandas as pd

from dashboard.data import queries
from dashboard.data.db import Database


def pick_year(text: str | None, years: list[int], default: int | None = None) -> int:
    """Return the year in ``text`` when it is an inventory year, else ``default`` (the latest year)."""
    if text and text.isdigit() and int(text) in years:
        return int(text)
    return years[-1] if default is None else default


def municipality(db: Database, nis: str | None) -> pd.Series | None:
    """Return the municipality (code, name, province, population) with NIS code ``nis``, or ``None``."""
    munis = queries.municipalities(db)
    row = munis[munis["nis_code"] == (nis or "")]
    return None if row.empty else row.iloc[0]
