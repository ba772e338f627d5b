"""The one place that creates ``QSettings`` (tests point it at a temporary file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from inspector.core import paths


def make_settings(path: Path | None = None) -> QSettings:
    """Settings stored as an INI file in the user data folder, or at ``path``."""
    target = path or paths.data_dir() / "settings.ini"
    return QSettings(str(target), QSettings.Format.IniFormat)


def recent_workspaces(settings: QSettings) -> list[str]:
    value = settings.value("recent", [])
    items = [value] if isinstance(value, str) else list(value or [])
    return [p for p in items if Path(p).exists()]


def remember_workspace(settings: QSettings, path: str, keep: int = 8) -> None:
    items = [path] + [p for p in recent_workspaces(settings) if p != path]
    settings.setValue("recent", items[:keep])
    settings.setValue("last_workspace", path)
