"""Rows of a scan log shown back to the user: the scans kept with a warning, and cells without phone numbers.

The pass of :mod:`.scan_frame` hands over the file's cells only for rows to read again and for
rows whose phone position it drops (a few in a usual log). :class:`Noted` says why each such
scan's position was dropped, counts them by reason, and keeps the first rows of each reason in
file order for ``FILE.warnings.csv``: a log whose phones all wrote 0, 0 counts every one of its
ten million scans but lists a few thousand.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import polars as pl

from inspector.core.io.values import MOBILE, PHONE_SEPARATORS

#: Why a kept scan has no position, in the order they are told apart: a cell that holds no number,
#: one coordinate without the other, 0, 0 (what some phones write without a fix), a coordinate
#: out of range.
POSITION_REASONS = ("gps_not_read", "gps_half", "gps_zero", "gps_dropped")


def coordinate(column: str) -> pl.Expr:
    """A coordinate cell read as a number, tolerating spaces around it and a decimal comma."""
    return pl.col(column).cast(pl.String).str.strip_chars().str.replace(",", ".", literal=True).cast(
        pl.Float64, strict=False)


def unread(column: str) -> pl.Expr:
    """A coordinate cell that holds something, but not a number (``abc``, ``NaN``)."""
    value = coordinate(column)
    return (pl.col(column).cast(pl.String).str.strip_chars().fill_null("") != "") & (
        value.is_null() | value.is_nan())


def _position_reason(cols: dict[str, str]) -> tuple[pl.Expr, pl.Expr]:
    """The reason (one of :data:`POSITION_REASONS`) and the column behind a dropped position."""
    def cell(field: str) -> tuple[pl.Expr, pl.Expr]:
        if field not in cols:
            return pl.lit(False), pl.lit(None, pl.Float64)
        return unread(cols[field]), coordinate(cols[field])

    (lat_unread, lat), (lon_unread, lon) = cell("lat"), cell("lon")
    cases = [(lat_unread, "gps_not_read", "lat"), (lon_unread, "gps_not_read", "lon"),
             (lat.is_null(), "gps_half", "lat"), (lon.is_null(), "gps_half", "lon"),
             ((lat == 0) & (lon == 0), "gps_zero", "lat"), (~lat.is_between(-90, 90), "gps_dropped", "lat")]
    # the first case that holds, as a chain of when/then would pick it
    reason = pl.coalesce([pl.when(c).then(pl.lit(code)) for c, code, _ in cases] + [pl.lit("gps_dropped")])
    field = pl.coalesce([pl.when(c).then(pl.lit(cols.get(name, name))) for c, _, name in cases]
                        + [pl.lit(cols.get("lon", "lon"))])
    return reason, field


class Noted:
    """The accepted scans whose position was dropped: counts by reason, and the first ``limit`` rows of each.

    ``names`` are the file's columns, ``cols`` maps our fields to them.
    """

    def __init__(self, names: list[str], cols: dict[str, str], limit: int) -> None:
        self.names, self.cols, self.limit = names, cols, limit
        self.counts: dict[str, int] = {}
        self._parts: list[pl.DataFrame] = []
        self._kept = 0

    def add(self, rows: pl.DataFrame) -> None:
        """Note ``rows`` (with ``__rn`` and the file's cells): accepted scans whose position was dropped."""
        if not rows.height:
            return
        reason, field = _position_reason(self.cols)
        why = rows.select("__rn", *self.names).with_columns(__reason=reason, __field=field)
        for code, count in why["__reason"].value_counts().iter_rows():
            self.counts[code] = self.counts.get(code, 0) + count
        self._parts.append(self._first(why))
        self._kept += self._parts[-1].height
        if self._kept > 2 * self.limit * len(POSITION_REASONS):  # the batches so far: only the first rows stay
            self._parts = [self._first(pl.concat(self._parts, how="vertical_relaxed"))]
            self._kept = self._parts[0].height

    def _first(self, rows: pl.DataFrame) -> pl.DataFrame:
        return rows.sort("__rn").filter(pl.int_range(pl.len()).over("__reason") < self.limit)

    @property
    def cut(self) -> bool:
        """Whether some rows were left out of :meth:`frame` (more than ``limit`` of one reason)."""
        return any(count > self.limit for count in self.counts.values())

    def frame(self, salt: str) -> pd.DataFrame:
        """The rows listed: line (1-based row), field, reason, detail, then their cells (see :func:`shown_cells`)."""
        if not self._parts:
            return pd.DataFrame(columns=["line", "field", "reason", "detail"])
        rows = self._first(pl.concat(self._parts, how="vertical_relaxed")).to_pandas()
        listed = pd.DataFrame({"line": rows["__rn"].astype("int64") + 1, "field": rows["__field"],
                               "reason": rows["__reason"], "detail": None})
        return pd.concat([listed, shown_cells(rows, self.cols, salt)], axis=1)


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

