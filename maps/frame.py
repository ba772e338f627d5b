"""Frame of a static map: the extent from unit outlines, outlines fit to draw, scale bar and north arrow."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import shapely
from matplotlib.axes import Axes
from matplotlib.offsetbox import AnchoredOffsetbox, AuxTransformBox, DrawingArea
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.text import Text

#: white space around the outlines in focus, as a share of their width and height
MARGIN = 0.04
#: interior rings smaller than this share of the view are not drawn (slivers between derived outlines)
HOLE_SHARE = 0.002
#: the backing box of the scale bar and the north arrow: readable on any fill, what lies under still shows
BOX = {"facecolor": "white", "alpha": 0.85, "edgecolor": "#9a9a9a", "linewidth": 0.5}
#: corners as (right?, top?), in the order the north arrow prefers them (the scale bar the reverse)
CORNERS = {"upper right": (1, 1), "upper left": (0, 1), "lower right": (1, 0), "lower left": (0, 0)}
#: share of the view's width and height the arrow's and the scale bar's boxes about take
ARROW_SIZE, BAR_SIZE = (0.08, 0.14), (0.28, 0.1)


def plain(text: str) -> str:
    """Text matplotlib prints as it is (a ``$`` would start mathtext)."""
    return text.replace("$", r"\$")


def frame(ax: Axes, outlines: gpd.GeoSeries, aspect: float) -> tuple[float, float, float, float]:
    """Fit ``ax`` to ``outlines``: their bounds with a margin, widened to the axes' ``aspect`` (width / height).

    Only the outlines set the view, never what is drawn on them: a venue outside is clipped, not framed.

    Returns
    -------
    tuple
        The limits ``(x0, x1, y0, y1)``.
    """
    left, bottom, right, top = (float(v) for v in outlines.total_bounds)
    width, height = max(right - left, 1.0) * (1 + 2 * MARGIN), max(top - bottom, 1.0) * (1 + 2 * MARGIN)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = (left + right) / 2, (bottom + top) / 2
    limits = (cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2)
    ax.set_xlim(limits[0], limits[1])
    ax.set_ylim(limits[2], limits[3])
    ax.set_aspect("equal")
    ax.set_autoscale_on(False)
    return limits


def drawn_outlines(geoms: gpd.GeoSeries, min_area: float) -> gpd.GeoSeries:
    """``geoms`` without their interior rings smaller than ``min_area``, for drawing only (data keep them).

    Outlines dissolved from smaller units keep every sliver between those as a hole; drawn as thick lines they
    look like dashes all over the map.
    """
    def keep_large(geom: Any) -> Any:
        if not isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
            return geom
        parts = [shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area >= min_area])
                 for p in getattr(geom, "geoms", [geom])]
        return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)

    return gpd.GeoSeries([keep_large(g) for g in geoms], index=geoms.index, crs=geoms.crs)


def corners(outline: Any, limits: tuple[float, float, float, float]) -> tuple[str, str]:
    """Corners for the north arrow and the scale bar: where ``outline`` covers least of the boxes' room.

    Near ties go to the preferred corner (upper right for the arrow, lower left for the scale bar).
    """
    x0, x1, y0, y1 = limits

    def covered(name: str, size: tuple[float, float]) -> float:
        w, h = (x1 - x0) * size[0], (y1 - y0) * size[1]
        right, top = CORNERS[name]
        bx, by = (x1 - w if right else x0), (y1 - h if top else y0)
        return round(float(shapely.box(bx, by, bx + w, by + h).intersection(outline).area) / (w * h), 1)

    order = list(CORNERS)
    arrow = min(order, key=lambda c: (covered(c, ARROW_SIZE), order.index(c)))
    rest = [c for c in reversed(order) if c != arrow]
    return arrow, min(rest, key=lambda c: (covered(c, BAR_SIZE), rest.index(c)))


def nice_length(width_m: float) -> float:
    """Choose a round scale-bar length (1, 2 or 5 x 10^n metres) near a fifth of the map width."""
    target = max(width_m / 5, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return max(step * power for step in (1, 2, 5) if step * power <= target)


def _backed(ax: Axes, child: Any, loc: str) -> AnchoredOffsetbox:
    box = AnchoredOffsetbox(loc, child=child, pad=0.35, borderpad=0.5, frameon=True)
    box.patch.set(**BOX)
    box.patch.set_boxstyle("round", pad=0, rounding_size=0.25)
    box.set_zorder(7)  # above fills, outlines and venues
    ax.add_artist(box)
    return box


def scale_bar(ax: Axes, loc: str) -> AnchoredOffsetbox:
    """Draw a four-part scale bar (a fifth to a tenth of the map width) in a backed box at corner ``loc``."""
    x0, x1 = ax.get_xlim()
    length = nice_length(x1 - x0)
    height = 0.012 * (x1 - x0)
    bar = AuxTransformBox(ax.transData)  # lengths in metres, as the (UTM) data
    for k in range(4):
        bar.add_artist(Rectangle((k * length / 4, 0), length / 4, height, linewidth=0.6, edgecolor="black",
                                 facecolor="black" if k % 2 == 0 else "white"))
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    for x, text in ((0.0, "0"), (length, label)):
        bar.add_artist(Text(x, 1.8 * height, text, ha="center", va="bottom", fontsize=7))
    return _backed(ax, bar, loc)


def north_arrow(ax: Axes, crs: Any, letter: str, loc: str) -> AnchoredOffsetbox:
    """Draw an arrow to true north (UTM grid north differs by the meridian convergence) at corner ``loc``."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    centre = gpd.GeoSeries.from_xy([(x0 + x1) / 2], [(y0 + y1) / 2], crs=crs).to_crs(4326)
    lon, lat = float(centre.x.iloc[0]), float(centre.y.iloc[0])
    ends = gpd.GeoSeries.from_xy([lon, lon], [lat, lat + 0.05], crs=4326).to_crs(crs)
    dx, dy = ends.x.iloc[1] - ends.x.iloc[0], ends.y.iloc[1] - ends.y.iloc[0]
    norm = math.hypot(dx, dy) or 1.0
    dx, dy = dx / norm, dy / norm
    area = DrawingArea(24, 42)  # in points
    cx, cy = 12.0, 26.0
    area.add_artist(FancyArrowPatch((cx - 13 * dx, cy - 13 * dy), (cx + 13 * dx, cy + 13 * dy),
                                    arrowstyle="simple,head_length=0.9,head_width=0.9,tail_width=0.35",
                                    mutation_scale=11, color="black", shrinkA=0, shrinkB=0))
    area.add_artist(Text(cx, 5.0, plain(letter), ha="center", va="center", fontsize=10, fontweight="bold"))
    return _backed(ax, area, loc)
