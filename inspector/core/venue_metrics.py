"""Per venue, the figures its signs of violation are judged on: days, rates, working days and peers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from inspector.core import vocab


def venue_metrics(venues: Any, daily: Any, reports: Any, start: dt.date, end: dt.date, spec: dict) -> pd.DataFrame:
    """Per venue, its figures over the days it is judged on, and the visitors its peers suggest.

    Parameters
    ----------
    venues, daily, reports
        Arrow tables of the venues, their per-day scan figures (days outside the period are left out) and the
        citizen reports.
    start, end
        The period.
    spec
        ``resources/thresholds.toml``.
    """
    m = _metrics(venues, daily, reports, start, end, spec, days_off(start, end))
    m["expected_visitors_per_day"] = _expected_visitors(m)
    return m


def days_off(start: dt.date, end: dt.date) -> list[dt.date]:
    """Viet Nam's public holidays from ``start`` to ``end``: no working day for staff scans.

    From the ``holidays`` package, which follows each year's decisions: the days off the Prime
    Minister sets for Tết, and those given in place of a holiday that falls on a weekend.
    """
    import holidays

    return sorted(d for d in holidays.country_holidays("VN", years=range(start.year, end.year + 1))
                  if start <= d <= end)


#: numpy's week masks: the days an agency works, and every day of the week
WORKING_WEEK, WHOLE_WEEK = "1111100", "1111111"


def _workdays(first: Any, last: dt.date, days_off: list[dt.date], week: str = WORKING_WEEK) -> Any:
    """Days of ``week`` less ``days_off`` (by default working days) from ``first`` (a date or dates) to ``last``."""
    first = np.asarray(first, dtype="datetime64[D]")
    last_plus = np.datetime64(last + dt.timedelta(days=1), "D")
    return np.busday_count(np.minimum(first, last_plus), last_plus, weekmask=week, holidays=days_off)


def _metrics(venues: Any, daily: Any, reports: Any, start: dt.date, end: dt.date, spec: dict,
             days_off: list[dt.date]) -> pd.DataFrame:
    """Per venue, its figures over the days it is judged on.

    Those run from the period's start, or from the venue's registration when later (or from its
    first scan, when it scanned before it was registered).
    """
    recent = min(int(spec["signals"]["recent_days"]), (end - start).days + 1)
    working = [c for c, s in vocab.categories().items() if s.get("working_days")]
    open_day = " AND ".join(f"d <> DATE '{d}'" for d in days_off) or "TRUE"
    workday = f"isodow(d) <= 5 AND {open_day}"
    con = duckdb.connect()
    try:
        con.register("venues", venues)
        con.register("daily", daily)
        con.register("reports", reports)
        m = con.execute(f"""
            WITH d AS (
                SELECT *, CAST(day AS DATE) AS d FROM daily WHERE day BETWEEN '{start}' AND '{end}'
            ), agg AS (
                SELECT venue_id, sum(scans) AS scans, sum(scans - staff_scans) AS visitor_scans,
                       min(d) AS first_scan_day, max(d) AS last_day,
                       sum(scans) FILTER (WHERE d > DATE '{end}' - {recent}) AS recent_scans,
                       sum(scans) FILTER (WHERE {workday}) AS workday_scans,
                       sum(scans) FILTER (WHERE {workday} AND d > DATE '{end}' - {recent}) AS recent_workday_scans,
                       count(*) FILTER (WHERE NOT ({open_day}) AND scans > 0) AS holidays_open,
                       count(*) FILTER (WHERE NOT ({open_day}) AND scans > 0 AND d > DATE '{end}' - {recent})
                           AS recent_holidays_open,
                       sum(staff_persons) FILTER (WHERE {workday}) AS workday_staff_persons,
                       sum(staff_persons) FILTER (WHERE {workday} AND d > DATE '{end}' - {recent})
                           AS recent_workday_staff_persons,
                       sum(gps_scans) AS gps_scans, sum(far_scans) AS far_scans,
                       sum(far_dist_m * far_scans) / nullif(sum(far_scans), 0) AS far_dist_m,
                       sum(far_lat * far_scans) / nullif(sum(far_scans), 0) AS far_lat,
                       sum(far_lon * far_scans) / nullif(sum(far_scans), 0) AS far_lon,
                       sum(jump_scans) AS jump_scans, min(d) FILTER (WHERE jump_scans > 0) AS first_jump_day,
                       sum(jump_lat * jump_scans) / nullif(sum(jump_scans) FILTER (WHERE jump_lat IS NOT NULL), 0)
                           AS jump_lat,
                       sum(jump_lon * jump_scans) / nullif(sum(jump_scans) FILTER (WHERE jump_lon IS NOT NULL), 0)
                           AS jump_lon
                FROM d GROUP BY venue_id
            ), rep AS (
                SELECT venue_id, count(*) AS reports, string_agg(DISTINCT kind, ',') AS report_kinds,
                       min(reported_at) AS first_report, max(reported_at) AS last_report,
                       arg_max(description, reported_at || description) AS last_report_text
                FROM reports GROUP BY venue_id
            ), m AS (
                SELECT v.*, coalesce(a.scans, 0) AS scans, coalesce(a.visitor_scans, 0) AS visitor_scans,
                       a.last_day, coalesce(a.recent_scans, 0) AS recent_scans,
                       coalesce(a.workday_scans, 0) AS workday_scans,
                       coalesce(a.recent_workday_scans, 0) AS recent_workday_scans,
                       coalesce(a.holidays_open, 0) AS holidays_open,
                       coalesce(a.recent_holidays_open, 0) AS recent_holidays_open,
                       coalesce(a.workday_staff_persons, 0) AS workday_staff_persons,
                       coalesce(a.recent_workday_staff_persons, 0) AS recent_workday_staff_persons,
                       coalesce(a.gps_scans, 0) AS gps_scans, coalesce(a.far_scans, 0) AS far_scans,
                       a.far_dist_m, a.far_lat, a.far_lon, coalesce(a.jump_scans, 0) AS jump_scans,
                       a.jump_lat, a.jump_lon,
                       a.first_jump_day, coalesce(r.reports, 0) AS reports, r.report_kinds,
                       r.first_report, r.last_report, r.last_report_text,
                       greatest(DATE '{start}', least(coalesce(CAST(v.registered_on AS DATE), DATE '{start}'),
                                                      coalesce(a.first_scan_day, CAST(v.registered_on AS DATE),
                                                               DATE '{start}'))) AS first_day,
                       v.category IN ({", ".join(f"'{c}'" for c in working) or "''"}) AS working_days
                FROM venues v LEFT JOIN agg a USING (venue_id) LEFT JOIN rep r USING (venue_id)
            )
            SELECT *, greatest(date_diff('day', first_day, DATE '{end}') + 1, 0) AS days
            FROM m ORDER BY venue_id
        """).df()
    finally:
        con.close()
    days = m["days"].to_numpy(float)
    per_day = np.where(days > 0, days, np.nan)
    m["days"] = m["days"].astype(int)
    m["recent_days"] = recent
    m["scans_per_day"] = m["scans"] / per_day
    m["days_without_scans"] = np.where(
        m["last_day"].isna(), m["days"],
        (pd.Timestamp(end) - pd.to_datetime(m["last_day"])).dt.days.fillna(0)).astype(int)
    first_day = m["first_day"].to_numpy(dtype="datetime64[D]")
    workdays = _workdays(first_day, end, days_off)
    m["workdays"] = workdays
    m["recent_workdays"] = _workdays(end - dt.timedelta(days=recent - 1), end, days_off)
    _counted_days(m, first_day, end, recent, days_off)
    m["staff_per_workday"] = m.pop("workday_staff_persons") / np.maximum(workdays, 1)
    m["staff_per_recent_workday"] = m.pop("recent_workday_staff_persons") / max(int(m["recent_workdays"].iloc[0])
                                                                                if len(m) else 1, 1)
    m["rate_per_capacity"] = m["visitor_scans"] / per_day / _capacity(m)
    _peers(m, spec["signals"])
    return m


def _counted_days(m: pd.DataFrame, first_day: np.ndarray, end: dt.date, recent: int, days_off: list[dt.date]) -> None:
    """Add the days a venue's silence and drop are judged on, and its scans on them (``counted_*``).

    An agency or a school (``working_days``) counts its working days; any other venue every day
    but the public holidays it was closed (no scan). A holiday, Tết, or an agency's weekend is then
    no silence, the days before and after a closure compare like with like, and a shop open for
    Tết is still judged on those days.
    """
    work = m["working_days"].to_numpy(bool)
    after_last = pd.to_datetime(m["last_day"]).to_numpy(dtype="datetime64[D]") + np.timedelta64(1, "D")
    recent_from = np.full(len(m), np.datetime64(end - dt.timedelta(days=recent - 1), "D"))
    starts = {"counted_days": first_day, "recent_counted_days": recent_from,
              "silent_counted_days": np.where(np.isnat(after_last), first_day, np.maximum(after_last, first_day))}
    for name, since in starts.items():
        m[name] = np.where(work, _workdays(since, end, days_off, WORKING_WEEK),
                           _workdays(since, end, days_off, WHOLE_WEEK))
    m["counted_days"] += np.where(work, 0, m.pop("holidays_open"))  # holidays after the last scan had none
    m["recent_counted_days"] += np.where(work, 0, m.pop("recent_holidays_open"))
    m["counted_scans"] = np.where(work, m.pop("workday_scans"), m["scans"])
    m["recent_counted_scans"] = np.where(work, m.pop("recent_workday_scans"), m["recent_scans"])


def counted_days_mask(dates: np.ndarray, working: np.ndarray, scanned: np.ndarray,
                      days_off: list[dt.date]) -> np.ndarray:
    """Per venue and day (``dates``), whether the day counts, as :func:`_counted_days` counts them.

    ``working`` marks the agencies and schools (one per row), ``scanned`` the venue-days with scans.
    """
    off = np.asarray(days_off, dtype="datetime64[D]")
    return np.where(working[:, None], np.is_busday(dates, weekmask=WORKING_WEEK, holidays=off),
                    np.is_busday(dates, weekmask=WHOLE_WEEK, holidays=off) | scanned)


def _peers(m: pd.DataFrame, spec: dict) -> None:
    """Add each venue's peer medians: visitor scans per unit of capacity, and scans a day.

    Peers are the other active venues of its category with scans, in its district when there are
    at least ``peer_min_count`` of them, else in the province (``peer_rate``, ``peer_scans_per_day``,
    ``peers``, ``peer_level``). A suspended venue, one that never scanned, or the venue itself would
    pull the median down towards the venue judged.
    """
    usable = ((m["status"].fillna("active") == "active") & (m["scans"] > 0) & (m["days"] > 0)).to_numpy()
    district = m["category"].astype(str) + "|" + m["district_code"].astype(str)  # (no district: one group)
    province = m["category"].astype(str)
    results = {}
    for level, groups in (("district", district), ("province", province)):
        for column in ("rate_per_capacity", "scans_per_day"):
            results[level, column] = _median_of_others(m[column].to_numpy(float), groups, usable)
    use_district = results["district", "rate_per_capacity"][1] >= spec["peer_min_count"]
    for column, name in (("rate_per_capacity", "peer_rate"), ("scans_per_day", "peer_scans_per_day")):
        m[name] = np.where(use_district, results["district", column][0], results["province", column][0])
    m["peers"] = np.where(use_district, results["district", "rate_per_capacity"][1],
                          results["province", "rate_per_capacity"][1])
    m["peer_level"] = np.where(use_district, "district", "province")


def _median_of_others(values: np.ndarray, groups: pd.Series, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the median of ``values`` over the ``usable`` rows of its group other than itself, and their count."""
    median = np.full(len(values), np.nan)
    count = np.zeros(len(values), dtype=int)
    for rows in groups.groupby(groups.to_numpy(), sort=False).indices.values():
        pool = np.sort(values[rows[usable[rows]]])
        n = len(pool)
        own = usable[rows]
        outsiders = rows[~own]
        count[outsiders] = n
        if n:
            median[outsiders] = np.median(pool)
        insiders = rows[own]
        count[insiders] = n - 1
        if n <= 1 or not len(insiders):
            continue
        rank = np.searchsorted(pool, values[insiders])  # leaving out any copy of a value leaves the same rest
        low, high = (n - 2) // 2, (n - 1) // 2  # the middle of the n - 1 others
        median[insiders] = (np.where(low < rank, pool[low], pool[low + 1])
                            + np.where(high < rank, pool[high], pool[high + 1])) / 2
    return median, count


def _expected_visitors(m: pd.DataFrame) -> np.ndarray:
    """Visitor scans a day expected of each venue from its peers (see :func:`_peers`) and its capacity."""
    return np.nan_to_num(m["peer_rate"].to_numpy(float)) * _capacity(m).to_numpy()


def _capacity(m: pd.DataFrame) -> pd.Series:
    """Each venue's capacity; when not given, the median of its category's (else 10), at least 1."""
    capacity = m["capacity"].astype(float)
    return capacity.fillna(capacity.groupby(m["category"]).transform("median")).fillna(10).clip(lower=1)
