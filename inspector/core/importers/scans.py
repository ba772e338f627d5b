"""Import scan logs (CSV or Parquet, millions of rows) as per-venue-day aggregates."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from inspector.core.errors import Cancelled, InputError, Progress
from inspector.core.importers import scan_sql
from inspector.core.importers.common import ImportResult, begin_log, file_sha256, finish_log, previous_import
from inspector.core.io.sniff import file_format
from inspector.core.progress import report
from inspector.core.workspace import Workspace, bulk_upsert

POSITIONS_SQL = """
    INSERT INTO scan_positions (venue_id, first_day, last_day, days, scans, gps_scans, typical_dist_m,
                                far_scans, far_share, far_lat, far_lon, jump_pairs, max_jump_km)
    SELECT venue_id, min(day), max(day), count(*), sum(scans), sum(gps_scans),
           round(sum(median_dist_m * gps_scans)
                 / nullif(sum(gps_scans) FILTER (WHERE median_dist_m IS NOT NULL), 0), 1),
           sum(far_scans), round(1.0 * sum(far_scans) / nullif(sum(gps_scans), 0), 4),
           round(sum(far_lat * far_scans) / nullif(sum(far_scans), 0), 6),
           round(sum(far_lon * far_scans) / nullif(sum(far_scans), 0), 6),
           sum(jump_pairs), max(max_jump_km)
    FROM scan_daily GROUP BY venue_id
"""


def run(
    workspace: Workspace, path: Path, *, progress: Progress | None = None,
    columns: dict[str, str] | None = None, memory_limit: str = "600MB", threads: int | None = None,
) -> ImportResult:
    """Import a scan log; see :func:`inspector.core.importers.import_file`.

    A venue-day is the unit of a scan import: when a file brings a venue-day the workspace already
    has (from another file), the new figures replace the old (counted as ``updated``).
    """
    result = ImportResult("scans", path)
    sha = file_sha256(path)
    result.already_imported_at = previous_import(workspace, "scans", sha)
    if result.already_imported_at:
        return result
    fmt = file_format(path)
    if fmt not in ("csv", "parquet"):
        raise InputError("unsupported_format", file=path.name, extension=path.suffix)
    result.unit = "line" if fmt == "csv" else "record"
    venues = workspace.query("SELECT venue_id, qr_payload, lat, lon FROM venues ORDER BY venue_id")
    if venues.empty:
        raise InputError("no_venues", file=path.name)
    salt = workspace.meta("pseudonym_salt") or ""
    report(progress, 0, 100)
    con = scan_sql.connect(memory_limit, threads)
    temp: Path | None = None
    try:
        venues["vidx"] = np.arange(len(venues), dtype=np.int32)
        con.register("venues_df", venues)
        con.execute("CREATE TEMP TABLE venues AS SELECT * FROM venues_df")
        con.execute("""CREATE TEMP TABLE venue_keys AS
            SELECT venue_id AS key, vidx FROM venues
            UNION SELECT qr_payload, vidx FROM venues WHERE qr_payload IS NOT NULL AND qr_payload <> venue_id""")
        _, result.encoding, temp = scan_sql.open_source(con, path, fmt)
        cols = scan_sql.columns(con, path.name, columns)
        _with_progress(con, lambda: scan_sql.parse(con, cols, salt), progress, 2, 60)
        daily = _with_progress(con, lambda: scan_sql.aggregate(con), progress, 60, 85)
        counts = scan_sql.summary(con)
        rejected = scan_sql.rejections(con, cols)
        broken = scan_sql.malformed(con) if fmt == "csv" else pd.DataFrame()
    except duckdb.InterruptException as exc:
        raise Cancelled() from exc
    except duckdb.Error as exc:
        raise InputError("bad_csv" if fmt == "csv" else "bad_parquet", file=path.name, line="?",
                         detail=str(exc).splitlines()[0]) from exc
    finally:
        con.close()
        if temp is not None:
            temp.unlink(missing_ok=True)
    if fmt == "csv":
        rejected["line"] = _file_lines(rejected["line"].to_numpy(), broken["line"].to_numpy())
    result.rejections = pd.concat([broken, rejected], ignore_index=True) if len(broken) else rejected
    result.rows_total = counts["total"] + len(broken)
    result.rows_accepted = counts["accepted"]
    if counts["gps_dropped"]:
        result.warnings["gps_dropped"] = counts["gps_dropped"]
    report(progress, 88, 100)
    with workspace.bulk_transaction() as cursor:
        import_id = begin_log(cursor, result, sha)
        daily = daily.append_column("import_id", _constant(import_id, daily.num_rows))
        result.counts = bulk_upsert(cursor, "scan_daily", daily, ["venue_id", "day"])
        if result.counts.updated:
            result.warnings["days_replaced"] = result.counts.updated
        report(progress, 95, 100)
        cursor.execute("DELETE FROM scan_positions")
        cursor.execute(POSITIONS_SQL)
        finish_log(cursor, result, {"days": daily.num_rows})
    report(progress, 100, 100)
    return result


def _with_progress(
    con: duckdb.DuckDBPyConnection, work: Callable[[], Any], progress: Progress | None, lo: int, hi: int
) -> Any:
    """Run a DuckDB query in a worker thread, relaying its progress; cancelling interrupts it."""
    if progress is None:
        return work()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
            done = max(con.query_progress(), 0.0) if worker.is_alive() else 100.0
            progress(lo + int((hi - lo) * min(done, 100.0) / 100), 100)
    except BaseException:
        con.interrupt()
        worker.join()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _file_lines(rows: np.ndarray, broken: np.ndarray) -> np.ndarray:
    """Turn data-row numbers into file lines (header on line 1), skipping lines DuckDB rejected."""
    lines = rows.astype(np.int64) + 1
    for bad in np.sort(broken.astype(np.int64)):
        lines = np.where(lines >= bad, lines + 1, lines)
    return lines


def _constant(value: int, n: int) -> Any:
    import pyarrow as pa

    return pa.array(np.full(n, value, dtype=np.int64))
