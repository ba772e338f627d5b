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
    # rejected rows
    "missing_value": N_("{field} is empty"),
    "duplicate_id": N_("duplicate id “{value}”, first seen at {unit} {first}"),
    "invalid_number": N_("{field}: “{value}” is not a number"),
    "half_position": N_("{field}: “{value}” is not a latitude and a longitude; write both, such as "
                        "16.4637, 107.5909"),
    "invalid_coordinate": N_(
        "{field}: “{value}” is not a coordinate; write decimal degrees such as 16.4637 or 107.5909 "
        "(degrees, minutes and seconds such as 16°27′49″N are read too)"
    ),
    "negative_number": N_("{field}: “{value}” is negative"),
    "coordinate_out_of_range": N_("{field}: {value} is outside the valid range"),
    "missing_coordinates": N_("no coordinates (empty or 0, 0)"),
    "coordinates_swapped": N_(
        "latitude and longitude look swapped ({value}); exchange them in the file, or import it from the "
        "command line with --fix-swapped"
    ),
    "invalid_timestamp": N_("{field}: “{value}” is not a date and time in a known format"),
    "timestamp_impossible": N_("{field}: “{value}” is no real day (dates are read day first: DD/MM/YYYY)"),
    "time_without_date": N_("{field}: “{value}” is a time of day without a date"),
    "implausible_timestamp": N_("{field}: “{value}” lies outside the years 2000–2099; check its year"),
    "invalid_date": N_("{field}: “{value}” is not a date in a known format"),
    "unknown_venue": N_("venue “{value}” is not in the registry"),
    "phone_as_venue": N_("the venue column holds a phone number (not shown); are the columns swapped?"),
    "invalid_geometry": N_("the geometry is missing, empty or not a polygon"),
    "duplicate_code": N_("duplicate unit code “{value}”, first seen at {unit} {first}"),
    "below_table": N_("below the table: a total, a note or a signature, not a data row"),
    "bad_csv_row": N_(
        "the line has {cells} cells but the header has {columns} columns; is a separator inside a cell that "
        "is not in quotes?"
    ),
    "other_level": N_("a unit of level “{value}”, not of the level being imported"),
    "not_a_point": N_("the geometry is a {value}, not a point"),
    # warnings (counted per import)
    "unknown_category": N_("category not recognised, imported as “other”"),
    "unknown_status": N_("status not recognised, imported as “active”"),
    "staff_not_read": N_("staff not a whole number of people (a range, a decimal, a word or a negative number): "
                         "left empty"),
    "capacity_not_read": N_("capacity not a whole number of people (a range, a decimal, a word or a negative "
                            "number): left empty"),
    "date_not_read": N_("registration date not a date in a known format (write it as 31/07/2021): left empty"),
    "date_impossible": N_("registration date “{value}” is no real day (dates are read day first: DD/MM/YYYY): "
                          "left empty"),
    "date_without_day": N_("registration date gives a month or a year but no day: left empty"),
    "date_in_future": N_("registration date “{value}” is later than today: kept, check it"),
    "text_cut": N_("{field} has {length} characters: kept the first {limit}, followed by “…”"),
    "id_as_registered": N_("venue id written as a registered venue's but for upper and lower case or leading zeros: "
                           "imported as that venue, under the id it is registered with"),
    "id_like_another": N_("venue id written as another venue's but for upper and lower case or leading zeros: "
                          "imported as a venue of its own; check that they are not one venue"),
    "unknown_ward": N_("declared ward not found among the administrative units"),
    "ambiguous_ward": N_("declared ward name matches several wards; give its code or district"),
    "outside_declared": N_("registered point lies outside the declared ward"),
    "overlap": N_("registered point lies where two ward polygons overlap"),
    "gap": N_("registered point lies in a gap between ward polygons"),
    "outside_province": N_("registered point lies outside the province"),
    "no_boundaries": N_("no administrative units imported yet; wards not assigned"),
    "swapped_fixed": N_("swapped latitude/longitude corrected"),
    "geometry_repaired": N_("invalid polygon repaired"),
    "population_kept": N_("units without a population in this file kept the one the workspace had"),
    "parent_derived": N_("parent unit created from its children (no boundary of its own yet)"),
    "parent_from_map": N_("units without a parent code were linked, by the map, to the unit of the level above "
                          "that holds most of their area"),
    "parent_not_found": N_("units without a parent code lie outside every unit of the level above, so they have "
                           "no parent unit: are the files of the same province?"),
    "parent_pending": N_("units without a parent code, and the workspace has no unit of the level above yet: "
                         "import those boundaries too, and the map will link these units to them"),
    "venues_relocated": N_("venues re-assigned to wards after the boundary change"),
    "reports_linked": N_("citizen reports stored without a venue now linked to a registered venue (by the venue id "
                         "or QR code they gave, by their position, or by the venue's name or address they gave)"),
    "reports_linked_by_address": N_("of the citizen reports now linked: by their address alone (the one venue "
                                    "registered there)"),
    "reports_linked_by_address_partial": N_("of the citizen reports now linked: by part of their address alone (the "
                                            "house number and street of the one venue whose address begins so)"),
    "reports_linked_by_name_variant": N_("of the citizen reports now linked: by the venue's name written "
                                         "differently (an abbreviation, or without its category word)"),
    "encoding_guessed": N_("Shapefile without a .cpg file: its text was read as Windows-1258 (Vietnamese); add a "
                           ".cpg file saying its encoding if names look wrong"),
    "datum_unknown": N_("the file's coordinate system has a datum whose shift to WGS 84 is not known, so the "
                        "units may be off by a few hundred metres; save the file in WGS 84 or with "
                        "TOWGS84 parameters (VN-2000: for example EPSG:3405)"),
    "outside_parent": N_("units lie mostly outside their parent unit's polygon: are the files from the same "
                         "year's layout?"),
    "overlaps_other_units": N_("units lie on units of the same level already in the workspace under other codes "
                               "(an older or newer layout?); venues there fall in two units"),
    "province_added": N_("provinces added next to the workspace's province"),
    "report_unmatched": N_("report not matched to a registered venue"),
    # the venue is the row's own: in a summary, that of the first row ("2 × …, here “X”: … (first at line 5)")
    "report_name_variant": N_("report linked to a venue whose name it writes differently (an abbreviation, or "
                              "without its category word), here “{name}” ({venue}): check it"),
    "report_by_address": N_("report giving only an address linked to the one venue registered there, here “{name}” "
                            "({venue}): check it"),
    "report_by_address_partial": N_("report giving only part of an address (the house number and street) linked "
                                    "to the one venue whose address begins so, here “{name}” ({venue}) at "
                                    "“{address}”: check it"),
    "time_of_day_unread": N_("time of day not read (write it as 14:30, 14h30 or 2:30 CH); the report is kept at "
                             "its date, 00:00"),
    "report_unknown_venue": N_("report names a venue id that is not registered; the id is kept as given"),
    "report_unknown_unit": N_("{field}: “{value}” is none of the workspace's wards or districts, nor in a venue's "
                              "address (check its spelling): the report is linked by its name or address to no venue"),
    "gps_dropped": N_("device position out of range; scan kept without position"),
    "gps_not_read": N_("device position not a number; scan kept without position"),
    "gps_half": N_("device position with a latitude or a longitude but not both; scan kept without position"),
    "gps_zero": N_("device position 0, 0 (the phone had no fix); scan kept without position"),
    "scan_id_as_registered": N_("scan's venue id written as a registered venue's but for upper and lower case or "
                                "leading zeros: counted for that venue"),
    "days_replaced": N_("venue-days already in the workspace were replaced by this file"),
    "days_continued": N_("days continued by this file (its scans of the day come after or before those already "
                         "imported, as when one log is cut into parts): the figures were added together, so a "
                         "person who scanned a venue in both parts counts twice among its people of the day"),
    "days_partly_replaced": N_("days where this file's hours overlap only part of a file imported before: the day's "
                               "figures are now this file's, and the earlier file's scans outside its hours are no "
                               "longer counted; import each day's complete log"),
    "matching_not_kept": N_("the columns chosen could not be kept in the workspace (it was busy or could not be "
                            "written); the rows are imported, and a file like it will ask for its columns again"),
    "days_shrunk": N_("days on which this file's venues now have fewer scans than before it: a file whose scans of a "
                      "day overlap in time those already imported replaces its venues' figures of that day, so import "
                      "complete days"),
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
