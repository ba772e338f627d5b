"""Validated imports into a workspace: each is one transaction, idempotent, and reports bad rows."""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path
from typing import Any

from inspector.core.errors import Cancelled, InputError, Progress
from inspector.core.importers.common import ImportResult, row_files, summary, write_notes, write_rejections
from inspector.core.progress import report
from inspector.core.workspace import Workspace

KINDS = ("boundaries", "venues", "scans", "reports")

__all__ = ["KINDS", "ImportResult", "import_file", "row_files", "summary", "write_notes", "write_rejections"]


def import_file(
    workspace: Workspace, kind: str, file: str | Path, *, progress: Progress | None = None,
    **options: Any,
) -> ImportResult:
    """Import ``file`` of ``kind`` into ``workspace`` as one transaction.

    Parameters
    ----------
    workspace
        The open workspace.
    kind
        ``boundaries``, ``venues``, ``scans`` or ``reports``.
    file
        The input file.
    progress
        ``progress(done, total)``; raising :class:`~inspector.core.errors.Cancelled` from it
        abandons the import and leaves the workspace unchanged, until the import is stored: its
        last report (done = total) comes after that and cannot cancel.
    **options
        Per-kind options, e.g. ``fix_swapped=True`` for venues or ``level="ward"`` for boundaries.

    Returns
    -------
    ImportResult
        Counts, warnings and the rejected rows (with line numbers and reason codes).
    """
    if kind not in KINDS:
        raise InputError("unknown_kind", kind=kind, kinds=", ".join(KINDS))
    path = Path(file)
    if not path.is_file():
        raise InputError("file_missing", file=str(path))
    module = importlib.import_module(f"inspector.core.importers.{kind}")
    result = module.run(workspace, path, progress=progress, **options)
    with contextlib.suppress(Cancelled):  # the import is stored by now: a cancel comes too late to undo it
        report(progress, 1, 1)
    return result
