"""Give units without a parent code the parent the map shows: the unit above that holds most of their area."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from inspector.core.units import LEVELS


@dataclass
class Placed:
    """Units given a parent from the map, those no unit of the level above overlaps, and those without that level."""

    parents: dict[str, str] = field(default_factory=dict)  #: code → parent code
    unplaced: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


def parents_from_map(units: gpd.GeoDataFrame) -> Placed:
    """The parent of each unit of ``units`` that has none, from the geometry.

    A district or ward without a parent code gets, of the units of the level just above it (a
    ward's districts, a district's provinces) that have a polygon, the one holding the largest part
    of its area, however small; a unit that none of them overlaps stays without a parent
    (:attr:`Placed.unplaced`), and so does one whose level above has no unit yet
    (:attr:`Placed.pending`). Whether a unit lies mostly outside the parent it got is for
    :func:`.boundary_checks.outside_parent` to say.

    Parameters
    ----------
    units
        The workspace's units (``code``, ``level``, ``parent_code``, geometry in EPSG:4326).
    """
    placed = Placed()
    shaped = units[units.geometry.notna() & ~units.geometry.is_empty]
    orphans = shaped[shaped["parent_code"].isna() & (shaped["level"] != "province")]
    for level, group in orphans.groupby("level"):
        parents = shaped[shaped["level"] == LEVELS[LEVELS.index(str(level)) - 1]]
        if parents.empty:
            placed.pending += list(group["code"])
            continue
        best = _largest_overlap(group.geometry.to_numpy(), parents.geometry.to_numpy())
        codes = parents["code"].to_numpy()
        placed.parents.update({code: str(codes[i]) for code, i in zip(group["code"], best, strict=True) if i >= 0})
        placed.unplaced += [code for code, i in zip(group["code"], best, strict=True) if i < 0]
    placed.unplaced.sort()
    placed.pending.sort()
    return placed


def _largest_overlap(own: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each of ``own``, the index in ``others`` of the polygon sharing the most area with it (-1: none)."""
    pairs = shapely.STRtree(others).query(own, predicate="intersects")
    best = np.full(len(own), -1)
    if not pairs.size:
        return best
    shared = shapely.area(shapely.intersection(own[pairs[0]], others[pairs[1]]))
    frame = pd.DataFrame({"own": pairs[0], "other": pairs[1], "shared": shared})
    frame = frame[frame["shared"] > 0].sort_values(["own", "shared"], ascending=[True, False], kind="stable")
    first = frame.drop_duplicates("own")
    best[first["own"].to_numpy()] = first["other"].to_numpy()
    return best
