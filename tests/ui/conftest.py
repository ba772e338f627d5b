"""Qt tests run offscreen; QtWebEngine needs its flags and shared GL contexts before the app exists."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, Qt  # noqa: E402
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: E402, F401 - must load before QApplication

from inspector.demo.build import build_demo  # noqa: E402
from inspector.ui.language import Language  # noqa: E402
from inspector.ui.settings import make_settings  # noqa: E402

QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


TRICKY = "<img src=x onerror=\"window.pwned=1\">"


@pytest.fixture(autouse=True)
def _delete_closed_widgets(qapp):
    """Delete the widgets a test closed now, not at exit.

    A web page still alive when the interpreter exits outlives its QtWebEngine profile, and the
    process crashes on the way out (exit code 139 after every test passed).
    """
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory):
    """A small demo province (built once per test run) with one venue named like an attack."""
    folder = tmp_path_factory.mktemp("demo")
    built = build_demo(folder, venues=400, days=14, seed=3, workspace=False)
    venues = built.demo.venues
    text = venues.read_text(encoding="utf-8-sig").splitlines()
    cells = text[1].split(",")
    cells[2] = TRICKY.replace('"', "'")
    text[1] = ",".join(cells)
    venues.write_text("\n".join(text) + "\n", encoding="utf-8-sig")
    from inspector.core.workspace import Workspace
    from inspector.demo.build import import_folder

    ws = Workspace.create(folder / "demo.gpkg")
    import_folder(ws, folder)
    return ws.path


def own_copy(demo_workspace: Path, tmp_path: Path) -> Path:
    """A copy of the shared demo workspace, for a module whose tests write into it (later tests read the shared one).

    Such a module overrides the fixture: ``def demo_workspace(demo_workspace, tmp_path): return own_copy(...)``.
    """
    copy = tmp_path / "demo.gpkg"
    shutil.copy(demo_workspace, copy)
    return copy


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path / "settings.ini")


@pytest.fixture
def window(qtbot, settings, demo_workspace, monkeypatch):
    """The main window opened on the demo workspace, map loaded; dialogs answer nothing (and are listed)."""
    from inspector.ui.dialogs import Dialogs
    from inspector.ui.main_window import MainWindow

    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(Dialogs, "error", staticmethod(lambda parent, title, text, details="": shown.append(
        ("error", title, text))))
    monkeypatch.setattr(Dialogs, "info", staticmethod(lambda parent, title, text, details="": shown.append(
        ("info", title, text))))
    monkeypatch.setattr(Dialogs, "match_columns", staticmethod(lambda parent, lang, preview: shown.append(
        ("match_columns", preview.kind, preview))))  # offered, and cancelled
    settings.setValue("last_workspace", str(demo_workspace))
    win = MainWindow(settings, Language("en"))
    win.dialogs_shown = shown
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignal(win.map.ready, timeout=60_000):
        win.start()
    qtbot.waitUntil(lambda: win.job is None and win.view is not None, timeout=60_000)
    return win


def show_map(qtbot, html, size):
    """A map view of ``size`` (width, height) showing the page ``html``, once the page is ready."""
    from inspector.ui.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    with qtbot.waitSignal(view.ready, timeout=60_000):
        view.show_page(html)
    return view


def run_js(qtbot, view, script):
    """Evaluate ``script`` in the page and return its (JSON-friendly) value."""
    box = {}
    view.page().runJavaScript(script, 0, lambda value: box.setdefault("v", value))
    qtbot.waitUntil(lambda: "v" in box, timeout=10_000)
    return box["v"]


def layer_list_click(qtbot, view, name, *, mouse=True):
    """Click the entry ``name`` of the map's layer list, with the mouse (the pointer opens the folded list
    first, as a user's does) or, ``mouse=False``, with a DOM click on its input (Leaflet's handler either way).
    """
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    find = f"""Array.prototype.filter.call(document.querySelectorAll('.leaflet-control-layers label'), function (l) {{
        return l.textContent.trim() === {json.dumps(name)}; }})[0].querySelector('input')"""
    if not mouse:
        assert run_js(qtbot, view, f"{find}.click() || 1") == 1
        return
    target = view.focusProxy()

    def centre(script):
        r = json.loads(run_js(qtbot, view, f"JSON.stringify({script}.getBoundingClientRect())"))
        return QPoint(int(r["x"] + r["width"] / 2), int(r["y"] + r["height"] / 2))

    QTest.mouseMove(target, centre("document.querySelector('.leaflet-control-layers')"))
    qtbot.waitUntil(lambda: run_js(qtbot, view, "document.querySelector('.leaflet-control-layers')"
                                   ".classList.contains('leaflet-control-layers-expanded')") is True, timeout=5_000)
    at = centre(find)
    QTest.mouseMove(target, at)
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)


def first_unit(model, depth):
    """The first unit at ``depth`` of the unit tree's model (0: the province)."""
    index = model.index(0, 0)
    for _ in range(depth):
        index = model.index(0, 0, index)
    return index
