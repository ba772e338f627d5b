"""Turn cells into text, and text cells into numbers and dates, vectorised; bad cells become NaN/NaT."""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from inspector.core.io.timestamps import parse_local


def parse_float(values: pd.Series) -> pd.Series:
    """Parse decimals written with ``.`` or ``,`` (``16,4567``); empty and bad cells give NaN."""
    text = values.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
    comma_decimal = text.str.fullmatch(r"[+-]?\d+,\d+").fillna(False)
    text = text.where(~comma_decimal, text.str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce").astype(float)


def bad_cells(values: pd.Series, parsed: pd.Series) -> np.ndarray:
    """Return True where a cell has text that did not parse."""
    present = values.astype("string").str.strip().fillna("") != ""
    return (present & parsed.isna()).to_numpy()


def parse_count(values: pd.Series) -> pd.Series:
    """Parse whole non-negative counts (``1.234`` and ``1,234`` as thousands); bad cells give NaN."""
    text = values.astype("string").str.strip().str.replace(r"[.,\s](?=\d{3}\b)", "", regex=True)
    number = pd.to_numeric(text, errors="coerce")
    return number.where(number == np.floor(number)).astype(float)


def parse_date(values: pd.Series) -> pd.Series:
    """Parse dates (any of the timestamp formats; the time part is dropped) to ``YYYY-MM-DD`` text."""
    parsed = parse_local(values)
    return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None)


#: Excel serial numbers read as dates only between these days (a number outside is not a date).
SERIAL_DATES = (pd.Timestamp("1990-01-01"), pd.Timestamp("2100-01-01"))


def excel_serial_dates(values: pd.Series, epoch: dt.datetime | None) -> pd.Series:
    """Write numbers that are Excel date serials (days since ``epoch``) as ``YYYY-MM-DD HH:MM:SS`` text.

    A date typed in a cell formatted as a number (``44223`` for 2021-01-27) reads as that number;
    ``epoch`` is the workbook's (1899-12-30, or 1904-01-01 for the Mac date system), ``None`` for
    files that are not workbooks (then nothing changes). Other cells are returned unchanged.
    """
    if epoch is None:
        return values
    start = pd.Timestamp(epoch)
    low, high = ((day - start) / pd.Timedelta(days=1) for day in SERIAL_DATES)
    days = pd.to_numeric(values.astype("string").str.strip(), errors="coerce").astype(float)
    ok = (days >= low) & (days < high)
    when = start + pd.to_timedelta(days[ok], unit="D").dt.round("s")
    out = values.copy()
    out[ok] = when.dt.strftime("%Y-%m-%d %H:%M:%S")
    return out


def cell_text(value: object) -> str:
    """Render a cell as text the way a person reading the sheet would type it."""
    if value is None:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    return unicodedata.normalize("NFC", str(value))
