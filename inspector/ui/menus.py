"""The window's actions and menus (File, View, Help), with shortcuts and translated texts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from inspector.core.i18n import LANGUAGES, N_, Translate
from inspector.ui.settings import recent_workspaces

if TYPE_CHECKING:
    from inspector.ui.main_window import MainWindow

IMPORTS = {
    "boundaries": (N_("Import &boundaries…"), N_("Boundaries (*.geojson *.json *.shp *.gpkg *.zip)"), "Ctrl+Shift+B"),
    "venues": (N_("Import &venues…"), N_("Venue registry (*.csv *.xlsx *.xls *.ods *.geojson)"), "Ctrl+Shift+V"),
    "scans": (N_("Import &scans…"), N_("Scan logs (*.csv *.parquet)"), "Ctrl+Shift+S"),
    "reports": (N_("Import &citizen reports…"), N_("Citizen reports (*.csv *.xlsx *.xls *.ods)"), "Ctrl+Shift+R"),
}
METRICS = {"scans_per_1000_per_day": N_("Scan density"), "flagged_share": N_("Share of venues with signs")}
OVERLAYS = {"venues": N_("Venues"), "boundaries": N_("Boundaries"), "labels": N_("Unit names"),
            "heat": N_("Scan heat map (visual aid)"), "reports": N_("Citizen reports without a venue")}


class Menus(QObject):
    """Creates the actions, connects them to the window and fills its menu bar."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        key = QKeySequence.StandardKey
        self.new = self._action(key.New, window.new_workspace)
        self.open = self._action(key.Open, window.open_dialog)
        self.imports = {kind: self._action(spec[2], lambda _=False, k=kind: window.import_dialog(k))
                        for kind, spec in IMPORTS.items()}
        self.undo = self._action(key.Undo, window.undo_import.trigger)
        self.export = self._action("Ctrl+E", window.export_map)
        self.quit = self._action(key.Quit, window.close)
        self.reload = self._action(key.Refresh, window.reload)
        self.find = self._action(key.Find, window.find_venue)
        self.about = self._action(None, window.about)
        self.data = self._action(None, window.open_data_folder)
        self.demo = self._action(None, window.open_demo)
        self.languages = self._choices(LANGUAGES, window.lang.code, window.set_language)
        choices = window.choices  # none ticked while the map is not coloured
        self.metrics = self._choices(METRICS, choices.metric if choices.coloured else "", choices.set_metric)
        self.layers = {}
        for name in OVERLAYS:
            action = self._action(None, lambda on, k=name: window.choices.set_layer(k, on))
            action.setCheckable(True)
            action.setChecked(name != "heat")
            self.layers[name] = action
        #: disabled while a background job runs
        self.busy = [self.new, self.open, self.demo, *self.metrics.values(), *self.languages.values()]
        #: disabled while a background job runs and while no workspace is open
        self.need_workspace = [self.export, self.reload, *self.imports.values()]
        self.file, self.view, self.help = QMenu(window), QMenu(window), QMenu(window)
        self.recent, self.language, self.colouring, self.layer = (QMenu(window) for _ in range(4))
        self.file.addActions([self.new, self.open])
        self.file.addMenu(self.recent)
        self.file.addSeparator()
        self.file.addActions([*self.imports.values(), self.undo])
        self.file.addSeparator()
        self.file.addActions([self.export, self.quit])
        self.recent.aboutToShow.connect(self._fill_recent)
        self.file.aboutToShow.connect(window.undo_import.refresh)  # another program may have written since
        self.colouring.addActions(list(self.metrics.values()))
        self.language.addActions(list(self.languages.values()))
        self.layer.addActions(list(self.layers.values()))
        self.view.addMenu(self.layer)
        self.view.addMenu(self.colouring)
        self.view.addActions([window.tree_dock.toggleViewAction(), window.table_dock.toggleViewAction()])
        self.view.addSeparator()
        self.view.addActions([self.find, self.reload])
        self.view.addMenu(self.language)
        self.help.addActions([self.demo, self.data, self.about])
        for menu in (self.file, self.view, self.help):
            window.menuBar().addMenu(menu)

    def retranslate(self, tr: Translate) -> None:
        titles = {self.file: tr("&File"), self.view: tr("&View"), self.help: tr("&Help"),
                  self.recent: tr("Open &recent"), self.language: tr("Lan&guage"),
                  self.colouring: tr("Map &colouring"), self.layer: tr("Map &layers")}
        for menu, title in titles.items():
            menu.setTitle(title)
        texts = {
            self.new: tr("&New workspace…"), self.open: tr("&Open workspace…"), self.export: tr("&Export map…"),
            self.quit: tr("&Quit"), self.reload: tr("&Reload"), self.find: tr("&Find venue"),
            self.about: tr("&About"), self.data: tr("Open &data folder"), self.demo: tr("Open the de&mo province"),
            self.undo: self.window.undo_import.label(tr),
        }
        texts.update({action: tr(IMPORTS[kind][0]) for kind, action in self.imports.items()})
        texts.update({action: LANGUAGES[code] for code, action in self.languages.items()})
        texts.update({action: tr(METRICS[metric]) for metric, action in self.metrics.items()})
        texts.update({action: tr(OVERLAYS[name]) for name, action in self.layers.items()})
        for action, text in texts.items():
            action.setText(text)

    def _action(self, shortcut: str | QKeySequence.StandardKey | None, slot: Any) -> QAction:
        action = QAction(self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _choices(self, options: dict[str, str], current: str, choose: Any) -> dict[str, QAction]:
        group = QActionGroup(self.window)
        actions = {}
        for code in options:
            action = self._action(None, lambda _=False, c=code: choose(c))
            action.setCheckable(True)
            action.setChecked(code == current)
            group.addAction(action)
            actions[code] = action
        return actions

    def _fill_recent(self) -> None:
        self.recent.clear()
        for path in recent_workspaces(self.window.settings):
            self.recent.addAction(path, lambda p=path: self.window.open_workspace(Path(p)))
