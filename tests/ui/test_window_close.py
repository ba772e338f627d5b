"""Closing the window while a background job runs: the job is cancelled and nothing reaches the closed window."""

import time

from PySide6.QtCore import QCoreApplication, QEvent

from inspector.ui.language import Language
from inspector.ui.main_window import MainWindow


def test_a_job_ending_after_its_window_is_gone_touches_nothing(qtbot, settings, demo_workspace):
    settings.setValue("last_workspace", str(demo_workspace))
    window = MainWindow(settings, Language("en"))  # not handed to qtbot: this test deletes it
    window.show()
    with qtbot.waitSignal(window.map.ready, timeout=60_000):
        window.start()
    qtbot.waitUntil(lambda: window.job is None and window.view is not None, timeout=60_000)
    started = []

    def slow(progress):
        started.append(True)
        while True:  # until the close cancels it (progress then raises Cancelled)
            progress(0, 1)
            time.sleep(0.01)

    window.run_job("Slow work", slow, on_done=lambda result: None)
    qtbot.waitUntil(lambda: bool(started), timeout=5_000)
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(300)  # the job's end, queued to the GUI thread, is delivered now: to no window
