"""The map reads well at every zoom: honest venue symbols, and tooltips and popups clear of the controls."""

import json

import numpy as np
import pytest

from inspector.core.i18n import translator
from inspector.core.workspace import Workspace
from maps.data import map_data
from maps.figures import risk_class
from maps.web import build_page
from tests.ui.conftest import run_js, show_map
from tests.ui.test_map_controls import COVERED

pytestmark = pytest.mark.webengine

#: put the venue at container point (x, y) and move the pointer there, over whatever element lies there;
#: returns the venue tooltip's rectangle relative to the map, or null when none shows
HOVER = """(function (id, x, y) {
  var map = inspectorMap.map, base = map.getContainer().getBoundingClientRect(), v = %s[id];
  var at = map.latLngToContainerPoint(v);
  map.panBy([at.x - x, at.y - y], {animate: false});
  at = map.latLngToContainerPoint(v);
  var cx = base.left + at.x, cy = base.top + at.y, el = document.elementFromPoint(cx, cy);
  el.dispatchEvent(new MouseEvent('mousemove', {clientX: cx, clientY: cy, bubbles: true}));
  var tip = Array.prototype.filter.call(document.querySelectorAll('.leaflet-tooltip.venue-tip'), function (t) {
    return getComputedStyle(t).opacity !== '0';  // a closed tooltip fades out for a moment
  })[0];
  if (!tip) { return null; }
  var r = tip.getBoundingClientRect();
  return JSON.stringify({left: r.left - base.left, top: r.top - base.top, right: r.right - base.left,
                         bottom: r.bottom - base.top, under: el.className || el.tagName, covered: %s(r)});
})"""


@pytest.fixture
def shown(qtbot, demo_workspace):
    """The demo map in Vietnamese in the app's map area on a 1366 x 768 screen, its legend opened by hand.

    (It folds by itself on a map this small; these tests are about what lies beside it, open.)
    """
    data = map_data(Workspace.open(demo_workspace))
    html = build_page(data, tr=translator("vi"), lang="vi", bridge=True)
    view = show_map(qtbot, html, (814, 472))
    assert run_js(qtbot, view, "inspectorMap.foldLegend(false) && !inspectorMap.legendFolded()") is True
    venues = data.venues.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    venues["cls"] = risk_class(venues["risk"])
    return view, data, venues


def styles(qtbot, view, ids):
    script = f"JSON.stringify({json.dumps(list(ids))}.map(function (id) {{ return inspectorMap.venueStyle(id); }}))"
    return json.loads(run_js(qtbot, view, script))


def hover(qtbot, view, venues, venue_id, x, y):
    where = {venue_id: [float(venues.loc[venues["venue_id"] == venue_id, c].iloc[0]) for c in ("lat", "lon")]}
    found = run_js(qtbot, view, f"{HOVER % (json.dumps(where), COVERED)}({json.dumps(venue_id)}, {x}, {y})")
    return json.loads(found) if found else None


def test_zoomed_out_venues_are_small_dots_sized_by_traffic_alone(qtbot, shown):
    view, data, venues = shown
    assert run_js(qtbot, view, "inspectorMap.map.getZoom()") <= 10  # the whole province
    got = styles(qtbot, view, venues["venue_id"])
    radius = np.array([s["radius"] for s in got])
    traffic = venues["traffic_per_day"].to_numpy()
    assert radius.max() <= 2.6
    # a high-risk venue is no larger than a no-signal one with as much traffic: the city is not painted red
    high, none = venues["cls"].to_numpy() == 3, venues["cls"].to_numpy() == 0
    assert high.sum() >= 5
    for h in np.flatnonzero(high):
        assert (radius[none & (traffic >= traffic[h])] >= radius[h] - 1e-6).all()
    # translucent no-signal dots let the choropleth read; each high-risk dot is ringed in white to be found
    assert all(s["opacity"] <= 0.75 for s, n in zip(got, none, strict=True) if n)
    assert all(s["ring"] > 0.9 and s["outline"] == 0 for s, h in zip(got, high, strict=True) if h)


def test_zoomed_in_to_a_ward_circles_grow_and_riskier_ones_stand_out(qtbot, shown):
    view, data, venues = shown
    far = styles(qtbot, view, venues["venue_id"])
    counts = venues.groupby("ward_code").size()
    ward = str(counts.idxmax())
    assert run_js(qtbot, view, f"inspectorMap.zoomToUnit({json.dumps(ward)})") is True
    qtbot.waitUntil(lambda: run_js(qtbot, view, "inspectorMap.map.getZoom()") >= 13.5, timeout=10_000)
    near = styles(qtbot, view, venues["venue_id"])
    for a, b in zip(far, near, strict=True):
        assert b["radius"] > a["radius"] and b["outline"] == 1 and b["ring"] == 0
    smallest = {c: min(s["radius"] for s in near if s["riskClass"] == c) for c in (0, 3)}
    assert smallest[3] > smallest[0]
    assert all(s["opacity"] >= 0.9 for s in near)


def test_a_high_risk_venue_shows_on_top_zoomed_out(qtbot, shown):
    """Where venues crowd, the high-risk one is the one drawn on top (findable, and what a click picks)."""
    view, data, venues = shown
    high = venues.loc[venues["cls"] == 3, "venue_id"]
    script = """(function (ids) {
      var map = inspectorMap.map, layer = null;
      map.eachLayer(function (l) { if (l.hitTest) { layer = l; } });
      return ids.filter(function (id) {
        var i = layer.indexOf(id);
        return layer.hitTest(map.latLngToContainerPoint(layer.latLngOf(i))) === i;
      }).length;
    })"""
    assert run_js(qtbot, view, f"{script}({json.dumps(list(high))})") == len(high)


def test_a_popup_stays_clear_of_the_layer_list_when_it_opens(qtbot, shown):
    view, data, venues = shown
    layers = "document.querySelector('.leaflet-control-layers')"
    popup = f"{COVERED}(document.querySelector('.leaflet-popup').getBoundingClientRect())"
    for venue_id in venues.sort_values("lon", ascending=False)["venue_id"].iloc[:3]:
        assert run_js(qtbot, view, f"inspectorMap.selectVenue({json.dumps(venue_id)})") is True
        qtbot.waitUntil(lambda: run_js(qtbot, view, popup) == "", timeout=5_000)
        run_js(qtbot, view, f"{layers}.dispatchEvent(new MouseEvent('mouseover')) || 1")  # the pointer on it
        assert run_js(qtbot, view, f"{layers}.classList.contains('leaflet-control-layers-expanded')") is True
        assert run_js(qtbot, view, popup) == ""
        run_js(qtbot, view, f"{layers}.dispatchEvent(new MouseEvent('mouseout')) || 1")
        run_js(qtbot, view, "inspectorMap.map.setView([0, 0], 5) && 1")  # somewhere else for the next one


def test_an_opened_layer_list_lies_over_the_legend(qtbot, shown):
    view, _data, _venues = shown
    script = """(function () {
      var layers = document.querySelector('.leaflet-control-layers');
      layers.dispatchEvent(new MouseEvent('mouseover'));
      var a = layers.getBoundingClientRect(), b = document.querySelector('.inspector-legend').getBoundingClientRect();
      if (a.bottom <= b.top + 10) { return 'apart'; }
      var x = Math.max(a.left, b.left) + 20, y = (Math.max(a.top, b.top) + Math.min(a.bottom, b.bottom)) / 2;
      return layers.contains(document.elementFromPoint(x, y)) ? 'list' : 'legend';
    })()"""
    assert run_js(qtbot, view, script) == "list"  # on this small map they meet, and the list is what was opened


def test_the_pointer_over_the_legend_shows_no_tooltip_of_a_venue_beneath(qtbot, shown):
    view, _data, venues = shown
    venue_id = venues["venue_id"].iloc[0]
    tip = hover(qtbot, view, venues, venue_id, 300, 250)  # on the open map first: the tooltip shows
    assert tip is not None and tip["covered"] == ""
    rect = json.loads(run_js(qtbot, view, """JSON.stringify((function () {
        var b = inspectorMap.map.getContainer().getBoundingClientRect(),
            r = document.querySelector('.inspector-legend').getBoundingClientRect();
        return [(r.left + r.right) / 2 - b.left, (r.top + r.bottom) / 2 - b.top]; })())"""))
    assert hover(qtbot, view, venues, venue_id, *rect) is None


@pytest.mark.parametrize("where", ["left", "top", "beside the legend"])
def test_a_venue_tooltip_stays_inside_the_map_and_clear_of_the_controls(qtbot, shown, where):
    view, _data, venues = shown
    legend = json.loads(run_js(qtbot, view, """JSON.stringify((function () {
        var b = inspectorMap.map.getContainer().getBoundingClientRect(),
            r = document.querySelector('.inspector-legend').getBoundingClientRect();
        return [r.left - b.left, r.top - b.top]; })())"""))
    x, y = {"left": (4, 236), "top": (300, 4), "beside the legend": (legend[0] - 12, legend[1] + 40)}[where]
    tip = hover(qtbot, view, venues, venues["venue_id"].iloc[0], x, y)
    assert tip is not None, tip
    assert tip["left"] >= 0 and tip["top"] >= 0 and tip["right"] <= 814 and tip["bottom"] <= 472, tip
    assert tip["covered"] == "", tip


def test_the_selected_venue_shows_its_popup_not_a_tooltip_under_it(qtbot, shown):
    view, _data, venues = shown
    venue_id = venues["venue_id"].iloc[0]
    assert run_js(qtbot, view, f"inspectorMap.selectVenue({json.dumps(venue_id)})") is True
    point = json.loads(run_js(qtbot, view, f"""JSON.stringify((function () {{
        var p = inspectorMap.map.latLngToContainerPoint([{venues['lat'].iloc[0]}, {venues['lon'].iloc[0]}]);
        return [p.x, p.y]; }})())"""))
    assert hover(qtbot, view, venues, venue_id, *point) is None


def test_map_text_is_one_font_at_leaflet_sizes(qtbot, shown):
    """Not folium's 16 px, which made a popup cover most of a small map; one font with all Vietnamese letters."""
    view, _data, venues = shown
    assert run_js(qtbot, view, f"inspectorMap.selectVenue({json.dumps(venues['venue_id'].iloc[0])})") is True
    style = "getComputedStyle(document.querySelector('{}'))"
    assert run_js(qtbot, view, style.format(".leaflet-container") + ".fontSize") == "12px"
    assert run_js(qtbot, view, style.format(".leaflet-popup-content") + ".fontSize") == "13px"
    assert run_js(qtbot, view, style.format(".venue-risk") + ".whiteSpace") == "nowrap"  # "36 · Trung bình (30–59)"
    for element in (".leaflet-container", ".leaflet-popup-content", ".inspector-legend", ".leaflet-control-layers"):
        assert run_js(qtbot, view, style.format(element) + ".fontFamily").startswith('"DejaVu Sans"')
