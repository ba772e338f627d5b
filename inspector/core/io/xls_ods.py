"""Read the sheets of Excel 97–2003 (.xls) and OpenDocument (.ods) workbooks as grids, as .xlsx sheets are read."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from openpyxl.utils import get_column_letter

from inspector.core.errors import InputError, rust_panic
from inspector.core.io.ods_content import read_content
from inspector.core.io.xls_biff import BadFile, read_records
from inspector.core.io.xlsx_grid import DENSE_FLOOR, DENSE_PER_CELL, Book, SheetEntry, lay_out
from inspector.core.io.xlsx_sparse import Grid


def open_other_book(path: Path, kind: str) -> Book:
    """The worksheets and date system of the .xls or .ods (``kind``) workbook at ``path``, without reading a sheet.

    The book's :attr:`~inspector.core.io.xlsx_grid.Book.notes` hold what its file says that
    calamine does not: per sheet, its error cells (and of an .ods, its merged ranges and extent).

    Raises
    ------
    InputError
        ``protected_xlsx`` for a workbook with a password; ``bad_xlsx`` (.xls) or ``bad_ods`` for a
        file that is no workbook; ``sparse_sheet`` for a sheet whose values lie too far apart to be
        laid out (see :func:`_bounded`).
    """
    import python_calamine

    error = "bad_ods" if kind == "ods" else "bad_xlsx"
    notes: dict[str, Any]
    try:
        if kind == "xls":
            records = read_records(path)
            encrypted, epoch, notes = records.encrypted, records.epoch, dict(records.errors)
            extents = records.extents
        else:
            content = read_content(path)
            encrypted, epoch, notes = content.encrypted, content.epoch, dict(content.sheets)
            extents = {title: (n.rows, n.columns, n.cells) for title, n in content.sheets.items()}
        if encrypted:
            raise InputError("protected_xlsx", file=path.name)
        _bounded(path, extents)  # calamine lays every sheet out densely as it opens the file
        with _calamine(path, kind) as workbook:
            sheets = tuple(SheetEntry(meta.name, _state(meta.visible), "") for meta in workbook.sheets_metadata
                           if meta.typ == python_calamine.SheetTypeEnum.WorkSheet)
    except InputError:
        raise
    except (BadFile, OSError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ExpatError, ValueError,
            LookupError, python_calamine.CalamineError) as exc:  # LookupError: an XML encoding no one knows
        raise InputError(error, file=path.name, detail=str(exc) or type(exc).__name__) from exc
    except BaseException as exc:  # a Rust panic in calamine on a file it cannot make sense of
        if not rust_panic(exc):
            raise
        raise InputError(error, file=path.name, detail=str(exc)) from exc
    return Book(sheets, epoch, kind, notes)


def _state(visible: Any) -> str:
    """A sheet's state as an .xlsx workbook names it, from calamine's (an enum that cannot be hashed)."""
    import python_calamine

    hidden, very = python_calamine.SheetVisibleEnum.Hidden, python_calamine.SheetVisibleEnum.VeryHidden
    return "hidden" if visible == hidden else "veryHidden" if visible == very else "visible"


def read_other_grids(path: Path, book: Book, titles: Sequence[str]) -> list[Grid]:
    """The grids of the sheets ``titles`` of the .xls or .ods ``book`` (see :func:`~.xlsx_grid.read_grids`).

    Values are those a person sees, as for an .xlsx workbook: a formula gives its saved result
    (Excel and LibreOffice always save one in these formats), an error cell its code (``#N/A``),
    a date cell a :class:`datetime.datetime`, a number a float or an int. A merged range's value
    fills every cell of it.

    Raises
    ------
    InputError
        ``bad_xlsx`` (.xls) or ``bad_ods`` for a sheet that cannot be read.
    """
    error = "bad_ods" if book.kind == "ods" else "bad_xlsx"
    try:
        with _calamine(path, book.kind) as workbook:
            return [_grid(book, workbook, title) for title in titles]
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine's errors of broken files
        raise InputError(error, file=path.name, detail=str(exc)) from exc
    except BaseException as exc:  # a Rust panic in calamine on a file it cannot make sense of
        if not rust_panic(exc):
            raise
        raise InputError(error, file=path.name, detail=str(exc)) from exc


def _grid(book: Book, workbook: Any, title: str) -> Grid:
    notes = (book.notes or {}).get(title)
    sheet = workbook.get_sheet_by_name(title)
    if book.kind == "ods":  # calamine gives no merged ranges of an .ods
        return lay_out(sheet, notes.errors if notes else {}, notes.merged if notes else ())
    return lay_out(sheet, notes or {}, sheet.merged_cell_ranges or ())


def _bounded(path: Path, extents: dict[str, tuple[int, int, int]]) -> None:
    """Refuse a workbook with a sheet whose values would take too many cells laid out densely.

    calamine lays each sheet out up to its last value as it opens the workbook: a stray value far
    out, as in an .xlsx (see :data:`~.xlsx_grid.DENSE_FLOOR`), would ask for gigabytes (an .xls's
    IV65536 took 1.3 GB and 6 s; an .ods's is refused by calamine beyond 100 million cells, saying
    only that it cannot tell the file's format). ``extents``: per sheet, its last row and column
    holding a value and how many cells do.
    """
    for title, (rows, columns, cells) in extents.items():
        if rows * columns > max(DENSE_FLOOR, DENSE_PER_CELL * cells):
            raise InputError("sparse_sheet", file=path.name, sheet=title, row=rows, column=get_column_letter(columns))


@contextmanager
def _calamine(path: Path, kind: str) -> Iterator[Any]:
    """The workbook opened by calamine: by its name's extension, else (an .xls named .xlsx) by its content.

    By its content, calamine tries each format and says only that it cannot tell the format when
    the one the file is in fails: by its extension, it says what failed.
    """
    import python_calamine

    if path.suffix.lower() == f".{kind}":
        with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
            yield workbook
    else:
        with path.open("rb") as source, python_calamine.CalamineWorkbook.from_filelike(source) as workbook:
            yield workbook

