"""Which registered venue a citizen report is about: when reports are imported, and for stored ones after venues are."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd

from inspector.core import gpkg
from inspector.core.text import clean, fold, id_key
from inspector.core.workspace import touch

#: A report naming a venue matches it within this distance; without a name, only much closer.
NAME_RADIUS_M = 300.0
POINT_RADIUS_M = 50.0


def match(
    venue_text: pd.Series, lat: pd.Series, lon: pd.Series, description: pd.Series, venues: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Find the venue of each report.

    Parameters
    ----------
    venue_text
        The venue id or QR payload each report gave, cleaned (empty when none).
    lat, lon
        Each report's position (NaN when none).
    description
        Each report's text.
    venues
        The registered venues: ``venue_id``, ``qr_payload``, ``name`` and their points
        (:func:`registered_venues`).

    Returns
    -------
    tuple of numpy.ndarray
        Each report's venue id (``None`` when none matched) and how it matched: ``id`` (by id or QR
        payload, in any case, numbers with or without leading zeros), ``name_nearby`` (a venue named in the text
        within ``NAME_RADIUS_M``), ``location`` (the nearest venue within ``POINT_RADIUS_M``),
        ``unknown_id`` (none matched and the id given is not registered) or ``none``.
    """
    out, how = _by_id(venue_text, venues)
    todo = np.flatnonzero(pd.isna(out) & lat.notna().to_numpy() & lon.notna().to_numpy())
    if len(todo) and not venues.empty:
        _by_position(todo, lat, lon, description, venues, out, how)
    how[(venue_text != "").to_numpy() & (how == "none")] = "unknown_id"
    return out, how


def registered_venues(conn: sqlite3.Connection) -> gpd.GeoDataFrame:
    """The venues a report can be matched to, read through ``conn`` (so uncommitted changes are seen)."""
    frame = pd.read_sql_query("SELECT venue_id, qr_payload, name, geom FROM venues ORDER BY fid", conn)
    geometry = [gpkg.from_blob(b) for b in frame.pop("geom")]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def link_stored(conn: sqlite3.Connection) -> dict[str, int]:
    """Link the stored reports that have no venue to the venues registered now, inside the caller's transaction.

    Each is matched by :func:`match` from what it gave (the venue id or QR payload, its position,
    its text), as it would be if it were imported now. A report that has a venue keeps it, unless it
    gave an id registered only now and was linked by its place meanwhile: the venue it names wins,
    as it would have, imported after that venue. Returns how many were linked, per way of matching
    (``{"id": 37, "name_nearby": 15}``; empty when none).
    """
    stored = pd.read_sql_query(
        "SELECT fid, given_venue_id, lat, lon, description, venue_id IS NOT NULL AS placed FROM citizen_reports "
        "WHERE venue_id IS NULL OR (coalesce(given_venue_id, '') != '' AND matched_by IN ('name_nearby', 'location'))",
        conn,
    )
    if stored.empty:
        return {}
    venue_id, how = match(stored["given_venue_id"].fillna("").map(clean), stored["lat"], stored["lon"],
                          stored["description"].fillna(""), registered_venues(conn))
    placed = stored["placed"].astype(bool).to_numpy()
    linked = pd.notna(venue_id) & (~placed | (how == "id"))
    if not linked.any():
        return {}
    conn.executemany("UPDATE citizen_reports SET venue_id = ?, matched_by = ? WHERE fid = ?",
                     zip(venue_id[linked], how[linked], stored["fid"][linked].tolist(), strict=True))
    touch(conn, "citizen_reports")
    return {str(k): int(n) for k, n in zip(*np.unique(how[linked].astype(str), return_counts=True), strict=True)}


def _by_id(venue_text: pd.Series, venues: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The venue whose id or QR payload each report gave.

    As written, else ignoring case and a number's leading zeros (:func:`~inspector.core.text.id_key`),
    when that names one venue only.
    """
    n = len(venue_text)
    out = np.full(n, None, dtype=object)
    how = np.full(n, "none", dtype=object)
    keys = dict(zip(venues["venue_id"], venues["venue_id"], strict=True))
    keys.update({p: v for p, v in zip(venues["qr_payload"], venues["venue_id"], strict=True) if p})
    by_id = venue_text.map(keys).to_numpy()
    loose_keys: dict[str, set[str]] = {}
    for key, venue in keys.items():
        loose_keys.setdefault(id_key(key), set()).add(venue)
    single = {key: next(iter(found)) for key, found in loose_keys.items() if len(found) == 1 and key != "0"}
    loose = venue_text.map(lambda t: single.get(id_key(t)) if t else None).to_numpy()
    by_id = np.where(pd.isna(by_id), loose, by_id)
    out[pd.notna(by_id)] = by_id[pd.notna(by_id)]
    how[pd.notna(by_id)] = "id"
    return out, how


def _by_position(
    todo: np.ndarray, lat: pd.Series, lon: pd.Series, description: pd.Series, venues: gpd.GeoDataFrame,
    out: np.ndarray, how: np.ndarray,
) -> None:
    """Match the reports ``todo`` by position: a venue named in the text nearby, else the nearest one very near."""
    crs = venues.estimate_utm_crs()
    places = venues.to_crs(crs)
    points = gpd.GeoSeries(gpd.points_from_xy(lon.to_numpy()[todo], lat.to_numpy()[todo]), crs="EPSG:4326").to_crs(crs)
    tree = places.sindex
    folded_names = places["name"].map(fold).to_numpy()
    texts = description.map(fold).to_numpy()
    for j, i in enumerate(todo):
        near = tree.query(points.iloc[j].buffer(NAME_RADIUS_M), predicate="intersects")
        if len(near) == 0:
            continue
        dist = places.geometry.iloc[near].distance(points.iloc[j]).to_numpy()
        named = [k for k in near if folded_names[k] and folded_names[k] in texts[i]]
        if named:
            best = min(named, key=lambda k: dist[list(near).index(k)])
            out[i], how[i] = places["venue_id"].iloc[best], "name_nearby"
        elif dist.min() <= POINT_RADIUS_M:
            out[i], how[i] = places["venue_id"].iloc[near[int(np.argmin(dist))]], "location"
