"""Planted violations: which venues break the rules, how, from when (the demo's ground truth)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from inspector.demo import tiling

KINDS = ("no_board", "unscannable", "wrong_location", "cloned_board", "staff_not_scanning",
         "low_participation", "outside_declared_ward")
#: Kinds whose from_date may fall inside the period (the others hold from the start).
DATED = ("no_board", "unscannable", "cloned_board", "staff_not_scanning")
M_PER_DEG = 111_320.0


@dataclass(frozen=True)
class Planted:
    """Per-venue arrays (aligned with the venue table) describing the planted violations."""

    kind: np.ndarray      #: kind name, ``""`` for compliant venues
    from_day: np.ndarray  #: index of the first day affected
    factor: np.ndarray    #: multiplier for unscannable / staff_not_scanning / low_participation
    alt_lon: np.ndarray   #: where the phones are (wrong_location) or the clone is (cloned_board)
    alt_lat: np.ndarray
    clone_rate: np.ndarray  #: scans a day of a cloned board at its second place, by that place's visitors
    detail: np.ndarray    #: text for truth.csv

    def counts(self) -> dict[str, int]:
        """Count the venues per kind (every kind listed, in :data:`KINDS` order)."""
        return {k: int(np.count_nonzero(self.kind == k)) for k in KINDS}


def plant(rng: np.random.Generator, venues: pd.DataFrame, wards: gpd.GeoDataFrame,
          province: shapely.Geometry, working: np.ndarray, rates: dict[str, float],
          params: dict[str, Any], days: int) -> tuple[pd.DataFrame, Planted]:
    """Choose the violating venues and apply the static ones to the registry.

    Parameters
    ----------
    rng
        Random generator.
    venues
        Venue table from :func:`inspector.demo.venues.make_venues`.
    wards
        Ward layer (``outside_declared_ward`` moves points into a neighbouring ward).
    province
        Province polygon (cloned boards are placed inside it when possible).
    working
        Per venue: its category scans staff on working days.
    rates
        Probability per eligible active venue for each kind.
    params
        The ``[violations]`` table of ``resources/demo.toml``.
    days
        Length of the period.

    Returns
    -------
    venues, planted
        The registry (registered points of ``outside_declared_ward`` venues moved) and the plan.
    """
    n = len(venues)
    active = venues["active"].to_numpy(bool)
    prob = np.zeros((n, len(KINDS)))
    for k, name in enumerate(KINDS):
        prob[:, k] = rates[name] * active * (working if name == "staff_not_scanning" else 1.0)
    u = rng.random(n)
    cum = np.cumsum(prob, axis=1)
    pick = np.argmax(u[:, None] < cum, axis=1)
    kind = np.where(u < cum[:, -1], np.asarray(KINDS, dtype=object)[pick], "").astype(object)

    latest = max(0, (2 * days) // 3)
    later = rng.integers(1, latest + 1, n) if latest >= 1 else np.zeros(n, dtype=np.int64)
    from_start = (rng.random(n) < params["from_start_share"]) | (latest < 1)
    from_day = np.where(np.isin(kind, DATED) & ~from_start, later, 0)

    factor = np.ones(n)
    for name, key in (("unscannable", "unscannable_factor"), ("staff_not_scanning", "staff_factor"),
                      ("low_participation", "participation_factor")):
        mask = kind == name
        factor[mask] = _between(rng, params[key], int(np.count_nonzero(mask)))

    lon, lat = venues["lon"].to_numpy(float), venues["lat"].to_numpy(float)
    alt_lon, alt_lat = np.full(n, np.nan), np.full(n, np.nan)
    dist = np.zeros(n)
    wrong = kind == "wrong_location"
    dist[wrong] = _between(rng, params["wrong_location_m"], int(np.count_nonzero(wrong)))
    alt_lon[wrong], alt_lat[wrong] = _offset(rng, lon[wrong], lat[wrong], dist[wrong])
    clone = kind == "cloned_board"
    dist[clone] = 0.0
    alt_lon[clone], alt_lat[clone], dist[clone] = _clone_places(rng, lon[clone], lat[clone], province,
                                                                params["clone_km"])
    clone_rate = np.where(clone, _between(rng, params["clone_per_day"], n), 0.0)

    venues = venues.copy()
    moved = np.flatnonzero(kind == "outside_declared_ward")
    actual = _move_to_neighbour(rng, venues, wards, moved)
    detail = np.full(n, "", dtype=object)
    for i in np.flatnonzero(kind != ""):
        detail[i] = {
            "no_board": "no scans",
            "unscannable": f"factor={factor[i]:.3f}",
            "staff_not_scanning": f"factor={factor[i]:.3f}",
            "low_participation": f"factor={factor[i]:.3f}",
            "wrong_location": f"offset_m={dist[i]:.0f};lat={alt_lat[i]:.6f};lon={alt_lon[i]:.6f}",
            "cloned_board": f"distance_km={dist[i] / 1000:.1f};per_day={clone_rate[i]:.1f};"
                            f"lat={alt_lat[i]:.6f};lon={alt_lon[i]:.6f}",
            "outside_declared_ward": f"declared={venues['ward_code'].iat[i]};actual={actual.get(int(i), '')}",
        }[kind[i]]
    return venues, Planted(kind, from_day.astype(np.int64), factor, alt_lon, alt_lat, clone_rate, detail)


def truth_rows(venues: pd.DataFrame, planted: Planted, start: datetime.date) -> pd.DataFrame:
    """Rows of ``truth.csv`` for the planted violations (``venue_id, kind, from_date, detail``)."""
    idx = np.flatnonzero(planted.kind != "")
    dates = np.datetime64(start, "D") + planted.from_day[idx].astype("timedelta64[D]")
    return pd.DataFrame({"venue_id": venues["venue_id"].to_numpy()[idx], "kind": planted.kind[idx],
                         "from_date": dates.astype(str), "detail": planted.detail[idx]})


def _between(rng: np.random.Generator, bounds: list[float], size: int) -> np.ndarray:
    """Draw ``size`` uniform numbers between the two ``bounds``."""
    return rng.uniform(float(bounds[0]), float(bounds[1]), size)


def _offset(rng: np.random.Generator, lon: np.ndarray, lat: np.ndarray,
            metres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    bearing = rng.uniform(0, 2 * np.pi, len(lon))
    dlat = metres * np.cos(bearing) / M_PER_DEG
    dlon = metres * np.sin(bearing) / (M_PER_DEG * np.cos(np.deg2rad(lat)))
    return lon + dlon, lat + dlat


def _clone_places(rng: np.random.Generator, lon: np.ndarray, lat: np.ndarray, province: shapely.Geometry,
                  km: list[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Second places 5-40 km away, inside the province when a few tries find one."""
    shapely.prepare(province)
    metres = _between(rng, km, len(lon)) * 1000
    x, y = _offset(rng, lon, lat, metres)
    for _ in range(30):
        bad = ~shapely.contains_xy(province, x, y)
        if not bad.any():
            break
        metres[bad] = _between(rng, km, int(np.count_nonzero(bad))) * 1000
        x[bad], y[bad] = _offset(rng, lon[bad], lat[bad], metres[bad])
    return x, y, metres


def _move_to_neighbour(rng: np.random.Generator, venues: pd.DataFrame, wards: gpd.GeoDataFrame,
                       rows: np.ndarray) -> dict[int, str]:
    """Move the registered point of ``rows`` into a neighbouring ward, near the shared border."""
    if len(rows) == 0:
        return {}
    geoms = wards.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    regions, targets = [], []
    for i in rows:
        own = int(venues["ward_idx"].iat[i])
        near = [int(j) for j in tree.query(geoms[own], predicate="intersects") if j != own]
        shared = [shapely.length(shapely.intersection(geoms[own].boundary, geoms[j].boundary)) for j in near]
        near = [j for j, s in zip(near, shared, strict=True) if s > 0] or near
        point = shapely.Point(venues["lon"].iat[i], venues["lat"].iat[i])
        target = min(near, key=lambda j: (shapely.distance(point, geoms[j]), j)) if near else own
        region = shapely.difference(geoms[target], geoms[own])
        close = shapely.intersection(region, point.buffer(shapely.distance(point, geoms[target]) + 0.01))
        regions.append(close if shapely.area(close) > 0 else region)
        targets.append(target)
    x, y = tiling.random_points(rng, np.asarray(regions, dtype=object))
    venues.loc[rows, "lon"] = x
    venues.loc[rows, "lat"] = y
    codes = wards["ward_code"].to_numpy()
    return {int(i): str(codes[t]) for i, t in zip(rows, targets, strict=True)}
