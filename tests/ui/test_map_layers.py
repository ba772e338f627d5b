"""The map's layer list shows one colouring at a time, and the View menu follows what the user chose in it."""

import json

import pytest

from inspector.core.i18n import translator
from inspector.core.workspace import Workspace
from maps.data import map_data
from maps.web import build_page
from tests.ui.conftest import layer_list_click, run_js, show_map

pytestmark = pytest.mark.webengine

#: what the page shows: the colourings ticked in the layer list ("level: measure", or none), the choropleths on
#: the map, the legend's titles
SHOWN = """JSON.stringify((function () {
  var ticked = [], drawn = 0;
  document.querySelectorAll('.leaflet-control-layers label').forEach(function (l) {
    var name = l.textContent.trim();
    if (l.querySelector('input').checked && (name.indexOf(': ') > 0 || name === %s)) { ticked.push(name); }
  });
  inspectorMap.map.eachLayer(function (l) {
    if (l instanceof L.GeoJSON && l.getLayers().length && l.getLayers()[0].feature.properties.fill) { drawn += 1; }
  });
  var legend = Array.prototype.map.call(
    document.querySelectorAll('.inspector-legend section:not([hidden]):not([data-layer="reports"]) .legend-title'),
    function (t) { return t.textContent; });
  return {ticked: ticked, drawn: drawn, legend: legend,
          colouring: inspectorMap.colouring ? inspectorMap.colouring() : 'unknown'};
})())"""

DISTRICT_RATE = "Quận, huyện: Lượt quét trên 1.000 dân mỗi ngày"
DISTRICT_SHARE = "Quận, huyện: Tỷ lệ cơ sở có dấu hiệu vi phạm"
WARD_SHARE = "Phường, xã: Tỷ lệ cơ sở có dấu hiệu vi phạm"
NONE = "Không tô màu"
VENUES = "Cơ sở: mức rủi ro"
SHOWN = SHOWN % json.dumps(NONE)


@pytest.fixture(params=[True, False], ids=["app, mouse", "exported, DOM clicks"])
def shown(request, qtbot, demo_workspace):
    """The demo map in Vietnamese: in the app's map area clicked with the mouse, exported clicked in the page."""
    mouse = request.param
    data = map_data(Workspace.open(demo_workspace))
    html = build_page(data, tr=translator("vi"), lang="vi", standalone=not mouse, bridge=mouse)
    return show_map(qtbot, html, (1033, 704) if mouse else (1366, 700)), mouse


def test_the_layer_list_shows_one_colouring_at_a_time(qtbot, shown):
    """Ticking three colourings one after the other left all four ticked and the map on the first."""
    view, mouse = shown
    steps = [(DISTRICT_RATE, "scans_per_1000_per_day", "district"), (DISTRICT_SHARE, "flagged_share", "district"),
             (WARD_SHARE, "flagged_share", "ward"), (NONE, None, None), (DISTRICT_RATE, "scans_per_1000_per_day",
                                                                          "district")]
    for name, metric, level in steps:
        layer_list_click(qtbot, view, name, mouse=mouse)
        qtbot.waitUntil(lambda name=name: json.loads(run_js(qtbot, view, SHOWN))["ticked"] == [name], timeout=5_000)
        state = json.loads(run_js(qtbot, view, SHOWN))
        if metric is None:
            assert state == {"ticked": [NONE], "drawn": 0, "legend": [VENUES], "colouring": None}
        else:
            assert state == {"ticked": [name], "drawn": 1, "legend": [name, VENUES],
                             "colouring": {"metric": metric, "level": level}}


def test_code_choosing_a_colouring_moves_the_tick(qtbot, shown):
    view, _mouse = shown
    assert run_js(qtbot, view, "inspectorMap.setColouring('flagged_share', 'district')") is True
    assert json.loads(run_js(qtbot, view, SHOWN))["ticked"] == [DISTRICT_SHARE]
    assert run_js(qtbot, view, "inspectorMap.setColouring('scans_per_1000_per_day')") is True  # the level coloured last
    assert json.loads(run_js(qtbot, view, SHOWN))["ticked"] == [DISTRICT_RATE]
    assert run_js(qtbot, view, "inspectorMap.setColouring(null)") is True
    assert json.loads(run_js(qtbot, view, SHOWN))["ticked"] == [NONE]
    assert run_js(qtbot, view, "inspectorMap.setColouring('risk')") is False


def test_the_view_menu_follows_the_layer_list(window, qtbot):
    """Heat map on and boundaries off in the map: the menu says so, and a new page (language) keeps them."""
    def visible(key):
        return run_js(qtbot, window.map, f"inspectorMap.layerVisible({json.dumps(key)})")

    layers, metrics = window.menus.layers, window.menus.metrics
    assert layers["boundaries"].isChecked() and not layers["heat"].isChecked()
    layer_list_click(qtbot, window.map, "Scan heat map (visual aid)")
    layer_list_click(qtbot, window.map, "Boundaries")
    qtbot.waitUntil(lambda: layers["heat"].isChecked() and not layers["boundaries"].isChecked(), timeout=5_000)
    assert visible("heat") is True and visible("boundaries") is False
    layer_list_click(qtbot, window.map, "Districts: Share of venues with active signals")
    qtbot.waitUntil(lambda: metrics["flagged_share"].isChecked(), timeout=5_000)
    assert window.settings.value("map/metric") == "flagged_share" and not metrics["scans_per_1000_per_day"].isChecked()

    window.set_language("vi")  # a new page
    qtbot.waitUntil(lambda: window.job is None and window.map.loaded, timeout=60_000)
    qtbot.waitUntil(lambda: json.loads(run_js(qtbot, window.map, SHOWN))["ticked"] == [DISTRICT_SHARE],
                    timeout=10_000)
    assert visible("heat") is True and visible("boundaries") is False
    assert layers["heat"].isChecked() and not layers["boundaries"].isChecked()

    layers["boundaries"].trigger()  # one choice in the menu is enough
    qtbot.waitUntil(lambda: visible("boundaries") is True, timeout=5_000)
    assert layers["boundaries"].isChecked()

    layer_list_click(qtbot, window.map, NONE)
    qtbot.waitUntil(lambda: not any(action.isChecked() for action in metrics.values()), timeout=5_000)
    window.reload()  # the workspace opened again (or the next start) keeps the map uncoloured
    qtbot.waitUntil(lambda: window.job is None and window.map.loaded, timeout=60_000)
    qtbot.waitUntil(lambda: json.loads(run_js(qtbot, window.map, SHOWN))["ticked"] == [NONE], timeout=10_000)
    qtbot.waitUntil(lambda: not any(action.isChecked() for action in metrics.values()), timeout=5_000)
    assert window.settings.value("map/coloured") == "false"
    metrics["scans_per_1000_per_day"].trigger()  # the menu colours the map again, at the level last shown
    qtbot.waitUntil(lambda: json.loads(run_js(qtbot, window.map, SHOWN))["colouring"] is not None, timeout=5_000)
    assert metrics["scans_per_1000_per_day"].isChecked() and window.job is None  # no new page needed
    assert window.settings.value("map/metric") == "scans_per_1000_per_day"
