"""File → Export map: a web page and a PNG of the unit chosen in the tree, or of the whole workspace."""

import json

import pytest

from inspector.ui.unit_tree import UNIT_CODE_ROLE
from tests.ui.conftest import first_unit

pytestmark = pytest.mark.webengine


def test_export_map_writes_the_unit_chosen_in_the_tree_or_the_whole_workspace(window, qtbot, monkeypatch, tmp_path):
    """File → Export map: a web page and a PNG of the ward chosen in the tree, named after it; all without one."""
    from inspector.ui.dialogs import Dialogs

    asked = []

    def save_file(parent, title, filters, suggested="", suffix=""):
        asked.append(suggested)
        return str(tmp_path / f"{len(asked)}-{suggested}")

    monkeypatch.setattr(Dialogs, "save_file", staticmethod(save_file))
    import maps.static

    printed, render = [], maps.static.render_png
    monkeypatch.setattr(maps.static, "render_png", lambda data, *args, **kw: printed.append(data) or render(
        data, *args, **kw))
    ward = first_unit(window.tree_model, 2)
    code, name = ward.data(UNIT_CODE_ROLE), ward.data()
    inside = set(window.view.data.venues.loc[window.view.data.venues["ward_code"] == code, "venue_id"])
    outside = window.view.data.venues.loc[window.view.data.venues["ward_code"] != code, "venue_id"].iloc[0]
    window.tree.setCurrentIndex(ward)
    window.export_map()
    qtbot.waitUntil(lambda: window.job is None and window.dialogs_shown[-1][0] == "info", timeout=60_000)
    html, png = tmp_path / f"1-{name}.html", tmp_path / f"1-{name}.png"
    assert asked == [f"{name}.html"] and window.dialogs_shown[-1][2] == f"{html}\n{png}"
    page = html.read_text(encoding="utf-8")
    assert all(json.dumps(v) in page for v in inside) and json.dumps(outside) not in page
    assert png.stat().st_size > 20_000
    assert printed[0].focus == code and len(printed[0].units) == len(window.view.data.units)  # amid its neighbours
    window.venues.clear.click()  # no unit chosen: the whole workspace
    window.export_map()
    qtbot.waitUntil(lambda: window.job is None and len(window.dialogs_shown) >= 2, timeout=60_000)
    assert asked[-1] == "map.html" and json.dumps(outside) in (tmp_path / "2-map.html").read_text(encoding="utf-8")
