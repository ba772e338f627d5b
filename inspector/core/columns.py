"""Map a file's headers to our field names using the aliases in ``resources/columns.toml``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial

from inspector.core import resources
from inspector.core.errors import InputError
from inspector.core.names import FIELD_NAMES, label
from inspector.core.text import clean, fold

#: Aliases shorter than this (folded) match only a whole header: "x" must not match "Tọa độ X/Y".
LOOSE_MIN = 3
#: Text in brackets (a unit, a note, a required-field mark): "Vĩ độ (Y)", "Sức chứa (người)", "Tên (*)".
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}")
#: A one-word unit after a comma, colon, semicolon or spaced dash: "Sức chứa, người", "Vĩ độ - Y".
_ZONE_NOTE = re.compile(r"utc|gmt")
_UNIT = re.compile(r"\s*(?:[,;:]|\s[-–—])\s*[^\s,;:/]+$")


def fields(kind: str) -> dict[str, list[str]]:
    """Field name -> aliases for import ``kind`` (``boundaries``, ``venues``, ``scans``, ``reports``)."""
    spec = resources.load_toml("columns.toml")[kind]
    return {name: aliases for name, aliases in spec.items() if name not in ("required", "combined")}


def map_columns(
    kind: str, headers: Iterable[str], *, file: str = "", overrides: dict[str, str] | None = None,
    sheet: str | None = None, row: int | None = None, unnamed: Iterable[str] = (),
) -> dict[str, str]:
    """Return ``{field: header}`` for the fields of ``kind`` found among ``headers``.

    Parameters
    ----------
    kind
        The import kind.
    headers
        The file's column headers as written in the file.
    file
        File name for error messages.
    overrides
        Explicit ``{field: header}`` choices that win over the aliases.
    sheet, row
        The workbook sheet and the row of it the headers come from, for error messages.
    unnamed
        A reader's names for blank header cells: like blank headers and our own ``__`` columns,
        never listed in messages.

    Raises
    ------
    InputError
        ``missing_column`` when a required field has no matching header: the message names the
        field by its heading in the user's language and by its field name.
    """
    headers = [str(h) for h in headers]
    hidden = set(unnamed)
    shown = ", ".join(h for h in headers if h.strip() and not h.startswith("__") and h not in hidden)
    for header in (overrides or {}).values():
        if header not in headers:
            raise InputError("unknown_column", file=file, column=header, columns=shown)
    found = match_columns(kind, headers, overrides)
    if not overrides and kind == "venues" and "name" not in found:  # a scan log names no venue: not a registry
        scan = match_columns("scans", headers)
        if not missing_fields("scans", scan):
            raise InputError("scans_as_venues", file=file,
                             columns=", ".join(scan[f] for f in ("timestamp", "venue_id", "person")))
    for field in missing_fields(kind, found):
        params = {"file": file, "field": field, "heading": partial(label, FIELD_NAMES[kind], field),
                  "aliases": ", ".join(fields(kind)[field][:6]), "columns": shown}
        if sheet is not None:
            raise InputError("missing_column_sheet", sheet=sheet, row=row, **params)
        raise InputError("missing_column", **params)
    if not overrides:  # columns chosen by hand say what the file is
        _check_kind(kind, headers, found, file)
    return found


#: Fields of a citizen report that a scan log never has: one of them makes a file reports.
_REPORT_FIELDS = ("report_id", "kind", "description", "venue_name", "address")
#: Words of a header about reports or violations (folded: "Mã phản ánh", "Loại vi phạm"), which no scan log has.
_REPORT_WORDS = ("phananh", "vipham", "violation")


def _check_kind(kind: str, headers: list[str], found: dict[str, str], file: str) -> None:
    """Refuse a scan log given as citizen reports, and citizen reports given as a scan log.

    Each has the columns the other requires (a time, a venue, perhaps a phone number), so either
    would be imported as the other: a scan log's scans as as many reports, a report file's
    reports as the scans of venue-days, in the place of their real figures.
    """
    if kind == "reports" and not any(f in found for f in _REPORT_FIELDS):
        scan = match_columns("scans", headers)
        if not missing_fields("scans", scan):
            columns = ", ".join(scan[f] for f in ("timestamp", "venue_id", "person"))
            raise InputError("scans_as_reports", file=file, columns=columns)
    elif kind == "scans":
        used = set(found.values())
        about_reports = next((h for h in headers if h not in used and (
            fold(h) == "reportid" or any(w in fold(h) for w in _REPORT_WORDS))), None)
        if about_reports is not None:
            raise InputError("reports_as_scans", file=file, column=about_reports)


def match_columns(kind: str, headers: Iterable[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """``{field: header}`` for the fields of ``kind`` found among ``headers``; never raises.

    Overrides come first (those naming a header that is not there are left out); then headers
    equal to an alias (ignoring case, accents, spaces and punctuation); then, for the fields still
    missing, headers that are an alias with a note in brackets or a unit after it ("Vĩ độ (Y)",
    "Sức chứa (người)") or that give alternatives ("Tên cơ sở/doanh nghiệp" is "Tên cơ sở" or
    "Tên doanh nghiệp"). A header is one field only; a header whose loose readings name several
    fields ("Vĩ độ/Kinh độ") is left alone.
    """
    headers = [str(h) for h in headers]
    exact_names = {field: [fold(name) for name in names] for field, names in fields(kind).items()}
    loose_names = {field: [name for name in names if len(name) >= LOOSE_MIN] for field, names in exact_names.items()}
    exact: dict[str, list[str]] = {}
    loose: dict[str, list[str]] = {}
    for header in headers:
        exact.setdefault(fold(header), [header])  # of headers that fold alike, the first
        keys = _loose_keys(header)
        if sum(1 for names in loose_names.values() if keys.intersection(names)) == 1:  # not "Vĩ độ/Kinh độ"
            for key in keys:
                loose.setdefault(key, []).append(header)
    found = {field: header for field, header in (overrides or {}).items() if header in headers}
    used = set(found.values())
    for aliases, headers_of in ((exact_names, exact), (loose_names, loose)):
        for field, names in aliases.items():
            if field in found:
                continue
            match = next((h for name in names for h in headers_of.get(name, []) if h not in used), None)
            if match is not None:
                found[field] = match
                used.add(match)
    order = {field: rank for rank, field in enumerate(exact_names)}
    return dict(sorted(found.items(), key=lambda item: order.get(item[0], len(order))))


def _loose_keys(header: str) -> set[str]:
    """The folded readings of ``header`` without its bracketed notes and units, one per alternative.

    None for a header whose note names a time zone ("Thời gian (UTC)"): its times would be read as
    local time, seven hours off, so such a column must be chosen explicitly (``--map``).
    """
    if _ZONE_NOTE.search(fold(header)):
        return set()
    text = clean(_BRACKETS.sub(" ", header))
    text = _UNIT.sub("", text) or text
    parts = [p for p in (clean(p) for p in text.split("/")) if p]
    readings = set(parts)
    if len(parts) > 1:  # "Tên cơ sở/doanh nghiệp": the later parts replace the first part's last words
        first = parts[0].split()
        for part in parts[1:]:
            readings.update(" ".join([*first[:k], part]) for k in range(1, len(first)))
    return {key for key in map(fold, readings) if key}


#: The header is looked for among a file's first rows (a letterhead, a title and blank rows may come first).
HEADER_ROWS = 30


def find_header(
    kind: str | None, rows: Iterable[list[str]], overrides: dict[str, str] | None = None
) -> tuple[int, int, bool] | None:
    """Find the header row among ``rows`` (a file's first rows, as text).

    Returns ``(columns named, row index, all required named)`` for the row naming the most columns
    of ``kind`` (the first such row; without ``kind``, the first non-empty row), or ``None`` when
    every row is empty.
    """
    best: tuple[int, int, bool] | None = None
    for index, values in enumerate(rows):
        header = [v.strip() for v in values]
        if not any(header):
            continue
        if kind is None:
            return 0, index, True
        found = match_columns(kind, header, overrides)
        if best is None or len(found) > best[0]:
            best = (len(found), index, not missing_fields(kind, found))
    return best


def likely_header(kind: str, rows: list[list[str]]) -> int | None:
    """The index of the row of ``rows`` (a file's first rows, as text) to take as its header when matching by hand.

    The row naming the most columns of ``kind`` (see :func:`find_header`); when none names any,
    the first row with as many different texts as the table's rows have: as many as the second
    row with the most (a header and a row at least). A letterhead's lines above the table (one
    text, one merged across the row, or a few: "Sở Y tế, tỉnh Thừa Thiên Huế, 2021") are passed
    over. ``None`` when every row is empty.
    """
    found = find_header(kind, rows)
    if found is not None and found[0] > 0:
        return found[1]
    counts = [len({v.strip() for v in values if v.strip()}) for values in rows]
    if not any(counts):
        return None
    width = sorted(counts, reverse=True)[min(1, len(counts) - 1)]
    return next(i for i, n in enumerate(counts) if n and n >= width)


def no_header(kind: str, *, file: str, sheet: str | None = None) -> InputError:
    """The error for a file (or a workbook's ``sheet``) none of whose first rows names a column of ``kind``."""
    field = missing_fields(kind, {})[0]
    params = {"file": file, "rows": HEADER_ROWS, "field": field, "heading": partial(label, FIELD_NAMES[kind], field),
              "aliases": ", ".join(fields(kind)[field][:6])}
    if sheet is not None:
        return InputError("no_header_sheet", sheet=sheet, **params)
    return InputError("no_header", **params)


def missing_fields(kind: str, found: dict[str, str]) -> list[str]:
    """The required fields of ``kind`` that ``found`` (from :func:`match_columns`) lacks.

    A field that a found one combines (a venue's latitude and longitude in one "position" column)
    is not lacking.
    """
    spec = resources.load_toml("columns.toml")[kind]
    given = {f for combined, parts in spec.get("combined", {}).items() if combined in found for f in parts}
    return [f for f in spec["required"] if f not in found and f not in given]


def combined_fields(kind: str, found: dict[str, str]) -> dict[str, list[str]]:
    """``{combined field: fields it gives}`` for the combined fields in ``found`` whose parts lack a column."""
    spec = resources.load_toml("columns.toml")[kind].get("combined", {})
    return {c: list(parts) for c, parts in spec.items() if c in found and not all(p in found for p in parts)}


def unused_columns(headers: Iterable[str], found: dict[str, str], unnamed: Iterable[str] = ()) -> list[str]:
    """The headers no field is read from, in file order.

    Blank headers, the ``unnamed`` ones (a reader's names for blank header cells) and our own
    ``__`` columns are left out.
    """
    skip = set(found.values()) | set(unnamed)
    return [h for h in map(str, headers) if h.strip() and not h.startswith("__") and h not in skip]
