"""Figures of the province and municipality pages (pure: DataFrame in, Figure out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import SCOPE_COLORS, SCOPE_LABELS, base_layout

PEER_COLOR = "#7f8c99"
DURATION_COLORS = {"frictioneel": "#f2c14e", "langdurig": "#e07b39", "structureel": "#b33a3a"}
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


def empty_figure(message: str) -> go.Figure:
    """Return a blank figure that says why it is blank (no data, no population...)."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 14, "color": "#55606b"})
    base_layout(fig, height=220)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def peer_trend(own: pd.DataFrame, band: pd.DataFrame, name: str, unit: str, decimals: int = 1) -> go.Figure:
    """Draw the municipality's series against its peers' median and interquartile band, per scope.

    ``own``: ``year``, ``scope``, ``value``; ``band``: ``year``, ``scope``, ``p25``, ``median``, ``p75``.
    Each scope is its own line, so a scope change shows as a break.
    """
    fig = go.Figure()
    fmt = f",.{decimals}f"
    suffix = " %" if unit == "%" else f" {unit}" if unit not in ("aantal", "") else ""
    for scope, part in band.sort_values("year").groupby("scope", sort=True):
        label = SCOPE_LABELS.get(scope, "")
        tag = f" ({label})" if len(band["scope"].unique()) > 1 else ""
        fig.add_trace(go.Scatter(x=part["year"], y=part["p75"], mode="lines", line={"width": 0},
                                 hoverinfo="skip", showlegend=False, legendgroup=f"band-{scope}"))
        fig.add_trace(go.Scatter(x=part["year"], y=part["p25"], mode="lines", line={"width": 0},
                                 fill="tonexty", fillcolor="rgba(127,140,153,0.18)", name=f"peers P25-P75{tag}",
                                 legendgroup=f"band-{scope}", hovertemplate=f"P25 %{{y:{fmt}}}{suffix}<extra></extra>"))
        fig.add_trace(go.Scatter(x=part["year"], y=part["median"], mode="lines", name=f"mediaan peers{tag}",
                                 line={"color": PEER_COLOR, "dash": "dash"},
                                 hovertemplate=f"mediaan %{{y:{fmt}}}{suffix}<extra></extra>"))
    for scope, part in own.sort_values("year").groupby("scope", sort=True):
        label = SCOPE_LABELS.get(scope, "")
        tag = f" ({label})" if len(own["scope"].unique()) > 1 else ""
        fig.add_trace(go.Scatter(x=part["year"], y=part["value"], mode="lines+markers", name=f"{name}{tag}",
                                 line={"color": SCOPE_COLORS.get(scope, "#1f5f8b"), "width": 3},
                                 hovertemplate=f"%{{x}}: %{{y:{fmt}}}{suffix}<extra>{name}{tag}</extra>"))
    base_layout(fig, height=340)
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(ticksuffix=" %" if unit == "%" else "", rangemode="tozero")
    return fig


def branch_mix_bars(own: pd.DataFrame, peers: pd.DataFrame, name: str, measure: str = "share_outlets_pct"
                    ) -> go.Figure:
    """Compare the share of each branch group with the peer median (horizontal bars).

    ``own``: ``branch_group``, ``label``, ``measure``; ``peers``: ``branch_group``, ``median``.
    """
    data = own[["branch_group", "label", measure]].merge(peers, on="branch_group", how="outer")
    data = data.sort_values("branch_group", ascending=False)
    labels = data["label"].fillna(data["branch_group"])
    fig = go.Figure([
        go.Bar(y=labels, x=data[measure], orientation="h", name=name, marker_color="#1f5f8b",
               hovertemplate="%{y}: %{x:,.1f} %<extra>" + name + "</extra>"),
        go.Bar(y=labels, x=data["median"], orientation="h", name="mediaan peers", marker_color="#c4ccd4",
               hovertemplate="%{y}: %{x:,.1f} %<extra>mediaan peers</extra>"),
    ])
    base_layout(fig, height=360)
    fig.update_layout(barmode="group")
    fig.update_xaxes(ticksuffix=" %")
    return fig


def duration_bars(df: pd.DataFrame) -> go.Figure:
    """Stack the vacant units by duration class per year (``year``, ``vacant_frictional``, ...)."""
    fig = go.Figure()
    for column, label in (("vacant_frictional", "frictioneel"), ("vacant_longterm", "langdurig"),
                          ("vacant_structural", "structureel")):
        fig.add_trace(go.Bar(x=df["year"], y=df[column], name=label, marker_color=DURATION_COLORS[label],
                             hovertemplate="%{x}: %{y:,.0f} panden<extra>" + label + "</extra>"))
    base_layout(fig, height=320)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=1, tickformat="d")
    return fig


def ranked_bars(df: pd.DataFrame, value: str, highlight: str | None, unit: str, decimals: int = 1) -> go.Figure:
    """Rank areas on ``value`` (``area_code``, ``name``, value), the highlighted one in another colour."""
    data = df.dropna(subset=[value]).sort_values(value)
    colors = ["#e07b39" if c == highlight else "#1f5f8b" for c in data["area_code"]]
    suffix = " %" if unit == "%" else ""
    fig = go.Figure(go.Bar(y=data["name"], x=data[value], orientation="h", marker_color=colors,
                           customdata=data["area_code"],
                           hovertemplate=f"%{{y}}: %{{x:,.{decimals}f}}{suffix}<extra></extra>"))
    base_layout(fig, height=max(320, 18 * len(data) + 60))
    fig.update_xaxes(ticksuffix=suffix)
    fig.update_yaxes(automargin=True)
    return fig


def scatter_two(df: pd.DataFrame, x: str, y: str, x_label: str, y_label: str, highlight: str | None
                ) -> go.Figure:
    """Scatter two indicators over municipalities (``area_code``, ``name``, x, y), one highlighted."""
    data = df.dropna(subset=[x, y])
    is_hl = data["area_code"] == highlight
    fig = go.Figure([
        go.Scatter(x=data.loc[~is_hl, x], y=data.loc[~is_hl, y], mode="markers", text=data.loc[~is_hl, "name"],
                   customdata=data.loc[~is_hl, "area_code"], name="gemeenten",
                   marker={"color": "#1f5f8b", "size": 9, "opacity": 0.75},
                   hovertemplate="%{text}<br>" + x_label + ": %{x:,.1f}<br>" + y_label + ": %{y:,.1f}<extra></extra>"),
        go.Scatter(x=data.loc[is_hl, x], y=data.loc[is_hl, y], mode="markers", text=data.loc[is_hl, "name"],
                   customdata=data.loc[is_hl, "area_code"], name="geselecteerd",
                   marker={"color": "#e07b39", "size": 14, "line": {"color": "#333", "width": 1}},
                   hovertemplate="%{text}<br>" + x_label + ": %{x:,.1f}<br>" + y_label + ": %{y:,.1f}<extra></extra>"),
    ])
    base_layout(fig, height=380)
    fig.update_xaxes(title=x_label, showgrid=True, gridcolor="#eee")
    fig.update_yaxes(title=y_label)
    return fig


def weekly_footfall(df: pd.DataFrame) -> go.Figure:
    """Draw weekly passers (``week_start``, ``passers``) and the year-on-year change (``yoy_pct``).

    A week not counted on all seven days (``days_counted`` < 7, such as the running week) is no week's total:
    the line leaves it out and an open marker shows it as incomplete, so footfall does not seem to collapse.
    """
    days = df["days_counted"] if "days_counted" in df else pd.Series(7, index=df.index)
    complete = days >= 7
    partial = df[~complete]
    fig = go.Figure([
        go.Scatter(x=df["week_start"], y=df["passers"].where(complete), mode="lines", name="passanten per week",
                   line={"color": "#1f5f8b"}, connectgaps=False,
                   hovertemplate="week van %{x|%d-%m-%Y}: %{y:,.0f}<extra></extra>"),
        go.Bar(x=df["week_start"], y=df["yoy_pct"], name="t.o.v. vorig jaar (%)", yaxis="y2",
               marker_color="rgba(224,123,57,0.45)", hovertemplate="%{y:+,.1f} %<extra>t.o.v. vorig jaar</extra>"),
    ])
    if not partial.empty:
        fig.add_trace(go.Scatter(
            x=partial["week_start"], y=partial["passers"], mode="markers", name="onvolledige week",
            marker={"color": "#ffffff", "line": {"color": "#1f5f8b", "width": 2}, "size": 8},
            customdata=days[~complete], hovertemplate="week van %{x|%d-%m-%Y}: %{y:,.0f} "
            "(onvolledig: %{customdata} van 7 dagen geteld)<extra></extra>"))
    base_layout(fig, height=340)
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "ticksuffix": " %", "showgrid": False})
    return fig


def profile_bars(df: pd.DataFrame, profile: str) -> go.Figure:
    """Draw an hour-of-day (``bucket`` 0-23) or weekday (1-7) profile of ``avg_passers``."""
    data = df.sort_values("bucket")
    x = [f"{b}u" for b in data["bucket"]] if profile == "uur" else [WEEKDAYS[b - 1] for b in data["bucket"]]
    fig = go.Figure(go.Bar(x=x, y=data["avg_passers"], marker_color="#1f5f8b",
                           hovertemplate="%{x}: %{y:,.0f} passanten<extra></extra>"))
    base_layout(fig, height=260)
    return fig


def sparkline(df: pd.DataFrame, column: str) -> dict:
    """Return a tiny line of ``column`` by ``year`` for a KPI card (no axes, no legend).

    A plain figure dict: eight of these per page, and plotly's object validation would cost more
    than all the queries behind the page.
    """
    data = df.dropna(subset=[column]).sort_values("year")
    return {
        "data": [{"type": "scatter", "mode": "lines", "x": data["year"].tolist(), "y": data[column].tolist(),
                  "line": {"color": "#1f5f8b", "width": 2}, "hovertemplate": "%{x}: %{y:,.1f}<extra></extra>"}],
        "layout": {"height": 44, "margin": {"l": 0, "r": 0, "t": 4, "b": 4}, "showlegend": False,
                   "separators": ",.", "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
                   "xaxis": {"visible": False}, "yaxis": {"visible": False}},
    }
