"""The main window: administrative tree, map and venue table kept in step; work runs off-thread."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QProgressBar,
    QToolButton,
    QTreeView,
    QWidget,
)

import inspector
from inspector.core import paths
from inspector.core.errors import Cancelled
from inspector.ui import loading
from inspector.ui.dialogs import Dialogs, describe_error, file_stem, save_path
from inspector.ui.imports import Imports
from inspector.ui.language import Language, QtStrings
from inspector.ui.map_choices import MapChoices
from inspector.ui.map_view import MapView
from inspector.ui.menus import Menus
from inspector.ui.settings import remember_workspace
from inspector.ui.tasks import Task, run_in_background
from inspector.ui.undo import UndoImport
from inspector.ui.unit_tree import UNIT_CODE_ROLE, UnitTreeModel
from inspector.ui.venue_panel import VenuePanel
from inspector.ui.venue_table import RISK_COLUMN

#: A window at least this tall gives the venue table two fifths of its height (a smaller one keeps the map's)
TALL = 900


class MainWindow(QMainWindow):
    """Everything an inspector sees. Long work goes through :meth:`run_job`."""

    def __init__(self, settings: QSettings, lang: Language, dialogs: type[Dialogs] = Dialogs) -> None:
        super().__init__()
        self.settings, self.lang, self.dialogs = settings, lang, dialogs
        QCoreApplication.installTranslator(QtStrings(lang, self))  # Qt's own buttons and menus
        self.view: loading.LoadedView | None = None
        self.job: Task | None = None
        self.map = MapView(self)
        self.setCentralWidget(self.map)
        self.tree_model = UnitTreeModel(lang)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setSortingEnabled(True)
        self.tree.setUniformRowHeights(True)
        self.tree.expanded.connect(lambda _index: self.tree.resizeColumnToContents(0))
        self.tree_dock = self._dock("tree", self.tree, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.resizeDocks([self.tree_dock], [420], Qt.Orientation.Horizontal)
        self.venues = VenuePanel(lang, settings)
        self.table_dock = self._dock("table", self.venues, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._build_status_bar()
        self.imports = Imports(self)
        self.undo_import = UndoImport(self)
        self.choices = MapChoices(self)
        self.menus = Menus(self)
        self._message: Callable[[], str] | None = None  # the text the map area shows instead of a map
        self._enable_actions()
        self.tree.selectionModel().currentChanged.connect(self._unit_selected)
        # the table no longer shows one unit's venues: the tree no longer says so (and the unit can be chosen again)
        self.venues.wards_cleared.connect(self.tree.selectionModel().clear)
        self.venues.wards_cleared.connect(lambda: self.map.mark_unit(""))  # no unit outlined either
        self.venues.venue_selected.connect(lambda venue_id: self._show_venue(venue_id, zoom=True))
        self.venues.notice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        # the map draws the venues the table's filters let through, on every page it loads too
        self.venues.map_filter_changed.connect(self._filter_map)
        self.map.ready.connect(self._filter_map)
        self.map.ready.connect(self._tab_order)  # each page comes with the widget that takes its keys
        self.map.venue_clicked.connect(self._map_clicked)
        self.map.layers_changed.connect(self.choices.changed)
        lang.changed.connect(self.retranslate)
        lang.changed.connect(self.statusBar().clearMessage)  # a notice in the language left behind
        lang.changed.connect(self._rebuild_page)
        self.retranslate()
        screen = QGuiApplication.primaryScreen().availableGeometry()  # a laptop's 1366 x 768 too
        self.resize(min(1600, screen.width() * 19 // 20), min(1000, screen.height() * 19 // 20))
        geometry = settings.value("window/geometry")
        self._fit_tree = geometry is None  # a layout the user saved is kept as it was
        if geometry is not None:
            self.restoreGeometry(geometry)
            self.restoreState(settings.value("window/state"))

    # -- building ----------------------------------------------------------------------------------
    def _dock(self, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_workspace, self.status_period, self.status_counts = QLabel(), QLabel(), QLabel()
        for label in (self.status_workspace, self.status_period, self.status_counts):
            label.setTextFormat(Qt.TextFormat.PlainText)  # a workspace's file name is data
            label.setContentsMargins(4, 0, 12, 0)  # the three read as three, not one run of text
            bar.addWidget(label)
        self.job_label, self.job_bar, self.job_cancel = QLabel(), QProgressBar(), QToolButton()
        self.job_label.setTextFormat(Qt.TextFormat.PlainText)
        self.job_bar.setRange(0, 100)
        self.job_bar.setMaximumWidth(220)
        self.job_cancel.clicked.connect(self.cancel_job)
        for widget in (self.job_label, self.job_bar, self.job_cancel):
            bar.addPermanentWidget(widget)
            widget.hide()

    def retranslate(self) -> None:
        tr = self.lang.tr
        self.setWindowTitle(tr("QR Compliance Inspector") + (f" — {self.view.path.name}" if self.view else ""))
        self.menus.retranslate(tr)
        for dock, title, entry in ((self.tree_dock, tr("Administrative units"), tr("&Administrative units")),
                                   (self.table_dock, tr("Venue table"), tr("&Venue table"))):
            dock.setWindowTitle(title)
            dock.toggleViewAction().setText(entry)  # the View menu's entry, with its Alt letter
        self.job_cancel.setText(tr("Cancel"))
        self._update_status()
        if self._message is not None:
            self._show_message(self._message)

    # -- background jobs -------------------------------------------------------------------------
    def run_job(self, label: str, fn: Any, *args: Any, on_done: Any, error_title: str | None = None,
                on_error: Callable[[BaseException], bool] | None = None, **kwargs: Any) -> Task | None:
        """Start ``fn`` in the background with progress in the status bar; one job at a time.

        A failure is shown under ``error_title`` (by default "Could not finish"), unless
        ``on_error(exception)`` (when given) takes care of it and returns True.
        """
        if self.job is not None:
            self.statusBar().showMessage(self.lang.tr("Please wait for the current task to finish."), 4000)
            return None
        self.job_label.setText(label)
        self.job_bar.setValue(0)
        for widget in (self.job_label, self.job_bar, self.job_cancel):
            widget.show()
        self._enable_actions(busy=True)

        def done(result: Any) -> None:
            self._job_finished()
            on_done(result)

        self.job = run_in_background(fn, *args, on_done=done,
                                     on_error=lambda exc: self._job_failed(exc, error_title, on_error),
                                     on_progress=self._job_progress, **kwargs)
        return self.job

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job_label.setText(self.lang.tr("Cancelling…"))

    def _job_progress(self, done: int, total: int) -> None:
        self.job_bar.setValue(int(100 * done / total) if total else 0)

    def _job_finished(self) -> None:
        self.job = None
        for widget in (self.job_label, self.job_bar, self.job_cancel):
            widget.hide()
        self._enable_actions()

    def _enable_actions(self, busy: bool = False) -> None:
        for action in self.menus.busy:
            action.setEnabled(not busy)
        for action in self.menus.need_workspace:
            action.setEnabled(not busy and self.view is not None)
        self.undo_import.update(busy)

    def _job_failed(self, exc: BaseException, title: str | None = None,
                    handle: Callable[[BaseException], bool] | None = None) -> None:
        self._job_finished()
        if isinstance(exc, Cancelled):
            self.statusBar().showMessage(self.lang.tr("Cancelled; nothing was changed."), 6000)
            if self.view is None:  # e.g. the demo province's first preparation: say how to start instead
                self._show_guidance()
            return
        if handle is not None and handle(exc):
            return
        text, details = describe_error(exc, self.lang)
        if self.view is None:  # e.g. the last workspace would not open: say what to do instead
            self._show_guidance()
        self.dialogs.error(self, title or self.lang.tr("Could not finish"), text, details)

    def _show_message(self, text: Callable[[], str]) -> None:
        """Fill the map area with ``text()`` (in the language of the moment, again when it changes)."""
        from maps.web import message_page

        self._message = text
        self.map.show_page(message_page(text(), tr=self.lang.tr))

    def _show_guidance(self) -> None:
        """Fill the map area with how to start when no workspace is open."""
        self._show_message(self._guidance)

    def _guidance(self) -> str:
        tr = self.lang.tr
        return tr("No workspace is open. Create one ({new}) or open one ({open}) from the {file} menu, or open the "
                  "demo province ({demo}) from the {help} menu.").format(
            new=tr("&New workspace…").replace("&", ""), open=tr("&Open workspace…").replace("&", ""),
            file=tr("&File").replace("&", ""), demo=tr("Open the de&mo province").replace("&", ""),
            help=tr("&Help").replace("&", ""))

    def _preparing_demo(self) -> str:
        return self.lang.tr("Preparing the demo province: a synthetic province with its venues, scans and citizen "
                            "reports, and violations planted to be found. The first time takes up to a minute; the "
                            "status bar below shows how far it is.")

    # -- workspaces ------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the last workspace, or the demo province (generated on first launch)."""
        last = self.settings.value("last_workspace")
        if last and Path(str(last)).exists():
            self.open_workspace(Path(str(last)))
        else:
            self.open_demo()

    def open_demo(self) -> None:
        """Open the demo province, generating it first when it is not there (first launch, or deleted)."""
        if self.job is None and self.view is None:  # no map to keep showing meanwhile: say what comes
            self._show_message(self._preparing_demo)
        self.run_job(self.lang.tr("Preparing the demo province…"), loading.ensure_demo, on_done=self.open_workspace)

    def open_workspace(self, path: Path) -> None:
        self.run_job(self.lang.tr("Opening {name}…").format(name=Path(path).name), loading.load_view, Path(path),
                     lang=self.lang.code, metric=self.choices.metric, on_done=self.show_view)

    def reload(self) -> None:
        if self.view is not None:
            self.open_workspace(self.view.path)

    def show_view(self, view: loading.LoadedView) -> None:
        self.view = view
        self._message = None
        self._enable_actions()
        remember_workspace(self.settings, str(view.path))
        self.choices.show_page(view.page)
        stats = view.data.units.drop(columns="geometry")
        self.tree_model.set_units(stats)
        self.tree.expandToDepth(0)
        self.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        for column in range(self.tree_model.columnCount()):
            self.tree.resizeColumnToContents(column)
        if self._fit_tree and self.tree_model.rowCount():  # every column whole, up to 46 % of the window
            self._fit_tree = False
            header = self.tree.header()
            needed = sum(max(self.tree.sizeHintForColumn(c), header.sectionSizeHint(c))
                         for c in range(header.count())) + self.tree.verticalScrollBar().sizeHint().width() + 8
            self.resizeDocks([self.tree_dock], [min(needed, self.width() * 23 // 50)], Qt.Orientation.Horizontal)
            if self.height() >= TALL:  # the table, where inspectors pick venues: two fifths, 15 rows at 1000 px
                self.resizeDocks([self.table_dock], [self.height() * 2 // 5], Qt.Orientation.Vertical)
        self.venues.wards = None
        self.venues.model.set_frame(view.table, dict(zip(view.data.units["code"], view.data.units["name"],
                                                         strict=True)))
        self.venues.clear_filters()
        self.venues.view.sortByColumn(RISK_COLUMN, Qt.SortOrder.DescendingOrder)  # riskiest first
        self.retranslate()
        self.undo_import.shown()

    def _rebuild_page(self) -> None:
        """Draw the map again (another language), keeping its view, colouring, layers and the selection."""
        if self.view is None:
            return
        view = self.view
        state: dict[str, Any] = {}
        self.map.view_state(state.update)  # answered long before the new page is built

        def show(page: str) -> None:
            view.page = page
            self.choices.show_page(page)
            unit = self.tree.currentIndex().data(UNIT_CODE_ROLE)
            if state:
                self.map.set_view_state(state)
                if unit is not None:
                    self.map.mark_unit(unit)
            elif unit is not None:
                self.map.zoom_to_unit(unit)
            venue = self.venues.selected_venue()
            if venue is not None:
                self._show_venue(venue)

        self.run_job(self.lang.tr("Drawing the map…"), loading.build_page, view.data, lang=self.lang.code,
                     metric=self.choices.metric, on_done=show)

    def new_workspace(self) -> None:
        tr = self.lang.tr
        target = save_path(self, self.dialogs, self.lang, tr("New workspace"), tr("Workspace (*.gpkg)"),
                           "workspace.gpkg")
        if target:
            self.run_job(tr("Creating {name}…").format(name=target.name), loading.new_workspace, target,
                         on_done=self.open_workspace)

    def open_dialog(self) -> None:
        last = str(self.settings.value("last_workspace", "") or "")
        path = self.dialogs.open_file(self, self.lang.tr("Open workspace"), self.lang.tr("Workspace (*.gpkg)"),
                                      folder=str(Path(last).parent) if last else "")
        if path:
            self.open_workspace(Path(path))

    def import_dialog(self, kind: str) -> None:
        self.imports.ask(kind)

    def import_files(self, kind: str, *files: Path, **options: Any) -> None:
        self.imports.start(kind, *files, **options)

    def export_map(self) -> None:
        """Export the map of the unit chosen in the tree (of the whole workspace when none is) as HTML and PNG."""
        tr = self.lang.tr
        if self.view is None:
            return
        code = self.tree.currentIndex().data(UNIT_CODE_ROLE)
        data = dataclasses.replace(self.view.data, focus=code)  # the printed map draws the units around it too
        name = data.units.loc[data.units["code"] == code, "name"]
        html = save_path(self, self.dialogs, self.lang, tr("Export map"), tr("Web page and image (*.html)"),
                         f"{file_stem(name.iloc[0]) if len(name) else 'map'}.html")
        if html:
            self.run_job(tr("Exporting the map…"), loading.export_map, data, html, html.with_suffix(".png"),
                         lang=self.lang.code, metric=self.choices.metric,
                         on_done=lambda files: self.dialogs.info(self, tr("Export map"), "\n".join(map(str, files))))

    # -- settings and selection ------------------------------------------------------------------
    def set_language(self, code: str) -> None:
        self.settings.setValue("language", code)
        self.menus.languages[code].setChecked(True)
        self.lang.set(code)

    def find_venue(self) -> None:
        """Show the venue table (its dock may have been closed) and put the cursor in its search box."""
        self.table_dock.show()
        self.table_dock.raise_()
        self.venues.focus_search()

    def _unit_selected(self, current: Any, _previous: Any) -> None:
        code = current.data(UNIT_CODE_ROLE) if current.isValid() else None
        if code is None:
            return
        self.map.zoom_to_unit(code)
        self.venues.filter_wards(self.tree_model.descendants.get(code), str(current.siblingAtColumn(0).data()))

    def _show_venue(self, venue_id: str, zoom: bool = False) -> None:
        """Select ``venue_id`` on the map, which turns the venue layer on: so does its menu tick.

        With ``zoom`` (the user chose it in the table) the map zooms in to it when farther out.
        """
        self.menus.layers["venues"].setChecked(True)
        self.map.select_venue(venue_id, zoom)

    def _tab_order(self) -> None:
        """Tab: the tree, the map, the table's filters, the table."""
        QWidget.setTabOrder(self.tree, self.map)
        QWidget.setTabOrder(self.map, self.venues.search)

    def _filter_map(self) -> None:
        self.map.filter_venues(self.venues.map_filter())

    def _map_clicked(self, venue_id: str) -> None:
        self.venues.select_venue(venue_id)

    def _update_status(self) -> None:
        texts = loading.status_texts(self.view, self.lang.tr, self.lang.code) if self.view else ("", "", "")
        for label, text in zip((self.status_workspace, self.status_period, self.status_counts), texts, strict=True):
            label.setText(text)

    def open_data_folder(self) -> None:
        """Open the folder of the demo, settings and error log; say where it is if nothing can open it."""
        folder = paths.data_dir()
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.dialogs.info(self, self.lang.tr("Data folder"), str(folder))

    def about(self) -> None:
        tr = self.lang.tr
        self.dialogs.info(self, tr("About"), tr("QR Compliance Inspector {version}").format(
            version=inspector.__version__) + "\n\n" + tr(
            "Finds venues showing signs of violation of the QR check-in mandate (Official Letter "
            "7253/UBND-CN) and maps them with their scan density by district and ward."))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self.job is not None:
            self.job.cancel()
            self.job.finished.wait(10)
            self.job.detach()  # its end, already queued, must not reach a window about to be deleted
            self.job = None
        self.venues.save_state()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        self.map.cleanup()
        super().closeEvent(event)
