"""Read the sheets of an XLSX workbook as grids of cell values, quickly (python-calamine, in Rust)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl.utils import column_index_from_string

from inspector.core.errors import InputError, rust_panic
from inspector.core.io.xlsx_sparse import Grid, sparse_grid


class SheetEntry(NamedTuple):
    """A worksheet of a workbook: its name, whether it is shown, and where its XML is in the file."""

    title: str
    state: str  # "visible", "hidden" or "veryHidden"
    part: str


class Book(NamedTuple):
    """What a workbook holds: its worksheets in order (not chart sheets), and day zero of its date serials."""

    sheets: tuple[SheetEntry, ...]
    epoch: dt.datetime
    kind: str = "xlsx"  # or "xls", "ods" (see :mod:`~inspector.core.io.xls_ods`)
    #: what an .xls or .ods file says of each sheet that calamine does not (error cells, merged ranges)
    notes: dict[str, Any] | None = None


def open_book(path: Path) -> Book:
    """The worksheets and date system of the workbook at ``path``, without reading any sheet.

    Raises
    ------
    InputError
        ``bad_xlsx`` for a file that is no workbook.
    """
    from openpyxl.reader.excel import ExcelReader

    try:  # the workbook's part only (no shared strings, styles or sheets), read as openpyxl reads it
        reader = ExcelReader(path, read_only=True)
        try:
            reader.read_manifest()
            reader.read_workbook()
            sheets = tuple(SheetEntry(sheet.name, sheet.state or "visible", rel.target)
                           for sheet, rel in reader.parser.find_sheets()
                           if rel.target in reader.valid_files and "chartsheet" not in rel.Type)
            return Book(sheets, reader.wb.epoch)
        finally:
            reader.archive.close()
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise InputError("bad_xlsx", file=path.name, detail=str(exc)) from exc


def read_grids(path: Path, book: Book, titles: Sequence[str]) -> list[Grid]:
    """The grids of the sheets ``titles`` of ``book`` (see :class:`~inspector.core.io.xlsx_sparse.Grid`).

    Values are those a person sees: a formula gives its saved result, an error cell its code
    (``#N/A``), a date cell a :class:`datetime.datetime` (a time alone a :class:`datetime.time`),
    a number a float. A merged range's value fills every cell of it. Only the rows and columns
    holding values are in a grid, so a stray cell far out adds one row or column.

    Raises
    ------
    InputError
        ``bad_xlsx`` for a workbook whose sheets cannot be read.
    """
    import python_calamine

    parts = {entry.title: entry.part for entry in book.sheets}
    try:
        with zipfile.ZipFile(path) as archive, python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
            return [_grid(path, archive, workbook, title, parts[title]) for title in titles]
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, XML and calamine errors of broken files
        raise InputError("bad_xlsx", file=path.name, detail=str(exc)) from exc
    except BaseException as exc:  # a Rust panic in calamine on a file it cannot make sense of
        if not rust_panic(exc):
            raise
        raise InputError("bad_xlsx", file=path.name, detail=str(exc)) from exc


#: calamine lays a sheet's values out densely, from its first to its last value cell, about 32 bytes a cell
#: (openpyxl took about 1 kB a stored cell): a sheet larger than this many cells, and than
#: :data:`DENSE_PER_CELL` times its cells, is read cell by cell instead (a stray value in XFD1048576
#: would otherwise ask for 512 GiB)
DENSE_FLOOR = 4_000_000
DENSE_PER_CELL = 20

_REF = rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"'
_VALUED = re.compile(_REF + rb"[^>]*(?<!/)>")  # a cell that is not an empty element (a styled blank)
_FORMULA = re.compile(_REF + rb'([^>]*)>\s*<f[\s>/][^<]*(?:</f>)?\s*(?:(<v>)([^<]*)</v>)?')
_SAVED = re.compile(_REF + rb'[^>]*>\s*<f[\s>/][^<]*(?:</f>)?\s*<v>[^<]')  # a formula with its result
_ERROR = re.compile(_REF + rb'[^>]* t="e"[^>]*>\s*(?:<f[\s>/][^<]*(?:</f>)?\s*)?<v>([^<]*)</v>')


class _Scan(NamedTuple):
    """What the sheet's XML says that calamine's values do not."""

    errors: dict[tuple[int, int], str]  # (row, column) of error cells: their code, "#N/A"
    uncached: str | None  # the first formula cell, when formulas there are but none has a saved result


def _grid(path: Path, archive: zipfile.ZipFile, workbook: Any, title: str, part: str) -> Grid:
    scan = _scan(archive.read(part))
    if scan is None:  # cells it cannot place safely: read them one by one, as stored
        return sparse_grid(path, part)
    sheet = workbook.get_sheet_by_name(title)
    if sheet.start is not None and any(r <= sheet.start[0] or c <= sheet.start[1] for r, c in scan.errors):
        return sparse_grid(path, part)  # calamine's range holds its error cells
    return lay_out(sheet, scan.errors, sheet.merged_cell_ranges or (), scan.uncached)


def lay_out(sheet: Any, errors: dict[tuple[int, int], str], merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
            uncached: str | None = None) -> Grid:
    """The :class:`Grid` of a sheet read by calamine, its error cells (given as blanks) and merged ranges filled in.

    ``errors`` are keyed by row and column from 1; ``merged`` are first and last cells from 0.
    """
    if sheet.start is None and not errors:
        return Grid([], [], uncached)
    rows: list[list[Any]] = sheet.to_python() if sheet.start is not None else []
    top, left = (sheet.start[0] + 1, sheet.start[1] + 1) if sheet.start is not None else min(errors)
    first_row, first_column = min((r for r, _ in errors), default=top), min((c for _, c in errors), default=left)
    if first_row < top or first_column < left:  # an error cell above or left of the values
        rows = [[]] * (top - min(top, first_row)) + [[""] * (left - min(left, first_column)) + row for row in rows]
        top, left = min(top, first_row), min(left, first_column)
    for (r, c), code in errors.items():
        while len(rows) <= r - top:
            rows.append([])
        row = rows[r - top] = list(rows[r - top])
        row.extend([""] * (c - left + 1 - len(row)))
        row[c - left] = code
    width = max(map(len, rows))
    rows = [row + [""] * (width - len(row)) if len(row) < width else row for row in rows]
    kept = [i for i, row in enumerate(rows) if row.count("") != len(row)]
    kept_rows = [rows[i] for i in kept]
    columns = [j for j, column in enumerate(zip(*kept_rows, strict=True)) if column.count("") != len(column)]
    if len(columns) < width:  # only the columns holding values
        kept_rows = [[row[j] for j in columns] for row in kept_rows]
    # a date cell without a time of day (calamine: a date) as openpyxl gave it: a datetime at midnight
    grid = [[dt.datetime.combine(v, _MIDNIGHT) if type(v) is dt.date else v for v in row] for row in kept_rows]
    numbers = [top + i for i in kept]
    letters = [left + j for j in columns]
    for (r0, c0), (r1, c1) in merged:
        i, j = bisect_left(numbers, r0 + 1), bisect_left(letters, c0 + 1)
        if i == len(numbers) or numbers[i] != r0 + 1 or j == len(letters) or letters[j] != c0 + 1:
            continue  # its first cell is blank
        value = grid[i][j]
        for row in grid[i:bisect_right(numbers, r1 + 1)]:
            row[j:bisect_right(letters, c1 + 1)] = [value] * (bisect_right(letters, c1 + 1) - j)
    return Grid(numbers, grid, uncached)


_MIDNIGHT = dt.time()


def _scan(data: bytes) -> _Scan | None:
    """Error cells and formulas without results in a sheet's XML; None when calamine is not to read it.

    That is when a cell is written otherwise than Excel, LibreOffice and openpyxl write them (no
    reference, another attribute first, a namespace prefix: then its place cannot be bounded here),
    or when the values are too far apart for a dense layout (see :data:`DENSE_FLOOR`).
    """
    cells = data.count(b'<c r="')
    if cells != data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/") or (
            b":c" in data and any(tag in data for tag in (b":c ", b":c>", b":c/"))):
        return None
    refs = _VALUED.findall(data)
    if refs:
        last_row = max(map(int, {r for _, r in refs}))
        last_column = max(column_index_from_string(c.decode()) for c in {c for c, _ in refs})
        if last_row * last_column > max(DENSE_FLOOR, DENSE_PER_CELL * len(refs)):
            return None
    errors: dict[tuple[int, int], str] = {}
    if b' t="e"' in data:
        found = _ERROR.findall(data)
        if len(found) != data.count(b' t="e"'):
            return None
        errors = {(int(r), column_index_from_string(c.decode())): v.decode() for c, r, v in found if v}
    uncached = None
    if b"<f" in data and _SAVED.search(data) is None:  # formulas, none seen with a result: look at each
        formulas = _FORMULA.findall(data)
        if len(formulas) != data.count(b"<f>") + data.count(b"<f ") + data.count(b"<f/"):
            return None
        # a result saved: a value, or an empty text (t="str"); none: no <v> or an empty one, as openpyxl writes them
        if not any(v or (opened and b' t="str"' in attributes) for _, _, attributes, opened, v in formulas):
            *_, uncached = min((int(r), column_index_from_string(c.decode()), c.decode() + r.decode())
                               for c, r, *_ in formulas)
    return _Scan(errors, uncached)
