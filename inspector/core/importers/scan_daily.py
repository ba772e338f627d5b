"""Per-venue-day aggregates of the compact scans that :mod:`scan_frame` parsed."""

from __future__ import annotations

import datetime as dt

import polars as pl

from inspector.core import resources
from inspector.core.importers.scan_frame import Parsed


def aggregate(parsed: Parsed, venues: pl.DataFrame) -> pl.DataFrame:
    """Per venue and day: counts, distinct people, and where the phones were.

    ``venues`` holds ``venue_id``, ``lat`` and ``lon`` in venue-index order. The compact scans
    (``parsed.good``) are used up: cleared once read, so that their memory is free for the result.
    """
    spec = resources.load_toml("thresholds.toml")["scans"]
    far, jump, window = float(spec["far_m"]), float(spec["jump_m"]), int(spec["jump_window_s"])
    staff_values = [r for r, is_staff in parsed.roles.items() if is_staff]
    good = parsed.good
    days = good.lazy().select((pl.col("t") // 86400).unique()).collect(engine="streaming")["t"].sort()
    registered = venues.select(pl.col("venue_id"), pl.col("lat").alias("vlat"), pl.col("lon").alias("vlon"))
    jumps = _jumps(good, far, jump, window, registered)
    parts = []
    # A day at a time keeps memory flat (no column is added to every scan), and each day's rows are
    # finished here, so that nothing but the final order copies the whole result; with no scans at
    # all, one empty day gives the empty result its columns.
    for day in days.to_list() or [0]:
        part = good.filter(pl.col("t").is_between(day * 86400, day * 86400 + 86399)).with_columns(
            staff=pl.col("role").cast(pl.String).is_in(staff_values), far=pl.col("dist") > far)
        staff = part.filter(pl.col("staff")).group_by("vidx").agg(staff_persons=pl.col("pkey").n_unique())
        rows = part.group_by("vidx").agg(
            scans=pl.len(), staff_scans=pl.col("staff").sum(),
            persons=pl.col("pkey").n_unique(), gps_scans=pl.col("dist").count(),
            near_scans=(~pl.col("far")).sum(), far_scans=pl.col("far").sum(),
            far_dist_m=pl.when(pl.col("far")).then(pl.col("dist")).mean(),
            far_dlat=pl.col("dlat").mean(), far_dlon=pl.col("dlon").mean(),
        ).join(staff, on="vidx", how="left").with_columns(pl.col("staff_persons").fill_null(0))
        rows = rows.join(jumps.filter(pl.col("day") == day).drop("day"), on="vidx", how="left")
        date = dt.date(1970, 1, 1) + dt.timedelta(days=day)
        parts.append(pl.concat([rows, registered[rows["vidx"]]], how="horizontal").select(
            "vidx", pl.lit(date.isoformat()).alias("day"), *_COUNTS, pl.col("far_dist_m").round(0),
            "staff_persons", pl.col("jump_scans").fill_null(0), "jump_lat", "jump_lon", "venue_id",
            far_lat=(pl.col("vlat") + pl.col("far_dlat") / 1e4).round(6),
            far_lon=(pl.col("vlon") + pl.col("far_dlon") / 1e4).round(6)))
    del good
    parsed.good = parsed.good.clear()  # ten million compact rows are no longer needed
    return _ordered(pl.concat(parts))


def _ordered(daily: pl.DataFrame) -> pl.DataFrame:
    """Rows in day order put in venue and day order (vidx follows venue_id), without ``vidx``.

    A column at a time, each dropped once copied: sorting the frame held it about twice over
    (120 MB more at the peak of a 10-million-scan import, for the same time).
    """
    order = daily.select(pl.arg_sort_by("vidx", maintain_order=True)).to_series()  # stable: days stay in order
    daily = daily.drop("vidx")
    columns = []
    for name in daily.columns:
        columns.append(daily[name].rechunk().gather(order))  # one piece per day: gathering from one is faster
        daily = daily.drop(name)
    return pl.DataFrame(columns)


#: the counts of a venue-day, in the order of the result's columns
_COUNTS = ("scans", "staff_scans", "persons", "gps_scans", "near_scans", "far_scans")


def _jumps(good: pl.DataFrame, far: float, jump: float, window: int, registered: pl.DataFrame) -> pl.DataFrame:
    """Count scans far away (beyond ``jump``) with a scan at the registered point within ``window`` s.

    Also their centre (``jump_lat``, ``jump_lon``), worked out here on the few venue-days with jumps
    (``registered``: the venues' points in venue-index order) rather than over every venue-day.
    """
    # Filters pick their columns first: a filter of the whole frame would copy all its columns.
    distant = good.select("vidx", "t", "dist", "dlat", "dlon").filter(pl.col("dist") > jump).select(
        "vidx", (pl.col("t") // 86400).cast(pl.Int32).alias("day"), "t", "dlat", "dlon").sort("t")
    empty = pl.DataFrame(schema={"vidx": pl.Int32, "day": pl.Int32, "jump_scans": pl.UInt32,
                                 "jump_lat": pl.Float64, "jump_lon": pl.Float64})
    if distant.height == 0:
        return empty
    near = (good.select("vidx", "t", "dist")
            .filter((pl.col("dist") <= far) & pl.col("vidx").is_in(distant["vidx"].unique().implode()))
            .select("vidx", pl.col("t").alias("near_t")).sort("near_t"))
    matched = distant.join_asof(near, left_on="t", right_on="near_t", by="vidx", strategy="nearest",
                                tolerance=window, check_sortedness=False)
    found = matched.filter(pl.col("near_t").is_not_null())
    if found.height == 0:
        return empty
    centres = found.group_by("vidx", "day").agg(jump_scans=pl.len().cast(pl.UInt32),
                                                jump_dlat=pl.col("dlat").mean(), jump_dlon=pl.col("dlon").mean())
    point = registered[centres["vidx"]]
    return centres.with_columns(jump_lat=(point["vlat"] + centres["jump_dlat"] / 1e4).round(6),
                                jump_lon=(point["vlon"] + centres["jump_dlon"] / 1e4).round(6)).drop(
        "jump_dlat", "jump_dlon")


def spans(good: pl.DataFrame) -> dict[str, list[int]]:
    """Per day (``YYYY-MM-DD``), the first and last scan as seconds after local midnight."""
    frame = good.lazy().group_by(day=pl.col("t") // 86400).agg(
        first=pl.col("t").min() % 86400, last=pl.col("t").max() % 86400,
    ).with_columns(pl.from_epoch(pl.col("day").cast(pl.Int64) * 86400, time_unit="s").dt.strftime("%Y-%m-%d"))
    return {day: [int(first), int(last)] for day, first, last in frame.collect().iter_rows()}


def continued_days(new: dict[str, list[int]], earlier: dict[str, list[list[int]]]) -> set[str]:
    """Days this file continues rather than replaces.

    Its scans of such a day all come before or after (touching allowed) those of every earlier file
    with that day: a log cut into parts at some row, each part its own file. A file whose time span of a
    day overlaps an earlier one's is a new edition of that day (a re-export, a correction) and
    replaces it. ``earlier[day]`` lists the spans of the files behind the workspace's figures of
    ``day`` (``[0, 86399]`` when an older workspace did not record them).
    """
    return {day for day, (first, last) in new.items()
            if day in earlier and all(last <= start or first >= end for start, end in earlier[day])}


#: figures :func:`combined` averages weighted by the scans behind them
AVERAGED = ("far_dist_m", "far_lat", "far_lon", "jump_lat", "jump_lon")


def combined(new: pl.DataFrame, old: pl.DataFrame) -> pl.DataFrame:
    """Venue-day figures of two parts of one day's log added together (rows of ``new``'s schema).

    Counts add up. People are counted once per part, so someone scanning before and after the cut
    counts twice; for staff, who scan all day, the larger part's count is taken instead. The far
    centre and distance are averaged weighted by the far scans, the jumps' centre by the jumps.
    """
    far = pl.col("far_scans")

    def weighted(name: str, by: pl.Expr = far) -> pl.Expr:
        return pl.when(by.sum() > 0).then((pl.col(name).fill_null(0) * by).sum() / by.sum())

    old = old.join(new.select("venue_id", "day"), on=["venue_id", "day"], how="semi")
    both = pl.concat([old.select(new.columns), new], how="vertical_relaxed")
    summed = ("scans", "staff_scans", "persons", "gps_scans", "near_scans", "far_scans", "jump_scans")
    return both.group_by("venue_id", "day", maintain_order=True).agg(
        *(pl.col(c).sum() for c in summed), pl.col("staff_persons").max(),
        *(weighted(c) for c in ("far_dist_m", "far_lat", "far_lon")),
        *(weighted(c, pl.col("jump_scans")) for c in ("jump_lat", "jump_lon")),
        *(pl.col(c).last() for c in new.columns if c not in (*summed, *AVERAGED, "venue_id", "day", "staff_persons")),
    ).select(new.columns).cast(new.schema).with_columns(  # rounded as :func:`aggregate` rounds them
        pl.col("far_dist_m").round(0), *(pl.col(c).round(6) for c in AVERAGED if c != "far_dist_m"))
