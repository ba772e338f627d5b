"""Find the data sheet of a workbook (.xlsx, .xls, .ods) and read it as text cells, as a person sees the sheet."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from inspector.core.columns import HEADER_ROWS, find_header, likely_header, map_columns, no_header
from inspector.core.errors import InputError
from inspector.core.io.sniff import workbook_kind
from inspector.core.io.tables import ALL_SHEETS
from inspector.core.io.values import cell_text, footer_rows
from inspector.core.io.xls_ods import open_other_book, read_other_grids
from inspector.core.io.xlsx_grid import Book, SheetEntry, open_book, read_grids
from inspector.core.io.xlsx_sparse import Grid
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

    title: str
    numbers: list[int]  # the sheet's row numbers of the rows in ``grid``
    grid: list[list[Any]]
    uncached: str | None  # a formula cell, when the sheet's formulas have no saved results
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
    others = tuple(c.title for c in qualified if c is not chosen)
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
    is not read (``[]``: nothing to choose).
    """
    if sum(1 for entry in _open(path).sheets if entry.state == "visible") < 2:
        return []
    _, candidates = _candidates(path, kind, None, None, use="keep")  # for the import asked for next
    return [(c.title, c.data_rows) for c in candidates if c.qualifies]


#: The sheets read by :func:`table_sheets`, kept for the import the user is asked for, so that the
#: workbook is read once. One workbook at most, under the file's path, modification time and size;
#: the import that reads it, or :func:`forget_kept`, lets it go.
_kept: dict[str, Any] = {}
_kept_lock = threading.Lock()


def forget_kept() -> None:
    """Let the sheets kept by :func:`table_sheets` go (the user chose not to import them after all)."""
    with _kept_lock:
        _kept.clear()


def _grids(path: Path, book: Book, entries: list[SheetEntry], use: str) -> list[Grid]:
    """The grids of the sheets ``entries`` of the workbook at ``path`` (read, or as kept).

    ``use``: "keep" them, "take" them (let them go) or "peek".
    """
    try:
        stat = path.stat()
        stamp: tuple[Any, ...] | None = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None  # reading it says what is wrong
    with _kept_lock:
        kept: dict[str, Grid] = dict(_kept["grids"]) if stamp is not None and _kept.get("stamp") == stamp else {}
        if use != "peek":
            _kept.clear()
    missing = [entry.title for entry in entries if entry.title not in kept]
    if missing:
        read = read_grids if book.kind == "xlsx" else read_other_grids
        kept.update(zip(missing, read(path, book, missing), strict=True))
    if use == "keep" and stamp is not None:
        with _kept_lock:
            _kept.update(stamp=stamp, grids=kept)
    return [kept[entry.title] for entry in entries]


def _read(path: Path, book: Book, chosen: _Candidate, others: tuple[str, ...]) -> Sheet:
    """The :class:`Sheet` of a candidate whose header was found."""
    assert chosen.header_at is not None  # without a kind, the first row with text is the header
    header, rows, lines = _table(path, chosen, chosen.header_at)
    return Sheet(chosen.title, header, rows, lines, len(book.sheets) > 1, book.epoch, footer_rows(rows), others)


def head_sheet(path: Path, kind: str, sheet: str | Sequence[str] | None = None, rows: int = 5) -> tuple[Sheet, int]:
    """The sheet :func:`read_sheet` reads (or would refuse), its header and first ``rows`` rows, for a preview.

    Of several sheets named in ``sheet``, the one :func:`read_sheet` would read of them.

    Never refuses a sheet for its columns: when no sheet has the required columns, the sheet is,
    of those with rows below their header (not a sheet of notes), the one naming the most columns
    of ``kind`` and then the one with the most rows (the one an import with columns chosen in it
    reads). The header is the row naming the most columns, or when none names any, the likeliest
    by its shape (see :func:`~inspector.core.columns.likely_header`). Also returns the header's
    row number. The sheets are read whole, as for an import.
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
    several = len(book.sheets) > 1
    return Sheet(chosen.title, header, body, lines, several, book.epoch, 0), chosen.numbers[index]


def _candidates(path: Path, kind: str | None, overrides: dict[str, str] | None, sheet: str | Sequence[str] | None,
                use: str = "peek") -> tuple[Book, list[_Candidate]]:
    """The workbook and its visible sheets with values (only ``sheet``, or the sheets named, when given).

    Refuses a workbook without, and a sheet named that it does not have. ``use``: see :func:`_grids`.
    """
    book = _open(path)  # the list of its sheets (to refuse a sheet it has not before reading any)
    entries = [entry for entry in book.sheets if entry.state == "visible"]
    if sheet is not None:  # as named, or as a person types it (without accents); hidden too, when named
        try:
            named = {_named(book, name, path).title for name in ([sheet] if isinstance(sheet, str) else sheet)}
        except InputError:
            if use != "peek":  # the import asked for: what was kept for it goes all the same
                forget_kept()
            raise
        entries = [entry for entry in book.sheets if entry.title in named]
    grids = _grids(path, book, entries, use)
    candidates = [c for c in (_candidate(entry.title, grid, kind, overrides)
                              for entry, grid in zip(entries, grids, strict=True)) if c is not None]
    if not candidates:
        raise InputError("empty_file", file=path.name)
    return book, candidates


def _open(path: Path) -> Book:
    """The sheets of the workbook at ``path``, an .xlsx, .xls or .ods one by its bytes (whatever its name)."""
    kind = workbook_kind(path)
    return open_book(path) if kind == "xlsx" else open_other_book(path, kind)


def _named(book: Book, name: str, path: Path) -> SheetEntry:
    """The sheet the user named: by its very name, else the one sheet whose name folds alike ("Quy 2")."""
    exact = [entry for entry in book.sheets if entry.title == name]
    alike = exact or [entry for entry in book.sheets if fold(entry.title) == fold(name)]
    if len(alike) != 1:
        raise InputError("unknown_sheet", file=path.name, sheet=name, sheets=", ".join(
            f"“{entry.title}”" for entry in book.sheets if entry.state == "visible"))
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
    if chosen.uncached is not None:  # formulas, none with its result saved
        raise InputError("uncached_formulas", file=path.name, sheet=chosen.title, cell=chosen.uncached)
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
        raise no_header(kind, file=path.name, sheet=chosen.title)
    header = [cell_text(v).strip() for v in chosen.grid[chosen.header_at]]
    map_columns(kind, header, file=path.name, overrides=overrides, sheet=chosen.title,
                row=chosen.numbers[chosen.header_at])
    raise AssertionError("map_columns accepted a header that find_header did not")  # pragma: no cover


def _candidate(title: str, read: Grid, kind: str | None, overrides: dict[str, str] | None) -> _Candidate | None:
    """A sheet's rows and header; None for a sheet without values."""
    numbers, grid, uncached = read
    if not grid:
        return None
    top = [[cell_text(v) for v in values] for number, values in zip(numbers, grid, strict=True)
           if number <= HEADER_ROWS or kind is None]
    found = find_header(kind, top, overrides)
    if found is None:  # blanks only, or no text in the first rows
        return None if kind is None else _Candidate(title, numbers, grid, uncached, 0, None, False, 0)
    named, index, qualifies = found
    width = _width([cell_text(v).strip() for v in grid[index]])
    data_rows = sum(1 for values in grid[index + 1:] if any(cell_text(v).strip() for v in values[:width]))
    return _Candidate(title, numbers, grid, uncached, named, index, qualifies, data_rows)


def _width(header: list[str]) -> int:
    """How many columns the table has: up to its last heading."""
    return max((i + 1 for i, name in enumerate(header) if name), default=len(header))
