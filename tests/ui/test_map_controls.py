"""The map's own controls (legend, layer list) never cover the province on first open, nor a venue popup."""

import json

import numpy as np
import pytest

from inspector.core.i18n import translator
from inspector.core.workspace import Workspace
from maps.data import map_data
from maps.venues import pack_shown
from maps.web import build_page
from tests.ui.conftest import run_js, show_map

pytestmark = pytest.mark.webengine

COVERED = """(function (box) {
  var hit = [];
  document.querySelectorAll('.leaflet-control').forEach(function (c) {
    var b = c.getBoundingClientRect();
    if (box.left < b.right && b.left < box.right && box.top < b.bottom && b.top < box.bottom) { hit.push(c.className); }
  });
  return hit.join(' | ');
})"""


@pytest.fixture(params=[False, True], ids=["app", "standalone"])
def shown(request, qtbot, demo_workspace):
    """The demo map on a 1366 x 768 screen: in the app's map area, and exported in a browser window."""
    data = map_data(Workspace.open(demo_workspace))
    standalone = request.param
    html = build_page(data, tr=translator("vi"), lang="vi", standalone=standalone, bridge=not standalone)
    return show_map(qtbot, html, (1366, 700) if standalone else (814, 472)), data


def province_covered_by(qtbot, view, data):
    """The controls that cover some of the province's bounding box ("" when none)."""
    west, south, east, north = data.units.total_bounds
    script = f"""(function () {{
        var map = inspectorMap.map, base = map.getContainer().getBoundingClientRect(),
            nw = map.latLngToContainerPoint([{north}, {west}]), se = map.latLngToContainerPoint([{south}, {east}]);
        return {COVERED}({{left: nw.x + base.left, top: nw.y + base.top, right: se.x + base.left,
                           bottom: se.y + base.top}});
    }})()"""
    return run_js(qtbot, view, script)


def test_first_view_leaves_the_province_clear_of_the_legend(qtbot, shown):
    view, data = shown
    assert province_covered_by(qtbot, view, data) == ""


def test_the_filter_s_note_in_the_legend_moves_the_first_view_clear_of_it(qtbot, shown):
    """The note widens the legend (folded on the app's small map); a view the user moved stays where it is."""
    view, data = shown
    bits = json.dumps(pack_shown(np.arange(len(data.venues)) % 5 == 0, data.venues))
    size = "document.querySelector('.inspector-legend').getBoundingClientRect().height"
    before = run_js(qtbot, view, size)
    assert run_js(qtbot, view, f"inspectorMap.filterVenues({bits})") is True
    assert run_js(qtbot, view, "inspectorMap.filterNote()") != ""
    assert run_js(qtbot, view, size) > before  # it grew by the note
    assert province_covered_by(qtbot, view, data) == ""
    moved = "JSON.stringify([inspectorMap.map.getCenter(), inspectorMap.map.getZoom()])"
    run_js(qtbot, view, "inspectorMap.filterVenues(null); inspectorMap.map.panBy([40, 30], {animate: false}); 1")
    where = run_js(qtbot, view, moved)
    assert run_js(qtbot, view, f"inspectorMap.filterVenues({bits})") is True
    assert run_js(qtbot, view, moved) == where


def test_a_popup_opens_clear_of_legend_and_layer_list(qtbot, shown):
    view, data = shown
    east = data.venues.dropna(subset=["lon"]).sort_values("lon", ascending=False)
    for venue_id in east["venue_id"].iloc[:3]:
        assert run_js(qtbot, view, f"inspectorMap.selectVenue({json.dumps(venue_id)})") is True
        script = f"{COVERED}(document.querySelector('.leaflet-popup').getBoundingClientRect())"
        qtbot.waitUntil(lambda script=script: run_js(qtbot, view, script) == "", timeout=5_000)
        run_js(qtbot, view, "inspectorMap.map.setView([0, 0], 5) && 1")  # somewhere else for the next one


def test_the_legend_folds_to_its_title(qtbot, shown):
    view, _data = shown
    height = "document.querySelector('.inspector-legend').offsetHeight"
    if run_js(qtbot, view, "inspectorMap.legendFolded()"):  # the app's small map folds it by itself
        run_js(qtbot, view, "document.querySelector('.legend-toggle').click()")
    assert run_js(qtbot, view, "inspectorMap.legendFolded()") is False
    opened = run_js(qtbot, view, height)
    run_js(qtbot, view, "document.querySelector('.legend-toggle').click()")
    assert run_js(qtbot, view, "inspectorMap.legendFolded()") is True
    assert run_js(qtbot, view, height) < opened / 4
    assert run_js(qtbot, view, "document.querySelector('.legend-toggle').textContent") == "Chú giải"


#: the map area of the window at 1024 x 640, 1366 x 768 and 1600 x 1000 (tree and table docked)
SMALL, LAPTOP, LARGE = (594, 344), (799, 472), (1033, 704)


@pytest.fixture
def app_map(qtbot, demo_workspace):
    """The demo map in the app's map area of a 1600 x 1000 window."""
    data = map_data(Workspace.open(demo_workspace))
    return show_map(qtbot, build_page(data, tr=translator("vi"), lang="vi", bridge=True), LARGE), data


def resize(qtbot, view, size):
    view.resize(*size)
    qtbot.waitUntil(lambda: run_js(qtbot, view, "inspectorMap.map.getSize().x") == size[0], timeout=5_000)


def folded(qtbot, view):
    return run_js(qtbot, view, "inspectorMap.legendFolded()")


def test_the_legend_folds_itself_on_a_small_map_and_opens_on_a_large_one(qtbot, app_map):
    """Open, it covered a third of the map at 1024 x 640 (a popup's risk and signs too), a quarter at 1366 x 768."""
    view, _data = app_map
    share = """(function () {
        var s = inspectorMap.map.getSize(), r = document.querySelector('.inspector-legend').getBoundingClientRect();
        return r.width * r.height / (s.x * s.y); })()"""
    assert folded(qtbot, view) is False and run_js(qtbot, view, share) < 0.2
    for size in (SMALL, LAPTOP):
        resize(qtbot, view, size)
        assert folded(qtbot, view) is True
    resize(qtbot, view, LARGE)
    assert folded(qtbot, view) is False
    state = json.loads(run_js(qtbot, view, "JSON.stringify(inspectorMap.viewState())"))
    assert state["legendFolded"] is False and state["legendByHand"] is None


def test_a_legend_folded_or_opened_by_hand_stays_so(qtbot, app_map):
    view, _data = app_map
    toggle = "document.querySelector('.legend-toggle').click() || 1"
    run_js(qtbot, view, toggle)
    for size in (SMALL, LARGE):
        resize(qtbot, view, size)
        assert folded(qtbot, view) is True
    resize(qtbot, view, SMALL)
    run_js(qtbot, view, toggle)
    for size in (LAPTOP, SMALL):
        resize(qtbot, view, size)
        assert folded(qtbot, view) is False
    state = json.loads(run_js(qtbot, view, "JSON.stringify(inspectorMap.viewState())"))
    assert state["legendByHand"] is False  # a new page (another language) keeps the choice
    run_js(qtbot, view, toggle)
    assert run_js(qtbot, view, f"inspectorMap.setViewState({json.dumps(state)})") is True
    assert folded(qtbot, view) is False


def test_a_popup_never_sits_under_the_legend(qtbot, app_map):
    """On a small map with the legend opened by hand, the legend folds while a popup needs its room."""
    view, data = app_map
    resize(qtbot, view, SMALL)
    assert run_js(qtbot, view, "inspectorMap.foldLegend(false) && inspectorMap.legendFolded()") is False
    popup = f"{COVERED}(document.querySelector('.leaflet-popup').getBoundingClientRect())"
    east = data.venues.dropna(subset=["lon"]).sort_values("lon", ascending=False)
    for venue_id in east["venue_id"].iloc[:3]:
        assert run_js(qtbot, view, f"inspectorMap.selectVenue({json.dumps(venue_id)}, true)") is True
        qtbot.waitUntil(lambda: run_js(qtbot, view, popup) == "", timeout=5_000)
        assert folded(qtbot, view) is True
        run_js(qtbot, view, "inspectorMap.clearSelection() || 1")
        assert folded(qtbot, view) is False  # as the user left it
    assert run_js(qtbot, view, f"inspectorMap.selectVenue({json.dumps(east['venue_id'].iloc[0])})") is True
    assert folded(qtbot, view) is True
    run_js(qtbot, view, "document.querySelector('.legend-toggle').click() || 1")  # the user opens it anyway
    assert folded(qtbot, view) is False
    resize(qtbot, view, LARGE)  # room for both: the popup is kept clear of it
    assert folded(qtbot, view) is False
    assert run_js(qtbot, view, popup) == ""
