"""The demo scan log: Poisson visitors and scanning staff per venue-day, written day by day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from inspector.core.errors import Progress
from inspector.core.progress import report
from inspector.core.venue_metrics import days_off
from inspector.demo.files import fixed_decimals
from inspector.demo.names import phone_pool
from inspector.demo.violations import M_PER_DEG, Planted

HEADER = b"timestamp,venue_id,phone,role,lat,lon\n"
_SCHEMA = pa.schema([(name, pa.string()) for name in HEADER.decode().strip().split(",")])
_ROLES = pa.array(["visitor", "staff"])


@dataclass(frozen=True)
class Persons:
    """The scanning population: phone strings grouped by home district."""

    phones: pa.Array       #: one string per person, persons of a district contiguous
    start: np.ndarray      #: first person of each district
    size: np.ndarray       #: persons per district
    cdf: np.ndarray        #: cumulative share of persons per district


def make_persons(rng: np.random.Generator, district_population: np.ndarray, per_resident: float) -> Persons:
    """Draw a fixed pool of ``per_resident`` x population phone numbers, by home district."""
    size = np.maximum(np.rint(district_population * per_resident).astype(np.int64), 1)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    return Persons(phone_pool(rng, int(size.sum())), start, size, np.cumsum(size) / size.sum())


def write_scans(path: Path, rng: np.random.Generator, venues: pd.DataFrame, planted: Planted,
                persons: Persons, venue_district: np.ndarray, categories: dict[str, dict[str, Any]],
                params: dict[str, Any], start: datetime.date, days: int, per_day: float | None,
                progress: Progress | None = None) -> int:
    """Generate the scans of every day and write ``scans.csv``; return the number of rows.

    Parameters
    ----------
    path
        Where to write.
    rng
        Random generator.
    venues
        Venue table (registered points already final).
    planted
        The planted violations.
    persons
        The phone-number pool.
    venue_district
        Per venue: index of its district in ``persons``.
    categories
        ``[category.*]`` tables of ``resources/demo.toml`` merged with ``categories.toml``.
    params
        The ``[scans]`` table of ``resources/demo.toml``.
    start, days
        The period.
    per_day
        Province total of scans per day to aim at (on average), by scaling every venue's visitors (and
        staff too only below what staff scan alone: see :func:`_aim_at`); ``None`` keeps the volumes
        of the category tables.
    progress
        Called with ``(day, days)`` after each day.
    """
    codes = list(categories)
    cat = np.asarray([codes.index(c) for c in venues["category"]])
    spec = [categories[c] for c in codes]
    week = np.array([s["week"] for s in spec], dtype=float)
    working = np.array([bool(s["working_days"]) for s in spec])
    cdf = np.array([_hour_cdf(s) for s in spec])
    n = len(venues)
    dates = [start + datetime.timedelta(days=d) for d in range(days)]
    dow = np.array([d.weekday() for d in dates])
    # agencies and schools close on public holidays (and for Tết) as on a Sunday; other venues open
    off = set(days_off(dates[0], dates[-1]))
    holiday = np.array([d in off for d in dates])
    weekly = week[cat[:, None], np.where(working[cat][:, None] & holiday[None, :], 6, dow[None, :])]
    kind, from_day = planted.kind, planted.from_day
    after = np.arange(days)[None, :] >= from_day[:, None]

    open_ = venues["active"].to_numpy(bool)[:, None] & (
        np.array(dates, dtype="datetime64[D]")[None, :] >= venues["registered"].to_numpy("datetime64[D]")[:, None])
    scale = open_ * np.where((kind == "no_board")[:, None] & after, 0.0, 1.0)
    scale *= np.where((kind == "unscannable")[:, None] & after, planted.factor[:, None], 1.0)
    participation = rng.beta(float(params["participation"][0]), float(params["participation"][1]), n)
    participation *= np.where(kind == "low_participation", planted.factor, 1.0)
    turnover = np.array([s["turnover"] for s in spec])[cat]
    daily = np.exp(rng.normal(0.0, params["daily_noise"], days))
    lam = (venues["capacity"].to_numpy(float) * turnover * participation)[:, None] * weekly * daily * scale
    staff_p = np.where(working[cat][:, None], params["staff_rate_working"] * weekly,
                       params["staff_rate_other"]) * scale
    staff_p *= np.where((kind == "staff_not_scanning")[:, None] & after, planted.factor[:, None], 1.0)
    staff = np.where(open_.any(axis=1), venues["staff"].to_numpy(np.int64), 0)
    # A cloned board is scanned at its second place by that place's own visitors, at their own rate.
    clone_lam = np.where((kind == "cloned_board")[:, None] & after, planted.clone_rate[:, None], 0.0) * (
        weekly * daily * open_)
    if per_day is not None:
        lam, clone_lam, staff_p = _aim_at(per_day * days, lam, clone_lam, staff, staff_p,
                                          1.0 + params["staff_second_share"])

    staff_venue = np.repeat(np.arange(n), staff)
    staff_person = _pick(rng, persons, venue_district[staff_venue], 1.0)
    base_lon = np.where(kind == "wrong_location", planted.alt_lon, venues["lon"].to_numpy(float))
    base_lat = np.where(kind == "wrong_location", planted.alt_lat, venues["lat"].to_numpy(float))
    shift_hour, shift_cum = _shifts(spec)
    second_lo, second_hi = (float(h) * 3600 for h in params["staff_second_after_h"])
    vid = pa.array(venues["venue_id"].to_numpy(str))

    total = 0
    with path.open("wb") as fh:
        fh.write(HEADER)
        writer = pacsv.CSVWriter(fh, _SCHEMA, write_options=pacsv.WriteOptions(
            include_header=False, quoting_style="none"))
        for d in range(days):
            vis = np.repeat(np.arange(n), rng.poisson(lam[:, d]))
            vis_person = _pick(rng, persons, venue_district[vis], params["local_share"])
            vis_sec = _sample_seconds(rng, cdf, cat[vis])
            on = np.flatnonzero(rng.random(len(staff_venue)) < staff_p[staff_venue, d])
            st_sec = _staff_seconds(rng, shift_hour[cat[staff_venue[on]]], shift_cum[cat[staff_venue[on]]],
                                    params["staff_spread_h"])
            # Some staff scan a second time, back from a break or an errand (never past midnight).
            later = st_sec + rng.uniform(second_lo, second_hi, len(on)).astype(np.int64)
            again = (rng.random(len(on)) < params["staff_second_share"]) & (later < 86400)
            on, st_sec = np.concatenate([on, on[again]]), np.concatenate([st_sec, later[again]])
            cl = np.repeat(np.arange(n), rng.poisson(clone_lam[:, d]))
            venue = np.concatenate([vis, staff_venue[on], cl])
            person = np.concatenate([vis_person, staff_person[on], _pick(rng, persons, venue_district[cl], 0.0)])
            second = np.concatenate([vis_sec, st_sec, _sample_seconds(rng, cdf, cat[cl])])
            role = np.concatenate([np.zeros(len(vis), np.int64), np.ones(len(on), np.int64),
                                   np.zeros(len(cl), np.int64)])
            clone = np.arange(len(venue)) >= len(vis) + len(on)
            lon = np.where(clone, planted.alt_lon[venue], base_lon[venue])
            lat = np.where(clone, planted.alt_lat[venue], base_lat[venue])
            lon, lat, missing = _gps(rng, lon, lat, params)
            # Stable order by time; unique keys let numpy's fast (unstable) sort give the same order.
            order = np.argsort(second * len(second) + np.arange(len(second)))
            stamps = np.datetime64(dates[d], "s") + second[order].astype("timedelta64[s]")
            writer.write_table(pa.table({
                "timestamp": pa.array(stamps).cast(pa.string()),
                "venue_id": vid.take(pa.array(venue[order])),
                "phone": persons.phones.take(pa.array(person[order])),
                "role": _ROLES.take(pa.array(role[order])),
                "lat": fixed_decimals(lat[order], missing[order]),
                "lon": fixed_decimals(lon[order], missing[order]),
            }, schema=_SCHEMA))
            total += len(order)
            report(progress, d + 1, days)
        writer.close()
    return total


def _aim_at(target: float, lam: np.ndarray, clone_lam: np.ndarray, staff: np.ndarray, staff_p: np.ndarray,
            per_staff: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scale visitor rates so that the expected total is ``target``, staff scanning as their workplace has them.

    Staff scan by the rules of their agency, whatever its number of visitors, and ``truth.csv`` says where
    they stopped: scaling them too would make every venue's staff look as if they had. Only a ``target``
    below what staff scan alone scales them, with the visitors, all alike (probabilities at most 1).
    """
    e_vis = float(lam.sum() + clone_lam.sum())
    e_staff = float((staff[:, None] * staff_p).sum()) * per_staff
    if e_vis + e_staff <= 0:
        return lam, clone_lam, staff_p
    if e_vis > 0 and target >= e_staff:
        return lam * ((target - e_staff) / e_vis), clone_lam * ((target - e_staff) / e_vis), staff_p
    staff_p = np.minimum(staff_p * target / (e_vis + e_staff), 1.0)
    e_staff = float((staff[:, None] * staff_p).sum()) * per_staff
    a = max(target - e_staff, 0.0) / e_vis if e_vis > 0 else 0.0
    return lam * a, clone_lam * a, staff_p


def _pick(rng: np.random.Generator, persons: Persons, district: np.ndarray, local: float) -> np.ndarray:
    """Pick a person per row: from ``district`` with probability ``local``, else from anywhere."""
    anywhere = np.searchsorted(persons.cdf, rng.random(len(district)), side="right")
    home = np.where(rng.random(len(district)) < local, district, np.minimum(anywhere, len(persons.cdf) - 1))
    return persons.start[home] + (rng.random(len(district)) * persons.size[home]).astype(np.int64)


def _staff_seconds(rng: np.random.Generator, hours: np.ndarray, cum: np.ndarray, spread_h: float) -> np.ndarray:
    """Second of day of each staff scan: a shift start (by the shares in ``cum``) plus noise."""
    shift = np.argmax(rng.random(len(hours))[:, None] < cum, axis=1)
    start = hours[np.arange(len(hours)), shift] * 3600
    return np.clip(start + rng.normal(0, spread_h * 3600, len(hours)), 0, 86399).astype(np.int64)


def _shifts(spec: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Shift start hours and cumulative shares per category, padded to the longest list."""
    width = max(len(s["shifts"]) for s in spec)
    hours = np.zeros((len(spec), width))
    cum = np.ones((len(spec), width))
    for c, s in enumerate(spec):
        h, w = np.array(s["shifts"], dtype=float).T
        hours[c, :len(h)] = h
        cum[c, :len(w)] = np.cumsum(w) / w.sum()
    return hours, cum


def _hour_cdf(spec: dict[str, Any]) -> np.ndarray:
    """Cumulative distribution of the minute of day of a visitor's scan."""
    t = (np.arange(1440) + 0.5) / 60
    dens = np.zeros(1440)
    for hour, sd, weight in spec["peaks"]:
        dens += weight * np.exp(-0.5 * ((t - hour) / sd) ** 2) / sd
    lo, hi = spec["open"]
    dens *= (t >= lo) & (t < hi)
    cdf = np.cumsum(dens)
    return cdf / cdf[-1]


def _sample_seconds(rng: np.random.Generator, cdf: np.ndarray, cat: np.ndarray) -> np.ndarray:
    u = rng.random(len(cat))
    minute = np.zeros(len(cat), dtype=np.int64)
    for c in range(len(cdf)):
        rows = cat == c
        minute[rows] = np.searchsorted(cdf[c], u[rows], side="right")
    return np.minimum(minute, 1439) * 60 + rng.integers(0, 60, len(cat))


def _gps(rng: np.random.Generator, lon: np.ndarray, lat: np.ndarray,
         params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Phone positions: Gaussian noise, a heavy tail, and no fix at all for some scans."""
    n = len(lon)
    dx = rng.normal(0, params["gps_sigma_m"], n)
    dy = rng.normal(0, params["gps_sigma_m"], n)
    tail = rng.random(n) < params["gps_tail_share"]
    radius = rng.uniform(float(params["gps_tail_m"][0]), float(params["gps_tail_m"][1]), n)
    bearing = rng.uniform(0, 2 * np.pi, n)
    dx = np.where(tail, radius * np.sin(bearing), dx)
    dy = np.where(tail, radius * np.cos(bearing), dy)
    missing = rng.random(n) < params["gps_missing"]
    return lon + dx / (M_PER_DEG * np.cos(np.deg2rad(lat))), lat + dy / M_PER_DEG, missing
