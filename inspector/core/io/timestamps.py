"""Parse timestamps in the formats provinces export; naive times are Asia/Ho_Chi_Minh (UTC+7).

Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact for our data.
All results are naive local times.
"""

from __future__ import annotations

import pandas as pd

LOCAL_OFFSET_HOURS = 7

NAIVE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%d/%m/%Y",
)
ZONED_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M%z",
)


def parse_local(values: pd.Series) -> pd.Series:
    """Parse text timestamps to naive local ``datetime64``; unparseable values become ``NaT``."""
    text = values.astype("string").str.strip().str.replace(r"Z$", "+00:00", regex=True)
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
