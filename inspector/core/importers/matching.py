"""Match a file's columns to our fields by hand: a preview of the file, and matchings kept in the workspace."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inspector.core import resources
from inspector.core.columns import fields, match_columns
from inspector.core.errors import CodedError, InputError
from inspector.core.importers.common import ImportResult
from inspector.core.io.sniff import SAMPLE, detect_encoding, file_format
from inspector.core.io.tables import head_table
from inspector.core.workspace import Workspace, audit

#: The kinds whose columns can be matched by hand, and the formats each is imported from.
FORMATS = {"venues": ("csv", "xlsx", "xls", "ods", "geojson"), "scans": ("csv", "parquet"),
           "reports": ("csv", "xlsx", "xls", "ods")}
#: The refusals a matching of columns answers: a required column, or the whole header, not recognised.
REFUSALS = frozenset({"missing_column", "missing_column_sheet", "no_header", "no_header_sheet"})
#: How many rows a preview shows.
PREVIEW_ROWS = 5
_KEY = "column_matching"


@dataclass
class Preview:
    """A file's header and first rows as an import reads them, and the fields to match to its columns."""

    kind: str
    file: Path
    headers: list[str]  # the columns that can be chosen, as the import names them, in file order
    rows: list[list[str]]  # the first rows: one text per header
    lines: list[int]  # where each row is in the file (line, sheet row or record)
    unit: str  # "line", "row", "feature" or "record"
    header_at: int | None  # the header's line or sheet row (None: Parquet, GeoJSON)
    sheet: str | None  # the sheet read, when the workbook has several
    fields: list[str]  # the fields to match, in the order of columns.toml
    required: list[str]
    found: dict[str, str]  # what the columns' names match: {field: header}


def preview(path: Path, kind: str, *, sheet: str | list[str] | None = None, rows: int = PREVIEW_ROWS) -> Preview:
    """Read the header and first ``rows`` rows of a file of ``kind`` (venues, scans or reports).

    The same readers as the import's read the file (its encoding, its header line below a
    letterhead, the workbook sheet it reads, or ``sheet``), but only its start. When no line names
    a column of ``kind``, the first one that is not empty is the header. Fields that a GeoJSON
    file's point geometry gives (a venue's latitude and longitude) are not offered.

    Raises
    ------
    InputError
        When the file cannot be read at all (see :func:`inspector.core.io.tables.read_table`).
    """
    if kind not in FORMATS:
        raise InputError("unknown_kind", kind=kind, kinds=", ".join(FORMATS))
    given: set[str] = set()
    sheet_read: str | None = None
    unnamed: tuple[str, ...] = ()
    if kind == "scans":
        names, body, lines, header_at, unit = _scan_head(path, rows)
    else:
        table = head_table(path, FORMATS[kind], kind, sheet=sheet, rows=rows)
        names, lines, header_at, unit = list(table.frame.columns), list(table.lines), table.header_at, table.unit
        body, unnamed = table.frame.to_numpy().tolist(), table.unnamed
        sheet_read = table.sheets[0] if table.sheets else None
        if kind == "venues" and unit == "feature":  # the point geometry is the registered position
            given = {"lat", "lon"}
    keep = [i for i, name in enumerate(names) if _named(name) and name not in unnamed]
    headers = [names[i] for i in keep]
    required = resources.load_toml("columns.toml")[kind]["required"]
    return Preview(kind, path, headers, [[str(r[i]) for i in keep] for r in body], [int(n) for n in lines], unit,
                   header_at, sheet_read, [f for f in fields(kind) if f not in given],
                   [f for f in required if f not in given], match_columns(kind, headers))


def _scan_head(path: Path, rows: int) -> tuple[list[str], list[list[str]], list[int], int | None, str]:
    from inspector.core.importers import scan_read

    fmt = file_format(path)
    if fmt not in FORMATS["scans"]:
        raise InputError("unsupported_format", file=path.name, extension=path.suffix)
    encoding = None
    if fmt == "csv":  # as the import tells it: from the file's start
        with path.open("rb") as fh:
            encoding = detect_encoding(fh.read(SAMPLE), complete=path.stat().st_size <= SAMPLE, file=path.name)
    names, body, lines, header_at = scan_read.head(path, fmt, encoding, rows)
    return names, body, lines, header_at if fmt == "csv" else None, "line" if fmt == "csv" else "record"


def can_match(exc: BaseException, kind: str) -> bool:
    """Whether choosing the columns by hand may answer ``exc``, the refusal of a file of ``kind``."""
    return isinstance(exc, InputError) and exc.code in REFUSALS and kind in FORMATS


def saved_columns(workspace: Workspace, kind: str, headers: Iterable[str]) -> dict[str, str] | None:
    """The matching (``{field: header}``) saved for files of ``kind`` with exactly these ``headers``."""
    value = workspace.meta(_key(kind, headers))
    return None if value is None else dict(json.loads(value)["columns"])


def save_columns(workspace: Workspace, kind: str, headers: Iterable[str], columns: dict[str, str]) -> None:
    """Keep the matching ``columns`` for files of ``kind`` with these ``headers`` (replacing an earlier one)."""
    names = _header_set(headers)
    value = json.dumps({"headers": names, "columns": columns}, ensure_ascii=False)
    with workspace.transaction() as conn:
        conn.execute("INSERT INTO workspace_meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (_key(kind, names), value))
        audit(conn, "columns_matched", {"kind": kind, "columns": columns})


def reuse_saved(workspace: Workspace, kind: str, path: Path, exc: CodedError,
                sheet: str | list[str] | None = None) -> dict[str, str] | None:
    """The matching saved for the file refused with ``exc``, when there is one; else None.

    The file is read again (its start) only when some matching is saved for ``kind``.
    """
    if not can_match(exc, kind):
        return None
    with workspace.connect() as conn:
        if conn.execute("SELECT 1 FROM workspace_meta WHERE key GLOB ?", (f"{_KEY}:{kind}:*",)).fetchone() is None:
            return None
    try:
        headers = preview(path, kind, sheet=sheet, rows=1).headers
    except InputError:
        return None
    return saved_columns(workspace, kind, headers)


def file_headers(result: ImportResult) -> list[str]:
    """The named columns of the file an import read (those it read and those it did not)."""
    return _header_set([*result.columns.values(), *result.unused_columns])


def _named(header: str) -> bool:
    """Whether a column is one a person can choose: named, and not one of our own ``__`` columns."""
    return bool(header.strip()) and not header.startswith("__")


def _header_set(headers: Iterable[str]) -> list[str]:
    return sorted({h for h in headers if _named(h)})


def _key(kind: str, headers: Iterable[str]) -> str:
    digest = hashlib.sha256(json.dumps(_header_set(headers), ensure_ascii=False).encode()).hexdigest()[:24]
    return f"{_KEY}:{kind}:{digest}"
