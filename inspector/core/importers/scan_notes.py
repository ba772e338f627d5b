"""Rows of a scan log shown back to the user: the scans kept with a warning, and cells without phone numbers.

The pass of :mod:`.scan_frame` says of each scan why its phone position is dropped (a code, see
:func:`position_why`), and hands over the file's cells only for rows to read again and for rows
whose position it drops (a few in a usual log). :class:`Noted` counts them by reason and keeps
the first rows of each reason in file order for ``FILE.warnings.csv``: a log whose phones all
wrote 0, 0 counts every one of its millions of such scans but lists a few thousand.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import polars as pl

from inspector.core.io.values import MOBILE, PHONE_SEPARATORS

#: Why a kept scan has no position, in the order they are told apart: a cell that holds no number,
#: one coordinate without the other, 0, 0 (what some phones write without a fix), a coordinate
#: out of range. The pass gives each scan a code (:func:`position_why`): 0 for a position kept or
#: none given, else ``2 * i + 1`` for reason ``i`` on the latitude, ``2 * i + 2`` on the longitude.
POSITION_REASONS = ("gps_not_read", "gps_half", "gps_zero", "gps_dropped")
_NONE = 2**62  # a row number beyond any file's


def coordinate(column: str) -> pl.Expr:
    """A coordinate cell read as a number, tolerating spaces around it and a decimal comma."""
    return pl.col(column).cast(pl.String).str.strip_chars().str.replace(",", ".", literal=True).cast(
        pl.Float64, strict=False)


def unread(column: str) -> pl.Expr:
    """A coordinate cell that holds something, but not a number (``abc``, ``NaN``)."""
    value = coordinate(column)
    return (pl.col(column).cast(pl.String).str.strip_chars().fill_null("") != "") & (
        value.is_null() | value.is_nan())


def position_why(lat: pl.Expr, lon: pl.Expr, unread_lat: pl.Expr, unread_lon: pl.Expr) -> pl.Expr:
    """The code of why a scan's position is dropped (see :data:`POSITION_REASONS`), 0 when it is not.

    ``lat`` and ``lon`` as read (null when empty or unreadable); ``unread_*`` whether their cell
    held something that is no number. Cheap enough for every scan of the pass: it compares numbers.
    """
    cases = [(unread_lat | lat.is_nan(), 1), (unread_lon | lon.is_nan(), 2), (lat.is_null() & lon.is_null(), 0),
             (lat.is_null(), 3),
             (lon.is_null(), 4), ((lat == 0) & (lon == 0), 5), (~lat.is_between(-90, 90), 7),
             (~lon.is_between(-180, 180), 8)]
    # the first case that holds, as a chain of when/then would pick it
    return pl.coalesce([pl.when(c).then(pl.lit(code, pl.UInt8)) for c, code in cases] + [pl.lit(0, pl.UInt8)])


class Noted:
    """The accepted scans whose position was dropped: counts by reason, and the first ``limit`` rows of each.

    ``names`` are the file's columns, ``cols`` maps our fields to them. Rows come a batch of the
    pass at a time, roughly in file order: once ``limit`` rows of a reason are kept, only rows
    before the last of them are looked at, so a log of millions costs little more than a clean one.
    """

    def __init__(self, names: list[str], cols: dict[str, str], limit: int) -> None:
        self.names, self.cols, self.limit = names, cols, limit
        self.counts: dict[str, int] = {}
        self._kept: pl.DataFrame | None = None
        self._bounds: dict[int, int] = {}  # reason -> the row of its last kept row, once it has ``limit``

    def add(self, rows: pl.DataFrame) -> None:
        """Note those of ``rows`` (``__rn``, ``__gps_why`` and the file's cells) whose position was dropped."""
        why = rows["__gps_why"]
        why = why.filter(why != 0)
        if not why.len():
            return
        for code, count in why.value_counts().iter_rows():
            name = POSITION_REASONS[(code - 1) // 2]
            self.counts[name] = self.counts.get(name, 0) + count
        reason = (pl.col("__gps_why").cast(pl.Int64) - 1) // 2
        # rows after the last of a reason's first ``limit`` are not among them: their cells are not even copied
        bound = reason.replace_strict(self._bounds, default=_NONE) if self._bounds else pl.lit(_NONE)
        wanted = rows.select((pl.col("__gps_why") != 0) & (pl.col("__rn") < bound)).to_series()
        if not wanted.any():
            return
        noted = rows.filter(wanted).select("__rn", "__gps_why", *self.names)
        kept = noted if self._kept is None else pl.concat([self._kept, noted], how="vertical_relaxed")
        self._kept = kept.sort("__rn").filter(pl.int_range(pl.len()).over(reason) < self.limit)
        last = self._kept.group_by(reason=reason).agg(pl.len(), pl.col("__rn").max())
        self._bounds = {r: b for r, n, b in last.iter_rows() if n >= self.limit}

    @property
    def cut(self) -> bool:
        """Whether some rows were left out of :meth:`frame` (more than ``limit`` of one reason)."""
        return any(count > self.limit for count in self.counts.values())

    def frame(self, salt: str) -> pd.DataFrame:
        """The rows listed: line (1-based row), field, reason, detail, then their cells (see :func:`shown_cells`)."""
        if self._kept is None:
            return pd.DataFrame(columns=["line", "field", "reason", "detail"])
        rows = as_pandas(self._kept)
        code = rows["__gps_why"].astype(int) - 1
        fields = [self.cols.get(f, f) for f in ("lat", "lon")]
        listed = pd.DataFrame({"line": rows["__rn"].astype("int64") + 1, "field": [fields[c % 2] for c in code],
                               "reason": [POSITION_REASONS[c // 2] for c in code], "detail": None})
        return pd.concat([listed, shown_cells(rows, self.cols, salt)], axis=1)


def as_pandas(rows: pl.DataFrame) -> pd.DataFrame:
    """``rows`` for pandas, the file's own times (in Parquet) as text.

    pandas cannot write out a time with a zone beyond the year 9999 (a Timestamp it holds, but
    neither its text nor ``str``), and those cells go back to the user as text anyway.
    """
    times = [name for name, dtype in rows.schema.items() if dtype.is_temporal() and not name.startswith("__")]
    return rows.with_columns(pl.col(times).cast(pl.String)).to_pandas()


def shown_cells(rows: pd.DataFrame, cols: dict[str, str], salt: str, person: pd.Series | None = None) -> pd.DataFrame:
    """The cells of rows that go back to the user (in ``FILE.rejected.csv`` or ``FILE.warnings.csv``).

    Only the columns we read: other columns may hold anything (a second phone column, names). The
    person is pseudonymised (``person``: its cells already reduced to letters and digits, as the
    import reads them; else reduced here), and so is any other of these cells that holds a phone
    number (in the wrong column, or shifted there by a broken line).
    """
    cells = rows[list(dict.fromkeys(cols.values()))].reset_index(drop=True).astype(object)
    if person is None:
        person = cells[cols["person"]].fillna("").astype(str).str.replace(r"[^0-9A-Za-z]", "", regex=True)
    for column in cells.columns.drop(cols["person"]):
        text = cells[column].fillna("").astype(str).str.strip()
        phone = is_phone(text)
        if phone.any():
            cells[column] = cells[column].where(~phone, [_pseudonym(salt, v) if p else v
                                                         for v, p in zip(text, phone, strict=True)])
    cells[cols["person"]] = [_pseudonym(salt, p) if p else "" for p in person.fillna("")]
    return cells.where(cells.notna(), None)


def is_phone(text: pd.Series) -> pd.Series:
    """True where ``text`` (stripped) is a Vietnamese mobile number, written with separators or not.

    Such a number is never shown back, even in the wrong column.
    """
    return text.str.replace(PHONE_SEPARATORS, "", regex=True).str.fullmatch(MOBILE).fillna(False).astype(bool)


def _pseudonym(salt: str, person: str) -> str:
    return hashlib.sha256((salt + person).encode()).hexdigest()[:16]

