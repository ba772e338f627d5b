"""Hand-built MapData for map tests: a province with districts and wards (or wards only), and nasty names."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from maps.data import MapData

INJECT_IMG = "<img src=x onerror=alert(1)>"
INJECT_SCRIPT = "</script><script>window.pwned=1</script>"


def _unit(code, name, level, parent, geom, pop, venues, spd, flagged):
    return {"code": code, "name": name, "level": level, "parent_code": parent, "population": pop,
            "area_km2": 4.0, "venues": venues, "scans": spd * 28, "scans_per_day": spd,
            "scans_per_1000_per_day": spd / pop * 1000 if pop == pop else np.nan,
            "flagged": flagged, "flagged_share": flagged / venues if venues else np.nan,
            "mean_risk": 10.0 * flagged, "geometry": geom}


def make_data(*, districts: bool = True, population: bool = True, names: dict[str, str] | None = None) -> MapData:
    """Eight 2 km wards in a 4 x 2 grid near Huế; two districts of four wards each (optional)."""
    names = names or {}
    x0, y0, d = 107.55, 16.44, 0.02
    rows, venues = [], []
    ward_names = ["Phường Đông Ba", "Phường Tây Lộc", "Xã Hương An", "Xã Phú Hòa",
                  "Phường Vĩnh Ninh", "Phường Phú Hội", "Xã Thủy Bằng", "Xã Hương Thọ"]
    for k, name in enumerate(ward_names):
        i, j = k % 4, k // 4
        code = f"{19000 + k}"
        parent = ("901" if i < 2 else "902") if districts else "99"
        pop = float(10000 + 1000 * k) if population else np.nan
        box = shapely.box(x0 + i * d, y0 + j * d, x0 + (i + 1) * d, y0 + (j + 1) * d)
        rows.append(_unit(code, names.get(code, name), "ward", parent, box, pop, 2, 10.0 + 7 * k, k % 3))
        for v in range(2):
            vid = f"V{k}{v}"
            venues.append({"venue_id": vid, "name": names.get(vid, f"Quán cà phê số {k}{v}"), "category": "cafe",
                           "address": names.get(f"{vid}:address", f"{k} Lê Lợi, {name}"), "ward_code": code,
                           "status": "active",
                           "lat": y0 + (j + 0.5) * d + 0.001 * v, "lon": x0 + (i + 0.5) * d,
                           "scans_per_day": 3.0 * k + v, "risk": [0, 20, 45, 80][(k + v) % 4],
                           "n_signals": (k + v) % 4 and 1, "signals": ["", "no_scans", "cloned_board,citizen_reports",
                                                                       "sudden_drop"][(k + v) % 4]})
    wards = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    province = shapely.box(x0, y0, x0 + 4 * d, y0 + 2 * d)
    # parents carry the sum of their wards' population, as inspector.core.stats rolls it up
    total = sum(r["population"] for r in rows) if population else np.nan
    extra = [_unit("99", names.get("99", "Tỉnh Mẫu"), "province", None, province, total, 16, 300.0, 8)]
    if districts:
        for code, lo in (("901", 0), ("902", 2)):
            geom = shapely.box(x0 + lo * d, y0, x0 + (lo + 2) * d, y0 + 2 * d)
            pop = sum(r["population"] for r in rows if r["parent_code"] == code) if population else np.nan
            extra.append(_unit(code, names.get(code, f"Quận {code}"), "district", "99", geom, pop, 8, 150.0, 4))
    units = pd.concat([gpd.GeoDataFrame(extra, crs="EPSG:4326"), wards], ignore_index=True)
    return MapData((dt.date(2021, 8, 2), dt.date(2021, 8, 29)), gpd.GeoDataFrame(units, crs="EPSG:4326"),
                   pd.DataFrame(venues))


@pytest.fixture
def data() -> MapData:
    return make_data()


@pytest.fixture
def build_data():
    """The factory itself, for tests that need another hierarchy or missing population."""
    return make_data


@pytest.fixture
def nasty() -> MapData:
    """Names that would run script if the page ever treated them as HTML."""
    return make_data(names={"V00": INJECT_IMG, "V01": INJECT_SCRIPT, "V10:address": INJECT_SCRIPT,
                            "19002": INJECT_IMG, "901": INJECT_SCRIPT})
