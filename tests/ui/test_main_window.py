import json

import pytest
from PySide6.QtCore import Qt

from inspector.ui.unit_tree import UNIT_CODE_ROLE
from inspector.ui.venue_table import VENUE_ID_ROLE
from tests.ui.conftest import TRICKY, first_unit, run_js

pytestmark = pytest.mark.webengine


def test_window_opens_on_workspace_with_tree_map_and_table(window, qtbot):
    assert window.view is not None
    assert window.venues.model.rowCount() == window.venues.model.total() == 400
    root = window.tree_model.index(0, 0)
    assert window.tree_model.rowCount(root) == 9  # districts of the demo province
    assert run_js(qtbot, window.map, "window.inspectorMap.venueCount()") > 300
    assert "venues" in window.status_counts.text()
    first = window.venues.model.index(0, 5)  # riskiest first
    last = window.venues.model.index(window.venues.model.rowCount() - 1, 5)
    assert int(first.data()) >= int(last.data())


def test_selecting_a_ward_filters_the_table_and_zooms(window, qtbot):
    ward = first_unit(window.tree_model, 2)
    code = ward.data(UNIT_CODE_ROLE)
    before = run_js(qtbot, window.map, "window.inspectorMap.map.getZoom()")
    window.tree.setCurrentIndex(ward)
    shown = window.venues.model.rowCount()
    assert 0 < shown < 400
    wards = {window.venues.model._frame.at[int(r), "ward_code"] for r in window.venues.model._rows}
    assert wards == {code}
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.inspectorMap.map.getZoom()") > before, timeout=10_000)
    marked = ("(function (m) { var l = null; m.map.eachLayer(function (x) {"
              " if (x.feature && x.options.weight === 3.5) { l = x; } });"
              " return l && l.feature.id === m.markedUnit() ? l.getBounds().toBBoxString() : null; })"
              "(window.inspectorMap)")
    assert run_js(qtbot, window.map, marked)  # the ward is outlined on the map (its bounds, not null)
    window.venues.clear.click()  # all venues again: the tree lets go of the ward, which can be chosen again
    assert window.venues.model.rowCount() == window.venues.model.total()
    assert not window.tree.currentIndex().isValid() and not window.tree.selectionModel().hasSelection()
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.inspectorMap.markedUnit()") == "", timeout=10_000)
    window.tree.setCurrentIndex(ward)
    assert window.venues.model.rowCount() == shown


def test_table_row_selects_the_venue_on_the_map(window, qtbot):
    view = window.venues.view
    index = window.venues.model.index(3, 1)
    venue_id = index.data(VENUE_ID_ROLE)
    view.setCurrentIndex(index)
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.inspectorMap.selected") == venue_id, timeout=10_000)
    assert run_js(qtbot, window.map, "window.inspectorMap.viewState().zoom") >= 15  # zoomed in to its street


def test_map_click_selects_the_row(window, qtbot):
    venue_id = window.venues.model.venue_at(10)
    run_js(qtbot, window.map, "window.qtBridge !== undefined")
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.qtBridge !== undefined"), timeout=10_000)
    with qtbot.waitSignal(window.map.venue_clicked, timeout=10_000):
        window.map.page().runJavaScript(f"window.qtBridge.venueClicked({json.dumps(venue_id)})")
    assert window.venues.selected_venue() == venue_id


def test_language_switch_changes_menus_at_run_time(window, qtbot):
    assert window.menus.file.title() == "&File"
    window.set_language("vi")
    assert window.menus.file.title() == "&Tệp"
    assert window.venues.model.headerData(1, Qt.Orientation.Horizontal) == "Tên cơ sở"
    qtbot.waitUntil(lambda: window.job is None, timeout=60_000)
    window.set_language("en")
    assert window.menus.view.title() == "&View"


def test_injected_venue_name_shows_as_text_and_runs_nothing(window, qtbot):
    """The table's tooltip, the map's tooltip and popup all show the name as text."""
    model, name = window.venues.model, TRICKY.replace('"', "'")
    row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == name)
    tip = model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img src=x" in tip
    window.venues.view.setCurrentIndex(model.index(row, 1))
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.inspectorMap.selected") == model.venue_at(row),
                    timeout=10_000)
    popup = "(document.querySelector('.leaflet-popup') || {}).innerText"
    qtbot.waitUntil(lambda: name in (run_js(qtbot, window.map, popup) or ""), timeout=10_000)
    assert run_js(qtbot, window.map, "typeof window.pwned") == "undefined"
    assert run_js(qtbot, window.map, "document.querySelectorAll('img[src=\"x\"]').length") == 0


def test_models_pass_the_model_tester(window, qtmodeltester):
    qtmodeltester.check(window.venues.model)
    qtmodeltester.check(window.tree_model)


def test_a_long_job_can_be_cancelled(window, qtbot):
    import time

    from inspector.core.progress import report

    def slow(progress=None):
        for step in range(200):
            report(progress, step, 200)
            time.sleep(0.02)

    finished = []
    window.run_job("slow", slow, on_done=finished.append)
    window.cancel_job()
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)
    assert finished == []
    assert "Cancelled" in window.statusBar().currentMessage()


def test_column_widths_are_remembered(window, settings, qtbot):
    from inspector.ui.venue_panel import VenuePanel

    window.venues.view.horizontalHeader().resizeSection(1, 333)
    window.close()
    panel = VenuePanel(window.lang, settings)
    qtbot.addWidget(panel)
    assert panel.view.horizontalHeader().sectionSize(1) == 333


def test_first_launch_generates_the_demo_province(qtbot, settings, monkeypatch):
    from inspector.ui import loading
    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow

    monkeypatch.setattr(loading, "DEMO_OPTIONS", {"venues": 200, "days": 7, "seed": 2})
    assert not loading.demo_workspace().exists()
    win = MainWindow(settings, Language("vi"))
    qtbot.addWidget(win)
    win.show()
    progress = []
    win.job_bar.valueChanged.connect(progress.append)
    win.start()
    assert win.job_label.text().startswith("Đang chuẩn bị tỉnh mẫu")
    qtbot.waitUntil(lambda: win.view is not None and win.job is None, timeout=120_000)
    assert loading.demo_workspace().exists()
    assert win.view.path == loading.demo_workspace()
    assert progress and max(progress) > 0
    assert settings.value("last_workspace") == str(loading.demo_workspace())


def test_view_menu_turns_map_layers_on_and_off(window, qtbot):
    assert run_js(qtbot, window.map, "window.inspectorMap.layerVisible('venues')") is True
    window.menus.layers["venues"].trigger()
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.inspectorMap.layerVisible('venues')") is False)
    window.menus.layers["heat"].trigger()
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.inspectorMap.layerVisible('heat')") is True)
    window.choices.set_metric("flagged_share")  # a new page keeps the choices
    qtbot.waitUntil(lambda: window.job is None, timeout=60_000)
    qtbot.waitUntil(lambda: window.map.loaded, timeout=60_000)
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.inspectorMap.layerVisible('heat')") is True)
    assert run_js(qtbot, window.map, "window.inspectorMap.layerVisible('venues')") is False


def test_new_workspace_then_imports_fill_the_window(qtbot, settings, monkeypatch, tmp_path):
    """A data officer's first steps: new workspace (empty map page), then boundaries and venues."""
    from inspector.ui.dialogs import Dialogs
    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow
    from tests.conftest import VENUES_CSV, tiny_wards

    target = tmp_path / "new.gpkg"
    shown = []
    monkeypatch.setattr(Dialogs, "save_file", staticmethod(lambda *args, **kwargs: str(target)))
    monkeypatch.setattr(Dialogs, "info", staticmethod(lambda parent, title, text, details="": shown.append(text)))
    monkeypatch.setattr(Dialogs, "error", staticmethod(lambda parent, title, text, details="": shown.append(text)))
    win = MainWindow(settings, Language("en"))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    win.new_workspace()
    qtbot.waitUntil(lambda: win.view is not None and win.job is None, timeout=60_000)
    assert win.view.path == target and win.venues.model.rowCount() == 0
    qtbot.waitUntil(lambda: win.map.loaded, timeout=30_000)
    text = run_js(qtbot, win.map, "document.body.innerText")
    assert "no administrative units" in text
    wards = tmp_path / "wards.geojson"
    tiny_wards().to_file(wards, driver="GeoJSON")
    venues = tmp_path / "venues.csv"
    venues.write_text(VENUES_CSV, encoding="utf-8")
    for kind, path in (("boundaries", wards), ("venues", venues)):
        win.import_files(kind, path)
        qtbot.waitUntil(lambda: win.job is None and win.view is not None, timeout=60_000)
        qtbot.waitUntil(lambda: win.job is None, timeout=60_000)
    assert any("4 accepted" in message for message in shown), shown
    assert win.venues.model.total() == 4, shown
    assert win.tree_model.rowCount() == 1
    assert win.status_period.text() == "Period: —"  # no scans yet: no period, and no scan-based signs
    assert win.status_counts.text() == "4 venues (4 active) · 0 scans · 0 with signs"
    header = win.tree.header()  # fitted once units came, not spent on the empty tree
    needed = sum(max(win.tree.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(header.count()))
    assert needed <= win.tree.viewport().width()


def test_a_redrawn_map_keeps_its_view_and_the_selected_venue(window, qtbot):
    def js(script):
        return run_js(qtbot, window.map, script)

    ward = first_unit(window.tree_model, 2)
    before = js("window.inspectorMap.map.getZoom()")
    window.tree.setCurrentIndex(ward)
    qtbot.waitUntil(lambda: js("window.inspectorMap.map.getZoom()") > before, timeout=10_000)
    qtbot.wait(500)  # the zoom animation
    window.venues.view.setCurrentIndex(window.venues.model.index(0, 1))
    venue = window.venues.selected_venue()
    qtbot.waitUntil(lambda: js("window.inspectorMap.selected") == venue, timeout=10_000)
    zoom = js("window.inspectorMap.map.getZoom()")
    for change in (lambda: window.choices.set_metric("flagged_share"), lambda: window.set_language("vi")):
        change()
        qtbot.waitUntil(lambda: window.job is None and window.map.loaded, timeout=60_000)
        qtbot.waitUntil(lambda: js("window.inspectorMap.selected") == venue, timeout=10_000)
        assert js("window.inspectorMap.map.getZoom()") == zoom
        assert js("document.querySelectorAll('.leaflet-popup').length") == 1
        qtbot.waitUntil(lambda: js("window.inspectorMap.markedUnit()") != "", timeout=10_000)  # still outlined
    assert window.tree.currentIndex().data(UNIT_CODE_ROLE) == ward.data(UNIT_CODE_ROLE)


def test_a_name_typed_without_ending_asks_before_replacing_a_workspace(window, qtbot, monkeypatch, tmp_path):
    """The save dialog checked ``old.bak``; the window is about to write ``old.bak.gpkg``, which exists."""
    from inspector.ui.dialogs import Dialogs

    existing = tmp_path / "old.bak.gpkg"
    existing.write_bytes(b"keep me")
    asked = []
    monkeypatch.setattr(Dialogs, "save_file", staticmethod(lambda *args, **kwargs: str(tmp_path / "old.bak")))
    monkeypatch.setattr(Dialogs, "confirm", staticmethod(lambda parent, title, text: asked.append(text) or False))
    window.new_workspace()
    assert asked == ["old.bak.gpkg already exists. Replace it?"]
    assert window.job is None and existing.read_bytes() == b"keep me"
    monkeypatch.setattr(Dialogs, "save_file", staticmethod(lambda *args, **kwargs: str(tmp_path / "fresh")))
    window.new_workspace()  # nothing there: no question, ".gpkg" added
    assert len(asked) == 1 and "fresh.gpkg" in window.job_label.text()
    qtbot.waitUntil(lambda: window.job is None and window.view.path == tmp_path / "fresh.gpkg", timeout=60_000)


def test_the_data_folder_is_named_when_nothing_can_open_it(window, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from inspector.core import paths

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))  # no desktop opener
    window.menus.data.trigger()
    assert window.dialogs_shown[-1] == ("info", "Data folder", str(paths.data_dir()))


def test_without_a_workspace_the_window_says_how_to_start(qtbot, settings, monkeypatch, tmp_path):
    from inspector.ui.dialogs import Dialogs
    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow

    broken = tmp_path / "broken.gpkg"
    broken.write_text("not a workspace", encoding="utf-8")
    settings.setValue("last_workspace", str(broken))
    errors = []
    monkeypatch.setattr(Dialogs, "error", staticmethod(lambda parent, title, text, details="": errors.append(text)))
    win = MainWindow(settings, Language("en"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.map.ready, timeout=60_000):
        win.start()
    assert win.view is None and errors and "broken.gpkg" in errors[0]
    menus = win.menus
    assert not any(a.isEnabled() for a in [menus.export, menus.reload, *menus.imports.values()])
    assert menus.new.isEnabled() and menus.open.isEnabled()
    text = run_js(qtbot, win.map, "document.body.innerText")
    assert "No workspace is open" in text and "New workspace…" in text and "File menu" in text
    with qtbot.waitSignal(win.map.ready, timeout=60_000):
        win.set_language("vi")
    assert "Chưa mở không gian làm việc nào" in run_js(qtbot, win.map, "document.body.innerText")


def test_selecting_a_venue_ticks_the_venue_layer_again(window, qtbot):
    window.menus.layers["venues"].trigger()
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.inspectorMap.layerVisible('venues')") is False)
    assert not window.menus.layers["venues"].isChecked()
    window.venues.view.setCurrentIndex(window.venues.model.index(2, 1))
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.inspectorMap.layerVisible('venues')") is True)
    assert window.menus.layers["venues"].isChecked()


@pytest.mark.parametrize("code", ["en", "vi"])
def test_menu_mnemonics_are_unique_in_each_menu(window, code):
    import re

    from PySide6.QtWidgets import QMenu

    window.lang.set(code)
    menus = [window.menuBar(), *window.findChildren(QMenu)]
    for menu in menus:
        letters = [m.group(1).lower() for action in menu.actions()
                   for m in [re.search(r"&([^&])", action.text())] if m]
        assert len(letters) == len(set(letters)), (code, [a.text() for a in menu.actions()])
    entries = [a.text() for a in window.menus.view.actions() if a.text() and not a.menu()]
    assert all(re.search(r"&[^&]", text) for text in entries), entries  # the panels' entries too


def test_the_numbers_behind_each_sign_show_in_the_table_and_the_popup(window, qtbot):
    from inspector.ui.venue_table import COLUMNS

    model, column = window.venues.model, [name for name, _ in COLUMNS].index("signals")
    row = next(r for r in range(model.rowCount()) if "," in (model.index(r, column).data() or ""))
    tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
    signs = model.index(row, column).data().split(", ")
    from maps.labels import signal_labels
    order = list(signal_labels(lambda text: text).values())
    assert signs == sorted(signs, key=order.index)  # as the map's popup lists them
    assert all(f"<b>{sign}</b><br>" in tip for sign in signs) and tip.count("<p>") == len(signs)
    sentence = tip.split("<br>")[1].split("</p>")[0]
    assert any(ch.isdigit() for ch in sentence)
    window.venues.view.setCurrentIndex(model.index(row, 1))
    popup = "(document.querySelector('.leaflet-popup') || {}).innerText"
    qtbot.waitUntil(lambda: sentence.replace("&#x27;", "'") in (run_js(qtbot, window.map, popup) or ""),
                    timeout=10_000)
    venue = model.venue_at(row)
    window.set_language("vi")
    qtbot.waitUntil(lambda: window.job is None, timeout=60_000)
    vietnamese = model.index(model.row_of(venue), column).data(Qt.ItemDataRole.ToolTipRole)
    assert sentence not in vietnamese and vietnamese.count("<p>") == len(signs)


def test_a_cancelled_first_demo_says_how_to_start_and_the_help_menu_opens_the_demo(qtbot, settings, monkeypatch,
                                                                                  demo_workspace):
    from inspector.core.errors import Cancelled
    from inspector.ui import loading
    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow

    def cancelled(progress=None):
        raise Cancelled

    monkeypatch.setattr(loading, "ensure_demo", cancelled)  # the user cancels the first preparation
    win = MainWindow(settings, Language("en"))
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.map.loaded and "No workspace is open" in run_js(qtbot, win.map,
                                                                               "document.body.innerText"),
                    timeout=60_000)
    assert win.view is None and win.job is None and win.menus.demo.isEnabled()
    text = run_js(qtbot, win.map, "document.body.innerText")
    assert "No workspace is open" in text and "open the demo province (Open the demo province) from the Help" in text
    monkeypatch.setattr(loading, "ensure_demo", lambda progress=None: demo_workspace)
    win.menus.demo.trigger()
    qtbot.waitUntil(lambda: win.view is not None and win.view.path == demo_workspace, timeout=60_000)


def test_the_keyboard_reaches_the_map_with_tab_pans_it_with_the_arrows_and_leaves_it_with_tab(window, qtbot):
    from PySide6.QtWidgets import QApplication

    from tests.ui.conftest import run_js

    window.activateWindow()
    qtbot.waitUntil(lambda: window.map.loaded and window.map.focusProxy() is not None, timeout=30_000)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.map.focusProxy(), timeout=5_000)
    before = run_js(qtbot, window.map, "inspectorMap.map.getCenter().lng")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)  # Leaflet's keys: the map pans east
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "inspectorMap.map.getCenter().lng") > before, timeout=5_000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # and out to the table's search, not round the page
    assert QApplication.focusWidget() is window.venues.search
    qtbot.keyClick(window.venues.search, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is window.map.focusProxy()
    window.venues.view.setFocus()  # the table: the arrows choose rows, Tab goes on
    qtbot.keyClick(window.venues.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not window.venues.view
