"""Unit layers of the web map: quantile choropleths with escaped tooltips, boundaries, and the legend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template

from maps.figures import NO_DATA, PALETTES, RISK_COLORS, Classes, layer_values, quantile_classes
from maps.frame import drawn_outlines
from maps.labels import (
    Translate,
    break_values,
    class_labels,
    fmt_column,
    html_text,
    layer_title,
    percent,
    risk_labels,
)

#: simplification tolerance for the web (degrees, about 10 m), kept topologically shared between neighbours
TOLERANCE = 0.0001


@dataclass
class Choropleth:
    """One choropleth layer and the legend section that explains it."""

    layer: folium.GeoJson
    legend_html: str


def web_geometry(units: gpd.GeoDataFrame) -> np.ndarray:
    """Geometries simplified as one coverage (shared edges stay shared) and rounded to 5 decimals."""
    geoms = units.geometry.to_numpy()
    try:
        geoms = shapely.coverage_simplify(geoms, TOLERANCE)
    except (AttributeError, shapely.errors.GEOSException):  # shapely < 2.1, or not a valid coverage
        geoms = shapely.simplify(geoms, TOLERANCE, preserve_topology=True)
    return shapely.transform(geoms, lambda xy: np.round(xy, 5))


def _features(units: gpd.GeoDataFrame, geoms: np.ndarray, lang: str) -> list[dict[str, Any]]:
    """GeoJSON features whose properties are ready-made, HTML-escaped tooltip strings."""
    flagged = [f"{n} ({percent(s, lang)})" for n, s in zip(units["flagged"].fillna(0).astype(int),
                                                           units["flagged_share"], strict=True)]
    columns = {
        "name": [str(n) for n in units["name"]],
        "pop": fmt_column(units["population"], 0, lang),
        "venues": fmt_column(units["venues"], 0, lang),
        "spd": fmt_column(units["scans_per_day"], 1, lang),
        "rate": fmt_column(units["scans_per_1000_per_day"], 1, lang),
        "spv": fmt_column(units["scans_per_venue_per_day"], 1, lang),
        "flagged": flagged,
        "risk": fmt_column(units["mean_risk"], 1, lang),
    }
    features = []
    for i, geom in enumerate(geoms):  # ids by position: data (codes included) never reaches a template raw
        props = {key: html_text(values[i]) for key, values in columns.items()}
        features.append({"type": "Feature", "id": str(i), "properties": props,
                         "geometry": shapely.geometry.mapping(geom)})
    return features


def _tooltip(tr: Translate) -> folium.GeoJsonTooltip:
    fields = {
        "name": tr("Unit"), "pop": tr("Population"), "venues": tr("Venues"), "spd": tr("Scans per day"),
        "rate": tr("Scans per 1,000 residents per day"), "spv": tr("Scans per venue per day"),
        "flagged": tr("Venues with active signals"), "risk": tr("Mean risk (0–100)"),
    }
    return folium.GeoJsonTooltip(list(fields), aliases=[html_text(a) for a in fields.values()],
                                 sticky=True, class_name="unit-tip")


def _legend_section(title: str, column: str, classes: Classes, missing: int, tr: Translate, lang: str,
                    no_scans: bool = False) -> str:
    e = html_text
    rows = [f"<div class='legend-title'>{e(title)}</div>"]
    if no_scans:
        note = tr("No scan data yet: import scan logs to see scan rates.")
        return "".join(rows) + f"<div class='legend-note'>{e(note)}</div>"
    if column not in ("scans_per_1000_per_day", "flagged_share"):
        note = tr("Population unknown: scans per venue per day shown instead.")
        rows.append(f"<div class='legend-note'>{e(note)}</div>")
    if classes.breaks and not classes.single_value:  # one value alone needs no classes explained
        method = tr("Classes: quantiles ({n} classes, about equal numbers of units)").format(n=len(classes.colors))
        breaks = tr("Breaks: {values}").format(values="; ".join(break_values(column, classes.breaks, lang)))
        rows.append(f"<div class='legend-method'>{e(method)}<br>{e(breaks)}</div>")
    for color, label in zip(classes.colors, class_labels(column, classes.breaks, lang), strict=True):
        rows.append(f"<div class='legend-row'><i style='background:{color}'></i>{e(label)}</div>")
    if missing:
        no_data = tr("No data ({n} units)").format(n=missing)
        rows.append(f"<div class='legend-row'><i style='background:{NO_DATA}'></i>{e(no_data)}</div>")
    return "".join(rows)


def choropleths(units: gpd.GeoDataFrame, level: str, *, tr: Translate, lang: str) -> dict[str, Choropleth]:
    """Choropleths of one level, by metric (scan rate and flagged share).

    Parameters
    ----------
    units
        The units of one level, with the figures of :func:`maps.figures.prepare_units`.
    level
        Their level code.
    tr, lang
        Translation function and language code.
    """
    geoms = web_geometry(units)
    out = {}
    for metric in ("scans_per_1000_per_day", "flagged_share"):
        column, values, no_scans = layer_values(units, metric)
        classes = quantile_classes(values, PALETTES[column])
        features = _features(units, geoms, lang)
        for feature, color in zip(features, classes.color_of(), strict=True):
            feature["properties"]["fill"] = color
        title = layer_title(level, column, tr)
        layer = folium.GeoJson(
            {"type": "FeatureCollection", "features": features}, name=html_text(title), overlay=True, show=False,
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.7,
                                      "color": "#555555", "weight": 0.6},
            highlight_function=lambda f: {"weight": 2.5, "color": "#000000"},
            tooltip=_tooltip(tr),
        )
        section = _legend_section(title, column, classes, int(np.isnan(values).sum()), tr, lang, no_scans)
        out[metric] = Choropleth(layer, section)
    return out


def boundaries(units: gpd.GeoDataFrame, weights: dict[str, float], *, name: str,
               min_hole: float = 0.0) -> folium.GeoJson:
    """Non-interactive outlines of ``units``, line width by level (``weights``), drawn above the fills.

    Holes smaller than ``min_hole`` (in the units' CRS) are not drawn: units dissolved from smaller ones keep
    the slivers between those as holes, which thick outlines draw as dashes across a city's wards.
    """
    geoms = web_geometry(units.set_geometry(drawn_outlines(units.geometry, min_hole)))
    features = [{"type": "Feature", "id": str(i), "properties": {"w": weights.get(str(level), 1.0)},
                 "geometry": shapely.geometry.mapping(g)}
                for i, (level, g) in enumerate(zip(units["level"], geoms, strict=True))]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name=name, overlay=True, show=True,
        style_function=lambda f: {"fill": False, "color": "#333333", "weight": f["properties"]["w"]},
        interactive=False, pane="boundaries",
    )


def risk_legend(tr: Translate) -> str:
    """Legend section for the venue risk colours."""
    e = html_text
    title, size = tr("Venues: risk class"), tr("Circle size: expected scans per day")
    rows = [f"<div class='legend-title'>{e(title)}</div>"]
    for color, label in zip(RISK_COLORS, risk_labels(tr), strict=True):
        rows.append(f"<div class='legend-row'><i class='dot' style='background:{color}'></i>{e(label)}</div>")
    rows.append(f"<div class='legend-note'>{e(size)}</div>")
    return "".join(rows)


class Legend(MacroElement):
    """One foldable legend control: a section per choropleth (the active one shown) and the risk colours."""

    _template = Template("""
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="inspector-legend">
        <button type="button" class="legend-toggle" aria-expanded="true"
                title="{{ this.hint }}">{{ this.title }}</button>
        <div class="legend-body">
        {%- for key, body in this.sections %}
        <section data-layer="{{ key }}" hidden>{{ body }}</section>
        {%- endfor %}
        <section data-layer="venues">{{ this.risk }}</section>
        </div>
        </div>
        {% endmacro %}
    """)

    def __init__(self, sections: list[tuple[str, str]], risk: str, tr: Translate) -> None:
        super().__init__()
        self._name = "Legend"
        self.sections = sections
        self.risk = risk
        self.title, self.hint = html_text(tr("Legend")), html_text(tr("Show or hide the legend"))


class LayerList(folium.LayerControl):
    """Leaflet's layer list with the colourings as one choice: radio buttons, "no colouring" among them.

    ``colourings`` are the names (``get_name()``) of the choropleth layers; the other layers of the map are
    base layers and overlays as in folium's own control. Renders ``L.control.inspectorLayers``
    (``maps/js/layer_control.js``).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control.inspectorLayers(
                { {%- for key, val in this.base_layers.items() %}{{ key|tojson }}: {{ val }},{% endfor %} },
                { {%- for key, val in this.colouring_layers.items() %}{{ key|tojson }}: {{ val }},{% endfor %} },
                { {%- for key, val in this.overlays.items() %}{{ key|tojson }}: {{ val }},{% endfor %} },
                Object.assign({{ this.options|tojavascript }}, {noneLabel: {{ this.none_label|tojson }}})
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, colourings: list[str], *, none_label: str, position: str = "topright",
                 collapsed: bool = True) -> None:
        super().__init__(position=position, collapsed=collapsed)
        self.colourings, self.none_label = list(colourings), none_label
        self.colouring_layers: dict[str, str] = {}

    def render(self, **kwargs: Any) -> str:
        """Sort the map's layers into base layers, colourings and overlays, then render."""
        self.reset()
        self.colouring_layers = {}
        assert self._parent is not None, "add the layer list to a map first"
        for item in self._parent._children.values():
            if not isinstance(item, folium.map.Layer) or not item.control:
                continue
            if item.get_name() in self.colourings:
                self.colouring_layers[item.layer_name] = item.get_name()
            elif item.overlay:
                self.overlays[item.layer_name] = item.get_name()
            else:
                self.base_layers[item.layer_name] = item.get_name()
        return MacroElement.render(self, **kwargs)
