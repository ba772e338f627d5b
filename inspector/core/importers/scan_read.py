"""Read a scan log: the fast streaming scan, and the careful path for irregular files."""

from __future__ import annotations

import codecs
import csv
import itertools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from inspector.core.columns import HEADER_ROWS, find_header
from inspector.core.errors import InputError, rust_panic
from inspector.core.io.sniff import allow_fields_up_to, delimiter
from inspector.core.io.tables import head_rows
from inspector.core.io.values import cell_text


class Irregular(Exception):  # noqa: N818 - a signal to switch paths, not an error for users
    """The fast reader cannot map rows to lines exactly (ragged, blank or multi-line records)."""


def file_delimiter(path: Path, encoding: str = "utf-8-sig") -> str:
    """The field separator of a CSV file, from its first lines."""
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        return delimiter(fh.read(20000))


def header(path: Path, fmt: str, encoding: str | None = None,
           overrides: dict[str, str] | None = None) -> tuple[list[str], int]:
    """The column names of a CSV (in ``encoding``) or Parquet file, and the CSV records above them.

    A CSV header may sit below title lines: it is the one of the first records that names the
    most columns of a scan log (see :func:`inspector.core.columns.find_header`).
    """
    if fmt == "parquet":
        return _parquet_names(path), 0
    first, _ = _first_records(path, encoding, HEADER_ROWS)
    found = find_header("scans", first, overrides)
    skip = found[1] if found is not None and found[0] > 0 else 0
    return _names(first[skip] if first else []), skip


def head(path: Path, fmt: str, encoding: str | None, rows: int) -> tuple[list[str], list[list[str]], list[int], int]:
    """The header, the first ``rows`` rows and where they are, as the import reads them, for a preview.

    Returns the column names, the rows (one text per column), their line (CSV) or record
    (Parquet) numbers and the header's line (0 for Parquet). Only the file's start is read. When
    no CSV record names a column of a scan log, the header is the likeliest by its shape
    (see :func:`~inspector.core.columns.likely_header`).
    """
    if fmt == "parquet":
        import pyarrow.parquet as pq

        names = _parquet_names(path)
        batch = next(pq.ParquetFile(path).iter_batches(batch_size=rows), None)
        columns = [batch.column(i).to_pylist()[:rows] for i in range(len(names))] if batch is not None else []
        body = [[cell_text(c[r]) for c in columns] for r in range(len(columns[0]) if columns else 0)]
        return names, body, list(range(1, len(body) + 1)), 0
    first, starts = _first_records(path, encoding, HEADER_ROWS + 10 * rows)
    index, body, lines = head_rows("scans", first, starts, rows, path.name)
    return _names(first[index]), body, lines, starts[index]


def _parquet_names(path: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except (pa.ArrowException, OSError) as exc:  # a truncated file; a damaged footer comes as a plain OSError
        raise InputError("bad_parquet", file=path.name, detail=str(exc).splitlines()[0]) from None


def _names(record: list[str]) -> list[str]:
    return [record[0].lstrip("\ufeff"), *record[1:]] if record else []


def _first_records(path: Path, encoding: str | None, count: int) -> tuple[list[list[str]], list[int]]:
    """The first ``count`` records of a CSV file in ``encoding``, and the line each starts on."""
    encoding = "utf-8-sig" if encoding in (None, "utf-8") else encoding
    allow_fields_up_to(path.stat().st_size)
    records: list[list[str]] = []
    starts: list[int] = []
    try:
        with path.open(encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=file_delimiter(path, encoding))
            start = 1
            for record in itertools.islice(reader, count):
                records.append(record)
                starts.append(start)
                start = reader.line_num + 1
    except UnicodeDecodeError:  # a UTF-16 mark on a file not UTF-16 or cut inside a character
        raise _mixed_encoding(path, encoding) from None
    return records, starts


def scan(path: Path, fmt: str, names: list[str] | None = None) -> pl.LazyFrame:
    """A lazy frame over a UTF-8 CSV (all text) or a Parquet file, with a 0-based row number ``__rn``.

    ``names``: the CSV header as :func:`header` reads it. polars reads a header cell with a quote
    inside otherwise (``t"ime``, ``""time``, ``"ti""me"``): its columns take these names.
    """
    if fmt == "parquet":
        return pl.scan_parquet(path, row_index_name="__rn")
    frame = pl.scan_csv(path, infer_schema=False, row_index_name="__rn", truncate_ragged_lines=False,
                        encoding="utf8", separator=file_delimiter(path))
    try:
        read = frame.collect_schema().names()[1:]
    except BaseException as exc:  # a file polars cannot read (or panics on): it says so when the rows are read
        if isinstance(exc, pl.exceptions.PolarsError) or rust_panic(exc):
            return frame
        raise
    if names is None or len(read) != len(names):
        return frame
    renamed = {old: new for old, new in zip(read, names, strict=True) if old != new}
    if set(renamed.values()) & (set(read) - set(renamed)) or len(set(renamed.values())) < len(renamed):
        return frame  # repeated names keep polars's own (the import refuses to read such a column)
    return frame.rename(renamed)


class LineCheck:
    """What one read of a file tells about its lines, fed block by block (while it is hashed).

    Saves a second read of a large scan log before it is parsed.
    """

    def __init__(self) -> None:
        self.start = b""
        self.size = 0
        self.quoted = False
        self.lone_cr = False

    def __call__(self, block: bytes) -> None:
        if not self.size:
            self.start = block[:1 << 20]
            cr = block.find(b"\r")
            self.lone_cr = cr >= 0 and block[cr + 1:cr + 2] not in (b"\n", b"")  # an old Mac line end
        self.size += len(block)
        self.quoted = self.quoted or b'"' in block


def records(path: Path, fmt: str, check: LineCheck) -> int | None:
    """How many data records a CSV file holds if every record is one line.

    None when every line is surely one record, without counting: a Parquet file, or a CSV file
    with no quote characters (so no record spans lines) and Unix or Windows line ends. Blank
    lines are rows too (of empty cells), so row ``n`` is then on line ``n + 1``.
    """
    if fmt == "parquet" or not (check.quoted or check.lone_cr):
        return None
    lines, last = 0, b"\n"
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 24), b""):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines - 1 + (0 if last == b"\n" else 1)


def estimated_rows(path: Path, fmt: str, check: LineCheck) -> int:
    """About how many rows the file holds (for progress): Parquet knows, CSV is judged by its start."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    return max(1, round(check.size * check.start.count(b"\n") / max(len(check.start), 1)) - 1)


@contextmanager
def scratch() -> Iterator[Path]:
    """A path for the careful path's copy of a scan log, gone when the block ends.

    The copy holds phone numbers in clear, so on Linux it lives in memory only (``memfd``) and
    vanishes even if the process is killed; elsewhere it is a temporary file removed afterwards.
    """
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("scan-import")
        try:
            yield Path(f"/proc/self/fd/{fd}")
        finally:
            os.close(fd)
        return
    handle, name = tempfile.mkstemp(prefix="scan-import-", suffix=".csv")
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def clean_copy(path: Path, target: Path, encoding: str, skip: int = 0) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Rewrite ``path`` as plain UTF-8 CSV, one record per line, without malformed records.

    The header is the record after ``skip`` records (title lines) of the file.

    Returns the source line of every kept record, the malformed records (line, reason, detail:
    ``{"cells": n, "columns": m}``) and their cells under the header's names (the first column of
    a repeated name; cells beyond the header left out). The cells hold phone numbers in clear: see
    :func:`~inspector.core.importers.scan_frame.shown_cells`. This is the careful path: other
    encodings, quoted line breaks, blank or ragged lines.

    Raises
    ------
    InputError
        ``mixed_encoding`` when a later part of the file is not in the encoding its start showed.
    """
    try:
        return _clean_copy(path, target, encoding, skip)
    except UnicodeDecodeError:
        raise _mixed_encoding(path, encoding) from None


def _mixed_encoding(path: Path, encoding: str) -> InputError:
    """The refusal of a file whose text breaks somewhere in ``encoding``, naming the line."""
    return InputError("mixed_encoding", file=path.name, line=_undecodable_line(path, encoding),
                      encoding=encoding.upper().removesuffix("-SIG"))


def _undecodable_line(path: Path, encoding: str) -> int:
    """The line of ``path`` where text in ``encoding`` first breaks."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            for line in block.splitlines(keepends=True):
                try:
                    decoder.decode(line)
                except UnicodeDecodeError:
                    return lines
                lines += line.endswith(b"\n")
    return lines


def _clean_copy(path: Path, target: Path, encoding: str, skip: int) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    allow_fields_up_to(path.stat().st_size)
    lines: list[int] = []
    broken: list[tuple[int, dict[str, int], list[str]]] = []
    separator = file_delimiter(path, encoding)
    with path.open(encoding=encoding, newline="") as src, target.open("w", encoding="utf-8", newline="") as out:
        reader = csv.reader(src, delimiter=separator)
        writer = csv.writer(out, lineterminator="\n")
        for _ in range(skip):  # title lines above the header
            next(reader, None)
        names = next(reader, None) or []
        if names:
            names[0] = names[0].lstrip("\ufeff")
        writer.writerow(names)
        start = reader.line_num + 1
        for record in reader:
            if len(record) > len(names):
                broken.append((start, {"cells": len(record), "columns": len(names)}, record[:len(names)]))
            elif any(record):
                writer.writerow([cell.replace("\r", " ").replace("\n", " ") for cell in record])
                lines.append(start)
            start = reader.line_num + 1
    frame = pd.DataFrame({"line": pd.Series([b[0] for b in broken], dtype="int64"), "reason": "bad_csv_row",
                          "detail": pd.Series([b[1] for b in broken], dtype=object)})
    first = {name: i for i, name in reversed(list(enumerate(names)))}
    cells = pd.DataFrame({name: pd.Series([b[2][i] for b in broken], dtype=object) for name, i in first.items()})
    return np.asarray(lines, dtype=np.int64), frame, cells
