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


def log_error(exc: BaseException) -> Path:
    """Append the traceback of ``exc`` (a bug) to ``error.log`` in the data folder; return the log's path."""
    import traceback

    log = data_dir() / "error.log"
    with log.open("a", encoding="utf-8") as fh:
        fh.write("".join(traceback.format_exception(exc)))
    return log
