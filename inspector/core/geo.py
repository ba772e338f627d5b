"""Spatial helpers: which ward a point lies in (coping with overlaps and gaps), distances, areas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

EQUAL_AREA = "EPSG:6933"
EARTH_RADIUS_M = 6_371_008.8

#: How far outside every ward a point may be and still count as a sliver gap, not outside.
GAP_TOLERANCE_M = 1_000.0

# Location flags of a venue's registered point (codes; the UI translates them).
OK = "ok"
OUTSIDE_DECLARED = "outside_declared"
OVERLAP = "overlap"
GAP = "gap"
OUTSIDE_PROVINCE = "outside_province"
NO_BOUNDARIES = "no_boundaries"


def locate(
    lon: np.ndarray, lat: np.ndarray, declared: np.ndarray, wards: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Assign each point to a ward and say how sure that is.

    Resolution, as the province's own data needs it: inside exactly one ward -> that ward; inside
    several (overlapping polygons) -> the declared ward if it is among them, else the nearest
    centre; inside none (a sliver gap) -> the declared ward, else the nearest ward.

    Parameters
    ----------
    lon, lat
        Point coordinates (EPSG:4326).
    declared
        Declared ward code per point (``""`` or ``None`` when unknown; a code not in ``wards`` counts
        as unknown).
    wards
        Leaf administrative units with columns ``code`` and ``geometry`` (EPSG:4326).

    Returns
    -------
    ward_code, flag
        Arrays of the resolved ward code (``None`` when there are no wards) and the location flag
        (``ok``, ``outside_declared``, ``overlap``, ``gap``, ``outside_province``, ``no_boundaries``).
    """
    n = len(lon)
    known = set(wards["code"]) if not wards.empty else set()
    # a declared code that names no ward (a typo, a code from another province) declares nothing:
    # it says nothing about where the venue is, so it cannot be contradicted by it
    declared = np.array([d if isinstance(d, str) and d in known else "" for d in declared], dtype=object)
    if n == 0 or wards.empty:
        return np.full(n, None, dtype=object), np.full(n, NO_BOUNDARIES, dtype=object)
    points = gpd.GeoDataFrame(
        {"i": np.arange(n)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"
    )
    polys = wards[["code", "geometry"]].reset_index(drop=True)
    hits = gpd.sjoin(points, polys, how="inner", predicate="within")[["i", "code"]]
    counts = hits.groupby("i").size()
    ward = np.full(n, None, dtype=object)
    flag = np.full(n, OK, dtype=object)

    single = hits[hits["i"].map(counts) == 1]
    ward[single["i"].to_numpy()] = single["code"].to_numpy()
    idx = single["i"].to_numpy()
    mismatch = (declared[idx] != "") & (declared[idx] != single["code"].to_numpy())
    flag[idx[mismatch]] = OUTSIDE_DECLARED

    multi = hits[hits["i"].map(counts) > 1]
    if not multi.empty:
        _resolve_overlaps(multi, declared, points, polys, ward, flag)

    missing = np.flatnonzero(pd.isna(ward))
    if len(missing):
        _resolve_gaps(missing, declared, points, polys, ward, flag)
    return ward, flag


def _resolve_overlaps(multi, declared, points, polys, ward, flag):  # type: ignore[no-untyped-def]
    multi = multi.assign(is_declared=multi["code"].to_numpy() == declared[multi["i"].to_numpy()])
    centres = polys.set_index("code").geometry.representative_point()
    pts = points.geometry.to_numpy()[multi["i"].to_numpy()]
    multi = multi.assign(dist=shapely.distance(pts, centres.loc[multi["code"]].to_numpy()))
    best = multi.sort_values(["i", "is_declared", "dist"], ascending=[True, False, True]).drop_duplicates("i")
    ward[best["i"].to_numpy()] = best["code"].to_numpy()
    flag[best["i"].to_numpy()] = OVERLAP


def _resolve_gaps(missing, declared, points, polys, ward, flag):  # type: ignore[no-untyped-def]
    crs = points.estimate_utm_crs()
    pts = points.iloc[missing].to_crs(crs)
    near = gpd.sjoin_nearest(pts, polys.to_crs(crs), how="left", distance_col="dist")
    near = near.sort_values("dist").drop_duplicates("i").set_index("i").loc[pts["i"]]
    known = set(polys["code"])
    for i, code, dist in zip(near.index, near["code"], near["dist"], strict=True):
        wanted = declared[i]
        ward[i] = wanted if wanted in known else code
        flag[i] = GAP if dist <= GAP_TOLERANCE_M else OUTSIDE_PROVINCE


def haversine_m(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres between coordinate arrays."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def area_km2(geometries: gpd.GeoSeries) -> np.ndarray:
    """Area of each geometry in square kilometres (equal-area projection)."""
    return geometries.to_crs(EQUAL_AREA).area.to_numpy() / 1e6
