"""Unit names on the interactive map: texts, anchors and room inside each unit, for ``maps/js/unit_labels.js``."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from folium.map import Layer
from folium.template import Template

from maps.figures import choropleth_levels, leaf_mask
from maps.unit_names import anchor, label_texts
from maps.venues import safe_json

#: width/height ratios of the boxes whose room inside each unit is measured (a name's box uses the first ratio
#: at least as wide as its own)
RATIOS = (1.5, 2.0, 3.0, 4.0, 5.5, 7.5, 10.0, 14.0)
#: a level's names show from the zoom at which its median unit is about this wide on screen (pixels)
SHOW_AT_PX = 60
#: Web Mercator metres round the equator: Leaflet draws them on 256 px at zoom 0
EARTH = 2 * math.pi * 6378137
#: steps of the bisection of each box's height (its error: a 2^-14th of the unit's extent)
STEPS = 14


def label_data(units: gpd.GeoDataFrame) -> dict[str, Any]:
    """The names of ``units`` (EPSG:4326) for the web map, in order of priority.

    The named units are those of the levels coloured on the map (every level below the top one): a level's
    units, largest first, then the next level's. Per unit: ``code``, ``tier`` (the position of its level among
    those), ``leaf`` (1 for a ward or commune), ``texts`` (:func:`maps.unit_names.label_texts`, in order of
    preference), ``lat``/``lon`` of its :func:`maps.unit_names.anchor`, and ``fit``: per ratio of
    :data:`RATIOS`, the height in Web Mercator metres of the tallest box of that ratio centred on the anchor
    that lies inside the unit; ``far``, per ratio, ``[height, lat, lon]`` of a place that holds a box of that
    ratio a tenth taller or more (in a long or bent unit), or 0. ``minZoom`` gives per tier the zoom from which
    its names show (``None``: from the start), ``levels`` the level code of each tier, ``ratios`` :data:`RATIOS`.
    """
    tiers = choropleth_levels(units)
    leaf = leaf_mask(units)
    chosen = units.assign(_leaf=leaf)[units["level"].isin(tiers)]
    chosen = chosen.assign(_texts=[label_texts(n, leaf=bool(lf)) for n, lf in zip(chosen["name"], chosen["_leaf"],
                                                                                     strict=True)])
    chosen = chosen[chosen["_texts"].map(len) > 0]
    projected = _polygonal(chosen.geometry.to_crs(3857).to_numpy())
    keep = ~shapely.is_empty(projected) & ~shapely.is_missing(projected)
    chosen, projected = chosen[keep], projected[keep]
    areas = shapely.area(projected)
    tier = chosen["level"].map({level: i for i, level in enumerate(tiers)}).to_numpy()
    order = np.lexsort((-areas, tier))
    projected, areas, tier, chosen = projected[order], areas[order], tier[order], chosen.iloc[order]
    anchors = np.array([anchor(g) for g in projected], dtype=object)
    x, y = shapely.get_x(anchors).astype(float), shapely.get_y(anchors).astype(float)
    shapely.prepare(projected)
    fit, far, centres = np.zeros((len(x), len(RATIOS))), [], None
    for j, ratio in enumerate(RATIOS):
        fit[:, j] = _room(projected, x, y, ratio)
        if j % 2 == 0:  # a place for a box of each other ratio serves the next ratio too (the circles cost most)
            centres = _centres(projected, ratio)
        far.append(_elsewhere(projected, ratio, centres, fit[:, j]))
    lonlat = gpd.GeoSeries(anchors, crs=3857).to_crs(4326)
    min_zoom: list[float | None] = [None]
    for t in range(1, len(tiers)):
        side = float(np.sqrt(np.median(areas[tier == t]))) if (tier == t).any() else 0.0
        min_zoom.append(round(math.log2(SHOW_AT_PX * EARTH / (256 * side)), 2) if side > 0 else None)
    return {
        "code": [str(c) for c in chosen["code"]],
        "tier": [int(t) for t in tier],
        "leaf": [int(lf) for lf in chosen["_leaf"]],
        "texts": list(chosen["_texts"]),
        "lat": [round(float(lat), 5) for lat in lonlat.y],
        "lon": [round(float(lon), 5) for lon in lonlat.x],
        "fit": [[int(h) for h in row] for row in fit],
        "far": [[place[i] for place in far] for i in range(len(x))],
        "minZoom": min_zoom,
        "levels": list(tiers),
        "ratios": list(RATIOS),
    }


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """``geoms`` made valid polygons: other shapes reduced to their polygons, or empty (GEOS's circles need that)."""
    out = geoms.copy()
    kinds = shapely.get_type_id(geoms)
    bad = ~shapely.is_valid(geoms) | ((kinds != shapely.GeometryType.POLYGON)
                                      & (kinds != shapely.GeometryType.MULTIPOLYGON))
    for i in np.flatnonzero(bad):
        parts = shapely.get_parts(shapely.make_valid(geoms[i]))
        polygons = [g for part in parts for g in shapely.get_parts(part) if isinstance(g, shapely.Polygon)]
        out[i] = shapely.MultiPolygon(polygons) if polygons else shapely.Polygon()
    return out


def _room(geoms: np.ndarray, x: np.ndarray, y: np.ndarray, ratio: float) -> np.ndarray:
    """Per unit, the height of the tallest box of width/height ``ratio`` centred on (``x``, ``y``) inside it.

    Rounded down; found by bisection over all units at once (boxes centred on one point are nested, so a box lies
    inside up to some height and not above it). ``geoms`` are prepared.
    """
    minx, miny, maxx, maxy = shapely.bounds(geoms).T
    lo = np.zeros(len(geoms))
    hi = np.maximum(np.minimum(2 * np.minimum(y - miny, maxy - y), 2 * np.minimum(x - minx, maxx - x) / ratio), 0)
    for _ in range(STEPS):
        mid = (lo + hi) / 2
        inside = shapely.contains(geoms, shapely.box(x - ratio * mid / 2, y - mid / 2, x + ratio * mid / 2,
                                                     y + mid / 2))
        lo, hi = np.where(inside, mid, lo), np.where(inside, hi, mid)
    return np.floor(lo)


def _centres(geoms: np.ndarray, ratio: float) -> np.ndarray:
    """Per unit, about the centre of the largest box of width/height ``ratio`` inside it (in a long or bent unit).

    The centre of the largest circle inside the unit stretched ``ratio`` times less across.
    """
    narrow = shapely.transform(geoms, lambda xy: xy / (ratio, 1.0))
    left, bottom, right, top = shapely.bounds(narrow).T
    circles = shapely.maximum_inscribed_circle(narrow, np.maximum(right - left, top - bottom) / 100)
    centres = shapely.get_coordinates(shapely.get_point(circles, 0))
    return centres * (ratio, 1.0)


def _elsewhere(geoms: np.ndarray, ratio: float, centres: Any, at_anchor: np.ndarray) -> list[Any]:
    """Per unit, a better place than its anchor for a box of width/height ``ratio``: ``[height, lat, lon]``, or 0.

    The place is one of ``centres``, kept where it holds a box taller by a tenth or more.
    """
    if not len(geoms):
        return []
    heights = _room(geoms, centres[:, 0], centres[:, 1], ratio)
    lonlat = gpd.GeoSeries.from_xy(centres[:, 0], centres[:, 1], crs=3857).to_crs(4326)
    return [[int(h), round(float(lat), 5), round(float(lon), 5)] if h > 1.1 * old else 0
            for h, old, lat, lon in zip(heights, at_anchor, lonlat.y, lonlat.x, strict=True)]


class UnitLabels(Layer):
    """The units' names as one overlay (``L.unitLabels``, ``maps/js/unit_labels.js``); data as safe JSON."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.unitLabels({{ this.data_json }});
        {% endmacro %}
    """)

    def __init__(self, units: gpd.GeoDataFrame, *, name: str, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "UnitLabels"
        self.data_json = safe_json(label_data(units))
