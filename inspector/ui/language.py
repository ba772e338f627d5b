"""The interface language, switchable at run time; widgets call ``lang.tr("English text")``."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTranslator, Signal

from inspector.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, qt_translator, translator

#: Qt classes whose own texts our catalogue translates (``msgctxt`` is the class): Qt ships no Vietnamese one.
QT_CONTEXTS = frozenset({"QMessageBox", "QPlatformTheme", "QLineEdit", "QFileDialog", "QFileSystemModel",
                         "QAbstractFileIconProvider"})


class Language(QObject):
    """Current language; emits ``changed`` after a switch so widgets can retranslate."""

    changed = Signal()

    def __init__(self, code: str = DEFAULT_LANGUAGE) -> None:
        super().__init__()
        self.code = code if code in LANGUAGES else DEFAULT_LANGUAGE
        self._translate = translator(self.code)

    def tr(self, text: str) -> str:
        return self._translate(text)

    def set(self, code: str) -> None:
        if code == self.code or code not in LANGUAGES:
            return
        self.code = code
        self._translate = translator(code)
        self.changed.emit()


class QtStrings(QTranslator):
    """Qt's own texts (message box and file dialog buttons, a text field's menu, Qt's file dialog) in ``lang``.

    Install it with ``QCoreApplication.installTranslator``; it follows language switches.
    """

    def __init__(self, lang: Language, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        lang.changed.connect(self._reinstall)

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        if context not in QT_CONTEXTS:
            return None
        text = qt_translator(self.lang.code)(context, source)
        return text if text != source else None  # None: Qt keeps its English text

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override; an empty translator would not be asked
        return False

    def _reinstall(self) -> None:
        """Install again, so Qt tells its open widgets the language changed."""
        app = QCoreApplication.instance()
        if app is not None and app.removeTranslator(self):
            app.installTranslator(self)
