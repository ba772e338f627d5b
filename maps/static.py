"""Static PNG maps (geopandas + matplotlib Agg, no display): choropleth, venues by risk, scale bar, north arrow."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from inspector.core.errors import InputError
from maps.data import MapData
from maps.figures import (
    METRICS,
    NO_DATA,
    PALETTES,
    RISK_COLORS,
    depths,
    layer_values,
    leaf_mask,
    no_scan_data,
    prepare_units,
    quantile_classes,
    risk_class,
)
from maps.labels import Translate, class_labels, metric_labels, risk_labels

FONT = "DejaVu Sans"  # ships with matplotlib and covers Vietnamese (ơ, ư, ạ, ộ ...)


def _plain(text: str) -> str:
    """Text matplotlib prints as it is (a ``$`` would start mathtext)."""
    return text.replace("$", r"\$")


def _period(period: tuple[dt.date, dt.date], lang: str) -> str:
    fmt = "%d/%m/%Y" if lang.startswith("vi") else "%d %b %Y"
    return f"{period[0]:{fmt}} – {period[1]:{fmt}}"


def _nice_length(width_m: float) -> float:
    """Choose a round scale-bar length (1, 2 or 5 x 10^n metres) near a fifth of the map width."""
    target = max(width_m / 5, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return max(step * power for step in (1, 2, 5) if step * power <= target)


def _scale_bar(ax: Axes) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    left, bottom, height = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0), 0.012 * (y1 - y0)
    for k in range(4):
        ax.add_patch(Rectangle((left + k * length / 4, bottom), length / 4, height,
                               facecolor="black" if k % 2 == 0 else "white", edgecolor="black", linewidth=0.6,
                               zorder=6))
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    for x, text in ((left, "0"), (left + length, label)):
        ax.text(x, bottom + 1.8 * height, text, ha="center", va="bottom", fontsize=7, zorder=6)


def _north_arrow(ax: Axes, units: gpd.GeoDataFrame, crs: Any, tr: Translate) -> None:
    """Draw an arrow to true north (UTM grid north differs from it by the meridian convergence)."""
    centre = units.to_crs(4326).union_all().centroid
    ends = gpd.GeoSeries.from_xy([centre.x, centre.x], [centre.y, centre.y + 0.05], crs=4326).to_crs(crs)
    dx, dy = ends.x.iloc[1] - ends.x.iloc[0], ends.y.iloc[1] - ends.y.iloc[0]
    norm = math.hypot(dx, dy) or 1.0
    ax.annotate(_plain(tr("N")), xy=(0.94, 0.95), xycoords="axes fraction",
                xytext=(-32 * dx / norm, -32 * dy / norm), textcoords="offset points", ha="center", va="center",
                fontsize=10, fontweight="bold",
                arrowprops={"facecolor": "black", "edgecolor": "black", "width": 3, "headwidth": 10,
                            "headlength": 10, "shrinkA": 7, "shrinkB": 0})


def render_png(data: MapData, path: str | Path, *, tr: Translate, lang: str,
               metric: str = "scans_per_1000_per_day", title: str | None = None, dpi: int = 150) -> Path:
    """Draw a static map of ``data`` (inside ``data.focus`` when set) into a PNG file.

    The leaf units inside the focus are coloured by ``metric`` in quantile classes, their parents' boundaries
    drawn over them, venues shown as small points coloured by risk class; with title, legend, scale bar and
    north arrow, in the local UTM projection.

    Parameters
    ----------
    data
        Units and venues; restricted to ``data.focus`` with :meth:`MapData.within`.
    path
        The PNG file to write.
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
        Resolution.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    data = data.within(data.focus)
    units = prepare_units(data.units)
    if units.empty:
        raise InputError("no_units")
    crs = units.estimate_utm_crs()
    projected = units.to_crs(crs)
    leaves = projected[leaf_mask(projected)]
    parents = projected[~leaf_mask(projected)]
    column, values, _ = layer_values(leaves, metric)  # blank without scans, as on the web map
    no_scans = no_scan_data(units)
    classes = quantile_classes(values, PALETTES[column])
    top = units.loc[depths(units).idxmin()]
    named = units[units["code"] == data.focus]
    when = tr("no scan data yet") if no_scans else _period(data.period, lang)
    heading = title if title is not None else f"{(named.iloc[0] if len(named) else top)['name']} · {when}"

    with mpl.rc_context({"font.family": FONT, "axes.unicode_minus": False}):
        fig = Figure(figsize=(11, 8))
        ax = fig.add_axes((0.02, 0.04, 0.68, 0.86))
        leaves.plot(ax=ax, color=classes.color_of(), edgecolor="#7a7a7a", linewidth=0.3, zorder=1)
        if not parents.empty:
            width = 2.2 - 0.7 * depths(parents).clip(upper=2)
            parents.boundary.plot(ax=ax, color="#222222", linewidth=width.to_numpy(), zorder=3)
        venues = data.venues[data.venues["lat"].notna() & data.venues["lon"].notna()]
        if len(venues):
            points = gpd.GeoSeries.from_xy(venues["lon"], venues["lat"], crs=4326).to_crs(crs)
            cls = risk_class(venues["risk"])
            dense = len(venues) > 5000  # many venues: smaller dots without outlines, so the fills stay readable
            size = 0.7 if dense else 5.0
            for c in range(4):
                mask = cls == c
                if mask.any():
                    ax.scatter(points.x[mask], points.y[mask], s=size * (1 + 0.5 * c), c=RISK_COLORS[c],
                               edgecolors="none" if dense or not c else "#333333", linewidths=0.2,
                               zorder=4 + c * 0.1)
        ax.set_axis_off()
        ax.set_aspect("equal")
        _scale_bar(ax)
        _north_arrow(ax, units, crs, tr)
        fig.suptitle(_plain(heading), x=0.02, ha="left", fontsize=15, fontweight="bold")

        handles = [Patch(facecolor=color, edgecolor="#7a7a7a", label=_plain(label)) for color, label in
                   zip(classes.colors, class_labels(column, classes.breaks, lang), strict=True)]
        if np.isnan(values).any():
            handles.append(Patch(facecolor=NO_DATA, edgecolor="#7a7a7a", label=tr("No data")))
        legend_title = metric_labels(tr)[column]
        if classes.breaks and not classes.single_value:  # one value alone needs no classes explained
            legend_title += "\n" + tr("Quantile classes ({n})").format(n=len(classes.colors))
        if no_scans and column != "flagged_share":
            legend_title = metric_labels(tr)[metric] + "\n" + tr("(no scan data yet)")
        elif column not in METRICS:
            legend_title += "\n" + tr("(population unknown)")
        if handles:
            fig.legend(handles=handles, title=_plain(legend_title), loc="upper left", bbox_to_anchor=(0.72, 0.88),
                       fontsize=9, title_fontsize=9, frameon=False, alignment="left")
        risk = [Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor=color,
                       markeredgecolor="#333333", markeredgewidth=0.4, label=_plain(label))
                for color, label in zip(RISK_COLORS, risk_labels(tr), strict=True)]
        fig.legend(handles=risk, title=_plain(tr("Venues: risk class")), loc="upper left",
                   bbox_to_anchor=(0.72, 0.48), fontsize=9, title_fontsize=9, frameon=False, alignment="left")
        fig.savefig(path, dpi=dpi, facecolor="white", bbox_inches="tight", pad_inches=0.25)
    return Path(path)
