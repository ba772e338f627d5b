import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from inspector.core import schema
from inspector.core.errors import WorkspaceError
from inspector.core.importers import import_file
from inspector.core.signals import assess
from inspector.core.workspace import Workspace
from tests.conftest import gdal_validation, snapshot


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


def test_gdal_validator_finds_a_broken_geopackage(tmp_path):
    """The validator the GDAL checks rely on does run here, and says what is wrong."""
    ws = Workspace.create(tmp_path / "w.gpkg")
    if gdal_validation(ws.path) is None:
        pytest.skip("GDAL's GeoPackage validator (python3-gdal) is not installed")
    assert gdal_validation(ws.path) == ""
    with sqlite3.connect(ws.path) as conn:
        conn.execute("UPDATE gpkg_contents SET srs_id = 3857 WHERE table_name = 'venues'")
    assert gdal_validation(ws.path).startswith("GPKGCheckException: Req 7: foreign_key_check failed")


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


FEATURE_COUNT = "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'venues'"
DATETIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"  # GeoPackage: UTC with milliseconds


def _old_workspace(tmp_path, version):
    """A copy of tests/data/workspace-vN.gpkg, written by the code of schema version N.

    v1: two venues, three scans. v2: the same plus V1's registration day and two reports, R1 at
    03:30 and R2 at 07:38 on 2021-08-02, local time (stored as local text by version 2). v3: v2 as
    version 3 upgraded it (scan days without the jumps' centre).
    """
    path = tmp_path / f"old-v{version}.gpkg"
    shutil.copy(Path(__file__).parents[1] / "data" / f"workspace-v{version}.gpkg", path)
    return path


def _read_as_gdal_does(path):
    """Every table and layer through GDAL: pyogrio (warnings are errors) and ogrinfo (no warnings).

    And the whole file through GDAL's GeoPackage validator (every requirement of the standard, warnings
    as errors), where it is installed.
    """
    assert gdal_validation(path) in ("", None)
    frames = {}
    for layer, _ in pyogrio.list_layers(path):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            frames[layer] = pyogrio.read_dataframe(path, layer=layer)
        if shutil.which("ogrinfo"):
            out = subprocess.run(["ogrinfo", "-ro", "-al", "-q", str(path), layer],
                                 capture_output=True, text=True, check=True)
            assert "Warning" not in out.stderr and "ERROR" not in out.stderr, (layer, out.stderr)
    return frames


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_older_workspace_is_upgraded_and_keeps_its_data(tmp_path, version):
    path = _old_workspace(tmp_path, version)
    ws = Workspace.open(path)
    assert ws.meta("schema_version") == str(schema.SCHEMA_VERSION)
    daily = ws.query("SELECT venue_id, day, scans, persons, staff_persons FROM scan_daily ORDER BY venue_id")
    assert daily.values.tolist() == [["V1", "2021-08-02", 2, 2, 1], ["V2", "2021-08-03", 1, 1, 0]]
    positions = ws.query("SELECT venue_id, days, scans, near_scans FROM scan_positions ORDER BY venue_id")
    assert positions.values.tolist() == [["V1", 1, 2, 2], ["V2", 1, 1, 1]]
    hashes = ws.query("SELECT file_hash FROM import_log")["file_hash"]
    assert all(h.split(":")[0] in ("sha256", "blake3") and len(h.split(":")[1]) == 64 for h in hashes)
    with ws.connect() as conn:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'scan_daily'").fetchone()[0]
        assert "AUTOINCREMENT" not in sql and "UNIQUE (venue_id, day)" in sql
        columns = [row[1] for row in conn.execute("PRAGMA table_info(scan_daily)")]
        assert columns[-2:] == ["jump_lat", "jump_lon"]  # unknown for days imported before: NULL
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute(FEATURE_COUNT).fetchone() == (2,)
    # every moment in GeoPackage DATETIME form, and the exact UTC instant kept
    log = ws.query("SELECT started_at, finished_at FROM import_log UNION ALL SELECT at, at FROM audit_log")
    assert log.stack().str.fullmatch(DATETIME).all()
    assert ws.query("SELECT at FROM audit_log ORDER BY fid LIMIT 1").iloc[0, 0] == (
        "2026-11-29T05:03:37.000Z" if version == 1 else "2026-11-29T08:56:17.000Z")
    if version == 2:
        with ws.connect() as conn:
            venues = conn.execute("SELECT venue_id, registered_on FROM venues ORDER BY venue_id").fetchall()
            reports = conn.execute("SELECT report_id, reported_at FROM citizen_reports ORDER BY report_id").fetchall()
        assert venues == [("V1", "2021-07-15"), ("V2", None)]
        assert reports == [("R1", "2021-08-01T20:30:00.000Z"), ("R2", "2021-08-02T00:38:00.000Z")]
    assert "given_venue_id" in ws.query("SELECT * FROM citizen_reports").columns
    frames = _read_as_gdal_does(path)
    assert str(frames["venues"]["registered_on"].dtype).startswith("datetime64")  # a DATE column
    assert {"scan_positions", "scan_daily", "citizen_reports"} <= set(frames)
    new = tmp_path / "more.csv"  # and it takes new data like a new workspace
    new.write_text("timestamp,venue_id,phone\n2021-08-04 08:00:00,V1,0901234567\n", encoding="utf-8")
    assert import_file(ws, "scans", new).counts.added == 1
    assert ws.query("SELECT days FROM scan_positions WHERE venue_id = 'V1'").iloc[0, 0] == 2
    venue = tmp_path / "v.csv"  # the rebuilt venues layer keeps its R-tree and feature count up to date
    venue.write_text("venue_id,name,lat,lon,registered_on\nV9,Mới,16.47,107.60,02/08/2021\n", encoding="utf-8")
    assert import_file(ws, "venues", venue).counts.added == 1
    with ws.connect() as conn:
        assert conn.execute("SELECT count(*) FROM rtree_venues_geom").fetchone() == (3,)
        assert conn.execute(FEATURE_COUNT).fetchone() == (3,)
    assert ws.query("SELECT registered_on FROM venues WHERE venue_id = 'V9'").iloc[0, 0] == "2021-08-02"
    _read_as_gdal_does(path)


def test_a_migrated_report_counts_on_its_local_day(tmp_path):
    """R1 was made at 03:30 on 2 August in Huế: 20:30 on 1 August in UTC."""
    ws = Workspace.open(_old_workspace(tmp_path, 2))
    signals = assess(ws, (dt.date(2021, 8, 2), dt.date(2021, 8, 3))).signals
    reported = signals[signals["signal"] == "citizen_reports"].set_index("venue_id")
    assert reported.loc["V1", "since"] == "2021-08-02"
    assert reported.loc["V1", "evidence"]["reports"] == 1


def test_a_new_workspace_is_conformant_for_gdal(venue_workspace, tmp_path):
    reports = tmp_path / "r.csv"
    reports.write_text("reported_at,venue_id\n2021-08-02 03:30,V1\n", encoding="utf-8")
    scans = tmp_path / "s.csv"
    scans.write_text("timestamp,venue_id,phone\n2021-08-02 08:00:00,V1,0901234567\n", encoding="utf-8")
    before = dict(venue_workspace.query("SELECT table_name, last_change FROM gpkg_contents").values)
    import_file(venue_workspace, "reports", reports)
    import_file(venue_workspace, "scans", scans)
    again = import_file(venue_workspace, "reports", reports).already_imported_at  # told in local time
    stored = venue_workspace.query("SELECT finished_at FROM import_log WHERE kind = 'reports'").iloc[0, 0]
    assert again == (pd.Timestamp(stored) + pd.Timedelta(hours=7)).strftime("%Y-%m-%d %H:%M")
    after = dict(venue_workspace.query("SELECT table_name, last_change FROM gpkg_contents").values)
    changed = {t for t in after if after[t] != before[t]}
    assert {"citizen_reports", "scan_daily", "scan_positions", "import_log", "audit_log"} <= changed
    assert "admin_units" not in changed and "venues" not in changed
    frames = _read_as_gdal_does(venue_workspace.path)
    assert frames["citizen_reports"]["reported_at"].tolist() == [pd.Timestamp("2021-08-01 20:30:00", tz="UTC")]
    assert str(frames["venues"]["registered_on"].dtype).startswith("datetime64")


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


def test_arrow_reads_a_column_whose_first_thousand_values_are_null(workspace):
    with workspace.transaction() as conn:
        conn.executemany("INSERT INTO scan_daily (venue_id, day, scans, staff_scans, persons, staff_persons, "
                         "gps_scans, near_scans, far_scans, far_dist_m, jump_scans) "
                         "VALUES (?, '2021-08-02', 1, 0, 1, 0, 1, 1, 0, ?, 0)",
                         [(f"V{i:05d}", None if i < 1500 else 250.0) for i in range(2000)])
    table = workspace.arrow("SELECT venue_id, far_dist_m FROM scan_daily ORDER BY venue_id")
    assert table.num_rows == 2000 and table.column("far_dist_m").to_pylist()[-1] == 250.0


def test_a_connection_to_a_removed_workspace_creates_no_empty_file(tmp_path):
    ws = Workspace.create(tmp_path / "w.gpkg")
    ws.path.unlink()
    with pytest.raises(WorkspaceError):
        ws.connect()
    assert not ws.path.exists()


def test_version_4_gives_unit_codes_their_canonical_form(venue_workspace):
    """Codes a file gave with extra zeros ("019000") are the codes imports now read ("19000")."""
    with venue_workspace.connect() as conn:  # back to how version 3 stored such a file
        conn.execute("ALTER TABLE scan_daily DROP COLUMN jump_lat")
        conn.execute("ALTER TABLE scan_daily DROP COLUMN jump_lon")
        for column in ("given_venue_name", "given_address", "given_ward", "given_district"):
            conn.execute(f"ALTER TABLE citizen_reports DROP COLUMN {column}")
        conn.execute("UPDATE workspace_meta SET value = '3' WHERE key = 'schema_version'")
        conn.execute("UPDATE admin_units SET code = '0' || code WHERE level = 'ward'")
        conn.execute("UPDATE admin_units SET parent_code = '0' || parent_code WHERE level = 'ward'")
        conn.execute("UPDATE admin_units SET code = '0' || code WHERE level = 'district'")
        conn.execute("UPDATE venues SET ward_code = '0' || ward_code, declared_ward_code = '0' || declared_ward_code")
        before = conn.execute("SELECT code FROM admin_units ORDER BY code").fetchall()
    ws = Workspace.open(venue_workspace.path)
    units = ws.query("SELECT code, level, parent_code FROM admin_units ORDER BY code")
    assert all(len(c) == {"ward": 5, "district": 3, "province": 2}[lv] for c, lv in zip(units.code, units.level,
                                                                                        strict=True))
    assert set(units.parent_code.dropna()) <= set(units.code) and len(units) == len(before)
    venues = ws.query("SELECT ward_code, declared_ward_code FROM venues")
    assert set(venues.ward_code.dropna()) <= set(units.code)
    assert not venues.declared_ward_code.dropna().str.startswith("0").any()


def test_version_5_keeps_the_venue_name_and_address_a_report_gave(venue_workspace):
    with venue_workspace.connect() as conn:  # back to version 4
        conn.execute("INSERT INTO citizen_reports (report_id, description) VALUES ('R1', 'Không có mã QR')")
        for column in ("given_venue_name", "given_address", "given_ward", "given_district"):
            conn.execute(f"ALTER TABLE citizen_reports DROP COLUMN {column}")
        conn.execute("UPDATE workspace_meta SET value = '4' WHERE key = 'schema_version'")
    ws = Workspace.open(venue_workspace.path)
    reports = ws.query("SELECT report_id, description, given_venue_name, given_address FROM citizen_reports")
    assert reports.values.tolist() == [["R1", "Không có mã QR", None, None]]
    assert ws.query("SELECT value FROM workspace_meta WHERE key = 'schema_version'")["value"].tolist() == ["6"]


def test_version_6_keeps_the_ward_and_district_a_report_gave(venue_workspace):
    with venue_workspace.connect() as conn:  # back to version 5
        conn.execute("INSERT INTO citizen_reports (report_id, description) VALUES ('R1', 'Không có mã QR')")
        conn.execute("ALTER TABLE citizen_reports DROP COLUMN given_ward")
        conn.execute("ALTER TABLE citizen_reports DROP COLUMN given_district")
        conn.execute("UPDATE workspace_meta SET value = '5' WHERE key = 'schema_version'")
    ws = Workspace.open(venue_workspace.path)
    reports = ws.query("SELECT report_id, given_ward, given_district FROM citizen_reports")
    assert reports.values.tolist() == [["R1", None, None]]
    assert ws.meta("schema_version") == "6"
