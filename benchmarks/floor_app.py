"""The floor page of ``benchmarks/pageload.py``: a minimal Dash app with one graph and one callback.

Served by gunicorn with the Procfile's settings, as the dashboard is, so that a page load of the dashboard
can be set beside the least any Dash page with a graph costs on the same machine, in the same run.
"""

from __future__ import annotations

from dash import Dash, Input, Output, dcc, html

app = Dash(__name__, title="vloer")
app.layout = html.Div([
    html.H1("Vloer"),
    dcc.Dropdown(id="floor-year", options=[2024, 2025], value=2025, clearable=False),
    dcc.Graph(id="floor-graph"),
])


@app.callback(Output("floor-graph", "figure"), Input("floor-year", "value"))
def draw(year: int) -> dict:
    """Return a small bar chart: the page's one callback."""
    return {"data": [{"type": "bar", "x": ["a", "b", "c"], "y": [year % 7, 3, 2]}], "layout": {"height": 320}}


server = app.server
