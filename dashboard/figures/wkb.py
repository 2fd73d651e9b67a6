"""The outline of a shopping area read straight from its WKB: bounds and outer rings, nothing else.

The fiche's two maps need only the coordinates of the area's polygons. A geometry library for that would
cost each web worker about 19 MiB of resident memory; reading the well-known binary takes a few dozen
lines. Read: 2D, Z, M and ZM coordinates in ISO WKB (type + 1000/2000/3000) and in extended WKB (the high
flag bits, an optional SRID), either byte order, and geometry collections of any of these.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

Ring = list[tuple[float, float]]

_POINT, _LINE, _POLYGON, _MULTIPOINT, _MULTILINE, _MULTIPOLYGON, _COLLECTION = range(1, 8)
_EWKB_Z, _EWKB_M, _EWKB_SRID = 0x80000000, 0x40000000, 0x20000000


class WkbError(ValueError):
    """The bytes are not a geometry this reader knows."""


@dataclass(frozen=True)
class Outline:
    """What the maps draw of a geometry: every polygon's outer ring, and the bounds of all its coordinates."""

    rings: list[Ring]
    bounds: tuple[float, float, float, float] | None


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = memoryview(data), 0
        self.rings: list[Ring] = []
        self.xs: list[float] = []
        self.ys: list[float] = []

    def take(self, fmt: str) -> tuple:
        try:
            values = struct.unpack_from(fmt, self.data, self.at)
        except struct.error as exc:
            raise WkbError(f"WKB afgebroken op byte {self.at}") from exc
        self.at += struct.calcsize(fmt)
        return values

    def points(self, order: str, dims: int) -> Ring:
        (count,) = self.take(order + "I")
        flat = self.take(f"{order}{count * dims}d")
        ring = [(flat[i], flat[i + 1]) for i in range(0, len(flat), dims)]
        self.xs.extend(x for x, _ in ring)
        self.ys.extend(y for _, y in ring)
        return ring

    def geometry(self) -> None:
        (flag,) = self.take("B")
        if flag not in (0, 1):
            raise WkbError(f"onbekende bytevolgorde {flag} op byte {self.at - 1}")
        order = "<" if flag else ">"
        (code,) = self.take(order + "I")
        if code & _EWKB_SRID:
            self.take(order + "I")
        dims = 2 + bool(code & _EWKB_Z) + bool(code & _EWKB_M)
        code &= 0x0FFFFFFF
        if code > 1000:
            dims += {1: 1, 2: 1, 3: 2}.get(code // 1000, 0)
            code %= 1000
        if code == _POINT:
            point = self.take(f"{order}{dims}d")[:2]
            if point[0] == point[0]:  # an empty point is NaN, NaN: no coordinate to bound
                self.xs.append(point[0])
                self.ys.append(point[1])
        elif code == _LINE:
            self.points(order, dims)
        elif code == _POLYGON:
            (count,) = self.take(order + "I")
            for i in range(count):
                ring = self.points(order, dims)
                if i == 0:
                    self.rings.append(ring)
        elif code in (_MULTIPOINT, _MULTILINE, _MULTIPOLYGON, _COLLECTION):
            (count,) = self.take(order + "I")
            for _ in range(count):
                self.geometry()
        else:
            raise WkbError(f"onbekend geometrietype {code}")


def outline(data: bytes) -> Outline:
    """Return the outer rings of the polygons in ``data`` (WKB) and the bounds of all its coordinates.

    Raises :class:`WkbError` on bytes that are not WKB (cut short, unknown type or byte order).
    """
    reader = _Reader(bytes(data))
    reader.geometry()
    if not reader.xs:
        return Outline(reader.rings, None)
    return Outline(reader.rings, (min(reader.xs), min(reader.ys), max(reader.xs), max(reader.ys)))
