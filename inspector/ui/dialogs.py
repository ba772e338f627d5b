"""Every modal question the window asks, in one place that tests replace with fixed answers."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import CodedError
from inspector.core.importers.matching import Preview
from inspector.core.messages import error_text
from inspector.core.paths import log_error
from inspector.ui.language import Language


class Dialogs:
    """Static methods only; tests monkeypatch them (pytest-qt's dialog pattern)."""

    @staticmethod
    def open_file(parent: QWidget, title: str, filters: str, folder: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
        return path or None

    @staticmethod
    def open_files(parent: QWidget, title: str, filters: str, folder: str = "") -> list[str]:
        """Files to open, the dialog opening in ``folder`` (the last one used)."""
        paths, _ = QFileDialog.getOpenFileNames(parent, title, folder, filters)
        return list(paths)

    @staticmethod
    def save_file(parent: QWidget, title: str, filters: str, suggested: str = "", suffix: str = "") -> str | None:
        """A path to write.

        ``suffix`` (no dot) is added to a name typed without one before the dialog asks about
        replacing an existing file.
        """
        dialog = QFileDialog(parent, title, suggested, filters)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        if not dialog.exec():
            return None
        return dialog.selectedFiles()[0] or None

    @staticmethod
    def confirm(parent: QWidget, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    @staticmethod
    def choose(parent: QWidget, title: str, text: str, items: list[str]) -> str | None:
        """One of ``items`` (the first offered first), or ``None`` when the user cancels."""
        item, ok = QInputDialog.getItem(parent, title, text, items, 0, False)
        return item if ok else None

    @staticmethod
    def choose_many(parent: QWidget, lang: Language, title: str, text: str, items: list[str],
                    checked: list[str]) -> list[str] | None:
        """Some of ``items`` (those in ``checked`` ticked at first), or ``None`` when the user cancels."""
        dialog = ChecklistDialog(parent, lang, title, text, items, checked)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None

    @staticmethod
    def match_columns(parent: QWidget, lang: Language, preview: Preview) -> dict[str, str] | None:
        """The column of the file chosen for each field (``{field: column}``), or ``None`` when the user cancels."""
        from inspector.ui.column_dialog import ColumnDialog

        dialog = ColumnDialog(preview, lang, parent)
        return dialog.columns() if dialog.exec() == QDialog.DialogCode.Accepted else None

    @staticmethod
    def info(parent: QWidget, title: str, text: str, details: str = "") -> None:
        _message(QMessageBox.Icon.Information, parent, title, text, details)

    @staticmethod
    def error(parent: QWidget, title: str, text: str, details: str = "") -> None:
        _message(QMessageBox.Icon.Warning, parent, title, text, details)


class ChecklistDialog(QDialog):
    """A question answered by ticking some of a list's items, with buttons to tick all or none."""

    def __init__(self, parent: QWidget | None, lang: Language, title: str, text: str, items: list[str],
                 checked: list[str]) -> None:
        super().__init__(parent)
        tr = lang.tr
        self.setWindowTitle(title)
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget()
        for text_ in items:
            item = QListWidgetItem(text_)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if text_ in checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        for name, state in ((tr("Tick all"), Qt.CheckState.Checked), (tr("Tick none"), Qt.CheckState.Unchecked)):
            button = buttons.addButton(name, QDialogButtonBox.ButtonRole.ResetRole)
            button.clicked.connect(lambda _=False, state=state: self.tick_all(state))
        self.list.itemChanged.connect(self._enable)
        layout = QVBoxLayout(self)
        for widget in (label, self.list, buttons):
            layout.addWidget(widget)
        rows = min(len(items), 12)  # a district's sheets in view, without a scroll bar when they fit
        self.list.setMinimumHeight(self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth() + 4)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self._enable()

    def tick_all(self, state: Qt.CheckState) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)

    def chosen(self) -> list[str]:
        """The ticked items, in the list's order."""
        items = (self.list.item(row) for row in range(self.list.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def _enable(self) -> None:
        self.ok.setEnabled(bool(self.chosen()))


def _message(icon: QMessageBox.Icon, parent: QWidget, title: str, text: str, details: str) -> None:
    # its buttons ("OK", "Show Details...") are translated by the window's QtStrings
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and headers come from data: never rich text
    if details:
        box.setDetailedText(details)
    box.exec()


def describe_error(exc: BaseException, lang: Language) -> tuple[str, str]:
    """A readable message for ``exc`` and, for unexpected errors (bugs), the technical details.

    A bug's traceback is also appended to the error log, whose path the message gives.
    """
    if isinstance(exc, CodedError | OSError):
        return error_text(exc, lang.tr), ""
    details = "".join(traceback.format_exception(exc))
    try:
        log = log_error(exc)
    except OSError:  # a data folder that cannot be written must not hide the error itself
        return lang.tr("Something went wrong; nothing was changed. The details below help us fix it."), details
    return lang.tr("Something went wrong; nothing was changed. The details below, also written to {log}, "
                   "help us fix it.").format(log=log), details


def save_path(parent: QWidget, dialogs: type[Dialogs], lang: Language, title: str, filters: str,
              suggested: str) -> Path | None:
    """Where to write a file ending like ``suggested`` (asked through ``dialogs``).

    A name typed with another ending gets this one added, and the user is asked before replacing
    such a file, which the dialog did not see.
    """
    suffix = Path(suggested).suffix
    path = dialogs.save_file(parent, title, filters, suggested, suffix.lstrip("."))
    if not path:
        return None
    target = Path(path) if Path(path).suffix.lower() == suffix else Path(path + suffix)
    if target != Path(path) and target.exists() and not dialogs.confirm(
            parent, title, lang.tr("{name} already exists. Replace it?").format(name=target.name)):
        return None
    return target


def file_stem(name: str) -> str:
    """``name`` (a unit's, say) as a file name that every system takes: no slashes, colons, quotes..."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip(" .") or "map"
