"""The province page's content: KPI views against Vlaanderen, ranking, scatter and table (pure, no Dash)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.figures import charts
from dashboard.kpis import MUNICIPALITY_KPIS, kpi_view


@dataclass(frozen=True)
class ProvinceView:
    """What the province page shows for one choice of year, base year, indicators and highlight."""

    cards: list[dict]
    ranking: dict  # a plotly figure dict
    scatter: dict  # a plotly figure dict
    table: pd.DataFrame


def province_view(db: Database, code: str, year: int, base_year: int, indicator: str, x_indicator: str,
                  highlight: str | None) -> ProvinceView:
    """Return the cards (with Vlaanderen's value as note), ranking, scatter and table of province ``code``."""
    catalogue = queries.indicator_catalogue(db).set_index("column")
    rows = queries.area_year(db, "provincie", code, [base_year, year - 1, year]).to_dict("records")
    prov = {int(r["year"]): r for r in rows}
    flanders = queries.area_year(db, "vlaanderen", "02000", [year]).to_dict("records")
    cards = []
    for spec in MUNICIPALITY_KPIS:
        card = kpi_view(spec, prov.get(year), prov.get(year - 1), prov.get(base_year) if base_year != year else None,
                        base_year)
        card["note"] = f"Vlaanderen: {kpi_view(spec, flanders[0] if flanders else None, None)['value']}"
        cards.append(card)
    munis = queries.province_municipalities(db, code, year)
    info = catalogue.loc[indicator]
    ranking = (charts.ranked_bars(munis, indicator, highlight, info["unit"], int(info["decimals"]))
               if munis[indicator].notna().any() else charts.empty_figure(f"Geen gegevens in {year}."))
    x_info = catalogue.loc[x_indicator]
    scatter = charts.scatter_two(munis, x_indicator, indicator, x_info["label"], info["label"], highlight)
    table = munis.assign(link=[f"[{n}](/gemeente/{c})" for n, c in zip(munis["name"], munis["area_code"],
                                                                       strict=True)])
    return ProvinceView(cards, ranking, scatter, table)
