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
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE  # unused sector, end of a chain
_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
    data = _workbook_stream(path.read_bytes())
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


def _workbook_stream(raw: bytes) -> bytes:
    """The ``Workbook`` stream of an OLE compound file (the container of older Office files)."""
    if not raw.startswith(_MAGIC) or len(raw) < 512:
        raise BadFile("not an OLE compound file")
    sector = 1 << struct.unpack_from("<H", raw, 0x1E)[0]
    mini = 1 << struct.unpack_from("<H", raw, 0x20)[0]
    if sector not in (512, 4096) or mini != 64:
        raise BadFile("an unknown OLE sector size")
    fat_count, directory, cutoff, minifat, minifat_count, difat, difat_count = struct.unpack_from(
        "<II4xIIIII", raw, 0x2C)
    count = max((len(raw) - sector) // sector, 0)  # sectors in the file: no chain is longer

    def read(start: int) -> bytes:
        return raw[(start + 1) * sector:(start + 2) * sector]

    fat_sectors = list(struct.unpack_from("<109I", raw, 0x4C))
    for _ in range(difat_count):  # more FAT sectors are listed in a chain of DIFAT sectors
        if difat >= count:
            break
        listed = struct.unpack(f"<{sector // 4}I", read(difat))
        fat_sectors.extend(listed[:-1])
        difat = listed[-1]
    fat: list[int] = []
    for number in fat_sectors[:fat_count]:
        if number >= count:
            raise BadFile("a damaged OLE allocation table")
        fat.extend(struct.unpack(f"<{sector // 4}I", read(number)))

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        while start not in (_END, _FREE):
            if start >= len(table) or len(out) > len(table):
                raise BadFile("a damaged OLE sector chain")
            out.append(start)
            start = table[start]
        return out

    entries = b"".join(read(n) for n in chain(directory, fat))
    root_start, stream = None, None
    for offset in range(0, len(entries) - 127, 128):
        entry = entries[offset:offset + 128]
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[:max(length - 2, 0)].decode("utf-16-le", errors="replace")
        kind, start, size = entry[66], *struct.unpack_from("<II", entry, 116)
        if kind == 5:
            root_start = (start, size)
        elif kind == 2 and name in ("Workbook", "Book") and stream is None:
            stream = (start, size)
    if stream is None or root_start is None:
        raise BadFile("no workbook stream")
    start, size = stream
    if size >= cutoff:
        return b"".join(read(n) for n in chain(start, fat))[:size]
    small = b"".join(read(n) for n in chain(root_start[0], fat))  # the mini stream, in 64-byte sectors
    mini_table = list(struct.unpack(f"<{minifat_count * sector // 4}I",
                                    b"".join(read(n) for n in chain(minifat, fat))[:minifat_count * sector]))
    return b"".join(small[n * mini:(n + 1) * mini] for n in chain(start, mini_table))[:size]
