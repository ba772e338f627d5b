"""Citizen reports that found no venue, on the window's map: their layer, its legend, its tooltip, the View menu."""

import json

import pytest

from inspector.core.importers import import_file
from inspector.core.workspace import Workspace
from tests.ui.conftest import TRICKY, own_copy, run_js

pytestmark = pytest.mark.webengine


@pytest.fixture
def demo_workspace(demo_workspace, tmp_path):
    """The demo with one more report: where no venue is registered, written like an attack."""
    path = own_copy(demo_workspace, tmp_path)
    ws = Workspace.open(path)
    lat, lon = ws.query("SELECT lat, lon FROM venues ORDER BY venue_id LIMIT 1").iloc[0]
    report = tmp_path / "hue-s.csv"
    report.write_text(f"Thời gian,Vĩ độ,Kinh độ,Loại vi phạm,Nội dung\n10/08/2021 14:30,{lat + 0.004},{lon + 0.004},"
                      f"Không có mã QR,\"{TRICKY.replace(chr(34), chr(39))}\"\n", encoding="utf-8")
    import_file(ws, "reports", report)
    assert ws.query("SELECT venue_id FROM citizen_reports WHERE description LIKE '%onerror%'")["venue_id"].isna().all()
    return path


LEGEND = ("JSON.stringify(Array.prototype.map.call(document.querySelectorAll("
          "'.inspector-legend section:not([hidden]) .legend-title'), function (t) { return t.textContent; }))")
TOOLTIP = """(function () {
  var text = null;
  inspectorMap.map.eachLayer(function (group) {  // folium binds the tooltip to the layer, shown over each report
    var ours = (group.getLayers ? group.getLayers() : []).filter(function (l) {
      return l.feature && String(l.feature.properties.text || '').indexOf('onerror') >= 0; })[0];
    if (ours && group.getTooltip()) {
      ours.fire('mouseover', {latlng: ours.getLatLng()}, true);  // as the pointer does
      text = group.getTooltip().getElement().textContent;
    }
  });
  return JSON.stringify([text, window.pwned === undefined]);
})()"""


def test_the_reports_layer_shows_with_its_legend_and_the_view_menu_switches_it(window, qtbot):
    action = window.menus.layers["reports"]
    qtbot.waitUntil(lambda: action.isEnabled() and action.isChecked(), timeout=10_000)
    assert run_js(qtbot, window.map, "inspectorMap.layerVisible('reports')") is True
    assert "Citizen reports without a venue" in json.loads(run_js(qtbot, window.map, LEGEND))
    text, safe = json.loads(run_js(qtbot, window.map, TOOLTIP))
    assert "10 Aug 2021 14:30" in text and "no QR board" in text and "<img src=x onerror='window.pwned=1'>" in text
    assert safe
    action.trigger()  # off, from the View menu
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "inspectorMap.layerVisible('reports')") is False, timeout=5_000)
    assert "Citizen reports without a venue" not in json.loads(run_js(qtbot, window.map, LEGEND))
    assert not action.isChecked()
