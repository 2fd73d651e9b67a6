"""Shared figure layout: Dutch separators, house colours, no plotly logo.

Figures are plain dicts in plotly's JSON form, not ``go.Figure`` objects: a page builds several per view,
and plotly's property validation cost more than the queries behind them. The dicts carry plotly's default
template (taken once from plotly), so they look exactly as the validated figures did.
"""

from __future__ import annotations

from functools import cache

SCOPE_LABELS = {"alle": "alle verkooppunten", "detailhandel": "detailhandel", "leegstand": "leegstaande panden"}
SCOPE_COLORS = {"alle": "#1f5f8b", "detailhandel": "#e07b39", "leegstand": "#666666"}
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@cache
def template() -> dict:
    """Return plotly's default template as plain JSON (what ``go.Figure`` would attach to each figure)."""
    import plotly.io as pio

    return pio.templates[pio.templates.default].to_plotly_json()


def base_layout(title: str | None = None, height: int = 320, **extra: object) -> dict:
    """Return the house layout: nl-BE separators (1.234,5), compact margins, readable fonts.

    ``extra`` adds or replaces top-level layout keys; ``xaxis`` and ``yaxis`` are merged into the house axes.
    """
    layout: dict = {
        "template": template(),
        "height": height,
        "separators": ",.",
        "margin": {"l": 48, "r": 16, "t": 48 if title else 16, "b": 40},
        "font": {"family": FONT_FAMILY, "size": 13},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        "hoverlabel": {"namelength": -1},
        # Whole numbers in full with a thousands point (150.000), never plotly's SI suffixes ("150k").
        "xaxis": {"showgrid": False, "linecolor": "#999", "exponentformat": "none", "separatethousands": True},
        "yaxis": {"gridcolor": "#e5e5e5", "zeroline": False, "exponentformat": "none", "separatethousands": True},
    }
    if title:
        layout["title"] = {"text": title}
    for key, value in extra.items():
        if key in ("xaxis", "yaxis") and isinstance(value, dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def figure(data: list[dict], layout: dict) -> dict:
    """Return a plotly figure dict."""
    return {"data": data, "layout": layout}


def values(series: object) -> list:
    """Return a column as a JSON-ready list (numpy scalars and NaN as plain floats and None)."""
    import pandas as pd

    s = pd.Series(series)
    return [None if pd.isna(v) else v for v in s.tolist()]
