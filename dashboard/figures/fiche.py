"""Figures of the DNA fiche (pure): the small core-area map for the screen, and SVG charts for the PDF.

The PDF draws its charts as SVG straight from the data: vector-sharp on paper, and no browser to start
or keep warm (typst renders the SVG itself). The screen shows the same data as plotly figures.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from dashboard.figures.common import base_layout, figure
from dashboard.formatting import fmt_number

OWN_COLOR = "#1f5f8b"
PEER_COLOR = "#aab4be"
#: Map points: occupied, vacant (up to 3 years), structurally vacant.
POINT_STYLES = {
    "bezet": ("#1f5f8b", "bezet"),
    "leeg": ("#e07b39", "leeg (≤ 3 jaar)"),
    "structureel": ("#b33a3a", "structureel leeg (> 3 jaar)"),
}
FONT = "DejaVu Sans, sans-serif"
POINT_HOVER = "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]:,.0f} m²<extra></extra>"


def point_state(outlets: pd.DataFrame) -> pd.Series:
    """Return per outlet its map state: ``bezet``, ``leeg`` or ``structureel``."""
    vacant = outlets["is_vacant"].fillna(False).astype(bool)
    structural = outlets["vacancy_class"] == "structureel"
    return pd.Series(["structureel" if s and v else "leeg" if v else "bezet" for v, s in
                      zip(vacant, structural, strict=True)], index=outlets.index)


def _escaped(texts: pd.Series) -> list[str]:
    """Return each text escaped for a hover template (HTML), every distinct text escaped once."""
    plain = texts.astype(str).tolist()
    done = {t: escape(t) for t in set(plain)}
    return [done[t] for t in plain]


def _rings(geom: BaseGeometry) -> list[list[tuple[float, float]]]:
    polygons = getattr(geom, "geoms", [geom])
    return [list(p.exterior.coords) for p in polygons if hasattr(p, "exterior")]


def _zoom(bounds: tuple[float, float, float, float], width_px: int = 420) -> float:
    # Web-mercator: 256 px cover 360 degrees at zoom 0; fit the wider side of the bounds, a margin kept.
    minx, miny, maxx, maxy = bounds
    lat = math.radians((miny + maxy) / 2)
    span = max(maxx - minx, (maxy - miny) / max(math.cos(lat), 0.1), 1e-4)
    return max(1.0, min(17.0, math.log2(360 * width_px / 256 / span) - 1.2))


def core_map(geometry_wkb: bytes | None, outlets: pd.DataFrame, name: str) -> dict:
    """Draw the shopping area's outline and its outlets on a blank map (no tiles, no text labels).

    ``outlets``: ``name``, ``branch_group``, ``is_vacant``, ``vacancy_class``, ``wvo_m2``, ``lon``, ``lat``.
    Text on a map fetches glyphs from the internet, so the names are hover text only; the WVO travels as a
    number and the browser formats it (the figure's nl-BE separators).
    """
    data = []
    bounds = None
    if geometry_wkb:
        geom = shapely.from_wkb(geometry_wkb)
        bounds = geom.bounds
        for ring in _rings(geom):
            data.append({"type": "scattermap", "lon": [x for x, _ in ring], "lat": [y for _, y in ring],
                         "mode": "lines", "fill": "toself", "fillcolor": "rgba(31,95,139,0.08)",
                         "line": {"color": OWN_COLOR, "width": 2}, "name": name, "hoverinfo": "name"})
    pts = outlets.dropna(subset=["lon", "lat"])
    states = point_state(pts).to_numpy()
    # Column by column, each distinct text escaped once: a large centre has thousands of outlets.
    custom = np.empty((len(pts), 3), dtype=object)  # per point: name, branch group, WVO (a number)
    custom[:, 0] = _escaped(pts["name"].where(pts["name"].notna() & (pts["name"] != ""), "leeg pand"))
    custom[:, 1] = _escaped(pts["branch_group"])
    custom[:, 2] = [None if math.isnan(w) else int(w) if w.is_integer() else w
                    for w in pd.to_numeric(pts["wvo_m2"], errors="coerce").astype(float).tolist()]
    # Whole steps of 1e-5 degree (about a metre): the map cannot show finer, and the answer is half as long.
    lon, lat = pts["lon"].to_numpy(dtype=float).round(5), pts["lat"].to_numpy(dtype=float).round(5)
    for state, (color, label) in POINT_STYLES.items():
        rows = np.flatnonzero(states == state)
        if not len(rows):
            continue
        data.append({"type": "scattermap", "lon": lon[rows], "lat": lat[rows], "mode": "markers",
                     "name": label, "marker": {"size": 6 if state == "bezet" else 8, "color": color},
                     "customdata": custom[rows].tolist(), "hovertemplate": POINT_HOVER})
    if bounds is None and not pts.empty:
        bounds = (pts["lon"].min(), pts["lat"].min(), pts["lon"].max(), pts["lat"].max())
    view: dict[str, object] = {"style": "white-bg"}
    if bounds is not None:
        view.update(zoom=_zoom(bounds), center={"lon": (bounds[0] + bounds[2]) / 2, "lat": (bounds[1] + bounds[3]) / 2})
    layout = base_layout(height=360, map=view, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    layout["legend"] = {**layout["legend"], "y": 0.02, "yanchor": "bottom"}
    return figure(data, layout)


# --- SVG for the PDF ------------------------------------------------------------------------------------------


def _svg(width: float, height: float, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}">{body}</svg>')


def _text(x: float, y: float, text: str, size: float = 2.4, anchor: str = "start", fill: str = "#1d2733") -> str:
    return (f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(text)}</text>")


def svg_branch_bars(groups: pd.DataFrame, width: float = 110, row: float = 5.2) -> str:
    """Draw each branch group's share against the peer median as paired bars (SVG, units in mm).

    ``groups``: ``label``, ``share_pct``, ``peer_median``.
    """
    label_w, value_w = 34.0, 9.0
    bar_w = width - label_w - value_w
    top = 4.0
    top_value = max([*groups["share_pct"].fillna(0), *groups["peer_median"].fillna(0), 1.0])
    parts = [
        f'<rect x="{label_w}" y="0.6" width="2.4" height="2" fill="{OWN_COLOR}"/>',
        _text(label_w + 3.2, 2.4, "dit winkelgebied", 2.2),
        f'<rect x="{label_w + 30}" y="0.6" width="2.4" height="2" fill="{PEER_COLOR}"/>',
        _text(label_w + 33.2, 2.4, "mediaan peers", 2.2),
    ]
    for i, g in enumerate(groups.itertuples(index=False)):
        y = top + i * row
        own = 0.0 if pd.isna(g.share_pct) else float(g.share_pct)
        peer = 0.0 if pd.isna(g.peer_median) else float(g.peer_median)
        label = g.label if len(g.label) <= 24 else g.label.split(" (")[0]
        parts.append(_text(0, y + 2.6, label, 2.3))
        parts.append(f'<rect x="{label_w}" y="{y + 0.4:.2f}" width="{bar_w * own / top_value:.2f}" height="2.1" '
                     f'fill="{OWN_COLOR}"/>')
        parts.append(f'<rect x="{label_w}" y="{y + 2.6:.2f}" width="{bar_w * peer / top_value:.2f}" height="1.6" '
                     f'fill="{PEER_COLOR}"/>')
        parts.append(_text(width, y + 2.6, f"{fmt_number(own, 1)} %", 2.2, "end"))
    return _svg(width, top + len(groups) * row, "".join(parts))


def svg_columns(labels: list[str], values: list[float], width: float = 60, height: float = 16,
                highlight: int = 3, every: int = 1) -> str:
    """Draw a small column chart (a footfall profile); the ``highlight`` highest columns in dark blue."""
    if not values:
        return _svg(width, height, _text(width / 2, height / 2, "geen tellingen", 2.4, "middle", "#55606b"))
    top = max(max(values), 1e-9)
    ranked = sorted(range(len(values)), key=lambda i: (-values[i], i))[:highlight]
    step = width / len(values)
    chart_h = height - 3.2
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = chart_h * value / top
        color = OWN_COLOR if i in ranked else PEER_COLOR
        parts.append(f'<rect x="{i * step + step * 0.12:.2f}" y="{chart_h - h:.2f}" width="{step * 0.76:.2f}" '
                     f'height="{h:.2f}" fill="{color}"/>')
        if i % every == 0:
            parts.append(_text(i * step + step / 2, height - 0.4, label, 2.0, "middle", "#55606b"))
    return _svg(width, height, "".join(parts))


def svg_sparkline(values: list[float | None], width: float = 12, height: float = 4.5) -> str:
    """Draw a tiny line of a key figure over the years (gaps stay gaps); empty when fewer than 2 values."""
    known = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if len(known) < 2:
        return _svg(width, height, "")
    lo, hi = min(known), max(known)
    span = hi - lo or 1.0
    step = width / max(len(values) - 1, 1)
    segments: list[list[str]] = []
    current: list[str] = []
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            segments, current = [*segments, current] if current else segments, []
            continue
        current.append(f"{i * step:.2f},{height - 0.5 - (height - 1) * (v - lo) / span:.2f}")
    segments = [*segments, current] if current else segments
    lines = "".join(f'<polyline points="{" ".join(s)}" fill="none" stroke="{OWN_COLOR}" stroke-width="0.5"/>'
                    for s in segments if len(s) > 1)
    last = current[-1].split(",") if current else None
    dot = f'<circle cx="{last[0]}" cy="{last[1]}" r="0.6" fill="{OWN_COLOR}"/>' if last else ""
    return _svg(width, height, lines + dot)


def svg_core_map(geometry_wkb: bytes | None, outlets: pd.DataFrame, width: float = 64, height: float = 60,
                 legend: bool = True) -> str:
    """Draw the area's outline and outlets as SVG paths straight from the geometry (no tiles, no browser).

    Longitude is scaled by cos(latitude) so that the shape keeps its proportions at Flemish latitudes.
    ``legend=False`` leaves the legend out (and its strip): the PDF sets it as text under the map.
    """
    geom = shapely.from_wkb(geometry_wkb) if geometry_wkb else None
    pts = outlets.dropna(subset=["lon", "lat"])
    if geom is None and pts.empty:
        return _svg(width, height, _text(width / 2, height / 2, "geen geometrie", 2.4, "middle", "#55606b"))
    minx, miny, maxx, maxy = geom.bounds if geom is not None else (pts["lon"].min(), pts["lat"].min(),
                                                                   pts["lon"].max(), pts["lat"].max())
    if not pts.empty:
        minx, miny = min(minx, pts["lon"].min()), min(miny, pts["lat"].min())
        maxx, maxy = max(maxx, pts["lon"].max()), max(maxy, pts["lat"].max())
    kx = math.cos(math.radians((miny + maxy) / 2))
    legend_h, pad = (4.0 if legend else 0.0), 1.5
    scale = min((width - 2 * pad) / max((maxx - minx) * kx, 1e-9), (height - legend_h - 2 * pad) / max(maxy - miny,
                                                                                                     1e-9))

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return pad + (lon - minx) * kx * scale, pad + (maxy - lat) * scale

    parts = [f'<rect x="0" y="0" width="{width}" height="{height - legend_h}" fill="#f6f8fa"/>']
    for ring in _rings(geom) if geom is not None else []:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.2f},{y:.2f}" for i, (x, y) in
                        enumerate(xy(lon, lat) for lon, lat in ring))
        parts.append(f'<path d="{path} Z" fill="rgba(31,95,139,0.10)" stroke="{OWN_COLOR}" stroke-width="0.5"/>')
    states = point_state(pts)
    for state, (color, _) in POINT_STYLES.items():  # vacant units drawn last, on top
        r = 0.45 if state == "bezet" else 0.7
        # One path per state, each outlet a near-zero stroke with round caps (a dot of diameter 2r): a centre
        # has hundreds of outlets, and a renderer spends far longer on a <circle> or an arc per outlet.
        dots = "".join(f"M{x:.2f},{y:.2f}h0.01" for x, y in (xy(lon, lat) for lon, lat in
                                                              zip(pts.loc[states == state, "lon"],
                                                                  pts.loc[states == state, "lat"], strict=True)))
        if dots:
            parts.append(f'<path d="{dots}" fill="none" stroke="{color}" stroke-width="{2 * r}" '
                         'stroke-linecap="round"/>')
    x = 0.0
    for color, label in POINT_STYLES.values() if legend else ():
        parts.append(f'<circle cx="{x + 1}" cy="{height - 1.6}" r="0.8" fill="{color}"/>')
        parts.append(_text(x + 2.2, height - 0.8, label, 1.9))
        x += 3.4 + len(label) * 1.05
    return _svg(width, height, "".join(parts))
