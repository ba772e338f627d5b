"""One GeoPackage per project: create, open (with migrations), transactions, reads and upserts."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import secrets
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyogrio

import inspector
from inspector.core import gpkg, schema
from inspector.core.errors import WorkspaceError
from inspector.core.io.timestamps import GPKG_DATETIME_SQL, gpkg_now
from inspector.core.storage import said_as_storage_errors, storage_error

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
#: Seconds to wait for another program (another window, QGIS) to let go of the file before giving up.
BUSY_TIMEOUT = 30.0


@dataclass(frozen=True)
class UpsertCounts:
    """How many rows an upsert added, changed and left as they were."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0



class Workspace:
    """A workspace GeoPackage.

    Use :meth:`create` or :meth:`open`; every write goes through :meth:`transaction` (or
    :meth:`bulk_transaction`) so that an interrupted job leaves the file as it was.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    # -- lifecycle -------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, overwrite: bool = False) -> Workspace:
        """Create an empty workspace at ``path`` (refuses to replace a file unless ``overwrite``).

        A replaced file stays as it was until the new one is complete.
        """
        path = Path(path)
        if path.exists() and not overwrite:
            raise WorkspaceError("workspace_exists", path=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.creating.gpkg")
        tmp.unlink(missing_ok=True)
        for name, spec in schema.SPATIAL_LAYERS.items():
            empty = gpd.GeoDataFrame(
                {col: pd.Series([], dtype=_DTYPES[kind]) for col, kind in spec["columns"].items()},
                geometry=gpd.GeoSeries([], crs="EPSG:4326"),
            )
            pyogrio.write_dataframe(
                empty, tmp, layer=name, driver="GPKG", geometry_type=spec["geometry_type"],
                dataset_options={"VERSION": "1.2"}, layer_options={"GEOMETRY_NAME": "geom"},
                append=tmp.exists(), use_arrow=True,
            )
        ws = cls(tmp)
        with ws.transaction() as conn:
            for table, columns in schema.TABLES.items():
                conn.execute(f'CREATE TABLE "{table}" ({columns})')
                conn.execute(
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES (?, 'attributes', ?)",
                    (table, table),
                )
            for statement in schema.INDEXES:
                conn.execute(statement)
            now = gpkg_now()
            _set_meta(conn, {
                "schema_version": str(schema.SCHEMA_VERSION),
                "workspace_id": str(uuid.uuid4()),
                "created_at": now,
                "created_by_version": inspector.__version__,
                # Secret salt for pseudonymising person identifiers; only aggregates are stored,
                # so the salt never sits next to anything it could unlock.
                "pseudonym_salt": secrets.token_hex(32),
            })
            audit(conn, "workspace_created", {"schema_version": schema.SCHEMA_VERSION})
        tmp.replace(path)
        return cls(path)

    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open an existing workspace, upgrading an older schema; refuse a newer one."""
        path = Path(path)
        if path.is_dir():
            raise WorkspaceError("workspace_folder", path=str(path))
        if not path.is_file():
            raise WorkspaceError("workspace_missing", path=str(path))
        ws = cls(path)
        try:
            with ws.connect() as conn:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                row = conn.execute("SELECT value FROM workspace_meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise (storage_error(exc, path) or WorkspaceError("not_a_workspace", path=str(path))) from exc
        if app_id != GPKG_APPLICATION_ID or row is None or not str(row[0]).isdigit():
            raise WorkspaceError("not_a_workspace", path=str(path))
        version = int(row[0])
        if version > schema.SCHEMA_VERSION:
            raise WorkspaceError(
                "workspace_newer", path=str(path), found=version, supported=schema.SCHEMA_VERSION
            )
        if version < schema.SCHEMA_VERSION:
            ws._migrate(version)
        return ws

    def _migrate(self, version: int) -> None:
        with self.transaction() as conn:
            for step in range(version, schema.SCHEMA_VERSION):
                schema.MIGRATIONS[step](conn)
            _set_meta(conn, {"schema_version": str(schema.SCHEMA_VERSION)})
            audit(conn, "workspace_migrated", {"from": version, "to": schema.SCHEMA_VERSION})

    # -- connections -----------------------------------------------------------------------------
    def connect(self) -> sqlite3.Connection:
        """Open a new connection (one per thread) with the spatial functions our triggers need."""
        self._check_exists()
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT)
        gpkg.register_functions(conn)
        return conn

    def _check_exists(self) -> None:
        """Refuse to go on when the file has gone: SQLite would create an empty one, which is no workspace."""
        if not self.path.is_file():
            raise WorkspaceError("workspace_missing", path=str(self.path))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction: all of it is stored, or none of it."""
        conn = self.connect()
        with said_as_storage_errors(self.path):
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                _refresh_extents(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                conn.close()

    @contextmanager
    def bulk_transaction(self) -> Iterator[Any]:
        """Like :meth:`transaction` but through ADBC, which moves Arrow tables into SQLite in C.

        Yields a DB-API cursor (``execute``, ``fetchone``, ``adbc_ingest``). Use it for large
        attribute tables; layers with geometry go through :meth:`transaction`. ADBC links its own
        copy of SQLite, whose file locks Python's ``sqlite3`` and GDAL in this process neither see
        nor respect: until the block ends, read and write through this cursor only (closing another
        connection to the file would drop this one's locks; sqlite.org/howtocorrupt.html, 2.2.1).
        """
        import adbc_driver_sqlite.dbapi as adbc

        self._check_exists()
        conn = adbc.connect(str(self.path))
        cursor = _one_batch(conn.cursor())
        with said_as_storage_errors(self.path):
            try:
                cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
                cursor.fetchall()
                yield cursor
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            finally:
                cursor.close()
                conn.close()

    # -- reads -----------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with self.connect() as conn:
            row = conn.execute("SELECT value FROM workspace_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def read_layer(self, name: str, where: str | None = None) -> gpd.GeoDataFrame:
        """Read spatial layer ``name`` (optionally filtered by an OGR SQL ``where``) as EPSG:4326."""
        gdf = pyogrio.read_dataframe(self.path, layer=name, where=where, use_arrow=True, fid_as_index=False)
        if gdf.crs is None:
            gdf = gdf.set_crs("EPSG:4326")
        return gdf

    def query(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """Run a read-only SQL query and return a data frame."""
        with self.connect() as conn:
            return pd.read_sql_query(sql, conn, params=params)

    def arrow(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run a read-only SQL query and return a ``pyarrow.Table`` (fast for large results)."""
        import adbc_driver_sqlite.dbapi as adbc

        self._check_exists()
        with adbc.connect(str(self.path)) as conn, _one_batch(conn.cursor()) as cursor:
            cursor.execute(sql, list(params) or None)
            return cursor.fetch_arrow_table()

    def info(self) -> dict[str, Any]:
        """Return counts per table, the provinces (code, name), the period covered by scans, the schema version.

        Also how many citizen reports are linked to no venue (``reports_unlinked``).
        """
        with self.connect() as conn:
            counts = {
                name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name in (*schema.SPATIAL_LAYERS, *schema.TABLES)
                if name != "workspace_meta"
            }
            levels = dict(conn.execute("SELECT level, count(*) FROM admin_units GROUP BY level").fetchall())
            provinces = conn.execute("SELECT code, name FROM admin_units WHERE level = 'province' "
                                     "ORDER BY code").fetchall()
            scans = conn.execute("SELECT coalesce(sum(scans), 0) FROM scan_daily").fetchone()[0]
            unlinked = conn.execute("SELECT count(*) FROM citizen_reports WHERE venue_id IS NULL").fetchone()[0]
        return {
            "path": str(self.path),
            "schema_version": int(self.meta("schema_version") or 0),
            "workspace_id": self.meta("workspace_id"),
            "counts": counts,
            "admin_levels": levels,
            "provinces": [(str(code), str(name)) for code, name in provinces],
            "scans": int(scans),
            "reports_unlinked": int(unlinked),
            "period": self.period(),
        }

    def period(self) -> tuple[str | None, str | None]:
        """First and last day with scans (``YYYY-MM-DD``), or ``(None, None)``."""
        with self.connect() as conn:
            first, last = conn.execute("SELECT min(day), max(day) FROM scan_daily").fetchone()
        return first, last


# -- writes (inside Workspace.transaction) -------------------------------------------------------
def upsert(
    conn: sqlite3.Connection, table: str, frame: pd.DataFrame, key: Sequence[str],
    *, chunk: int = 50_000,
) -> UpsertCounts:
    """Insert rows of ``frame`` into ``table``; rows whose ``key`` exists are updated if they differ.

    A ``geometry`` column (shapely objects) is written to the layer's ``geom`` column. The column
    ``import_id`` is not compared, so re-importing the same content counts as unchanged. Rows are
    staged in a temporary table and applied as one UPDATE and one INSERT, so the layer's own
    triggers (R-tree index, feature count) run as they would for any editor.
    """
    frame = frame.copy()
    if "geometry" in frame.columns:
        frame["geom"] = gpkg.to_blobs(frame.pop("geometry").to_numpy())
    cols = list(frame.columns)
    quoted = ", ".join(f'"{c}"' for c in cols)
    conn.execute("DROP TABLE IF EXISTS temp._incoming")
    conn.execute(f'CREATE TEMP TABLE _incoming AS SELECT {quoted} FROM "{table}" WHERE 0')
    columns = [_to_python(frame[c]) for c in cols]
    insert = f"INSERT INTO temp._incoming VALUES ({', '.join('?' * len(cols))})"
    for start in range(0, len(frame), chunk):
        conn.executemany(insert, zip(*(c[start:start + chunk] for c in columns), strict=True))
    return _apply_staged(lambda sql: conn.execute(sql).rowcount, table, cols, key, len(frame))


def _one_batch(cursor: Any) -> Any:
    """``cursor`` reading a result in one batch.

    SQLite has no column types, so ADBC types each column from the first batch it reads: a REAL
    column whose first thousand values are NULL became INT64, and the first real value after them
    failed with "Type mismatch". One batch types every column from all of its values.
    """
    from adbc_driver_sqlite import StatementOptions

    cursor.adbc_statement.set_options(**{StatementOptions.BATCH_ROWS.value: str(1 << 30)})
    return cursor


def bulk_upsert(cursor: Any, table: str, data: Any, key: Sequence[str]) -> UpsertCounts:
    """:func:`upsert` for large Arrow data (a table or a batch stream) through an ADBC cursor.

    See :meth:`Workspace.bulk_transaction`.
    """
    cursor.execute("DROP TABLE IF EXISTS temp._incoming")
    rows = cursor.adbc_ingest("_incoming", data, mode="create", temporary=True)

    def execute(sql: str) -> int:
        cursor.execute(sql)
        cursor.execute("SELECT changes()")
        return int(cursor.fetchone()[0])

    return _apply_staged(execute, table, list(data.schema.names), key, rows)


def _apply_staged(
    execute: Callable[[str], int], table: str, cols: list[str], key: Sequence[str], n: int
) -> UpsertCounts:
    if n > 1000:
        execute(f"CREATE INDEX temp._incoming_key ON _incoming ({', '.join(key)})")
    quoted = ", ".join(f'"{c}"' for c in cols)
    match = " AND ".join(f't."{k}" = i."{k}"' for k in key)
    compared = [c for c in cols if c not in key and c != "import_id"]
    differs = " OR ".join(f't."{c}" IS NOT i."{c}"' for c in compared) or "0"
    set_sql = ", ".join(f'"{c}" = i."{c}"' for c in cols if c not in key)
    updated = execute(
        f'UPDATE "{table}" AS t SET {set_sql} FROM temp._incoming AS i WHERE {match} AND ({differs})'
    )
    added = execute(
        f'INSERT INTO "{table}" ({quoted}) SELECT {quoted} FROM temp._incoming AS i '
        f'WHERE NOT EXISTS (SELECT 1 FROM "{table}" AS t WHERE {match})'
    )
    execute("DROP TABLE temp._incoming")
    if added or updated:
        execute(_touch_sql(table))
    return UpsertCounts(added, updated, n - added - updated)


def audit(conn: sqlite3.Connection | Any, action: str, details: dict[str, Any]) -> None:
    """Append an entry to the audit trail (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, details) VALUES (?, ?, ?, ?)",
        (gpkg_now(), _actor(), action, json.dumps(details, ensure_ascii=False, default=str)),
    )
    touch(conn, "audit_log")


def touch(conn: sqlite3.Connection | Any, table: str) -> None:
    """Record in ``gpkg_contents`` that ``table`` changed now (inside the caller's transaction)."""
    conn.execute(_touch_sql(table))


def _touch_sql(table: str) -> str:
    return f"UPDATE gpkg_contents SET last_change = strftime('{GPKG_DATETIME_SQL}', 'now') WHERE table_name = '{table}'"


def _set_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany(
        "INSERT INTO workspace_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        values.items(),
    )


def _refresh_extents(conn: sqlite3.Connection) -> None:
    for layer in schema.SPATIAL_LAYERS:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = ?", (f"rtree_{layer}_geom",)
        ).fetchone()
        if exists:
            conn.execute(
                f"UPDATE gpkg_contents SET (min_x, max_x, min_y, max_y) = "
                f"(SELECT min(minx), max(maxx), min(miny), max(maxy) FROM rtree_{layer}_geom) "
                f"WHERE table_name = ?",
                (layer,),
            )


def _to_python(series: pd.Series) -> list[Any]:
    """Column values as Python scalars with ``None`` for missing (what sqlite3 accepts)."""
    values = series.astype(object).where(series.notna(), None)
    return [v.item() if hasattr(v, "item") else v for v in values.tolist()]


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


_DTYPES = {str: "object", int: "int64", float: "float64", dt.date: pd.ArrowDtype(pa.date32())}
