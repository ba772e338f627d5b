"""Find the geographic files inside a zip: Shapefiles, GeoJSON and GeoPackages, in any folder of it."""

from __future__ import annotations

import functools
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pyogrio

from inspector.core.errors import InputError
from inspector.core.i18n import Translate

#: The extensions (lower case) of the files read from a zip, and what GDAL reads them as.
GEOGRAPHIC = {".shp": "shapefile", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}
#: How many of a zip's files a refusal names.
LISTED = 8


@dataclass(frozen=True)
class Member:
    """A geographic file in a zip (or one layer of a GeoPackage in it) that an import can read."""

    name: str  #: as a person reads it and names it (``--layer``): its path in the zip, ``/layer`` for a GeoPackage's
    source: str  #: what GDAL opens
    layer: str | None  #: the layer of a GeoPackage in the zip
    geometry_type: str | None
    features: int
    codepage: str | None  #: a Shapefile's ``.cpg`` text, upper case (``""``: it has none); ``None`` for others


def members(path: Path) -> list[Member]:
    """The geographic files in the zip ``path``, in the order of the zip.

    Files in folders count as those at the top (a folder zipped by Windows' "Send to → Compressed
    folder"); names stored without the UTF-8 flag are decoded as UTF-8 when they are, else as
    Windows-1258. Layers without geometry (a GeoPackage's tables) are left out.

    Raises
    ------
    InputError
        ``bad_zip`` for a damaged archive, ``empty_file`` for one without files, and
        ``zip_without_geodata``, naming its files, for one without any geographic file.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and not _junk(i.filename)]
            texts = {i.filename.lower(): i for i in infos}
            found = []
            for info in infos:
                kind = GEOGRAPHIC.get(PurePosixPath(info.filename).suffix.lower())
                if kind is None:
                    continue
                cpg = texts.get(str(PurePosixPath(info.filename).with_suffix(".cpg")).lower())
                codepage = None if kind != "shapefile" else (
                    archive.read(cpg).decode("latin-1").strip().upper() if cpg else "")
                found.append((info, kind, codepage))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise InputError("bad_zip", file=path.name) from exc
    if not infos:
        raise InputError("empty_file", file=path.name)
    out = [m for info, kind, codepage in found for m in _read_member(path, info, kind, codepage)]
    if not out:
        names = [display_name(i) for i in infos]
        raise InputError("zip_without_geodata", file=path.name, files=functools.partial(_listing, names))
    return out


def display_name(info: zipfile.ZipInfo) -> str:
    """The name of a file in a zip as its author wrote it.

    Python (and GDAL) read a name stored without the UTF-8 flag as IBM437; Linux tools store UTF-8
    that way, Windows its own code page (Windows-1258 on Vietnamese systems).
    """
    name = info.filename
    if not info.flag_bits & 0x800 and not name.isascii():
        raw = name.encode("cp437")
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            name = raw.decode("cp1258", "replace")
    return unicodedata.normalize("NFC", name)


def _junk(name: str) -> bool:
    """Files a zip made on a Mac carries beside the real ones (``__MACOSX/``, ``._name``)."""
    parts = PurePosixPath(name).parts
    return "__MACOSX" in parts or parts[-1].startswith("._")


def _read_member(path: Path, info: zipfile.ZipInfo, kind: str, codepage: str | None) -> list[Member]:
    """The member ``info`` as one :class:`Member`, or one per layer of a GeoPackage with several."""
    source = f"/vsizip/{{{path}}}/{info.filename}"  # braces: the zip's own path may hold ".zip/"
    name = display_name(info)
    try:
        if kind != "gpkg":
            meta = pyogrio.read_info(source)
            return [Member(name, source, None, meta["geometry_type"], int(meta["features"] or 0), codepage)]
        layers = [(str(n), t) for n, t in pyogrio.list_layers(source) if t]
    except Exception:  # noqa: BLE001 - GDAL raises several types; a file it cannot open is read (and refused) later
        return [Member(name, source, None, None, 0, codepage)]
    polygonal = [(n, t) for n, t in layers if "Polygon" in t or t in ("Unknown", "GeometryCollection")]
    layers = polygonal or layers
    return [Member(name if len(layers) == 1 else f"{name}/{layer}", source, layer, geometry_type,
                   int(pyogrio.read_info(source, layer=layer)["features"] or 0), None)
            for layer, geometry_type in layers]


def find(found: list[Member], name: str | None) -> Member | None:
    """The member called ``name``: by its whole name, else by its last part when only one has it."""
    if name is None:
        return found[0] if len(found) == 1 else None
    exact = [m for m in found if m.name == name]
    if exact:
        return exact[0]
    last = [m for m in found if PurePosixPath(m.name).name.lower() == name.lower()
            or PurePosixPath(m.name).stem.lower() == name.lower()]
    return last[0] if len(last) == 1 else None


def _listing(names: list[str], tr: Translate) -> str:
    """``a.txt, b.pdf and 3 other files``: the first of ``names``, and how many more."""
    shown = ", ".join(f"“{n}”" for n in names[:LISTED])
    if len(names) <= LISTED:
        return shown
    return tr("{files} and {count} other files").format(files=shown, count=len(names) - LISTED)
