"""The window's first layout: it fits the screen, and the unit tree's columns show whole."""

import pytest

pytestmark = pytest.mark.webengine


def test_every_column_of_the_unit_tree_shows_whole_on_first_start(qtbot, window):
    qtbot.waitUntil(lambda: _every_tree_column_whole(window), timeout=10_000)


def test_every_column_of_the_unit_tree_shows_whole_in_a_narrow_window(qtbot, settings, demo_workspace):
    """1180 px: a laptop of 1366 px at 115 %, or 1920 px at 150 % less the desktop's panels."""
    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow

    settings.setValue("last_workspace", str(demo_workspace))
    win = MainWindow(settings, Language("vi"))
    qtbot.addWidget(win)
    win.resize(1180, 760)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.job is None and win.view is not None, timeout=60_000)
    qtbot.waitUntil(lambda: _every_tree_column_whole(win), timeout=10_000)  # once the layout has settled


def _every_tree_column_whole(window):
    header = window.tree.header()
    needed = sum(max(window.tree.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(header.count()))
    return needed <= window.tree.viewport().width() and all(
        window.tree.columnWidth(c) >= header.sectionSizeHint(c) for c in range(header.count()))


def test_a_new_window_fits_the_screen(qtbot, settings):
    from PySide6.QtGui import QGuiApplication

    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow

    win = MainWindow(settings, Language("en"))
    qtbot.addWidget(win)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert win.width() <= screen.width() and win.height() <= screen.height()
