"""Read a small table (venues, reports) from CSV, a workbook (XLSX, XLS, ODS) or GeoJSON, keeping source lines."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from inspector.core.columns import HEADER_ROWS, find_header, likely_header, map_columns, no_header
from inspector.core.errors import InputError
from inspector.core.io.sniff import SAMPLE, WORKBOOKS, allow_fields_up_to, delimiter, detect_encoding, file_format
from inspector.core.io.values import cell_text, footer_rows
from inspector.core.messages import Message

if TYPE_CHECKING:
    from inspector.core.io.workbook import Sheet

#: ``sheet`` for every sheet of a workbook with the required columns (Excel allows no "*" in a sheet's name)
ALL_SHEETS = "*"


@dataclass
class Table:
    """Cells as text (``""`` for empty) with where each row came from in the file.

    A column ``__bad_row`` (when present) holds, for a CSV line with more cells than the header,
    ``{"cells": n, "columns": m}`` (``None`` for other rows); a column ``__footer`` marks a sheet's
    rows below the table (see :class:`~inspector.core.io.workbook.Sheet`). The importers reject both.
    ``unnamed`` are the names given to columns whose header cell was empty. A table read from
    several sheets of a workbook has their rows one sheet after the other, and ``row_sheets``
    names each row's sheet.
    """

    frame: pd.DataFrame
    lines: np.ndarray
    unit: str  # "line" (CSV), "row" (workbook sheet row), "feature" (GeoJSON), "record" (Parquet scan logs)
    file: str
    encoding: str | None = None
    sheets: tuple[str, ...] = ()  # the sheets read, when the workbook has several
    epoch: dt.datetime | None = None  # day zero of a workbook's date serials
    unnamed: tuple[str, ...] = ()
    other_sheets: tuple[str, ...] = ()  # other sheets with the required columns (not read)
    header_at: int | None = None  # the header's line or row (for a preview; CSV and XLSX)
    row_sheets: np.ndarray | None = None  # each row's sheet, when several were read

    def where(self, row: int) -> int | Message:
        """Where row ``row`` of :attr:`frame` is in the file: its line, or with several sheets read, its sheet too."""
        line = int(self.lines[row])
        return line if self.row_sheets is None else Message("in_sheet", {"line": line, "sheet": self.row_sheets[row]})


def read_table(
    path: Path, allowed: tuple[str, ...] = ("csv", "xlsx", "xls", "ods", "geojson"), *, kind: str | None = None,
    overrides: dict[str, str] | None = None, sheet: str | list[str] | None = None,
) -> Table:
    """Read ``path`` into a :class:`Table` of text cells.

    Parameters
    ----------
    path
        The file.
    allowed
        The formats accepted.
    kind, overrides
        The import kind and the user's column choices: in a workbook, the sheet and header row
        are those naming the kind's columns (see :func:`inspector.core.io.workbook.read_sheet`);
        in a CSV file, the header line is the one of the first lines naming the most of them
        (title lines may come first).
    sheet
        The workbook's sheet to read, when the user named one; or several sheets of the same
        table (or :data:`~inspector.core.io.workbook.ALL_SHEETS`), read as one table (see
        :func:`_read_sheets`).

    Raises
    ------
    InputError
        For a file that is empty, of a format not in ``allowed``, not what its extension says, or
        in an encoding we cannot read.
    """
    fmt = file_format(path)
    if fmt not in allowed:
        raise InputError("unsupported_format", file=path.name, extension=path.suffix)
    if fmt in WORKBOOKS:
        if isinstance(sheet, list) or sheet == ALL_SHEETS:
            table = _read_sheets(path, kind, overrides, sheet)
        else:
            table = _read_xlsx(path, kind, overrides, sheet)
    elif fmt == "csv":
        table = _read_csv(path, kind, overrides)
    else:
        table = _read_geojson(path)
    if table.frame.empty:
        raise InputError("no_rows", file=path.name)
    return table


def head_table(path: Path, allowed: tuple[str, ...], kind: str, *, sheet: str | list[str] | None = None,
               rows: int = 5) -> Table:
    """The header and first ``rows`` rows of ``path`` as :func:`read_table` reads them, for a preview.

    The file is not read whole (a workbook is loaded whole, as for an import), and no header is
    refused for its columns: the header line or row is the one naming the most columns of
    ``kind``, or when none names any, the likeliest by its shape (see
    :func:`~inspector.core.columns.likely_header`). The workbook's sheet is the one an import
    reads (see :func:`~inspector.core.io.workbook.head_sheet`), or ``sheet``.

    Raises
    ------
    InputError
        As :func:`read_table` does for a file it cannot read at all.
    """
    fmt = file_format(path)
    if fmt not in allowed:
        raise InputError("unsupported_format", file=path.name, extension=path.suffix)
    if fmt in WORKBOOKS:
        return _head_xlsx(path, kind, sheet, rows)
    if fmt == "csv":
        return _head_csv(path, kind, rows)
    return _read_geojson(path, rows)


def _read_csv(path: Path, kind: str | None, overrides: dict[str, str] | None) -> Table:
    raw = path.read_bytes()
    encoding = detect_encoding(raw, complete=True, file=path.name)
    records, starts = _records(_text(raw, encoding, complete=True, file=path.name), path.name)
    index = _header_index(records, kind, overrides, path.name)
    header = _header_cells(records, index)
    body = [(r, s) for r, s in zip(records[index + 1:], starts[index + 1:], strict=True) if any(c.strip() for c in r)]
    rows = [r for r, _ in body]
    lines = [s for _, s in body]
    width = len(header)
    cells = [(r + [""] * width)[:width] for r in rows]
    names = _unique(header)
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    footer = footer_rows(cells)
    if footer:  # a total or a signature below the table
        frame["__footer"] = np.arange(len(frame)) >= len(frame) - footer
    # a cell beyond the header (an unquoted separator) would shift the row: reject it, do not guess
    too_wide = [any(c.strip() for c in r[width:]) for r in rows]
    if any(too_wide):
        frame["__bad_row"] = [{"cells": len(r), "columns": width} if w else None
                              for r, w in zip(rows, too_wide, strict=True)]
    return Table(frame, np.asarray(lines, dtype=np.int64), "line", path.name, encoding,
                 unnamed=_unnamed(header, names))


def _head_csv(path: Path, kind: str, rows: int) -> Table:
    """The header and first ``rows`` data rows of a CSV file, read as :func:`_read_csv` reads the whole file.

    Only the file's first :data:`~inspector.core.io.sniff.SAMPLE` bytes are read.
    """
    with path.open("rb") as fh:
        raw = fh.read(SAMPLE)
    complete = len(raw) < SAMPLE or path.stat().st_size == len(raw)
    encoding = detect_encoding(raw, complete=complete, file=path.name)
    records, starts = _records(_text(raw, encoding, complete=complete, file=path.name), path.name,
                               HEADER_ROWS + 10 * rows)
    if not complete and len(records) < HEADER_ROWS + 10 * rows:
        records, starts = records[:-1], starts[:-1]  # the last record may be cut short
    index, body, lines = head_rows(kind, records, starts, rows, path.name)
    header = _header_cells(records, index)
    names = _unique(header)
    frame = pd.DataFrame(body, columns=names, dtype=object)
    return Table(frame, np.asarray(lines, dtype=np.int64), "line", path.name, encoding,
                 unnamed=_unnamed(header, names), header_at=starts[index])


def _header_cells(records: list[list[str]], index: int) -> list[str]:
    """The cells of the header line ``records[index]``, those of a header of two lines completed from the first.

    A workbook whose header has two rows (a group heading over some columns, other columns named by
    cells merged down both rows) saves as CSV the names of the latter on the first line only: an empty
    cell of the header line takes the text above it when that line has several (a heading, not a title).
    """
    header = [h.strip() for h in records[index]]
    above = [c.strip() for c in records[index - 1]] if index else []
    if sum(1 for c in above if c) < 2:
        return header
    return [h or (above[i] if i < len(above) else "") for i, h in enumerate(header)]


def head_rows(kind: str, records: list[list[str]], starts: list[int], rows: int,
              file: str) -> tuple[int, list[list[str]], list[int]]:
    """For a preview of a CSV file: which of its first ``records`` is the header, and the rows below it.

    The header is the likeliest (see :func:`~inspector.core.columns.likely_header`); the rows are
    the first ``rows`` records below it that are not blank, as wide as the header, with the line
    each starts on (``starts``).
    """
    index = likely_header(kind, records[:HEADER_ROWS])
    if index is None:
        raise InputError("empty_file", file=file)
    width = len(records[index])
    body = [((r + [""] * width)[:width], s) for r, s in zip(records[index + 1:], starts[index + 1:], strict=True)
            if any(c.strip() for c in r)][:rows]
    return index, [r for r, _ in body], [s for _, s in body]


def _text(raw: bytes, encoding: str, *, complete: bool, file: str) -> str:
    """A CSV file's text (or its start) from its bytes, in NFC and without a byte order mark."""
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(raw, final=complete)
    except UnicodeDecodeError as exc:  # a UTF-16 mark on a file not (or not wholly) UTF-16; an odd byte at its end
        line = raw[:exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise InputError("mixed_encoding", file=file, line=line, encoding=encoding.upper().removesuffix("-SIG")) \
            from None
    text = unicodedata.normalize("NFC", text)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("empty_file", file=file)
    return text


def _records(text: str, file: str, limit: int | None = None) -> tuple[list[list[str]], list[int]]:
    """The first ``limit`` (or all) records of CSV ``text`` and the line each starts on."""
    allow_fields_up_to(len(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    records: list[list[str]] = []
    starts: list[int] = []
    start = 1
    try:
        for record in itertools.islice(reader, limit):
            records.append(record)
            starts.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError("bad_csv", file=file, line=reader.line_num, detail=str(exc)) from exc
    return records, starts


def _header_index(records: list[list[str]], kind: str | None, overrides: dict[str, str] | None, file: str) -> int:
    """Which of ``records`` is the header (see :func:`~inspector.core.columns.find_header`)."""
    found = find_header(kind, records[:HEADER_ROWS], overrides)
    if found is None:
        raise InputError("empty_file", file=file)
    named, index, _ = found
    if kind is not None and named == 0:
        raise no_header(kind, file=file)
    return index


def _read_xlsx(path: Path, kind: str | None, overrides: dict[str, str] | None, name: str | None) -> Table:
    from inspector.core.io.workbook import read_sheet

    sheet = read_sheet(path, kind, overrides, name)
    frame, names = _sheet_frame(sheet)
    return Table(frame, np.asarray(sheet.lines, dtype=np.int64), "row", path.name, None,
                 (sheet.title,) if sheet.several else (), sheet.epoch, _unnamed(sheet.header, names), sheet.others)


def _read_sheets(path: Path, kind: str | None, overrides: dict[str, str] | None, names: list[str] | str) -> Table:
    """Several sheets of one table as one (see :func:`~inspector.core.io.workbook.read_sheets`).

    A sheet may order its columns otherwise or head them with other names of the same fields
    ("Tên cơ sở", "Tên đơn vị"): each sheet's columns are matched to the fields of ``kind`` and
    take the first sheet's name of the field; other columns are kept under their own names.
    """
    from inspector.core.io.workbook import read_sheets

    assert kind is not None, "several sheets are read as one table of a kind"
    sheets = read_sheets(path, kind, overrides, names)
    frames, reference = [], None
    unnamed: set[str] = set()
    for sheet in sheets:
        frame, columns = _sheet_frame(sheet)
        unnamed.update(_unnamed(sheet.header, columns))
        # the columns chosen by hand must be in every sheet read: refused, not read some other way
        found = map_columns(kind, [c for c in columns if c not in unnamed], file=path.name, overrides=overrides,
                            sheet=sheet.title, row=None, unnamed=unnamed)
        reference = reference or found
        renamed = {found[f]: reference[f] for f in found if f in reference}
        # a column of the sheet's own already bearing a name its fields take ("Mã" of row numbers) steps aside
        renamed.update({c: f"{c} ({sheet.title})" for c in columns if c not in renamed and c in renamed.values()})
        frame = frame.rename(columns=renamed)
        frame["__footer"] = frame.get("__footer", False)
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True).astype(object)
    footer = frame.pop("__footer").to_numpy(dtype=bool)  # every sheet has the column
    frame = frame.where(frame.notna(), "")  # a column one sheet has and another has not
    if footer.any():
        frame["__footer"] = footer
    row_sheets = np.concatenate([np.full(len(sheet.rows), sheet.title, dtype=object) for sheet in sheets])
    return Table(frame, np.concatenate([np.asarray(s.lines, dtype=np.int64) for s in sheets]), "row", path.name,
                 None, tuple(s.title for s in sheets), sheets[0].epoch, tuple(sorted(unnamed)),
                 row_sheets=row_sheets)


def _sheet_frame(sheet: Sheet) -> tuple[pd.DataFrame, list[str]]:
    """A sheet's cells under its column names (made unique), with its rows below the table marked."""
    names = _unique(sheet.header)
    frame = pd.DataFrame(sheet.rows, columns=names, dtype=object)
    if sheet.footer:
        frame["__footer"] = np.arange(len(frame)) >= len(frame) - sheet.footer
    return frame, names


def _head_xlsx(path: Path, kind: str, name: str | list[str] | None, rows: int) -> Table:
    from inspector.core.io.workbook import head_sheet

    sheet, header_at = head_sheet(path, kind, name, rows)
    names = _unique(sheet.header)
    return Table(pd.DataFrame(sheet.rows, columns=names, dtype=object), np.asarray(sheet.lines, dtype=np.int64), "row",
                 path.name, None, (sheet.title,) if sheet.several else (), sheet.epoch, _unnamed(sheet.header, names),
                 header_at=header_at)


def read_features(source: Any, **options: Any) -> Any:
    """The GeoDataFrame pyogrio reads of a vector file, without the warnings it and GDAL print on reading.

    A property of mixed types (a number here, a word or a list there) is read as text, which our
    readers make of every value anyway; the command line's output stays the summary.
    """
    import pyogrio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return pyogrio.read_dataframe(source, **options)


def _read_geojson(path: Path, limit: int | None = None) -> Table:
    try:
        gdf = read_features(path, max_features=limit)
    except Exception as exc:  # noqa: BLE001 - GDAL errors come as several types
        raise InputError("bad_geojson", file=path.name, detail=str(exc).splitlines()[0]) from exc
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326") and not gdf.crs.equals("OGC:CRS84"):
        gdf = gdf.to_crs("EPSG:4326")
    frame = pd.DataFrame({c: gdf[c].map(cell_text) for c in gdf.columns if c != "geometry"}, dtype=object)
    geometry = gdf.geometry.to_numpy()
    kinds = shapely.get_type_id(geometry)
    points = kinds == shapely.GeometryType.POINT
    lon, lat = np.full(len(gdf), np.nan), np.full(len(gdf), np.nan)
    lon[points], lat[points] = shapely.get_x(geometry[points]), shapely.get_y(geometry[points])
    frame["__lon"] = pd.Series(lon, index=frame.index).map(cell_text)
    frame["__lat"] = pd.Series(lat, index=frame.index).map(cell_text)
    # what a feature has instead of a point ("" for a point or no geometry at all)
    frame["__not_point"] = [g.geom_type if k not in (-1, shapely.GeometryType.POINT) else ""
                            for g, k in zip(geometry, kinds, strict=True)]
    return Table(frame, np.arange(1, len(frame) + 1), "feature", path.name, "utf-8")


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in header:
        name = name or "column"
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count + 1}")
    return out


def _unnamed(header: list[str], names: list[str]) -> tuple[str, ...]:
    """The names :func:`_unique` gave to the columns whose header cell is empty."""
    return tuple(name for raw, name in zip(header, names, strict=True) if not raw.strip())
