"""Units named in a real page: districts over the province, wards zoomed in, inside their units, apart."""

import json

import pytest
import shapely

from inspector.core.i18n import translator
from inspector.core.workspace import Workspace
from maps.data import map_data
from maps.web import build_page
from tests.maps.conftest import make_data
from tests.ui.conftest import TRICKY, layer_list_click, run_js, show_map

pytestmark = pytest.mark.webengine

#: the names shown, each with its box's corners (shrunk by a pixel for the rounding of its position) as [lat, lon]
SHOWN = """JSON.stringify(inspectorMap.unitLabels().map(function (l) {
  var m = inspectorMap.map, r = l.rect;
  function at(x, y) { var p = m.containerPointToLatLng([x, y]); return [p.lat, p.lng]; }
  return {code: l.code, level: l.level, text: l.text, rect: r,
          corners: [at(r.l + 1, r.t + 1), at(r.r - 1, r.b - 1)]};
}))"""
#: labels the page shows (display not none), whatever the API says
VISIBLE = """Array.prototype.filter.call(document.querySelectorAll('.unit-label'), function (e) {
  return e.getClientRects().length > 0; }).length"""


def shown(qtbot, view):
    return json.loads(run_js(qtbot, view, SHOWN))


def check_placement(labels, units):
    """No two names overlap, and each lies inside its unit."""
    geoms = dict(zip(units["code"].astype(str), units.geometry, strict=True))
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            ra, rb = a["rect"], b["rect"]
            assert ra["r"] <= rb["l"] or rb["r"] <= ra["l"] or ra["b"] <= rb["t"] or rb["b"] <= ra["t"], (a, b)
        (lat0, lon0), (lat1, lon1) = a["corners"]
        assert geoms[a["code"]].contains(shapely.box(lon0, lat1, lon1, lat0)), a


@pytest.fixture
def demo(qtbot, demo_workspace):
    data = map_data(Workspace.open(demo_workspace))
    html = build_page(data, tr=translator("vi"), lang="vi", bridge=True)
    return show_map(qtbot, html, (1033, 704)), data


def test_districts_named_over_the_province_wards_once_zoomed_in(qtbot, demo):
    view, data = demo
    labels = shown(qtbot, view)
    districts = set(data.units.loc[data.units["level"] == "district", "code"].astype(str))
    assert len(labels) >= 5 and {label["code"] for label in labels} <= districts
    assert {label["level"] for label in labels} == {"district"}
    assert any(label["text"].startswith(("H. ", "TX. ", "TP. ")) for label in labels)
    check_placement(labels, data.units)
    assert run_js(qtbot, view, VISIBLE) == len(labels)

    district = data.units[data.units["level"] == "district"].sort_values("area_km2").iloc[-1]
    assert run_js(qtbot, view, f"inspectorMap.zoomToUnit({json.dumps(str(district['code']))})") is True
    qtbot.waitUntil(lambda: {label["level"] for label in shown(qtbot, view)} == {"ward"}, timeout=10_000)
    labels = shown(qtbot, view)
    wards = data.units[data.units["parent_code"].astype(str) == str(district["code"])]
    inside = [label for label in labels if label["code"] in set(wards["code"].astype(str))]
    assert len(inside) >= len(wards) // 2  # most of the district's wards are named
    assert not any(label["text"].startswith(("Phường ", "Xã ")) for label in labels)
    check_placement(labels, data.units)


def test_names_let_the_pointer_through(qtbot, demo):
    view, _data = demo
    script = """JSON.stringify(inspectorMap.unitLabels().map(function (l) {
      var e = document.elementFromPoint((l.rect.l + l.rect.r) / 2, (l.rect.t + l.rect.b) / 2);
      return e ? e.className.baseVal !== undefined ? 'svg' : e.className : null; }))"""
    hits = json.loads(run_js(qtbot, view, script))
    assert hits and not any("unit-label" in str(hit) for hit in hits)


def test_the_layer_hides_and_shows_the_names(qtbot, demo):
    view, _data = demo
    count = len(shown(qtbot, view))
    assert count and run_js(qtbot, view, "inspectorMap.layerVisible('labels')") is True
    assert run_js(qtbot, view, "inspectorMap.setLayerVisible('labels', false)") is True
    assert run_js(qtbot, view, VISIBLE) == 0 and shown(qtbot, view) == []
    assert json.loads(run_js(qtbot, view, "JSON.stringify(inspectorMap.layers().overlays)"))["labels"] is False
    assert run_js(qtbot, view, "inspectorMap.setLayerVisible('labels', true)") is True
    assert len(shown(qtbot, view)) == count and run_js(qtbot, view, VISIBLE) == count


def test_a_name_from_data_is_shown_as_text(qtbot):
    data = make_data(names={"19000": "Phường " + TRICKY})
    view = show_map(qtbot, build_page(data, tr=translator("vi"), lang="vi", standalone=True), (1000, 700))
    run_js(qtbot, view, "inspectorMap.zoomToUnit('19000')")
    qtbot.waitUntil(lambda: "19000" in {label["code"] for label in shown(qtbot, view)}, timeout=10_000)
    texts = {label["code"]: label["text"] for label in shown(qtbot, view)}
    assert texts["19000"].replace("\n", " ") == TRICKY
    assert run_js(qtbot, view, "document.querySelectorAll('.unit-labels img').length") == 0
    assert run_js(qtbot, view, "window.pwned === undefined") is True


def fold_legend(qtbot, view):
    """Fold the legend (its title button), as a user does to see what lies beneath."""
    assert run_js(qtbot, view, "document.querySelector('.legend-toggle').click() || 1") == 1


def test_without_districts_wards_are_named_from_the_start(qtbot):
    view = show_map(qtbot, build_page(make_data(districts=False), tr=translator("en"), lang="en"), (1000, 700))
    fold_legend(qtbot, view)
    qtbot.waitUntil(lambda: len(shown(qtbot, view)) == 8, timeout=10_000)
    labels = shown(qtbot, view)
    assert len(labels) == 8 and {label["level"] for label in labels} == {"ward"}
    check_placement(labels, make_data(districts=False).units)


def test_the_view_menu_shows_and_hides_the_names(window, qtbot):
    action = window.menus.layers["labels"]
    assert action.isChecked() and action.text() == "Unit names"
    assert translator("vi")("Unit names") == "Tên đơn vị"
    layer_list_click(qtbot, window.map, "Unit names")
    qtbot.waitUntil(lambda: not action.isChecked(), timeout=5_000)
    assert run_js(qtbot, window.map, "inspectorMap.layerVisible('labels')") is False
    action.trigger()
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "inspectorMap.layerVisible('labels')") is True, timeout=5_000)
    assert action.isChecked() and run_js(qtbot, window.map, VISIBLE) > 0


def test_names_of_overlapping_units_do_not_overlap(qtbot):
    """Two wards drawn in the same place (a boundary file's mistake): the larger one's name only."""
    data = make_data(districts=False)
    wards = data.units["code"].astype(str)
    data.units.loc[wards == "19001", "geometry"] = data.units.loc[wards == "19000", "geometry"].iloc[0].buffer(-0.001)
    view = show_map(qtbot, build_page(data, tr=translator("en"), lang="en"), (1000, 700))
    fold_legend(qtbot, view)
    qtbot.waitUntil(lambda: len(shown(qtbot, view)) == 7, timeout=10_000)
    labels = shown(qtbot, view)
    codes = {label["code"] for label in labels}
    assert "19000" in codes and "19001" not in codes and len(labels) == 7
    check_placement(labels, data.units)


#: the boxes of the map's controls (legend, buttons, scale, attribution) in map container pixels
CONTROLS = """JSON.stringify(Array.prototype.map.call(document.querySelectorAll('.leaflet-control'), function (e) {
  var r = e.getBoundingClientRect(), base = inspectorMap.map.getContainer().getBoundingClientRect();
  return {l: r.left - base.left, t: r.top - base.top, r: r.right - base.left, b: r.bottom - base.top};
}).filter(function (r) { return r.r > r.l && r.b > r.t; }))"""


def check_in_view(qtbot, view, labels):
    """Each name lies whole inside the map and clear of its controls, beneath which it would show through."""
    controls = json.loads(run_js(qtbot, view, CONTROLS))
    width, height = json.loads(run_js(qtbot, view, "JSON.stringify(inspectorMap.map.getSize())")).values()
    assert controls
    for label in labels:
        r = label["rect"]
        assert r["l"] >= -0.5 and r["t"] >= -0.5 and r["r"] <= width + 0.5 and r["b"] <= height + 0.5, label
        for c in controls:
            assert r["r"] <= c["l"] or c["r"] <= r["l"] or r["b"] <= c["t"] or c["b"] <= r["t"], (label, c)


def test_names_show_whole_inside_the_map_clear_of_its_controls(qtbot, demo):
    view, data = demo
    check_in_view(qtbot, view, shown(qtbot, view))
    district = data.units[data.units["level"] == "district"].sort_values("area_km2").iloc[-1]
    run_js(qtbot, view, f"inspectorMap.zoomToUnit({json.dumps(str(district['code']))})")
    qtbot.waitUntil(lambda: {label["level"] for label in shown(qtbot, view)} == {"ward"}, timeout=10_000)
    before = {label["code"] for label in shown(qtbot, view)}
    check_in_view(qtbot, view, shown(qtbot, view))
    # a pan places the names again, in the view it ends in
    run_js(qtbot, view, "inspectorMap.map.panBy([300, 200], {animate: false}) && 1")
    qtbot.waitUntil(lambda: {label["code"] for label in shown(qtbot, view)} != before, timeout=10_000)
    labels = shown(qtbot, view)
    check_in_view(qtbot, view, labels)
    check_placement(labels, data.units)
    assert run_js(qtbot, view, VISIBLE) == len(labels)


def test_a_name_under_the_legend_shows_once_it_is_folded(qtbot):
    """The unfolded legend covers a ward's name, which would show through it: the name waits until it folds."""
    view = show_map(qtbot, build_page(make_data(districts=False), tr=translator("en"), lang="en"), (1000, 700))
    covered = {label["code"] for label in shown(qtbot, view)}
    assert len(covered) == 7
    check_in_view(qtbot, view, shown(qtbot, view))
    fold_legend(qtbot, view)  # the control shrinks: the names are placed again
    qtbot.waitUntil(lambda: len(shown(qtbot, view)) == 8, timeout=10_000)
    check_in_view(qtbot, view, shown(qtbot, view))
    fold_legend(qtbot, view)  # and grows again
    qtbot.waitUntil(lambda: {label["code"] for label in shown(qtbot, view)} == covered, timeout=10_000)
