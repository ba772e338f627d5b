"""Unit names on a static map: at a point inside each unit, only where the name fits and clears the others."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from maps.frame import plain
from maps.unit_names import anchor, label_texts

#: font sizes (points) of the names of units that hold others (districts) and of leaf units (wards): legible on
#: paper at the figure's 11 x 8 in
PARENT_SIZE, LEAF_SIZE = 9.0, 7.5
LABEL_COLOR = "#1a1a1a"
#: the names of the units around the one in focus: grey and slanted, as their grey fill
AROUND_COLOR = "#6e6e6e"
#: a white halo reads over any fill and dot
HALO = (patheffects.withStroke(linewidth=2.4, foreground="white"),)
#: room (points) kept free around each name, and how far (points) its box may reach past its unit's outline
GAP, SLACK = 1.5, 0.5
#: share of a name's box height left blank above and below its letters (room for the font's tallest accents),
#: that may lie outside its unit
BLANK = 0.15
#: most places tried per side of a unit when its name does not fit at its anchor
GRID = 40
#: a unit's name is drawn above the outlines and dots, below the scale bar and north arrow
ZORDER = 6


def draw_labels(ax: Axes, units: gpd.GeoDataFrame, renderer: RendererBase, *, leaf: bool,
                avoid: Sequence[Bbox] = (), around: bool = False) -> list[Text]:
    """Name ``units`` (in the axes' data coordinates) where the name fits; return the names drawn.

    Larger units are named first. A name is written in the first of :func:`label_texts` whose box can lie inside
    the unit (within ``SLACK``, but for its ``BLANK`` top and bottom) and the axes, clear (by ``GAP``) of the
    names already drawn and of the ``avoid`` boxes (the scale bar, the north arrow): centred on the unit's
    :func:`anchor` if it can, else on the nearest place that can; a unit where none can is left unnamed.

    Parameters
    ----------
    ax
        The map, its limits set.
    units
        Units with ``name`` and ``geometry``.
    renderer
        The figure's renderer, to measure the text.
    leaf
        Whether the units are wards and communes (smaller names without their prefix) or larger units.
    avoid
        Boxes, in display coordinates, no name may touch.
    around
        Whether the units are the neighbours of the one in focus (grey, slanted names).
    """
    size = LEAF_SIZE if leaf else PARENT_SIZE
    style: dict[str, Any] = {"fontsize": size, "fontweight": "normal" if leaf or around else "bold",
                             "fontstyle": "italic" if around else "normal",
                             "color": AROUND_COLOR if around else LABEL_COLOR}
    to_data = ax.transData.inverted()
    points = ax.figure.dpi / 72.0 * float(to_data.get_matrix()[0, 0])  # data units per point (equal aspect)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    gap = GAP * points
    view = shapely.box(x0 + gap, y0 + gap, x1 - gap, y1 - gap)
    taken = [shapely.box(*to_data.transform([(b.x0, b.y0), (b.x1, b.y1)]).ravel()) for b in avoid]
    drawn: list[Text] = []
    geoms = units.geometry.to_numpy()
    for i in np.argsort(-shapely.area(geoms), kind="stable"):
        geom = geoms[i]
        if geom is None or geom.is_empty:
            continue
        room = geom.buffer(SLACK * points)
        blocked = shapely.union_all(taken).buffer(gap, join_style="mitre") if taken else shapely.Polygon()
        shapely.prepare(room)
        shapely.prepare(blocked)
        centre = anchor(geom)
        for text in label_texts(units["name"].iloc[i], leaf=leaf):
            label = ax.text(centre.x, centre.y, plain(text), ha="center", va="center", ma="center",
                            path_effects=HALO, zorder=ZORDER, clip_on=True, **style)
            box = label.get_window_extent(renderer)
            corners = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)]) - (centre.x, centre.y)
            place = _place(geom, (room, view, blocked), centre, corners)
            if place is not None:
                label.set_position((float(place[0]), float(place[1])))
                taken.append(shapely.box(*(corners + place).ravel()))
                drawn.append(label)
                break
            label.remove()
    return drawn


def _place(geom: Any, where: tuple[Any, Any, Any], centre: shapely.Point, corners: np.ndarray) -> np.ndarray | None:
    """Where a name whose box spans ``corners`` around its position fits: at ``centre``, else the nearest such place.

    It fits where its box but for its ``BLANK`` top and bottom lies in the first of ``where`` (the unit), the
    whole box in the second (the axes), clear of the third (the names already drawn).

    The places tried lie on a grid over the unit, a third of the name's height apart (at most ``GRID`` per side).
    """
    (dx0, dy0), (dx1, dy1) = corners
    blank = BLANK * (dy1 - dy0)
    room, view, blocked = where
    start = np.array([centre.x, centre.y])

    def fitting(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        boxes = shapely.box(x + dx0, y + dy0, x + dx1, y + dy1)
        ink = shapely.box(x + dx0, y + dy0 + blank, x + dx1, y + dy1 - blank)
        return np.asarray(shapely.contains(room, ink) & shapely.contains(view, boxes)
                          & ~shapely.intersects(blocked, boxes))

    if fitting(start[None, :])[0]:
        return start
    left, bottom, right, top = geom.bounds
    step = max((dy1 - dy0) / 3, (right - left) / GRID, (top - bottom) / GRID)
    xs, ys = np.meshgrid(np.arange(left, right + step, step), np.arange(bottom, top + step, step))
    xy = np.column_stack([xs.ravel(), ys.ravel()])
    xy = xy[np.argsort(np.hypot(*(xy - start).T), kind="stable")]
    ok = np.flatnonzero(fitting(xy))
    return xy[ok[0]] if len(ok) else None
