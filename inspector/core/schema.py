"""What a workspace GeoPackage holds: layers, tables, the schema version and its migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

#: Bump when the layout changes, and add the step that upgrades the previous version to MIGRATIONS.
SCHEMA_VERSION = 1

#: ``MIGRATIONS[v]`` upgrades a version-``v`` workspace to ``v + 1`` inside the open transaction.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}

# Spatial layers are created by GDAL (so QGIS sees a proper GeoPackage with an R-tree index);
# columns map to OGR types: str -> TEXT, int -> INTEGER, float -> REAL.
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
            "staff": int, "capacity": int, "owner_contact": str, "registered_on": str,
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
    # at the registered point within [scans].jump_window_s (one QR code at two places at once).
    "scan_daily": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, venue_id TEXT NOT NULL, day DATE NOT NULL,
        scans INTEGER NOT NULL, staff_scans INTEGER NOT NULL, persons INTEGER NOT NULL,
        staff_persons INTEGER NOT NULL, gps_scans INTEGER NOT NULL, near_scans INTEGER NOT NULL,
        far_scans INTEGER NOT NULL, far_dist_m REAL, far_lat REAL, far_lon REAL,
        jump_scans INTEGER NOT NULL, import_id INTEGER,
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
        import_id INTEGER""",
    "import_log": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL, encoding TEXT, started_at DATETIME, finished_at DATETIME,
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
    "CREATE INDEX IF NOT EXISTS ix_import_log_sha ON import_log(file_sha256, kind)",
)
