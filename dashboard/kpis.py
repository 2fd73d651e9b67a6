"""Which KPI cards the overview shows, and how a value and its change read (pure functions)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.formatting import fmt_delta, fmt_number, fmt_percent


@dataclass(frozen=True)
class KpiSpec:
    """One KPI card: the mart column it shows and how."""

    label: str
    column: str
    unit: str  # '%' shows percentage points as change; otherwise the change is relative (%)
    decimals: int
    higher_is_better: bool | None
    note: str = ""


OVERVIEW_KPIS: tuple[KpiSpec, ...] = (
    KpiSpec("Verkooppunten", "outlets_total", "aantal", 0, None, "bezet en leegstaand"),
    KpiSpec("Winkels", "retail_outlets", "aantal", 0, True, "bezette detailhandel"),
    KpiSpec("Leegstand (aantal)", "vacancy_rate_count_all_pct", "%", 1, False, "van alle verkooppunten"),
    KpiSpec("Leegstand (WVO)", "vacancy_rate_wvo_all_pct", "%", 1, False, "van alle m² winkelvloer"),
    KpiSpec("Structurele leegstand", "vacancy_structural_rate_pct", "%", 1, False, "> 3 jaar, van alle verkooppunten"),
    KpiSpec("Aandeel ketens", "chain_share_count_pct", "%", 1, None, "van de winkels"),
    KpiSpec("Winkels per 1.000 inwoners", "outlets_per_1000_inh", "per 1.000", 1, None, ""),
    KpiSpec("Passanten per week", "footfall_avg_weekly_per_point", "aantal", 0, True, "gemiddeld per telpunt"),
)

#: A KPI whose all-outlets scope is missing in a year falls back to the retail scope, and says so.
SCOPE_FALLBACK = {"vacancy_rate_wvo_all_pct": ("vacancy_rate_wvo_retail_pct", "van de m² detailhandel (smallere "
                                                                               "scope: WVO van horeca en diensten "
                                                                               "niet gemeten)")}


#: What a card says instead of a number, per column (default: no data that year).
MISSING_NOTES = {
    "outlets_per_1000_inh": "geen bevolkingscijfer voor dit jaar",
    "wvo_per_inh_m2": "geen bevolkingscijfer voor dit jaar",
    "footfall_avg_weekly_per_point": "geen telpunten met tellingen",
}

#: A mart column that says why a value is empty (e.g. "geen ketenvlag in de levering"); it wins over the default.
REASON_COLUMNS = {"chain_share_count_pct": "chain_share_note", "chain_share_wvo_pct": "chain_share_note"}


def _value(row: dict | None, column: str) -> float | None:
    if row is None:
        return None
    value = row.get(column)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def kpi_view(spec: KpiSpec, current: dict | None, previous: dict | None, base: dict | None = None,
             base_year: int | None = None) -> dict:
    """Return the texts of one card: ``value``, ``delta``, ``delta_good``, ``note`` (and ``base_delta``).

    A percentage changes in percentage points; a count or ratio in percent. The change is only shown
    when both years are measured in the same scope. ``base`` (the row of ``base_year``) adds the
    change since that year.
    """
    view = _kpi_view(spec, current, previous, "vorig jaar")
    if base is not None and base_year is not None:
        view["base_delta"] = _kpi_view(spec, current, base, str(base_year))["delta"]
    return view


def _kpi_view(spec: KpiSpec, current: dict | None, previous: dict | None, against: str) -> dict:
    column, note = spec.column, spec.note
    value = _value(current, column)
    prev_column = column
    if value is None and column in SCOPE_FALLBACK:
        column, note = SCOPE_FALLBACK[column]
        value = _value(current, column)
        prev_column = column
    prev = _value(previous, prev_column)
    if previous is not None and column != spec.column and _value(previous, spec.column) is not None:
        prev = None  # scope changed between the years: no comparison across a series break
    text = fmt_percent(value, spec.decimals) if spec.unit == "%" else fmt_number(value, spec.decimals)
    delta, good = None, None
    if value is not None and prev is not None:
        if spec.unit == "%":
            change = value - prev
            delta = f"{fmt_delta(change, 1, 'pp')} t.o.v. {against}"
        elif prev != 0:
            change = 100 * (value / prev - 1)
            delta = f"{fmt_delta(change, 1, '%')} t.o.v. {against}"
        else:
            change = None
        if change is not None and spec.higher_is_better is not None and abs(change) >= 0.05:
            good = (change > 0) == spec.higher_is_better
    if value is None:
        reason = (current or {}).get(REASON_COLUMNS.get(spec.column, ""))
        note = reason if isinstance(reason, str) and reason else MISSING_NOTES.get(spec.column,
                                                                                   "geen gegevens voor dit jaar")
    return {"label": spec.label, "value": text, "delta": delta, "delta_good": good, "note": note or None}

MUNICIPALITY_KPIS: tuple[KpiSpec, ...] = (
    KpiSpec("Verkooppunten", "outlets_total", "aantal", 0, None, "bezet en leegstaand"),
    KpiSpec("WVO detailhandel", "retail_wvo_m2", "m²", 0, None, "m² winkelvloer"),
    *(s for s in OVERVIEW_KPIS if s.column in ("vacancy_rate_count_all_pct", "vacancy_rate_wvo_all_pct",
                                                 "vacancy_structural_rate_pct", "chain_share_count_pct",
                                                 "outlets_per_1000_inh", "footfall_avg_weekly_per_point")),
)
