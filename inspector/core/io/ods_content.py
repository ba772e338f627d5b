"""Read what calamine does not say of an OpenDocument spreadsheet (.ods) from its XML: merged ranges, error cells."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from xml.etree.ElementTree import Element, iterparse

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass
class SheetNotes:
    """What a sheet's XML says: its merged ranges, error cells and how far its values reach.

    Merged ranges are first and last cells, rows and columns from 0 (as calamine gives them for an
    .xlsx); error cells are keyed by row and column from 1, with the text shown ("#DIV/0!").
    """

    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    cells: int = 0  # cells holding a value (for bounding a dense layout)
    rows: int = 0  # the last row holding a value (from 1)
    columns: int = 0  # the last column holding a value (from 1)


class Content(NamedTuple):
    """What an .ods file's XML says that calamine's values do not."""

    encrypted: bool  # saved with a password: nothing else was read
    epoch: dt.datetime  # day zero of its date serials (its "null date")
    sheets: dict[str, SheetNotes]


def read_content(path: Path) -> Content:
    """The password flag, null date, merged ranges and error cells of the .ods file at ``path``.

    Raises
    ------
    zipfile.BadZipFile, KeyError, xml.etree.ElementTree.ParseError
        For a file that is no OpenDocument spreadsheet (or a damaged one).
    """
    epoch = dt.datetime(1899, 12, 30)
    with zipfile.ZipFile(path) as archive:
        if b"encryption-data" in archive.read("META-INF/manifest.xml"):
            return Content(True, epoch, {})
        sheets: dict[str, SheetNotes] = {}
        with archive.open("content.xml") as source:
            notes: SheetNotes | None = None
            row = column = 0  # the current row and the last column, from 1
            repeat = 1  # times the current row is repeated
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == f"{_TABLE}table":
                        notes = sheets[element.get(f"{_TABLE}name", "")] = SheetNotes()
                        row, repeat = 0, 1
                    elif tag == f"{_TABLE}table-row":
                        row += repeat
                        repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                        column = 0
                    continue
                if tag == f"{_TABLE}null-date":
                    epoch = dt.datetime.fromisoformat(element.get(f"{_TABLE}date-value", "1899-12-30")[:10])
                elif notes is not None and tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                    times = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
                    if tag == f"{_TABLE}table-cell" and (element.get(f"{_OFFICE}value-type") or len(element)):
                        _note(notes, element, row, column, times, repeat)
                    column += times
                    element.clear()
                elif tag == f"{_TABLE}table-row":
                    element.clear()
    return Content(False, epoch, sheets)


def _note(notes: SheetNotes, cell: Element, row: int, column: int, times: int, repeat: int) -> None:
    """Note a valued cell, repeated ``times`` across and ``repeat`` down, after ``column`` of ``row``."""
    down = int(cell.get(f"{_TABLE}number-rows-spanned", "1"))
    across = int(cell.get(f"{_TABLE}number-columns-spanned", "1"))
    error = "".join(cell.itertext()) or "#N/A" if cell.get(f"{_CALCEXT}value-type") == "error" else None
    if down > 1 or across > 1 or error is not None:
        for r in range(row, row + repeat):
            for c in range(column + 1, column + 1 + times):
                if down > 1 or across > 1:
                    notes.merged.append(((r - 1, c - 1), (r + down - 2, c + across - 2)))
                if error is not None:
                    notes.errors[(r, c)] = error
    notes.cells += times * repeat
    notes.rows = max(notes.rows, row + repeat - 1)
    notes.columns = max(notes.columns, column + times)
