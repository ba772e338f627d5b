"""The demo venue registry: venues spread over wards by population, sized by category."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from inspector.core.text import strip_unit_prefix
from inspector.demo import names, tiling

#: Column headers of ``venues.csv`` (Vietnamese, as a province's QR system exports them).
HEADERS = {
    "venue_id": "Mã cơ sở", "qr_payload": "Mã QR", "name": "Tên cơ sở", "category_vi": "Loại hình",
    "address": "Địa chỉ", "ward_code": "Mã phường/xã", "ward_name": "Phường/Xã", "lat": "Vĩ độ",
    "lon": "Kinh độ", "staff": "Số nhân viên", "capacity": "Sức chứa", "contact": "Liên hệ",
    "registered": "Ngày đăng ký", "status": "Trạng thái",
}
ACTIVE = "Hoạt động"
SUSPENDED = "Tạm ngừng hoạt động"


def make_venues(rng: np.random.Generator, wards: gpd.GeoDataFrame, count: int,
                categories: dict[str, dict[str, Any]], params: dict[str, Any],
                start: datetime.date) -> pd.DataFrame:
    """Draw ``count`` venues.

    Parameters
    ----------
    rng
        Random generator.
    wards
        Ward layer with ``ward_code``, ``ward_name``, ``ward_type``, ``district_code``,
        ``district_name``, ``population`` and geometry (EPSG:4326).
    count
        Number of venues.
    categories
        ``resources/categories.toml``.
    params
        The ``[venues]`` table of ``resources/demo.toml``.
    start
        First day of the scan period (venues registered before it).

    Returns
    -------
    pandas.DataFrame
        One row per venue, ordered by ``venue_id``; besides the file's fields it keeps ``category``
        (code), ``ward_idx`` (row of ``wards``), ``district_code``, ``district_name`` and ``active``.
    """
    weight = wards["population"].to_numpy(float) * np.where(
        wards["ward_type"].to_numpy() != "xã", params["urban_weight"], 1.0)
    ward_idx = np.repeat(np.arange(len(wards)), rng.multinomial(count, weight / weight.sum()))
    codes = list(categories)
    share = np.array([categories[c]["share"] for c in codes], dtype=float)
    cat_idx = rng.choice(len(codes), count, p=share / share.sum())
    category = np.asarray(codes, dtype=object)[cat_idx]
    lon, lat = tiling.random_points(rng, wards.geometry.to_numpy()[ward_idx])
    capacity, staff = _sizes(rng, [categories[c] for c in codes], cat_idx, float(params["size_skew"]))
    earliest, latest = params["registered_days_before"]
    before = rng.integers(int(latest), int(earliest) + 1, count).astype("timedelta64[D]")
    registered = np.datetime64(start, "D") - before
    active = rng.random(count) < params["active_share"]

    ward_name = wards["ward_name"].to_numpy(object)[ward_idx]
    district_code = wards["district_code"].to_numpy(object)[ward_idx]
    district_name = wards["district_name"].to_numpy(object)[ward_idx]
    places = np.asarray([strip_unit_prefix(w) for w in ward_name], dtype=object)
    short_district = np.asarray([strip_unit_prefix(d) for d in district_name], dtype=object)
    frame = pd.DataFrame({
        "name": names.venue_names(rng, category, ward_name, places, short_district),
        "category": category,
        "category_vi": [categories[c]["vi"] for c in category],
        "address": names.addresses(rng, ward_name, district_name),
        "ward_idx": ward_idx,
        "ward_code": wards["ward_code"].to_numpy(object)[ward_idx],
        "ward_name": ward_name,
        "district_code": district_code,
        "district_name": district_name,
        "lat": lat, "lon": lon, "staff": staff, "capacity": capacity,
        "contact": names.contacts(rng, count),
        "registered": registered,
        "active": active,
        "tiebreak": rng.random(count),
    })
    frame = frame.sort_values(["district_code", "registered", "tiebreak"], kind="stable")
    seq = frame.groupby("district_code", sort=False).cumcount().to_numpy() + 1
    frame.insert(0, "venue_id", [f"V{d}{s:05d}" for d, s in zip(frame["district_code"], seq, strict=True)])
    frame.insert(1, "qr_payload", [f"HUESQR|{v}|{w}" for v, w in zip(frame["venue_id"], frame["ward_code"],
                                                                      strict=True)])
    return frame.drop(columns="tiebreak").sort_values("venue_id", kind="stable").reset_index(drop=True)


def write_venues(venues: pd.DataFrame, path: Path) -> None:
    """Write ``venues.csv`` (UTF-8 with BOM, Vietnamese headers, coordinates with 6 decimals)."""
    out = pd.DataFrame({
        "venue_id": venues["venue_id"], "qr_payload": venues["qr_payload"], "name": venues["name"],
        "category_vi": venues["category_vi"], "address": venues["address"],
        "ward_code": venues["ward_code"], "ward_name": venues["ward_name"],
        "lat": [f"{v:.6f}" for v in venues["lat"]], "lon": [f"{v:.6f}" for v in venues["lon"]],
        "staff": venues["staff"], "capacity": venues["capacity"], "contact": venues["contact"],
        "registered": pd.to_datetime(venues["registered"]).dt.strftime("%Y-%m-%d"),
        "status": np.where(venues["active"], ACTIVE, SUSPENDED),
    })
    out.rename(columns=HEADERS).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def _sizes(rng: np.random.Generator, spec: list[dict[str, Any]], cat: np.ndarray,
           skew: float) -> tuple[np.ndarray, np.ndarray]:
    """Capacity and staff of each venue, drawn jointly so that staff fit the premises.

    Capacity is skewed log-uniform in the category's ``capacity = [lo, hi]``:
    ``lo * (hi / lo) ** (u ** skew)`` (most venues are small); staff are a log-uniform share of it in
    ``staff_per_capacity = [lo, hi]`` (at least one, at most the capacity).
    """
    lo, hi = np.array([s["capacity"] for s in spec], dtype=float)[cat].T
    capacity = np.rint(lo * (hi / lo) ** (rng.random(len(cat)) ** skew))
    r_lo, r_hi = np.array([s["staff_per_capacity"] for s in spec], dtype=float)[cat].T
    staff = np.clip(np.rint(capacity * r_lo * (r_hi / r_lo) ** rng.random(len(cat))), 1, capacity)
    return capacity.astype(np.int64), staff.astype(np.int64)
