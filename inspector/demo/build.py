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
#: The files a demo writes into its folder (besides the workspace)
FILE_NAMES = ("province.geojson", "districts.geojson", "wards.geojson", "venues.csv", "scans.csv", "reports.xlsx",
              "truth.csv")


@dataclass(frozen=True)
class BuiltDemo:
    """The generated files and, unless skipped, the workspace they were imported into."""

    demo: DemoFiles
    workspace: Path | None

    @property
    def files(self) -> list[Path]:
        d = self.demo
        return [d.province, d.districts, d.wards, d.venues, d.scans, d.reports, d.truth]


#: The demo's files in import order, with each one's share of the import time.
IMPORTS = (("boundaries", "districts.geojson", 4), ("boundaries", "wards.geojson", 6), ("venues", "venues.csv", 10),
           ("scans", "scans.csv", 70), ("reports", "reports.xlsx", 10))


def import_folder(
    workspace: Workspace, folder: Path, *, kinds: tuple[str, ...] = ("boundaries", "venues", "scans", "reports"),
    progress: Progress | None = None,
) -> None:
    """Import the files of a demo province in ``folder`` (only those of ``kinds``) into ``workspace``."""
    steps = [step for step in IMPORTS if step[0] in kinds]
    total, start = sum(share for *_, share in steps), 0
    for kind, name, share in steps:
        import_file(workspace, kind, Path(folder) / name,
                    progress=sub_progress(progress, start * 100 // total, share * 100 // total))
        start += share


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
        # A tiny province may have no scans or no reports; importers rightly refuse an empty file.
        empty = {kind for kind, n in (("scans", files.n_scans), ("reports", files.n_reports)) if n == 0}
        kinds = tuple(kind for kind in ("boundaries", "venues", "scans", "reports") if kind not in empty)
        import_folder(Workspace.create(partial), out_dir, kinds=kinds, progress=sub_progress(progress, 50, 50))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return BuiltDemo(files, target)
