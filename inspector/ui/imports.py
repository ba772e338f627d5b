"""The window's imports: the files and layer to import, the report of each, and columns matched by hand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from inspector.core.importers.matching import Preview, can_match
from inspector.core.io.sniff import EXTENSIONS, WORKBOOKS
from inspector.core.io.workbook import forget_kept
from inspector.ui import loading
from inspector.ui.dialogs import describe_error
from inspector.ui.menus import IMPORTS

#: The setting of the folder files were last imported from
FOLDER = "folders/import"
#: The kinds of file a workbook of several sheets may hold (one table across them)
SHEETED = ("venues", "reports")

if TYPE_CHECKING:
    from inspector.ui.main_window import MainWindow


class Imports(QObject):
    """Runs the window's imports in the background and says how each went.

    When a file of venues, scans or reports is refused because its columns were not recognised,
    the window offers to match them by hand (:meth:`Dialogs.match_columns
    <inspector.ui.dialogs.Dialogs.match_columns>`) and imports it again with that choice, which
    the workspace keeps for files with the same headers.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def ask(self, kind: str) -> None:
        """Ask for files of ``kind`` and import them."""
        window, tr = self.window, self.window.lang.tr
        if window.view is None:
            return
        paths = window.dialogs.open_files(window, tr(IMPORTS[kind][0]).replace("&", "").rstrip("…"),
                                          tr(IMPORTS[kind][1]), folder=str(window.settings.value(FOLDER, "") or ""))
        if paths:
            window.settings.setValue(FOLDER, str(Path(paths[0]).parent))  # the next import starts there
            self.start(kind, *map(Path, paths))

    def start(self, kind: str, *files: Path, **options: Any) -> None:
        """Import ``files`` of ``kind`` into the open workspace (see :func:`loading.import_into`).

        Asks first which layer of a GeoPackage of boundaries, and which sheets of a workbook of
        venues or reports, when there is more than one to read.
        """
        window, tr = self.window, self.window.lang.tr
        one = files[0] if len(files) == 1 else None
        if one is not None and kind == "boundaries" and "layer" not in options:
            layers = loading.boundary_layers(one, tr, window.lang.code)
            if len(layers) > 1:  # a GeoPackage of several layers, a zip of several files: which (the likeliest first)
                question = tr("{file} holds several layers of areas. Which one to import?")
                if one.suffix.lower() == ".zip":
                    question = tr("{file} holds several files of areas. Which one to import?")
                layer = window.dialogs.choose(window, tr("Import"), question.format(file=one.name), list(layers))
                if layer is None:
                    return
                options["layer"] = layers[layer]
        workbook = one is not None and EXTENSIONS.get(one.suffix.lower()) in WORKBOOKS
        if one is not None and kind in SHEETED and "sheet" not in options and workbook:
            window.run_job(tr("Reading {name}…").format(name=one.name), loading.workbook_sheets, one, kind, tr,
                           window.lang.code, on_done=lambda found: self._sheets(*found, kind, one, options),
                           error_title=tr("Import"))
            return
        self._run(kind, files, options)

    def _sheets(self, sheets: dict[str, str], first: list[str], kind: str, file: Path, options: dict[str, Any]) -> None:
        """Import the sheets of a workbook the user ticks (``first`` ticked at first: what an import reads alone)."""
        window, tr = self.window, self.window.lang.tr
        if sheets:
            chosen = window.dialogs.choose_many(window, window.lang, tr("Import"), tr(
                "{file} has {count} sheets with the columns of this table. Which ones to import? Sheets imported "
                "together are read as one table, as a registry kept a sheet per district is.").format(
                file=file.name, count=len(sheets)), list(sheets), first)
            if chosen is None:
                forget_kept()  # the workbook loaded to ask
                window.statusBar().showMessage(tr("Cancelled; nothing was changed."), 6000)
                return
            names = [sheets[label] for label in chosen]
            if chosen != first:  # the sheet read when none is named, alone, is the same import as ever
                options["sheet"] = names[0] if len(names) == 1 else names
        self._run(kind, (file,), options)

    def _run(self, kind: str, files: tuple[Path, ...], options: dict[str, Any]) -> None:
        window, tr = self.window, self.window.lang.tr
        assert window.view is not None
        workspace = window.view.path
        label = files[0].name if len(files) == 1 else tr("{count} files").format(count=len(files))
        window.run_job(tr("Importing {name}…").format(name=label), loading.import_into, workspace, kind, list(files),
                       lang=window.lang.code, on_done=lambda done: self._done(done, kind, workspace),
                       error_title=tr("Import"), on_error=lambda exc: self._refused(exc, kind, files, options),
                       **options)

    def _done(self, done: list[Any], kind: str, workspace: Path) -> None:
        window, tr = self.window, self.window.lang.tr
        text, attention = loading.import_report(done, kind, tr, window.lang.code)
        (window.dialogs.error if attention else window.dialogs.info)(window, tr("Import"), text)
        if any(each.result is not None and not each.result.already_imported_at for each in done):
            window.undo_import.imported()
            window.open_workspace(workspace)

    # -- columns matched by hand ---------------------------------------------------------------------
    def _refused(self, exc: BaseException, kind: str, files: tuple[Path, ...], options: dict[str, Any]) -> bool:
        """Offer to match the columns of a file refused for them; False for any other failure."""
        if len(files) != 1 or not can_match(exc, kind):
            return False
        window = self.window
        window.run_job(window.lang.tr("Reading {name}…").format(name=files[0].name), loading.column_preview,
                       files[0], kind, sheet=options.get("sheet"),
                       on_done=lambda preview: self._match(preview, options),
                       on_error=lambda _: self._say(exc))  # a file that cannot be previewed: say the refusal
        return True

    def _match(self, preview: Preview, options: dict[str, Any]) -> None:
        window = self.window
        columns = window.dialogs.match_columns(window, window.lang, preview)
        if columns is None:
            window.statusBar().showMessage(window.lang.tr("Cancelled; nothing was changed."), 6000)
            return
        self._run(preview.kind, (preview.file,), {**options, "columns": columns, "save_columns": True})

    def _say(self, exc: BaseException) -> bool:
        text, details = describe_error(exc, self.window.lang)
        self.window.dialogs.error(self.window, self.window.lang.tr("Import"), text, details)
        return True
