"""Find the data sheet of an XLSX workbook and read it as text cells, as a person sees the sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from inspector.core.columns import map_columns, match_columns, missing_fields
from inspector.core.errors import InputError
from inspector.core.io.values import cell_text

#: The header is looked for among a sheet's first rows (a title and blank rows may come first).
HEADER_ROWS = 10


class Sheet(NamedTuple):
    """The sheet read: its header, its non-empty rows below it, and their row numbers in the sheet."""

    title: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    several: bool  # the workbook has other sheets (so say which one was read)
    epoch: dt.datetime  # day zero of the workbook's date serials
    #: how many of the last rows are below the table: one text each (a total, a note, a signature,
    #: in one cell or merged across the row), as official lists end
    footer: int


def read_sheet(path: Path, kind: str | None = None, overrides: dict[str, str] | None = None) -> Sheet:
    """Read the data sheet of the workbook at ``path``.

    Hidden sheets are skipped. With ``kind``, the data sheet is the first visible sheet with a
    header row (among its first :data:`HEADER_ROWS` rows) naming every required column of that
    import kind; when no sheet has one, the sheet naming the most columns (so that the missing
    column is reported, naming that sheet). The header row is the row naming the most columns. A merged range's
    value fills every cell of the range. Formulas give their saved results.

    Raises
    ------
    InputError
        ``bad_xlsx`` (not a workbook), ``empty_file`` (no visible sheet has cells),
        ``missing_column_sheet`` (no sheet has the required columns) or ``uncached_formulas``
        (formulas whose results were never saved).
    """
    try:  # the full (not read-only) mode knows merged ranges; formulas come as formulas
        book = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise InputError("bad_xlsx", file=path.name, detail=str(exc)) from exc
    best: tuple[int, int, bool, Any] | None = None  # (columns named, header row index, qualifies, sheet)
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        found = _header_row(_grid(sheet, HEADER_ROWS), kind, overrides)
        if found is not None and (best is None or found[2] or found[0] > best[0]):
            best = (*found, sheet)
            if found[2]:
                break
    if best is None:
        raise InputError("empty_file", file=path.name)
    _, index, qualifies, sheet = best
    grid = _grid(sheet)
    _saved_results(path, sheet, grid)
    header = [cell_text(v).strip() for v in grid[index]]
    if kind is not None and not qualifies:  # say which column is missing, and where we looked
        map_columns(kind, header, file=path.name, overrides=overrides, sheet=sheet.title)
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    for number, values in enumerate(grid[index + 1:], start=index + 2):
        cells = [cell_text(v) for v in values[:width]]
        if any(c.strip() for c in cells):
            rows.append(cells + [""] * (width - len(cells)))
            lines.append(number)
    footer = 0
    while footer < len(rows) - 1 and _one_text(rows[-1 - footer]):
        footer += 1
    return Sheet(sheet.title, header, rows, lines, len(book.worksheets) > 1, book.epoch, footer)


def _one_text(cells: list[str]) -> bool:
    """A row holding one text with words in it, alone or merged across the row: "Tổng cộng: 18 cơ sở".

    A lone time or number (a report with just its time) is data, not a footer.
    """
    texts = {c.strip() for c in cells if c.strip()}
    return len(texts) == 1 and sum(ch.isalpha() for ch in next(iter(texts))) >= 3


def _header_row(
    grid: list[list[Any]], kind: str | None, overrides: dict[str, str] | None
) -> tuple[int, int, bool] | None:
    """(columns named, row index, all required named) of the best header row; None if all empty."""
    best: tuple[int, int, bool] | None = None
    for index, values in enumerate(grid):
        header = [cell_text(v).strip() for v in values]
        if not any(header):
            continue
        if kind is None:
            return 0, index, True
        found = match_columns(kind, header, overrides)
        if best is None or len(found) > best[0]:
            best = (len(found), index, not missing_fields(kind, found))
    return best


def _grid(sheet: Any, max_row: int | None = None) -> list[list[Any]]:
    """The sheet's cells from A1 (formula cells as the cell objects), merged ranges filled in."""
    width = sheet.max_column
    grid = [
        [c if c.data_type == "f" else c.value for c in row]
        for row in sheet.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=width)
    ]
    for merged in sheet.merged_cells.ranges:
        top = merged.min_row - 1
        if top >= len(grid):
            continue
        value = grid[top][merged.min_col - 1]
        for r in range(top, min(merged.max_row, len(grid))):
            for c in range(merged.min_col - 1, min(merged.max_col, width)):
                grid[r][c] = value
    return grid


def _saved_results(path: Path, sheet: Any, grid: list[list[Any]]) -> None:
    """Replace formula cells in ``grid`` by their saved results, refusing a workbook that has none."""
    formulas = {(cell.row, cell.column) for row in grid for cell in row if isinstance(cell, Cell)}
    if not formulas:
        return
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        saved: dict[Any, Any] = {}
        for row in book[sheet.title].iter_rows(min_row=1, max_row=len(grid)):
            saved.update({(c.row, c.column): c.value for c in row if (getattr(c, "row", 0), c.column) in formulas})
    finally:
        book.close()
    if all(saved.get(key) is None for key in formulas):
        first = min(formulas)
        raise InputError("uncached_formulas", file=path.name, sheet=sheet.title,
                         cell=f"{get_column_letter(first[1])}{first[0]}")
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, Cell):
                grid[r][c] = saved.get((value.row, value.column))
