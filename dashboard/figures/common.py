"""Shared figure layout: Dutch separators, house colours, no plotly logo."""

from __future__ import annotations

import plotly.graph_objects as go

SCOPE_LABELS = {"alle": "alle verkooppunten", "detailhandel": "detailhandel", "leegstand": "leegstaande panden"}
SCOPE_COLORS = {"alle": "#1f5f8b", "detailhandel": "#e07b39", "leegstand": "#666666"}


def base_layout(fig: go.Figure, title: str | None = None, height: int = 320) -> go.Figure:
    """Apply the house layout: nl-BE separators (1.234,5), compact margins, readable fonts."""
    fig.update_layout(
        title=title,
        height=height,
        separators=",.",
        margin={"l": 48, "r": 16, "t": 48 if title else 16, "b": 40},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        hoverlabel={"namelength": -1},
    )
    fig.update_xaxes(showgrid=False, linecolor="#999")
    fig.update_yaxes(gridcolor="#e5e5e5", zeroline=False)
    return fig
