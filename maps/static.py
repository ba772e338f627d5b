"""Static PNG maps (geopandas + matplotlib Agg, no display): choropleth, venues by risk, legends."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from inspector.core.errors import InputError
from inspector.core.i18n import day
from inspector.core.units import chains
from maps import report_layer
from maps.data import MapData
from maps.figures import (
    METRICS,
    NO_DATA,
    PALETTES,
    RISK_COLORS,
    Classes,
    LayerValues,
    depths,
    layer_values,
    leaf_mask,
    no_scan_data,
    prepare_units,
    quantile_classes,
    risk_class,
)
from maps.frame import HOLE_SHARE, corners, drawn_outlines, frame, north_arrow, plain, scale_bar
from maps.labels import Translate, class_labels, layer_title, risk_labels
from maps.unit_labels import draw_labels

FONT = "DejaVu Sans"  # ships with matplotlib and covers Vietnamese (ơ, ư, ạ, ộ ...)
FIGSIZE = (11.0, 8.0)
#: the map's axes in figure fractions (left, bottom, width, height); legends to its right
MAP_AXES = (0.02, 0.04, 0.68, 0.86)
#: venue dots cover about this share of the map together; diameters between these (points)
DOT_COVER, DOT_MIN, DOT_MAX = 0.04, 2.5, 9.0
#: a dot grows with the risk class (none, low, medium, high): diameter x (1 + DOT_GROWTH * class)
DOT_GROWTH = 0.15
DOT_EDGE = "#222222"
#: where venues crowd (dots of DOT_MIN would cover more than CROWDED of the area), every class is drawn the same
#: size, no-signal dots translucent and without outline, high-risk ones on top ringed in white: each one findable,
#: and a city full of venues no redder than the share of them at high risk
CROWDED, CROWDED_ALPHA, RING = 0.15, 0.7, "#ffffff"
#: how the units look without any scan: unfilled and hatched, not the grey of "no data"
UNKNOWN: dict[str, Any] = {"facecolor": "white", "edgecolor": "#9a9a9a", "hatch": "////"}
#: the units around the one in focus: light grey, thin outlines (those holding others a little darker)
AROUND: dict[str, Any] = {"facecolor": "#efefef", "edgecolor": "#c4c4c4", "linewidth": 0.3}
AROUND_PARENTS: dict[str, Any] = {"color": "#a6a6a6", "linewidth": 0.7}
#: characters per line of a legend's title and notes (the legends' column right of the map)
LEGEND_WIDTH = 36


def dot_style(shown: int, map_area_pt2: float) -> tuple[float, float]:
    """Diameter (points) of a no-risk venue dot and its outline width, for ``shown`` venues on ``map_area_pt2``.

    Few venues get large dots, many get small ones, so that together they cover about ``DOT_COVER`` of the area
    in focus as printed.
    """
    diameter = float(np.clip(math.sqrt(DOT_COVER * map_area_pt2 / max(shown, 1)), DOT_MIN, DOT_MAX))
    return diameter, float(np.clip(0.08 * diameter, 0.25, 0.6))


def class_styles(shown: int, map_area_pt2: float) -> list[dict[str, Any]]:
    """How the dots of each risk class (none, low, medium, high) look, for ``shown`` venues on ``map_area_pt2``.

    Returns
    -------
    list of dict
        Per class: ``size`` (diameter, points), ``color``, ``edgecolor``, ``linewidth`` and ``alpha``.
    """
    diameter, edge = dot_style(shown, map_area_pt2)
    crowded = shown * DOT_MIN**2 > CROWDED * map_area_pt2
    growth = 0.0 if crowded else DOT_GROWTH
    styles = [{"size": diameter * (1 + growth * c), "color": color, "edgecolor": DOT_EDGE, "linewidth": edge,
               "alpha": 1.0} for c, color in enumerate(RISK_COLORS)]
    if crowded:
        styles[0].update(linewidth=0.0, alpha=CROWDED_ALPHA)
        styles[3].update(edgecolor=RING, linewidth=max(edge, 0.4))
    return styles


def _venues(ax: Axes, venues: pd.DataFrame, crs: Any, limits: tuple[float, float, float, float],
            map_area_pt2: float) -> list[dict[str, Any]]:
    """Draw the venues inside ``limits`` (the others are not on this map) as dots by risk class; return the styles."""
    venues = venues[venues["lat"].notna() & venues["lon"].notna()]
    points = gpd.GeoSeries.from_xy(venues["lon"], venues["lat"], crs=4326).to_crs(crs)
    x, y = points.x.to_numpy(), points.y.to_numpy()
    inside = (x >= limits[0]) & (x <= limits[1]) & (y >= limits[2]) & (y <= limits[3])
    styles = class_styles(int(inside.sum()), map_area_pt2)
    cls = risk_class(venues["risk"])
    for c, style in enumerate(styles):
        mask = inside & (cls == c)
        if mask.any():
            ax.scatter(x[mask], y[mask], s=style["size"] ** 2, c=style["color"], edgecolors=style["edgecolor"],
                       linewidths=style["linewidth"], alpha=style["alpha"], zorder=4 + c * 0.1)
    return styles


def _around(ax: Axes, units: gpd.GeoDataFrame, focus: str | None, crs: Any,
            limits: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """Draw the units around ``focus`` that reach into ``limits`` in light grey, under the focus's own.

    Neither the units inside ``focus`` nor those it lies in are drawn: only its neighbours, without figures.

    Returns
    -------
    geopandas.GeoDataFrame
        The neighbours of the focus's level (its neighbouring districts, or wards), cut to ``limits``.
    """
    if focus is None:
        return units.iloc[:0].to_crs(crs)
    up = chains(units)
    hidden = {code for code, chain in up.items() if focus in chain} | set(up.get(focus, []))
    leaf = pd.Series(leaf_mask(units), index=units.index)
    around = units[~units["code"].isin(hidden)].to_crs(crs)
    view = shapely.box(limits[0], limits[2], limits[1], limits[3])
    around = around[around.intersects(view)]
    if around.empty:
        return around
    leaves = around[leaf[around.index].to_numpy()]
    if not leaves.empty:
        leaves.plot(ax=ax, zorder=0.5, **AROUND)
    parents = around[~leaf[around.index].to_numpy()]
    if not parents.empty:
        parents.boundary.plot(ax=ax, zorder=0.6, **AROUND_PARENTS)
    # a neat line where the grey is cut by the edge of the map
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, zorder=0.7, **AROUND_PARENTS))
    level = units.loc[units["code"] == focus, "level"]
    same = around[around["level"].isin(level)]
    return same.set_geometry(same.intersection(view))


def map_figure(data: MapData, *, tr: Translate, lang: str, metric: str = "scans_per_1000_per_day",
               title: str | None = None, dpi: float = 150) -> Figure:
    """Draw a static map of ``data`` (inside ``data.focus`` when set) on a new figure (no pyplot).

    The leaf units inside the focus are coloured by ``metric`` in quantile classes, their parents' outlines
    drawn over them, venues shown as dots coloured by risk class; with title, legends, and a scale bar and
    north arrow in the corners that leave them most room; in the local UTM projection. The view is the
    outline of the focus unit (or the whole area), whatever venue lies outside it. The units one level below
    the top of the map (the province's districts, a district's wards) are named where the name fits; the units
    around the focus that reach into the view are drawn in light grey, without figures, venues or legend.

    Parameters
    ----------
    data
        Units and venues; restricted to ``data.focus`` with :meth:`MapData.within`. Pass all units (not data
        already restricted) for the neighbours to show.
    tr
        Translation function (gettext; identity for English).
    lang
        Language code ("vi" or "en") for number and date formats.
    metric
        ``"scans_per_1000_per_day"`` (falls back to scans per venue per day without population) or
        ``"flagged_share"``.
    title
        Title; by default the focus (or top) unit's name and the period.
    dpi
        The resolution it will be saved at: text is measured at it to fit the names (text a little wider in
        points at one resolution than at another).

    Returns
    -------
    matplotlib.figure.Figure
        The map; its first axes hold the map itself.
    """
    everything = data.units
    data = data.within(data.focus)
    units = prepare_units(data.units)
    if units.empty:
        raise InputError("no_units")
    crs = units.estimate_utm_crs()
    projected = units.to_crs(crs)
    depth = depths(projected)
    leaves = projected[leaf_mask(projected)]
    layer = layer_values(leaves, metric)
    classes = quantile_classes(layer.values, PALETTES[layer.column])
    top = units.loc[depth.idxmin()]
    named = units[units["code"] == data.focus]
    when = tr("no scan data yet") if no_scan_data(units) else " – ".join(day(d, lang) for d in data.period)
    heading = title if title is not None else f"{(named.iloc[0] if len(named) else top)['name']} · {when}"

    fig = Figure(figsize=FIGSIZE, dpi=dpi)
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.add_axes(MAP_AXES)
    ax.set_axis_off()
    width_in, height_in = FIGSIZE[0] * MAP_AXES[2], FIGSIZE[1] * MAP_AXES[3]
    outline = projected.geometry[depth == depth.min()]
    limits = frame(ax, outline, width_in / height_in)
    neighbours = _around(ax, everything, data.focus, crs, limits)
    if layer.no_scans:
        leaves.plot(ax=ax, linewidth=0.3, zorder=1, **UNKNOWN)
    else:
        leaves.plot(ax=ax, color=classes.color_of(), edgecolor="#7a7a7a", linewidth=0.3, zorder=1)
    # parents' outlines over the fills, and the focus unit's even when it is a ward with no unit inside
    outlined = projected[~leaf_mask(projected) | (depth == depth.min()).to_numpy()]
    view_area = (limits[1] - limits[0]) * (limits[3] - limits[2])
    drawn_outlines(outlined.geometry, HOLE_SHARE * view_area).boundary.plot(
        ax=ax, color="#222222", linewidth=(1.6 - 0.5 * depth[outlined.index].clip(upper=2)).to_numpy(),
        joinstyle="round", capstyle="round", zorder=3)
    paper = width_in * height_in * 72**2 * min(float(outline.area.sum()) / view_area, 1.0)  # the area in focus, pt²
    styles = _venues(ax, data.venues, crs, limits, paper)
    reports = _reports(ax, data.reports, crs, limits)
    arrow_at, bar_at = corners(outline.union_all(), limits)
    boxes = [scale_bar(ax, bar_at), north_arrow(ax, crs, tr("N"), arrow_at)]
    below = (depth == depth.min() + 1).to_numpy()  # the province's districts, a district's wards
    avoid = [box.get_window_extent(renderer) for box in boxes]
    leaf = leaf_mask(projected)
    # the focus's own units first, then its neighbours of its own level (wards around a ward)
    for named, of_leaves, around in ((projected[below], leaf[below].all(), False),
                                     (neighbours, leaf[(depth == depth.min()).to_numpy()].all(), True)):
        # without the slivers between derived outlines, that would keep any name out
        named = named.set_geometry(drawn_outlines(named.geometry, HOLE_SHARE * view_area))
        names = draw_labels(ax, named, renderer, leaf=bool(of_leaves), avoid=avoid, around=around)
        avoid += [name.get_window_extent(renderer) for name in names]
    fig.suptitle(plain(heading), x=0.02, ha="left", fontsize=15, fontweight="bold")
    shown = leaves["level"].dropna().unique()
    _legends(fig, layer, classes, str(shown[0]) if len(shown) == 1 else None, styles, tr=tr, lang=lang)
    if reports:  # as the web map draws them, under the venues' legend
        fig.legend(handles=[Line2D([], [], marker="o", linestyle="", label=plain(tr("Citizen reports without a venue")),
                                   **REPORT_MARKER)],
                   loc="upper left", bbox_to_anchor=(0.72, 0.31), fontsize=9, frameon=False, alignment="left")
    return fig


#: The citizen reports without a venue as the web map draws them (:mod:`maps.report_layer`)
REPORT_SIZE, REPORT_EDGE = 6.0, 1.6  # points
REPORT_MARKER: dict[str, Any] = {"markersize": REPORT_SIZE, "markerfacecolor": report_layer.FILL,
                                 "markeredgecolor": report_layer.RING, "markeredgewidth": REPORT_EDGE}


def _reports(ax: Axes, reports: pd.DataFrame, crs: Any, limits: tuple[float, float, float, float]) -> int:
    """Draw the citizen reports without a venue inside ``limits``; return how many were drawn."""
    if reports.empty:
        return 0
    points = gpd.GeoSeries.from_xy(reports["lon"], reports["lat"], crs=4326).to_crs(crs)
    x, y = points.x.to_numpy(), points.y.to_numpy()
    inside = (x >= limits[0]) & (x <= limits[1]) & (y >= limits[2]) & (y <= limits[3])
    if inside.any():
        ax.scatter(x[inside], y[inside], s=REPORT_SIZE**2, c=report_layer.FILL, edgecolors=report_layer.RING,
                   linewidths=REPORT_EDGE, zorder=5, label="reports")
    return int(inside.sum())


def _legends(fig: Figure, layer: LayerValues, classes: Classes, level: str | None, styles: list[dict[str, Any]], *,
             tr: Translate, lang: str) -> None:
    """The choropleth's legend (a note alone when no scan is known) and the venue risk classes'.

    The choropleth's is titled as the web map's layer of ``level`` (the units' level when they share one).
    """
    legend_title = textwrap.fill(layer_title(level, layer.column, tr), LEGEND_WIDTH)
    if layer.no_scans:
        note = textwrap.fill(tr("No scan data yet: import scan logs to see scan rates."), LEGEND_WIDTH)
        handles = [Patch(linewidth=0.5, label=plain(note), **UNKNOWN)]
    else:
        handles = [Patch(facecolor=color, edgecolor="#7a7a7a", label=plain(label)) for color, label in
                   zip(classes.colors, class_labels(layer.column, classes.breaks, lang), strict=True)]
        if np.isnan(layer.values).any():
            handles.append(Patch(facecolor=NO_DATA, edgecolor="#7a7a7a", label=plain(tr("No data"))))
        if classes.breaks and not classes.single_value:
            legend_title += "\n" + tr("Quantile classes ({n})").format(n=len(classes.colors))
        if layer.column not in METRICS:
            legend_title += "\n" + tr("(population unknown)")
    fig.legend(handles=handles, title=plain(legend_title), loc="upper left", bbox_to_anchor=(0.72, 0.88),
               fontsize=9, title_fontsize=9, frameon=False, alignment="left")
    risk = [Line2D([], [], marker="o", linestyle="", markersize=style["size"], markerfacecolor=style["color"],
                   markeredgecolor=style["edgecolor"], markeredgewidth=style["linewidth"], alpha=style["alpha"],
                   label=plain(label))
            for style, label in zip(styles, risk_labels(tr), strict=True)]
    fig.legend(handles=risk, title=plain(tr("Venues: risk class")), loc="upper left", bbox_to_anchor=(0.72, 0.48),
               fontsize=9, title_fontsize=9, frameon=False, alignment="left")


def render_png(data: MapData, path: str | Path, *, tr: Translate, lang: str,
               metric: str = "scans_per_1000_per_day", title: str | None = None, dpi: int = 150) -> Path:
    """Draw a static map of ``data`` (see :func:`map_figure`) into a PNG file.

    Parameters
    ----------
    data
        Units and venues; restricted to ``data.focus`` with :meth:`MapData.within`.
    path
        The PNG file to write.
    tr, lang, metric, title
        As for :func:`map_figure`.
    dpi
        Resolution.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    with mpl.rc_context({"font.family": FONT, "axes.unicode_minus": False, "hatch.linewidth": 0.5}):
        fig = map_figure(data, tr=tr, lang=lang, metric=metric, title=title, dpi=dpi)
        fig.savefig(path, dpi=dpi, facecolor="white", bbox_inches="tight", pad_inches=0.25)
    return Path(path)
