"""The fiche maps' WKB reader against shapely (the ETL's geometry library), on every kind of input it meets."""

from __future__ import annotations

import struct

import pytest
import shapely

from dashboard.figures.wkb import WkbError, outline

SQUARE = shapely.box(3.70, 51.05, 3.72, 51.06)
HOLED = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (3, 2), (3, 3), (2, 2)]])
MULTI = shapely.MultiPolygon([SQUARE, shapely.box(4.0, 50.0, 4.5, 50.2)])


def shapely_view(geom: shapely.Geometry) -> tuple[list, tuple]:
    """What the maps drew with shapely: the exterior of each polygon part, and the bounds."""
    parts = getattr(geom, "geoms", [geom])
    return [list(p.exterior.coords) for p in parts if hasattr(p, "exterior")], tuple(geom.bounds)


@pytest.mark.parametrize("geom", [SQUARE, HOLED, MULTI, shapely.MultiPolygon([HOLED, SQUARE])],
                         ids=["square", "holed", "multi", "multi-holed"])
@pytest.mark.parametrize("byte_order", [0, 1], ids=["big-endian", "little-endian"])
def test_outline_matches_shapely(geom: shapely.Geometry, byte_order: int) -> None:
    found = outline(shapely.to_wkb(geom, byte_order=byte_order))
    assert (found.rings, found.bounds) == shapely_view(geom)


def test_z_coordinates_iso_and_extended_with_srid() -> None:
    flat = shapely.box(1, 2, 3, 4)
    with_z = shapely.force_3d(flat, 7.5)
    extended = shapely.to_wkb(shapely.set_srid(with_z, 4326), include_srid=True)
    for wkb in (shapely.to_wkb(with_z, flavor="iso"), extended):
        found = outline(wkb)
        assert found.rings == shapely_view(flat)[0]
        assert found.bounds == (1, 2, 3, 4)


def test_collection_keeps_polygons_and_bounds_every_part() -> None:
    geom = shapely.GeometryCollection([shapely.Point(9, 60), SQUARE, shapely.LineString([(0, 50), (1, 51)])])
    found = outline(shapely.to_wkb(geom))
    assert found.rings == [list(SQUARE.exterior.coords)]
    assert found.bounds == geom.bounds


def test_empty_polygon_has_no_ring_and_no_bounds() -> None:
    found = outline(shapely.to_wkb(shapely.Polygon()))
    assert (found.rings, found.bounds) == ([], None)


def test_bad_bytes_are_refused_by_name() -> None:
    wkb = shapely.to_wkb(SQUARE)
    with pytest.raises(WkbError, match="afgebroken"):
        outline(wkb[:-5])
    with pytest.raises(WkbError, match="bytevolgorde"):
        outline(b"\x07" + wkb[1:])
    with pytest.raises(WkbError, match="geometrietype 17"):
        outline(struct.pack("<BI", 1, 17))
