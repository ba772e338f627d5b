"""What the map area says while there is no map yet, and what the View menu offers of a page."""

import pytest

from tests.ui.conftest import run_js

pytestmark = pytest.mark.webengine


def test_the_first_preparation_of_the_demo_says_what_is_coming_where_the_map_will_be(qtbot, settings, monkeypatch,
                                                                                    demo_workspace):
    import threading

    from inspector.ui import loading
    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow

    go = threading.Event()

    def slow_demo(progress=None):
        go.wait(60)
        return demo_workspace

    monkeypatch.setattr(loading, "ensure_demo", slow_demo)
    win = MainWindow(settings, Language("en"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.map.ready, timeout=60_000):
        win.start()
    assert "Preparing the demo province" in run_js(qtbot, win.map, "document.body.innerText")
    with qtbot.waitSignal(win.map.ready, timeout=60_000):
        win.set_language("vi")  # said again in the language chosen meanwhile
    assert "Đang chuẩn bị tỉnh mẫu" in run_js(qtbot, win.map, "document.body.innerText")
    go.set()
    qtbot.waitUntil(lambda: win.view is not None and win.view.path == demo_workspace, timeout=60_000)
    qtbot.waitUntil(lambda: win.map.loaded and run_js(qtbot, win.map, "typeof inspectorMap") == "object",
                    timeout=60_000)


def test_a_map_layer_the_page_lacks_is_greyed_in_the_view_menu(qtbot, settings, venue_workspace):
    """A workspace without citizen reports has no layer of reports without a venue: nothing to switch."""
    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow

    settings.setValue("last_workspace", str(venue_workspace.path))
    win = MainWindow(settings, Language("en"))
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.job is None and win.view is not None, timeout=60_000)
    qtbot.waitUntil(lambda: not win.menus.layers["reports"].isEnabled(), timeout=10_000)
    assert all(win.menus.layers[key].isEnabled() for key in ("venues", "boundaries", "labels", "heat"))
