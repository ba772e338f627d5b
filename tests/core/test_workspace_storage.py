"""A workspace file that another program holds, that cannot be written, or whose disk is full.

These are not bugs: people get a sentence naming the file, and nothing is stored.
"""

import sqlite3
import subprocess
import sys
from contextlib import contextmanager

import pytest

from inspector.core.errors import WorkspaceError
from inspector.core.importers import import_file
from inspector.core.messages import error_text
from inspector.core.storage import storage_error
from inspector.core.workspace import Workspace
from tests.conftest import snapshot


@pytest.fixture(autouse=True)
def _short_wait(monkeypatch):
    monkeypatch.setattr("inspector.core.workspace.BUSY_TIMEOUT", 0.2)


@contextmanager
def held(ws: Workspace, how: str):
    """Another program (QGIS saving, another window) in a ``BEGIN {how}`` transaction on ``ws``.

    A process of its own: ADBC links its own SQLite, whose locks do not see those of Python's
    ``sqlite3`` in the same process.
    """
    code = (f"import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN {how}'); "
            "print('held', flush=True); sys.stdin.read()")
    other = subprocess.Popen([sys.executable, "-c", code, str(ws.path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline() == "held\n"
        yield
    finally:
        other.communicate("")


def test_a_workspace_held_by_another_program_is_said_to_be_in_use_not_foreign(workspace):
    with held(workspace, "EXCLUSIVE"), pytest.raises(WorkspaceError) as err:
        Workspace.open(workspace.path)
    assert err.value.code == "workspace_busy"
    assert workspace.path.name in error_text(err.value, lambda s: s)


@pytest.mark.parametrize("kind", ["venues", "scans"])  # a sqlite3 transaction, and ADBC's bulk one
def test_an_import_into_a_workspace_another_program_is_writing_changes_nothing(venue_workspace, tmp_path, kind):
    path = tmp_path / "in.csv"
    path.write_text({"venues": "venue_id,name,lat,lon\nB1,Chợ mới,16.45,107.56\n",
                     "scans": "timestamp,venue_id,phone\n2021-08-02 07:00:00,V1,0901234567\n"}[kind], encoding="utf-8")
    before = snapshot(venue_workspace)
    with held(venue_workspace, "IMMEDIATE"), pytest.raises(WorkspaceError) as err:
        import_file(venue_workspace, kind, path)
    assert err.value.code == "workspace_busy"
    assert snapshot(venue_workspace) == before
    assert import_file(venue_workspace, kind, path).rows_accepted == 1  # once it is free, the same file goes in


def test_a_read_only_or_full_workspace_is_said_so(workspace):
    readonly = sqlite3.connect(f"file:{workspace.path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as wrote:
        readonly.execute("CREATE TABLE t (x)")
    readonly.close()
    full = sqlite3.connect(workspace.path, isolation_level=None)
    pages = full.execute("PRAGMA page_count").fetchone()[0]
    full.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.Error) as grew:
        full.execute("CREATE TABLE t AS SELECT zeroblob(1000000) AS x")
    full.close()
    assert storage_error(wrote.value, workspace.path).code == "workspace_readonly"
    assert storage_error(grew.value, workspace.path).code == "workspace_full"
    assert storage_error(sqlite3.IntegrityError("UNIQUE constraint failed"), workspace.path) is None  # a bug
    assert storage_error(ValueError("database is locked"), workspace.path) is None
