"""Indicator trends over the years, one line per scope so that a scope change shows as a break."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.common import SCOPE_COLORS, SCOPE_LABELS, base_layout, figure, values


def scope_trend(df: pd.DataFrame, title: str, unit: str = "%") -> dict:
    """Draw ``value`` by ``year`` with one line per ``scope`` (a plotly figure dict).

    Lines of different scopes are never joined: where Locatus widened a scope (e.g. vacancy WVO from
    retail to all outlets in 2019-2020) the reader sees two series, not a false jump.
    """
    data = [{"type": "scatter", "x": values(part["year"]), "y": values(part["value"]), "mode": "lines+markers",
             "name": SCOPE_LABELS.get(scope, scope), "line": {"color": SCOPE_COLORS.get(scope, "#333"), "width": 2},
             "hovertemplate": f"%{{x}}: %{{y:,.1f}} {unit}<extra>%{{fullData.name}}</extra>"}
            for scope, part in df.sort_values("year").groupby("scope", sort=True)]
    return figure(data, base_layout(title, xaxis={"dtick": 1, "tickformat": "d"},
                                    yaxis={"ticksuffix": f" {unit}" if unit == "%" else "", "rangemode": "tozero"}))
