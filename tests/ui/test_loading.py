"""The window's background jobs as plain functions (no window needed)."""

import pytest

from inspector.core.errors import Cancelled
from inspector.ui.loading import import_into


def _venues(path, venue_id):
    path.write_text(f"venue_id,name,lat,lon\n{venue_id},Quán {venue_id},16.45,107.55\n", encoding="utf-8")
    return path


def test_a_cancel_keeps_the_files_imported_before_it(workspace, tmp_path):
    first, second = _venues(tmp_path / "a.csv", "A"), _venues(tmp_path / "b.csv", "B")

    def progress(done, total):  # the second half of the job is the second file
        if done > total // 2:
            raise Cancelled

    done = import_into(workspace.path, "venues", [first, second], lang="en", progress=progress)
    assert [d.file.name for d in done] == ["a.csv", "b.csv"]
    assert done[0].result.rows_accepted == 1
    assert done[1].cancelled
    assert done[1].refused == "Cancelled while importing b.csv; the files before it were imported."
    assert set(workspace.read_layer("venues")["venue_id"]) == {"A"}


def test_a_cancel_before_anything_was_imported_is_a_cancel(workspace, tmp_path):
    def progress(done, total):
        raise Cancelled

    with pytest.raises(Cancelled):
        import_into(workspace.path, "venues", [_venues(tmp_path / "a.csv", "A"), _venues(tmp_path / "b.csv", "B")],
                    lang="en", progress=progress)
    assert workspace.read_layer("venues").empty


def test_several_files_report_progress_through_each_file(workspace, tmp_path):
    seen = []
    import_into(workspace.path, "venues", [_venues(tmp_path / "a.csv", "A"), _venues(tmp_path / "b.csv", "B")],
                lang="en", progress=lambda done, total: seen.append(100 * done // total))
    assert seen[-1] == 100 and any(0 < p < 50 for p in seen) and any(50 < p < 100 for p in seen)


def test_a_bug_on_a_later_file_is_said_and_the_files_before_stay(workspace, tmp_path, monkeypatch):
    from inspector.core.importers import venues

    calls = []
    real = venues.run

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ZeroDivisionError
        return real(*args, **kwargs)

    monkeypatch.setattr(venues, "run", flaky)
    done = import_into(workspace.path, "venues", [_venues(tmp_path / "a.csv", "A"), _venues(tmp_path / "b.csv", "B"),
                                                 _venues(tmp_path / "c.csv", "C")], lang="en")
    assert done[0].result and "unexpected error (ZeroDivisionError)" in done[1].refused and done[2].result
    assert set(workspace.read_layer("venues")["venue_id"]) == {"A", "C"}


def test_the_window_s_imports_can_be_undone(workspace, tmp_path):
    from inspector.ui.loading import undo_import, undo_offered

    import_into(workspace.path, "venues", [_venues(tmp_path / "a.csv", "A"), _venues(tmp_path / "b.csv", "B")],
                lang="en")
    assert undo_offered(workspace.path).files == ("a.csv", "b.csv")
    assert undo_import(workspace.path).files == ("a.csv", "b.csv")
    assert workspace.read_layer("venues").empty and undo_offered(workspace.path) is None


def test_an_import_goes_on_without_undo_when_no_copy_can_be_kept(workspace, tmp_path, monkeypatch):
    from inspector.core import paths
    from inspector.ui.loading import undo_offered

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(blocked / "cache"))
    done = import_into(workspace.path, "venues", [_venues(tmp_path / "a.csv", "A")], lang="en")
    assert done[0].result.rows_accepted == 1 and undo_offered(workspace.path) is None
    assert not (paths.data_dir() / "error.log").exists()


def test_before_any_scan_log_the_table_leaves_scans_a_day_blank_not_zero(venue_workspace, tmp_path):
    """The map's legend says "no scan data yet"; the table said 0.0 scans a day for every venue."""
    from inspector.core.importers import import_file
    from inspector.ui.language import Language
    from inspector.ui.loading import load_view
    from inspector.ui.venue_table import COLUMNS, VenueTableModel

    column = next(i for i, (name, _) in enumerate(COLUMNS) if name == "scans_per_day")
    model = VenueTableModel(Language("vi"))
    view = load_view(venue_workspace.path, lang="vi", metric="scans_per_1000_per_day")
    model.set_frame(view.table)
    assert [model.index(r, column).data() for r in range(model.rowCount())] == ["", "", "", ""]
    assert '"spd":[null,null,null,null]' in view.page  # and the map's popups say "–", not 0.0
    log = tmp_path / "scans.csv"
    log.write_text("timestamp,venue_id,phone\n2021-08-02 07:00:00,V1,0901234567\n", encoding="utf-8")
    import_file(venue_workspace, "scans", log)
    model.set_frame(load_view(venue_workspace.path, lang="vi", metric="scans_per_1000_per_day").table)
    assert sorted(model.index(r, column).data() for r in range(model.rowCount())) == ["0,0", "0,0", "0,0", "1,0"]


def test_before_any_scan_log_a_venues_popup_says_its_scans_are_unknown(qtbot, settings, venue_workspace):
    from inspector.ui.language import Language
    from inspector.ui.main_window import MainWindow
    from tests.ui.conftest import run_js

    settings.setValue("last_workspace", str(venue_workspace.path))
    win = MainWindow(settings, Language("en"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.map.ready, timeout=60_000):
        win.start()
    qtbot.waitUntil(lambda: win.job is None and win.view is not None, timeout=60_000)
    win.map.select_venue("V1")
    popup = "(document.querySelector('.leaflet-popup') || {}).innerText || ''"
    qtbot.waitUntil(lambda: "Quán cà phê Hoa Sen" in run_js(qtbot, win.map, popup), timeout=10_000)
    text = run_js(qtbot, win.map, popup)
    assert "Scans per day\t–" in text or "Scans per day\n–" in text, text
