"""Check that imported units fit the workspace's: inside their parents, not on top of other units."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely

#: A unit is outside its parent when less than this share of its area lies inside the parent's polygon.
INSIDE_SHARE = 0.5
#: A unit lies on another one when more than this share of its area is inside units of other codes.
OVERLAP_SHARE = 0.2
#: How many units a warning names.
EXAMPLES = 5


def outside_parent(units: gpd.GeoDataFrame, codes: Iterable[str]) -> list[str]:
    """Codes of units mostly outside their parent's polygon, among those in ``codes`` or whose parent is.

    ``units`` is the workspace's (``code``, ``parent_code``, geometry).
    """
    codes = set(codes)
    parents = units.dropna(subset=["geometry"]).set_index("code").geometry
    children = units[units["parent_code"].isin(parents.index) & units.geometry.notna()]
    children = children[children["code"].isin(codes) | children["parent_code"].isin(codes)]
    if children.empty:
        return []
    own = children.geometry.to_numpy()
    inside = shapely.area(shapely.intersection(own, parents.loc[children["parent_code"]].to_numpy()))
    share = inside / np.maximum(shapely.area(own), 1e-18)
    return sorted(children.loc[share < INSIDE_SHARE, "code"])


def on_other_units(imported: gpd.GeoDataFrame, existing: gpd.GeoDataFrame) -> list[str]:
    """Codes of ``imported`` units lying largely on ``existing`` units of their level under other codes."""
    others = existing[~existing["code"].isin(imported["code"]) & existing.geometry.notna()]
    found = []
    for level, group in imported.groupby("level"):
        same = others[others["level"] == level].geometry.to_numpy()
        if not len(same):
            continue
        tree = shapely.STRtree(same)
        own = group.geometry.to_numpy()
        pairs = tree.query(own, predicate="intersects")
        covered = np.zeros(len(own))
        shared = shapely.area(shapely.intersection(own[pairs[0]], same[pairs[1]]))
        np.add.at(covered, pairs[0], shared)
        found += list(group["code"][covered / np.maximum(shapely.area(own), 1e-18) > OVERLAP_SHARE])
    return sorted(found)
