"""The programme's map: the applications of a call as points over the provinces, coloured by decision."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.maps import TileSource, fit_view, map_layout, province_trace

#: Decision -> colour (colour-blind safe, and the legend names each).
DECISION_COLORS = {"geselecteerd": "#1b7837", "reservelijst": "#e08214", "niet geselecteerd": "#8c96a0",
                   None: "#2166ac"}
DECISION_NAMES = {"geselecteerd": "Geselecteerd", "reservelijst": "Reservelijst",
                  "niet geselecteerd": "Niet geselecteerd", None: "Nog niet beslist"}


def selection_map(rows: pd.DataFrame, provinces: pd.DataFrame, tiles: TileSource | None, height: int = 420) -> dict:
    """Return the map of a call's applications (``lat``, ``lon``, ``name``, ``decision``, ``total``)."""
    traces = [province_trace(provinces)]
    for decision, name in DECISION_NAMES.items():
        part = rows[rows["decision"].isna()] if decision is None else rows[rows["decision"] == decision]
        if part.empty:
            continue
        traces.append({
            "type": "scattermap", "name": f"{name} ({len(part)})", "lat": part["lat"].tolist(),
            "lon": part["lon"].tolist(), "mode": "markers",
            "marker": {"size": 11, "color": DECISION_COLORS[decision]},
            "text": [f"{n}: score {t:.1f}".replace(".", ",") for n, t in zip(part["name"], part["total"], strict=True)],
            "hovertemplate": "%{text}<extra></extra>",
        })
    centre, zoom = fit_view(2.54, 50.68, 5.92, 51.51, width=640, height=height)
    return {"data": traces, "layout": map_layout(centre, zoom, tiles, height, "Beslissing")}
