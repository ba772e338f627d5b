"""Import scan logs (CSV or Parquet, millions of rows) as per-venue-day aggregates."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

from inspector.core.columns import map_columns, unused_columns
from inspector.core.errors import InputError, Progress
from inspector.core.importers import scan_daily, scan_dates, scan_frame, scan_notes, scan_read
from inspector.core.importers.common import ImportResult, begin_log, finish_log, row_params, start
from inspector.core.importers.outcome import is_row_file
from inspector.core.io.sniff import SAMPLE, detect_encoding, file_format
from inspector.core.messages import Count, Message
from inspector.core.names import LOCATION_UNITS, label
from inspector.core.progress import report, sub_progress
from inspector.core.workspace import UpsertCounts, Workspace, bulk_upsert, touch

POSITIONS_SQL = """
    INSERT INTO scan_positions (venue_id, first_day, last_day, days, scans, gps_scans, near_scans, far_scans,
                                far_share, far_dist_m, far_lat, far_lon, jump_scans)
    SELECT venue_id, min(day), max(day), count(*), sum(scans), sum(gps_scans), sum(near_scans), sum(far_scans),
           round(1.0 * sum(far_scans) / nullif(sum(gps_scans), 0), 4),
           round(sum(far_dist_m * far_scans) / nullif(sum(far_scans), 0), 0),
           round(sum(far_lat * far_scans) / nullif(sum(far_scans), 0), 6),
           round(sum(far_lon * far_scans) / nullif(sum(far_scans), 0), 6), sum(jump_scans)
    FROM scan_daily GROUP BY venue_id
"""


def run(
    workspace: Workspace, path: Path, *, progress: Progress | None = None,
    columns: dict[str, str] | None = None, others: Sequence[Path] = (),
) -> ImportResult:
    """Import a scan log; see :func:`inspector.core.importers.import_file`.

    A venue-day is the unit of a scan import: when a file brings a venue-day the workspace already
    has (from another file), the new figures replace the old (counted as ``updated``). ``others``
    are the other files imported with this one: when its dates read either way (day or month
    first), theirs are evidence too (see :func:`scan_dates.check_either_way`).
    """
    check = scan_read.LineCheck()
    result, digest = start(workspace, "scans", path, check)
    if result.already_imported_at:
        return result
    fmt = file_format(path)
    if fmt not in ("csv", "parquet"):
        raise InputError("unsupported_format", file=path.name, extension=path.suffix)
    result.unit = "line" if fmt == "csv" else "record"
    venues = workspace.query("SELECT venue_id, qr_payload, lat, lon FROM venues ORDER BY venue_id")
    if venues.empty:
        raise InputError("no_venues", file=path.name)
    report(progress, 0, 100)
    keys = _venue_keys(venues)
    salt = workspace.meta("pseudonym_salt") or ""
    broken, lines = pd.DataFrame(), None
    if fmt == "csv":
        with path.open("rb") as fh:
            result.encoding = detect_encoding(fh.read(SAMPLE), complete=path.stat().st_size <= SAMPLE,
                                              file=path.name)
    names, skip = scan_read.header(path, fmt, result.encoding, columns)
    cols = map_columns("scans", names, file=path.name, overrides=columns)
    twice = sorted(c for c in set(cols.values()) if names.count(c) > 1)
    if twice:  # the readers would take one of them (or fail): which one is meant is not ours to guess
        raise InputError("column_twice", file=path.name, column=twice[0])
    result.unused_columns = unused_columns(names, cols)
    result.columns = cols
    with scan_read.scratch() as copy:
        try:
            try:
                if result.encoding not in (None, "utf-8", "utf-8-sig") or skip:  # other encodings, title lines
                    raise scan_read.Irregular(result.encoding)
                parsed = scan_frame.parse(scan_read.scan(path, fmt, names), scan_read.records(path, fmt, check), cols,
                                          keys, salt, sub_progress(progress, 2, 58),
                                          scan_read.estimated_rows(path, fmt, check))
            except scan_read.Irregular as exc:  # the careful path: re-encode, unfold records, set bad lines aside
                if fmt == "parquet":  # records are records: the file itself is damaged
                    raise InputError("bad_parquet", file=path.name, detail=str(exc).splitlines()[0]) from None
                report(progress, 20, 100)
                lines, broken, cells = scan_read.clean_copy(path, copy, result.encoding or "utf-8", skip)
                broken = pd.concat([broken, scan_notes.shown_cells(cells, cols, salt)], axis=1)
                parsed = scan_frame.parse(scan_read.scan(copy, "csv", names), len(lines), cols, keys, salt,
                                          sub_progress(progress, 30, 30), len(lines))
        except scan_frame.Unusable as exc:
            raise _unusable(exc, result, fmt, lines) from None
    if parsed.total + len(broken) == 0:
        raise InputError("no_rows", file=path.name)
    report(progress, 60, 100)
    spans = scan_daily.spans(parsed.good)
    day_or_month_first = scan_dates.written_day_first(path, fmt, check, cols["timestamp"], result.encoding)
    if day_or_month_first:
        scan_dates.check_day_first(spans, path)
    accepted = parsed.good.height
    daily = scan_daily.aggregate(parsed, pl.from_pandas(venues[["venue_id", "lat", "lon"]]))  # uses up the scans
    if day_or_month_first and scan_dates.either_way(spans):  # the venue-days and the days decide, not the scans
        scan_dates.check_either_way(workspace, path, daily, others=others, columns=columns)
    rejected = parsed.rejected
    rejected["line"] = _located(rejected["line"].to_numpy(dtype=np.int64), fmt, lines)
    result.rejections = pd.concat([broken, rejected], ignore_index=True).sort_values("line", ignore_index=True) \
        if len(broken) else rejected
    result.rows_total = parsed.total + len(broken)
    result.rows_accepted = accepted
    result.notes, result.notes_limit = parsed.noted, parsed.noted_limit  # the scans kept without their position
    result.notes["line"] = _located(result.notes["line"].to_numpy(dtype=np.int64), fmt, lines)
    result.warnings.update(parsed.warnings)
    result.examples.update(parsed.examples)
    report(progress, 85, 100)
    with workspace.bulk_transaction() as cursor:
        import_id = begin_log(cursor, result, digest)
        daily = daily.with_columns(import_id=pl.lit(import_id, pl.Int64))
        again = _brought_again(cursor, daily)
        if again.height and is_row_file(names):  # its few rows would take the place of whole venue-days
            original = _original(path.name)
            raise InputError("row_file_replaces" if original else "row_file_replaces_unnamed", file=path.name,
                             days=Count(again.height), original=original)
        covered = {day: [span] for day, span in spans.items()}  # the times of day behind each day's figures
        if daily.height and not again.height:  # new venue-days only (new days, other venues): append, no staging
            cursor.adbc_ingest("scan_daily", _batches(daily), mode="append")
            touch(cursor, "scan_daily")
            result.counts = UpsertCounts(added=daily.height)
        else:
            daily, added_to = _continue_or_replace(cursor, daily, spans, again, result, covered)
            result.counts = bulk_upsert(cursor, "scan_daily", _batches(daily), ["venue_id", "day"])
            replaced = result.counts.updated - added_to
            if replaced:
                result.warnings["days_replaced"] = replaced
        report(progress, 95, 100)  # a cancel here still rolls everything back
        cursor.execute("DELETE FROM scan_positions")
        cursor.execute(POSITIONS_SQL)
        touch(cursor, "scan_positions")
        finish_log(cursor, result, {"days": daily.height, "spans": covered})
    return result


#: the span of a day whose import recorded none (a workspace older than the record)
WHOLE_DAY = [0, 86399]


def _brought_again(cursor: Any, daily: pl.DataFrame) -> pl.DataFrame:
    """The workspace's venue-days that ``daily`` brings again: ``venue_id``, ``day``, ``import_id``, ``scans``.

    Only these can be replaced or continued: the rest of a day (other venues, as when a province's
    log is split by district) stays as it is, so it says nothing about this file.
    """
    schema = pl.Schema({"venue_id": pl.String, "day": pl.String, "import_id": pl.Int64, "scans": pl.Int64})
    if not daily.height:
        return pl.DataFrame(schema=schema)
    cursor.execute("SELECT venue_id, day, import_id, scans FROM scan_daily WHERE day BETWEEN ? AND ?",
                   (daily["day"].min(), daily["day"].max()))
    table = cursor.fetch_arrow_table()
    if not table.num_rows:  # no rows give no column types
        return pl.DataFrame(schema=schema)
    stored = pl.from_arrow(table)
    assert isinstance(stored, pl.DataFrame)
    return stored.cast(schema).join(daily.select("venue_id", "day"), on=["venue_id", "day"], how="semi")


def _continue_or_replace(cursor: Any, daily: pl.DataFrame, spans: dict[str, list[int]],
                         again: pl.DataFrame, result: ImportResult,
                         covered: dict[str, list[list[int]]]) -> tuple[pl.DataFrame, int]:
    """The rows to write when the workspace already has some of this file's venue-days (``again``).

    A day this file continues (see :func:`scan_daily.continued_days`) gets the two parts' figures
    added together; on any other day the venue-days it brings again are replaced, with a warning
    when they now have fewer scans. Only the files behind those venue-days are compared with this
    one: a file of other venues on the same days (another district's) neither continues nor
    replaces theirs. Also returns how many venue-days already there were added to rather than
    replaced, and sets in ``covered`` the spans behind each day's figures from now on (the import
    log keeps them).
    """
    cursor.execute("SELECT fid, details FROM import_log WHERE kind = 'scans'")
    recorded = {fid: json.loads(details or "{}").get("spans", {}) for fid, details in cursor.fetchall()}
    earlier: dict[str, list[list[int]]] = {}
    for day, import_id in again.select("day", "import_id").unique().sort("day", "import_id").iter_rows():
        # unknown for a workspace older than this record: the whole day
        for span in _span_list(recorded.get(import_id, {}).get(day, WHOLE_DAY)):
            if span not in earlier.setdefault(day, []):
                earlier[day].append(span)
    continued = scan_daily.continued_days(spans, earlier)
    totals = dict(daily.join(again, on=["venue_id", "day"], how="semi").group_by("day")
                  .agg(pl.col("scans").sum()).iter_rows())
    scans_before = dict(again.group_by("day").agg(pl.col("scans").sum()).iter_rows())
    shrunk = {day for day, scans in totals.items() if day not in continued and scans < scans_before[day]}
    if shrunk:  # a file covering part of a day replaces its venues' figures of that day: say when they shrink
        result.warnings["days_shrunk"] = len(shrunk)
    # a new edition of a day that does not cover the hours of an earlier file drops those scans, even
    # when the day did not shrink (a whole day of an older workspace, which recorded no hours, may be any)
    cut = sum(1 for day, (first, last) in spans.items() if day in earlier and day not in continued | shrunk
              and any((start < first or end > last) and [start, end] != WHOLE_DAY for start, end in earlier[day]))
    if cut:
        result.warnings["days_partly_replaced"] = cut
    for day in continued:  # the figures now stand for every part so far: a later file is judged against all
        covered[day] = [*earlier[day], spans[day]]
    if not continued:
        return daily, 0
    days = sorted(continued)
    result.warnings["days_continued"] = len(days)
    cursor.execute(f"SELECT * FROM scan_daily WHERE day IN ({', '.join('?' * len(days))})", days)
    old = pl.from_arrow(cursor.fetch_arrow_table())
    assert isinstance(old, pl.DataFrame)
    part = pl.col("day").is_in(days)
    added_to = daily.filter(part).join(old, on=["venue_id", "day"], how="semi").height
    rows = pl.concat([daily.filter(~part), scan_daily.combined(daily.filter(part), old)]).sort("venue_id", "day")
    return rows, added_to


def _original(name: str) -> str:
    """The log a file of its rejected rows (``scans.csv.rejected.csv``) came from, by its name ("" when renamed)."""
    for suffix in (".rejected.csv", ".warnings.csv"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return ""


def _span_list(recorded: list[Any]) -> list[list[int]]:
    """A day's recorded spans as a list of ``[first, last]`` (one bare pair in earlier records)."""
    return [recorded] if recorded and isinstance(recorded[0], int) else recorded


def _located(rows: np.ndarray, fmt: str, lines: np.ndarray | None) -> np.ndarray:
    """Where data rows (1-based) of the file read are: a CSV line or a Parquet record.

    Row n of a CSV file is on line n + 1, or where the careful path saw it.
    """
    if fmt != "csv":
        return rows
    return lines[rows - 1] if lines is not None else rows + 1


def _unusable(exc: scan_frame.Unusable, result: ImportResult, fmt: str, lines: np.ndarray | None) -> InputError:
    """The refusal of a file whose rows mostly cannot be used, with its most common reason as example."""
    examples = exc.examples
    reason = examples["reason"].mode().iloc[0]
    first = examples[examples["reason"] == reason].iloc[0]
    return InputError("mostly_unusable", file=result.file.name, bad=Count(exc.unusable), read=Count(exc.read),
                      unit=partial(label, LOCATION_UNITS, result.unit),
                      line=int(_located(np.array([first["line"]]), fmt, lines)[0]),
                      example=Message(reason, row_params(first["detail"], first["field"])))


def _venue_keys(venues: pd.DataFrame) -> pl.DataFrame:
    """Venue id and QR payload -> venue index and registered position (see :func:`scan_frame.parse`).

    ``as_registered`` is False for a key that is a registered id written without its leading zeros.
    """
    frame = pl.from_pandas(venues).with_columns(vidx=pl.int_range(pl.len(), dtype=pl.Int32), as_registered=True)
    by_id = frame.select(key=pl.col("venue_id"), vidx="vidx", vlat="lat", vlon="lon", as_registered="as_registered")
    by_payload = frame.filter(pl.col("qr_payload").is_not_null() & (pl.col("qr_payload") != pl.col("venue_id")))
    by_payload = by_payload.select(key=pl.col("qr_payload"), vidx="vidx", vlat="lat", vlon="lon",
                                   as_registered="as_registered")
    keys = pl.concat([by_id, by_payload]).unique("key", keep="first", maintain_order=True)
    # A number the log writes without the registry's leading zeros (a spreadsheet dropped them):
    # "123" finds "000123" when no other venue's id reads 123 too.
    unpadded = keys.filter(pl.col("key").str.contains(r"^0+\d+$")).with_columns(
        pl.col("key").str.strip_chars_start("0"), as_registered=False)
    unique = unpadded.group_by("key").agg(pl.col("vidx").n_unique().alias("n")).filter(pl.col("n") == 1)
    unpadded = unpadded.join(unique, on="key", how="semi").join(keys, on="key", how="anti")
    return pl.concat([keys, unpadded.unique("key", keep="first", maintain_order=True)])


def _batches(frame: pl.DataFrame, rows: int = 100_000) -> pa.RecordBatchReader:
    """``frame`` as a stream of Arrow batches, so that no second copy of it is ever whole."""
    schema = frame.head(0).to_arrow().schema
    return pa.RecordBatchReader.from_batches(
        schema, (batch for part in frame.iter_slices(rows) for batch in part.to_arrow().cast(schema).to_batches()))
