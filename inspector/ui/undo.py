"""File → Undo import: offered while the open workspace's last import can still be undone."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from inspector.core.i18n import Translate, day
from inspector.core.io.timestamps import LOCAL_ZONE
from inspector.ui import loading

if TYPE_CHECKING:
    from inspector.ui.main_window import MainWindow

#: Seconds the menu waits to read a workspace another program is writing before it asks no more.
CHECK_TIMEOUT = 0.2


class UndoImport(QObject):
    """Asks, undoes in the background, reopens the workspace and says so; notes why undo went away.

    What can be undone comes with the workspace (:attr:`loading.LoadedView.undo`) and is checked
    again when the File menu opens and before undoing: another window or the command line may have
    written to the workspace since, and then the import can no longer be undone.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._after_import = False  # the workspace is being reopened after an import that changed it
        self._message = ""  # what to say once the workspace is shown again after an undo

    def kept(self) -> Any:
        """The open workspace's import that can be undone (:class:`inspector.core.undo.Kept`), or ``None``."""
        view = self.window.view
        return view.undo if view is not None and view.undo is not None and view.undo.valid else None

    def label(self, tr: Translate) -> str:
        kept = self.kept()
        if kept is None:
            return tr("&Undo import")
        if len(kept.files) == 1:  # a file name is data: an "&" in it is no shortcut key
            return tr("&Undo import of {file}").format(file=kept.files[0].replace("&", "&&"))
        return tr("&Undo import of {count} files").format(count=len(kept.files))

    def update(self, busy: bool | None = None) -> None:
        """Set the menu item's text and whether it can be chosen (not while a job runs)."""
        busy = self.window.job is not None if busy is None else busy
        action = self.window.menus.undo
        action.setText(self.label(self.window.lang.tr))
        action.setEnabled(not busy and self.kept() is not None)

    def refresh(self) -> None:
        """Check again whether the import can still be undone (not while a job may be writing)."""
        view = self.window.view
        if view is None or self.kept() is None or self.window.job is not None:
            return
        view.undo = loading.undo_offered(view.path, timeout=CHECK_TIMEOUT, default=view.undo)
        self._note_gone()
        self.update()

    def imported(self) -> None:
        """The window reopens the workspace after an import that changed it: undo is expected."""
        self._after_import = True

    def shown(self) -> None:
        """The workspace is shown (again): say what became of undo, if anything."""
        expected, self._after_import = self._after_import, False
        bar, tr = self.window.statusBar(), self.window.lang.tr
        if self._message:
            bar.showMessage(self._message, 10_000)
            self._message = ""
        elif expected and self.window.view is not None and self.window.view.undo is None:
            bar.showMessage(tr("This import cannot be undone: no copy of the workspace from before it could be "
                               "kept (is the disk full?)."), 10_000)
        self._note_gone()
        self.update()

    def trigger(self) -> None:
        """Ask, then put the workspace back as it was before its last import."""
        window, tr = self.window, self.window.lang.tr
        self.refresh()
        kept = self.kept()
        if kept is None or window.view is None or window.job is not None:
            return
        # in Vietnam's time, as the application says every moment (an import's own "already imported on")
        when = dt.datetime.fromisoformat(kept.imported_at).astimezone(LOCAL_ZONE)
        text = tr("Undo the import of {files} ({date})?\n\nThe workspace goes back to how it was just before "
                  "that import: what it added or changed is removed, and its files can be imported again.").format(
            files=", ".join(kept.files), date=f"{day(when, window.lang.code)} {when:%H:%M}")
        if not window.dialogs.confirm(window, tr("Undo import"), text):
            return
        path, name = window.view.path, _name(kept, tr)
        window.run_job(tr("Undoing the import of {name}…").format(name=name), loading.undo_import, path,
                       error_title=tr("Undo import"), on_done=lambda _kept: self._done(path, name))

    def _done(self, path: Any, name: str) -> None:
        tr = self.window.lang.tr
        self._message = tr("Import of {name} undone: the workspace is as it was before it.").format(name=name)
        self.window.statusBar().showMessage(self._message)  # until the workspace is shown again
        self.window.open_workspace(path)

    def _note_gone(self) -> None:
        """Say once that the import can no longer be undone, and why (the copy has been dropped)."""
        view = self.window.view
        if view is None or view.undo is None or view.undo.valid:
            return
        tr = self.window.lang.tr
        name = _name(view.undo, tr)
        self.window.statusBar().showMessage(
            tr("The import of {name} can no longer be undone: the workspace has been written to since.").format(
                name=name) if view.undo.problem == "undo_stale" else
            tr("The import of {name} can no longer be undone: the copy of the workspace kept before it is "
               "gone.").format(name=name), 10_000)
        view.undo = None


def _name(kept: Any, tr: Translate) -> str:
    return kept.files[0] if len(kept.files) == 1 else tr("{count} files").format(count=len(kept.files))
