"""GeoPackage plumbing: geometry blobs and the SQL functions GDAL's R-tree triggers call.

We write features with plain ``sqlite3`` so that a whole import is one transaction. GDAL creates
the layers (and their R-tree spatial index); its index triggers call ``ST_IsEmpty``/``ST_MinX``...,
which GDAL provides inside GDAL and :func:`register_functions` provides to our connections.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Sequence

import numpy as np
import shapely

SRS_ID = 4326
_ENVELOPE_SIZES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def to_blobs(geometries: Sequence[shapely.Geometry] | np.ndarray, srs_id: int = SRS_ID) -> list[bytes | None]:
    """Encode shapely geometries as GeoPackage binary blobs (little-endian, XY envelope)."""
    geoms = np.asarray(geometries, dtype=object)
    wkbs = shapely.to_wkb(geoms, byte_order=1, flavor="iso")
    bounds = shapely.bounds(geoms)
    empty = shapely.is_empty(geoms)
    out: list[bytes | None] = []
    for wkb, (minx, miny, maxx, maxy), is_empty, geom in zip(wkbs, bounds, empty, geoms, strict=True):
        if geom is None:
            out.append(None)
        elif is_empty:
            out.append(b"GP\x00" + bytes([0x11]) + struct.pack("<i", srs_id) + wkb)
        else:
            header = b"GP\x00" + bytes([0x03]) + struct.pack("<i4d", srs_id, minx, maxx, miny, maxy)
            out.append(header + wkb)
    return out


def from_blob(blob: bytes | None) -> shapely.Geometry | None:
    """Decode one GeoPackage binary blob."""
    if blob is None:
        return None
    flags = blob[3]
    header = 8 + _ENVELOPE_SIZES[(flags >> 1) & 0x07]
    return shapely.from_wkb(bytes(blob[header:]))


def _envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    if blob is None or (blob[3] >> 4) & 1:
        return None
    flags = blob[3]
    if (flags >> 1) & 0x07:
        order = "<" if flags & 1 else ">"
        minx, maxx, miny, maxy = struct.unpack(order + "4d", blob[8:40])
        return minx, maxx, miny, maxy
    geom = from_blob(blob)
    if geom is None or geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    return minx, maxx, miny, maxy


def _is_empty(blob: bytes | None) -> int:
    return 1 if _envelope(blob) is None else 0


def _coordinate(index: int):  # type: ignore[no-untyped-def]
    def fn(blob: bytes | None) -> float | None:
        env = _envelope(blob)
        return None if env is None else env[index]

    return fn


def register_functions(conn: sqlite3.Connection) -> None:
    """Provide the spatial SQL functions that GeoPackage R-tree triggers need."""
    conn.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    for i, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        conn.create_function(name, 1, _coordinate(i), deterministic=True)
