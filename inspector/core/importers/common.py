"""Bookkeeping shared by the importers: results, rejected rows, file hashes, the import log."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import blake3
import numpy as np
import pandas as pd

from inspector.core import resources
from inspector.core.columns import combined_fields
from inspector.core.io.tables import Table
from inspector.core.io.timestamps import LOCAL, gpkg_now
from inspector.core.io.values import bad_cells, parse_coordinate, split_position
from inspector.core.messages import Count
from inspector.core.text import clean, clean_text
from inspector.core.workspace import UpsertCounts, Workspace, audit, touch

# Where a Vietnamese file's points can be when no boundaries are imported yet.
VIETNAM_BOUNDS = (102.0, 8.0, 110.0, 23.5)


@dataclass
class ImportResult:
    """What an import did.

    ``rejections`` has one row per rejected input row; ``notes`` one per warning about an accepted
    row (the rows behind the summary's row-level warnings; with ``notes_limit``, the first that
    many of each warning).
    """

    kind: str
    file: Path
    rows_total: int = 0
    rows_accepted: int = 0
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    rejections: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: when ``notes`` lists only the first rows of some warning (a scan log with millions): how many of each
    notes_limit: int = 0
    warnings: dict[str, int] = field(default_factory=dict)
    encoding: str | None = None
    unit: str = "line"
    sheets: list[str] = field(default_factory=list)  # the sheets read, when the workbook has several
    layer: str | None = None  # the layer read, when the GeoPackage has several
    other_layers: list[str] = field(default_factory=list)  # the file's layers not read
    examples: dict[str, list[str]] = field(default_factory=dict)  # a few units behind a warning, per warning
    other_sheets: list[str] = field(default_factory=list)  # other sheets with the required columns, not read
    unused_columns: list[str] = field(default_factory=list)  # the file's columns no field was read from
    columns: dict[str, str] = field(default_factory=dict)  # {field: the file's column read for it}
    #: "saved" when the columns the user matched were kept for files with the same headers, "reused"
    #: when a matching kept so was applied (see :mod:`inspector.core.importers.matching`)
    matching: str = ""
    import_id: int | None = None
    already_imported_at: str | None = None

    @property
    def rows_rejected(self) -> int:
        return len(self.rejections)

    @property
    def rejected_file(self) -> Path:
        return self._row_file("rejected")

    @property
    def notes_file(self) -> Path:
        return self._row_file("warnings")

    def _row_file(self, what: str) -> Path:
        """``FILE.what.csv``; ``FILE.SHEET.what.csv`` when one sheet was read of a workbook of several.

        So a workbook imported a sheet at a time keeps each sheet's rows (sheet names may hold
        characters that Windows refuses in file names: those become "_").
        """
        sheet = ""
        if len(self.sheets) == 1:
            sheet = "." + re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", self.sheets[0]).strip(" .")
        return self.file.with_name(f"{self.file.name}{sheet}.{what}.csv")


class Rejections:
    """Collects rejected rows of a :class:`Table`, first reason wins, all vectorised."""

    def __init__(self, table: Table, columns: dict[str, str] | None = None) -> None:
        self.table = table
        self.columns = columns or {}
        n = len(table.frame)
        self.reason = np.full(n, None, dtype=object)
        self.field = np.full(n, None, dtype=object)
        self.detail = np.full(n, None, dtype=object)
        self._notes: list[tuple[np.ndarray, str, str, np.ndarray]] = []
        if "__bad_row" in table.frame:  # {"cells": n, "columns": m} for a line longer than the header
            bad = table.frame["__bad_row"]
            self.add(bad.notna(), "", "bad_csv_row", bad)
        if "__footer" in table.frame:  # a total, a note or a signature below a sheet's table
            self.add(table.frame["__footer"].to_numpy(dtype=bool), "", "below_table")

    def duplicates(self, keys: pd.Series, field: str, reason: str) -> None:
        """Reject every repeat of a non-empty key, naming where it was first seen."""
        first = pd.Series(np.arange(len(keys)), index=keys.index).groupby(keys).transform("min")
        details = [{"value": k, "first": self.table.where(f)} for k, f in zip(keys, first, strict=True)]
        self.add(keys.duplicated() & (keys != ""), field, reason, details)

    def coordinates(self, lat_text: pd.Series, lon_text: pd.Series,
                    position: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
        """Parse latitude and longitude (decimal or degrees-minutes-seconds), rejecting cells that are neither.

        With ``position``, the cells both came from (:func:`position_in_one_cell`), a lone number
        there is rejected as half a position.
        """
        lat, lon = parse_coordinate(lat_text), parse_coordinate(lon_text)
        if position is not None:
            self.add((position != "") & (lon_text == "") & lat.notna(), "lat", "half_position", position)
        self.add(bad_cells(lat_text, lat), "lat", "invalid_coordinate", lat_text)
        self.add(bad_cells(lon_text, lon), "lon", "invalid_coordinate", lon_text)
        self.add((lat_text != "") & (lon_text == ""), "lon", "missing_value")  # half a position
        self.add((lon_text != "") & (lat_text == ""), "lat", "missing_value")
        return lat, lon

    def swapped(self, lat: pd.Series, lon: pd.Series, units: pd.DataFrame, result: ImportResult,
                fix: bool) -> tuple[pd.Series, pd.Series]:
        """Find rows whose latitude and longitude are exchanged: inside the area only when swapped.

        The area is the workspace's units (``units``, with a margin), else Vietnam. Such rows are
        rejected, or with ``fix`` corrected (and counted as a warning).
        """
        if units.empty:
            minx, miny, maxx, maxy = VIETNAM_BOUNDS
        else:
            minx, miny, maxx, maxy = units.total_bounds
            minx, miny, maxx, maxy = minx - 0.2, miny - 0.2, maxx + 0.2, maxy + 0.2

        def inside(x: pd.Series, y: pd.Series) -> np.ndarray:
            return ((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)).to_numpy()

        swapped = ~inside(lon, lat) & inside(lat, lon) & self.ok
        if not swapped.any():
            return lat, lon
        if fix:
            lat, lon = lat.where(~swapped, lon), lon.where(~swapped, lat)
            result.warnings["swapped_fixed"] = int(swapped.sum())
            return lat, lon
        text = [f"{a}, {b}" for a, b in zip(lat, lon, strict=True)]
        self.add(swapped, "lat", "coordinates_swapped", np.asarray(text, dtype=object))
        return lat, lon

    def out_of_range(self, lat: pd.Series, lon: pd.Series, lat_text: pd.Series, lon_text: pd.Series) -> None:
        self.add(lat.abs() > 90, "lat", "coordinate_out_of_range", lat_text)
        self.add(lon.abs() > 180, "lon", "coordinate_out_of_range", lon_text)

    def add(self, mask: np.ndarray | pd.Series, field: str, reason: str, detail: Any = None) -> None:
        """Reject rows where ``mask`` holds (unless already rejected) for ``reason`` on ``field``.

        ``field`` is our field name; the rejected-rows file shows the file's own header for it.
        """
        mask = np.asarray(mask, dtype=bool) & (self.reason == None)  # noqa: E711 - elementwise
        self.reason[mask] = reason
        self.field[mask] = self.columns.get(field, field)
        if detail is not None:
            if isinstance(detail, list | np.ndarray | pd.Series):
                values = np.empty(len(self.reason), dtype=object)
                values[:] = list(detail)
                self.detail[mask] = values[mask]
            else:
                self.detail[mask] = detail

    @property
    def ok(self) -> np.ndarray:
        return self.reason == None  # noqa: E711 - elementwise

    def note(self, mask: np.ndarray | pd.Series, field: str, reason: str, detail: Any = None, *,
             among: np.ndarray | None = None) -> None:
        """Keep a warning about the rows where ``mask`` holds; they stay accepted.

        ``mask`` (and ``detail``, when a sequence) run over all rows, or over the rows where
        ``among`` holds. Only rows still accepted when the notes are read count.
        """
        rows = np.flatnonzero(among) if among is not None else np.arange(len(self.reason))
        mask = np.asarray(mask, dtype=bool)
        details = np.full(len(rows), None, dtype=object)
        if detail is not None:
            details[:] = list(detail) if isinstance(detail, list | np.ndarray | pd.Series) else detail
        self._notes.append((rows[mask], self.columns.get(field, field), reason, details[mask]))

    def shortened(self, text: pd.Series, field: str, limit: int) -> pd.Series:
        """``text`` with each value longer than ``limit`` characters cut to its first ``limit``, then "…".

        The row is kept, with a warning giving the text's length (``text_cut``).
        """
        length = text.str.len()
        long = (length > limit).to_numpy()
        if not long.any():
            return text
        self.note(np.ones(int(long.sum()), dtype=bool), field, "text_cut",
                  [{"length": Count(n), "limit": Count(limit)} for n in length[long]], among=long)
        return text.where(~long, text.str[:limit].str.rstrip() + "…")

    def frame(self) -> pd.DataFrame:
        """The rejected rows: line, field, reason, detail, then the cells the import reads."""
        bad = np.flatnonzero(~self.ok)
        return self._rows(bad, self.field[bad], self.reason[bad], self.detail[bad])

    def notes(self) -> pd.DataFrame:
        """The warnings about accepted rows, as :meth:`frame` lays rows out, in file order."""
        ok = self.ok
        rows: list[np.ndarray] = []
        details: list[np.ndarray] = []
        fields: list[str] = []
        reasons: list[str] = []
        for index, column, reason, detail in self._notes:
            keep = ok[index]
            rows.append(index[keep])
            details.append(detail[keep])
            fields += [column] * int(keep.sum())
            reasons += [reason] * int(keep.sum())
        if not rows:
            return self._rows(np.arange(0), [], [], np.empty(0, dtype=object))
        index = np.concatenate(rows)
        order = np.argsort(index, kind="stable")
        return self._rows(index[order], np.asarray(fields, dtype=object)[order],
                          np.asarray(reasons, dtype=object)[order], np.concatenate(details)[order])

    def _rows(self, rows: np.ndarray, fields: Any, reasons: Any, details: Any) -> pd.DataFrame:
        out = pd.DataFrame({"line": self.table.lines[rows], "field": fields, "reason": reasons, "detail": details})
        if self.table.row_sheets is not None:  # a table read from several sheets: which one
            out.insert(0, "sheet", self.table.row_sheets[rows])
        # the cells the import reads, and only those: a column it ignores may hold anything (phone numbers)
        read = set(self.columns.values())
        original = self.table.frame.iloc[rows].reset_index(drop=True)
        original = original[[c for c in original.columns if c in read and not c.startswith("__")]]
        return pd.concat([out, original], axis=1)


def text_limits(kind: str) -> dict[str, int]:
    """The most characters an import of ``kind`` keeps of each free-text field (see ``thresholds.toml``)."""
    return dict(resources.load_toml("thresholds.toml")["text_limits"][kind])


def start(workspace: Workspace, kind: str, path: Path,
          each_block: Callable[[bytes], None] | None = None,
          options: dict[str, Any] | None = None) -> tuple[ImportResult, str]:
    """Begin importing ``path``: a new result and the file's hash.

    ``already_imported_at`` is set when the same content was imported before with the same
    ``options`` (the layer read, the level...; the caller then returns at once). ``each_block``
    sees the file's bytes as they are hashed.
    """
    result = ImportResult(kind, path)
    digest = file_hash(path, each_block)
    options = {k: v for k, v in (options or {}).items() if v}
    if options:  # the same file read another way is another import
        digest += "+" + blake3.blake3(json.dumps(options, sort_keys=True).encode()).hexdigest()[:16]
    result.already_imported_at = previous_import(workspace, kind, digest)
    return result, digest


def cells(frame: pd.DataFrame, cols: dict[str, str]) -> Callable[..., pd.Series]:
    """``cell(field, lines=False)``: the cleaned text of ``field``'s column, or empty cells when the file has none.

    Text is one line (:func:`~inspector.core.text.clean`), or with ``lines`` free text that keeps
    its line breaks (:func:`~inspector.core.text.clean_text`).
    """

    def cell(field: str, lines: bool = False) -> pd.Series:
        if field not in cols:
            return pd.Series("", index=frame.index, dtype=object)
        return frame[cols[field]].map(clean_text if lines else clean)

    return cell


def position_in_one_cell(kind: str, frame: pd.DataFrame, cols: dict[str, str]) -> tuple[pd.DataFrame, str | None]:
    """Latitude and longitude from one "position" cell, when the file gives them so and not apart.

    Returns the frame, with the two texts in ``__lat`` and ``__lon`` (see :func:`split_position`),
    and the position column; or the frame as it was and ``None`` when there is no such column to
    read (a "position" column beside latitude and longitude columns is then dropped from ``cols``,
    as not read).
    """
    if not combined_fields(kind, cols):
        cols.pop("position", None)
        return frame, None
    frame = frame.assign(__lat="", __lon="")
    frame["__lat"], frame["__lon"] = split_position(frame[cols["position"]])
    return frame, cols["position"]


def file_hash(path: Path, each_block: Callable[[bytes], None] | None = None) -> str:
    """The file's content hash, named by its algorithm (BLAKE3: a 600 MB scan log in 0.2 s)."""
    digest = blake3.blake3(max_threads=blake3.blake3.AUTO)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 24), b""):
            digest.update(block)
            if each_block is not None:
                each_block(block)
    return "blake3:" + digest.hexdigest()


def previous_import(workspace: Workspace, kind: str, digest: str) -> str | None:
    """When the same file content was imported before as ``kind``, return when (local time).

    An import that accepted no row does not count: the same file can be tried again, e.g. with
    other columns chosen.
    """
    with workspace.connect() as conn:
        row = conn.execute(
            "SELECT strftime('%Y-%m-%d %H:%M', finished_at, ?) FROM import_log "
            "WHERE kind = ? AND file_hash = ? AND coalesce(rows_accepted, 1) > 0 ORDER BY fid LIMIT 1",
            (LOCAL, kind, digest),
        ).fetchone()
    return None if row is None else row[0]


def begin_log(conn: Any, result: ImportResult, digest: str) -> int:
    """Open the import's log entry (``conn``: a sqlite3 connection or an ADBC cursor)."""
    conn.execute(
        "INSERT INTO import_log (kind, file_name, file_hash, encoding, started_at) VALUES (?, ?, ?, ?, ?)",
        (result.kind, result.file.name, digest, result.encoding, gpkg_now()),
    )
    cursor = conn.execute("SELECT last_insert_rowid()") or conn
    result.import_id = int(cursor.fetchone()[0])
    return result.import_id


def finish_log(conn: Any, result: ImportResult, details: dict[str, Any] | None = None,
               audited: dict[str, Any] | None = None) -> None:
    """Close the import's log entry and add the import to the audit trail.

    ``details`` go into the log entry (with the warnings, sheets, layer...), ``audited`` into the
    audit trail's entry (with the file and the counts).
    """
    said = {"sheets": result.sheets, "other_sheets": result.other_sheets, "layer": result.layer,
            "examples": result.examples, "unused_columns": result.unused_columns}
    summary = {"warnings": result.warnings, **{k: v for k, v in said.items() if v}, **(details or {})}
    conn.execute(
        "UPDATE import_log SET finished_at = ?, rows_total = ?, rows_accepted = ?, rows_rejected = ?, "
        "rows_added = ?, rows_updated = ?, rows_unchanged = ?, details = ? WHERE fid = ?",
        (
            gpkg_now(), result.rows_total, result.rows_accepted, result.rows_rejected, result.counts.added,
            result.counts.updated, result.counts.unchanged, json.dumps(summary, ensure_ascii=False),
            result.import_id,
        ),
    )
    touch(conn, "import_log")
    audit(conn, f"import_{result.kind}", {
        "file": result.file.name, "import_id": result.import_id, "accepted": result.rows_accepted,
        "rejected": result.rows_rejected, "added": result.counts.added, "updated": result.counts.updated,
        **(audited or {}),
    })


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def row_params(detail: Any, field: str) -> dict[str, Any]:
    """The parameters of a rejected row's message, from its detail and field."""
    if isinstance(detail, dict):
        return {"field": field, **detail}
    return {"field": field, "value": "" if _missing(detail) else detail}
