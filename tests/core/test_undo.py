"""Undoing the last import: the copy kept before it, when it is still valid, and putting it back."""

import json

import pytest

from inspector.core import undo
from inspector.core.errors import Cancelled, InputError, WorkspaceError
from inspector.core.importers import import_file
from inspector.core.messages import error_text
from inspector.core.workspace import Workspace
from tests.conftest import snapshot


def _scans(path, scans_per_day):
    """A scan log of venue V1 with ``scans_per_day`` scans on each of 2 and 3 August 2021."""
    rows = ["timestamp,venue_id,phone"] + [f"2021-08-0{day} 07:{i:02d}:00,V1,09012345{i:02d}"
                                           for day in (2, 3) for i in range(scans_per_day)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _imported(ws, kind, *files):
    """Import ``files`` as the window does: keep a copy first, settle it after."""
    pending = undo.keep(ws)
    results = []
    try:
        results = [import_file(ws, kind, file) for file in files]
    finally:
        kept = undo.settle(pending, kind, [f.name for f in files], {r.import_id for r in results if r.import_id})
    return kept


def _undone(before, after):
    """``after`` is ``before`` plus one ``import_undone`` entry in the audit trail."""
    *kept, entry = after["audit_log"]
    assert kept == before["audit_log"] and entry[3] == "import_undone"
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}
    return json.loads(entry[4])


@pytest.fixture
def scanned(venue_workspace, tmp_path):
    """The workspace with this month's log of V1 (10 scans a day) imported."""
    import_file(venue_workspace, "scans", _scans(tmp_path / "this-month.csv", 10))
    return venue_workspace


def test_undo_puts_back_the_days_a_wrong_log_replaced(scanned, tmp_path):
    before = snapshot(scanned)
    kept = _imported(scanned, "scans", _scans(tmp_path / "last-month.csv", 3))
    assert kept is not None and kept.files == ("last-month.csv",) and kept.kind == "scans"
    assert scanned.query("SELECT sum(scans) FROM scan_daily").iloc[0, 0] == 6  # its days replaced ours
    assert undo.check(scanned.path) == kept

    progress = []
    assert undo.restore(scanned.path, progress=lambda done, total: progress.append(done * 100 // total)) == kept
    assert _undone(before, snapshot(scanned)) == {"kind": "scans", "files": ["last-month.csv"],
                                                  "imported_at": kept.imported_at}
    assert progress[-1] == 100 and progress == sorted(progress)
    assert scanned.info()["scans"] == 20
    assert undo.check(scanned.path) is None  # one level: done is done
    assert import_file(scanned, "scans", tmp_path / "last-month.csv").rows_accepted == 6  # may come in again


def test_undo_of_several_files_puts_back_what_was_before_the_first(venue_workspace, tmp_path):
    before = snapshot(venue_workspace)
    kept = _imported(venue_workspace, "scans", _scans(tmp_path / "a.csv", 4), _scans(tmp_path / "b.csv", 5))
    assert kept.files == ("a.csv", "b.csv")
    undo.restore(venue_workspace.path)
    assert _undone(before, snapshot(venue_workspace))["files"] == ["a.csv", "b.csv"]


def test_an_import_that_changed_nothing_keeps_the_copy_from_before_the_last_one(scanned, tmp_path):
    before = snapshot(scanned)
    wrong = _scans(tmp_path / "last-month.csv", 3)
    kept = _imported(scanned, "scans", wrong)
    assert _imported(scanned, "scans", wrong) is None  # already imported
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError):  # refused
        _imported(scanned, "scans", empty)
    pending = undo.keep(scanned)  # cancelled: the window discards the copy it kept
    pending.discard()
    assert undo.check(scanned.path) == kept and not list(undo._folder().glob("*.pending.gpkg"))
    undo.restore(scanned.path)
    _undone(before, snapshot(scanned))


def test_a_write_since_the_import_makes_the_copy_stale(scanned, tmp_path):
    kept = _imported(scanned, "scans", _scans(tmp_path / "last-month.csv", 3))
    import_file(scanned, "scans", _scans(tmp_path / "other.csv", 7))  # the command line, meanwhile
    after = snapshot(scanned)
    stale = undo.check(scanned.path)
    assert stale.problem == "undo_stale" and not stale.valid and stale.files == kept.files
    assert undo.check(scanned.path) is None and not list(undo._folder().iterdir())  # dropped
    with pytest.raises(WorkspaceError) as err:
        undo.restore(scanned.path)
    assert err.value.code == "undo_unavailable"
    assert "last-month.csv" in error_text(stale.error(), lambda s: s)
    assert snapshot(scanned) == after


def test_another_program_writing_without_our_log_makes_the_copy_stale(scanned, tmp_path):
    _imported(scanned, "scans", _scans(tmp_path / "last-month.csv", 3))
    conn = scanned.connect()  # QGIS editing a venue: no entry in our logs
    conn.execute("UPDATE venues SET name = 'Quán mới' WHERE venue_id = 'V2'")
    conn.close()
    assert undo.check(scanned.path).problem == "undo_stale"


def test_a_copy_kept_while_another_import_slipped_in_is_not_offered(scanned, tmp_path):
    pending = undo.keep(scanned)
    other = import_file(scanned, "scans", _scans(tmp_path / "other.csv", 7))  # another window, meanwhile
    ours = import_file(scanned, "scans", _scans(tmp_path / "ours.csv", 3))
    assert undo.settle(pending, "scans", ["ours.csv"], {ours.import_id}) is None  # it would undo theirs too
    assert undo.check(scanned.path) is None and not list(undo._folder().iterdir())
    assert other.import_id != ours.import_id


@pytest.mark.parametrize("damage", ["deleted", "truncated", "altered"])
def test_a_missing_or_damaged_copy_changes_nothing_and_says_so(scanned, tmp_path, damage):
    _imported(scanned, "scans", _scans(tmp_path / "last-month.csv", 3))
    copy = next(undo._folder().glob("*.gpkg"))
    if damage == "deleted":
        copy.unlink()
    elif damage == "truncated":
        copy.write_bytes(copy.read_bytes()[:8192])
    else:  # same size, one byte changed: only its hash tells
        data = bytearray(copy.read_bytes())
        data[len(data) // 2] ^= 0xFF
        copy.write_bytes(bytes(data))
    after = snapshot(scanned)
    with pytest.raises(WorkspaceError) as err:
        undo.restore(scanned.path)
    assert err.value.code == "undo_damaged"
    assert error_text(err.value, lambda s: s).startswith("The import of last-month.csv cannot be undone: the copy")
    assert snapshot(scanned) == after
    assert undo.check(scanned.path) is None  # and not offered again


def test_a_restore_stopped_half_way_changes_nothing_and_can_be_done_again(scanned, tmp_path, monkeypatch):
    monkeypatch.setattr(undo, "STEP_PAGES", 4)  # many steps, so that it stops in the middle of writing
    before = snapshot(scanned)
    _imported(scanned, "scans", _scans(tmp_path / "last-month.csv", 3))
    after = snapshot(scanned)

    def progress(done, total):
        if done * 100 // total > 50:
            raise Cancelled

    with pytest.raises(Cancelled):
        undo.restore(scanned.path, progress=progress)
    assert snapshot(scanned) == after and undo.check(scanned.path).valid
    assert not list(undo._folder().glob("*.restoring.*"))
    undo.restore(scanned.path)
    _undone(before, snapshot(scanned))


def test_no_copy_is_kept_where_the_cache_cannot_be_written(scanned, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(blocked / "cache"))
    assert undo.keep(scanned) is None
    assert undo.check(scanned.path) is None


def test_no_copy_is_kept_where_it_would_fill_the_disk(scanned, monkeypatch):
    monkeypatch.setattr(undo.shutil, "disk_usage", lambda path: type("Usage", (), {"free": undo.SPARE_BYTES})())
    assert undo.keep(scanned) is None and not list(undo._folder().iterdir())


def test_a_copy_of_the_workspace_file_elsewhere_is_not_offered_the_undo(scanned, tmp_path):
    import shutil

    _imported(scanned, "scans", _scans(tmp_path / "last-month.csv", 3))
    twin = tmp_path / "twin.gpkg"
    shutil.copy(scanned.path, twin)  # the same workspace_id
    assert undo.check(twin) is None
    assert undo.check(scanned.path).valid  # and the original keeps it
    _imported(Workspace.open(twin), "scans", _scans(tmp_path / "other.csv", 4))  # an import into the copy
    assert undo.check(twin).files == ("other.csv",)
    assert undo.check(scanned.path).files == ("last-month.csv",)  # leaves the original's undo alone


def test_a_workspace_another_program_is_writing_is_not_restored_until_it_is_free(scanned, tmp_path, monkeypatch):
    from tests.core.test_workspace_storage import held

    monkeypatch.setattr("inspector.core.workspace.BUSY_TIMEOUT", 0.2)
    before = snapshot(scanned)
    _imported(scanned, "scans", _scans(tmp_path / "last-month.csv", 3))
    after = snapshot(scanned)
    with held(scanned, "IMMEDIATE"), pytest.raises(WorkspaceError) as err:
        undo.restore(scanned.path)
    assert err.value.code == "workspace_busy" and snapshot(scanned) == after
    undo.restore(scanned.path)
    _undone(before, snapshot(scanned))
