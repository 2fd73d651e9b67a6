"""Indicator trends over the years, one line per scope so that a scope change shows as a break."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import SCOPE_COLORS, SCOPE_LABELS, base_layout


def scope_trend(df: pd.DataFrame, title: str, unit: str = "%") -> go.Figure:
    """Draw ``value`` by ``year`` with one line per ``scope``.

    Lines of different scopes are never joined: where Locatus widened a scope (e.g. vacancy WVO from
    retail to all outlets in 2019-2020) the reader sees two series, not a false jump.
    """
    fig = go.Figure()
    for scope, part in df.sort_values("year").groupby("scope", sort=True):
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["value"],
                mode="lines+markers",
                name=SCOPE_LABELS.get(scope, scope),
                line={"color": SCOPE_COLORS.get(scope, "#333"), "width": 2},
                hovertemplate=f"%{{x}}: %{{y:,.1f}} {unit}<extra>%{{fullData.name}}</extra>",
            )
        )
    base_layout(fig, title)
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(ticksuffix=f" {unit}" if unit == "%" else "", rangemode="tozero")
    return fig
