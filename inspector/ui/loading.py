"""What the window's background jobs do: plain functions over core and maps, no widgets."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from inspector.core import paths
from inspector.core.errors import InputError, Progress
from inspector.core.i18n import Translate, day, number, translator
from inspector.core.progress import report, sub_progress
from inspector.core.signals import Assessment, assess
from inspector.core.workspace import Workspace
from inspector.ui.venue_table import with_keys
from maps.data import MapData, map_data

if TYPE_CHECKING:
    from inspector.core.importers.matching import Preview


@dataclass
class LoadedView:
    """A workspace read and analysed, ready to be shown."""

    path: Path
    info: dict[str, Any]
    assessment: Assessment
    data: MapData
    table: pd.DataFrame
    page: str
    #: the import that can be undone (:class:`inspector.core.undo.Kept`), or a stale one just dropped
    undo: Any = None


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
    undo = undo_offered(Path(path))
    report(progress, 100, 100)
    return LoadedView(Path(path), info, assessment, data, table, page, undo)



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
    """Write the web page and/or the PNG of ``data.focus`` in the language ``lang`` (:func:`maps.export.export_map`)."""
    from maps.export import export_map as export

    return export(data, html, png, tr=translator(lang), lang=lang, metric=metric, progress=progress)


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


def import_into(path: Path, kind: str, files: list[Path], *, lang: str,
                progress: Progress | None = None, **options: Any) -> list[Any]:
    """Import ``files`` in turn into the workspace at ``path`` (see :func:`inspector.core.importers.import_each`).

    The workspace as it was is kept first, for undoing the import (:mod:`inspector.core.undo`); when
    that copy cannot be made the import goes on, and cannot be undone.
    """
    from inspector.core import undo
    from inspector.core.importers import import_each

    workspace = Workspace.open(path)
    pending = undo.keep(workspace, progress=sub_progress(progress, 0, UNDO_SHARE))
    done: list[Any] = []
    try:
        n = len(files)
        done.extend(import_each(workspace, kind, files, translator(lang), progress=lambda i: sub_progress(
            progress, UNDO_SHARE * n + (100 - UNDO_SHARE) * i, 100 - UNDO_SHARE, 100 * n), **options))
    finally:  # whatever was stored decides (a failure after a file was stored too)
        stored = [each.result for each in done if each.result is not None and each.result.import_id is not None]
        undo.settle(pending, kind, [_name(result) for result in stored], {r.import_id for r in stored})
    return done


#: The share of an import's progress bar that keeping the workspace for undo takes.
UNDO_SHARE = 10


def _name(result: Any) -> str:
    """The imported file as the undo names it: with the sheet or layer read when it has several."""
    part = ", ".join(result.sheets[:2]) + (", …" if len(result.sheets) > 2 else "") or result.layer
    return f"{result.file.name} ({part})" if part else result.file.name


def undo_import(path: Path, *, progress: Progress | None = None) -> Any:
    """Put back the workspace at ``path`` as it was before its last import (see :func:`inspector.core.undo.restore`)."""
    from inspector.core import undo

    return undo.restore(path, progress=progress)


def undo_offered(path: Path, timeout: float | None = None, default: Any = None) -> Any:
    """The import the workspace at ``path`` can undo (a stale copy dropped and returned as such), or ``None``.

    ``default`` when the file cannot be read now (another program holding it): the question comes again.
    """
    from inspector.core import undo
    from inspector.core.errors import CodedError

    try:
        return undo.check(path, timeout=timeout)
    except (CodedError, OSError, sqlite3.Error):
        return default


def column_preview(path: Path, kind: str, *, sheet: str | list[str] | None = None,
                   progress: Progress | None = None) -> Preview:
    """The header and first rows of a file whose columns are to be matched by hand.

    See :func:`inspector.core.importers.matching.preview`.
    """
    from inspector.core.importers.matching import preview

    return preview(path, kind, sheet=sheet)


def status_texts(view: LoadedView, tr: Translate, lang: str) -> tuple[str, str, str]:
    """The status bar's texts for ``view``: the workspace, the period, and what it counts."""
    first, last = view.assessment.period
    period = tr("Period: {first} – {last}").format(first=day(first, lang), last=day(last, lang)) \
        if view.info["scans"] else tr("Period: —")  # no scans, so no period yet
    flagged = int((view.assessment.risk["n_signals"] > 0).sum())
    active = int((view.data.venues["status"].fillna("active") == "active").sum())  # what the tree counts
    counts = tr("{venues} venues ({active} active) · {scans} scans · {flagged} with signs").format(
        venues=number(view.info["counts"]["venues"], 0, lang), active=number(active, 0, lang),
        scans=number(view.info["scans"], 0, lang), flagged=number(flagged, 0, lang))
    return str(view.path), period, counts


def import_report(done: list[Any], kind: str, tr: Translate, lang: str) -> tuple[str, bool]:
    """What the imports ``done`` (from :func:`import_into`) did, for people, and whether it calls for attention.

    What an import warns of and where its row files are belong in plain sight, not under "details".
    A file of several refused for its columns is to be imported alone, where its columns can be chosen.
    """
    from inspector.core.importers import summary
    from inspector.core.importers.matching import can_match
    from inspector.core.importers.outcome import calls_for_attention

    parts, attention = [], False
    for each in done:
        if each.refused is not None:
            columns = len(done) > 1 and each.error is not None and can_match(each.error, kind)
            parts.append(each.refused + ("\n" + tr("Import this file on its own to choose its columns by hand.")
                                         if columns else ""))
            attention = True
            continue
        text, lines = summary(each.result, tr, lang)
        parts.append("\n".join([text, *(f"  {line}" for line in lines), *each.row_files]))
        attention = attention or calls_for_attention(each.result)
    return "\n\n".join(parts), attention


def boundary_layers(path: Path, tr: Translate, lang: str) -> dict[str, str]:
    """The layers of areas in a boundary file, the one an import would choose first.

    A GeoPackage's layers, or the geographic files of a zip; none for one layer or another format.

    Each with what a person chooses it by: ``{label: layer}``, the label giving how many areas it holds.
    """
    from inspector.core.importers.boundary_read import layer_sizes

    return {tr("{layer} ({count} areas)").format(layer=name, count=number(count, 0, lang)): name
            for name, count in layer_sizes(path)}


def workbook_sheets(path: Path, kind: str, tr: Translate, lang: str, *,
                    progress: Progress | None = None) -> tuple[dict[str, str], list[str]]:
    """The sheets of a workbook with the columns of ``kind``, to choose which to import.

    ``{label: sheet}`` (see :func:`~inspector.core.io.workbook.table_sheets`), each label with the
    sheet's rows, and the label of the sheet an import reads when none is chosen (the most rows).

    Empty when there is nothing to choose: one such sheet or none, or a file that is no workbook
    (its import says what is wrong with it).
    """
    from inspector.core.io.sniff import WORKBOOKS, file_format
    from inspector.core.io.workbook import table_sheets

    try:
        sheets = table_sheets(path, kind) if file_format(path) in WORKBOOKS else []
    except InputError:
        return {}, []
    if len(sheets) < 2:
        return {}, []
    labels = [tr("{sheet} ({count} rows)").format(sheet=title, count=number(rows, 0, lang)) for title, rows in sheets]
    most = max(range(len(sheets)), key=lambda i: sheets[i][1])  # the first of equals
    return {label: title for label, (title, _) in zip(labels, sheets, strict=True)}, [labels[most]]


def new_workspace(path: Path, progress: Progress | None = None) -> Path:
    Workspace.create(path, overwrite=True)
    return path
