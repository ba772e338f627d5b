"""Tell what a file really is (by its bytes, not its name) and which text encoding it uses."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import re
from collections import Counter
from functools import partial
from pathlib import Path

from inspector.core.errors import InputError
from inspector.core.names import FILE_KINDS, label

# What each extension promises, and the formats we recognise by their first bytes.
EXTENSIONS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".parquet": "parquet", ".pq": "parquet", ".geojson": "geojson", ".json": "geojson",
    ".shp": "shapefile", ".gpkg": "gpkg", ".zip": "zip", ".xls": "xls", ".ods": "ods",
}
#: The workbook formats: read from their sheets, whichever of them a file's bytes show it to be
WORKBOOKS = ("xlsx", "xls", "ods")
#: What an OpenDocument spreadsheet's first part (stored, not compressed) says it is
_ODS = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
#: Compressed files (other than a zipped Shapefile) are to be extracted first
COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tgz")
_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"PAR1", "parquet"),
    (b"SQLite format 3\x00", "gpkg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x00\x00\x27\x0a", "shapefile"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x1f\x8b", "gzip"),
)
SAMPLE = 1 << 20


def file_format(path: Path) -> str:
    """Return the format of ``path`` from its content, checked against its extension.

    An .xls or .ods workbook is taken for what its bytes are, whichever workbook extension it has
    (an .xls saved as ``.xlsx`` is read as an .xls).

    Raises
    ------
    InputError
        ``file_missing``, ``empty_file``, ``unsupported_format`` (unknown extension),
        ``legacy_xls`` (an Excel 5.0/95 workbook), ``text_xls`` (a web page or text named ``.xls``),
        ``protected_xlsx`` (a workbook with a password) or ``wrong_file_type`` (the bytes are not
        what the extension says).
    """
    if not path.is_file():
        raise InputError("file_missing", file=str(path))
    if path.stat().st_size == 0:
        raise InputError("empty_file", file=path.name)
    claimed = EXTENSIONS.get(path.suffix.lower())
    if claimed is None and path.suffix.lower() in COMPRESSED:  # scans.csv.gz, as a system exports a big log
        raise InputError("compressed_file", file=path.name, inner=path.stem)
    if claimed is None:
        raise InputError("unsupported_format", file=path.name, extension=path.suffix or "-")
    with path.open("rb") as fh:
        head = fh.read(4096)
    actual = next((fmt for magic, fmt in _MAGIC if head.startswith(magic)), None)
    if actual is None:
        actual = "text"
    if actual == "ole":  # an Office file of the older kind: an .xls, a password-protected .xlsx, a .doc
        actual = _ole_kind(path)
    elif actual == "zip" and head[30:].startswith(_ODS):
        actual = "ods"
    if claimed in WORKBOOKS:
        if actual in ("encrypted", "xls5"):
            raise InputError("protected_xlsx" if actual == "encrypted" else "legacy_xls", file=path.name)
        if claimed == "xls" and actual == "text":  # a web page (or text) "exported to Excel" by a web system
            if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head:
                raise InputError("text_xls", file=path.name)
            actual = "unknown"
        if actual in ("xls", "ods"):
            return actual
        if actual == "zip" and claimed == "xlsx":
            return claimed
    elif claimed in ("csv", "geojson"):
        ok = actual == "text"
    else:
        ok = actual == claimed
    if claimed == "geojson" and ok:
        text = head.decode("utf-8-sig", errors="ignore").lstrip()
        ok = text.startswith("{")
    if claimed in WORKBOOKS or not ok:
        raise InputError("wrong_file_type", file=path.name, claimed=claimed, actual=partial(label, FILE_KINDS, actual))
    return claimed


def workbook_kind(path: Path) -> str:
    """Which kind of workbook the file at ``path`` is by its first bytes: "xls", "ods", else "xlsx"."""
    with path.open("rb") as fh:
        head = fh.read(128)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    return "ods" if head.startswith(b"PK\x03\x04") and head[30:].startswith(_ODS) else "xlsx"


def _ole_kind(path: Path) -> str:
    """What an OLE compound file (the older Office container) holds, told by the names of its streams.

    ``encrypted`` (a workbook with a password, whatever its format), ``xls`` (an Excel 97–2003
    workbook), ``xls5`` (an Excel 5.0/95 one) or ``ole`` (another Office document). The names are
    UTF-16 in the file's directory, which may be anywhere in it.
    """
    names = {"encrypted": "EncryptionInfo".encode("utf-16-le"), "xls": "Workbook".encode("utf-16-le"),
             "xls5": "Book\x00".encode("utf-16-le")}
    found: set[str] = set()
    overlap = max(map(len, names.values()))
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(SAMPLE):
            data = tail + chunk
            found.update(kind for kind, name in names.items() if name in data)
            tail = data[-overlap:]
    if "encrypted" in found:
        return "encrypted"
    return "xls" if "xls" in found else "xls5" if "xls5" in found else "ole"


def allow_fields_up_to(size: int) -> None:
    """Let Python's csv module read fields up to ``size`` characters (a file's length).

    A long cell is a cell, not a reason to refuse the file. The limit is process-wide and is only
    ever raised.
    """
    csv.field_size_limit(max(csv.field_size_limit(), size + 1))


#: The field separators a CSV may use, the likeliest first: Excel writes ";" where the decimal mark
#: is a comma (as in Vietnamese settings) and a tab in "Unicode text".
DELIMITERS = ",;\t|"


def delimiter(text: str) -> str:
    """The field separator of CSV ``text`` (comma, semicolon, tab or bar), judged on its start.

    The one that splits the most records into the same number of fields (two or more; quotes
    respected), then the one giving more fields: title lines above the table (a letterhead, a
    heading without separators) and a decimal comma inside a semicolon table do not mislead it.
    """
    best, best_score = ",", (0, 0)
    for candidate in DELIMITERS:
        widths = Counter(len(r) for r in _records(text[:20000], candidate, 60) if len(r) > 1)
        if widths:
            width, records = widths.most_common(1)[0]
            if (records, width) > best_score:
                best, best_score = candidate, (records, width)
    return best


def detect_encoding(sample: bytes, *, complete: bool, file: str) -> str:
    """Return the codec of a text file from (a sample of) its bytes.

    UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with or without BOM) and the
    Vietnamese Windows code page 1258 are recognised; anything else is an error.

    Parameters
    ----------
    sample
        The file's first bytes (or all of them).
    complete
        Whether ``sample`` is the whole file (a cut sample may end inside a character).
    file
        File name for the error message.
    """
    if sample.startswith(b"\xef\xbb\xbf"):  # it says it is UTF-8: any other byte is damage, named by line
        _no_nul(sample, file)
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            if complete or exc.start < len(sample) - 4:
                raise InputError("mixed_encoding", file=file, line=sample[:exc.start].count(b"\n") + 1,
                                 encoding="UTF-8") from None
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
            return "utf-16-le"
        if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
            return "utf-16-be"
    _no_nul(sample, file)
    body = sample if complete else sample[: max(len(sample) - 4, 0)]
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if not complete and exc.start >= len(body) - 4:
            return "utf-8"
        if len(_UTF8_LETTER.findall(body)) >= 3:  # real UTF-8 letters elsewhere: damaged, not cp1258
            raise InputError("mixed_encoding", file=file, line=body[:exc.start].count(b"\n") + 1,
                             encoding="UTF-8") from None
    try:
        text = sample.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise InputError("unknown_encoding", file=file) from exc
    if not _reads_as_vietnamese(text):
        raise InputError("legacy_encoding", file=file)
    return "cp1258"


#: A letter outside ASCII encoded as UTF-8 (two or three bytes), as Vietnamese text is full of.
_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")

#: What Vietnamese text in code page 1258 decodes to outside ASCII: its letters (some precomposed,
#: tones as combining marks) and typographic punctuation.
_CP1258_VIETNAMESE = set(
    "àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ\u0300\u0301\u0303\u0309\u0323"
    "“”‘’–—…•°€\u00a0«»×"
)


def _reads_as_vietnamese(text: str) -> bool:
    """Whether ``text`` decoded as code page 1258 looks like Vietnamese, not an older encoding's bytes.

    Files in TCVN3 (ABC) or VNI decode without error but give letters like ``Ö``, ``µ`` or ``¸``.
    """
    foreign = [c for c in text if ord(c) > 127]
    return not foreign or sum(c in _CP1258_VIETNAMESE for c in foreign) >= 0.8 * len(foreign)


def _no_nul(sample: bytes, file: str) -> None:
    """Refuse 8-bit text holding a NUL byte (a damaged file, or not text), naming its line."""
    at = sample.find(b"\x00")
    if at >= 0:
        raise InputError("nul_byte", file=file, line=sample[:at].count(b"\n") + 1)


def _records(text: str, separator: str, count: int) -> list[list[str]]:
    """The first ``count`` records of ``text`` split at ``separator`` (those before anything unreadable)."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    with contextlib.suppress(csv.Error):  # e.g. a NUL byte: the import itself says where
        records.extend(itertools.islice(reader, count))
    return records
