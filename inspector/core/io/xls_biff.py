"""What calamine does not say of an Excel 97–2003 workbook (.xls), from its records: error cells, dates, password."""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path
from typing import NamedTuple

#: The codes of error cells as BIFF8 stores them, and as Excel shows them
ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
               0x2A: "#N/A", 0x2B: "#GETTING_DATA"}

_BOF, _EOF, _FILEPASS, _DATEMODE, _BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0022, 0x0085
_FORMULA, _BOOLERR, _MULRK = 0x0006, 0x0205, 0x00BD
#: the records of cells holding a value: FORMULA, NUMBER, RK, MULRK, LABELSST, LABEL, RSTRING, BOOLERR
_VALUES = frozenset({_FORMULA, 0x0203, 0x027E, _MULRK, 0x00FD, 0x0204, 0x00D6, _BOOLERR})


class BadFile(ValueError):
    """The file is not an Excel 97–2003 workbook that can be read (the reason in the text)."""


class Records(NamedTuple):
    """What an .xls workbook's records say that calamine's values do not."""

    encrypted: bool  # it has a password (FILEPASS): nothing else was read
    epoch: dt.datetime  # day zero of its date serials (1899-12-30, or 1904-01-01 for the Mac date system)
    #: per sheet (by name): its error cells, (row, column) counted from 1, and their code ("#DIV/0!")
    errors: dict[str, dict[tuple[int, int], str]]
    #: per sheet (by name): the last row and column holding a value (from 1) and how many cells do
    extents: dict[str, tuple[int, int, int]]


def read_records(path: Path) -> Records:
    """The password flag, date system, error cells and extent of each sheet of the .xls workbook at ``path``.

    Raises
    ------
    BadFile
        For a file that is no BIFF8 workbook in an OLE compound file (or a damaged one).
    """
    data = _workbook_stream(path)
    if len(data) < 6 or struct.unpack_from("<HHH", data) [::2] != (_BOF, 0x0600):
        raise BadFile("not an Excel 97–2003 (BIFF8) workbook")
    epoch = dt.datetime(1899, 12, 30)
    sheets: dict[str, int] = {}  # each sheet's name: the offset of its records (its BOF)
    for kind, body in _globals(data):
        if kind == _FILEPASS:
            return Records(True, epoch, {}, {})
        if kind == _DATEMODE and body[:2] == b"\x01\x00":
            epoch = dt.datetime(1904, 1, 1)
        elif kind == _BOUNDSHEET and len(body) >= 8:
            sheets[_short_text(body[6:])] = struct.unpack_from("<I", body)[0]
    if not sheets:  # a workbook has at least one: its globals are damaged
        raise BadFile("no sheet listed")
    errors: dict[str, dict[tuple[int, int], str]] = {}
    extents: dict[str, tuple[int, int, int]] = {}
    for name, start in sheets.items():
        errors[name], extents[name] = _sheet(data, start)
    return Records(False, epoch, errors, extents)


def _globals(data: bytes) -> list[tuple[int, bytes]]:
    """The records of the workbook's globals (before its sheets' records): their type and body."""
    out = []
    at = 0
    while at + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, at)
        if kind == _EOF:
            break
        out.append((kind, data[at + 4:at + 4 + size]))
        at += 4 + size
    return out


def _sheet(data: bytes, at: int) -> tuple[dict[tuple[int, int], str], tuple[int, int, int]]:
    """A sheet's error cells, and its last row and column holding a value with how many cells do.

    Its records are walked from its BOF at ``at`` to its EOF, only their headers read but for cells.
    """
    errors: dict[tuple[int, int], str] = {}
    last_row = last_column = cells = 0
    unpack, values, end = struct.unpack_from, _VALUES, len(data) - 4
    while at <= end:
        kind, size = unpack("<HH", data, at)
        if kind in values and size >= 6:
            row, column = unpack("<HH", data, at + 4)
            count = 1
            if kind == _MULRK:  # several numbers side by side: the last one's column ends the record
                count = max(unpack("<H", data, at + 2 + size)[0] - column + 1, 1)
            cells += count
            if row >= last_row:
                last_row = row + 1
            if column + count > last_column:
                last_column = column + count
            if kind == _BOOLERR and size >= 8 and data[at + 11] == 1:  # a constant error (typed, or pasted)
                errors[(row + 1, column + 1)] = ERROR_CODES.get(data[at + 10], "#N/A")
            elif kind == _FORMULA and size >= 14 and data[at + 10] == 2 and data[at + 16:at + 18] == b"\xff\xff":
                errors[(row + 1, column + 1)] = ERROR_CODES.get(data[at + 12], "#N/A")  # a formula's saved error
        elif kind == _EOF:
            break
        at += 4 + size
    return errors, (last_row, last_column, cells)


def _short_text(body: bytes) -> str:
    """A BIFF8 short unicode string: a length in characters, a flag (UTF-16 or Latin-1), the characters."""
    if len(body) < 2:
        return ""
    length, wide = body[0], body[1] & 1
    return body[2:2 + 2 * length].decode("utf-16-le") if wide else body[2:2 + length].decode("latin-1")


def _workbook_stream(path: Path) -> bytes:
    """The ``Workbook`` stream of an OLE compound file (the container of older Office files), by olefile.

    Any incorrect structure refuses the file (olefile would read past some): calamine, which reads
    it next, followed a sector chain that loops until it had taken all memory.
    """
    import olefile

    try:
        with olefile.OleFileIO(str(path), raise_defects=olefile.DEFECT_INCORRECT) as container:
            if not container.exists("Workbook"):
                raise BadFile("no workbook stream")
            return container.openstream("Workbook").read()
    except BadFile:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged container fails in olefile's parsing in many ways
        raise BadFile(f"a damaged OLE container: {str(exc) or type(exc).__name__}") from exc
