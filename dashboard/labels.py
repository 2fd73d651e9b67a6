"""An indicator's label, unit, decimals and direction: read from the catalogue that fills ``dim_indicator``.

Pages, KPI cards, tables and their CSV/XLSX headers take them from here, so each label is written once
(``data_pipelines/indicators.py``). The headline WVO vacancy (a mart column: the widest scope measured)
shows under the label of the WVO vacancy.
"""

from __future__ import annotations

from collections.abc import Mapping

from data_pipelines.indicators import CATALOGUE, Indicator

HEADLINE_WVO = "vacancy_rate_wvo_headline_pct"
#: Units a header leaves out: the label already says what is counted.
SILENT_UNITS = ("aantal", "passanten")
_BY_COLUMN = {i.column: i for i in CATALOGUE}
_ALIASES = {HEADLINE_WVO: "vacancy_rate_wvo_all_pct"}


def indicator(column: str) -> Indicator:
    """Return the catalogue row of a mart column (``KeyError`` for a column the catalogue does not hold)."""
    return _BY_COLUMN[_ALIASES.get(column, column)]


def header(column: str) -> str:
    """Return the column header of a table or export: the label, with its unit where the label lacks it."""
    i = indicator(column)
    if i.scope == "leegstand":  # a share of the vacant units, beside the same figure over all outlets
        return f"{i.label[:-1]}, % van de leegstand)" if i.label.endswith(")") else f"{i.label} (% van de leegstand)"
    if i.unit in SILENT_UNITS or i.unit.startswith("per ") or i.unit in i.label:
        return i.label
    return f"{i.label[:-1]}, {i.unit})" if i.label.endswith(")") else f"{i.label} ({i.unit})"


def table_columns(columns: Mapping[str, str | None]) -> dict[str, tuple[str, int | None]]:
    """Return the (header, decimals) of each column; a column given a text is no indicator (names, links)."""
    return {c: (text, None) if text is not None else (header(c), indicator(c).decimals)
            for c, text in columns.items()}
