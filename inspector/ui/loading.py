"""What the window's background jobs do: plain functions over core and maps, no widgets."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from inspector.core import paths
from inspector.core.errors import Cancelled, CodedError, Progress
from inspector.core.i18n import translator
from inspector.core.messages import os_error, render
from inspector.core.progress import report, sub_progress
from inspector.core.signals import Assessment, assess
from inspector.core.workspace import Workspace
from inspector.ui.venue_table import with_keys
from maps.data import MapData, map_data


@dataclass
class LoadedView:
    """A workspace read and analysed, ready to be shown."""

    path: Path
    info: dict[str, Any]
    assessment: Assessment
    data: MapData
    table: pd.DataFrame
    page: str


def load_view(path: Path, *, lang: str, metric: str, progress: Progress | None = None) -> LoadedView:
    """Open ``path``, compute signals and unit figures, and build the map page."""
    report(progress, 0, 100)
    workspace = Workspace.open(path)
    info = workspace.info()
    assessment = assess(workspace, progress=sub_progress(progress, 5, 40))
    data = map_data(workspace, assessment)
    report(progress, 55, 100)
    page = build_page(data, lang=lang, metric=metric, progress=sub_progress(progress, 55, 35))
    names = data.units.set_index("code")["name"]
    table = with_keys(data.venues.assign(ward_name=data.venues["ward_code"].map(names)))
    report(progress, 100, 100)
    return LoadedView(Path(path), info, assessment, data, table, page)



def build_page(data: MapData, *, lang: str, metric: str, progress: Progress | None = None) -> str:
    """The map page for the window (assets from installed packages, web channel to Qt)."""
    from maps.web import build_page as build

    report(progress, 0, 1)
    html = build(data, tr=translator(lang), lang=lang, bridge=True, metric=metric)
    report(progress, 1, 1)
    return html


def export_map(
    data: MapData, html: Path | None, png: Path | None, *, lang: str, metric: str,
    progress: Progress | None = None,
) -> list[Path]:
    """Write a self-contained HTML map and/or a static PNG map."""
    from maps.static import render_png
    from maps.web import build_page as build

    tr = translator(lang)
    written = []
    report(progress, 0, 2)
    if html is not None:
        html.write_text(build(data, tr=tr, lang=lang, standalone=True, metric=metric), encoding="utf-8")
        written.append(html)
    report(progress, 1, 2)
    if png is not None:
        render_png(data, png, tr=tr, lang=lang, metric=metric)
        written.append(png)
    report(progress, 2, 2)
    return written


#: Size of the demo province generated on first launch (see :func:`inspector.demo.generate`).
DEMO_OPTIONS: dict[str, Any] = {"venues": 5000, "days": 28, "seed": 1}


def demo_workspace() -> Path:
    return paths.data_dir() / "demo" / "demo.gpkg"


def ensure_demo(progress: Progress | None = None) -> Path:
    """Return the demo workspace in the user data folder, generating it on first use."""
    from inspector.demo.build import build_demo

    target = demo_workspace()
    if not target.exists():
        build_demo(target.parent, progress=progress, **DEMO_OPTIONS)
    return target


@dataclass
class Imported:
    """What importing one of several files came to: its result and row files, or why it was refused."""

    file: Path
    result: Any = None
    row_files: list[str] = field(default_factory=list)
    refused: str | None = None


def import_into(path: Path, kind: str, files: list[Path], *, lang: str,
                progress: Progress | None = None) -> list[Imported]:
    """Import ``files`` in turn into the workspace at ``path``, each in its own transaction.

    With one file a refusal is raised (the window shows it as an error); with several, a refused
    file is noted and the next one imported. A cancel stops the file being imported; those before
    it stay imported (the last entry is then that file, refused as cancelled).
    See :func:`inspector.core.importers.import_file` and :func:`~inspector.core.importers.row_files`.
    """
    from inspector.core.importers import import_file, row_files

    tr = translator(lang)
    workspace = Workspace.open(path)
    done: list[Imported] = []
    for i, file in enumerate(files):
        try:
            result = import_file(workspace, kind, file, progress=sub_progress(progress, 100 * i, 100, 100 * len(files)))
        except (CodedError, OSError) as exc:
            if len(files) == 1:
                raise
            done.append(Imported(file, refused=render(exc.code, exc.params, tr) if isinstance(exc, CodedError)
                                 else os_error(exc, tr)))
            continue
        except Cancelled:
            if not any(d.result for d in done):
                raise
            done.append(Imported(file, refused=tr("Cancelled while importing {file}; the files before it were "
                                                  "imported.").format(file=file.name)))
            return done
        except Exception as exc:  # a bug; the files before stay imported, so the job must not fail as a whole
            if not any(d.result for d in done):
                raise
            log = paths.data_dir() / "error.log"
            with log.open("a", encoding="utf-8") as fh:
                fh.write("".join(traceback.format_exception(exc)))
            done.append(Imported(file, refused=tr("{file}: unexpected error ({error}); this file was not imported. "
                                                  "Details in {log}").format(file=file.name,
                                                                             error=type(exc).__name__, log=log)))
            continue
        done.append(Imported(file, result, row_files(result, tr)))
    return done


def new_workspace(path: Path, progress: Progress | None = None) -> Path:
    Workspace.create(path, overwrite=True)
    return path
