"""A header of two lines, as a workbook with merged header cells saves it as CSV."""

import csv

import openpyxl

from inspector.core.importers import import_file

CSV = ("DANH SÁCH PHẢN ÁNH,,,,,\n"
       ",,,,,\n"
       "STT,Mã phản ánh,Thông tin phản ánh,,,Người phản ánh\n"
       ",,Nội dung phản ánh,Thời gian gửi,Tọa độ,SĐT\n"
       '1,HS-1,Không quét mã,13/08/2021 10:00,"16.44502, 107.57501",0905123456\n'
       '2,HS-2,Không có mã,14/08/2021 10:00,,0905123457\n')


def test_a_column_named_on_the_first_line_of_a_two_line_header_is_read(venue_workspace, tmp_path):
    path = tmp_path / "hue-s.csv"
    path.write_text(CSV, encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert result.columns["report_id"] == "Mã phản ánh"
    assert result.unused_columns == ["STT", "SĐT"]
    ids = venue_workspace.query("SELECT report_id FROM citizen_reports ORDER BY report_id")["report_id"]
    assert ids.tolist() == ["HS-1", "HS-2"]


def test_the_workbook_and_its_csv_copy_are_read_alike(venue_workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(CSV.splitlines()):
        sheet.append([c or None for c in row])
    for cells in ("A3:A4", "B3:B4", "C3:E3"):
        sheet.merge_cells(cells)
    book.save(tmp_path / "hue-s.xlsx")
    assert import_file(venue_workspace, "reports", tmp_path / "hue-s.xlsx").counts.added == 2
    (tmp_path / "hue-s.csv").write_text(CSV, encoding="utf-8")
    again = import_file(venue_workspace, "reports", tmp_path / "hue-s.csv")
    assert (again.counts.added, again.counts.unchanged) == (0, 2)


def test_a_title_line_above_the_header_names_no_column(workspace, tmp_path):
    path = tmp_path / "venues.csv"
    path.write_text("Danh sách cơ sở phường Đông Ba,,,\n"
                    ",Mã cơ sở,Tên cơ sở,Tọa độ\n"
                    ',V1,Quán A,"16.445, 107.555"\n', encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 1 and result.unused_columns == []
