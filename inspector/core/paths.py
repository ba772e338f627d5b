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
