"""Controls shared by the pages."""

from __future__ import annotations

from dash import dcc, html

#: Every chart: no plotly logo, and the camera button saves a sharp PNG.
GRAPH_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def year_picker(component_id: str, years: list[int], value: int, width: str | None = None) -> html.Div:
    """Return a labelled dropdown of the inventory years, newest first."""
    return html.Div([
        html.Label("Inventarisjaar", htmlFor=component_id, className="form-label"),
        dcc.Dropdown(id=component_id, options=[{"label": str(y), "value": y} for y in reversed(years)], value=value,
                     clearable=False, style={"width": width} if width else None),
    ])
