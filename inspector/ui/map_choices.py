"""The map's layers and colouring as the user chose them: View menu, page and settings agree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from inspector.ui.main_window import MainWindow

#: The colouring of a first start
DEFAULT_METRIC = "scans_per_1000_per_day"


class MapChoices(QObject):
    """Keeps the View menu's layer and colouring ticks, the map page and the saved metric in step.

    The menu's ticks are what a new page of the map (another language, another workspace) shows
    again; the page says when the user changes its layer list (:attr:`MapView.layers_changed
    <inspector.ui.map_view.MapView.layers_changed>`).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: the colouring of new pages, exports and the next start
        self.metric = str(window.settings.value("map/metric", DEFAULT_METRIC))
        #: whether the map is coloured at all ("No colouring" in its layer list; exports keep the metric)
        self.coloured = str(window.settings.value("map/coloured", "true")).lower() != "false"

    def show_page(self, page: str) -> None:
        """Load a map page and carry the user's layer choices over to it, "No colouring" too."""
        self.window.map.show_page(page)
        for key, action in self.window.menus.layers.items():
            self.set_layer(key, action.isChecked())
        if not self.coloured:
            self.window.map.set_colouring(None)

    def set_layer(self, key: str, visible: bool) -> None:
        self.window.map.set_layer(key, visible)

    def set_metric(self, metric: str) -> None:
        """Colour the map by ``metric``, at the level of units coloured last (the page has every colouring)."""
        self._keep(metric)
        self.window.map.set_colouring(metric)

    def changed(self, state: dict[str, Any]) -> None:
        """The map's layers changed (in its layer list, or by the window): the View menu and the metric follow."""
        menus = self.window.menus
        overlays = state.get("overlays")
        if isinstance(overlays, dict):  # every layer of the page: one it lacks (no such reports) is greyed out
            for key, action in menus.layers.items():
                action.setEnabled(key in overlays)
                if key in overlays:
                    action.setChecked(bool(overlays[key]))
        if "colouring" not in state:
            return
        colouring = state["colouring"]
        metric = colouring.get("metric") if isinstance(colouring, dict) else None
        if metric in menus.metrics:
            self._keep(metric)
        elif colouring is None:  # no colouring: no metric ticked (the last one is still the one exported)
            self._colour(False)
            for action in menus.metrics.values():
                action.setChecked(False)

    def _keep(self, metric: str) -> None:
        """Remember ``metric`` for new pages, exports and the next start, and tick it in the menu."""
        self.metric = metric
        self.window.settings.setValue("map/metric", metric)
        self.window.menus.metrics[metric].setChecked(True)
        self._colour(True)

    def _colour(self, coloured: bool) -> None:
        self.coloured = coloured
        self.window.settings.setValue("map/coloured", "true" if coloured else "false")
