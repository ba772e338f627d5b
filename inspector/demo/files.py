"""Write the demo files atomically and byte-reproducibly (temporary names, fixed zip times)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Zip entry time and document time of the workbook: fixed so that runs are byte-identical.
_ZIP_TIME = (2021, 8, 1, 0, 0, 0)


class Staging:
    """Hand out temporary names in ``out_dir`` and move them into place only when all succeeded.

    Nothing in ``out_dir`` changes until :meth:`commit`; :meth:`discard` removes every temporary
    file, so a cancelled or failed run leaves the folder as it was.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._pending: list[tuple[Path, Path]] = []

    def part(self, name: str) -> Path:
        """Return the temporary path for final file ``name`` (removing a stale one)."""
        tmp = self.out_dir / f".{name}.part"
        tmp.unlink(missing_ok=True)
        self._pending.append((tmp, self.out_dir / name))
        return tmp

    def final(self, name: str) -> Path:
        """Return the path that file ``name`` will have after :meth:`commit`."""
        return self.out_dir / name

    def commit(self) -> None:
        """Rename every temporary file to its final name."""
        for tmp, final in self._pending:
            os.replace(tmp, final)
        self._pending.clear()

    def discard(self) -> None:
        """Delete every temporary file handed out so far."""
        for tmp, _ in self._pending:
            tmp.unlink(missing_ok=True)
        self._pending.clear()


def write_geojson(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """Write ``frame`` as GeoJSON (EPSG:4326) with pyogrio, whatever the file's extension."""
    frame.to_file(path, driver="GeoJSON", engine="pyogrio", layer=layer)


def fixed_decimals(values: np.ndarray, missing: np.ndarray | None = None, digits: int = 6) -> pa.Array:
    """Format floats with exactly ``digits`` decimals as an Arrow string array (vectorised).

    Parameters
    ----------
    values
        The numbers.
    missing
        Optional mask; masked entries become nulls (empty CSV cells).
    digits
        Number of decimals.
    """
    scale = 10**digits
    scaled = np.rint(np.abs(values) * scale).astype(np.int64)
    whole = pa.array(scaled // scale, mask=missing)
    frac = pa.array(scaled % scale, mask=missing)
    text = pc.binary_join_element_wise(
        pc.cast(whole, pa.string()), pc.utf8_lpad(pc.cast(frac, pa.string()), digits, "0"), "."
    )
    negative = values < 0
    if not negative.any():  # the usual case (coordinates here): skip the costly branch
        return text
    return pc.if_else(pa.array(negative), pc.binary_join_element_wise("-", text, ""), text)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip file whose entries all carry the same timestamp."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None,
                 compresslevel: Any = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None,
              compresslevel: Any = None) -> None:
        # openpyxl streams worksheets through a temporary file: keep its content, not its mtime.
        self.writestr(str(arcname or filename), Path(filename).read_bytes())


def write_workbook(workbook: Any, path: Path) -> None:
    """Save an openpyxl workbook with fixed document and zip times (byte-reproducible)."""
    from datetime import datetime

    from openpyxl.writer.excel import ExcelWriter

    moment = datetime(*_ZIP_TIME)
    workbook.properties.created = moment
    workbook.properties.modified = moment
    archive = _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()
