import datetime as dt

import openpyxl
import pandas as pd
import pytest

from inspector.core.errors import InputError
from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary
from tests.conftest import TIMESTAMPS, snapshot

REPORTS = """\
Mã phản ánh,Thời gian,Mã cơ sở,Vĩ độ,Kinh độ,Loại vi phạm,Nội dung
R1,13/08/2021 10:00,V1,,,Không có mã QR,Quán không dán mã QR
R2,14/08/2021 11:00,,16.44502,107.57501,Không yêu cầu khách quét mã,Ở UBND Phường Tây Lộc không ai quét
R3,14/08/2021 12:00,,16.46501,107.55498,Sai vị trí,mã dán ở chỗ khác
R4,15/08/2021 09:00,,,,Khác,Không rõ địa điểm
R5,ngày mai,V1,,,Khác,x
R1,13/08/2021 10:00,V1,,,Không có mã QR,lặp lại
R6,16/08/2021 09:00,V2,200,107.5,Khác,x
"""


@pytest.fixture
def reports_file(tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text(REPORTS, encoding="utf-8")
    return path


def test_reports_match_venues_by_id_name_or_position(venue_workspace, reports_file):
    result = import_file(venue_workspace, "reports", reports_file)
    assert (result.rows_total, result.rows_accepted) == (7, 4)
    reasons = dict(zip(result.rejections["line"], result.rejections["reason"], strict=True))
    assert reasons == {6: "invalid_timestamp", 7: "duplicate_id", 8: "coordinate_out_of_range"}
    assert result.warnings == {"report_unmatched": 1}
    reports = venue_workspace.query("SELECT * FROM citizen_reports").set_index("report_id")
    assert reports.loc["R1", ["venue_id", "matched_by", "kind"]].tolist() == ["V1", "id", "no_board"]
    assert reports.loc["R2", ["venue_id", "matched_by", "kind"]].tolist() == ["V2", "name_nearby", "not_scanning"]
    assert reports.loc["R3", ["venue_id", "matched_by", "kind"]].tolist() == ["V3", "location", "wrong_location"]
    assert pd.isna(reports.loc["R4", "venue_id"]) and reports.loc["R4", "matched_by"] == "none"
    assert reports.loc["R1", "reported_at"] == "2021-08-13T03:00:00.000Z"  # 10:00 in Huế, stored in UTC


def test_a_reports_position_in_one_cell_matches_the_venue_there(venue_workspace, tmp_path):
    path = tmp_path / "hue-s.csv"
    path.write_text('Thời gian,Vị trí GPS,Nội dung\n'
                    '14/08/2021 11:00,"16.44502, 107.57501",Ở UBND Phường Tây Lộc không ai quét\n'
                    '14/08/2021 12:00,"16°27\'54""N 107°33\'18""E",mã dán ở chỗ khác\n'
                    '14/08/2021 13:00,16.465,x\n', encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert result.rows_accepted == 2 and result.columns["position"] == "Vị trí GPS"
    assert result.rejections[["line", "field", "reason"]].values.tolist() == [[4, "Vị trí GPS", "half_position"]]
    matched = venue_workspace.query("SELECT venue_id FROM citizen_reports ORDER BY reported_at")["venue_id"]
    assert matched.tolist() == ["V2", "V3"]


def test_reports_from_excel_without_ids_are_idempotent(venue_workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phản ánh"
    sheet.append(["Thời gian", "Mã cơ sở", "Nội dung"])
    sheet.append(["2021-08-13 10:00:00", "V1", "Không có mã"])
    sheet.append(["2021-08-13 11:00:00", "V2", "Nhân viên không quét"])
    book.save(tmp_path / "r.xlsx")
    first = import_file(venue_workspace, "reports", tmp_path / "r.xlsx")
    assert first.counts.added == 2
    sheet.append(["2021-08-14 08:00:00", "V3", "Mới"])
    book.save(tmp_path / "r2.xlsx")
    second = import_file(venue_workspace, "reports", tmp_path / "r2.xlsx")
    assert (second.counts.added, second.counts.unchanged) == (1, 2)


def test_reports_need_a_time_column(venue_workspace, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Mã cơ sở,Nội dung\nV1,x\n", encoding="utf-8")
    before = snapshot(venue_workspace)
    with pytest.raises(InputError) as err:
        import_file(venue_workspace, "reports", path)
    assert err.value.code == "missing_column"
    assert snapshot(venue_workspace) == before


def test_reports_without_ids_are_the_same_from_csv_and_from_date_cells(venue_workspace, tmp_path):
    """The derived id hashes the parsed time, venue, position and text, not how the file wrote them."""
    csv_file = tmp_path / "r.csv"
    csv_file.write_text("Thời gian,Mã cơ sở,Vĩ độ,Kinh độ,Nội dung\n"
                        "02/08/2021 07:17,V1,,,\"Mã QR bị mờ,  quét không được.\"\n"
                        "03/08/2021 08:03,,16.4650,107.5550,Nhân viên không yêu cầu quét mã\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(["Thời gian", "Mã cơ sở", "Vĩ độ", "Kinh độ", "Nội dung"])
    book.active.append([dt.datetime(2021, 8, 2, 7, 17), "V1", None, None, "MÃ QR BỊ MỜ, quét không được."])
    book.active.append([dt.datetime(2021, 8, 3, 8, 3), None, 16.465, 107.555, "Nhân viên không yêu cầu quét mã"])
    book.save(tmp_path / "r.xlsx")
    assert import_file(venue_workspace, "reports", csv_file).counts.added == 2
    again = import_file(venue_workspace, "reports", tmp_path / "r.xlsx")
    assert (again.counts.added, again.counts.updated, again.counts.unchanged) == (0, 1, 1)  # the text's case
    assert venue_workspace.query("SELECT count(*) FROM citizen_reports").iloc[0, 0] == 2


def test_reports_with_half_a_position_swapped_coordinates_or_an_unknown_venue(venue_workspace, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "Mã phản ánh,Thời gian,Mã cơ sở,Vĩ độ,Kinh độ,Nội dung\n"
        "R1,13/08/2021 10:00,,107.5550,16.4450,tọa độ bị đảo\n"
        "R2,13/08/2021 10:00,,16.4450,,chỉ có vĩ độ\n"
        "R3,13/08/2021 10:00,,,107.5550,chỉ có kinh độ\n"
        "R4,13/08/2021 10:00,V999,,,mã cơ sở lạ\n"
        "R5,,V1,,,không có thời gian\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    rejected = result.rejections.set_index("line")[["field", "reason"]].to_dict("index")
    assert rejected == {
        2: {"field": "Vĩ độ", "reason": "coordinates_swapped"},
        3: {"field": "Kinh độ", "reason": "missing_value"},
        4: {"field": "Vĩ độ", "reason": "missing_value"},
        6: {"field": "Thời gian", "reason": "missing_value"},
    }
    assert result.warnings == {"report_unmatched": 1, "report_unknown_venue": 1}
    assert result.notes[["line", "reason"]].values.tolist() == [[5, "report_unmatched"], [5, "report_unknown_venue"]]
    with venue_workspace.connect() as conn:
        row = conn.execute("SELECT venue_id, given_venue_id, matched_by FROM citizen_reports WHERE report_id = 'R4'")
        assert row.fetchone() == (None, "V999", "unknown_id")
    fixed = tmp_path / "fixed.csv"
    fixed.write_text("Mã phản ánh,Thời gian,Vĩ độ,Kinh độ\nR1,13/08/2021 10:00,107.5550,16.4450\n", encoding="utf-8")
    assert import_file(venue_workspace, "reports", fixed, fix_swapped=True).warnings == {"swapped_fixed": 1}
    row = venue_workspace.query("SELECT lat, lon, venue_id, matched_by FROM citizen_reports WHERE report_id = 'R1'")
    assert row.values.tolist() == [[16.445, 107.555, "V1", "location"]]


@pytest.mark.parametrize("text", list(TIMESTAMPS))
def test_reports_read_every_accepted_timestamp_format(venue_workspace, tmp_path, text):
    path = tmp_path / "r.csv"
    path.write_text(f'Thời gian,Mã cơ sở\n"{text}",V1\n', encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert result.rows_accepted == 1, result.rejections
    stored = venue_workspace.query("SELECT reported_at FROM citizen_reports").iloc[0, 0]
    local = pd.Timestamp(stored).tz_convert("Asia/Ho_Chi_Minh").strftime("%Y-%m-%d %H:%M")
    assert local == TIMESTAMPS[text]


def test_variant_headings_give_the_kind_and_the_description_keeps_its_line_breaks(venue_workspace, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(("Mã phản ánh,Ngày phản ánh,Mã cơ sở,Hành vi vi phạm,Nội dung phản ánh\r\n"
                      'PH1,13/08/2021 08:15,V1,Không có mã QR,"Quán không  treo mã QR.  \r\n\r\n\r\n'
                      'Nhân viên\rkhông nhắc khách\r\n"\r\n').encode())
    result = import_file(venue_workspace, "reports", path)
    assert result.rows_accepted == 1 and result.unused_columns == []
    row = venue_workspace.query("SELECT kind, description FROM citizen_reports").iloc[0]
    assert row["kind"] == "no_board"
    assert row["description"] == "Quán không treo mã QR.\n\nNhân viên\nkhông nhắc khách"


def test_derived_ids_do_not_depend_on_line_breaks(venue_workspace, tmp_path):
    """Reports imported before descriptions kept their line breaks keep their ids."""
    lines = tmp_path / "lines.csv"
    lines.write_text('Thời gian,Mã cơ sở,Nội dung\n13/08/2021 10:00,V1,"Không có mã.\nNhân viên không nhắc"\n',
                     encoding="utf-8")
    one_line = tmp_path / "one_line.csv"
    one_line.write_text("Thời gian,Mã cơ sở,Nội dung\n13/08/2021 10:00,V1,Không có mã. Nhân viên không nhắc\n",
                        encoding="utf-8")
    assert import_file(venue_workspace, "reports", one_line).counts.added == 1
    again = import_file(venue_workspace, "reports", lines)
    assert (again.counts.added, again.counts.updated) == (0, 1)
    assert venue_workspace.query("SELECT description FROM citizen_reports").iloc[0, 0] == (
        "Không có mã.\nNhân viên không nhắc")


def test_a_report_dated_outside_the_plausible_years_is_rejected(venue_workspace, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text(REPORTS.replace("15/08/2021 09:00", "31/12/1969 10:00"), encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    row = result.rejections.set_index("line").loc[5]
    assert (row["reason"], row["field"]) == ("implausible_timestamp", "Thời gian")
    assert result.rows_accepted == 3


@pytest.mark.parametrize("first", ["with ids", "without ids"])
def test_the_same_reports_exported_with_and_without_their_ids_are_stored_once(venue_workspace, tmp_path, first):
    rows = [line for line in REPORTS.splitlines() if not line.startswith("R5,") and not line.endswith("lặp lại")]
    with_ids = tmp_path / "with.csv"
    with_ids.write_text("\n".join(rows) + "\n", encoding="utf-8")
    without = tmp_path / "without.csv"
    without.write_text("\n".join(line.split(",", 1)[1] for line in rows) + "\n", encoding="utf-8")
    files = [with_ids, without] if first == "with ids" else [without, with_ids]
    results = [import_file(venue_workspace, "reports", path) for path in files]
    stored = venue_workspace.query("SELECT report_id FROM citizen_reports ORDER BY report_id")["report_id"].tolist()
    assert stored == ["R1", "R2", "R3", "R4", "R6"][:len(stored)] and len(stored) == results[0].rows_accepted
    assert results[1].counts.added == 0
    assert (results[1].counts.updated if first == "without ids" else results[1].counts.unchanged) == len(stored)


def test_a_date_and_a_time_of_day_in_two_columns_make_the_report_time(venue_workspace, tmp_path):
    path = tmp_path / "reports.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ngày phản ánh", "Giờ", "Mã cơ sở", "Nội dung"])
    sheet.append([dt.datetime(2021, 8, 3), dt.time(14, 30), "V1", "không quét mã"])
    sheet.append([dt.datetime(2021, 8, 4), 0.25, "V1", "giờ là phân số của ngày"])
    sheet.append([dt.datetime(2021, 8, 5), "chiều", "V1", "giờ không đọc được"])
    sheet.append([dt.time(9, 0), None, "V1", "chỉ có giờ"])
    for day, written in ((6, "14h30"), (7, "8 giờ 15"), (8, "2:30 CH"), (9, "9:05 AM")):
        sheet.append([dt.datetime(2021, 8, day), written, "V1", f"giờ viết {written}"])
    book.save(path)
    result = import_file(venue_workspace, "reports", path)
    stored = venue_workspace.query("SELECT reported_at FROM citizen_reports ORDER BY reported_at")["reported_at"]
    assert stored.tolist() == ["2021-08-03T07:30:00.000Z", "2021-08-03T23:00:00.000Z",  # 14:30 and 06:00 local
                               "2021-08-04T17:00:00.000Z",  # "chiều": its date kept, at 00:00, with a warning
                               "2021-08-06T07:30:00.000Z", "2021-08-07T01:15:00.000Z", "2021-08-08T07:30:00.000Z",
                               "2021-08-09T02:05:00.000Z"]
    reasons = result.rejections.set_index("line")[["field", "reason"]].to_dict("index")
    assert reasons == {5: {"field": "Ngày phản ánh", "reason": "time_without_date"}}
    assert result.notes.set_index("line").loc[4, "reason"] == "time_of_day_unread"
    assert "Giờ" not in result.unused_columns


def test_reports_stored_at_midnight_before_their_time_column_was_read_are_updated_not_doubled(venue_workspace,
                                                                                          tmp_path):
    dated = tmp_path / "dated.csv"  # as an earlier version read a file with a separate time: the date only
    dated.write_text("Ngày phản ánh,Mã cơ sở,Nội dung\n13/08/2021,V1,không quét mã\n14/08/2021,V2,không mã QR\n",
                     encoding="utf-8")
    import_file(venue_workspace, "reports", dated)
    timed = tmp_path / "timed.csv"
    timed.write_text("Ngày phản ánh,Giờ,Mã cơ sở,Nội dung\n13/08/2021,14:30,V1,không quét mã\n"
                     "14/08/2021,08:00,V2,không mã QR\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", timed)
    assert (result.counts.added, result.counts.updated) == (0, 2)
    stored = venue_workspace.query("SELECT reported_at FROM citizen_reports ORDER BY reported_at")["reported_at"]
    assert stored.tolist() == ["2021-08-13T07:30:00.000Z", "2021-08-14T01:00:00.000Z"]


def test_a_report_stored_twice_by_an_earlier_version_is_merged_without_negative_counts(venue_workspace, tmp_path):
    from inspector.core.importers.reports import _derived_ids

    first = tmp_path / "first.csv"
    first.write_text("Mã phản ánh,Thời gian,Mã cơ sở,Nội dung\nR1,13/08/2021 10:00,V1,không quét mã\n",
                     encoding="utf-8")
    import_file(venue_workspace, "reports", first)
    content = _derived_ids(pd.Series([pd.Timestamp("2021-08-13 10:00")]), pd.Series(["V1"]),
                           pd.Series([float("nan")]), pd.Series([float("nan")]), pd.Series(["không quét mã"]))[0]
    with venue_workspace.transaction() as conn:  # the copy an export without ids left before they were matched
        conn.execute("INSERT INTO citizen_reports (report_id, reported_at, venue_id, given_venue_id, description) "
                     "SELECT ?, reported_at, venue_id, given_venue_id, description FROM citizen_reports", (content,))
    again = tmp_path / "again.csv"
    again.write_text(first.read_text(encoding="utf-8") + "R2,14/08/2021 09:00,V2,không mã QR\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", again)
    assert (result.counts.added, result.counts.updated, result.counts.unchanged) == (1, 0, 1)
    assert venue_workspace.query("SELECT report_id FROM citizen_reports ORDER BY 1")["report_id"].tolist() == [
        "R1", "R2"]


def test_a_report_dated_on_no_real_day_is_rejected_saying_so(venue_workspace, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Thời gian,Mã cơ sở,Nội dung\n31/02/2021 10:00,V1,a\n08/15/2021 10:00,V1,b\n"
                    "15/8/2021 14h30,V1,c\nhôm qua,V1,d\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert result.rows_accepted == 1
    assert result.rejections[["line", "reason"]].values.tolist() == [
        [2, "timestamp_impossible"], [3, "timestamp_impossible"], [5, "invalid_timestamp"]]
    english = summary(result, translator("en"), "en")[1]
    assert any("“31/02/2021 10:00” is no real day (dates are read day first: DD/MM/YYYY)" in line for line in english)
