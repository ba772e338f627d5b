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
RATIOS = (1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0)
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
    that lies inside the unit. ``minZoom`` gives per tier the zoom from which its names show (``None``: from
    the start), ``levels`` the level code of each tier, ``ratios`` :data:`RATIOS`.
    """
    tiers = choropleth_levels(units)
    leaf = leaf_mask(units)
    chosen = units.assign(_leaf=leaf)[units["level"].isin(tiers)]
    chosen = chosen.assign(_texts=[label_texts(n, leaf=bool(lf)) for n, lf in zip(chosen["name"], chosen["_leaf"],
                                                                                     strict=True)])
    chosen = chosen[chosen["_texts"].map(len) > 0]
    chosen = chosen[chosen.geometry.notna() & ~chosen.geometry.is_empty]
    projected = chosen.geometry.to_crs(3857).to_numpy()
    areas = shapely.area(projected)
    tier = chosen["level"].map({level: i for i, level in enumerate(tiers)}).to_numpy()
    order = np.lexsort((-areas, tier))
    projected, areas, tier, chosen = projected[order], areas[order], tier[order], chosen.iloc[order]
    anchors = np.array([anchor(g) for g in projected], dtype=object)
    fit = _room(projected, anchors)
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
        "lat": [round(float(y), 6) for y in lonlat.y],
        "lon": [round(float(x), 6) for x in lonlat.x],
        "fit": [[int(h) for h in row] for row in fit],
        "minZoom": min_zoom,
        "levels": list(tiers),
        "ratios": list(RATIOS),
    }


def _room(geoms: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """Per unit and ratio of :data:`RATIOS`, the height of the tallest box of that ratio centred on the anchor.

    The box lies inside the unit; the height is rounded down, found by bisection over all units at once (boxes
    centred on one point are nested, so a box lies inside up to some height and not above it).
    """
    if not len(geoms):
        return np.zeros((0, len(RATIOS)))
    shapely.prepare(geoms)
    x, y = shapely.get_x(anchors).astype(float), shapely.get_y(anchors).astype(float)
    minx, miny, maxx, maxy = shapely.bounds(geoms).T
    out = np.zeros((len(geoms), len(RATIOS)))
    for j, ratio in enumerate(RATIOS):
        lo = np.zeros(len(geoms))
        hi = np.maximum(np.minimum(2 * np.minimum(y - miny, maxy - y), 2 * np.minimum(x - minx, maxx - x) / ratio), 0)
        for _ in range(STEPS):
            mid = (lo + hi) / 2
            inside = shapely.contains(geoms, shapely.box(x - ratio * mid / 2, y - mid / 2, x + ratio * mid / 2,
                                                         y + mid / 2))
            lo, hi = np.where(inside, mid, lo), np.where(inside, hi, mid)
        out[:, j] = lo
    return np.floor(out)


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
