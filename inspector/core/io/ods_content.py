"""Read what calamine does not say of an OpenDocument spreadsheet (.ods) from its XML: merged ranges, error cells."""

from __future__ import annotations

import datetime as dt
import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from xml.parsers import expat


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
    zipfile.BadZipFile, KeyError, xml.parsers.expat.ExpatError
        For a file that is no OpenDocument spreadsheet (or a damaged one).
    """
    with zipfile.ZipFile(path) as archive:
        if b"encryption-data" in archive.read("META-INF/manifest.xml"):
            return Content(True, dt.datetime(1899, 12, 30), {})
        data = archive.read("content.xml")
    sheets = _scan(data)
    if sheets is not None:
        found = _NULL_DATE_VALUE.search(data)
        return Content(False, dt.datetime.fromisoformat(found[1].decode()) if found else _EPOCH, sheets)
    reader = _Reader()  # written otherwise than LibreOffice writes it: parsed element by element
    reader.parser.Parse(data, True)
    return Content(False, reader.epoch, reader.sheets)


_EPOCH = dt.datetime(1899, 12, 30)
_NULL_DATE_VALUE = re.compile(rb'<table:null-date [^>]*?table:date-value="(\d{4}-\d\d-\d\d)')
_PREFIXES = (b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
             b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"')
_SHEET_TAG = re.compile(rb'<table:table [^>]*?table:name="([^"]*)"')
_ROW_TAG = re.compile(rb"<table:table-row\b([^>]*)>")
_CELL_TAG = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*)>")
_REPEATED = re.compile(rb'number-(?:rows|columns)-repeated="(\d+)"')
_SPANNED = re.compile(rb'number-(rows|columns)-spanned="(\d+)"')
_VALUED = b"office:value-type="
_ERROR = b'calcext:value-type="error"'


def _scan(data: bytes) -> dict[str, SheetNotes] | None:
    """The notes of each sheet, found with byte searches, row by row (LibreOffice's way of writing the XML).

    A hundred times faster than parsing every element in Python: the rows are found with a regular
    expression, and only the rows holding a merged or error cell are looked into cell by cell.
    None when the XML is not written that way (other namespace prefixes, a table within a cell).
    """
    if not all(prefix in data for prefix in _PREFIXES) or data.count(b"<table:table ") != len(
            _SHEET_TAG.findall(data)) or b"<table:table-rows" in data:
        return None
    starts = [(m.start(), m[1]) for m in _SHEET_TAG.finditer(data)]
    sheets: dict[str, SheetNotes] = {}
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(data)
        if data.find(b"<table:table ", start + 1, end) != -1:
            return None
        sheets[html.unescape(name.decode())] = _sheet(data, start, end)
    return sheets


def _sheet(data: bytes, start: int, end: int) -> SheetNotes:
    notes = SheetNotes()
    rows = [(m.end(), _repeat(m[1])) for m in _ROW_TAG.finditer(data, start, end)]
    special = sorted({data.rfind(b"<table:table-cell", start, at) for marker in (b'-spanned="', _ERROR)
                      for at in _offsets(data, marker, start, end)})
    number = 1
    for i, (row_start, repeat) in enumerate(rows):
        row_end = rows[i + 1][0] if i + 1 < len(rows) else end
        last = data.rfind(_VALUED, row_start, row_end)
        if last != -1:
            notes.cells += data.count(_VALUED, row_start, row_end) * repeat
            notes.rows = number + repeat - 1
            notes.columns = max(notes.columns, _column(data, row_start, data.find(b">", last) + 1))
        while special and special[0] < row_end:
            at = special.pop(0)
            if at >= row_start:
                _special(data, notes, at, number, repeat, row_start)
        number += repeat
    return notes


def _special(data: bytes, notes: SheetNotes, at: int, row: int, repeat: int, row_start: int) -> None:
    """Note the merged or error cell whose tag starts at ``at``, in ``row`` (repeated ``repeat`` times)."""
    tag = _CELL_TAG.match(data, at)
    assert tag is not None
    times = _repeat(tag[1])
    column = _column(data, row_start, tag.end())  # its last column, when repeated
    spans = {kind: int(count) for kind, count in _SPANNED.findall(tag[1])}
    down, across = spans.get(b"rows", 1), spans.get(b"columns", 1)
    places = [(r, c) for r in range(row, row + repeat) for c in range(column - times + 1, column + 1)]
    if down > 1 or across > 1:
        notes.merged.extend(((r - 1, c - 1), (r + down - 2, c + across - 2)) for r, c in places)
    if _ERROR in tag[1]:
        close = data.find(b"</table:table-cell>", tag.end())
        shown = html.unescape(re.sub(rb"<[^>]*>", b"", data[tag.end():close]).decode()).strip() or "#N/A"
        notes.errors.update((place, shown) for place in places)


def _column(data: bytes, row_start: int, at: int) -> int:
    """The last column (from 1) of the row's cells whose tags end by ``at``: its cells, repeats counted."""
    cells = data.count(b"<table:table-cell", row_start, at) + data.count(b"<table:covered-table-cell", row_start, at)
    if data.find(b"-repeated=", row_start, at) == -1:
        return cells
    return sum(_repeat(m[1]) for m in _CELL_TAG.finditer(data, row_start, at))


def _repeat(attributes: bytes) -> int:
    found = _REPEATED.search(attributes)
    return int(found[1]) if found else 1


def _offsets(data: bytes, marker: bytes, start: int, end: int) -> list[int]:
    found, at = [], data.find(marker, start, end)
    while at != -1:
        found.append(at)
        at = data.find(marker, at + 1, end)
    return found


class _Reader:
    """Follows the rows and cells of content.xml as they are parsed, element by element (expat, no tree)."""

    def __init__(self) -> None:
        self.epoch = dt.datetime(1899, 12, 30)
        self.sheets: dict[str, SheetNotes] = {}
        self.notes: SheetNotes | None = None
        self.row = self.column = 0  # the current row and the last column, from 1
        self.repeat = 1  # times the current row is repeated
        self.error: list[tuple[int, int]] | None = None  # the places of the error cell being read
        self.text: list[str] = []
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag in (_CELL, _COVERED):  # the commonest tags first
            times = int(attributes.get(_COLUMNS_REPEATED, 1))
            if _VALUE_TYPE in attributes and tag == _CELL and self.notes is not None:
                self.cell(self.notes, attributes, times)
            self.column += times
        elif tag == _ROW:
            self.row += self.repeat
            self.repeat = int(attributes.get(_ROWS_REPEATED, 1))
            self.column = 0
        elif tag == _SHEET:
            self.notes = self.sheets[attributes.get(_NAME, "")] = SheetNotes()
            self.row, self.repeat = 0, 1
        elif tag == _NULL_DATE:
            self.epoch = dt.datetime.fromisoformat(attributes.get(_DATE_VALUE, "1899-12-30")[:10])

    def cell(self, notes: SheetNotes, attributes: dict[str, str], times: int) -> None:
        """Note a valued cell, repeated ``times`` across (and as often as its row down)."""
        row, column, repeat = self.row, self.column, self.repeat
        if _ROWS_SPANNED in attributes or _COLUMNS_SPANNED in attributes or _CALC_VALUE_TYPE in attributes:
            down = int(attributes.get(_ROWS_SPANNED, 1))
            across = int(attributes.get(_COLUMNS_SPANNED, 1))
            places = [(r, c) for r in range(row, row + repeat) for c in range(column + 1, column + 1 + times)]
            if down > 1 or across > 1:
                notes.merged.extend(((r - 1, c - 1), (r + down - 2, c + across - 2)) for r, c in places)
            if attributes.get(_CALC_VALUE_TYPE) == "error":  # its text is what it shows: collect it
                self.error, self.text = places, []
                self.parser.CharacterDataHandler = self.text.append
        notes.cells += times * repeat
        if row + repeat > notes.rows:
            notes.rows = row + repeat - 1
        if column + times > notes.columns:
            notes.columns = column + times

    def end(self, tag: str) -> None:
        if self.error is not None and tag == _CELL and self.notes is not None:
            shown = "".join(self.text).strip() or "#N/A"
            self.notes.errors.update((place, shown) for place in self.error)
            self.error = None
            self.parser.CharacterDataHandler = None


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_SHEET, _ROW, _CELL, _COVERED = (_TABLE + name for name in ("table", "table-row", "table-cell", "covered-table-cell"))
_NAME, _NULL_DATE, _DATE_VALUE = _TABLE + "name", _TABLE + "null-date", _TABLE + "date-value"
_ROWS_REPEATED, _COLUMNS_REPEATED = _TABLE + "number-rows-repeated", _TABLE + "number-columns-repeated"
_ROWS_SPANNED, _COLUMNS_SPANNED = _TABLE + "number-rows-spanned", _TABLE + "number-columns-spanned"
_VALUE_TYPE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 value-type"
_CALC_VALUE_TYPE = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0 value-type"
