"""Start the application: QApplication, language, settings, main window."""

from __future__ import annotations

import contextlib
import os
import sys

from inspector.core.i18n import DEFAULT_LANGUAGE


def run_app(lang: str | None = None) -> int:
    """Open the main window on the last workspace or the demo province; return the exit code."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" and hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    from PySide6.QtCore import Qt
    from PySide6.QtWebEngineCore import QWebEngineUrlScheme  # noqa: F401 - load WebEngine before the app
    from PySide6.QtWidgets import QApplication

    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow
    from inspector.ui.settings import make_settings

    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("QR Compliance Inspector")
    app.setOrganizationName("qr-compliance-inspector")
    settings = make_settings()
    language = Language(lang or str(settings.value("language", DEFAULT_LANGUAGE)))
    sys.excepthook = _log_then(sys.excepthook)
    window = MainWindow(settings, language)
    window.show()
    window.start()
    return int(app.exec())


def _log_then(previous):  # noqa: ANN001, ANN202 - sys.excepthook's own signature
    """An exception hook that first appends a bug raised in the GUI thread to the error log.

    A bug in a slot or an event handler only reaches ``sys.excepthook``; a desktop launcher shows
    no terminal, so its traceback would otherwise be lost.
    """
    from inspector.core.paths import log_error

    def hook(kind, exc, tb):  # noqa: ANN001, ANN202
        if isinstance(exc, Exception):
            with contextlib.suppress(OSError):  # the usual hook still says it
                log_error(exc)
        previous(kind, exc, tb)

    return hook
