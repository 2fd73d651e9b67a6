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
    return crs_of_medians(float(np.median(xs)), float(np.median(ys)))


def crs_of_medians(mx: float | None, my: float | None) -> str:
    """Tell the CRS from the medians of the x and y values (see :func:`guess_projected_crs`)."""
    if mx is None or my is None:
        return LAMBERT72
    if abs(mx) <= 180 and abs(my) <= 90:
        return WGS84
    if mx > 450_000 and my > 550_000:
        return LAMBERT2008
    return LAMBERT72


def transform_geometry(geom: shapely.Geometry, src: str, dst: str) -> shapely.Geometry:
    """Reproject a shapely geometry."""
    t = _transformer(src, dst)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def simplify_valid(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify outlines for the web and keep every one a valid, non-empty (multi)polygon.

    ``preserve_topology`` alone can still leave self-touching rings on real boundary files, so
    the result is repaired with ``make_valid``; a shape that simplification would erase (a sliver
    smaller than the tolerance) keeps its original outline rather than vanish from the map.
    """
    geoms = np.asarray(geoms, dtype=object)
    out = shapely.simplify(geoms, tolerance, preserve_topology=True)
    broken = ~shapely.is_valid(out)
    if broken.any():
        out[broken] = [_polygonal(g) for g in shapely.make_valid(out[broken])]
    lost = shapely.is_empty(out) | (shapely.area(out) == 0)
    out[lost] = geoms[lost]
    return out


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    # make_valid may return a collection with stray lines or points; only the polygons are an outline.
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        return geom
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, shapely.Polygon | shapely.MultiPolygon)]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def geojson_text(geom: shapely.Geometry, grid: float = 1e-5) -> str:
    """Return a geometry as compact GeoJSON text, coordinates snapped to ``grid`` degrees.

    1e-5 degrees is about 1 m in Flanders: finer than any outline on screen, and snapping with
    ``set_precision`` keeps the polygon valid where plain rounding could make rings cross.
    """
    return shapely.to_geojson(shapely.set_precision(geom, grid))


def assign_to_areas(lon: np.ndarray, lat: np.ndarray, area_ids: list[str], areas: np.ndarray) -> list[str | None]:
    """Return, for each point, the id of the area whose outline contains it (``None`` outside all).

    Where areas overlap, the smallest one wins: it is the more specific street or square.
    """
    import geopandas as gpd

    points = gpd.GeoDataFrame({"i": np.arange(len(lon))}, geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    polys = gpd.GeoDataFrame({"area_id": area_ids}, geometry=list(areas), crs=WGS84)
    polys["size"] = polys.to_crs(LAMBERT2008).area
    hits = points.sjoin(polys, how="inner", predicate="within").sort_values(["i", "size", "area_id"])
    first = hits.drop_duplicates("i").set_index("i")["area_id"]
    return [first.get(i) for i in range(len(lon))]
