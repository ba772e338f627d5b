"""The map: a QWebEngineView showing the page ``maps`` builds, talking to it both ways."""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView

from inspector.core import paths


class MapBridge(QObject):
    """Registered in the page's web channel as ``bridge``; the page calls its slots."""

    clicked = Signal(str)
    layers = Signal(object)

    @Slot(str)
    def venueClicked(self, venue_id: str) -> None:  # noqa: N802 - called from JavaScript
        self.clicked.emit(venue_id)

    @Slot(str)
    def layersChanged(self, state: str) -> None:  # noqa: N802 - called from JavaScript
        """What the page shows now (``inspectorMap.layers()`` as JSON), after any change, the user's included."""
        try:
            value = json.loads(state)
        except ValueError:
            return
        if isinstance(value, dict):
            self.layers.emit(value)


class MapView(QWebEngineView):
    """Loads map pages from files (``setHtml`` fails above 2 MB) and forwards selections and layer changes."""

    venue_clicked = Signal(str)
    #: ``{"overlays": {key: visible}, "colouring": {"metric", "level"} or None}`` whenever the page's layers change
    layers_changed = Signal(object)
    ready = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # parented, so Qt (not Python's garbage collector) decides when they go, after the page
        self.bridge = MapBridge(self)
        self.bridge.clicked.connect(self.venue_clicked)
        self.bridge.layers.connect(self.layers_changed)
        self.channel = QWebChannel(self)
        self.channel.registerObject("bridge", self.bridge)
        self.page().setWebChannel(self.channel)
        settings = self.page().settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
        self.loaded = False
        self._pending: list[str] = []
        self._file: Path | None = None
        self.loadFinished.connect(self._on_loaded)
        # reached with Tab, where the arrow keys pan and + and - zoom (Leaflet's keys); Tab leaves it again
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def show_page(self, html: str, *, allow_remote: bool = False) -> None:
        """Write ``html`` to a fresh file in the cache folder (else the system's temporary folder) and load it.

        A page is loaded from a file, never with ``setHtml``, which fails silently above about 2 MB.
        """
        name = f"map-{uuid.uuid4().hex}.html"
        try:
            target = paths.cache_dir() / "maps" / name
            target.parent.mkdir(exist_ok=True)
            target.write_text(html, encoding="utf-8")
        except OSError:  # a cache folder that cannot be written must not leave the window without its map
            target = Path(tempfile.mkdtemp(prefix="qr-inspector-map-")) / name
            target.write_text(html, encoding="utf-8")
        self.page().settings().setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, allow_remote)
        old, self._file = self._file, target
        self.loaded = False
        self.load(QUrl.fromLocalFile(str(target)))
        if old is not None:
            old.unlink(missing_ok=True)

    def select_venue(self, venue_id: str | None, zoom: bool = False) -> None:
        """Select ``venue_id`` (``None``: none); with ``zoom``, zoom in to its street when farther out."""
        if venue_id is None:
            self.call("inspectorMap.clearSelection()")
        else:
            self.call(f"inspectorMap.selectVenue({json.dumps(venue_id)}, {json.dumps(zoom)})")

    def filter_venues(self, bits: str | None) -> None:
        """Draw only the venues flagged in ``bits`` (:func:`maps.venues.pack_shown`); ``None``: all of them."""
        self.call(f"inspectorMap.filterVenues({json.dumps(bits)})")

    def zoom_to_unit(self, code: str) -> None:
        self.call(f"inspectorMap.zoomToUnit({json.dumps(code)})")

    def mark_unit(self, code: str) -> None:
        """Outline unit ``code`` without moving the map."""
        self.call(f"inspectorMap.markUnit({json.dumps(code)})")

    def view_state(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Ask the page for its view (centre, zoom, legend folded); ``callback`` gets it unless there is none."""
        if not self.loaded:
            return

        def got(value: object) -> None:
            if isinstance(value, str) and value:
                callback(json.loads(value))

        self.page().runJavaScript("window.inspectorMap ? JSON.stringify(inspectorMap.viewState()) : ''", 0, got)

    def set_layer(self, key: str, visible: bool) -> None:
        """Show or hide overlay ``key`` ("venues", "heat", "boundaries", "labels": the units' names)."""
        self.call(f"inspectorMap.setLayerVisible({json.dumps(key)}, {json.dumps(bool(visible))})")

    def set_colouring(self, metric: str | None) -> None:
        """Colour the units by ``metric`` at the level coloured last (``None``: no colouring)."""
        self.call(f"inspectorMap.setColouring({json.dumps(metric)})")

    def set_view_state(self, state: dict[str, Any]) -> None:
        self.call(f"inspectorMap.setViewState({json.dumps(state)})")

    def call(self, script: str) -> None:
        """Run ``script`` in the page once it is ready (queued until then)."""
        guarded = f"if (window.inspectorMap) {{ {script}; }}"
        if self.loaded:
            self.page().runJavaScript(guarded)
        else:
            self._pending.append(guarded)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Tab and Shift+Tab leave the map (the page would take them round its own buttons for ever)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in (
                Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return self.focusNextPrevChild(event.key() == Qt.Key.Key_Tab)
        return super().eventFilter(watched, event)

    def _on_loaded(self, ok: bool) -> None:
        if self.focusProxy() is not None:  # the widget of the page's that gets the keys
            self.focusProxy().installEventFilter(self)
        self.loaded = ok
        if ok:
            for script in self._pending:
                self.page().runJavaScript(script)
            self._pending.clear()
            self.ready.emit()

    def cleanup(self) -> None:
        if self._file is not None:
            self._file.unlink(missing_ok=True)
