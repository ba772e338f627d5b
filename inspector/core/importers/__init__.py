"""Validated imports into a workspace: each is one transaction, idempotent, and reports bad rows."""

from __future__ import annotations

import contextlib
import importlib
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from inspector.core.columns import fields
from inspector.core.errors import Cancelled, CodedError, InputError, Progress
from inspector.core.i18n import Translate
from inspector.core.importers import matching
from inspector.core.importers.common import ImportResult
from inspector.core.importers.outcome import row_files, summary, write_notes, write_rejections
from inspector.core.messages import error_text
from inspector.core.names import IMPORT_FORMATS, IMPORT_KINDS, label
from inspector.core.paths import log_error
from inspector.core.progress import report
from inspector.core.workspace import Workspace

KINDS = ("boundaries", "venues", "scans", "reports")

__all__ = ["KINDS", "ImportResult", "Imported", "import_each", "import_file", "row_files", "summary", "write_notes",
           "write_rejections"]


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
        Per-kind options, e.g. ``fix_swapped=True`` for venues or ``level="ward"`` for boundaries,
        ``columns={field: column}`` for the columns to read. With ``save_columns=True``, those
        ``columns`` are kept in the workspace once the import accepted rows, and a later file of
        the same kind with the same headers, refused for its columns, is read with them (see
        :mod:`inspector.core.importers.matching`; :attr:`ImportResult.matching` says so).

    Returns
    -------
    ImportResult
        Counts, warnings and the rejected rows (with line numbers and reason codes).
    """
    if kind not in KINDS:
        raise InputError("unknown_kind", kind=kind, kinds=", ".join(KINDS))
    path = Path(file)
    if path.is_dir():
        raise InputError("folder_not_file", file=str(path))
    if not path.is_file():
        raise InputError("file_missing", file=str(path))
    known = fields(kind)
    unknown = [f for f in options.get("columns") or {} if f not in known]
    if unknown:  # a column given to a field no import reads would be left out of the matching unsaid
        raise InputError("unknown_field", field=unknown[0], kind=partial(label, IMPORT_KINDS, kind),
                         fields=", ".join(known))
    module = importlib.import_module(f"inspector.core.importers.{kind}")
    save = options.pop("save_columns", False)
    try:
        result = module.run(workspace, path, progress=progress, **options)
    except InputError as exc:  # a matching of its columns kept for files like it may answer it
        if exc.code == "unsupported_format" and kind != "boundaries" and path.suffix.lower() == ".zip":
            raise InputError("compressed_file", file=path.name, inner=_zipped(path)) from exc  # a log sent zipped
        if exc.code == "unsupported_format":  # say what this kind is read from
            raise InputError("unsupported_format_for", **exc.params, kind=partial(label, IMPORT_KINDS, kind),
                             formats=partial(label, IMPORT_FORMATS, kind)) from exc
        saved = None if options.get("columns") else matching.reuse_saved(workspace, kind, path, exc,
                                                                         options.get("sheet"))
        if saved is None:
            raise
        result = module.run(workspace, path, progress=progress, **{**options, "columns": saved})
        result.matching = "reused"
    if save and options.get("columns") and result.rows_accepted and result.columns:
        try:
            matching.save_columns(workspace, kind, matching.file_headers(result), options["columns"])
            result.matching = "saved"
        except (CodedError, OSError):  # the rows are stored by now: say the matching was not kept, not a failure
            result.warnings["matching_not_kept"] = 1
    with contextlib.suppress(Cancelled):  # the import is stored by now: a cancel comes too late to undo it
        report(progress, 1, 1)
    return result


def _zipped(path: Path) -> str:
    """The files in the zip ``path``, as the message asking to extract them names them (the first three)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [Path(info.filename).name for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError):
        names = []
    return ", ".join(names[:3]) + (", …" if len(names) > 3 else "") or path.stem


@dataclass
class Imported:
    """What importing one of several files came to: its result and row files, or why it was not imported."""

    file: Path
    result: ImportResult | None = None
    row_files: list[str] = field(default_factory=list)
    refused: str | None = None
    cancelled: bool = False  # refused because the user cancelled (the files after it were not tried)
    error: BaseException | None = None  # what refused it, when it was the file (not a cancel or a bug)


def import_each(
    workspace: Workspace, kind: str, files: Sequence[Path], tr: Translate, *,
    progress: Callable[[int], Progress | None] = lambda i: None, **options: Any,
) -> Iterator[Imported]:
    """Import ``files`` in turn, each in its own transaction, and write their row files.

    See :func:`import_file` and :func:`~inspector.core.importers.outcome.row_files`.
    Each scan log is told the others (``others``: their dates are evidence of how its own are written).
    ``progress(i)`` gives the progress of the ``i``-th file. With one file, anything that stops it
    is raised. With several, a refused file is said and the next one imported; once a file is
    stored, a cancel stops at the file it interrupts and a bug is logged (see
    :func:`inspector.core.paths.log_error`) and said for its file, since the files before stay.
    """
    stored = False
    for i, file in enumerate(files):
        # one export's files: their dates tell how this one's are written
        others = {"others": [f for f in files if f != file]} if kind == "scans" and len(files) > 1 else {}
        try:
            result = import_file(workspace, kind, file, progress=progress(i), **options, **others)
        except (CodedError, OSError) as exc:
            if len(files) == 1:
                raise
            yield Imported(file, refused=error_text(exc, tr), error=exc)
            continue
        except (Cancelled, KeyboardInterrupt):
            if not stored:
                raise
            yield Imported(file, refused=tr("Cancelled while importing {file}; the files before it were "
                                            "imported.").format(file=file.name), cancelled=True)
            return
        except Exception as exc:  # a bug; the files before it stay imported, so say it for this file
            if not stored:
                raise
            yield Imported(file, refused=tr("{file}: unexpected error ({error}); this file was not imported. "
                                            "Details in {log}").format(file=file.name, error=type(exc).__name__,
                                                                       log=log_error(exc)))
            continue
        stored = True
        yield Imported(file, result, row_files(result, tr))
