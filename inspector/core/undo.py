"""Undoing the last import: a copy of the workspace kept before it, checked, and put back.

The copy lives in the per-user cache folder (``undo/<workspace_id>-<path hash>.gpkg``, with a ``.json`` record),
one per workspace: the copy from before the last import that changed something. It is valid while
nothing has written to the workspace since that import, which the record's :class:`State` tells.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from blake3 import blake3

from inspector.core import paths
from inspector.core import workspace as workspaces
from inspector.core.errors import Progress, WorkspaceError
from inspector.core.progress import report
from inspector.core.storage import said_as_storage_errors
from inspector.core.workspace import Workspace, audit

#: Pages copied between two progress reports (and chances to cancel): 4 MB of 4 KB pages.
STEP_PAGES = 1024
#: Room to leave on the cache's disk besides the copy, so that keeping it cannot starve the import itself.
SPARE_BYTES = 256 << 20


@dataclass(frozen=True)
class State:
    """What tells whether a workspace file was written: compared, never read for meaning.

    SQLite's file change counter and the file's size catch any program's writes (QGIS editing a
    layer too); the last ids of the audit trail and import log and the layers' ``last_change`` catch
    ours even where the counter is not kept (a workspace in WAL mode).
    """

    changes: int
    size: int
    audit: int
    imports: int
    last_change: str


@dataclass(frozen=True)
class Kept:
    """A copy of a workspace from before an import, and what it takes to put it back.

    ``problem`` is the message code of a copy :func:`check` found no longer usable (and dropped):
    ``undo_stale`` when the workspace was written since, ``undo_damaged`` when the copy is gone.
    """

    workspace: str  # the workspace file (resolved)
    workspace_id: str
    kind: str
    files: tuple[str, ...]  # the files of the import it undoes
    imported_at: str  # local time, ISO 8601
    after: State  # the workspace right after the import
    size: int
    digest: str
    problem: str = ""

    @property
    def valid(self) -> bool:
        return not self.problem

    def error(self, code: str | None = None) -> WorkspaceError:
        """The error saying why this import cannot be undone (``code``, by default :attr:`problem`)."""
        return WorkspaceError(code or self.problem, path=self.workspace, files=", ".join(self.files))


@dataclass
class Pending:
    """A copy taken before an import, not yet known to be needed (see :func:`settle`)."""

    workspace: Path
    workspace_id: str
    copy: Path
    before: State

    def discard(self) -> None:
        """Delete the copy: the import changed nothing, or did not happen."""
        _remove(self.copy)


def keep(workspace: Workspace, *, progress: Progress | None = None) -> Pending | None:
    """Copy ``workspace`` as it is now (SQLite's online backup: consistent even while others read it).

    Returns ``None`` when the copy cannot be made (a cache folder that cannot be written, a full disk,
    a file held by another program): the import goes on without undo. Raising
    :class:`~inspector.core.errors.Cancelled` from ``progress`` stops it and leaves nothing behind.
    """
    path = workspace.path.resolve()
    copy = None
    try:
        folder = _folder()
        _prune(folder)
        if shutil.disk_usage(folder).free < path.stat().st_size + SPARE_BYTES:
            return None
        with _reading(path) as (conn, before):
            row = conn.execute("SELECT value FROM workspace_meta WHERE key = 'workspace_id'").fetchone()
            if row is None:  # not one of ours
                return None
            key = str(row[0])
            fd, name = tempfile.mkstemp(prefix=f"{_key(key, path)}.", suffix=".pending.gpkg", dir=folder)
            os.close(fd)
            copy = Path(name)
            target = sqlite3.connect(copy)
            try:
                conn.backup(target, pages=STEP_PAGES, progress=lambda _status, left, total: report(
                    progress, total - left, total))
            finally:
                target.close()
    except BaseException as exc:
        if copy is not None:
            _remove(copy)
        if isinstance(exc, OSError | sqlite3.Error | WorkspaceError):
            return None
        raise
    return Pending(path, key, copy, before)


def settle(pending: Pending | None, kind: str, files: list[str], import_ids: set[int]) -> Kept | None:
    """After an import: keep ``pending`` as the workspace's undo if the import changed it, else discard it.

    An import that changed nothing leaves the copy kept before an earlier one in place. One that did
    replaces it, if the audit trail shows that only this import (its ``import_ids``) wrote to the
    workspace since the copy; else the copy would undo another program's work too, and is dropped.
    """
    if pending is None:
        return None
    try:
        with _reading(pending.workspace) as (conn, after):
            if after == pending.before:
                pending.discard()
                return None
            ours = _only_ours(conn, pending.before, import_ids)
        _drop(pending.workspace_id, pending.workspace)
        if not ours:
            pending.discard()
            return None
        kept = Kept(str(pending.workspace), pending.workspace_id, kind, tuple(files),
                    datetime.now().astimezone().isoformat(timespec="seconds"), after,
                    pending.copy.stat().st_size, _digest(pending.copy))
        stem = _folder() / _key(pending.workspace_id, pending.workspace)
        os.replace(pending.copy, stem.with_suffix(".gpkg"))
        _write_json(stem.with_suffix(".json"), dataclasses.asdict(kept))
    except (OSError, sqlite3.Error, WorkspaceError):  # the import is stored: it just cannot be undone
        pending.discard()
        with contextlib.suppress(OSError):
            _drop(pending.workspace_id, pending.workspace)
        return None
    return kept


def check(path: str | Path, *, timeout: float | None = None) -> Kept | None:
    """The import the workspace at ``path`` can undo, or ``None``.

    A copy kept for it that can no longer be used (something wrote to the workspace since, or the
    copy is gone) is dropped and returned with its :attr:`~Kept.problem`, so that the caller can say so. Raises
    :class:`~inspector.core.errors.WorkspaceError` when the file cannot be read within ``timeout``
    seconds (by default :data:`inspector.core.workspace.BUSY_TIMEOUT`).
    """
    path = Path(path).resolve()
    with _reading(path, timeout) as (conn, now):
        row = conn.execute("SELECT value FROM workspace_meta WHERE key = 'workspace_id'").fetchone()
    kept = None if row is None else _record(str(row[0]), path)
    if kept is None or kept.workspace != str(path):  # another file with the same id: a copy of it
        return None
    copy = _folder() / f"{_key(kept.workspace_id, kept.workspace)}.gpkg"
    if now != kept.after:
        problem = "undo_stale"
    elif not copy.is_file() or copy.stat().st_size != kept.size:
        problem = "undo_damaged"
    else:
        return kept
    _drop(kept.workspace_id, kept.workspace)
    return dataclasses.replace(kept, problem=problem)


def restore(path: str | Path, *, progress: Progress | None = None) -> Kept:
    """Put back the copy kept before the last import into the workspace at ``path``; return what was undone.

    The copy is checked byte for byte against what was kept, given an ``import_undone`` entry in its
    audit trail, and written over the workspace with SQLite's backup in one transaction: a failure
    or a cancel at any point leaves the workspace as it was (and raises). Not a file renamed over the
    workspace: a program that has it open (another window, QGIS) would go on writing to the old
    file, and a journal of its could be rolled back into the new one (sqlite.org/howtocorrupt.html,
    "Unlinking or renaming a database file while in use"); the backup takes SQLite's locks like any writer.

    Raises
    ------
    WorkspaceError
        ``undo_unavailable`` (nothing kept), ``undo_stale`` (written since), ``undo_damaged`` (the copy
        is missing or not what was kept), or the workspace's own storage errors (busy, read-only, full).
    """
    path = Path(path).resolve()
    kept = check(path)
    if kept is None:
        raise WorkspaceError("undo_unavailable", path=str(path))
    if not kept.valid:
        raise kept.error()
    copy = _folder() / f"{_key(kept.workspace_id, kept.workspace)}.gpkg"
    temp = copy.with_suffix(".restoring.gpkg")
    try:
        with said_as_storage_errors(path):
            try:
                _copy_file(copy, temp, progress, share=30)
            except FileNotFoundError as exc:
                if exc.filename != str(copy):
                    raise
            if not temp.is_file() or temp.stat().st_size != kept.size or _digest(temp) != kept.digest:
                _drop(kept.workspace_id, kept.workspace)
                raise kept.error("undo_damaged")
            with Workspace(temp).transaction() as conn:
                audit(conn, "import_undone", {"kind": kept.kind, "files": list(kept.files),
                                              "imported_at": kept.imported_at})
            _put_back(temp, path, kept, progress)
    finally:
        _remove(temp)
    _drop(kept.workspace_id, kept.workspace)
    report(progress, 100, 100)
    return kept


# -- helpers -----------------------------------------------------------------------------------------
@contextlib.contextmanager
def _reading(path: Path, timeout: float | None = None) -> Iterator[tuple[sqlite3.Connection, State]]:
    """A connection in a read transaction on ``path``, and the file's :class:`State` read under its lock.

    The header is read through a descriptor opened before the connection and closed after it:
    closing a descriptor of a file drops every lock this process holds on it (POSIX), SQLite's too.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        conn = sqlite3.connect(path, isolation_level=None,
                               timeout=workspaces.BUSY_TIMEOUT if timeout is None else timeout)
        try:
            with said_as_storage_errors(path):
                conn.execute("BEGIN")
                audit_id, import_id, last = conn.execute(  # the first read takes the shared lock
                    "SELECT (SELECT coalesce(max(fid), 0) FROM audit_log), (SELECT coalesce(max(fid), 0) "
                    "FROM import_log), (SELECT coalesce(max(last_change), '') FROM gpkg_contents)").fetchone()
                os.lseek(fd, 0, os.SEEK_SET)
                header = os.read(fd, 100)
                state = State(int.from_bytes(header[24:28], "big"), os.fstat(fd).st_size, int(audit_id),
                              int(import_id), str(last))
                yield conn, state
                conn.execute("COMMIT")
        finally:
            conn.close()
    finally:
        os.close(fd)


def _only_ours(conn: sqlite3.Connection, before: State, import_ids: set[int]) -> bool:
    """Whether every entry of the audit trail and import log since ``before`` is one of the import's."""
    logged = {fid for (fid,) in conn.execute("SELECT fid FROM import_log WHERE fid > ?", (before.imports,))}
    for action, details in conn.execute("SELECT action, details FROM audit_log WHERE fid > ?", (before.audit,)):
        if action == "columns_matched":  # the import kept the columns chosen by hand
            continue
        if not action.startswith("import_") or json.loads(details or "{}").get("import_id") not in import_ids:
            return False
    return logged <= import_ids


def _put_back(temp: Path, path: Path, kept: Kept, progress: Progress | None) -> None:
    """Write ``temp`` over the workspace at ``path`` in one transaction, if it is still as ``kept`` left it."""
    with _reading(path) as (_conn, now):
        if now != kept.after:
            _drop(kept.workspace_id, kept.workspace)
            raise kept.error("undo_stale")
    # From here to the backup's first step taking its lock, another writer could slip in and be undone
    # too: microseconds (Python's backup cannot start inside a transaction of ours).
    source = sqlite3.connect(temp)
    target = sqlite3.connect(path, timeout=workspaces.BUSY_TIMEOUT)

    def step(status: int, left: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):  # after the busy timeout: give up
            raise WorkspaceError("workspace_busy", path=str(path))
        report(progress, 30 + 70 * (total - left) // max(total, 1), 100)

    try:
        source.backup(target, pages=STEP_PAGES, progress=step)
    finally:
        source.close()
        target.close()


def _copy_file(source: Path, target: Path, progress: Progress | None, share: int) -> None:
    total = source.stat().st_size
    done = 0
    with source.open("rb") as src, target.open("wb") as out:
        for block in iter(lambda: src.read(1 << 22), b""):
            out.write(block)
            done += len(block)
            report(progress, share * done // max(total, 1), 100)


def _digest(path: Path) -> str:
    digest = blake3(max_threads=blake3.AUTO)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 24), b""):
            digest.update(block)
    return "blake3:" + digest.hexdigest()


def _folder() -> Path:
    folder = paths.cache_dir() / "undo"
    folder.mkdir(exist_ok=True)
    return folder


def _key(workspace_id: str, workspace: str | Path) -> str:
    """A file name for the workspace ``workspace_id`` at ``workspace`` (its resolved path).

    The id is a UUID in our workspaces (anything in a file made to look like one); a copy of a
    workspace file keeps it, so the path tells the two apart and one's import leaves the other's undo.
    """
    name = workspace_id if re.fullmatch(r"[0-9A-Za-z-]{1,64}", workspace_id) else \
        blake3(workspace_id.encode()).hexdigest()[:32]
    return f"{name}-{blake3(str(workspace).encode()).hexdigest()[:12]}"


def _record(workspace_id: str, workspace: str | Path) -> Kept | None:
    try:
        folder = _folder()
    except OSError:  # no cache folder: nothing kept
        return None
    return _read_record(folder / f"{_key(workspace_id, workspace)}.json")


def _read_record(path: Path) -> Kept | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Kept(**{**data, "files": tuple(data["files"]), "after": State(**data["after"])})
    except (OSError, ValueError, TypeError, KeyError):  # none, or not one we wrote: nothing to undo
        return None


def _drop(workspace_id: str, workspace: str | Path) -> None:
    stem = _folder() / _key(workspace_id, workspace)
    _remove(stem.with_suffix(".json"))
    _remove(stem.with_suffix(".gpkg"))


def _prune(folder: Path) -> None:
    """Remove copies left by a crash (a day old) and those of workspaces whose file is gone."""
    now = datetime.now().timestamp()
    for left in [*folder.glob("*.pending.gpkg"), *folder.glob("*.restoring.gpkg*")]:
        with contextlib.suppress(OSError):
            if now - left.stat().st_mtime > 86_400:
                _remove(left)
    for record in folder.glob("*.json"):
        kept = _read_record(record)
        if kept is None or not Path(kept.workspace).exists():
            _remove(record)
            _remove(record.with_suffix(".gpkg"))


def _write_json(path: Path, data: dict[str, Any]) -> None:
    temp = path.with_suffix(".json.tmp")
    temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)


def _remove(path: Path) -> None:
    for each in (path, path.with_name(path.name + "-journal")):
        with contextlib.suppress(OSError):
            each.unlink(missing_ok=True)
