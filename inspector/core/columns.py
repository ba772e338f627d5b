"""Map a file's headers to our field names using the aliases in ``resources/columns.toml``."""

from __future__ import annotations

from collections.abc import Iterable

from inspector.core import resources
from inspector.core.errors import InputError
from inspector.core.text import fold


def fields(kind: str) -> dict[str, list[str]]:
    """Field name -> aliases for import ``kind`` (``boundaries``, ``venues``, ``scans``, ``reports``)."""
    spec = resources.load_toml("columns.toml")[kind]
    return {name: aliases for name, aliases in spec.items() if name != "required"}


def map_columns(
    kind: str, headers: Iterable[str], *, file: str = "", overrides: dict[str, str] | None = None,
    sheet: str | None = None,
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
    sheet
        The workbook sheet the headers come from, for error messages.

    Raises
    ------
    InputError
        ``missing_column`` when a required field has no matching header.
    """
    headers = [str(h) for h in headers]
    for header in (overrides or {}).values():
        if header not in headers:
            raise InputError("unknown_column", file=file, column=header, columns=", ".join(headers))
    found = match_columns(kind, headers, overrides)
    for field in missing_fields(kind, found):
        aliases = ", ".join(fields(kind)[field][:6])
        columns = ", ".join(headers)
        if sheet is not None:
            raise InputError("missing_column_sheet", file=file, sheet=sheet, field=field, aliases=aliases,
                             columns=columns)
        raise InputError("missing_column", file=file, field=field, aliases=aliases, columns=columns)
    return found


def match_columns(kind: str, headers: Iterable[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """``{field: header}`` for the fields of ``kind`` found among ``headers``; never raises.

    Overrides naming a header that is not there are left out.
    """
    headers = [str(h) for h in headers]
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(fold(header), header)
    found = {field: header for field, header in (overrides or {}).items() if header in headers}
    used = set(found.values())
    for field, aliases in fields(kind).items():
        if field in found:
            continue
        for alias in aliases:
            match = by_key.get(fold(alias))
            if match is not None and match not in used:
                found[field] = match
                used.add(match)
                break
    return found


def missing_fields(kind: str, found: dict[str, str]) -> list[str]:
    """The required fields of ``kind`` that ``found`` (from :func:`match_columns`) lacks."""
    return [f for f in resources.load_toml("columns.toml")[kind]["required"] if f not in found]
