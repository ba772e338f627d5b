"""What to tell people when the workspace file itself stops a read or a write: held, read-only or full."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from inspector.core.errors import WorkspaceError

#: SQLite's primary result codes that mean the file, not our data, stopped a write, and what we say of them.
_CODES = {5: "workspace_busy", 6: "workspace_busy", 8: "workspace_readonly", 13: "workspace_full"}
#: The same in SQLite's words, for drivers (ADBC) that pass on only its message.
_TEXTS = {"database is locked": "workspace_busy", "database table is locked": "workspace_busy",
          "readonly database": "workspace_readonly", "database or disk is full": "workspace_full"}


def storage_error(exc: BaseException, path: Path) -> WorkspaceError | None:
    """What to tell people when ``exc`` means the workspace file could not be used, else ``None``.

    Another program holding it (another window importing, QGIS saving edits) for longer than we
    wait (:data:`inspector.core.workspace.BUSY_TIMEOUT`), a read-only file or folder, a full disk:
    not bugs, and nothing was stored.
    """
    if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) is not None:
        code = _CODES.get(exc.sqlite_errorcode & 0xFF)
    elif type(exc).__module__.startswith("adbc_driver"):
        code = next((code for text, code in _TEXTS.items() if text in str(exc)), None)
    else:
        return None
    return None if code is None else WorkspaceError(code, path=str(path))


@contextmanager
def said_as_storage_errors(path: Path) -> Iterator[None]:
    """Raise what the file stopped in the block as its :func:`storage_error`; anything else as it is."""
    try:
        yield
    except BaseException as exc:
        error = storage_error(exc, path)
        if error is None:
            raise
        raise error from exc
