"""Coordinate conversions (pyproj) and geometry helpers shared by the ETL and the demo."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer

WGS84 = "EPSG:4326"
LAMBERT72 = "EPSG:31370"
LAMBERT2008 = "EPSG:3812"
CRS_NAMES = {WGS84: "WGS84 (graden)", LAMBERT72: "Lambert 72 (EPSG:31370)", LAMBERT2008: "Lambert 2008 (EPSG:3812)"}


@lru_cache(maxsize=8)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def to_wgs84(x: np.ndarray, y: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert projected coordinates to lon/lat (NaN stays NaN)."""
    if crs == WGS84:
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    lon, lat = _transformer(crs, WGS84).transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(lon), np.asarray(lat)


def from_wgs84(lon: np.ndarray, lat: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert lon/lat to projected coordinates in ``crs`` (NaN stays NaN)."""
    x, y = _transformer(WGS84, crs).transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def guess_projected_crs(x: np.ndarray, y: np.ndarray) -> str:
    """Tell which CRS a column of x/y values in Flanders is in.

    Flanders in Lambert 72 lies at x 20-260 km, y 150-250 km; in Lambert 2008 the same ground is at
    x 520-760 km, y 650-750 km; values under 200 are degrees. The median decides, so that a few
    wrong rows are rejected by the inside-Flanders check instead of flipping the whole file.
    """
    xs = x[~np.isnan(x)]
    ys = y[~np.isnan(y)]
    if len(xs) == 0 or len(ys) == 0:
        return LAMBERT72
    mx, my = float(np.median(xs)), float(np.median(ys))
    if abs(mx) <= 180 and abs(my) <= 90:
        return WGS84
    if mx > 450_000 and my > 550_000:
        return LAMBERT2008
    return LAMBERT72


def transform_geometry(geom: shapely.Geometry, src: str, dst: str) -> shapely.Geometry:
    """Reproject a shapely geometry."""
    t = _transformer(src, dst)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
