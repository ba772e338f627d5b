"""Find the data sheet of an XLSX workbook and read it as text cells, as a person sees the sheet."""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from inspector.core.columns import HEADER_ROWS, find_header, likely_header, map_columns, no_header
from inspector.core.errors import InputError
from inspector.core.io.tables import ALL_SHEETS
from inspector.core.io.values import cell_text, footer_rows
from inspector.core.text import fold


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
    #: the other visible sheets that have the required columns too (not read: say so)
    others: tuple[str, ...] = ()


class _Candidate(NamedTuple):
    """A visible sheet with values, and where its header is (None when none of its first rows has text)."""

    sheet: Any
    numbers: list[int]  # the sheet's row numbers of the rows in ``grid``
    grid: list[list[Any]]
    named: int  # columns of the import kind its header row names
    header_at: int | None  # the header row's index in ``grid``
    qualifies: bool  # its header names every required column
    data_rows: int  # non-empty rows below the header


def read_sheet(path: Path, kind: str | None = None, overrides: dict[str, str] | None = None,
               sheet: str | None = None) -> Sheet:
    """Read the data sheet of the workbook at ``path``.

    Hidden sheets are skipped. With ``kind``, the data sheet is, among the visible sheets with a
    header row (among their first :data:`~inspector.core.columns.HEADER_ROWS` rows) naming every
    required column of that import kind, the one with the most data rows (the first on a tie; the
    others are returned in :attr:`Sheet.others`); when no sheet has one, the sheet naming the most
    columns (so that the missing column is reported, naming that sheet). A ``sheet`` named by the user
    is read instead (``unknown_sheet`` when the workbook has no visible one of that name). The header row is the row
    naming the most columns; the table's columns end at its last heading. A merged range's value
    fills every cell of the range. Formulas give their saved results.

    Raises
    ------
    InputError
        ``bad_xlsx`` (not a workbook), ``empty_file`` (no visible sheet has values),
        ``no_header_sheet`` (no row among the first rows names a column of ``kind``),
        ``missing_column_sheet`` (no sheet has the required columns) or ``uncached_formulas``
        (formulas whose results were never saved).
    """
    book, candidates = _candidates(path, kind, overrides, sheet, use="take")
    chosen, qualified = _choose(candidates)
    if kind is not None and not chosen.qualifies:
        _refuse(path, kind, overrides, chosen)
    others = tuple(c.sheet.title for c in qualified if c is not chosen)
    return _read(path, book, chosen, others)


def read_sheets(path: Path, kind: str, overrides: dict[str, str] | None,
                sheets: Sequence[str] | str) -> list[Sheet]:
    """Read several sheets of one table (a registry kept a sheet per district), in the workbook's order.

    ``sheets`` names them, or is :data:`ALL_SHEETS` for every visible sheet whose header names the
    required columns of ``kind``. Each is read as :func:`read_sheet` reads one; a named sheet
    without the required columns is refused, naming it.
    """
    book, candidates = _candidates(path, kind, overrides, None if sheets == ALL_SHEETS else sheets, use="take")
    chosen = [c for c in candidates if c.qualifies] if sheets == ALL_SHEETS else candidates
    for candidate in chosen or [_choose(candidates)[0]]:
        if not candidate.qualifies:
            _refuse(path, kind, overrides, candidate)
    return [_read(path, book, candidate, ()) for candidate in chosen]


def table_sheets(path: Path, kind: str) -> list[tuple[str, int]]:
    """The visible sheets of the workbook whose header names the required columns of ``kind``, with their rows.

    In the workbook's order; for asking which of them to import. A workbook of one visible sheet
    is not loaded whole (``[]``: nothing to choose).
    """
    try:  # its list of sheets only
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise InputError("bad_xlsx", file=path.name, detail=str(exc)) from exc
    visible = sum(1 for w in book.worksheets if w.sheet_state == "visible")
    book.close()
    if visible < 2:
        return []
    _, candidates = _candidates(path, kind, None, None, use="keep")  # for the import asked for next
    return [(c.sheet.title, c.data_rows) for c in candidates if c.qualifies]


#: The last workbook loaded whole by :func:`table_sheets`, kept for the import the user is asked for:
#: loading a workbook of 50,000 rows takes about ten seconds. One at most, under the file's path,
#: modification time and size; the import that reads it, or :func:`forget_kept`, lets it go.
_kept: dict[str, Any] = {}
_kept_lock = threading.Lock()


def forget_kept() -> None:
    """Let the workbook kept by :func:`table_sheets` go (the user chose not to import it after all)."""
    with _kept_lock:
        _kept.clear()


def _load(path: Path, use: str) -> Any:
    """The workbook at ``path``, loaded whole, or as kept; ``use``: "keep" it, "take" it (drop it) or "peek"."""
    try:
        stat = path.stat()
        stamp: tuple[Any, ...] | None = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None  # openpyxl says what is wrong
    with _kept_lock:
        book = _kept.get("book") if stamp is not None and _kept.get("stamp") == stamp else None
        if use != "peek":
            _kept.clear()
    if book is None:
        try:  # the full (not read-only) mode knows merged ranges; formulas come as formulas
            book = openpyxl.load_workbook(path, data_only=False)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
            raise InputError("bad_xlsx", file=path.name, detail=str(exc)) from exc
    if use == "keep" and stamp is not None:
        with _kept_lock:
            _kept.update(stamp=stamp, book=book)
    return book


def _read(path: Path, book: Any, chosen: _Candidate, others: tuple[str, ...]) -> Sheet:
    """The :class:`Sheet` of a candidate whose header was found."""
    assert chosen.header_at is not None  # without a kind, the first row with text is the header
    header, rows, lines = _table(path, chosen, chosen.header_at)
    return Sheet(chosen.sheet.title, header, rows, lines, len(book.worksheets) > 1, book.epoch, footer_rows(rows),
                 others)


def head_sheet(path: Path, kind: str, sheet: str | Sequence[str] | None = None, rows: int = 5) -> tuple[Sheet, int]:
    """The sheet :func:`read_sheet` reads (or would refuse), its header and first ``rows`` rows, for a preview.

    Of several sheets named in ``sheet``, the one :func:`read_sheet` would read of them.

    Never refuses a sheet for its columns: when no sheet has the required columns, the sheet is,
    of those with rows below their header (not a sheet of notes), the one naming the most columns
    of ``kind`` and then the one with the most rows (the one an import with columns chosen in it
    reads). The header is the row naming the most columns, or when none names any, the likeliest
    by its shape (see :func:`~inspector.core.columns.likely_header`). Also returns the header's
    row number. The workbook is loaded whole, as for an import.
    """
    book, candidates = _candidates(path, kind, None, None if sheet == ALL_SHEETS else sheet)
    chosen, _ = _choose(candidates)
    with_rows = [c for c in candidates if c.data_rows]
    if not chosen.qualifies and with_rows:  # refused: of the sheets with rows (not notes), the one naming the most
        chosen = max(with_rows, key=lambda c: (c.named, c.data_rows))
    top = [[cell_text(v) for v in values] for number, values in zip(chosen.numbers, chosen.grid, strict=True)
           if number <= HEADER_ROWS]
    index = likely_header(kind, top) or 0  # no text in the first rows: the first row with any
    header, body, lines = _table(path, chosen, index, rows)
    several = len(book.worksheets) > 1
    return Sheet(chosen.sheet.title, header, body, lines, several, book.epoch, 0), chosen.numbers[index]


def _candidates(path: Path, kind: str | None, overrides: dict[str, str] | None, sheet: str | Sequence[str] | None,
                use: str = "peek") -> tuple[Any, list[_Candidate]]:
    """The workbook and its visible sheets with values (only ``sheet``, or the sheets named, when given).

    Refuses a workbook without, and a sheet named that it does not have. ``use``: see :func:`_load`.
    """
    book = _load(path, use)
    worksheets = [w for w in book.worksheets if w.sheet_state == "visible"]
    if sheet is not None:  # as named, or as a person types it (without accents); hidden too, when named
        named = {id(_named(book, name, path)) for name in ([sheet] if isinstance(sheet, str) else sheet)}
        worksheets = [w for w in book.worksheets if id(w) in named]
    candidates = [c for c in (_candidate(w, kind, overrides) for w in worksheets) if c is not None]
    if not candidates:
        raise InputError("empty_file", file=path.name)
    return book, candidates


def _named(book: Any, name: str, path: Path) -> Any:
    """The sheet the user named: by its very name, else the one sheet whose name folds alike ("Quy 2")."""
    exact = [w for w in book.worksheets if w.title == name]
    alike = exact or [w for w in book.worksheets if fold(w.title) == fold(name)]
    if len(alike) != 1:
        raise InputError("unknown_sheet", file=path.name, sheet=name, sheets=", ".join(
            f"“{w.title}”" for w in book.worksheets if w.sheet_state == "visible"))
    return alike[0]


def _choose(candidates: list[_Candidate]) -> tuple[_Candidate, list[_Candidate]]:
    """The data sheet among ``candidates``, and the sheets that have the required columns."""
    qualified = [c for c in candidates if c.qualifies]
    # the sheet with the required columns and the most rows, else the one naming the most columns (first of equals)
    chosen = max(qualified, key=lambda c: c.data_rows) if qualified else max(candidates, key=lambda c: c.named)
    return chosen, qualified


def _table(path: Path, chosen: _Candidate, index: int,
           limit: int | None = None) -> tuple[list[str], list[list[str]], list[int]]:
    """A sheet's table: its header (row ``index`` of the grid), rows and their numbers.

    The rows are those with text below the header, the first ``limit`` of them or all.
    """
    numbers, grid = chosen.numbers, chosen.grid
    _saved_results(path, chosen.sheet, grid, numbers[-1])
    header = [cell_text(v).strip() for v in grid[index]]
    width = _width(header)
    header = header[:width]
    rows: list[list[str]] = []
    lines: list[int] = []
    for number, values in zip(numbers[index + 1:], grid[index + 1:], strict=True):
        if limit is not None and len(rows) >= limit:
            break
        cells = [cell_text(v) for v in values[:width]]
        if any(c.strip() for c in cells):
            rows.append(cells)
            lines.append(number)
    return header, rows, lines


def _refuse(path: Path, kind: str, overrides: dict[str, str] | None, chosen: _Candidate) -> NoReturn:
    """Say which required column the sheet closest to a data sheet lacks, and where it was looked for."""
    if chosen.header_at is None or chosen.named == 0:  # no row looks like a header at all
        raise no_header(kind, file=path.name, sheet=chosen.sheet.title)
    header = [cell_text(v).strip() for v in chosen.grid[chosen.header_at]]
    map_columns(kind, header, file=path.name, overrides=overrides, sheet=chosen.sheet.title,
                row=chosen.numbers[chosen.header_at])
    raise AssertionError("map_columns accepted a header that find_header did not")  # pragma: no cover


def _candidate(sheet: Any, kind: str | None, overrides: dict[str, str] | None) -> _Candidate | None:
    """A sheet's rows and header; None for a sheet without values."""
    numbers, grid = _grid(sheet)
    if not grid:
        return None
    top = [[cell_text(v) for v in values] for number, values in zip(numbers, grid, strict=True)
           if number <= HEADER_ROWS or kind is None]
    found = find_header(kind, top, overrides)
    if found is None:  # blanks only, or no text in the first rows
        return None if kind is None else _Candidate(sheet, numbers, grid, 0, None, False, 0)
    named, index, qualifies = found
    width = _width([cell_text(v).strip() for v in grid[index]])
    data_rows = sum(1 for values in grid[index + 1:] if any(cell_text(v).strip() for v in values[:width]))
    return _Candidate(sheet, numbers, grid, named, index, qualifies, data_rows)


def _width(header: list[str]) -> int:
    """How many columns the table has: up to its last heading."""
    return max((i + 1 for i, name in enumerate(header) if name), default=len(header))


def _grid(sheet: Any) -> tuple[list[int], list[list[Any]]]:
    """The sheet's rows that hold values (their row numbers, and their values over the columns that hold values).

    Formula cells come as the cell objects; merged ranges are filled in. Built from the cells the
    sheet stores, so a stray cell far out (XFD1, A300000) adds one column or one row, not thousands
    of empty ones.
    """
    values: dict[tuple[int, int], Any] = {}
    for (r, c), cell in sheet._cells.items():  # noqa: SLF001 - the stored cells; iter_rows would create the rest
        value = cell.value
        if value is not None and value != "":
            values[(r, c)] = cell if cell.data_type == "f" else value
    numbers = sorted({r for r, _ in values})
    columns = sorted({c for _, c in values})
    for merged in sheet.merged_cells.ranges:
        value = values.get((merged.min_row, merged.min_col))
        if value is None:
            continue
        rows_in = numbers[bisect_left(numbers, merged.min_row):bisect_right(numbers, merged.max_row)]
        columns_in = columns[bisect_left(columns, merged.min_col):bisect_right(columns, merged.max_col)]
        for r in rows_in:
            for c in columns_in:
                values[(r, c)] = value
    return numbers, [[values.get((r, c)) for c in columns] for r in numbers]


def _saved_results(path: Path, sheet: Any, grid: list[list[Any]], last_row: int) -> None:
    """Replace formula cells in ``grid`` by their saved results, refusing a workbook that has none."""
    formulas = {(cell.row, cell.column) for row in grid for cell in row if isinstance(cell, Cell)}
    if not formulas:
        return
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        saved: dict[Any, Any] = {}
        rows, columns = [r for r, _ in formulas], [c for _, c in formulas]
        for row in book[sheet.title].iter_rows(min_row=min(rows), max_row=min(max(rows), last_row),
                                               min_col=min(columns), max_col=max(columns)):
            # an empty cell of a read-only sheet has no position: it is no formula anyway
            saved.update({(c.row, c.column): c.value for c in row
                          if (getattr(c, "row", None), getattr(c, "column", None)) in formulas})
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
