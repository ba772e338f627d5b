"""The interface language, switchable at run time; widgets call ``lang.tr("English text")``."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from inspector.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator


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
