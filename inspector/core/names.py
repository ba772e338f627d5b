"""The names of codes, translated where they are shown: signs, report kinds, fields, tables and levels.

Each table maps a code to its English name, marked for translation; :func:`label` gives the name in
the user's language.
"""

from __future__ import annotations

from inspector.core.i18n import N_, Translate

#: Names of the signs of violation (codes from :mod:`inspector.core.signals`).
SIGNAL_NAMES: dict[str, str] = {
    "no_scans": N_("No scans for days"),
    "low_participation": N_("Low participation"),
    "sudden_drop": N_("Sudden drop"),
    "location_mismatch": N_("Location mismatch"),
    "outside_declared_ward": N_("Outside declared ward"),
    "cloned_board": N_("Cloned board"),
    "staff_not_scanning": N_("Staff not scanning"),
    "citizen_reports": N_("Citizen reports"),
}

#: Names of the kinds of citizen report (codes from ``resources/venue_values.toml``).
REPORT_KIND_NAMES: dict[str, str] = {
    "no_board": N_("no QR board"),
    "unscannable": N_("QR code cannot be scanned"),
    "not_scanning": N_("visitors not asked to scan"),
    "wrong_location": N_("wrong location information"),
    "other": N_("other"),
}

#: How a position in an input file is called, per kind of file.
LOCATION_UNITS: dict[str, str] = {"line": N_("line"), "row": N_("row"), "feature": N_("feature"),
                                  "record": N_("record")}

#: What a file's bytes show it to be (for ``wrong_file_type``).
FILE_KINDS: dict[str, str] = {"text": N_("text"), "zip": N_("zip/xlsx"), "gpkg": N_("SQLite/GeoPackage"),
                              "png": N_("a PNG image"), "jpeg": N_("a JPEG image"), "gif": N_("a GIF image"),
                              "gzip": N_("gzip"), "pdf": N_("PDF"), "xls": N_("an Excel 97–2003 workbook (.xls)"),
                              "xls5": N_("an Excel 5.0/95 workbook"), "ods": N_("an OpenDocument spreadsheet (.ods)"),
                              "encrypted": N_("a file protected by a password"),
                              "ole": N_("an older Microsoft Office document"), "unknown": N_("not a format we know")}

#: What the workspace's tables hold, for people (the table name follows in brackets).
TABLE_NAMES: dict[str, str] = {
    "admin_units": N_("Administrative units"), "venues": N_("Venues"), "scan_daily": N_("Venue-days with scans"),
    "scan_positions": N_("Venues with scan figures"), "citizen_reports": N_("Citizen reports"),
    "import_log": N_("Imports"), "audit_log": N_("Audit log entries"),
}

#: The main heading of each field of an imported file, per import kind (see ``resources/columns.toml``).
FIELD_NAMES: dict[str, dict[str, str]] = {
    "boundaries": {
        "code": N_("Unit code"), "name": N_("Unit name"), "population": N_("Population"), "level": N_("Level"),
        "parent_code": N_("Parent unit code"), "district_code": N_("District code"),
        "district_name": N_("District"), "province_code": N_("Province code"), "province_name": N_("Province"),
    },
    "venues": {
        "venue_id": N_("Venue id"), "qr_payload": N_("QR code content"), "name": N_("Name"),
        "category": N_("Category"), "address": N_("Address"), "ward_code": N_("Ward code"), "ward_name": N_("Ward"),
        "district_name": N_("District"), "lat": N_("Latitude"), "lon": N_("Longitude"),
        "position": N_("Latitude and longitude in one cell"), "staff": N_("Staff"), "capacity": N_("Capacity"),
        "owner_contact": N_("Contact"), "registered_on": N_("Registration date"),
        "status": N_("Status"),
    },
    "scans": {
        "timestamp": N_("Scan time"), "venue_id": N_("Venue id"), "person": N_("Phone number"),
        "role": N_("Role"), "lat": N_("Latitude"), "lon": N_("Longitude"),
    },
    "reports": {
        "report_id": N_("Report id"), "reported_at": N_("Report time"), "reported_time": N_("Time of day"),
        "venue_id": N_("Venue id"), "venue_name": N_("Venue name"), "address": N_("Address"),
        "lat": N_("Latitude"), "lon": N_("Longitude"), "position": N_("Latitude and longitude in one cell"),
        "kind": N_("Violation"), "description": N_("Description"), "ward_name": N_("Ward"),
        "district_name": N_("District"),
    },
}

#: Kinds of geometry that are not polygons, counted (for ``no_polygons_found``).
GEOMETRY_KINDS: dict[str, str] = {
    "Point": N_("points"), "MultiPoint": N_("multi-points"), "LineString": N_("lines"),
    "MultiLineString": N_("multi-lines"), "LinearRing": N_("rings"), "GeometryCollection": N_("collections"),
}

#: What each import kind reads, and from which formats (for ``unsupported_format_for``).
IMPORT_KINDS: dict[str, str] = {"boundaries": N_("boundaries"), "venues": N_("venues"), "scans": N_("scan logs"),
                                "reports": N_("citizen reports")}
IMPORT_FORMATS: dict[str, str] = {
    "boundaries": N_("GeoJSON, a Shapefile (.shp, or all its files in a .zip) or a GeoPackage (.gpkg)"),
    "venues": N_("CSV, an Excel workbook (.xlsx, .xls), an OpenDocument spreadsheet (.ods) or GeoJSON"),
    "scans": N_("CSV or Parquet"),
    "reports": N_("CSV, an Excel workbook (.xlsx, .xls) or an OpenDocument spreadsheet (.ods)"),
}

#: Names of administrative levels.
LEVEL_NAMES: dict[str, str] = {"province": N_("province"), "district": N_("district"), "ward": N_("ward")}


def label(table: dict[str, str], code: str | None, tr: Translate) -> str:
    """Translated name of ``code`` in ``table`` (the code itself when unknown)."""
    if not code:
        return ""
    return tr(table[code]) if code in table else code
