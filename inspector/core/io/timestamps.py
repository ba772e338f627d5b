"""Parse timestamps in the formats provinces export; naive times are Asia/Ho_Chi_Minh (UTC+7).

Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact for our data.
Parsing gives naive local times. The workspace stores moments as GeoPackage DATETIME text, always
UTC (``2021-08-13T03:00:00.000Z``); :data:`LOCAL` turns such a column back into local time in SQL
(``date(reported_at, ?)`` with ``LOCAL`` as the parameter gives the local day).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pandas as pd

LOCAL_OFFSET_HOURS = 7
#: SQLite date/time modifier from a stored UTC moment to local time.
LOCAL = f"+{LOCAL_OFFSET_HOURS} hours"
#: Vietnam's time zone, for a moment of this machine's clock said to a person.
LOCAL_ZONE = timezone(timedelta(hours=LOCAL_OFFSET_HOURS))
#: SQLite ``strftime`` format of a GeoPackage DATETIME (what GDAL itself writes).
GPKG_DATETIME_SQL = "%Y-%m-%dT%H:%M:%fZ"

# The one list of accepted timestamp formats, read by pandas (here) and by Polars (the scan import),
# most common first. Day before month, as Vietnamese write dates. Text is first rewritten by
# REWRITES (regular expressions both Python and Polars read): ``Z`` is UTC, and the Vietnamese
# ``SA``/``CH`` (sáng/chiều, what Windows in Vietnamese writes) are AM/PM.
NAIVE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M %p", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p",
    "%d-%m-%Y %I:%M:%S %p", "%d-%m-%Y %I:%M %p",
    "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d",
)
ZONED_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S %z",
)
REWRITES = ((r"Z$", "+00:00"), (r"(?i)\s+SA$", " AM"), (r"(?i)\s+CH$", " PM"))
#: Local times outside these years are refused as typing errors (``21`` read as the year 21, a 1969
#: placeholder, a far future): none of the data this application reads can come from them.
PLAUSIBLE_YEARS = (2000, 2099)
#: The same bounds as local seconds since 1970-01-01 (the scan import's time unit), end excluded.
PLAUSIBLE_SECONDS = (int((datetime(PLAUSIBLE_YEARS[0], 1, 1) - datetime(1970, 1, 1)).total_seconds()),
                     int((datetime(PLAUSIBLE_YEARS[1] + 1, 1, 1) - datetime(1970, 1, 1)).total_seconds()))


def parse_local(values: pd.Series) -> pd.Series:
    """Parse text timestamps to naive local ``datetime64``; unparseable values become ``NaT``."""
    text = values.astype("string").str.strip()
    for pattern, replacement in REWRITES:
        text = text.str.replace(pattern, replacement, regex=True)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    todo = text.notna() & (text != "")
    for fmt in ZONED_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce", utc=True)
        ok = parsed.notna()
        local = parsed[ok].dt.tz_localize(None) + pd.Timedelta(hours=LOCAL_OFFSET_HOURS)
        out.loc[local.index] = local.astype("datetime64[us]")
        todo.loc[ok[ok].index] = False
    for fmt in NAIVE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        out.loc[parsed[ok].index] = parsed[ok].astype("datetime64[us]")
        todo.loc[ok[ok].index] = False
    return out


def implausible(local: pd.Series) -> pd.Series:
    """True where a parsed local time lies outside :data:`PLAUSIBLE_YEARS`."""
    year = local.dt.year
    return year.notna() & ~year.between(*PLAUSIBLE_YEARS)


def to_gpkg_datetime(local: pd.Series) -> pd.Series:
    """Naive local times as GeoPackage DATETIME text in UTC; ``NaT`` gives ``None``."""
    utc = local - pd.Timedelta(hours=LOCAL_OFFSET_HOURS)
    text = utc.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:23] + "Z"
    return text.where(local.notna(), None)


def from_gpkg_datetime(text: pd.Series) -> pd.Series:
    """GeoPackage DATETIME text (UTC) as naive local times, the inverse of :func:`to_gpkg_datetime`."""
    return pd.to_datetime(text, utc=True).dt.tz_localize(None) + pd.Timedelta(hours=LOCAL_OFFSET_HOURS)


def gpkg_now() -> str:
    """The current moment as GeoPackage DATETIME text (UTC, milliseconds)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z"
