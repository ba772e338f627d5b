"""Exceptions and the progress-callback contract shared by all core functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: ``progress(done, total)``; raise :class:`Cancelled` from it to stop the work.
Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """Raised from a progress callback to stop long work; the work leaves no trace."""


def rust_panic(exc: BaseException) -> bool:
    """Whether ``exc`` is a panic of a Rust library (polars, calamine) on input it cannot make sense of.

    pyo3 raises it as a ``BaseException``, so that ``except Exception`` misses it.
    """
    return type(exc).__name__ == "PanicException"


class CodedError(Exception):
    """An error that carries a message code and parameters instead of a sentence.

    The UI and the command line turn ``code`` into translated text with
    :func:`inspector.core.messages.render`.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        from inspector.core.messages import render

        return render(self.code, self.params, lambda s: s)


class InputError(CodedError):
    """A file cannot be imported at all (empty, wrong format, missing column, bad encoding)."""


class WorkspaceError(CodedError):
    """A workspace file cannot be opened or written (not a workspace, newer schema, locked)."""
