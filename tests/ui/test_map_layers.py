"""The map's layer list shows one colouring at a time."""

import json

import pytest

from inspector.core.i18n import translator
from inspector.core.workspace import Workspace
from inspector.ui.map_view import MapView
from maps.data import map_data
from maps.web import build_page
from tests.ui.conftest import layer_list_click, run_js

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
    document.querySelectorAll('.inspector-legend section:not([hidden]) .legend-title'),
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
    view = MapView()
    qtbot.addWidget(view)
    view.resize(*((1033, 704) if mouse else (1366, 700)))
    view.show()
    with qtbot.waitSignal(view.ready, timeout=60_000):
        view.show_page(html)
    return view, mouse


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
