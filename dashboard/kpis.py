"""Which KPI cards the overview shows, and how a value and its change read (pure functions)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.formatting import fmt_delta, fmt_number, fmt_percent
from dashboard.labels import HEADLINE_WVO, indicator


@dataclass(frozen=True)
class KpiSpec:
    """One KPI card: the mart column it shows and how."""

    label: str
    column: str
    unit: str  # '%' shows percentage points as change; otherwise the change is relative (%)
    decimals: int
    higher_is_better: bool | None
    note: str = ""


def kpi(column: str, note: str = "") -> KpiSpec:
    """Return the card of a mart column: label, unit, decimals and direction from the indicator catalogue."""
    i = indicator(column)
    return KpiSpec(i.label, column, i.unit, i.decimals, i.higher_is_better, note)


OVERVIEW_KPIS: tuple[KpiSpec, ...] = (
    kpi("outlets_total", "bezet en leegstaand"),
    kpi("retail_outlets", "bezette detailhandel"),
    kpi("vacancy_rate_count_all_pct", "van alle verkooppunten"),
    kpi(HEADLINE_WVO, "van alle m² winkelvloer"),
    kpi("vacancy_structural_rate_pct", "van alle verkooppunten"),
    kpi("chain_share_count_pct", "van de winkels"),
    kpi("outlets_per_1000_inh"),
    kpi("footfall_avg_weekly_per_point"),
)
#: The headline WVO vacancy measured on retail floor area only (no WVO of leisure and services that year).
NARROW_WVO_NOTE = "van de m² detailhandel (smallere scope: WVO van horeca en diensten niet gemeten)"


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
    value, prev = _value(current, column), _value(previous, column)
    if column == HEADLINE_WVO:
        scope = (current or {}).get("vacancy_wvo_scope")
        if scope == "detailhandel":
            note = NARROW_WVO_NOTE
        if previous is not None and previous.get("vacancy_wvo_scope") != scope:
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
    kpi("outlets_total", "bezet en leegstaand"),
    kpi("retail_wvo_m2", "m² winkelvloer"),
    *(s for s in OVERVIEW_KPIS if s.column in ("vacancy_rate_count_all_pct", HEADLINE_WVO,
                                                 "vacancy_structural_rate_pct", "chain_share_count_pct",
                                                 "outlets_per_1000_inh", "footfall_avg_weekly_per_point")),
)
