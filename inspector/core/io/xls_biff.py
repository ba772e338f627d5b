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
_FORMULA, _BOOLERR = 0x0006, 0x0205
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


def read_records(path: Path) -> Records:
    """The password flag, date system and error cells of the .xls workbook at ``path``.

    Raises
    ------
    BadFile
        For a file that is no BIFF8 workbook in an OLE compound file (or a damaged one).
    """
    data = _workbook_stream(path.read_bytes())
    records = list(_records(data))
    if not records or records[0][0] != _BOF or struct.unpack_from("<H", records[0][2])[0] != 0x0600:
        raise BadFile("not an Excel 97–2003 (BIFF8) workbook")
    epoch = dt.datetime(1899, 12, 30)
    sheets: dict[int, str] = {}  # the offset of each sheet's BOF: its name
    for kind, _, body in records:
        if kind == _FILEPASS:
            return Records(True, epoch, {})
        if kind == _DATEMODE and body[:2] == b"\x01\x00":
            epoch = dt.datetime(1904, 1, 1)
        elif kind == _BOUNDSHEET and len(body) >= 8:
            sheets[struct.unpack_from("<I", body)[0]] = _short_text(body[6:])
        elif kind == _EOF:
            break
    errors: dict[str, dict[tuple[int, int], str]] = {}
    current: dict[tuple[int, int], str] | None = None
    for kind, at, body in records:
        if kind == _BOF:
            current = errors.setdefault(sheets[at], {}) if at in sheets else None
        elif current is not None and len(body) >= 8 and kind in (_FORMULA, _BOOLERR):
            row, column = struct.unpack_from("<HH", body)
            if kind == _BOOLERR and body[7] == 1:  # a constant error (typed, or pasted as a value)
                current[(row + 1, column + 1)] = ERROR_CODES.get(body[6], "#N/A")
            elif kind == _FORMULA and len(body) >= 14 and body[6] == 2 and body[12:14] == b"\xff\xff":
                current[(row + 1, column + 1)] = ERROR_CODES.get(body[8], "#N/A")  # a formula's saved error
    return Records(False, epoch, errors)


def _records(data: bytes) -> list[tuple[int, int, bytes]]:
    """The records of a workbook stream: their type, offset and body."""
    out = []
    at = 0
    while at + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, at)
        out.append((kind, at, data[at + 4:at + 4 + size]))
        at += 4 + size
    return out


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
