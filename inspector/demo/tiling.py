"""Geometry for the demo: irregular outlines, Voronoi tilings of a parent, random points inside."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


def blob(rng: np.random.Generator, centre: tuple[float, float], radius: float, roughness: float,
         *, stretch: tuple[float, float] = (1.0, 1.0), angle: float = 0.0,
         coast: float = 0.0, vertices: int = 720) -> shapely.Polygon:
    """Return an irregular, star-shaped (hence always valid) polygon.

    Parameters
    ----------
    rng
        Random generator.
    centre
        Centre ``(x, y)``.
    radius
        Mean radius before stretching.
    roughness
        Amplitude of the radial wiggles (0 gives an ellipse).
    stretch
        Semi-axes factors along and across ``angle``.
    angle
        Direction of the long axis, radians from the x axis.
    coast
        0..1: how much the side at ``+across`` is flattened and smoothed like a sandy coast.
    vertices
        Number of vertices.
    """
    theta = np.linspace(0.0, 2 * np.pi, vertices, endpoint=False)
    a, b = stretch
    across = np.sin(theta)
    sea = np.clip(across, 0.0, 1.0) ** 0.7 * coast
    ellipse = 1.0 / np.sqrt((np.cos(theta) / a) ** 2 + (across / b) ** 2)
    box = (np.abs(np.cos(theta) / a) ** 4 + np.abs(across / b) ** 4) ** -0.25
    base = (1 - sea) * ellipse + sea * box
    wiggle = np.zeros_like(theta)
    for k in range(2, 7):
        wiggle += roughness / k**0.8 * rng.uniform(0.4, 1.0) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    jag = np.zeros_like(theta)
    for k in range(7, 48):
        jag += roughness * 0.5 / k**0.9 * rng.uniform(0.0, 1.0) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    r = radius * base * np.maximum(1 + wiggle * (1 - 0.6 * sea) + jag * (1 - sea), 0.2)
    u, v = r * np.cos(theta), r * np.sin(theta)
    x = centre[0] + u * np.cos(angle) - v * np.sin(angle)
    y = centre[1] + u * np.sin(angle) + v * np.cos(angle)
    return shapely.Polygon(np.column_stack([x, y]))


def scale_to_area(polygon: shapely.Polygon, centre: tuple[float, float], area: float) -> shapely.Polygon:
    """Scale ``polygon`` about ``centre`` so that its area is ``area``."""
    k = float(np.sqrt(area / polygon.area))
    return shapely.transform(polygon, lambda xy: (xy - np.asarray(centre)) * k + np.asarray(centre))


def random_points(rng: np.random.Generator, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Draw one point uniformly inside each geometry of ``geoms`` (vectorised rejection sampling)."""
    n = len(geoms)
    x, y = np.full(n, np.nan), np.full(n, np.nan)
    if n == 0:
        return x, y
    shapely.prepare(geoms)
    bounds = shapely.bounds(geoms)
    todo = np.arange(n)
    for _ in range(200):
        bx = bounds[todo]
        cx = rng.uniform(bx[:, 0], bx[:, 2])
        cy = rng.uniform(bx[:, 1], bx[:, 3])
        inside = shapely.contains_xy(geoms[todo], cx, cy)
        x[todo[inside]], y[todo[inside]] = cx[inside], cy[inside]
        todo = todo[~inside]
        if len(todo) == 0:
            return x, y
    # Degenerate slivers: fall back to a point on the surface.
    surface = shapely.point_on_surface(geoms[todo])
    x[todo], y[todo] = shapely.get_x(surface), shapely.get_y(surface)
    return x, y


def seeds_in(rng: np.random.Generator, parent: BaseGeometry, count: int,
             centre: tuple[float, float] | None = None, spread: float = 0.0) -> np.ndarray:
    """Return ``count`` seed points inside ``parent``; denser near ``centre`` when ``spread`` > 0."""
    if parent.is_empty or parent.area <= 0:
        raise ValueError("cannot place seeds in an empty polygon")
    pts: list[np.ndarray] = []
    shapely.prepare(parent)
    x0, y0, x1, y1 = parent.bounds
    have = 0
    while have < count:
        x = rng.uniform(x0, x1, 4 * count)
        y = rng.uniform(y0, y1, 4 * count)
        keep = shapely.contains_xy(parent, x, y)
        if centre is not None and spread > 0:
            d2 = ((x - centre[0]) ** 2 + (y - centre[1]) ** 2) / spread**2
            keep &= rng.random(len(x)) < np.exp(-d2) + 0.08
        pts.append(np.column_stack([x[keep], y[keep]]))
        have += int(keep.sum())
    return np.concatenate(pts)[:count]


def tile(parent: BaseGeometry, seeds: np.ndarray, relax: int = 0) -> np.ndarray:
    """Cut ``parent`` into Voronoi cells of ``seeds`` that tile it (no gaps, no overlaps).

    Parameters
    ----------
    parent
        The polygon to cut.
    seeds
        ``(n, 2)`` seed coordinates inside ``parent``.
    relax
        Lloyd iterations (seeds moved to their cells' centroids) for more even sizes.

    Returns
    -------
    numpy.ndarray
        ``n`` polygons in seed order. Stray fragments of a cell (a non-convex parent can cut a cell
        in two) are merged into the neighbour they share most border with.
    """
    cells = _clip_cells(parent, seeds)
    for _ in range(relax):
        cent = shapely.centroid(cells)
        cells = _clip_cells(parent, np.column_stack([shapely.get_x(cent), shapely.get_y(cent)]))
    return absorb_fragments(cells)


def _clip_cells(parent: BaseGeometry, seeds: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = parent.bounds
    frame = shapely.box(x0, y0, x1, y1).buffer(max(x1 - x0, y1 - y0))
    voronoi = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=frame, ordered=True)
    cells = np.asarray(shapely.get_parts(voronoi))
    return shapely.intersection(cells, parent)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    parts = shapely.get_parts(geom)
    parts = parts[(shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)]
    if len(parts) == 1:
        return parts[0]
    return shapely.MultiPolygon(list(parts)) if len(parts) else shapely.Polygon()


def absorb_fragments(cells: np.ndarray) -> np.ndarray:
    """Merge stray parts of each cell into the neighbour sharing most border with them."""
    cells = np.asarray([_polygonal(c) for c in cells])
    for _ in range(3):
        changed = False
        for i in range(len(cells)):
            parts = shapely.get_parts(cells[i])
            if len(parts) <= 1:
                continue
            parts = parts[np.argsort(-shapely.area(parts), kind="stable")]
            keep = [parts[0]]
            for frag in parts[1:]:
                shared = shapely.length(shapely.intersection(frag.boundary, shapely.boundary(cells)))
                shared[i] = 0.0
                j = int(np.argmax(shared))
                if shared[j] > 0:
                    cells[j] = _polygonal(shapely.union(cells[j], frag))
                    changed = True
                else:
                    keep.append(frag)
            cells[i] = keep[0] if len(keep) == 1 else shapely.MultiPolygon(keep)
        if not changed:
            break
    return cells
