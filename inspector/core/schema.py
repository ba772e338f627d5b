"""What a workspace GeoPackage holds: layers, tables, the schema version and its migrations."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable

from inspector.core.io.timestamps import GPKG_DATETIME_SQL, LOCAL_OFFSET_HOURS

#: Bump when the layout changes, and add the step that upgrades the previous version to MIGRATIONS.
SCHEMA_VERSION = 6

# Spatial layers are created by GDAL (so QGIS sees a proper GeoPackage with an R-tree index);
# columns map to OGR types: str -> TEXT, int -> INTEGER, float -> REAL, date -> DATE.
# GeoPackage text formats: DATE is YYYY-MM-DD; DATETIME is UTC, YYYY-MM-DDTHH:MM:SS.SSSZ (see
# inspector.core.io.timestamps), so GDAL and QGIS read both as dates and times without warnings.
SPATIAL_LAYERS: dict[str, dict] = {
    "admin_units": {
        "geometry_type": "MultiPolygon",
        "key": ("code",),
        "columns": {
            "code": str, "name": str, "level": str, "parent_code": str, "population": int,
            "area_km2": float, "source": str, "import_id": int,
        },
    },
    "venues": {
        "geometry_type": "Point",
        "key": ("venue_id",),
        "columns": {
            "venue_id": str, "qr_payload": str, "name": str, "category": str, "category_raw": str,
            "address": str, "declared_ward_code": str, "ward_code": str, "location_flag": str,
            "staff": int, "capacity": int, "owner_contact": str, "registered_on": dt.date,
            "status": str, "lat": float, "lon": float, "import_id": int,
        },
    },
}

# Attribute tables: plain SQL, registered in gpkg_contents so GDAL and QGIS list them.
TABLES: dict[str, str] = {
    "workspace_meta": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, value TEXT""",
    # One row per venue and day: counts, and where the phones were (relative to the registered
    # point). Days compose into any period; a later file's venue-day replaces an earlier one's.
    # near/far: within / beyond [scans].far_m; jump_scans: scans beyond [scans].jump_m with a scan
    # at the registered point within [scans].jump_window_s (one QR code at two places at once), and
    # jump_lat/jump_lon the centre of those scans (the second place).
    # Its fid is a plain rowid alias (GeoPackage 1.3 allows leaving out AUTOINCREMENT; GDAL does
    # too): a million rows append a third faster without the sqlite_sequence update per row.
    "scan_daily": """
        fid INTEGER PRIMARY KEY, venue_id TEXT NOT NULL, day DATE NOT NULL,
        scans INTEGER NOT NULL, staff_scans INTEGER NOT NULL, persons INTEGER NOT NULL,
        staff_persons INTEGER NOT NULL, gps_scans INTEGER NOT NULL, near_scans INTEGER NOT NULL,
        far_scans INTEGER NOT NULL, far_dist_m REAL, far_lat REAL, far_lon REAL,
        jump_scans INTEGER NOT NULL, import_id INTEGER, jump_lat REAL, jump_lon REAL,
        UNIQUE (venue_id, day)""",
    # One row per venue over every day in the workspace (rebuilt from scan_daily after each import).
    "scan_positions": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, venue_id TEXT NOT NULL UNIQUE, first_day DATE,
        last_day DATE, days INTEGER NOT NULL, scans INTEGER NOT NULL, gps_scans INTEGER NOT NULL,
        near_scans INTEGER NOT NULL, far_scans INTEGER NOT NULL, far_share REAL, far_dist_m REAL,
        far_lat REAL, far_lon REAL, jump_scans INTEGER NOT NULL""",
    "citizen_reports": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, report_id TEXT NOT NULL UNIQUE, reported_at DATETIME,
        venue_id TEXT, lat REAL, lon REAL, kind TEXT, description TEXT, matched_by TEXT,
        import_id INTEGER, given_venue_id TEXT, given_venue_name TEXT, given_address TEXT, given_ward TEXT,
        given_district TEXT""",
    "import_log": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, file_name TEXT NOT NULL,
        file_hash TEXT NOT NULL, encoding TEXT, started_at DATETIME, finished_at DATETIME,
        rows_total INTEGER, rows_accepted INTEGER, rows_rejected INTEGER, rows_added INTEGER,
        rows_updated INTEGER, rows_unchanged INTEGER, details TEXT""",
    "audit_log": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, at DATETIME NOT NULL, actor TEXT, action TEXT NOT NULL,
        details TEXT""",
}

INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS ux_admin_units_code ON admin_units(code)",
    "CREATE INDEX IF NOT EXISTS ix_admin_units_parent ON admin_units(parent_code)",
    "CREATE UNIQUE INDEX IF NOT EXISTS ux_venues_venue_id ON venues(venue_id)",
    "CREATE INDEX IF NOT EXISTS ix_venues_ward ON venues(ward_code)",
    "CREATE INDEX IF NOT EXISTS ix_import_log_hash ON import_log(file_hash, kind)",
)


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """scan_daily without AUTOINCREMENT; imported files known by a hash named by its algorithm."""
    conn.execute("ALTER TABLE scan_daily RENAME TO _scan_daily_v1")
    conn.execute("""CREATE TABLE scan_daily (
        fid INTEGER PRIMARY KEY, venue_id TEXT NOT NULL, day DATE NOT NULL,
        scans INTEGER NOT NULL, staff_scans INTEGER NOT NULL, persons INTEGER NOT NULL,
        staff_persons INTEGER NOT NULL, gps_scans INTEGER NOT NULL, near_scans INTEGER NOT NULL,
        far_scans INTEGER NOT NULL, far_dist_m REAL, far_lat REAL, far_lon REAL,
        jump_scans INTEGER NOT NULL, import_id INTEGER,
        UNIQUE (venue_id, day))""")  # as version 2 had it: later versions add to it
    conn.execute("INSERT INTO scan_daily SELECT * FROM _scan_daily_v1")
    conn.execute("DROP TABLE _scan_daily_v1")
    conn.execute("DROP INDEX IF EXISTS ix_import_log_sha")
    conn.execute("ALTER TABLE import_log RENAME COLUMN file_sha256 TO file_hash")
    conn.execute("UPDATE import_log SET file_hash = 'sha256:' || file_hash")
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'scan_daily'")
    for statement in INDEXES:
        conn.execute(statement)


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Moments in GeoPackage DATETIME form (UTC, ``…T…Z``); ``venues.registered_on`` a DATE.

    ``citizen_reports.reported_at`` was naive local time (UTC+7); the logs were ISO 8601 in UTC
    with ``+00:00``. Reports also keep the venue id as the citizen gave it (unknown for older ones).
    """
    conn.execute("ALTER TABLE citizen_reports ADD COLUMN given_venue_id TEXT")
    fmt = GPKG_DATETIME_SQL
    conn.execute(
        "UPDATE citizen_reports SET reported_at = strftime(?, reported_at, ?) WHERE reported_at IS NOT NULL",
        (fmt, f"-{LOCAL_OFFSET_HOURS} hours"),
    )
    for table, column in (("import_log", "started_at"), ("import_log", "finished_at"), ("audit_log", "at")):
        conn.execute(f"UPDATE {table} SET {column} = strftime(?, {column}) WHERE {column} IS NOT NULL", (fmt,))
    conn.execute("UPDATE venues SET registered_on = NULL WHERE trim(registered_on) = ''")
    _retype(conn, "venues", "registered_on", "DATE")
    conn.execute(
        "UPDATE gpkg_contents SET last_change = strftime(?, 'now') WHERE table_name IN "
        "('citizen_reports', 'import_log', 'audit_log', 'venues')", (fmt,),
    )


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """Where the far scans of a cloned board were; administrative codes in their canonical form.

    The centre of a venue-day's jump scans is unknown (NULL) for days imported before; the signals
    then fall back on the centre of every far scan. Numeric unit codes lose the extra leading zeros
    a file gave them (``019750`` is ward ``19750``, as imports now read it), in the units, their
    children and the venues, unless the canonical code is taken already.
    """
    from inspector.core.text import normalise_code
    from inspector.core.units import CODE_WIDTH

    conn.execute("ALTER TABLE scan_daily ADD COLUMN jump_lat REAL")
    conn.execute("ALTER TABLE scan_daily ADD COLUMN jump_lon REAL")
    taken = {code for (code,) in conn.execute("SELECT code FROM admin_units")}
    for code, level in conn.execute("SELECT code, level FROM admin_units").fetchall():
        canonical = normalise_code(code, CODE_WIDTH.get(level, 0))
        if canonical == code or canonical in taken:
            continue
        taken.add(canonical)
        conn.execute("UPDATE admin_units SET code = ? WHERE code = ?", (canonical, code))
        conn.execute("UPDATE admin_units SET parent_code = ? WHERE parent_code = ?", (canonical, code))
    for column in ("ward_code", "declared_ward_code"):  # a venue's ward, as venue imports now read it
        for (code,) in conn.execute(f"SELECT DISTINCT {column} FROM venues WHERE {column} GLOB '0*'").fetchall():
            canonical = normalise_code(code, CODE_WIDTH["ward"])
            if canonical != code:
                conn.execute(f"UPDATE venues SET {column} = ? WHERE {column} = ?", (canonical, code))
    conn.execute("UPDATE gpkg_contents SET last_change = strftime(?, 'now') WHERE table_name IN "
                 "('scan_daily', 'admin_units', 'venues')", (GPKG_DATETIME_SQL,))


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """Reports keep the venue name and address the citizen gave (unknown for older ones), to link them by name."""
    conn.execute("ALTER TABLE citizen_reports ADD COLUMN given_venue_name TEXT")
    conn.execute("ALTER TABLE citizen_reports ADD COLUMN given_address TEXT")
    conn.execute("UPDATE gpkg_contents SET last_change = strftime(?, 'now') WHERE table_name = 'citizen_reports'",
                 (GPKG_DATETIME_SQL,))


def _v5_to_v6(conn: sqlite3.Connection) -> None:
    """Reports keep the ward and district they gave in columns of their own (unknown for older ones)."""
    conn.execute("ALTER TABLE citizen_reports ADD COLUMN given_ward TEXT")
    conn.execute("ALTER TABLE citizen_reports ADD COLUMN given_district TEXT")
    conn.execute("UPDATE gpkg_contents SET last_change = strftime(?, 'now') WHERE table_name = 'citizen_reports'",
                 (GPKG_DATETIME_SQL,))


def _retype(conn: sqlite3.Connection, table: str, column: str, sql_type: str) -> None:
    """Change a column's declared type by rebuilding ``table`` (SQLite's ALTER TABLE cannot).

    The rows keep their fid; indexes and triggers (a layer's R-tree upkeep) are recreated as
    they were, and so is the table's AUTOINCREMENT counter.
    """
    (create,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    create, n = re.subn(rf'(?i)("{column}"|\b{column}\b)\s+\w+', rf"\1 {sql_type}", create, count=1)
    create, m = re.subn(rf'(?i)^CREATE TABLE\s+(IF NOT EXISTS\s+)?("{table}"|{table})',
                        'CREATE TABLE "_retyped"', create)
    if n != 1 or m != 1:
        raise RuntimeError(f"cannot retype {table}.{column}")
    dependents = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
        (table,),
    )]
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    conn.execute(create)
    conn.execute(f'INSERT INTO "_retyped" SELECT * FROM "{table}"')
    conn.execute(f'DROP TABLE "{table}"')
    conn.execute(f'ALTER TABLE "_retyped" RENAME TO "{table}"')
    for sql in dependents:
        conn.execute(sql)
    if seq is not None:
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (seq[0], table))


#: ``MIGRATIONS[v]`` upgrades a version-``v`` workspace to ``v + 1`` inside the open transaction.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6}
