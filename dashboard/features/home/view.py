"""The home page's content for one year: KPI views, the vacancy trend and the table (pure, no Dash)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.figures.trend import scope_trend
from dashboard.kpis import OVERVIEW_KPIS, kpi_view
from dashboard.labels import HEADLINE_WVO, indicator, table_columns

TABLE_COLUMNS = table_columns(queries.MUNICIPALITY_COLUMNS)


@dataclass(frozen=True)
class HomeView:
    """What the home page shows for one inventory year."""

    year: int
    cards: list[dict]
    trend: dict  # a plotly figure dict
    table: pd.DataFrame
    note: str


def home_view(db: Database, year: int) -> HomeView:
    """Return the KPI cards (vs the year before), the Flanders vacancy trend and the municipalities of ``year``."""
    rows = queries.area_year(db, "vlaanderen", "02000", [year - 1, year]).to_dict("records")
    by_year = {int(r["year"]): r for r in rows}
    cards = [kpi_view(spec, by_year.get(year), by_year.get(year - 1)) for spec in OVERVIEW_KPIS]
    trend = scope_trend(queries.flanders_series(db, "vacancy_rate_wvo"),
                        f"{indicator(HEADLINE_WVO).label} in Vlaanderen: de scope verbreedde in 2020")
    table = queries.municipality_table(db, year)
    narrow = table["vacancy_wvo_scope"].eq("detailhandel").sum()
    note = f"{len(table)} gemeenten, inventaris {year}. Klik op een kolomtitel om te sorteren."
    if narrow:
        note += (f" Leegstand WVO: in {narrow} gemeenten alleen voor de detailhandel gemeten (WVO van horeca en "
                 "diensten ontbreekt).")
    table = table.assign(name=[f"[{n}](/gemeente/{c})" for n, c in zip(table["name"], table["nis_code"],
                                                                        strict=True)])
    return HomeView(year, cards, trend, table, note)
