"""Scan times in Polars: text in our timestamp formats (or typed datetimes) as seconds of local time."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from inspector.core.io.timestamps import LOCAL_OFFSET_HOURS, NAIVE_FORMATS, REWRITES, ZONED_FORMATS


def time_expr(sample: pl.DataFrame, column: str, *, every_format: bool = False) -> pl.Expr:
    """Local time in seconds.

    Text is read in the format that fits most of a sample; with ``every_format``, in the first of
    our formats that fits each value (for the few rows read again). What still fails is retried
    with :func:`~inspector.core.io.timestamps.parse_local`.
    """
    col = pl.col(column)
    dtype = sample.schema[column]
    if isinstance(dtype, pl.Datetime):
        return (_local(col) if dtype.time_zone else col).dt.epoch("s")
    col = col.cast(pl.String)  # a typed date or number is not a time: its rows fail as text does
    formats = (*NAIVE_FORMATS, *ZONED_FORMATS)
    if every_format:
        text = _rewritten(col.str.strip_chars(), REWRITES)
        return pl.coalesce([_local_seconds(text, fmt) for fmt in formats])
    values = sample[column].head(2000).drop_nulls().cast(pl.String).str.strip_chars()
    needed = [(p, r) for p, r in REWRITES if values.str.contains(p).any()]  # only these: they cost time
    if needed:
        col, values = _rewritten(col, needed), values.to_frame().select(_rewritten(pl.col(column), needed)).to_series()
    best, hits = None, 0
    for fmt in formats:
        parsed = values.str.to_datetime(_chrono(fmt), strict=False)
        if len(values) - parsed.null_count() > hits:
            best, hits = fmt, len(values) - parsed.null_count()
    return pl.lit(None, pl.Int64) if best is None else _local_seconds(col, best)


def _rewritten(text: pl.Expr, rewrites: Sequence[tuple[str, str]]) -> pl.Expr:
    for pattern, replacement in rewrites:
        text = text.str.replace(pattern, replacement)
    return text


def _local_seconds(text: pl.Expr, fmt: str) -> pl.Expr:
    """``text`` in format ``fmt`` as seconds of local time."""
    parsed = text.str.to_datetime(_chrono(fmt), strict=False)
    return (_local(parsed) if fmt in ZONED_FORMATS else parsed).dt.epoch("s")


def _local(moment: pl.Expr) -> pl.Expr:
    """A zoned moment as naive local time (Asia/Ho_Chi_Minh, UTC+7 all year)."""
    return moment.dt.convert_time_zone("UTC").dt.replace_time_zone(None) + pl.duration(hours=LOCAL_OFFSET_HOURS)


def _chrono(fmt: str) -> str:
    """Our strftime formats in Polars' (chrono) dialect: fractions of a second are ``%.f``."""
    return fmt.replace(".%f", "%.f")
