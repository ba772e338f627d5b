import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pyogrio
import pytest

from inspector.core import schema
from inspector.core.errors import WorkspaceError
from inspector.core.workspace import Workspace
from tests.conftest import snapshot


def test_new_workspace_is_a_geopackage_gdal_reads(tmp_path):
    ws = Workspace.create(tmp_path / "w.gpkg")
    layers = dict(pyogrio.list_layers(ws.path))
    assert layers["admin_units"] == "MultiPolygon"
    assert layers["venues"] == "Point"
    for table in ("scan_daily", "scan_positions", "citizen_reports", "import_log", "audit_log"):
        assert table in layers
    info = ws.info()
    assert info["schema_version"] == schema.SCHEMA_VERSION
    assert info["counts"]["venues"] == 0
    assert info["period"] == (None, None)


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL command-line tools not installed")
def test_ogrinfo_lists_layers_without_errors(venue_workspace):
    out = subprocess.run(["ogrinfo", "-ro", "-so", str(venue_workspace.path), "venues"],
                         capture_output=True, text=True, check=True)
    assert "Feature Count: 4" in out.stdout
    assert "ERROR" not in out.stderr


def test_create_refuses_to_overwrite(tmp_path):
    Workspace.create(tmp_path / "w.gpkg")
    with pytest.raises(WorkspaceError) as err:
        Workspace.create(tmp_path / "w.gpkg")
    assert err.value.code == "workspace_exists"


def test_newer_schema_is_refused_with_a_clear_message(tmp_path):
    ws = Workspace.create(tmp_path / "w.gpkg")
    with sqlite3.connect(ws.path) as conn:
        conn.execute("UPDATE workspace_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(ws.path)
    assert err.value.code == "workspace_newer"
    assert "newer version" in str(err.value) and "99" in str(err.value)


def test_other_files_are_not_workspaces(tmp_path):
    plain = tmp_path / "plain.gpkg"
    plain.write_text("not a database")
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(plain)
    assert err.value.code == "not_a_workspace"
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(tmp_path / "missing.gpkg")
    assert err.value.code == "workspace_missing"


def test_older_schema_is_migrated(tmp_path, monkeypatch):
    ws = Workspace.create(tmp_path / "w.gpkg")
    steps = []

    def add_column(conn):
        steps.append(1)
        conn.execute("ALTER TABLE venues ADD COLUMN board_size TEXT")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 1, add_column)
    Workspace.open(ws.path)
    assert steps == [1]
    assert ws.meta("schema_version") == "2"
    assert "board_size" in ws.query("SELECT * FROM venues").columns
    assert "workspace_migrated" in set(ws.query("SELECT action FROM audit_log")["action"])
    Workspace.open(ws.path)  # already current: nothing runs twice
    assert steps == [1]


def test_failed_transaction_leaves_no_trace(venue_workspace):
    before = snapshot(venue_workspace)
    with pytest.raises(RuntimeError), venue_workspace.transaction() as conn:
        conn.execute("DELETE FROM venues")
        raise RuntimeError("boom")
    assert snapshot(venue_workspace) == before


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from inspector.core.importers import import_file
    from inspector.core.workspace import Workspace

    def die(done, total):
        if done >= {at}:
            os.kill(os.getpid(), signal.SIGKILL)

    import_file(Workspace.open(sys.argv[1]), sys.argv[2], sys.argv[3], progress=die)
""")


@pytest.mark.parametrize("kind,at", [("venues", 3), ("scans", 95)])
def test_import_killed_mid_transaction_leaves_workspace_as_before(venue_workspace, tmp_path, kind, at):
    """A real SIGKILL while the import's transaction is open (after rows were written)."""
    if kind == "venues":
        source = tmp_path / "more.csv"
        source.write_text("venue_id,name,lat,lon\nV9,Quán mới,16.445,107.556\n", encoding="utf-8")
    else:
        source = tmp_path / "scans.csv"
        source.write_text("timestamp,venue_id,phone\n2021-08-02 08:00:00,V1,0901234567\n", encoding="utf-8")
    before = snapshot(venue_workspace)
    proc = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT.format(at=at), str(venue_workspace.path), kind, str(source)],
        cwd=os.getcwd(), capture_output=True, text=True,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    reopened = Workspace.open(venue_workspace.path)
    assert snapshot(reopened) == before
