"""Read one sheet of an XLSX workbook cell by cell, as stored (openpyxl), for sheets calamine is not to read."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser


class Grid(NamedTuple):
    """A sheet's rows that hold values: their row numbers, and their values over the columns that hold values."""

    numbers: list[int]
    values: list[list[Any]]
    #: the first formula cell ("B2"), when the sheet has formulas and none has a saved result
    uncached: str | None = None


class _Parser(WorkSheetParser):
    """openpyxl's streaming sheet parser giving saved results, noting which cells are formulas with or without one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.formulas: dict[tuple[int, int], bool] = {}

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if element.find(FORMULA_TAG) is not None:  # a result saved: a value, or an empty text
            self.formulas[(cell["row"], cell["column"])] = cell["value"] is not None or (
                element.get("t") == "str" and element.find(VALUE_TAG) is not None)
        return cell


def sparse_grid(path: Path, part: str) -> Grid:
    """The :class:`Grid` of the sheet whose XML is ``part``: its stored cells, merged ranges filled in.

    Slower than calamine, but it keeps only the cells the sheet stores, so a stray cell far out
    (XFD1048576) costs one cell, and it reads cells however they are written.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(path, read_only=True)  # as openpyxl loads a workbook: its shared strings and date styles
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        book = reader.wb
        with reader.archive.open(part) as source:
            parser = _Parser(source, reader.shared_strings, data_only=True, epoch=book.epoch,
                             date_formats=book._date_formats,  # noqa: SLF001 - what openpyxl reads dates by
                             timedelta_formats=book._timedelta_formats)  # noqa: SLF001
            values: dict[tuple[int, int], Any] = {}
            for _, cells in parser.parse():
                values.update(((c["row"], c["column"]), c["value"]) for c in cells
                              if c["value"] is not None and c["value"] != "")
    finally:
        reader.archive.close()
    merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
    uncached = None
    if parser.formulas and not any(parser.formulas.values()):
        row, column = min(parser.formulas)
        uncached = f"{get_column_letter(column)}{row}"
    return Grid(*laid_out(values, [m.ref for m in merged]), uncached)


def laid_out(values: dict[tuple[int, int], Any], merged: list[str]) -> tuple[list[int], list[list[Any]]]:
    """The rows and columns holding ``values`` (keyed by row and column), merged ranges (``"A1:C2"``) filled in.

    Built from the cells given, so a stray cell far out (XFD1, A300000) adds one column or one row,
    not thousands of empty ones.
    """
    from openpyxl.utils.cell import range_boundaries

    numbers = sorted({r for r, _ in values})
    columns = sorted({c for _, c in values})
    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        value = values.get((min_row, min_col))
        if value is None:
            continue
        rows_in = numbers[bisect_left(numbers, min_row):bisect_right(numbers, max_row)]
        columns_in = columns[bisect_left(columns, min_col):bisect_right(columns, max_col)]
        for r in rows_in:
            for c in columns_in:
                values[(r, c)] = value
    return numbers, [[values.get((r, c)) for c in columns] for r in numbers]
