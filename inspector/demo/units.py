"""Administrative units of the demo: a synthetic province, or real boundaries read from a file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from inspector.core.columns import map_columns
from inspector.core.errors import InputError
from inspector.core.importers.boundaries import read_boundaries
from inspector.core.text import clean, normalise_code
from inspector.core.units import province_name
from inspector.demo import names, tiling

WARD_COLUMNS = ["ward_code", "ward_name", "ward_type", "district_code", "district_name",
                "province_code", "province_name", "population"]
DISTRICT_COLUMNS = ["district_code", "district_name", "district_type", "province_code", "province_name"]
_KM_PER_DEG_LAT = 110.574
_PREFIX = {"thành phố": "Thành phố", "thị xã": "Thị xã", "huyện": "Huyện", "quận": "Quận",
           "phường": "Phường", "xã": "Xã", "thị trấn": "Thị trấn"}
# Seeds of the eight non-city districts in the province frame (km along / across the coast).
_TOWN_SEEDS = [(14.0, -2.0), (-14.0, -4.0)]
_RURAL_SEEDS = [(-48.0, 2.0), (-26.0, 12.0), (18.0, 14.0), (46.0, 2.0), (-30.0, -15.0), (24.0, -14.0)]


@dataclass(frozen=True)
class Units:
    """Province, district and ward layers (EPSG:4326) with the columns the demo files carry."""

    province: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    wards: gpd.GeoDataFrame


def synthetic(rng: np.random.Generator, params: dict[str, Any]) -> Units:
    """Build the fictional province: irregular coastal outline, 9 districts, ~150 wards.

    Parameters
    ----------
    rng
        Random generator.
    params
        The ``[units]`` table of ``resources/demo.toml``.
    """
    angle = np.deg2rad(-30.0)  # the coast runs north-west to south-east; the sea is north-east
    outline = tiling.blob(rng, (0.0, 0.0), 1.0, 0.2, stretch=(2.6, 1.0), angle=angle, coast=0.8)
    outline = tiling.scale_to_area(outline, (0.0, 0.0), float(params["area_km2"]))

    def frame(u: float, v: float) -> tuple[float, float]:
        return (u * np.cos(angle) - v * np.sin(angle), u * np.sin(angle) + v * np.cos(angle))

    city_centre = frame(2.0 + rng.uniform(-2, 2), 3.0 + rng.uniform(-2, 2))
    city = tiling.blob(rng, city_centre, 1.0, 0.18, stretch=(1.2, 0.9), angle=rng.uniform(0, np.pi))
    city = shapely.intersection(tiling.scale_to_area(city, city_centre, rng.uniform(*params["city_area_km2"])),
                                outline)
    rest = shapely.difference(outline, city)
    shapely.prepare(rest)
    seeds = []
    for u, v in _TOWN_SEEDS + _RURAL_SEEDS:
        for _ in range(100):
            x, y = frame(u + rng.uniform(-3, 3), v + rng.uniform(-3, 3))
            if shapely.contains_xy(rest, x, y):
                break
        seeds.append((x, y))
    others = _meandering_districts(rng, rest, np.asarray(seeds))
    kinds = ["thành phố"] + ["thị xã"] * len(_TOWN_SEEDS) + ["huyện"] * len(_RURAL_SEEDS)
    geoms = [city, *others]
    centres = [city_centre, *seeds]
    counts = [int(rng.integers(params["city_wards"][0], params["city_wards"][1] + 1))]
    counts += [int(rng.integers(params["town_wards"][0], params["town_wards"][1] + 1)) for _ in _TOWN_SEEDS]
    counts += [int(rng.integers(params["rural_wards"][0], params["rural_wards"][1] + 1)) for _ in _RURAL_SEEDS]
    places = names.place_names(rng, len(geoms) + sum(counts))
    district_codes = [f"{900 + i + 1:03d}" for i in range(len(geoms))]
    districts = pd.DataFrame({
        "district_code": district_codes,
        "district_name": [f"{_PREFIX[k]} {p}" for k, p in zip(kinds, places[:len(geoms)], strict=True)],
        "district_type": kinds,
    })
    wards = _cut_wards(rng, districts, geoms, centres, counts, places[len(geoms):], params)
    to_lonlat = _lonlat_transform(*params["centre"])
    province = gpd.GeoDataFrame(
        {"province_code": [params["province_code"]], "province_name": [params["province_name"]]},
        geometry=[shapely.transform(outline, to_lonlat)], crs="EPSG:4326")
    wards["geometry"] = shapely.transform(wards["geometry"].to_numpy(), to_lonlat)
    dist_geoms = shapely.transform(np.asarray(geoms, dtype=object), to_lonlat)
    return _finish(province, districts, dist_geoms, wards)


def _meandering_districts(rng: np.random.Generator, area: Any, seeds: np.ndarray) -> np.ndarray:
    """Split ``area`` among ``seeds`` along winding borders (small Voronoi atoms, warped distance)."""
    atoms = tiling.tile(area, tiling.seeds_in(rng, area, 700), relax=1)
    cent = shapely.centroid(atoms)
    x, y = shapely.get_x(cent), shapely.get_y(cent)
    wx, wy = x.copy(), y.copy()
    for _ in range(4):
        k = rng.uniform(0.05, 0.15, 2)
        wx += rng.uniform(1.5, 3.5) * np.sin(k[0] * y + rng.uniform(0, 2 * np.pi))
        wy += rng.uniform(1.5, 3.5) * np.sin(k[1] * x + rng.uniform(0, 2 * np.pi))
    owner = np.argmin(np.hypot(wx[:, None] - seeds[:, 0], wy[:, None] - seeds[:, 1]), axis=1)
    if len(np.unique(owner)) < len(seeds):
        return tiling.tile(area, seeds)
    merged = np.asarray([shapely.union_all(atoms[owner == i]) for i in range(len(seeds))], dtype=object)
    return tiling.absorb_fragments(merged)


def from_file(path: Path, rng: np.random.Generator, params: dict[str, Any]) -> Units:
    """Read real boundaries: wards are used as they are; districts are cut into Voronoi wards.

    Parameters
    ----------
    path
        GeoJSON, Shapefile or GeoPackage of wards (a district code or name column besides the code)
        or of districts; a province's outline is refused.
    rng
        Random generator (names, populations and ward seeds when needed).
    params
        The ``[units]`` table of ``resources/demo.toml``.
    """
    frame = read_boundaries(Path(path))
    cols = map_columns("boundaries", [c for c in frame.columns if c != "geometry"], file=path.name)
    frame = frame[~frame.geometry.is_empty & frame.geometry.notna()].reset_index(drop=True)
    geoms = np.asarray([g if g.is_valid else shapely.make_valid(g) for g in frame.geometry], dtype=object)
    text = {field: [clean(v) for v in frame[header]] for field, header in cols.items()}
    prov_code = normalise_code(text["province_code"][0], 2) if "province_code" in text else "99"
    prov_name = text["province_name"][0] if "province_name" in text else (
        province_name(prov_code) or f"Tỉnh mã {prov_code}")
    pop = pd.to_numeric(frame[cols["population"]], errors="coerce") if "population" in cols else None
    if "district_code" in cols or "district_name" in cols:
        wards = _imported_wards(text, geoms, pop, rng, params)
        dissolved = gpd.GeoDataFrame(wards[["district_code"]], geometry=list(wards["geometry"]))
        dist_geoms = dissolved.dissolve(by="district_code").loc[wards["district_code"].unique()].geometry
        districts = wards.drop_duplicates("district_code")[["district_code", "district_name"]].reset_index(drop=True)
        districts["district_type"] = [_unit_type(n, "huyện") for n in districts["district_name"]]
        dist_arr = dist_geoms.to_numpy()
    else:
        if cols["code"] == cols.get("province_code") or all(len(normalise_code(c)) <= 2 for c in text["code"]):
            raise InputError("boundary_file_is_province", file=path.name)
        districts = pd.DataFrame({"district_code": [normalise_code(c, 3) for c in text["code"]],
                                  "district_name": text["name"]})
        districts["district_type"] = [_unit_type(n, "huyện") for n in districts["district_name"]]
        wards, dist_arr = _subdivide(districts, geoms, rng, params)
        wards["population"] = _populations(rng, wards["ward_type"].to_numpy(), params)
    wards["province_code"], wards["province_name"] = prov_code, prov_name
    province = gpd.GeoDataFrame({"province_code": [prov_code], "province_name": [prov_name]},
                                geometry=[shapely.union_all(dist_arr)], crs="EPSG:4326")
    return _finish(province, districts, dist_arr, wards)


def _imported_wards(text: dict[str, list[str]], geoms: np.ndarray, pop: pd.Series | None,
                    rng: np.random.Generator, params: dict[str, Any]) -> pd.DataFrame:
    wards = pd.DataFrame({"ward_code": [normalise_code(c, 5) for c in text["code"]], "ward_name": text["name"]})
    dnames = text.get("district_name")
    if "district_code" in text:
        wards["district_code"] = [normalise_code(c, 3) for c in text["district_code"]]
    else:
        assert dnames is not None
        order = list(dict.fromkeys(dnames))
        wards["district_code"] = [f"{901 + order.index(n):03d}" for n in dnames]
    wards["district_name"] = dnames if dnames is not None else [f"Huyện {c}" for c in wards["district_code"]]
    wards["ward_type"] = [_unit_type(n, "xã") for n in wards["ward_name"]]
    generated = _populations(rng, wards["ward_type"].to_numpy(), params)
    wards["population"] = generated if pop is None else np.where(pop.notna(), pop.fillna(0), generated)
    wards["geometry"] = geoms
    return wards


def _subdivide(districts: pd.DataFrame, geoms: np.ndarray, rng: np.random.Generator,
               params: dict[str, Any]) -> tuple[pd.DataFrame, np.ndarray]:
    lon0, lat0 = shapely.centroid(shapely.union_all(geoms)).coords[0]
    to_km = _km_transform(lon0, lat0)
    km = shapely.transform(geoms, to_km)
    dense = {"thành phố": 5.0, "quận": 5.0, "thị xã": 1.6}
    weight = np.sqrt(shapely.area(km)) * np.array([dense.get(t, 1.0) for t in districts["district_type"]])
    counts = np.maximum(4, np.rint(params["imported_wards"] * weight / weight.sum())).astype(int)
    centres = [shapely.point_on_surface(g).coords[0] for g in km]
    places = names.place_names(rng, int(counts.sum()))
    wards = _cut_wards(rng, districts, list(km), centres, list(counts), places, params)
    wards["geometry"] = shapely.transform(wards["geometry"].to_numpy(), _lonlat_transform(lon0, lat0))
    return wards, geoms


def _cut_wards(rng: np.random.Generator, districts: pd.DataFrame, geoms: list[Any],
               centres: list[tuple[float, float]], counts: list[int], places: list[str],
               params: dict[str, Any]) -> pd.DataFrame:
    """Cut each district (in km coordinates) into Voronoi wards with types, names and codes."""
    rows: list[pd.DataFrame] = []
    used = 0
    for i, (geom, centre, count) in enumerate(zip(geoms, centres, counts, strict=True)):
        kind = districts["district_type"].iloc[i]
        urban = kind in ("thành phố", "quận")
        seeds = tiling.seeds_in(rng, geom, count, centre, 6.0 if urban else 15.0)
        cells = tiling.tile(geom, seeds, relax=0 if urban else 2)
        cent = shapely.centroid(cells)
        dist = np.hypot(shapely.get_x(cent) - centre[0], shapely.get_y(cent) - centre[1])
        rank = np.argsort(np.argsort(dist, kind="stable"), kind="stable")
        n_urban = round(0.8 * count) if urban else round(0.4 * count) if kind == "thị xã" else 1
        wtype = np.where(rank < n_urban, "phường" if kind != "huyện" else "thị trấn", "xã")
        order = np.argsort(rank, kind="stable")
        rows.append(pd.DataFrame({
            "ward_name": [f"{_PREFIX[t]} {p}" for t, p in zip(wtype[order], places[used:used + count],
                                                               strict=True)],
            "ward_type": wtype[order], "district_code": districts["district_code"].iloc[i],
            "district_name": districts["district_name"].iloc[i], "geometry": cells[order],
        }))
        used += count
    wards = pd.concat(rows, ignore_index=True)
    wards.insert(0, "ward_code", [f"{params['first_ward_code'] + 3 * k:05d}" for k in range(len(wards))])
    wards["population"] = _populations(rng, wards["ward_type"].to_numpy(), params)
    return wards


def _populations(rng: np.random.Generator, types: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    urban = types != "xã"
    lo = np.where(urban, params["urban_population"][0], params["rural_population"][0])
    hi = np.where(urban, params["urban_population"][1], params["rural_population"][1])
    pop = lo + rng.beta(1.3, 2.0, len(types)) * (hi - lo)
    target = params["total_population"] * len(types) / 150.0
    pop = np.clip(pop * target / max(pop.sum(), 1.0), lo, hi)
    return np.rint(pop).astype(np.int64)


def _unit_type(name: str, default: str) -> str:
    lowered = clean(name).lower()
    return next((t for t in _PREFIX if lowered.startswith(t + " ")), default)


def _finish(province: gpd.GeoDataFrame, districts: pd.DataFrame, dist_geoms: np.ndarray,
            wards: pd.DataFrame) -> Units:
    code, name = province["province_code"].iloc[0], province["province_name"].iloc[0]
    districts = districts.assign(province_code=code, province_name=name)[DISTRICT_COLUMNS]
    wards = wards.assign(province_code=code, province_name=name)
    wards["population"] = wards["population"].astype(np.int64)
    return Units(
        province=province,
        districts=gpd.GeoDataFrame(districts, geometry=list(dist_geoms), crs="EPSG:4326"),
        wards=gpd.GeoDataFrame(wards[WARD_COLUMNS], geometry=list(wards["geometry"]), crs="EPSG:4326"),
    )


def _lonlat_transform(lon0: float, lat0: float) -> Callable[[np.ndarray], np.ndarray]:
    kx = 111.320 * np.cos(np.deg2rad(lat0))
    return lambda xy: np.column_stack([lon0 + xy[:, 0] / kx, lat0 + xy[:, 1] / _KM_PER_DEG_LAT])


def _km_transform(lon0: float, lat0: float) -> Callable[[np.ndarray], np.ndarray]:
    kx = 111.320 * np.cos(np.deg2rad(lat0))
    return lambda xy: np.column_stack([(xy[:, 0] - lon0) * kx, (xy[:, 1] - lat0) * _KM_PER_DEG_LAT])
