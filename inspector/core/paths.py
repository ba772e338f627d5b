"""Per-user data and cache folders, in one place (overridable for tests and portable installs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_APP = "qr-compliance-inspector"


def data_dir() -> Path:
    """Folder for user data (the demo workspace, recent files); ``INSPECTOR_DATA_DIR`` overrides it."""
    override = os.environ.get("INSPECTOR_DATA_DIR")
    folder = Path(override) if override else Path(platformdirs.user_data_dir(_APP, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cache_dir() -> Path:
    """Folder for disposable files (rendered maps); ``INSPECTOR_CACHE_DIR`` overrides it."""
    override = os.environ.get("INSPECTOR_CACHE_DIR")
    folder = Path(override) if override else Path(platformdirs.user_cache_dir(_APP, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


#: ``error.log`` is moved to ``error.log.1`` (replacing the one before) once it grows past this.
ERROR_LOG_LIMIT = 1_000_000


def log_error(exc: BaseException) -> Path:
    """Append the time and traceback of ``exc`` (a bug) to ``error.log`` in the data folder; return its path.

    The log is kept to two files of about :data:`ERROR_LOG_LIMIT` bytes: a bug that repeats cannot
    fill the disk, and the last tracebacks are always there to send.
    """
    import traceback
    from datetime import datetime

    log = data_dir() / "error.log"
    if log.exists() and log.stat().st_size > ERROR_LOG_LIMIT:
        log.replace(log.with_name(log.name + ".1"))
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"--- {datetime.now().astimezone().isoformat(timespec='seconds')}\n")
        fh.write("".join(traceback.format_exception(exc)))
    return log
