"""The home page's content for one year: KPI views, the vacancy trend and the table (pure, no Dash)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.figures.trend import scope_trend
from dashboard.kpis import OVERVIEW_KPIS, kpi_view

#: Decimals per table column (None: text).
DECIMALS = {
    "name": None, "province": None, "population": 0, "outlets_total": 0, "retail_outlets": 0, "retail_wvo_m2": 0,
    "vacancy_rate_count_all_pct": 1, "vacancy_rate_wvo_headline_pct": 1, "vacancy_structural_rate_pct": 1,
    "chain_share_count_pct": 1, "outlets_per_1000_inh": 1, "footfall_avg_weekly_per_point": 0,
}
TABLE_COLUMNS = {k: (v, DECIMALS[k]) for k, v in queries.MUNICIPALITY_COLUMNS.items()}


@dataclass(frozen=True)
class HomeView:
    """What the home page shows for one inventory year."""

    year: int
    cards: list[dict]
    trend: go.Figure
    table: pd.DataFrame
    note: str


def home_view(db: Database, year: int) -> HomeView:
    """Return the KPI cards (vs the year before), the Flanders vacancy trend and the municipalities of ``year``."""
    rows = queries.area_year(db, "vlaanderen", "02000", [year - 1, year]).to_dict("records")
    by_year = {int(r["year"]): r for r in rows}
    cards = [kpi_view(spec, by_year.get(year), by_year.get(year - 1)) for spec in OVERVIEW_KPIS]
    trend = scope_trend(queries.flanders_series(db, "vacancy_rate_wvo"),
                        "Leegstand (WVO) in Vlaanderen: de scope verbreedde in 2020")
    table = queries.municipality_table(db, year)
    narrow = table["vacancy_wvo_scope"].eq("detailhandel").sum()
    note = f"{len(table)} gemeenten, inventaris {year}. Klik op een kolomtitel om te sorteren."
    if narrow:
        note += (f" Leegstand WVO: in {narrow} gemeenten alleen voor de detailhandel gemeten (WVO van horeca en "
                 "diensten ontbreekt).")
    table = table.assign(name=[f"[{n}](/gemeente/{c})" for n, c in zip(table["name"], table["nis_code"],
                                                                        strict=True)])
    return HomeView(year, cards, trend, table, note)
