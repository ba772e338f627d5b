"""Polars side of the scan-log import: parse, pseudonymise and aggregate a scan log.

Raw scan rows never become Python objects. Each chunk of the file becomes a compact frame of good
scans (venue index, local time, a salted person key, role, distance to the registered point) and
the few suspect rows with their original cells. Only per-venue-day aggregates leave this module.
``bench/README.md`` explains why Polars and not DuckDB here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import polars as pl

from inspector.core import resources
from inspector.core.columns import map_columns
from inspector.core.importers.scan_read import Irregular
from inspector.core.io.timestamps import NAIVE_FORMATS, ZONED_FORMATS, parse_local
from inspector.core.text import fold

EARTH_RADIUS_M = 6_371_008.8
_TIME = "__t"  # local time as seconds since 1970-01-01 00:00 *local*; day = t // 86400


@dataclass
class Parsed:
    """Good scans (compact) and rejected rows (with their cells and reasons)."""

    #: vidx, t, pkey, role, dist (null without position) and, only for far scans, dlat/dlon: the
    #: offset from the registered point in 1e-4 degrees (about 11 m; 2 bytes each instead of 8)
    good: pl.DataFrame
    rejected: pd.DataFrame
    total: int
    gps_dropped: int
    roles: dict[str, bool] = field(default_factory=dict)


def columns(names: list[str], file: str, overrides: dict[str, str] | None) -> dict[str, str]:
    return map_columns("scans", names, file=file, overrides=overrides)


def parse(lf: pl.LazyFrame, records: int, cols: dict[str, str], keys: pl.DataFrame, salt: str) -> Parsed:
    """Parse every scan in one streaming pass (a second one only if some rows are bad).

    Parameters
    ----------
    lf
        The source (see :func:`inspector.core.importers.scan_read.scan`).
    records
        How many rows the file should yield (see :func:`~inspector.core.importers.scan_read.records`).
    cols
        Field -> column of the file.
    keys
        ``key`` (venue id or QR payload) -> ``vidx``, with the registered ``vlat``/``vlon``.
    salt
        The workspace's secret salt; person identifiers are replaced by a salted 64-bit key.

    Raises
    ------
    Irregular
        When rows cannot be mapped to lines (ragged, blank or multi-line records).
    """
    names = [n for n in lf.collect_schema().names() if n != "__rn"]
    seed = int(salt[:15] or "0", 16)
    internal = ["vidx", _TIME, "__pkey", "__role", "__dist", "__dlat", "__dlon", "__gps_dropped"]
    compact = [pl.col(c).alias(c.strip("_")) for c in internal]
    compact[1] = pl.col(_TIME).cast(pl.UInt32).alias("t")
    try:
        rows = _parsed_rows(lf, cols, keys, _time_expr(lf.head(2000).collect(), cols["timestamp"]), seed)
        good = rows.filter(pl.col("__bad") == 0).select(compact).collect(engine="streaming")
        suspects = None
        if good.height != records:  # some rows are bad: find them again, with their cells
            suspects = rows.filter(pl.col("__bad") != 0).select(
                "__rn", *names, *internal, "__bad", "__venue", "__person").collect(engine="streaming")
    except pl.exceptions.ComputeError as exc:
        raise Irregular(str(exc)) from exc
    if good.height + (0 if suspects is None else suspects.height) != records:
        raise Irregular("rows and lines differ")
    rejected = pd.DataFrame(columns=["line", "field", "reason", "detail"])
    if suspects is not None and suspects.height:
        recovered, rejected = _settle(suspects, cols, salt)
        if recovered.height:
            good = pl.concat([good, recovered.select(compact).select(good.columns)], how="vertical_relaxed")
    gps_dropped = int(good["gps_dropped"].sum())
    return Parsed(good.drop("gps_dropped"), rejected, records, gps_dropped, _staff_roles(good["role"]))


def _parsed_rows(lf: pl.LazyFrame, cols: dict[str, str], keys: pl.DataFrame, time: pl.Expr, seed: int) -> pl.LazyFrame:
    """Every row with its compact values and ``__bad``, a bit mask of what is wrong with it."""
    lat, lon = (_number(cols[f]) if f in cols else pl.lit(None, pl.Float64) for f in ("lat", "lon"))
    role = pl.col(cols["role"]).fill_null("").cast(pl.Categorical) if "role" in cols else pl.lit("").cast(
        pl.Categorical)
    digits = pl.col("__p0")
    person = pl.when(digits.str.starts_with("84") & (digits.str.len_bytes() == 11)).then(
        pl.lit("0") + digits.str.slice(2)).otherwise(digits)
    gps_ok = pl.col("__lat").is_between(-90, 90) & pl.col("__lon").is_between(-180, 180) & ~(
        (pl.col("__lat") == 0) & (pl.col("__lon") == 0))
    far_m = float(resources.load_toml("thresholds.toml")["scans"]["far_m"])
    dist = pl.when(pl.col("__gps_ok")).then(
        _haversine(pl.col("__lat"), pl.col("__lon"), pl.col("vlat"), pl.col("vlon"))).cast(pl.Float32)
    return (
        lf.with_columns(__p0=pl.col(cols["person"]).fill_null("").str.replace_all(r"[^0-9A-Za-z]", ""))
        .with_columns(__venue=pl.col(cols["venue_id"]).str.strip_chars(), **{_TIME: time},
                      __person=person, __lat=lat, __lon=lon, __role=role)
        .join(keys.lazy(), left_on="__venue", right_on="key", how="left")
        .with_columns(__gps_ok=gps_ok.fill_null(False))
        .with_columns(
            # 32 bits suffice to count distinct people in a venue-day (a collision per million groups)
            __dist=dist, __pkey=(pl.col("__person").hash(seed) & 0xFFFFFFFF).cast(pl.UInt32),
            __gps_dropped=(pl.col("__lat").is_not_null() | pl.col("__lon").is_not_null()) & ~pl.col("__gps_ok"),
            __bad=(pl.col(_TIME).is_null().cast(pl.UInt8) | (pl.col("__venue").fill_null("") == "").cast(pl.UInt8) * 2
                   | pl.col("vidx").is_null().cast(pl.UInt8) * 4 | (pl.col("__person") == "").cast(pl.UInt8) * 8),
        )
        .with_columns(__dlat=_offset("__lat", "vlat", far_m), __dlon=_offset("__lon", "vlon", far_m))
    )


def _time_expr(sample: pl.DataFrame, column: str) -> pl.Expr:
    """Local time in seconds; the text format is found on a sample, odd rows are retried later."""
    col = pl.col(column)
    dtype = sample.schema[column]
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone:
            col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None) + pl.duration(hours=7)
        return col.dt.epoch("s")
    values = sample[column].head(2000).drop_nulls().str.strip_chars()
    best, hits = None, 0
    for fmt in (*NAIVE_FORMATS, *ZONED_FORMATS):
        parsed = values.str.to_datetime(_chrono(fmt), strict=False)
        if len(values) - parsed.null_count() > hits:
            best, hits = fmt, len(values) - parsed.null_count()
    if best is None:
        return pl.lit(None, pl.Int64)
    text = col.str.strip_chars()
    if best in ZONED_FORMATS:
        return (text.str.to_datetime(_chrono(best), strict=False).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
                + pl.duration(hours=7)).dt.epoch("s")
    return text.str.to_datetime(_chrono(best), strict=False).dt.epoch("s")


def _chrono(fmt: str) -> str:
    """Our strftime formats in Polars' (chrono) dialect: fractions of a second are ``%.f``."""
    return fmt.replace(".%f", "%.f")


def _settle(suspects: pl.DataFrame, cols: dict[str, str], salt: str) -> tuple[pl.DataFrame, pd.DataFrame]:
    """Retry odd timestamp formats row by row; what still fails is rejected with its reason."""
    frame = suspects.to_pandas()
    bad = frame["__bad"].to_numpy().astype(int)
    only_time = bad == 1
    if only_time.any():
        retried = parse_local(frame.loc[only_time, cols["timestamp"]].astype("string"))
        seconds = (retried - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)
        frame.loc[only_time, _TIME] = seconds.where(retried.notna())
        bad = np.where(only_time & frame[_TIME].notna().to_numpy(), 0, bad)
    recovered = pl.from_pandas(frame.loc[bad == 0, ["vidx", _TIME, "__pkey", "__role", "__dist", "__dlat", "__dlon",
                                                    "__gps_dropped"]])
    recovered = recovered.with_columns(pl.col("vidx").cast(pl.Int32), pl.col("__role").cast(pl.Categorical),
                                       pl.col("__pkey").cast(pl.UInt32))
    keep = bad != 0
    reason = np.select([bad & 1 != 0, bad & 2 != 0, bad & 4 != 0], ["invalid_timestamp", "missing_value",
                       "unknown_venue"], default="missing_value")[keep]
    field_of = np.select([bad & 1 != 0, bad & 6 != 0], [cols["timestamp"], cols["venue_id"]],
                         default=cols["person"])[keep]
    rows = frame.loc[keep]
    rejected = pd.DataFrame({
        "line": rows["__rn"].astype("int64").to_numpy() + 1, "field": field_of, "reason": reason,
        "detail": np.where(reason == "unknown_venue", rows["__venue"],
                           np.where(reason == "invalid_timestamp", rows[cols["timestamp"]].astype(str), None)),
    })
    originals = [c for c in suspects.columns if not c.startswith("__") and c != "vidx"]
    cells = rows[originals].reset_index(drop=True).astype(object)
    cells[cols["person"]] = [_pseudonym(salt, p) if p else "" for p in rows["__person"]]
    rejected = pd.concat([rejected, cells.where(cells.notna(), None)], axis=1)
    return recovered, rejected.sort_values("line", ignore_index=True)


def _pseudonym(salt: str, person: str) -> str:
    import hashlib

    return hashlib.sha256((salt + person).encode()).hexdigest()[:16]


def _staff_roles(roles: pl.Series) -> dict[str, bool]:
    staff = {fold(r) for r in resources.load_toml("thresholds.toml")["scans"]["staff_roles"]}
    return {str(v): fold(v) in staff for v in roles.unique().drop_nulls().to_list()}


def aggregate(parsed: Parsed, venues: pl.DataFrame) -> pl.DataFrame:
    """Per venue and day: counts, distinct people, and where the phones were.

    ``venues`` holds ``venue_id``, ``lat`` and ``lon`` in venue-index order.
    """
    spec = resources.load_toml("thresholds.toml")["scans"]
    far, jump, window = float(spec["far_m"]), float(spec["jump_m"]), int(spec["jump_window_s"])
    staff_values = [r for r, is_staff in parsed.roles.items() if is_staff]
    good = parsed.good.with_columns(
        day=(pl.col("t") // 86400).cast(pl.Int32),
        staff=pl.col("role").cast(pl.String).is_in(staff_values),
    ).drop("role")
    parts = []
    for day in good["day"].unique().sort().to_list():  # one day at a time keeps memory flat
        part = good.filter(pl.col("day") == day)
        parts.append(part.group_by("vidx").agg(
            day=pl.lit(day, pl.Int32), scans=pl.len(), staff_scans=pl.col("staff").sum(),
            persons=pl.col("pkey").n_unique(), staff_persons=pl.col("pkey").filter(pl.col("staff")).n_unique(),
            gps_scans=pl.col("dist").count(), near_scans=(pl.col("dist") <= far).sum(),
            far_scans=(pl.col("dist") > far).sum(),
            far_dist_m=pl.col("dist").filter(pl.col("dist") > far).mean(),
            far_dlat=pl.col("dlat").mean(), far_dlon=pl.col("dlon").mean(),
        ))
    daily = pl.concat(parts) if parts else pl.DataFrame()
    jumps = _jumps(good, far, jump, window)
    daily = daily.join(jumps, on=["vidx", "day"], how="left").with_columns(pl.col("jump_scans").fill_null(0))
    registered = venues.select(pl.col("venue_id"), pl.col("lat").alias("vlat"), pl.col("lon").alias("vlon"))
    daily = pl.concat([daily, registered[daily["vidx"]]], how="horizontal")
    return daily.with_columns(
        day=pl.from_epoch(pl.col("day").cast(pl.Int64) * 86400, time_unit="s").dt.strftime("%Y-%m-%d"),
        far_dist_m=pl.col("far_dist_m").round(0),
        far_lat=(pl.col("vlat") + pl.col("far_dlat") / 1e4).round(6),
        far_lon=(pl.col("vlon") + pl.col("far_dlon") / 1e4).round(6),
    ).drop("vidx", "vlat", "vlon", "far_dlat", "far_dlon").sort("venue_id", "day")


def _jumps(good: pl.DataFrame, far: float, jump: float, window: int) -> pl.DataFrame:
    """Count scans far away (beyond ``jump``) with a scan at the registered point within ``window`` s."""
    distant = good.filter(pl.col("dist") > jump).select("vidx", "day", "t").sort("t")
    empty = pl.DataFrame(schema={"vidx": pl.Int32, "day": pl.Int32, "jump_scans": pl.UInt32})
    if distant.height == 0:
        return empty
    near = (good.filter(pl.col("dist") <= far).join(distant.select("vidx").unique(), on="vidx", how="semi")
            .select("vidx", pl.col("t").alias("near_t")).sort("near_t"))
    matched = distant.join_asof(near, left_on="t", right_on="near_t", by="vidx", strategy="nearest",
                                tolerance=window, check_sortedness=False)
    found = matched.filter(pl.col("near_t").is_not_null())
    if found.height == 0:
        return empty
    return found.group_by("vidx", "day").agg(jump_scans=pl.len().cast(pl.UInt32))


def _offset(position: str, registered: str, far_m: float) -> pl.Expr:
    """A far scan's offset from the registered point in 1e-4 degrees (Int16; null when not far)."""
    step = (pl.col(position) - pl.col(registered)) * 1e4
    return pl.when(pl.col("__dist") > far_m).then(step.round().clip(-32767, 32767).cast(pl.Int16))


def _number(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.strip_chars().str.replace(",", ".", literal=True).cast(
        pl.Float64, strict=False)


def _haversine(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    dlat = (lat2 - lat1).radians()
    dlon = (lon2 - lon1).radians()
    a = (dlat / 2).sin() ** 2 + lat1.radians().cos() * lat2.radians().cos() * (dlon / 2).sin() ** 2
    return 2 * EARTH_RADIUS_M * a.sqrt().arcsin()
