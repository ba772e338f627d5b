"""Report times as Vietnamese agencies write them in one cell (Hue-S exports, typed lists)."""

import openpyxl
import pytest

from inspector.core.importers import import_file

WRITTEN = {
    "15/8/2021 14h30": "2021-08-15T07:30:00.000Z",
    "17/8/2021 20h": "2021-08-17T13:00:00.000Z",
    "18/8/2021 9 giờ 15 phút": "2021-08-18T02:15:00.000Z",
    "14h30 ngày 15/8/2021": "2021-08-15T07:30:00.000Z",
    "ngày 15 tháng 8 năm 2021": "2021-08-14T17:00:00.000Z",  # midnight in Huế
    "lúc 9 giờ 15 phút, ngày 16 tháng 8 năm 2021": "2021-08-16T02:15:00.000Z",
    "Ngày 5/9/2021, 7h05": "2021-09-05T00:05:00.000Z",
}


@pytest.mark.parametrize("text", list(WRITTEN))
def test_a_date_with_a_spoken_time_of_day_in_one_cell_is_read(venue_workspace, tmp_path, text):
    path = tmp_path / "r.csv"
    path.write_text(f'Thời gian gửi,Mã cơ sở\n"{text}",V1\n', encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert result.rows_accepted == 1, result.rejections
    assert venue_workspace.query("SELECT reported_at FROM citizen_reports").iloc[0, 0] == WRITTEN[text]


@pytest.mark.parametrize("text, reason", [
    ("32/8/2021 14h30", "timestamp_impossible"), ("15/8/2021 25h", "invalid_timestamp"),
    ("15/8/2021 chiều", "invalid_timestamp"), ("ngày mai 14h30", "invalid_timestamp")])
def test_what_is_not_a_time_stays_rejected(venue_workspace, tmp_path, text, reason):
    """A date that is no day is said so; a real day with a time of day not read is an unknown format."""
    path = tmp_path / "r.csv"
    path.write_text(f'Thời gian gửi,Mã cơ sở\n"{text}",V1\n', encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert result.rejections["reason"].tolist() == [reason]


def test_a_hue_s_sheet_and_its_csv_copy_are_the_same_reports(venue_workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nội dung phản ánh", "Thời gian gửi", "Tọa độ"])
    rows = [["Không quét mã\nnhiều khách", "15/8/2021 14h30", "16.44502, 107.57501"],
            ["Không có mã QR", "ngày 16 tháng 8 năm 2021", ""]]
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "hue-s.xlsx")
    first = import_file(venue_workspace, "reports", tmp_path / "hue-s.xlsx")
    assert (first.rows_accepted, first.counts.added) == (2, 2)
    csv = "\n".join(",".join(f'"{c}"' for c in row) for row in [["Nội dung phản ánh", "Thời gian gửi", "Tọa độ"],
                                                               *rows])
    (tmp_path / "hue-s.csv").write_text(csv + "\n", encoding="utf-8")
    again = import_file(venue_workspace, "reports", tmp_path / "hue-s.csv")
    assert (again.rows_accepted, again.counts.added, again.counts.unchanged) == (2, 0, 2)


def test_an_excel_serial_in_a_csv_is_the_report_time(venue_workspace, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Thời gian gửi,Mã cơ sở\n44423.6041666667,V1\n44423,V1\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert result.rows_accepted == 2, result.rejections
    stored = venue_workspace.query("SELECT reported_at FROM citizen_reports ORDER BY reported_at")["reported_at"]
    assert stored.tolist() == ["2021-08-14T17:00:00.000Z", "2021-08-15T07:30:00.000Z"]  # 15/8/2021 00:00 and 14:30
