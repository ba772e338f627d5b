"""Scan logs across files: a log cut into parts, and venue ids a spreadsheet wrote without their zeros."""

import pandas as pd
import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary
from inspector.core.workspace import Workspace


def _log_in_parts(tmp_path, cut):
    """A two-day log of three venues, whole and cut after row ``cut`` into two files (by time)."""
    rows = ["timestamp,venue_id,phone,role,lat,lon"]
    for i in range(40):
        day, minute = 2 + i // 20, 7 * 60 + 20 * (i % 20)
        far = i % 3 == 0  # every third scan a kilometre away, so the far centre must be averaged
        rows.append(f"2021-08-0{day} {minute // 60:02d}:{minute % 60:02d}:00,V{1 + i % 2},09012345{i % 7:02d},"
                    f"{'staff' if i % 5 == 0 else 'visitor'},{16.455 if far else 16.44501},{107.55502}")
    files = {}
    for name, part in (("whole", rows[1:]), ("part1", rows[1:cut + 1]), ("part2", rows[cut + 1:])):
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text("\n".join([rows[0], *part]) + "\n", encoding="utf-8")
    return files


def _figures(workspace):
    return workspace.query("SELECT venue_id, day, scans, staff_scans, gps_scans, near_scans, far_scans, "
                           "round(far_lat, 5) AS far_lat, round(far_dist_m) AS far_dist_m, jump_scans "
                           "FROM scan_daily ORDER BY venue_id, day")


@pytest.mark.parametrize("order", [("part1", "part2"), ("part2", "part1")])
def test_a_log_cut_into_two_files_adds_up_to_the_whole(venues_file, wards_file, tmp_path, order):
    """Cut mid-day (as when a log is too long for one sheet), in either order: no scan is lost."""
    files = _log_in_parts(tmp_path, cut=27)
    results, spaces = [], {}
    for name, steps in (("whole", ["whole"]), ("parts", list(order))):
        workspace = Workspace.create(tmp_path / f"{name}.gpkg")
        import_file(workspace, "boundaries", wards_file)
        import_file(workspace, "venues", venues_file)
        results = [import_file(workspace, "scans", files[step]) for step in steps]
        spaces[name] = workspace
    assert results[1].warnings == {"days_continued": 1}
    assert results[1].counts.updated == 2  # V1 and V2 on the day that was cut
    pd.testing.assert_frame_equal(_figures(spaces["parts"]), _figures(spaces["whole"]))
    persons = spaces["parts"].query("SELECT sum(persons) FROM scan_daily").iloc[0, 0]
    assert persons >= spaces["whole"].query("SELECT sum(persons) FROM scan_daily").iloc[0, 0]
    summary_lines = summary(results[1], translator("en"), "en")[1]
    assert any("days continued by this file" in line for line in summary_lines)


def test_numeric_venue_ids_match_with_or_without_leading_zeros(workspace, tmp_path):
    """A spreadsheet drops leading zeros on one side or the other; an id written as is still wins."""
    venues = tmp_path / "v.csv"
    venues.write_text("venue_id,name,lat,lon\n000123,Padded,16.445,107.555\n456,Plain,16.445,107.575\n"
                      "0789,Zero,16.465,107.555\n789,No zero,16.465,107.575\n", encoding="utf-8")
    import_file(workspace, "venues", venues)
    scans = tmp_path / "s.csv"
    scans.write_text("timestamp,venue_id,phone\n" + "".join(
        f"2021-08-02 07:0{i}:00,{venue},090123456{i}\n"
        for i, venue in enumerate(["123", "000456", "0789", "789", "00789"])), encoding="utf-8")
    result = import_file(workspace, "scans", scans)
    assert (result.rows_accepted, result.rows_rejected) == (4, 1)  # 00789: 0789 or 789? neither
    assert result.rejections["reason"].tolist() == ["unknown_venue"]
    daily = workspace.query("SELECT venue_id, scans FROM scan_daily ORDER BY venue_id")
    assert daily.values.tolist() == [["000123", 1], ["0789", 1], ["456", 1], ["789", 1]]


def test_a_corrected_part_after_the_parts_were_added_up_replaces_and_warns(venues_file, wards_file, tmp_path):
    """The merged day remembers both parts' spans: a new edition of the first part overlaps it."""
    files = _log_in_parts(tmp_path, cut=27)
    corrected = tmp_path / "part1b.csv"
    corrected.write_text("\n".join(files["part1"].read_text(encoding="utf-8").splitlines()[:-1]) + "\n",
                         encoding="utf-8")
    workspace = Workspace.create(tmp_path / "w.gpkg")
    import_file(workspace, "boundaries", wards_file)
    import_file(workspace, "venues", venues_file)
    for name in ("part1", "part2"):
        import_file(workspace, "scans", files[name])
    result = import_file(workspace, "scans", corrected)
    assert "days_continued" not in result.warnings and result.warnings["days_shrunk"] == 1
    day = workspace.query("SELECT sum(scans) FROM scan_daily WHERE day = '2021-08-03'").iloc[0, 0]
    assert day == 6  # the corrected file's 7 rows of that day less the one dropped, not added to the rest
    assert "days_partly_replaced" not in result.warnings  # the day shrank: that warning says it all


def test_an_export_overlapping_only_part_of_an_earlier_one_says_hours_were_dropped(venues_file, wards_file, tmp_path):
    """A from the morning to noon, then B from mid-morning on: the day is B's, A's early scans are gone."""
    files = _log_in_parts(tmp_path, cut=27)
    rows = files["whole"].read_text(encoding="utf-8").splitlines()
    overlapping = {"a": rows[:27 + 1], "b": [rows[0], *rows[27 - 3 + 1:]], "redo": rows}
    for name, lines in overlapping.items():
        (tmp_path / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    workspace = Workspace.create(tmp_path / "w.gpkg")
    import_file(workspace, "boundaries", wards_file)
    import_file(workspace, "venues", venues_file)
    import_file(workspace, "scans", tmp_path / "a.csv")
    b = import_file(workspace, "scans", tmp_path / "b.csv")
    assert b.warnings.get("days_partly_replaced") == 1 and "days_continued" not in b.warnings
    lines = summary(b, translator("en"), "en")[1]
    assert any("no longer counted" in line for line in lines)
    redo = import_file(workspace, "scans", tmp_path / "redo.csv")  # covers every hour of b: nothing dropped
    assert "days_partly_replaced" not in redo.warnings


def test_a_cloned_board_is_placed_where_its_jumps_were_not_amid_the_usual_scatter(venue_workspace, tmp_path):
    """Phones near the venue scatter a few hundred metres; the copy 23 km away must not be averaged with them."""
    from inspector.core.signals import assess

    rows = ["timestamp,venue_id,phone,lat,lon"]
    for day in (2, 3):
        for i in range(10):
            rows.append(f"2021-08-0{day} 07:{i:02d}:00,V1,09010000{i:02d},16.4450,107.5550")  # at the venue
            rows.append(f"2021-08-0{day} 09:{i:02d}:00,V1,09020000{i:02d},16.4495,107.5550")  # 500 m off: far
        for i in range(4):  # the copy: within minutes of a scan at the venue, 23 km north
            rows.append(f"2021-08-0{day} 07:0{i}:30,V1,09030000{i:02d},16.6520,107.5550")
    path = tmp_path / "clone.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(venue_workspace, "scans", path)
    day = venue_workspace.query("SELECT jump_scans, jump_lat, far_lat FROM scan_daily WHERE venue_id = 'V1' "
                                "AND day = '2021-08-02'").iloc[0]
    assert day.jump_scans == 4 and day.jump_lat == pytest.approx(16.652, abs=1e-4)
    assert day.far_lat < 16.52  # the centre of every far scan is pulled towards the venue
    clone = assess(venue_workspace).signals.query("venue_id == 'V1' and signal == 'cloned_board'")
    assert clone.iloc[0]["evidence"]["second_place_km"] == pytest.approx(23.0, abs=0.3)
