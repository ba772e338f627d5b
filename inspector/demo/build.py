"""Build a ready demo workspace: generate the province's files, then import them as a user would."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector.core.errors import Progress
from inspector.core.importers import import_file
from inspector.core.progress import sub_progress
from inspector.core.workspace import Workspace
from inspector.demo.generate import DemoFiles, generate

WORKSPACE_NAME = "demo.gpkg"


@dataclass(frozen=True)
class BuiltDemo:
    """The generated files and, unless skipped, the workspace they were imported into."""

    demo: DemoFiles
    workspace: Path | None

    @property
    def files(self) -> list[Path]:
        d = self.demo
        return [d.province, d.districts, d.wards, d.venues, d.scans, d.reports, d.truth]


def build_demo(
    out_dir: Path, *, workspace: bool = True, progress: Progress | None = None, **options: Any
) -> BuiltDemo:
    """Generate a demo province into ``out_dir`` and import it into ``out_dir/demo.gpkg``.

    The workspace is built under a temporary name and renamed when complete, so a cancelled or
    failed build never leaves a half-filled workspace behind.

    Parameters
    ----------
    out_dir
        Folder for the files and the workspace.
    workspace
        Import the files into a workspace (otherwise only write them).
    progress
        ``progress(done, total)``; may raise :class:`~inspector.core.errors.Cancelled`.
    **options
        Passed to :func:`inspector.demo.generate` (seed, venues, days, scans_per_day, boundaries).
    """
    out_dir = Path(out_dir)
    files = generate(out_dir, progress=sub_progress(progress, 0, 50 if workspace else 100), **options)
    if not workspace:
        return BuiltDemo(files, None)
    target = out_dir / WORKSPACE_NAME
    partial = out_dir / f".{WORKSPACE_NAME}.building.gpkg"
    partial.unlink(missing_ok=True)
    try:
        ws = Workspace.create(partial)
        steps = [("boundaries", files.districts), ("boundaries", files.wards), ("venues", files.venues),
                 ("scans", files.scans), ("reports", files.reports)]
        spans = [2, 3, 5, 35, 5]
        start = 50
        for (kind, path), span in zip(steps, spans, strict=True):
            import_file(ws, kind, path, progress=sub_progress(progress, start, span))
            start += span
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return BuiltDemo(files, target)
