"""The map page in a real QtWebEngine: no request leaves the machine, and the page works."""

import pytest
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor

from inspector.core.i18n import translator
from inspector.core.workspace import Workspace
from inspector.ui.map_view import MapView
from maps.data import map_data
from maps.web import build_page
from tests.ui.conftest import run_js

pytestmark = pytest.mark.webengine
LOCAL = {"file", "qrc", "data", "blob", "about"}


class Recorder(QWebEngineUrlRequestInterceptor):
    def __init__(self):
        super().__init__()
        self.urls = []

    def interceptRequest(self, info):  # noqa: N802 - Qt override
        url = info.requestUrl()
        self.urls.append(url.toString())
        if url.scheme() not in LOCAL:
            info.block(True)


@pytest.mark.parametrize("standalone", [False, True])
def test_map_page_requests_nothing_from_the_network(qtbot, demo_workspace, standalone):
    data = map_data(Workspace.open(demo_workspace))
    html = build_page(data, tr=translator("en"), lang="en", standalone=standalone, bridge=not standalone)
    view = MapView()
    qtbot.addWidget(view)
    recorder = Recorder()
    view.page().profile().setUrlRequestInterceptor(recorder)
    try:
        view.resize(900, 700)
        view.show()
        with qtbot.waitSignal(view.ready, timeout=60_000):
            view.show_page(html)
        assert run_js(qtbot, view, "typeof L") == "object"  # Leaflet loaded offline
        assert run_js(qtbot, view, "window.inspectorMap.venueCount()") > 300
        remote = [u for u in recorder.urls if u.split(":", 1)[0] not in LOCAL]
        assert recorder.urls and remote == []
        if standalone:
            assert all(not u.startswith("file:") or u.endswith(".html") for u in recorder.urls)
    finally:
        view.page().profile().setUrlRequestInterceptor(None)


def test_a_cache_folder_that_cannot_be_written_still_shows_the_map(qtbot, monkeypatch, tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setattr("inspector.core.paths.cache_dir", lambda: blocked)
    view = MapView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loadFinished, timeout=30_000):
        view.show_page("<html><body><p id='x'>bản đồ</p></body></html>")
    assert run_js(qtbot, view, "document.getElementById('x').textContent") == "bản đồ"
