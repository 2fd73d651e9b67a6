"""Figures of the province and municipality pages (pure: DataFrame in, plotly figure dict out)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.figures.common import SCOPE_COLORS, SCOPE_LABELS, base_layout, figure, values

PEER_COLOR = "#7f8c99"
DURATION_COLORS = {"frictioneel": "#f2c14e", "langdurig": "#e07b39", "structureel": "#b33a3a"}
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


def empty_figure(message: str) -> dict:
    """Return a blank figure that says why it is blank (no data, no population...)."""
    return figure([], base_layout(
        height=220, xaxis={"visible": False}, yaxis={"visible": False},
        annotations=[{"text": message, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "showarrow": False,
                      "font": {"size": 14, "color": "#55606b"}}]))


def peer_trend(own: pd.DataFrame, band: pd.DataFrame, name: str, unit: str, decimals: int = 1) -> dict:
    """Draw the municipality's series against its peers' median and interquartile band, per scope.

    ``own``: ``year``, ``scope``, ``value``; ``band``: ``year``, ``scope``, ``p25``, ``median``, ``p75``.
    Each scope is its own line, so a scope change shows as a break.
    """
    data: list[dict] = []
    fmt = f",.{decimals}f"
    suffix = " %" if unit == "%" else f" {unit}" if unit not in ("aantal", "") else ""
    for scope, part in band.sort_values("year").groupby("scope", sort=True):
        label = SCOPE_LABELS.get(scope, "")
        tag = f" ({label})" if len(band["scope"].unique()) > 1 else ""
        years = values(part["year"])
        data += [
            {"type": "scatter", "x": years, "y": values(part["p75"]), "mode": "lines", "line": {"width": 0},
             "hoverinfo": "skip", "showlegend": False, "legendgroup": f"band-{scope}"},
            {"type": "scatter", "x": years, "y": values(part["p25"]), "mode": "lines", "line": {"width": 0},
             "fill": "tonexty", "fillcolor": "rgba(127,140,153,0.18)", "name": f"peers P25-P75{tag}",
             "legendgroup": f"band-{scope}", "hovertemplate": f"P25 %{{y:{fmt}}}{suffix}<extra></extra>"},
            {"type": "scatter", "x": years, "y": values(part["median"]), "mode": "lines",
             "name": f"mediaan peers{tag}", "line": {"color": PEER_COLOR, "dash": "dash"},
             "hovertemplate": f"mediaan %{{y:{fmt}}}{suffix}<extra></extra>"},
        ]
    for scope, part in own.sort_values("year").groupby("scope", sort=True):
        label = SCOPE_LABELS.get(scope, "")
        tag = f" ({label})" if len(own["scope"].unique()) > 1 else ""
        data.append({"type": "scatter", "x": values(part["year"]), "y": values(part["value"]),
                     "mode": "lines+markers", "name": f"{name}{tag}",
                     "line": {"color": SCOPE_COLORS.get(scope, "#1f5f8b"), "width": 3},
                     "hovertemplate": f"%{{x}}: %{{y:{fmt}}}{suffix}<extra>{name}{tag}</extra>"})
    return figure(data, base_layout(height=340, xaxis={"dtick": 1, "tickformat": "d"},
                                    yaxis={"ticksuffix": " %" if unit == "%" else "", "rangemode": "tozero"}))


def branch_mix_bars(own: pd.DataFrame, peers: pd.DataFrame, name: str, measure: str = "share_outlets_pct"
                    ) -> dict:
    """Compare the share of each branch group with the peer median (horizontal bars).

    ``own``: ``branch_group``, ``label``, ``measure``; ``peers``: ``branch_group``, ``median``.
    """
    data = own[["branch_group", "label", measure]].merge(peers, on="branch_group", how="outer")
    data = data.sort_values("branch_group", ascending=False)
    labels = values(data["label"].fillna(data["branch_group"]))
    return figure([
        {"type": "bar", "y": labels, "x": values(data[measure]), "orientation": "h", "name": name,
         "marker": {"color": "#1f5f8b"}, "hovertemplate": "%{y}: %{x:,.1f} %<extra>" + name + "</extra>"},
        {"type": "bar", "y": labels, "x": values(data["median"]), "orientation": "h", "name": "mediaan peers",
         "marker": {"color": "#c4ccd4"}, "hovertemplate": "%{y}: %{x:,.1f} %<extra>mediaan peers</extra>"},
    ], base_layout(height=360, barmode="group", xaxis={"ticksuffix": " %"}))


def duration_bars(df: pd.DataFrame) -> dict:
    """Stack the vacant units by duration class per year (``year``, ``vacant_frictional``, ...)."""
    years = values(df["year"])
    data = [{"type": "bar", "x": years, "y": values(df[column]), "name": label,
             "marker": {"color": DURATION_COLORS[label]},
             "hovertemplate": "%{x}: %{y:,.0f} panden<extra>" + label + "</extra>"}
            for column, label in (("vacant_frictional", "frictioneel"), ("vacant_longterm", "langdurig"),
                                  ("vacant_structural", "structureel"))]
    return figure(data, base_layout(height=320, barmode="stack", xaxis={"dtick": 1, "tickformat": "d"}))


def ranked_bars(df: pd.DataFrame, value: str, highlight: str | None, unit: str, decimals: int = 1) -> dict:
    """Rank areas on ``value`` (``area_code``, ``name``, value), the highlighted one in another colour."""
    data = df.dropna(subset=[value]).sort_values(value)
    colors = ["#e07b39" if c == highlight else "#1f5f8b" for c in data["area_code"]]
    suffix = " %" if unit == "%" else ""
    return figure([{"type": "bar", "y": values(data["name"]), "x": values(data[value]), "orientation": "h",
                    "marker": {"color": colors}, "customdata": values(data["area_code"]),
                    "hovertemplate": f"%{{y}}: %{{x:,.{decimals}f}}{suffix}<extra></extra>"}],
                  base_layout(height=max(320, 18 * len(data) + 60), xaxis={"ticksuffix": suffix},
                              yaxis={"automargin": True}))


def scatter_two(df: pd.DataFrame, x: str, y: str, x_label: str, y_label: str, highlight: str | None) -> dict:
    """Scatter two indicators over municipalities (``area_code``, ``name``, x, y), one highlighted."""
    data = df.dropna(subset=[x, y])
    is_hl = data["area_code"] == highlight
    template = "%{text}<br>" + x_label + ": %{x:,.1f}<br>" + y_label + ": %{y:,.1f}<extra></extra>"

    def trace(part: pd.DataFrame, name: str, marker: dict) -> dict:
        return {"type": "scatter", "x": values(part[x]), "y": values(part[y]), "mode": "markers",
                "text": values(part["name"]), "customdata": values(part["area_code"]), "name": name,
                "marker": marker, "hovertemplate": template}

    return figure([
        trace(data[~is_hl], "gemeenten", {"color": "#1f5f8b", "size": 9, "opacity": 0.75}),
        trace(data[is_hl], "geselecteerd", {"color": "#e07b39", "size": 14, "line": {"color": "#333", "width": 1}}),
    ], base_layout(height=400, xaxis={"title": {"text": x_label}, "showgrid": True, "gridcolor": "#eee"},
                   yaxis={"title": {"text": y_label}},
                   # Above the plot: under it the legend sat on the horizontal axis's title.
                   legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                   margin={"l": 56, "r": 16, "t": 40, "b": 56}))


def weekly_footfall(df: pd.DataFrame) -> dict:
    """Draw weekly passers (``week_start``, ``passers``) and the year-on-year change (``yoy_pct``).

    A week not counted on all seven days (``days_counted`` < 7, such as the running week) is no week's total:
    the line leaves it out and an open marker shows it as incomplete, so footfall does not seem to collapse.
    """
    weeks = values(df["week_start"])
    days = df["days_counted"] if "days_counted" in df else pd.Series(7, index=df.index)
    complete = days >= 7
    data: list[dict] = [
        {"type": "scatter", "x": weeks, "y": values(df["passers"].where(complete)), "mode": "lines",
         "name": "passanten per week", "line": {"color": "#1f5f8b"}, "connectgaps": False,
         "hovertemplate": "week van %{x|%d-%m-%Y}: %{y:,.0f}<extra></extra>"},
        {"type": "bar", "x": weeks, "y": values(df["yoy_pct"]), "name": "t.o.v. vorig jaar (%)", "yaxis": "y2",
         "marker": {"color": "rgba(224,123,57,0.45)"},
         "hovertemplate": "%{y:+,.1f} %<extra>t.o.v. vorig jaar</extra>"},
    ]
    if not complete.all():
        partial = df[~complete]
        data.append({"type": "scatter", "x": values(partial["week_start"]), "y": values(partial["passers"]),
                     "mode": "markers", "name": "onvolledige week", "customdata": values(days[~complete]),
                     "marker": {"color": "#ffffff", "line": {"color": "#1f5f8b", "width": 2}, "size": 8},
                     "hovertemplate": "week van %{x|%d-%m-%Y}: %{y:,.0f} "
                                      "(onvolledig: %{customdata} van 7 dagen geteld)<extra></extra>"})
    return figure(data, base_layout(height=340, yaxis2={"overlaying": "y", "side": "right", "ticksuffix": " %",
                                                        "showgrid": False}))


def profile_bars(df: pd.DataFrame, profile: str) -> dict:
    """Draw an hour-of-day (``bucket`` 0-23) or weekday (1-7) profile of ``avg_passers``."""
    data = df.sort_values("bucket")
    x = [f"{b}u" for b in data["bucket"]] if profile == "uur" else [WEEKDAYS[b - 1] for b in data["bucket"]]
    return figure([{"type": "bar", "x": x, "y": values(data["avg_passers"]), "marker": {"color": "#1f5f8b"},
                    "hovertemplate": "%{x}: %{y:,.0f} passanten<extra></extra>"}], base_layout(height=260))


def sparkline(df: pd.DataFrame, column: str) -> dict:
    """Return a tiny line of ``column`` by ``year`` for a KPI card (no axes, no legend).

    A plain figure dict: eight of these per page, and plotly's object validation would cost more
    than all the queries behind the page.
    """
    # Arrays rather than dropna and sort_values: pandas' overhead per call, eight calls a view.
    years = df["year"].to_numpy()
    values = df[column].to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(values)
    order = np.argsort(years[known], kind="stable")
    return {
        "data": [{"type": "scatter", "mode": "lines", "x": years[known][order].tolist(),
                  "y": values[known][order].tolist(),
                  "line": {"color": "#1f5f8b", "width": 2}, "hovertemplate": "%{x}: %{y:,.1f}<extra></extra>"}],
        "layout": {"height": 44, "margin": {"l": 0, "r": 0, "t": 4, "b": 4}, "showlegend": False,
                   "separators": ",.", "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
                   "xaxis": {"visible": False}, "yaxis": {"visible": False}},
    }
