"""Read a small table (venues, reports) from CSV, XLSX, GeoJSON or Parquet, keeping source lines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from inspector.core.errors import InputError
from inspector.core.io.sniff import delimiter, detect_encoding, file_format


@dataclass
class Table:
    """Cells as text (``""`` for empty) with where each row came from in the file."""

    frame: pd.DataFrame
    lines: np.ndarray
    unit: str  # "line" (CSV), "row" (XLSX sheet row), "feature" (GeoJSON), "record" (Parquet)
    file: str
    encoding: str | None = None
    sheet: str | None = None


def read_table(path: Path, allowed: tuple[str, ...] = ("csv", "xlsx", "geojson", "parquet")) -> Table:
    """Read ``path`` into a :class:`Table` of text cells.

    Raises
    ------
    InputError
        For a file that is empty, of a format not in ``allowed``, not what its extension says, or
        in an encoding we cannot read.
    """
    fmt = file_format(path)
    if fmt not in allowed:
        raise InputError("unsupported_format", file=path.name, extension=path.suffix)
    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "geojson": _read_geojson, "parquet": _read_parquet}
    table = reader[fmt](path)
    if table.frame.empty:
        raise InputError("no_rows", file=path.name)
    return table


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    encoding = detect_encoding(raw, complete=True, file=path.name)
    text = unicodedata.normalize("NFC", raw.decode(encoding))
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("empty_file", file=path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1
    try:
        for record in reader:
            if header is None:
                header = [h.strip() for h in record]
            elif any(cell.strip() for cell in record):
                rows.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError("bad_csv", file=path.name, line=reader.line_num, detail=str(exc)) from exc
    if not header or not any(header):
        raise InputError("empty_file", file=path.name)
    width = len(header)
    cells = [(r + [""] * width)[:width] for r in rows]
    frame = pd.DataFrame(cells, columns=_unique(header), dtype=object)
    return Table(frame, np.asarray(lines, dtype=np.int64), "line", path.name, encoding)


def _read_xlsx(path: Path) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise InputError("bad_xlsx", file=path.name, detail=str(exc)) from exc
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header: list[str] | None = None
            data: list[list[str]] = []
            lines: list[int] = []
            for number, values in enumerate(rows, start=1):
                cells = [_cell_text(v) for v in values]
                if header is None:
                    if any(cells):
                        header = [c.strip() for c in cells]
                    continue
                if any(c.strip() for c in cells):
                    width = len(header)
                    data.append((cells + [""] * width)[:width])
                    lines.append(number)
            if header:
                frame = pd.DataFrame(data, columns=_unique(header), dtype=object)
                return Table(frame, np.asarray(lines, dtype=np.int64), "row", path.name, None, sheet.title)
    finally:
        book.close()
    raise InputError("empty_file", file=path.name)


def _read_geojson(path: Path) -> Table:
    import pyogrio

    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # noqa: BLE001 - GDAL errors come as several types
        raise InputError("bad_geojson", file=path.name, detail=str(exc).splitlines()[0]) from exc
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326") and not gdf.crs.equals("OGC:CRS84"):
        gdf = gdf.to_crs("EPSG:4326")
    frame = pd.DataFrame({c: gdf[c].map(_cell_text) for c in gdf.columns if c != "geometry"}, dtype=object)
    points = gdf.geometry
    is_point = (points.geom_type == "Point").to_numpy()
    frame["__lon"] = np.where(is_point, points.x.where(is_point), np.nan)
    frame["__lat"] = np.where(is_point, points.y.where(is_point), np.nan)
    frame["__lon"] = frame["__lon"].map(_cell_text)
    frame["__lat"] = frame["__lat"].map(_cell_text)
    return Table(frame, np.arange(1, len(frame) + 1), "feature", path.name, "utf-8")


def _read_parquet(path: Path) -> Table:
    frame = pd.read_parquet(path)
    frame = pd.DataFrame({c: frame[c].map(_cell_text) for c in frame.columns}, dtype=object)
    return Table(frame, np.arange(1, len(frame) + 1), "record", path.name)


def _cell_text(value: object) -> str:
    """Render a cell as text the way a person reading the sheet would type it."""
    if value is None:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    return unicodedata.normalize("NFC", str(value))


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in header:
        name = name or "column"
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count + 1}")
    return out
