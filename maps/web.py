"""The interactive map page: a fully offline folium/Leaflet page of one :class:`maps.data.MapData`.

JavaScript API
--------------
Every page publishes ``window.inspectorMap`` once its script has run (before the ``load`` event):

``inspectorMap.selectVenue(id) -> bool``
    Draw a ring around venue ``id``, pan to it if it is outside the view (no animation), open its popup and
    set ``inspectorMap.selected = id`` (as a string). Returns ``false`` (and changes nothing) for an
    unknown id. Turns the venue layer on if the user had turned it off.
``inspectorMap.zoomToUnit(code) -> bool``
    Fit the view to the bounds of administrative unit ``code``, beside or between the controls on the right
    (legend, layer list) so they do not cover it, and outline the unit in black; ``false`` for a code not on
    the page. ``inspectorMap.markUnit(code)`` outlines it without moving the map (an unknown code, such as
    ``""``, removes the outline); ``inspectorMap.markedUnit()`` gives the outlined feature's id, ``""`` for none.
``inspectorMap.foldLegend(folded) -> bool`` and ``inspectorMap.legendFolded() -> bool``
    Fold the legend to its title button or open it again, as the user's choice (its button does the same;
    ``null`` gives it back to the rule). Until the user chooses, the legend folds by itself while, open, it
    would cover more than a fifth of the map (a window of 1366 x 768 or smaller), and opens when the map grows.
``inspectorMap.viewState() -> object`` and ``inspectorMap.setViewState(state) -> bool``
    The view (``{center: [lat, lon], zoom, legendFolded, legendByHand, colouring}``), to carry it over to a
    rebuilt page: ``legendByHand`` is the user's choice (``true`` folded, ``false`` open, ``null`` none: the
    rule decides), ``colouring`` as ``colouring()``.
``inspectorMap.colouring() -> object`` and ``inspectorMap.setColouring(metric, level) -> bool``
    The colouring shown, ``{metric, level}`` (``"scans_per_1000_per_day"`` or ``"flagged_share"``, and the
    units' level), or ``null`` for none; show the choropleth of ``metric`` at ``level`` (by default the level
    coloured last) instead of the one shown, or none for ``metric`` ``null``. ``false`` for a colouring the page
    does not have. The layer list offers the colourings as one choice (radio buttons, "no colouring" among them).
``inspectorMap.layers() -> object``
    What shows: ``{overlays: {key: visible}, colouring}``.
``inspectorMap.clearSelection()``
    Remove the ring, close the popup, set ``inspectorMap.selected = null``.
``inspectorMap.venueCount() -> number``
    How many venues the venue layer holds and draws (venues without coordinates are left out).
``inspectorMap.filterVenues(bits) -> bool``
    Draw only the venues the app's table shows: ``bits`` is a flag per venue of the layer, in its order, packed
    by :func:`maps.venues.pack_shown` (base64); ``null`` draws every venue again. The selected venue stays drawn
    whatever its flag; a venue not drawn shows no tooltip and cannot be clicked. While a filter shows a k-th of
    the venues, they are drawn as they would be log4(k) zoom levels further in (at most 3), and the legend, open
    or folded, says "Showing n of N venues (table filter, every unit)" while the venue layer shows (the unit
    chosen in the tree filters the table, not the map). ``false`` (nothing changed) for flags of another number
    of venues. The heat map and the colourings are never filtered.
``inspectorMap.shownVenueCount() -> number``, ``inspectorMap.drawnVenueCount() -> number``
    How many venues the filter lets through (all without one); how many the layer's last frame drew (those in
    or near the view). ``inspectorMap.venueDrawn(id) -> bool`` says whether that frame drew venue ``id``, and
    ``inspectorMap.filterNote()`` gives the legend's note on the filter (``""`` when none shows).
``inspectorMap.venueStyle(id) -> object``
    How venue ``id`` is drawn at the current zoom (``null`` for an unknown id): ``{radius, opacity, outline,
    ring, riskClass}``, radius in pixels, fill opacity, and how strong (0-1) its dark outline and its white ring
    are. Zoomed out, venues are small dots sized by traffic whatever their risk, no-signal ones translucent, and
    each high-risk one ringed in white; zoomed in to a ward, circles grow, riskier ones get a larger smallest
    size and every circle a dark outline.
``inspectorMap.setLayerVisible(key, visible) -> bool`` and ``inspectorMap.layerVisible(key) -> bool``
    Show or hide an overlay: ``"venues"``, ``"heat"``, ``"boundaries"``, ``"labels"`` (the units' names) or
    ``"reports"`` (the citizen reports with a position that found no venue, when there are any);
    ``false`` for a key the page does not have.
``inspectorMap.unitLabels() -> array``
    The units' names shown (none while their layer is off): ``[{code, level, text, rect: {l, t, r, b}}]``, each
    rectangle in map pixels. Over the whole province the names of the level below the top one show (districts),
    zoomed in until that level's median unit is about 60 px wide, the next level's (wards); a name shows
    only where its box lies inside its unit and clear of the names of larger units (see ``maps/web_labels.py``).
``inspectorMap.selected``
    The selected venue id (string) or ``null``.
``inspectorMap.map``
    The Leaflet map, for tests and debugging.

Popups open clear of the controls: the map pans so a popup covers neither the legend nor the layer list, the
folded layer list counted as it opens (on hover). A venue's tooltip opens on the side of it where it stays inside
the map and clear of the controls; the pointer over a control or a popup shows no venue's tooltip.
When no position of the map keeps a popup clear of the open legend, the legend folds until the popup closes.
Clicking a venue selects it (ring and popup), sets ``inspectorMap.selected`` and, when
``window.qtBridge`` exists, calls ``window.qtBridge.venueClicked(id)``; after any change of the layers shown (the
user's in the layer list included), and once the channel is up, the page calls
``window.qtBridge.layersChanged(JSON.stringify(inspectorMap.layers()))``. Pages built with ``bridge=True``
load ``qrc:///qtwebchannel/qwebchannel.js`` and, when ``qt.webChannelTransport`` exists, set
``window.qtBridge`` to the channel object registered as ``bridge``. ``runJavaScript`` returns numbers,
strings and booleans as they are; call ``JSON.stringify`` for anything else.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import shapely
from branca.element import Figure, MacroElement
from folium.map import CustomPane
from folium.template import Template

from maps import assets
from maps.data import MapData
from maps.figures import METRICS, choropleth_levels, leaf_mask, levels, prepare_units
from maps.labels import Translate, html_text
from maps.layers import LayerList, Legend, boundaries, choropleths, risk_legend
from maps.report_layer import report_layer, report_legend
from maps.venues import VenueHeatMap, VenueLayer, safe_json, venue_columns, venue_options
from maps.web_labels import UnitLabels

MAX_ZOOM = 19
MIN_ZOOM = 5
QWEBCHANNEL = "qrc:///qtwebchannel/qwebchannel.js"


class OfflineMap(folium.Map):
    """A folium map that references no CDN: the page header gets our offline assets instead."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []


class _Api(MacroElement):
    """Calls ``setupInspectorMap`` once every layer exists (add it to the map last)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            setupInspectorMap({{ this._parent.get_name() }}, {
                venues: {{ this.venues }},
                overlays: { {% for key, layer in this.overlays.items() %}{{ key|tojson }}: {{ layer }},{% endfor %} },
                choropleths: [{% for layer, level, metric in this.layers %}
                    [{{ layer }}, {{ layer|tojson }}, {{ level|tojson }}, {{ metric|tojson }}],{% endfor %}],
                legend: {{ this.legend|tojson }},
                view: {{ this.view|tojson }},
                units: {{ this.units }},
                marks: {{ this.marks }},
                bridge: {{ this.bridge|tojson }},
                prefix: "Leaflet"
            });
        {% endmacro %}
    """)

    def __init__(self, venues: str, overlays: dict[str, str], layers: list[tuple[str, str, str]], legend: str,
                 units: str, marks: str, bridge: bool, view: list[list[float]]) -> None:
        super().__init__()
        self._name = "InspectorMapApi"
        self.venues, self.overlays, self.layers = venues, overlays, layers
        self.legend, self.units, self.marks, self.bridge, self.view = legend, units, marks, bridge, view


def _unit_features(units: gpd.GeoDataFrame, outlined: gpd.GeoDataFrame) -> dict[str, list[Any]]:
    """Where each unit is drawn, for ``zoomToUnit`` to outline it.

    Per unit code: its level, its feature id in that level's choropleths and its feature id in the
    outlines (``None`` when it has none). Feature ids are positions (see
    :func:`maps.layers.choropleths`), so no code is written into a layer.
    """
    marks: dict[str, list[Any]] = {}
    for _, group in units.groupby("level", sort=False):
        for i, code in enumerate(group["code"]):
            marks[str(code)] = [group["level"].iloc[0], str(i), None]
    for j, code in enumerate(outlined["code"]):
        marks[str(code)][2] = str(j)
    return marks


def message_page(text: str, *, tr: Translate) -> str:
    """A page showing ``text`` (plain text, escaped here) where the map would be."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + html_text(tr("Venue check-in map"))
        + '</title></head><body style="font: 15px/1.5 \'DejaVu Sans\', sans-serif; color: #444; margin: 3em">'
        + "<p>" + html_text(text) + "</p></body></html>"
    )


def _empty_page(tr: Translate, venues: bool) -> str:
    """What a workspace without administrative units shows instead of a map (``venues``: it has some already)."""
    if venues:  # a registry imported before the boundaries
        return message_page(tr("This workspace has venues but no administrative units yet. Import boundaries "
                               "(File menu) to see them on the map."), tr=tr)
    return message_page(tr("This workspace has no administrative units yet. Import boundaries and venues "
                           "(File menu) to see the map."), tr=tr)


def _bounds(geoms: gpd.GeoSeries) -> list[list[float]]:
    minx, miny, maxx, maxy = (float(v) for v in geoms.total_bounds)
    return [[round(miny, 5), round(minx, 5)], [round(maxy, 5), round(maxx, 5)]]


def build_page(data: MapData, *, tr: Translate, lang: str, standalone: bool = False, bridge: bool = False,
               metric: str = "scans_per_1000_per_day", online_tiles: bool = False) -> str:
    """Build the HTML of the interactive map of ``data``.

    Parameters
    ----------
    data
        Units and venues to show; ``data.focus`` (a unit code) sets the initial view.
    tr
        Translation function (gettext; identity for English).
    lang
        Language code for category labels and number formats ("vi" or "en").
    standalone
        ``False``: scripts and stylesheets are linked by ``file://`` URL to the installed packages (for the
        app, which writes the page to a file and loads it). ``True``: everything is inlined, so the file
        opens from disk in any browser without network.
    bridge
        Load Qt's ``qwebchannel.js`` and connect ``window.qtBridge`` (for the app's web view).
    metric
        The choropleth shown first: ``"scans_per_1000_per_day"`` or ``"flagged_share"``.
    online_tiles
        Offer OpenStreetMap tiles as an optional (not default) base layer; needs network.

    Returns
    -------
    str
        The page. The JavaScript API it publishes is described in this module's docstring.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    if data.units.empty:
        return _empty_page(tr, not data.venues.empty)
    units = prepare_units(data.units)
    focus = units[units["code"] == data.focus] if data.focus is not None else units
    view = _bounds((focus if not focus.empty else units).geometry)
    center = [(view[0][0] + view[1][0]) / 2, (view[0][1] + view[1][1]) / 2]
    # fitting a unit to the free space needs finer zoom steps; text at Leaflet's own 12 px (folium's 16 px
    # made popups and tooltips cover a small map), popups 13 px
    m = OfflineMap(location=center, zoom_start=10, tiles=None, maxZoom=MAX_ZOOM, minZoom=MIN_ZOOM,
                    zoomSnap=0.25, zoomDelta=0.5, font_size="0.75rem")
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.title = html_text(tr("Venue check-in map"))
    inline = standalone
    header = [("leaflet_css", assets.stylesheet("leaflet_css", inline=inline)),
              ("leaflet", assets.script("leaflet", inline=inline)),
              ("leaflet_heat", assets.script("leaflet_heat", inline=inline)),
              ("inspector_css", assets.own("inspector_map.css")),
              ("venue_layer", assets.own("venue_layer.js")),
              ("venue_info", assets.own("venue_info.js")),
              ("layer_control", assets.own("layer_control.js")),
              ("legend", assets.own("legend.js")),
              ("unit_labels", assets.own("unit_labels.js")),
              ("inspector_map", assets.own("inspector_map.js"))]
    if bridge:
        header.append(("qwebchannel", assets.Raw(f'<script src="{QWEBCHANNEL}"></script>')))
    assets.add_to_header(figure, header)
    CustomPane("heat", z_index=410, pointer_events=False).add_to(m)
    CustomPane("boundaries", z_index=420, pointer_events=False).add_to(m)

    top = units[units["level"] == levels(units)[0]]
    folium.GeoJson(top.geometry.simplify(0.0001).__geo_interface__,
                   name=html_text(tr("Administrative units (no tiles)")), overlay=False, interactive=False,
                   style_function=lambda f: {"fillColor": "#e4e4dc", "fillOpacity": 1, "stroke": False}).add_to(m)
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name=html_text(tr("OpenStreetMap (online)")), overlay=False,
                         show=False, max_zoom=MAX_ZOOM).add_to(m)

    sections, layer_names = [], []
    found = choropleth_levels(units)
    for level in found:
        for key, choropleth in choropleths(units[units["level"] == level], level, tr=tr, lang=lang).items():
            choropleth.layer.show = level == found[-1] and key == metric
            choropleth.layer.add_to(m)
            sections.append((choropleth.layer.get_name(), choropleth.legend_html))
            layer_names.append((choropleth.layer.get_name(), level, key))
    overlays: dict[str, str] = {}
    parents = units[~leaf_mask(units)]
    if not parents.empty:
        depth = {level: 2.6 - 0.8 * i for i, level in enumerate(levels(units))}
        # a hole smaller than half the smallest ward is a sliver between wards, not an enclave
        smallest = float(shapely.area(units.geometry[leaf_mask(units)].to_numpy()).min())
        outline = boundaries(parents, depth, name=html_text(tr("Boundaries")), min_hole=smallest / 2).add_to(m)
        overlays["boundaries"] = outline.get_name()
    names = UnitLabels(units, name=html_text(tr("Unit names"))).add_to(m)
    overlays["labels"] = names.get_name()

    venues_name = "null"
    if len(data.venues):
        layer = VenueLayer(venue_columns(data.venues, units, tr=tr, lang=lang), venue_options(tr, lang),
                           name=html_text(tr("Venues (risk class)")))
        layer.add_to(m)
        heat = VenueHeatMap(layer, data.venues["scans_per_day"], name=html_text(tr("Scan heat map (visual aid)")),
                            pane="heat").add_to(m)
        venues_name = layer.get_name()
        overlays.update(venues=venues_name, heat=heat.get_name())
    if len(data.reports):  # where citizens complained and no registered venue is near or named
        CustomPane("reports", z_index=640).add_to(m)  # above the venues, below the popups
        overlays["reports"] = report_layer(data.reports, tr=tr, lang=lang, pane="reports").add_to(m).get_name()
        sections.append(("reports", report_legend(tr)))

    legend = Legend(sections, risk_legend(tr), tr)
    legend.add_to(m)
    # In the app the View menu switches layers, so the control stays folded and leaves popups room;
    # an exported page has no menu, so there it is open.
    LayerList([name for name, _level, _metric in layer_names], none_label=tr("No colouring"),
              position="topright", collapsed=bridge).add_to(m)
    unit_bounds = {str(code): [[round(b[1], 5), round(b[0], 5)], [round(b[3], 5), round(b[2], 5)]]
                   for code, b in zip(units["code"], units.geometry.bounds.to_numpy(), strict=True)}
    # the page fits the initial view itself, once it knows how much room the legend takes
    _Api(venues_name, overlays, layer_names, legend.get_name(), safe_json(unit_bounds),
         safe_json(_unit_features(units, parents)), bridge, view).add_to(m)
    return figure.render()
