import csv

import pandas as pd
import pytest

from inspector.core.errors import Cancelled, InputError
from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary, write_rejections
from inspector.core.workspace import Workspace
from tests.conftest import TIMESTAMPS, cp1258_form, refused, snapshot

SCANS = """\
timestamp,venue_id,phone,role,lat,lon
2021-08-02 07:00:00,V1,0901234567,visitor,16.44501,107.55502
2021-08-02 07:05:00,V1,+84 90 123 4568,visitor,16.44499,107.55498
02/08/2021 07:06,V1,0901234567,staff,,
2021-08-02T00:30:00Z,V2,0977000001,nhân viên,16.4451,107.5751
2021-08-02T07:45:00+07:00,V2,0977000002,Nhân viên,16.4449,107.5749
2021-08-03 09:00:00,V1,0901234567,visitor,95.0,107.5
not a time,V1,0901234567,visitor,,
2021-08-03 09:05:00,V404,0901234567,visitor,,
2021-08-03 09:06:00,V2,,visitor,,
"""
RAW_PHONES = ["0901234567", "84901234568", "901234568", "0977000001", "0977000002"]


@pytest.fixture
def scans_file(tmp_path):
    path = tmp_path / "scans.csv"
    path.write_text(SCANS, encoding="utf-8")
    return path


def test_scans_become_daily_aggregates(venue_workspace, scans_file):
    result = import_file(venue_workspace, "scans", scans_file)
    assert (result.rows_total, result.rows_accepted, result.rows_rejected) == (9, 6, 3)
    assert result.warnings == {"gps_dropped": 1}
    daily = venue_workspace.query("SELECT * FROM scan_daily ORDER BY venue_id, day").set_index(["venue_id", "day"])
    v1 = daily.loc[("V1", "2021-08-02")]
    assert (v1.scans, v1.staff_scans, v1.persons, v1.staff_persons, v1.gps_scans) == (3, 1, 2, 1, 2)
    assert (v1.near_scans, v1.far_scans, v1.jump_scans) == (2, 0, 0)
    v2 = daily.loc[("V2", "2021-08-02")]  # 00:30Z is 07:30 in Huế; both roles read as staff
    assert (v2.scans, v2.staff_scans, v2.persons) == (2, 2, 2)
    assert daily.loc[("V1", "2021-08-03")].gps_scans == 0
    positions = venue_workspace.query("SELECT * FROM scan_positions").set_index("venue_id")
    assert positions.loc["V1", "scans"] == 4 and positions.loc["V1", "days"] == 2


def test_venue_days_are_stored_by_venue_then_day_each_with_its_own_figures(venue_workspace, tmp_path):
    """Days are aggregated one at a time and put in order at the end: the order and each row's figures hold."""
    lines = ["timestamp,venue_id,phone"]
    for day in (6, 2, 5, 3, 4):  # days and venues out of order in the file
        for venue in (3, 1, 4, 2):
            lines += [f"2021-08-{day:02d} 08:{k % 60:02d}:00,V{venue},09{venue}{day}{k:06d}"
                      for k in range(10 * venue + day)]
    path = tmp_path / "s.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(venue_workspace, "scans", path)
    stored = venue_workspace.query("SELECT venue_id, day, scans, persons FROM scan_daily ORDER BY fid")
    assert list(stored.itertuples(index=False, name=None)) == [
        (f"V{venue}", f"2021-08-{day:02d}", 10 * venue + day, 10 * venue + day)
        for venue in (1, 2, 3, 4) for day in (2, 3, 4, 5, 6)]


def test_rejected_scans_are_listed_with_lines_and_no_phone_number(venue_workspace, scans_file):
    result = import_file(venue_workspace, "scans", scans_file)
    reasons = dict(zip(result.rejections["line"], result.rejections["reason"], strict=True))
    assert reasons == {8: "invalid_timestamp", 9: "unknown_venue", 10: "missing_value"}
    path = write_rejections(result, translator("en"))
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows[0]["message"] == "timestamp: “not a time” is not a date and time in a known format"
    assert rows[1]["message"] == "venue “V404” is not in the registry"
    assert rows[2]["message"] == "phone is empty"
    assert len(rows[0]["phone"]) == 16  # a pseudonym, not the number
    for raw in RAW_PHONES:
        assert raw not in text


def test_no_phone_number_is_written_into_the_workspace(venue_workspace, scans_file):
    import_file(venue_workspace, "scans", scans_file)
    blob = venue_workspace.path.read_bytes()
    for raw in RAW_PHONES:
        assert raw.encode() not in blob


def test_same_person_in_another_format_is_one_person(venue_workspace, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("time,venue_id,phone\n2021-08-02 07:00,V1,0901234567\n2021-08-02 08:00,V1,+84901234567\n"
                    "2021-08-02 09:00,V1,090 123 4567\n", encoding="utf-8")
    import_file(venue_workspace, "scans", path)
    row = venue_workspace.query("SELECT scans, persons FROM scan_daily").iloc[0]
    assert (row.scans, row.persons) == (3, 1)


def test_reimport_adds_nothing_and_overlapping_days_are_replaced(venue_workspace, scans_file, tmp_path):
    first = import_file(venue_workspace, "scans", scans_file)
    assert first.counts.added == 3
    before = snapshot(venue_workspace)
    assert import_file(venue_workspace, "scans", scans_file).already_imported_at is not None
    assert snapshot(venue_workspace) == before
    later = tmp_path / "later.csv"
    later.write_text("timestamp,venue_id,phone\n2021-08-03 08:00:00,V1,0901234567\n"  # spans the 09:00 scan
                     "2021-08-03 11:00:00,V1,0901234599\n2021-08-04 10:00:00,V1,0901234567\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", later)
    assert (result.counts.added, result.counts.updated) == (1, 1)
    assert result.warnings["days_replaced"] == 1
    assert venue_workspace.info()["period"] == ("2021-08-02", "2021-08-04")


def test_parquet_gives_the_same_aggregates_as_csv(tmp_path, venue_workspace, scans_file):
    frame = pd.read_csv(scans_file, dtype=str)
    parquet = tmp_path / "scans.parquet"
    frame.to_parquet(parquet)
    result = import_file(venue_workspace, "scans", parquet)
    assert result.rows_accepted == 6 and result.unit == "record"
    assert sorted(result.rejections["line"]) == [7, 8, 9]  # record numbers, no header
    daily = venue_workspace.query("SELECT venue_id, day, scans, persons FROM scan_daily ORDER BY 1, 2")
    assert daily.values.tolist() == [["V1", "2021-08-02", 3, 2], ["V1", "2021-08-03", 1, 1],
                                     ["V2", "2021-08-02", 2, 2]]


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258", "utf-8-sig"])
def test_scan_logs_in_other_encodings(venue_workspace, tmp_path, encoding):
    path = tmp_path / "s.csv"
    text = "thời gian\tmã cơ sở\tsố điện thoại\tvai trò\n2021-08-02 07:00:00\tV1\t0901234567\tkhách\n"
    path.write_bytes((cp1258_form(text) if encoding == "cp1258" else text).encode(encoding))
    result = import_file(venue_workspace, "scans", path)
    assert result.rows_accepted == 1, result.rejections


def test_malformed_lines_are_rejected_with_their_line_numbers(venue_workspace, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "timestamp,venue_id,phone\n"
        "2021-08-02 07:00:00,V1,0901\n"
        "2021-08-02 07:01:00,V1,0902,extra,cells\n"
        "2021-08-02 07:02:00,V1,0903\n"
        "bad,V1,0904\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    reasons = dict(zip(result.rejections["line"], result.rejections["reason"], strict=True))
    assert reasons == {3: "bad_csv_row", 5: "invalid_timestamp"}
    assert result.rows_accepted == 2


def test_scans_need_a_venue_registry(workspace, scans_file):
    err = refused(workspace, "scans", scans_file)
    assert err.code == "no_venues" and "scans.csv" in str(err)


def test_missing_columns_and_wrong_formats(venue_workspace, tmp_path):
    before = snapshot(venue_workspace)
    path = tmp_path / "s.csv"
    path.write_text("timestamp,venue_id\n2021-08-02 07:00:00,V1\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_file(venue_workspace, "scans", path)
    assert err.value.code == "missing_column" and "person" in str(err.value)
    xlsx = tmp_path / "s.xlsx"
    xlsx.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(InputError) as err:
        import_file(venue_workspace, "scans", xlsx)
    assert err.value.code == "unsupported_format_for"
    assert str(err.value).endswith("scan logs are read from CSV or Parquet.")
    assert snapshot(venue_workspace) == before


def test_cancel_leaves_workspace_unchanged(venue_workspace, scans_file):
    before = snapshot(venue_workspace)

    def cancel(done, total):
        if done >= 90:
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_file(venue_workspace, "scans", scans_file, progress=cancel)
    assert snapshot(Workspace.open(venue_workspace.path)) == before


def _daily(workspace):
    return workspace.query("SELECT venue_id, day, scans, persons, staff_persons, gps_scans, near_scans, far_scans "
                           "FROM scan_daily ORDER BY venue_id, day").values.tolist()


def _scan_rows(count, *, odd_every):
    """``count`` scans at V1 and V2 by 7 people; every ``odd_every``-th row (if any) written untidily."""
    rows = []
    for i in range(count):
        venue, phone, lat = ("V1", f"09012345{i % 7:02d}", "16.44500") if i % 2 else ("V2", f"09770000{i % 7:02d}",
                                                                                       "16.44500")
        lon = "107.55500" if venue == "V1" else "107.57500"
        if odd_every and i % odd_every == 0:
            venue, phone, lat = f" {venue} ", f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}", lat.replace(".", ",")
        rows.append(f"2021-08-02 {7 + i % 10:02d}:{i % 60:02d}:00;{venue};{phone};visitor;{lat};{lon}")
    return "timestamp;venue_id;phone;role;lat;lon\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize("odd_every", [1, 2, 97])
def test_untidy_cells_in_few_or_most_rows_give_the_same_figures(tmp_path, venue_workspace, wards_file, venues_file,
                                                                 odd_every):
    """Padded venue ids, spaced and +84 phone numbers, decimal commas: read alike, however many."""
    tidy = tmp_path / "tidy.csv"
    tidy.write_text(_scan_rows(400, odd_every=0), encoding="utf-8")
    untidy = tmp_path / "untidy.csv"
    untidy.write_text(_scan_rows(400, odd_every=odd_every), encoding="utf-8")
    other = Workspace.create(tmp_path / "other.gpkg")
    import_file(other, "boundaries", wards_file)
    import_file(other, "venues", venues_file)
    assert import_file(venue_workspace, "scans", tidy).rows_accepted == 400
    result = import_file(other, "scans", untidy)
    assert (result.rows_accepted, result.rows_rejected) == (400, 0)
    assert _daily(other) == _daily(venue_workspace)
    assert _daily(other)[0][3] == 7  # seven people, whichever way their numbers were written


def test_blank_lines_are_skipped_and_line_numbers_stay_true(venue_workspace, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("timestamp,venue_id,phone\n\n2021-08-02 07:00:00,V1,0901\n\n\n"
                    "2021-08-02 07:02:00,V9,0903\r\n2021-08-02 07:03:00,V1,\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_total, result.rows_accepted) == (3, 1)
    assert dict(zip(result.rejections["line"], result.rejections["reason"], strict=True)) == {
        6: "unknown_venue", 7: "missing_value"}


def test_old_mac_line_ends_and_ids_that_are_not_numbers(venue_workspace, tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"timestamp,venue_id,person\r2021-08-02 07:00:00,V1,A-17\r2021-08-02 07:01:00,V1,a17\r"
                     b"2021-08-02 07:02:00,V1,B-2\r")
    result = import_file(venue_workspace, "scans", path)
    assert result.rows_accepted == 3
    assert venue_workspace.query("SELECT scans, persons FROM scan_daily").values.tolist() == [[3, 3]]


def test_a_file_of_only_bad_rows_is_rejected_row_by_row(venue_workspace, tmp_path):
    before = snapshot(venue_workspace)
    path = tmp_path / "s.csv"
    path.write_text("timestamp,venue_id,phone\nyesterday,V1,0901\n2021-08-02 07:00:00,V404,0902\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_accepted, result.rows_rejected, result.counts.added) == (0, 2, 0)
    assert snapshot(venue_workspace)["scan_daily"] == before["scan_daily"]


def test_the_pass_over_the_file_reports_progress_and_stops_when_cancelled(venue_workspace, tmp_path, monkeypatch):
    from inspector.core.importers import scan_frame

    monkeypatch.setattr(scan_frame, "_BATCH", 10)
    path = tmp_path / "s.csv"
    path.write_text(_scan_rows(400, odd_every=0), encoding="utf-8")
    seen = []
    import_file(venue_workspace, "scans", path, progress=lambda done, total: seen.append(done))
    during = [d for d in seen if 2 < d < 60]
    assert len(during) >= 10 and during == sorted(during)  # it moves while the file is read
    before = snapshot(venue_workspace)
    other = path.with_name("other.csv")
    other.write_text(path.read_text().replace("2021-08-02", "2021-08-05"))
    calls = []

    def cancel(done, total):
        calls.append(done)
        if 10 < done < 60:
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_file(venue_workspace, "scans", other, progress=cancel)
    assert len(calls) < len(seen) / 2  # stopped in the pass, not after it
    assert snapshot(venue_workspace) == before


def _mixed_log(path, rows, unknown_every):
    lines = ["timestamp,venue_id,phone"]
    for i in range(rows):
        venue = "X404" if i % unknown_every == 0 else "V1"
        lines.append(f"2021-08-02 {7 + i % 10:02d}:{i % 60:02d}:{i % 59:02d},{venue},09{i:08d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_log_whose_venues_are_mostly_unknown_is_refused_early(venue_workspace, tmp_path, monkeypatch):
    from inspector.core.importers import scan_frame

    monkeypatch.setattr(scan_frame, "_BATCH", 4000)
    path = _mixed_log(tmp_path / "other-province.csv", 60_000, unknown_every=1)  # every venue unknown
    seen = []
    err = refused(venue_workspace, "scans", path, progress=lambda done, total: seen.append(done))
    assert err.code == "mostly_unusable"
    assert "other-province.csv" in str(err) and "line 2: venue “X404” is not in the registry" in str(err)
    assert max(seen) < 40  # it stopped in the pass, long before the end of the file
    assert not path.with_name(path.name + ".rejected.csv").exists()


def test_a_log_with_some_unknown_venues_is_imported_with_them_rejected(venue_workspace, tmp_path):
    path = _mixed_log(tmp_path / "scans.csv", 30_000, unknown_every=3)  # a third unknown
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_accepted, result.rows_rejected) == (20_000, 10_000)
    assert set(result.rejections["reason"]) == {"unknown_venue"}
    assert result.rejections["line"].iloc[0] == 2


@pytest.mark.parametrize("content", ["timestamp,venue_id,phone\n", "timestamp,venue_id,phone\n\n\n"])
def test_a_log_with_a_header_and_no_rows_is_refused(venue_workspace, tmp_path, content):
    path = tmp_path / "s.csv"
    path.write_text(content, encoding="utf-8")
    assert refused(venue_workspace, "scans", path).code == "no_rows"


def test_rows_in_a_second_timestamp_format_are_read_without_the_slow_retry(venue_workspace, tmp_path, monkeypatch):
    from inspector.core.importers import scan_frame

    retried = []
    monkeypatch.setattr(scan_frame, "parse_local", lambda values: retried.append(len(values)))
    path = tmp_path / "s.csv"
    rows = [f"2021-08-02 07:{i:02d}:00,V1,09012345{i:02d}" if i % 2 else f"02/08/2021 07:{i:02d}:00,V1,09012345{i:02d}"
            for i in range(60)]
    path.write_text("timestamp,venue_id,phone\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_accepted, result.rows_rejected, retried) == (60, 0, [])
    daily = venue_workspace.query("SELECT day, scans, persons FROM scan_daily")
    assert daily.values.tolist() == [["2021-08-02", 60, 60]]


def test_a_file_with_part_of_a_day_says_the_day_shrank(venue_workspace, scans_file, tmp_path):
    import_file(venue_workspace, "scans", scans_file)
    morning = tmp_path / "morning.csv"  # 2021-08-02 had 5 scans from 07:00 to 07:45; this file brings two
    morning.write_text("timestamp,venue_id,phone\n2021-08-02 07:00:00,V1,0901234567\n"
                       "2021-08-02 07:05:00,V1,0901234568\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", morning)
    assert result.warnings == {"days_replaced": 1, "days_shrunk": 1}
    headline, warnings = summary(result, translator("en"), "en")
    assert headline == ("morning.csv: 2 scans read, 2 accepted, 0 rejected "
                        "(venue-days: 0 added, 1 updated, 0 unchanged).")
    assert any("fewer scans than before" in line for line in warnings)


@pytest.mark.parametrize("text", list(TIMESTAMPS))
def test_scans_read_every_accepted_timestamp_format_as_reports_do(venue_workspace, tmp_path, monkeypatch, text):
    """The fast path (a sample decides the format) and the retry give what parse_local gives."""
    import polars as pl

    from inspector.core.importers import scan_frame
    from inspector.core.importers.scan_times import time_expr
    from inspector.core.io.timestamps import parse_local

    local = pd.Timestamp(TIMESTAMPS[text])
    assert parse_local(pd.Series([text]))[0] == local
    sample = pl.DataFrame({"t": [text] * 3})
    for every_format in (False, True):
        seconds = sample.select(time_expr(sample, "t", every_format=every_format)).item(0, 0)
        assert pd.Timestamp(seconds, unit="s") == local, every_format
    retried = []
    monkeypatch.setattr(scan_frame, "parse_local", lambda values: retried.append(len(values)))
    path = tmp_path / "s.csv"  # a whole file in this format: read in the fast pass
    path.write_text("timestamp,venue_id,phone\n" + "".join(f'"{text}",V1,090123450{i}\n' for i in range(3)),
                    encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_accepted, result.rows_rejected, retried) == (3, 0, [])
    assert venue_workspace.query("SELECT day FROM scan_daily").values.tolist() == [[local.strftime("%Y-%m-%d")]]


def test_an_empty_scan_time_is_said_to_be_empty(venue_workspace, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("timestamp,venue_id,phone\n2021-08-02 07:00:00,V1,0901234567\n ,V1,0901234568\n"
                    ",V1,0901234569\nsoon,V1,0901234560\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    rows = list(csv.DictReader(write_rejections(result, translator("en")).read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["line"], r["reason code"], r["message"]) for r in rows] == [
        ("3", "missing_value", "timestamp is empty"), ("4", "missing_value", "timestamp is empty"),
        ("5", "invalid_timestamp", "timestamp: “soon” is not a date and time in a known format")]


def test_lines_longer_than_the_header_show_the_cells_read_but_no_phone_number(venue_workspace, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Thời gian quét,venue_id,phone,role,note\n"
                    "2021-08-02 07:00:00,V1,0901234567,visitor,\n"
                    "2021-08-02 07:01:00,V1,0902 345 678,visitor,a,0911222333\n"
                    "2021-08-02 07:02:00,V,1,0903456789,visitor,x\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_accepted, result.unused_columns) == (1, ["note"])
    text = write_rejections(result, translator("en")).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert [r["line"] for r in rows] == ["3", "4"]
    too_long = "the line has 6 cells but the header has 5 columns; is a separator inside a cell that is not in quotes?"
    assert [r["message"] for r in rows] == [too_long, too_long]
    assert (rows[0]["Thời gian quét"], rows[0]["venue_id"], rows[0]["role"]) == ("2021-08-02 07:01:00", "V1", "visitor")
    assert len(rows[0]["phone"]) == len(rows[1]["role"]) == 16  # pseudonyms, also of a number shifted to "role"
    assert "note" not in rows[0]  # a column not read is not shown
    for raw in ("0902 345 678", "0902345678", "0903456789", "0911222333"):
        assert raw not in text
