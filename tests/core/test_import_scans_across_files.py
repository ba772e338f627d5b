"""Scan logs across files: a log cut into parts or split by district, and venue ids a spreadsheet wrote without
their zeros."""

import pandas as pd
import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary, write_rejections
from inspector.core.importers.outcome import calls_for_attention
from inspector.core.workspace import Workspace
from tests.conftest import refused


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
    assert result.warnings["scan_id_as_registered"] == 2  # 123 and 000456
    assert result.examples["scan_id_as_registered"] == ["123 → 000123", "000456 → 456"]


@pytest.mark.parametrize("loose_rows", [3, 300])
def test_scan_ids_written_in_another_case_are_counted_for_the_venue_and_told(venue_workspace, tmp_path, loose_rows):
    """A few (read again) or most of the rows (the whole pass folds case): each counted, the import says so."""
    rows = [f"2021-08-02 07:{i % 60:02d}:{i // 60:02d},{'v1' if i < loose_rows else 'V2'},09{i:08d}"
            for i in range(400)]
    rows.append("2021-08-02 09:00:00,v9,0911111111")  # no venue in any case
    scans = tmp_path / "s.csv"
    scans.write_text("timestamp,venue_id,phone\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", scans)
    assert (result.rows_accepted, result.rows_rejected) == (400, 1)
    assert result.warnings == {"scan_id_as_registered": loose_rows}
    assert result.examples["scan_id_as_registered"] == ["v1 → V1"]
    daily = venue_workspace.query("SELECT venue_id, scans FROM scan_daily ORDER BY venue_id")
    assert daily.values.tolist() == [["V1", loose_rows], ["V2", 400 - loose_rows]]
    lines = summary(result, translator("en"), "en")[1]
    assert f"{loose_rows} × scan's venue id written as a registered venue's but for upper and lower case or " \
           "leading zeros: counted for that venue (for example v1 → V1)" in lines


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


def _district_logs(tmp_path):
    """The same two days for venues V1, V2 (one district) and V3, V4 (another), from 07:00 on: two files."""
    files = {}
    for name, venues, per_day in (("d1", ("V1", "V2"), 30), ("d2", ("V3", "V4"), 8)):
        rows = [f"2021-08-0{day} {7 + i // 60:02d}:{i % 60:02d}:00,{venues[i % 2]},0901{day}{i:05d}"
                for day in (2, 3) for i in range(per_day)]
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text("timestamp,venue_id,phone\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return files


def test_a_log_split_by_district_adds_the_second_district_without_a_warning(venue_workspace, tmp_path):
    """District 2's file has fewer scans a day than district 1's, but replaces none of its venue-days."""
    files = _district_logs(tmp_path)
    import_file(venue_workspace, "scans", files["d1"])
    second = import_file(venue_workspace, "scans", files["d2"])
    assert second.warnings == {} and (second.counts.added, second.counts.updated) == (4, 0)
    assert not calls_for_attention(second)
    daily = venue_workspace.query("SELECT venue_id, sum(scans) AS scans FROM scan_daily GROUP BY venue_id")
    assert daily.values.tolist() == [["V1", 30], ["V2", 30], ["V3", 8], ["V4", 8]]
    again = tmp_path / "d1-morning.csv"  # district 1's first hour of the 2nd only: its own venue-days shrink
    again.write_text("\n".join(files["d1"].read_text(encoding="utf-8").splitlines()[:11]) + "\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", again)
    assert result.warnings == {"days_replaced": 2, "days_shrunk": 1}


def test_a_later_part_of_one_district_s_day_continues_it_though_another_district_covers_those_hours(
        venue_workspace, tmp_path):
    """Only the files behind the venue-days a file brings again decide whether it continues them."""
    files = _district_logs(tmp_path)
    rows = files["d1"].read_text(encoding="utf-8").splitlines()
    late = tmp_path / "d1-evening.csv"
    late.write_text(rows[0] + "\n2021-08-02 20:00:00,V1,0909999999\n", encoding="utf-8")
    wide = tmp_path / "d2-all-day.csv"  # district 2 from morning to night: its hours span the evening part
    wide.write_text("timestamp,venue_id,phone\n2021-08-02 06:00:00,V3,0908000001\n"
                    "2021-08-02 23:00:00,V4,0908000002\n", encoding="utf-8")
    for name in (files["d1"], wide):
        import_file(venue_workspace, "scans", name)
    result = import_file(venue_workspace, "scans", late)
    assert result.warnings == {"days_continued": 1}
    assert venue_workspace.query("SELECT scans FROM scan_daily WHERE venue_id = 'V1' AND day = '2021-08-02'"
                                 ).iloc[0, 0] == 16


def _one_day(tmp_path, odd_venue="V1", odd_second="00"):
    """A day's log of 40 scans at V1; every tenth (4 in all) at ``odd_venue`` and second ``odd_second`` instead."""
    log = tmp_path / "log.csv"
    log.write_text("timestamp,venue_id,phone\n" + "".join(
        f"2021-08-02 {8 + i // 10}:{i % 10:02d}:{odd_second if i % 10 == 3 else '00'},"
        f"{odd_venue if i % 10 == 3 else 'V1'},09010{i:05d}\n" for i in range(40)), encoding="utf-8")
    return log


def test_rejected_scans_of_a_venue_registered_since_come_back_without_a_warning(workspace, venues_file, tmp_path):
    """Rows of a venue missing from the registry, imported again once it is there, add its venue-days."""
    venues = venues_file.read_text(encoding="utf-8").splitlines()
    partial_registry = tmp_path / "partial.csv"
    partial_registry.write_text("\n".join(venues[:4]) + "\n", encoding="utf-8")  # V4 not yet registered
    import_file(workspace, "venues", partial_registry)
    log = _one_day(tmp_path, odd_venue="V4")
    first = import_file(workspace, "scans", log)
    assert (first.rows_accepted, first.rows_rejected) == (36, 4)
    back = write_rejections(first, translator("en"))
    import_file(workspace, "venues", venues_file)
    result = import_file(workspace, "scans", back)
    assert result.rows_accepted == 4 and result.warnings == {} and result.counts.added == 1
    daily = workspace.query("SELECT venue_id, scans FROM scan_daily ORDER BY venue_id").values.tolist()
    assert daily == [["V1", 36], ["V4", 4]]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_rejected_scans_corrected_are_refused_where_they_would_replace_whole_venue_days(venue_workspace, tmp_path,
                                                                                       lang):
    """Corrected rows alone would put a few scans in the place of a venue-day's: correct the log itself instead."""
    log = _one_day(tmp_path, odd_second="xx")
    first = import_file(venue_workspace, "scans", log)
    assert (first.rows_accepted, first.rows_rejected) == (36, 4)
    back = write_rejections(first, translator(lang))
    back.write_text(back.read_text(encoding="utf-8-sig").replace(":xx", ":30"), encoding="utf-8-sig")
    error = refused(venue_workspace, "scans", back)
    assert error.code == "row_file_replaces" and error.params["original"] == "log.csv"
    assert str(error).startswith("log.csv.rejected.csv lists rows rejected from a scan log (log.csv): imported "
                                 "alone, its few scans would take the place of the figures of 1 venue-days")
    renamed = back.rename(tmp_path / "fixed.csv")
    assert refused(venue_workspace, "scans", renamed).code == "row_file_replaces_unnamed"
    log.write_text(log.read_text(encoding="utf-8").replace(":xx", ":30"), encoding="utf-8")  # corrected there
    assert import_file(venue_workspace, "scans", log).rows_accepted == 40
    assert venue_workspace.query("SELECT scans FROM scan_daily").values.tolist() == [[40]]
