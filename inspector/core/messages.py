"""Message codes and their English text; translations live in ``resources/locale``.

Core code raises and returns codes with parameters; :func:`render` turns them into a sentence in
the user's language at the edge (command line, window, documents).
"""

from __future__ import annotations

import errno
import string
from collections.abc import Mapping
from typing import Any, NamedTuple

from inspector.core.errors import CodedError
from inspector.core.i18n import N_, Translate, grouped
from inspector.core.row_messages import ROW_MESSAGES

MESSAGES: dict[str, str] = {
    # whole files
    "file_missing": N_("File not found: {file}"),
    "folder_not_file": N_("{file} is a folder, not a file: give the files in it to import."),
    "empty_file": N_("{file} is empty."),
    "no_rows": N_("{file} has a header but no data rows."),
    "unsupported_format": N_("{file}: files of type “{extension}” cannot be imported here."),
    "row_file_replaces": N_(
        "{file} lists rows rejected from a scan log ({original}): imported alone, its few scans would take the "
        "place of the figures of {days} venue-days already in the workspace. Correct the rows in {original} "
        "itself and import that log again: its figures then replace its own."
    ),
    "row_file_replaces_unnamed": N_(
        "{file} lists rows rejected from a scan log: imported alone, its few scans would take the place of the "
        "figures of {days} venue-days already in the workspace. Correct the rows in the log itself and import "
        "that log again: its figures then replace its own."
    ),
    "compressed_file": N_("{file} is compressed: extract it first (with 7-Zip or the file manager's “Extract”), "
                          "then import {inner}."),
    "unsupported_format_for": N_("{file}: files of type “{extension}” cannot be imported as {kind}; {kind} are "
                                 "read from {formats}."),
    "wrong_file_type": N_(
        "{file} is named as {claimed} but its content is {actual}; save it again in the right format."
    ),
    "legacy_xls": N_(
        "{file} is an Excel 5.0/95 workbook, too old to be read; open it in Excel or LibreOffice, save it as an "
        "Excel workbook (.xlsx) and import that file."
    ),
    "text_xls": N_(
        "{file} is not an Excel workbook but a web page or text named “.xls” (as web systems “export to Excel”); "
        "open it in Excel or LibreOffice, save it as an Excel workbook (.xlsx) and import that file."
    ),
    "protected_xlsx": N_(
        "{file} is protected by a password, so it cannot be read; open it in Excel or LibreOffice, remove the "
        "password, save it as an Excel workbook (.xlsx) and import it again."
    ),
    "unknown_encoding": N_(
        "{file}: the text encoding is not UTF-8, UTF-16 or Windows-1258; save it as “CSV UTF-8”."
    ),
    "nul_byte": N_("{file}: line {line} holds a NUL byte, which text never holds: the file is damaged or not "
                   "text. Remove it (or export the file again) and import again."),
    "mixed_encoding": N_(
        "{file}, line {line}: this text is not {encoding} like the text before it; save the whole file "
        "again as “CSV UTF-8”."
    ),
    "legacy_encoding": N_(
        "{file} seems to be written in an old Vietnamese encoding (TCVN3/ABC or VNI); convert it to Unicode "
        "(for example with UniKey's converter) and save it as “CSV UTF-8”."
    ),
    "bad_csv": N_("{file}, line {line}: the CSV text is malformed ({detail})."),
    "bad_xlsx": N_("{file} cannot be read as an Excel workbook ({detail})."),
    "bad_ods": N_("{file} cannot be read as an OpenDocument spreadsheet ({detail})."),
    "sparse_sheet": N_(
        "{file}, sheet “{sheet}”: a value far outside the table (as far as row {row}, column {column}) makes the "
        "sheet too large to read; delete what lies outside the table, save the file and import it again."
    ),
    "bad_geojson": N_("{file} cannot be read as geographic data ({detail})."),
    "bad_parquet": N_("{file} cannot be read as Parquet ({detail})."),
    "out_of_memory": N_("{file} needs more memory than is available to import ({detail}); close other programs "
                        "or split the file by days."),
    "missing_column": N_(
        "{file}: required column “{heading}” ({field}) not found (accepted names include: {aliases}). "
        "Columns in the file: {columns}."
    ),
    "missing_column_sheet": N_(
        "{file}, sheet “{sheet}”: required column “{heading}” ({field}) not found (accepted names include: "
        "{aliases}). Columns in the header (row {row}): {columns}."
    ),
    "no_header": N_(
        "{file}: no header line found; none of the first {rows} lines names the required column “{heading}” "
        "({field}) or another known column (accepted names include: {aliases}). The table's header must be "
        "within the first {rows} lines."
    ),
    "no_header_sheet": N_(
        "{file}, sheet “{sheet}”: no header row found; none of the first {rows} rows names the required column "
        "“{heading}” ({field}) or another known column (accepted names include: {aliases}). The table's header "
        "must be within the first {rows} rows."
    ),
    "other_sheets": N_(
        "Other sheets have the required columns too and were not read: {sheets}. Import the workbook again to "
        "read them (the window asks which; on the command line, --sheet NAME, repeated for several sheets read "
        "as one table, or --all-sheets)."
    ),
    "uncached_formulas": N_(
        "{file}: the workbook has formulas whose results were never saved (sheet “{sheet}”, cell {cell}); "
        "open it in Excel or LibreOffice, save it, and import it again."
    ),
    "scans_as_reports": N_(
        "{file} looks like a scan log, not citizen reports: it has a scan's time, venue and phone number ({columns}) "
        "and no column of a report (its id, violation, text, venue name or address). Import it as a scan log."
    ),
    "scans_as_venues": N_(
        "{file} looks like a scan log, not a venue registry: it has a scan's time, venue and phone number ({columns}) "
        "and no venue name. Import it as a scan log."
    ),
    "reports_as_scans": N_(
        "{file} looks like citizen reports, not a scan log: its column “{column}” is about reports or violations, "
        "which a scan log never has. Import it as citizen reports."
    ),
    "unknown_column": N_("{file}: there is no column “{column}” (columns: {columns})."),
    "unknown_field": N_("“{field}” is not a field of {kind}; the fields are: {fields}."),
    "unknown_kind": N_("Unknown import kind “{kind}”; choose one of: {kinds}."),
    "column_twice": N_("{file}: the column “{column}” appears more than once; rename or remove all but one, so "
                       "that it is clear which one to read."),
    "month_first_dates": N_("{file}: read day first, its {days} days are spread over {months} months, and read "
                            "month first they lie within one month: its dates look written month first (MM/DD/YYYY, "
                            "as US settings write them). Export the log with dates as DD/MM/YYYY or YYYY-MM-DD."),
    "dates_either_way": N_("{file}: its dates read either way. Read day first, as this import reads them, its scans "
                           "fall on {day_first}; read month first, on {month_first}. They look written month first "
                           "(MM/DD/YYYY, as US settings write them): {evidence}. Export the log with dates as "
                           "DD/MM/YYYY or YYYY-MM-DD and import it again."),
    # what says a log's dates are month first (in dates_either_way's {evidence}, joined by "; ")
    "date_evidence_registry": N_("read day first, {early} of its {venues} venues would have scans from before they "
                                 "were registered (read month first: {other})"),
    "date_evidence_workspace": N_("read month first, its days adjoin days the workspace has scans for ({day}), read "
                                  "day first they do not"),
    "date_evidence_file_day": N_("read month first, its days adjoin {day}, a date that reads only one way in "
                                 "{other_file} (imported with it), read day first they do not"),
    "date_evidence_run": N_("read month first, its days follow one another ({first} to {last}), read day first they "
                            "lie a month apart"),
    "date_evidence_run_files": N_("read month first, its days and those of {files}, imported with it, follow one "
                                  "another ({first} to {last}), read day first they lie a month apart"),
    "date_evidence_name": N_("its name holds the date {date}"),
    "unknown_sheet": N_("{file} has no sheet “{sheet}”; its sheets: {sheets}."),
    "in_sheet": N_("{line} of the sheet “{sheet}”"),  # a row of a table read from several sheets
    "no_venues": N_("{file}: the workspace has no venues yet; import the venue registry before scans."),
    "mostly_unusable": N_(
        "{file}: {bad} of the first {read} rows name no venue of this workspace's registry or no person, "
        "so nothing was imported (for example {unit} {line}: {example}). Is the file meant for this "
        "workspace?"
    ),
    "missing_crs": N_(
        "{file} has no coordinate reference system and its coordinates are not longitude/latitude."
    ),
    "no_polygons": N_("{file} contains no polygons."),
    "bad_zip": N_("{file} cannot be opened as a zip archive: it is damaged or was not completely downloaded."),
    "zip_without_geodata": N_(
        "{file} holds no geographic file (a Shapefile .shp with its .dbf and .shx, a GeoJSON or a GeoPackage), in "
        "any of its folders; it holds: {files}."
    ),
    "no_polygons_found": N_("{file} holds no polygons: {found}; boundaries must be areas (polygons)."),
    "nothing_accepted": N_(
        "{file}: none of its {total} features can be imported, so nothing was changed (for example feature "
        "{line}: {reason})."
    ),
    "unknown_layer": N_("{file} has no layer “{layer}”; its layers with polygons: {layers}."),
    "duplicate_columns": N_("{file} has several columns named {columns}; rename them so each name is used once."),
    "several_levels": N_(
        "{file} holds units of several levels ({levels}); import it once per level, choosing the level each "
        "time, provinces first."
    ),
    "boundary_file_is_province": N_(
        "{file} holds the province's outline only; give the districts or the wards of the province."
    ),
    "no_attributes": N_("{file} has shapes but no attribute columns (codes, names); a Shapefile keeps them in its "
                        ".dbf file, which must be next to the .shp or in the same zip."),
    "unknown_level": N_(
        "{file}: cannot tell whether the units are provinces, districts or wards; choose the level."
    ),
    "no_units": N_("The workspace has no administrative units yet; import boundaries first."),
    "unknown_unit": N_("There is no administrative unit “{unit}” (by code or name) in this workspace. "
                       "Its units are, for example: {units}."),
    "unit_ambiguous": N_("Several administrative units are named “{unit}”; give the code of the one you mean: "
                         "{units}."),
    "unit_wrong_level": N_("The unit with code “{unit}” is a {level}, not a {wanted}."),
    "map_no_output": N_("Say where to write the map: --out FILE.html, --png FILE.png, or both."),
    "bad_level": N_("Unknown administrative level “{level}”; choose one of: {levels}."),
    # workspaces
    "workspace_exists": N_("{path} already exists."),
    "demo_files_exist": N_("{folder} already holds files of the names the demo writes ({files}); give an empty or "
                           "new folder, so that no file is overwritten."),
    "workspace_missing": N_("Workspace not found: {path}"),
    "workspace_folder": N_("{path} is a folder, not a workspace: give the workspace file (.gpkg)."),
    "not_a_workspace": N_("{path} is not a workspace of this application (not a GeoPackage it wrote)."),
    "workspace_busy": N_(
        "{path} is in use by another program (another window of this application, or QGIS saving "
        "edits). Nothing was changed; try again when it has finished, or close the workspace there."),
    "workspace_readonly": N_("{path} cannot be written (a read-only file or folder). Nothing was changed; "
                             "copy the workspace to a folder you can write to."),
    "workspace_full": N_("The disk holding {path} is full. Nothing was changed; free some space and try again."),
    "workspace_newer": N_(
        "{path} was written by a newer version of this application (schema {found}; this version "
        "reads up to {supported}). Update the application to open it."
    ),
    # undoing an import
    "undo_unavailable": N_("{path} has no import to undo."),
    "undo_stale": N_("The import of {files} can no longer be undone: {path} has been written to since (another "
                     "import, or another program). Nothing was changed."),
    "undo_damaged": N_("The import of {files} cannot be undone: the copy of {path} kept before it is missing or "
                       "damaged. Nothing was changed."),
    **ROW_MESSAGES,  # the rows' own: why one was rejected, or kept with a warning
}


class _Lenient(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Count(int):
    """A count inside a message's parameters, grouped the way the message's language writes numbers."""

    def __call__(self, tr: Translate) -> str:
        return grouped(f"{int(self):,}", tr)


class Message(NamedTuple):
    """A message inside another one's parameters, rendered in the same language."""

    code: str
    params: Mapping[str, Any]

    def __call__(self, tr: Translate) -> str:
        return render(self.code, self.params, tr)


#: What the operating system said, for the errors a user can cause and fix (others keep the system's words).
OS_ERRORS: dict[int, str] = {
    errno.ENOENT: N_("No such file or folder: {path}"),
    errno.EEXIST: N_("{path} already exists."),
    errno.EACCES: N_("Permission denied: {path}"),
    errno.EPERM: N_("Permission denied: {path}"),
    errno.ENOTDIR: N_("{path} is not a folder."),
    errno.EISDIR: N_("{path} is a folder, not a file."),
    errno.ENOSPC: N_("The disk is full: {path}"),
    errno.EROFS: N_("{path} is on a read-only disk."),
}


def os_error(exc: OSError, tr: Translate) -> str:
    """One line for an error of the operating system, in the language of ``tr`` when we know it."""
    path = exc.filename if exc.filename is not None else ""
    template = OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if template is not None:
        return tr(template).format(path=path)
    return f"{exc.strerror or exc}: {path}".strip().rstrip(":")


def error_text(exc: CodedError | OSError, tr: Translate) -> str:
    """The one line a refusal (:class:`CodedError`) or an error of the operating system gets."""
    return render(exc.code, exc.params, tr) if isinstance(exc, CodedError) else os_error(exc, tr)


def parameters(code: str) -> set[str]:
    """The names of the parameters the message of ``code`` gives (``{value}``, ``{field}``...)."""
    return {name for _, name, _, _ in string.Formatter().parse(MESSAGES.get(code, "")) if name}


def render(code: str, params: Mapping[str, Any], tr: Translate) -> str:
    """Return the message of ``code`` in the language of ``tr``, filled with ``params``.

    A parameter may itself be text to translate: a callable taking ``tr``, such as a
    :class:`Message` or ``functools.partial(label, table, code)``.
    """
    template = MESSAGES.get(code)
    if template is None:
        return code + (f" {dict(params)}" if params else "")
    params = {k: v(tr) if callable(v) else _shown(v) for k, v in params.items()}
    return string.Formatter().vformat(tr(template), (), _Lenient(params))


#: control characters (a library's raw error text, a cell's): line breaks and tabs become spaces, the
#: rest a "?", so a message stays one line and a terminal is sent no escape sequence from a file
_CONTROLS = {c: "?" for c in [*range(32), *range(127, 160)]} | {9: " ", 10: " ", 13: " "}


def _shown(value: Any) -> Any:
    return value.translate(_CONTROLS) if isinstance(value, str) else value
