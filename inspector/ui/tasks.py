"""Run core functions off the GUI thread with progress and cancel; results come back as signals.

Jobs run on Python threads (a ``ThreadPoolExecutor``), not on ``QThreadPool``: Qt's pool threads
get a fresh Python thread state for every call, which frees thread-local PROJ contexts that
pyproj's cached CRS objects still use, and geopandas then crashes in ``proj_create``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from inspector.core.errors import Cancelled

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="inspector-task")


class _Relay(QObject):
    """Lives in the GUI thread; its signals carry results from the worker back to it."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class Task:
    """One background job. ``fn`` gets ``progress=`` and must not touch widgets."""

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.relay = _Relay()
        self._cancel = threading.Event()
        self.finished = threading.Event()
        self.detached = False

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report (it then fails with ``Cancelled``)."""
        self._cancel.set()

    def detach(self) -> None:
        """Deliver nothing more of this job (its end, its progress), even what is queued: whoever waited is gone."""
        self.detached = True

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self.relay.progress.emit(int(done), int(total))

    def run(self) -> None:
        try:
            result = self.fn(*self.args, progress=self._progress, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
            self.finished.set()
            self.relay.failed.emit(exc)
        else:
            self.finished.set()
            self.relay.done.emit(result)


def run_in_background(
    fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None], on_progress: Callable[[int, int], None] | None = None,
    **kwargs: Any,
) -> Task:
    """Run ``fn(*args, progress=..., **kwargs)`` on a worker thread.

    ``on_done(result)``, ``on_error(exception)`` and ``on_progress(done, total)`` are called in the
    GUI thread. Cancel with :meth:`Task.cancel`; the job then ends through ``on_error`` with
    :class:`~inspector.core.errors.Cancelled`.
    """
    task = Task(fn, args, kwargs)
    queued = Qt.ConnectionType.QueuedConnection

    def unless_detached(callback: Callable[..., None]) -> Callable[..., None]:
        # a call queued before Task.detach is delivered after it: it must reach no one
        return lambda *values: None if task.detached else callback(*values)

    task.relay.done.connect(unless_detached(on_done), queued)
    task.relay.failed.connect(unless_detached(on_error), queued)
    if on_progress is not None:
        task.relay.progress.connect(unless_detached(on_progress), queued)
    _POOL.submit(task.run)
    return task
