import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pyogrio
import pytest

from inspector.core import schema
from inspector.core.errors import WorkspaceError
from inspector.core.importers import import_file
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
    current = schema.SCHEMA_VERSION

    def add_column(conn):
        steps.append(current)
        conn.execute("ALTER TABLE venues ADD COLUMN board_size TEXT")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(schema.MIGRATIONS, current, add_column)
    Workspace.open(ws.path)
    assert steps == [current]
    assert ws.meta("schema_version") == str(current + 1)
    assert "board_size" in ws.query("SELECT * FROM venues").columns
    assert "workspace_migrated" in set(ws.query("SELECT action FROM audit_log")["action"])
    Workspace.open(ws.path)  # already current: nothing runs twice
    assert steps == [current]


def test_a_version_1_workspace_is_upgraded_and_keeps_its_data(tmp_path):
    """tests/data/workspace-v1.gpkg was written by schema version 1 (two venues, three scans)."""
    path = tmp_path / "old.gpkg"
    shutil.copy(Path(__file__).parents[1] / "data" / "workspace-v1.gpkg", path)
    ws = Workspace.open(path)
    assert ws.meta("schema_version") == str(schema.SCHEMA_VERSION)
    daily = ws.query("SELECT venue_id, day, scans, persons, staff_persons FROM scan_daily ORDER BY venue_id")
    assert daily.values.tolist() == [["V1", "2021-08-02", 2, 2, 1], ["V2", "2021-08-03", 1, 1, 0]]
    positions = ws.query("SELECT venue_id, days, scans, near_scans FROM scan_positions ORDER BY venue_id")
    assert positions.values.tolist() == [["V1", 1, 2, 2], ["V2", 1, 1, 1]]
    hashes = ws.query("SELECT file_hash FROM import_log")["file_hash"]
    assert all(h.startswith("sha256:") and len(h) == 7 + 64 for h in hashes)
    with ws.connect() as conn:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'scan_daily'").fetchone()[0]
        assert "AUTOINCREMENT" not in sql and "UNIQUE (venue_id, day)" in sql
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    layers = dict(pyogrio.list_layers(path))
    assert layers["venues"] == "Point" and "scan_positions" in layers and "scan_daily" in layers
    new = tmp_path / "more.csv"  # and it takes new data like a new workspace
    new.write_text("timestamp,venue_id,phone\n2021-08-04 08:00:00,V1,0901234567\n", encoding="utf-8")
    assert import_file(ws, "scans", new).counts.added == 1
    assert ws.query("SELECT days FROM scan_positions WHERE venue_id = 'V1'").iloc[0, 0] == 2


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
