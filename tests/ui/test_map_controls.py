"""The map's own controls (legend, layer list) never cover the province on first open, nor a venue popup."""

import json

import pytest

from inspector.core.i18n import translator
from inspector.core.workspace import Workspace
from inspector.ui.map_view import MapView
from maps.data import map_data
from maps.web import build_page
from tests.ui.conftest import run_js

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
    view = MapView()
    qtbot.addWidget(view)
    view.resize(*((1366, 700) if standalone else (814, 472)))
    view.show()
    with qtbot.waitSignal(view.ready, timeout=60_000):
        view.show_page(html)
    return view, data


def test_first_view_leaves_the_province_clear_of_the_legend(qtbot, shown):
    view, data = shown
    west, south, east, north = data.units.total_bounds
    script = f"""(function () {{
        var map = inspectorMap.map, base = map.getContainer().getBoundingClientRect(),
            nw = map.latLngToContainerPoint([{north}, {west}]), se = map.latLngToContainerPoint([{south}, {east}]);
        return {COVERED}({{left: nw.x + base.left, top: nw.y + base.top, right: se.x + base.left,
                           bottom: se.y + base.top}});
    }})()"""
    assert run_js(qtbot, view, script) == ""


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
    opened = run_js(qtbot, view, height)
    run_js(qtbot, view, "document.querySelector('.legend-toggle').click()")
    assert run_js(qtbot, view, "inspectorMap.legendFolded()") is True
    assert run_js(qtbot, view, height) < opened / 4
    assert run_js(qtbot, view, "document.querySelector('.legend-toggle').textContent") == "Chú giải"
