"""Every modal question the window asks, in one place that tests replace with fixed answers."""

from __future__ import annotations

import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from inspector.core.errors import CodedError
from inspector.core.importers.matching import Preview
from inspector.core.messages import error_text
from inspector.core.paths import log_error
from inspector.ui.language import Language


class Dialogs:
    """Static methods only; tests monkeypatch them (pytest-qt's dialog pattern)."""

    @staticmethod
    def open_file(parent: QWidget, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path or None

    @staticmethod
    def open_files(parent: QWidget, title: str, filters: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
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
