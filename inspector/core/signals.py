"""Signs of violation per venue over a period, each with the numbers behind it, and a risk score.

Signal codes: ``no_scans``, ``low_participation``, ``sudden_drop``, ``location_mismatch``,
``outside_declared_ward``, ``cloned_board``, ``staff_not_scanning``, ``citizen_reports``.
Thresholds and weights are in ``resources/thresholds.toml``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from inspector.core import resources
from inspector.core.errors import Progress
from inspector.core.io.timestamps import LOCAL
from inspector.core.progress import report
from inspector.core.risk import risk
from inspector.core.venue_metrics import counted_days_mask, days_off, venue_metrics
from inspector.core.workspace import Workspace

SIGNALS = (
    "no_scans", "low_participation", "sudden_drop", "location_mismatch", "outside_declared_ward",
    "cloned_board", "staff_not_scanning", "citizen_reports",
)
#: signals judged on scans: none of them is raised before a workspace holds any scan at all
SCAN_SIGNALS = ("no_scans", "low_participation", "sudden_drop", "location_mismatch", "cloned_board",
                "staff_not_scanning")


@dataclass
class Assessment:
    """Signals of one period: per-venue metrics, the signals found, and risk per venue."""

    period: tuple[dt.date, dt.date]
    metrics: pd.DataFrame  #: one row per venue, the numbers signals are judged on
    signals: pd.DataFrame  #: venue_id, signal, since, evidence (dict)
    risk: pd.DataFrame  #: venue_id, risk (0-100), n_signals, signals (comma-separated codes)


def assess(
    workspace: Workspace, period: tuple[dt.date, dt.date] | None = None, *,
    progress: Progress | None = None,
) -> Assessment:
    """Compute every venue's signals over ``period`` (default: :func:`default_period`).

    Parameters
    ----------
    workspace
        The workspace to read.
    period
        First and last day, inclusive.
    progress
        ``progress(done, total)``; may raise :class:`~inspector.core.errors.Cancelled`.
    """
    spec = resources.load_toml("thresholds.toml")
    report(progress, 0, 4)
    columns = ("SELECT venue_id, day, scans, staff_scans, staff_persons, gps_scans, far_scans, far_dist_m, "
               "far_lat, far_lon, jump_scans, jump_lat, jump_lon FROM scan_daily")
    if period is None:  # every day is read anyway: the period comes from them (the days outside it are left
        daily = workspace.arrow(columns)  # out where read: a copy of the rest would take a million rows a second)
        has_scans = daily.num_rows > 0
        period = default_period(workspace, daily, float(spec["signals"]["partial_day_share"]))
    else:
        daily = workspace.arrow(columns + " WHERE day BETWEEN ? AND ?", (period[0].isoformat(), period[1].isoformat()))
        has_scans = workspace.period()[0] is not None
    start, end = period
    venues = workspace.arrow(
        "SELECT v.venue_id, v.category, v.staff, v.capacity, v.status, v.registered_on, v.ward_code, "
        "v.declared_ward_code, v.location_flag, v.lat, v.lon, u.parent_code AS district_code FROM venues v "
        "LEFT JOIN admin_units u ON u.code = v.ward_code"
    )
    reports = workspace.arrow(
        "SELECT venue_id, kind, datetime(reported_at, ?) AS reported_at, description FROM citizen_reports "
        "WHERE venue_id IS NOT NULL AND date(reported_at, ?) BETWEEN ? AND ?",
        (LOCAL, LOCAL, start.isoformat(), end.isoformat()),
    )
    report(progress, 1, 4)
    if venues.num_rows == 0:  # a new workspace: nothing to judge yet
        ids = pd.Series([], dtype=object, name="venue_id")
        return Assessment(period, pd.DataFrame({"venue_id": ids, "scans": pd.Series([], dtype=float)}),
                          pd.DataFrame(columns=["venue_id", "signal", "since", "evidence"]),
                          risk(ids, pd.DataFrame(), spec["signals"]["weights"]))
    metrics = venue_metrics(venues, daily, reports, start, end, spec)
    report(progress, 2, 4)
    signals = _signals(metrics, spec["signals"], start, end)
    recent_days = min(int(spec["signals"]["recent_days"]), (end - start).days + 1)
    signals = _date_drops(signals, daily, period, end - dt.timedelta(days=recent_days - 1),
                          set(metrics.loc[metrics["working_days"].astype(bool), "venue_id"]), days_off(start, end))
    if not has_scans:  # no scan imported yet: a missing scan log is no sign of anything
        signals = signals[~signals["signal"].isin(SCAN_SIGNALS)].reset_index(drop=True)
    report(progress, 3, 4)
    scores = risk(metrics["venue_id"], signals, spec["signals"]["weights"])
    report(progress, 4, 4)
    return Assessment(period, metrics, signals, scores)


def default_period(workspace: Workspace, daily: pa.Table, partial_share: float) -> tuple[dt.date, dt.date]:
    """The days judged when none are chosen, from ``daily`` (``day`` and ``scans`` of every venue-day).

    The days with scans, less a partial first or last day (a province total below
    ``partial_share`` of the median day's, as when a log ends mid-morning): judged as a whole
    day, it would make quiet venues look silent. Without scans, the days with citizen reports;
    without either, today.
    """
    totals = daily.group_by("day").aggregate([("scans", "sum")]).sort_by("day").to_pandas()
    if not totals.empty:
        whole = np.flatnonzero(totals["scans_sum"].to_numpy() >= partial_share * totals["scans_sum"].median())
        days = totals["day"].iloc[[whole[0], whole[-1]]]
    else:
        days = workspace.query("SELECT min(date(reported_at, ?)) AS d FROM citizen_reports UNION ALL "
                               "SELECT max(date(reported_at, ?)) FROM citizen_reports", (LOCAL, LOCAL))["d"].dropna()
    if days.empty:
        today = dt.date.today()
        return today, today
    return dt.date.fromisoformat(days.iloc[0]), dt.date.fromisoformat(days.iloc[-1])


def _signals(m: pd.DataFrame, spec: dict, start: dt.date, end: dt.date) -> pd.DataFrame:
    active = (m["status"].fillna("active") == "active").to_numpy()
    out: list[pd.DataFrame] = []
    p_value = spec["p_value"]

    days = m["days"].to_numpy()
    judged = days > 0  # a venue registered after the period has no day to be judged on by its scans

    def add(code: str, mask: Any, since: Any, evidence: dict[str, Any]) -> None:
        mask = np.asarray(mask, dtype=bool) & active & (judged | (code not in SCAN_SIGNALS))
        if not mask.any():
            return
        frame = pd.DataFrame({"venue_id": m["venue_id"][mask].to_numpy(), "signal": code})
        since = pd.Series(since, index=m.index)[mask]
        frame["since"] = [None if pd.isna(s) else pd.Timestamp(s).date().isoformat() for s in since]
        cols = {k: (pd.Series(v, index=m.index)[mask].to_numpy()) for k, v in evidence.items()}
        frame["evidence"] = [{k: _plain(cols[k][i]) for k in cols} for i in range(int(mask.sum()))]
        out.append(frame)

    per_day = np.maximum(days, 1)
    first_day = pd.to_datetime(m["first_day"])
    peer_scans = m["peer_scans_per_day"].to_numpy(float)

    # silence and drops are judged on the days that count: an agency's working days, any other
    # venue's days but the public holidays it had no scan on (see venue_metrics._counted_days)
    per = np.where(m["working_days"].to_numpy(bool), "workday", "day")
    silent = m["silent_counted_days"].to_numpy()
    active_days = np.maximum(m["counted_days"].to_numpy() - silent, 1)
    # its own rate before it fell silent; its peers' rate (a day, made a day that counts) when it never scanned
    peer_rate = np.nan_to_num(peer_scans) * days / np.maximum(m["counted_days"].to_numpy(), 1)
    rate = np.where(m["scans"] > 0, m["counted_scans"] / active_days, peer_rate)
    no_scans = (silent >= spec["no_scans_days"]) & (np.exp(-rate * silent) < p_value)
    first_silent = pd.to_datetime(m["last_day"]) + pd.Timedelta(days=1)
    add("no_scans", no_scans, first_silent.fillna(first_day), {
        "days_without_scans": m["days_without_scans"], "last_scan_day": m["last_day"],
        "expected_per_day": np.round(rate, 2), "per": per})

    expected = m["expected_visitors_per_day"].to_numpy() * per_day
    observed = m["visitor_scans"].to_numpy()
    ratio = np.where(expected > 0, observed / np.where(expected > 0, expected, 1), np.nan)
    low = ~no_scans & (ratio < spec["low_participation_ratio"])
    low &= _poisson_low(observed, expected, low) < p_value
    add("low_participation", low, first_day, {
        "visitor_scans_per_day": np.round(observed / per_day, 2), "expected_per_day": np.round(expected / per_day, 2),
        "ratio": np.round(ratio, 3)})

    recent_days = int(m["recent_days"].iloc[0]) if len(m) else 1
    long_enough = days >= 2 * recent_days  # judged long enough before its last days
    if long_enough.any():
        recent_n = m["recent_counted_days"].to_numpy()
        recent = m["recent_counted_scans"].to_numpy()
        before = (m["counted_scans"].to_numpy() - recent) / np.maximum(m["counted_days"].to_numpy() - recent_n, 1)
        drop = long_enough & (recent_n >= spec["drop_min_days"]) & ~no_scans
        drop &= recent < spec["drop_ratio"] * before * recent_n
        drop &= _poisson_low(recent, before * recent_n, drop) < p_value
        recent_rate = recent / np.maximum(recent_n, 1)
        add("sudden_drop", drop, pd.Timestamp(end) - pd.Timedelta(days=recent_days - 1), {
            "before_per_day": np.round(before, 2), "recent_per_day": np.round(recent_rate, 2),
            "drop_share": np.round(1 - recent_rate / np.where(before > 0, before, np.nan), 3), "per": per})

    gps = m["gps_scans"].where(m["gps_scans"] > 0)
    far_share = (m["far_scans"] / gps).to_numpy()
    far_km = _km(m["lat"], m["lon"], m["far_lat"], m["far_lon"])
    # Stray fixes (a phone's few positions kilometres off) come to a small share of a venue's scans
    # and lie in every direction, so their centre stays near the point: a second place needs both
    # a share of the scans and a centre far away.
    jump_share = (m["jump_scans"] / gps).to_numpy()
    # the second place is where the jumps were (the centre of every far scan, for days imported before
    # that was recorded, also holds the usual scatter around the venue and so comes out nearer)
    jump_km = _km(m["lat"], m["lon"], m["jump_lat"], m["jump_lon"])
    second_km = np.where(np.isnan(jump_km), far_km, jump_km)
    jumps = ((m["jump_scans"] >= spec["clone_min_jumps"]).to_numpy() & (jump_share >= spec["clone_min_share"])
             & (second_km >= spec["clone_km"]))
    two_places = ((m["far_scans"] >= spec["clone_min_far"]) & (far_km >= spec["clone_km"])
                  & (1 - far_share >= spec["clone_near_share"])).to_numpy() & (
        far_share * far_km >= spec["clone_min_offset_km"])
    clone = jumps | two_places
    add("cloned_board", clone, m["first_jump_day"], {
        "jump_scans": m["jump_scans"], "jump_share": np.round(jump_share, 3),
        "second_place_km": np.round(np.where(jumps, second_km, far_km), 1), "far_share": np.round(far_share, 3)})

    mismatch = ~clone & (m["gps_scans"] >= spec["mismatch_min_gps"]).to_numpy() & (
        far_share >= spec["mismatch_far_share"])
    add("location_mismatch", mismatch, first_day, {
        "far_dist_m": m["far_dist_m"].round(0), "far_share": np.round(far_share, 3),
        "far_lat": m["far_lat"].round(6), "far_lon": m["far_lon"].round(6), "gps_scans": m["gps_scans"]})

    outside = m["location_flag"].isin(["outside_declared", "outside_province"])
    add("outside_declared_ward", outside, None, {
        "declared_ward_code": m["declared_ward_code"], "ward_code": m["ward_code"], "flag": m["location_flag"]})

    staff = m["staff"].astype(float).to_numpy()
    counted = m["working_days"].to_numpy() & (np.nan_to_num(staff) >= spec["staff_min"]) & ~no_scans

    def few_staff(per_workday: pd.Series, workdays: Any) -> tuple[np.ndarray, np.ndarray]:
        """Venues whose scanning staff per working day are improbably below the threshold share."""
        ratio = np.where(staff > 0, per_workday / np.where(staff > 0, staff, 1), np.nan)
        few = counted & (ratio < spec["staff_ratio"])
        expected = np.nan_to_num(staff) * workdays * spec["staff_ratio"]
        return few & (_poisson_low(per_workday.to_numpy() * workdays, expected, few) < p_value), ratio

    # over the days judged, or (as for a sudden drop) over the last days when staff stopped late;
    # the evidence's ratio is the one that raised the signal
    lazy, staff_ratio = few_staff(m["staff_per_workday"], m["workdays"].to_numpy())
    recent_start = pd.Timestamp(end) - pd.Timedelta(days=recent_days - 1)
    lately, recent_ratio = few_staff(m["staff_per_recent_workday"], m["recent_workdays"].to_numpy())
    lately &= long_enough
    add("staff_not_scanning", lazy | lately, np.where(lazy, first_day, recent_start), {
        "staff": m["staff"], "staff_scanning_per_workday": m["staff_per_workday"].round(2),
        "ratio": np.round(np.where(lazy, staff_ratio, recent_ratio), 3),
        "judged_on": np.where(lazy, "period", "recent"),
        "recent_staff_scanning_per_workday": m["staff_per_recent_workday"].round(2)})

    reported = m["reports"] >= spec["reports_min"]
    add("citizen_reports", reported, m["first_report"], {
        "reports": m["reports"], "kinds": m["report_kinds"], "last_at": m["last_report"],
        "last_text": m["last_report_text"]})

    if not out:
        return pd.DataFrame(columns=["venue_id", "signal", "since", "evidence"])
    return pd.concat(out, ignore_index=True).sort_values(["venue_id", "signal"], ignore_index=True)


def _poisson_low(observed: np.ndarray, expected: np.ndarray, where: np.ndarray) -> np.ndarray:
    """P(X <= observed) for X ~ Poisson(expected), computed where ``where`` holds (1 elsewhere)."""
    out = np.ones(len(observed))
    rows = np.flatnonzero(where)
    if not len(rows):
        return out
    kmax = int(np.max(observed[rows]))
    log_factorial = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, kmax + 1)))])
    for i in rows:
        lam, k = float(expected[i]), int(observed[i])
        if lam <= 0:
            continue
        out[i] = float(np.exp(-lam + np.arange(k + 1) * math.log(lam) - log_factorial[:k + 1]).sum())
    return out


def _km(lat1: pd.Series, lon1: pd.Series, lat2: pd.Series, lon2: pd.Series) -> np.ndarray:
    from inspector.core.geo import haversine_m

    return haversine_m(lon1.to_numpy(float), lat1.to_numpy(float), lon2.to_numpy(float), lat2.to_numpy(float)) / 1000


def _date_drops(signals: pd.DataFrame, daily: Any, period: tuple[dt.date, dt.date], recent_start: dt.date,
                workday_venues: set[str], holidays: list[dt.date]) -> pd.DataFrame:
    """Date each sudden drop at the day that best splits the venue's series into before and after.

    Its evidence's ``before_per_day`` becomes the average of the days before the drop (or before
    the last days, ``recent_start``, when that is earlier), not of every day before the last days:
    a drop dated earlier would otherwise count its own low days as "before". It is no lower than
    the average the signal was judged on, so the evidence still shows a drop beyond the threshold.
    Only the days that count are counted, as the drop was judged on (see
    :func:`~inspector.core.venue_metrics.counted_days_mask`; ``workday_venues`` are the agencies).
    ``daily`` may hold days outside ``period``.
    """
    drops = signals.index[signals["signal"] == "sudden_drop"]
    if len(drops) == 0:
        return signals
    wanted = signals.loc[drops, "venue_id"].to_numpy()
    day = daily.column("day")
    rows = pc.and_(pc.is_in(daily.column("venue_id"), value_set=pa.array(wanted, pa.string())),
                   pc.and_(pc.greater_equal(day, period[0].isoformat()), pc.less_equal(day, period[1].isoformat())))
    frame = daily.select(["venue_id", "day", "scans"]).filter(rows).to_pandas()
    days = pd.date_range(frame["day"].min(), frame["day"].max(), freq="D").strftime("%Y-%m-%d")
    series = frame.pivot_table(index="venue_id", columns="day", values="scans", aggfunc="sum")
    series = series.reindex(index=wanted, columns=days).fillna(0).to_numpy(dtype=float)
    n = series.shape[1]
    if n < 6:
        return signals
    counts = counted_days_mask(np.asarray(days, dtype="datetime64[D]"), np.isin(wanted, list(workday_venues)),
                               series > 0, holidays).astype(float)  # 1 for a day that counts
    series = series * counts
    running, counted = np.cumsum(series, axis=1), np.cumsum(counts, axis=1)
    split = np.arange(3, n - 2)  # at least three days on each side
    left, left_n = running[:, split - 1], counted[:, split - 1]
    right_n = counted[:, -1:] - left_n
    gap = left / np.maximum(left_n, 1) - (running[:, -1:] - left) / np.maximum(right_n, 1)
    gap[(left_n == 0) | (right_n == 0)] = -np.inf
    rows = np.arange(len(wanted))
    # the first day that counts from the best split (a Monday, not the weekend before it)
    next_counted = np.minimum.accumulate(np.where(counts > 0, np.arange(n), n - 1)[:, ::-1], axis=1)[:, ::-1]
    best = next_counted[rows, split[np.argmax(gap, axis=1)]]
    signals.loc[drops, "since"] = np.asarray(days)[best]
    cut = np.minimum(best, max(int(np.searchsorted(np.asarray(days), recent_start.isoformat())), 1))
    opened = np.minimum((series > 0).argmax(axis=1), cut - 1)  # from the first day with scans (a late registration)
    before_n = counted[rows, cut - 1] - np.where(opened > 0, counted[rows, np.maximum(opened - 1, 0)], 0)
    before = running[rows, cut - 1] / np.maximum(before_n, 1)
    evidence = []
    for e, b in zip(signals.loc[drops, "evidence"], before, strict=True):
        recent = e["recent_per_day"]
        evidence.append({**e, "before_per_day": round(float(b), 2),
                         "drop_share": round(1 - recent / b, 3) if b > 0 else None})
    signals.loc[drops, "evidence"] = pd.Series(evidence, index=drops)
    return signals


def _plain(value: Any) -> Any:
    """Evidence values as JSON-friendly Python scalars."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()[:10]
    return value
