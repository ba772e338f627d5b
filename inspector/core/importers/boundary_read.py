"""Read boundary files: choose the GeoPackage layer, decode Shapefile text, reproject to EPSG:4326."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj

from inspector.core.errors import InputError
from inspector.core.importers import boundary_zip
from inspector.core.io.sniff import file_format
from inspector.core.io.tables import read_features
from inspector.core.text import words

# Words in a layer's name that say which level it holds (accents and case ignored).
#: A word (folded) that names a level: in a layer's name, or a value of a file's level column.
LEVEL_WORDS = {
    **{word: "province" for word in ("province", "provinces", "tinh")},
    **{word: "district" for word in ("district", "districts", "huyen", "quan", "thixa")},  # thị xã: a town
    **{word: "ward" for word in ("ward", "wards", "commune", "communes", "xa", "phuong")},
}


def levels_named(name: str) -> set[str]:
    """The levels a layer's name names by its words ("huyen_thixa": district; "xa" alone: ward)."""
    tokens = " ".join(words(name)).replace("thi xa", "thixa").split()
    return {LEVEL_WORDS[w] for w in tokens if w in LEVEL_WORDS}


@dataclass
class Boundaries:
    """A boundary file as read: its features in EPSG:4326, the layer read and what to warn about."""

    frame: gpd.GeoDataFrame
    layer: str | None = None
    other_layers: list[str] = field(default_factory=list)
    warnings: dict[str, int] = field(default_factory=dict)


def choose_layer(path: Path, layer: str | None, level: str | None = None) -> tuple[str | None, list[str]]:
    """The layer of a GeoPackage (or file of a zip) to read, and its other polygon layers.

    A named layer must exist. Otherwise, of the layers that may hold polygons (a layer of type
    "Unknown" may), the one whose name says ``level``, else the one with the most features (the
    most detailed). The geographic files of a zip (see :mod:`.boundary_zip`) are its layers, named
    by their path in it; a zip of one file, like any other format, gives ``None, []``.
    """
    fmt = file_format(path)
    if fmt == "zip":
        return _choose_member(path.name, boundary_zip.members(path), layer, level)
    if fmt != "gpkg":
        return layer, []
    try:
        listed = [(str(n), t) for n, t in pyogrio.list_layers(str(path))]
    except Exception as exc:  # noqa: BLE001 - GDAL raises several types
        raise InputError("bad_geojson", file=path.name, detail=str(exc).splitlines()[0]) from exc
    polygonal = [n for n, t in listed if _polygonal(t)]
    if layer is not None:
        if layer not in {n for n, _ in listed}:
            raise InputError("unknown_layer", file=path.name, layer=layer,
                             layers=", ".join(f"“{n}”" for n in polygonal or [n for n, _ in listed]))
        return layer, [n for n in polygonal if n != layer]
    if not polygonal:
        raise InputError("no_polygons", file=path.name)
    named = [n for n in polygonal if level and levels_named(n) == {level}]
    chosen = named[0] if named else max(
        polygonal, key=lambda n: pyogrio.read_info(str(path), layer=n)["features"] or 0)
    return chosen, [n for n in polygonal if n != chosen]


def _polygonal(geometry_type: str | None) -> bool:
    """Whether a layer of ``geometry_type`` may hold polygons (one of type "Unknown" may)."""
    return bool(geometry_type) and ("Polygon" in str(geometry_type)
                                    or geometry_type in ("Unknown", "GeometryCollection"))


def _choose_member(file: str, found: list[boundary_zip.Member], layer: str | None,
                   level: str | None) -> tuple[str | None, list[str]]:
    """:func:`choose_layer` among the geographic files of a zip (all of them when none holds polygons)."""
    polygonal = [m for m in found if _polygonal(m.geometry_type)] or found
    if layer is not None:
        chosen = boundary_zip.find(found, layer)
        if chosen is None:
            raise InputError("unknown_layer", file=file, layer=layer,
                             layers=", ".join(f"“{m.name}”" for m in polygonal))
    else:
        named = [m for m in polygonal if level and _levels_of_member(m.name) == {level}]
        chosen = named[0] if named else max(polygonal, key=lambda m: m.features)
    if len(found) == 1:
        return None, []
    return chosen.name, [m.name for m in polygonal if m is not chosen]


def _levels_of_member(name: str) -> set[str]:
    """The levels a file in a zip is named for: by its own name, else by its folders' ("Ranh giới xã/polygon")."""
    path = PurePosixPath(name)
    return levels_named(path.stem) or levels_named(str(path.with_suffix("")))


def layer_sizes(path: Path) -> list[tuple[str, int]]:
    """The polygon layers of a GeoPackage (or files of a zip) and how many features each holds.

    The one an import would read (see :func:`choose_layer`) comes first; none for another format,
    a zip of one file, or a file the import itself would refuse.
    """
    try:
        chosen, others = choose_layer(path, None)
        if chosen is None:
            return []
        if file_format(path) == "zip":
            sizes = {m.name: m.features for m in boundary_zip.members(path)}
            return [(name, sizes[name]) for name in (chosen, *others)]
    except InputError:  # the import itself says what is wrong with the file
        return []
    return [(name, pyogrio.read_info(str(path), layer=name)["features"] or 0) for name in (chosen, *others)]


def read(path: Path, layer: str | None = None) -> Boundaries:
    """Read the features of ``path`` (``layer`` of a GeoPackage) in EPSG:4326.

    A file without CRS is taken as longitude/latitude when its coordinates fit; otherwise, and for
    unreadable or empty files, :class:`~inspector.core.errors.InputError`. Shapefile text that
    GDAL cannot decode (Windows-1258, or no ``.cpg``) is decoded here.
    """
    fmt = file_format(path)
    if fmt not in ("geojson", "shapefile", "gpkg", "zip"):
        raise InputError("unsupported_format", file=path.name, extension=path.suffix)
    result = Boundaries(gpd.GeoDataFrame())
    source, layer_read, codepage = str(path), layer, _codepage(path, fmt)
    if fmt == "zip":
        found = boundary_zip.members(path)
        if layer is None:
            layer, result.other_layers = _choose_member(path.name, found, None, None)
        member = boundary_zip.find(found, layer)
        if member is None:
            raise InputError("unknown_layer", file=path.name, layer=layer,
                             layers=", ".join(f"“{m.name}”" for m in found))
        source, layer_read, codepage = member.source, member.layer, member.codepage
    try:
        if layer is None and fmt == "gpkg":
            layer, result.other_layers = choose_layer(path, None)
            layer_read = layer
        # Windows-1258 is beyond GDAL's iconv (it cuts names and values short) and a .dbf without .cpg
        # is read as Latin-1: read the bytes as Latin-1 and decode them here.
        raw = codepage is not None and (codepage == "" or "1258" in codepage)
        gdf = read_features(source, layer=layer_read, encoding="ISO-8859-1" if raw else None)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL raises several types
        raise InputError("bad_geojson", file=path.name, detail=str(exc).splitlines()[0]) from exc
    result.layer = layer if fmt in ("gpkg", "zip") else None
    if raw:
        gdf, guessed = _decode(gdf, "cp1258" if codepage else None)
        if guessed:
            result.warnings["encoding_guessed"] = guessed
    if gdf.empty:
        raise InputError("no_rows", file=path.name)
    duplicated = sorted({str(c) for c in gdf.columns[gdf.columns.duplicated()]})
    if duplicated:
        raise InputError("duplicate_columns", file=path.name, columns=", ".join(f"“{c}”" for c in duplicated))
    # GDAL gives every GeoJSON without a "crs" member EPSG:4326, whatever its numbers are.
    if gdf.crs is None or gdf.crs.is_geographic:
        minx, miny, maxx, maxy = gdf.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise InputError("missing_crs", file=path.name)
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif _ballpark(gdf.crs):
        result.warnings["datum_unknown"] = len(gdf)
    result.frame = gdf.to_crs("EPSG:4326")
    return result


def _codepage(path: Path, fmt: str) -> str | None:
    """A Shapefile's ``.cpg`` text (upper case; ``""`` when it has none); ``None`` for other formats.

    A zip's members have theirs (:attr:`.boundary_zip.Member.codepage`).
    """
    if fmt == "shapefile":
        cpg = path.with_suffix(".cpg")
        return cpg.read_text("latin-1").strip().upper() if cpg.is_file() else ""
    return None


def _decode(gdf: gpd.GeoDataFrame, codec: str | None) -> tuple[gpd.GeoDataFrame, int]:
    """Decode column names and text read as Latin-1.

    With ``codec``, or, when unknown, UTF-8 if it fits, else Windows-1258; also return the number
    of features whose text was guessed to be Windows-1258.
    """
    texts = [c for c in gdf.columns if c != gdf.geometry.name and not pd.api.types.is_numeric_dtype(gdf[c])]
    guessed = 0
    if codec is None:
        try:
            for text in [*gdf.columns, *(v for c in texts for v in gdf[c] if isinstance(v, str))]:
                str(text).encode("latin-1").decode("utf-8")
            codec = "utf-8"
        except UnicodeError:
            codec = "cp1258"
            guessed = int(pd.concat([gdf[c].map(lambda v: isinstance(v, str) and not v.isascii())
                                     for c in texts], axis=1).any(axis=1).sum()) if texts else 0

    def decoded(value: object) -> object:
        if not isinstance(value, str):
            return value
        return unicodedata.normalize("NFC", value.encode("latin-1", "replace").decode(codec, "replace"))

    out = gdf.copy()
    for c in texts:
        out[c] = gdf[c].map(decoded)
    return out.rename(columns={c: decoded(c) for c in gdf.columns if c != gdf.geometry.name}), guessed


def _ballpark(crs: pyproj.CRS) -> bool:
    """Whether PROJ can only guess the shift from ``crs``'s datum to WGS 84 (off by up to a few hundred metres)."""
    try:
        transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    except pyproj.exceptions.ProjError:
        return False
    return "ballpark" in transformer.description.lower()
