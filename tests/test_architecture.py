"""The house rules that keep the core testable: import direction, and no Qt below the UI."""

import subprocess
import sys
import textwrap
from pathlib import Path

from importlinter import cli

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold(monkeypatch):
    """Enforced as napari does: core, maps and reports never import Qt or the UI."""
    monkeypatch.chdir(ROOT)
    assert cli.lint_imports(no_cache=True, no_logo=True) == 0


def test_core_maps_and_reports_import_without_qt():
    """Every non-UI module imports in a process where PySide6 cannot be imported at all."""
    script = textwrap.dedent("""
        import importlib, pkgutil, sys

        class NoQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6"):
                    raise ImportError("Qt is blocked in this test")

        sys.meta_path.insert(0, NoQt())
        for package in ("inspector.core", "inspector.demo", "maps", "reports"):
            module = importlib.import_module(package)
            for info in pkgutil.walk_packages(module.__path__, package + "."):
                importlib.import_module(info.name)
        import inspector.cli
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_ruff_and_mypy_pass():
    """The style and typing rules of pyproject.toml hold (mypy is strict on core, maps, reports)."""
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    types = subprocess.run([sys.executable, "-m", "mypy", "inspector/core", "maps", "reports"], cwd=ROOT,
                           capture_output=True, text=True)
    assert types.returncode == 0, types.stdout
