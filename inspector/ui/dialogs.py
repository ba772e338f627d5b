"""Every modal question the window asks, in one place that tests replace with fixed answers."""

from __future__ import annotations

import traceback

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from inspector.core.errors import CodedError
from inspector.core.messages import os_error, render
from inspector.ui.language import Language


class Dialogs:
    """Static methods only; tests monkeypatch them (pytest-qt's dialog pattern)."""

    @staticmethod
    def open_file(parent: QWidget, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path or None

    @staticmethod
    def save_file(parent: QWidget, title: str, filters: str, suggested: str = "") -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path or None

    @staticmethod
    def info(parent: QWidget, title: str, text: str, details: str = "") -> None:
        _message(QMessageBox.Icon.Information, parent, title, text, details)

    @staticmethod
    def error(parent: QWidget, title: str, text: str, details: str = "") -> None:
        _message(QMessageBox.Icon.Warning, parent, title, text, details)


def _message(icon: QMessageBox.Icon, parent: QWidget, title: str, text: str, details: str) -> None:
    # its buttons ("OK", "Show Details...") are translated by the window's QtStrings
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def describe_error(exc: BaseException, lang: Language) -> tuple[str, str]:
    """A readable message for ``exc`` and, for unexpected errors, the technical details."""
    if isinstance(exc, CodedError):
        return render(exc.code, exc.params, lang.tr), ""
    if isinstance(exc, OSError):
        return os_error(exc, lang.tr), ""
    details = "".join(traceback.format_exception(exc))
    return lang.tr("Something went wrong; nothing was changed. The details below help us fix it."), details
