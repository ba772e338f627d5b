"""How the venue and report importers read workbooks, CSV and GeoJSON as people make them."""

import csv
import datetime as dt
import json

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from inspector.core.i18n import translator
from inspector.core.importers import import_file, row_files, summary, write_rejections
from tests.conftest import refused

EN = translator("en")
HEADER = ["Mã cơ sở", "Tên cơ sở", "Phường/Xã", "Vĩ độ", "Kinh độ", "Ngày đăng ký"]


def venue_rows(prefix, n=3):
    return [[f"{prefix}{i}", f"Quán {prefix}{i}", "Phường Đông Ba", 16.445, 107.555, "2021-01-27"]
            for i in range(1, n + 1)]


def save(book, path):
    book.save(path)
    return path


def rejected_lines(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_workbook_data_sheet_is_the_first_visible_one_naming_the_columns(workspace, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Điền thông tin cơ sở vào trang “Cơ sở”"])
    stale = book.create_sheet("cũ")
    stale.sheet_state = "hidden"
    for row in [HEADER, *venue_rows("OLD")]:
        stale.append(row)
    data = book.create_sheet("Cơ sở")
    for row in [HEADER, *venue_rows("NEW", 4)]:
        data.append(row)
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert (result.rows_accepted, result.sheet) == (4, "Cơ sở")
    assert set(workspace.read_layer("venues")["venue_id"]) == {"NEW1", "NEW2", "NEW3", "NEW4"}
    assert summary(result, EN, "en")[1][0] == "Read from the sheet “Cơ sở”."


def test_workbook_without_a_data_sheet_names_the_sheet_it_looked_at(workspace, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Điền thông tin"])
    sheet = book.create_sheet("Cơ sở")
    sheet.append(["Mã cơ sở", "Tên cơ sở", "Vĩ độ"])
    sheet.append(["A1", "X", 16.4])
    err = refused(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert err.code == "missing_column_sheet"
    assert "v.xlsx, sheet “Cơ sở”" in str(err) and "“Longitude” (lon)" in str(err) and "Vĩ độ" in str(err)


def test_header_below_a_title_and_rows_numbered_as_in_the_sheet(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CƠ SỞ KINH DOANH - THÁNG 8/2021"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    for row in [HEADER, *venue_rows("T")]:
        sheet.append(row)
    sheet["D5"] = "bad"
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert (result.rows_total, result.rows_accepted, result.sheet) == (3, 2, None)
    assert list(result.rejections["line"]) == [5]
    assert rejected_lines(write_rejections(result, EN))[1][0] == "5"
    assert row_files(result, EN) == [f"Rejected rows with reasons: {result.rejected_file}"]


def test_a_rejected_file_that_cannot_be_written_is_said_after_the_import(workspace, tmp_path):
    book = openpyxl.Workbook()
    for row in [HEADER, *venue_rows("T")]:
        book.active.append(row)
    book.active["D3"] = "bad"
    path = save(book, tmp_path / "v.xlsx")
    (tmp_path / "v.xlsx.rejected.csv").mkdir()  # in the way: the import is done, only the note fails
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 2
    [line] = row_files(result, EN)
    assert line.startswith("The rows could not be written:") and "v.xlsx.rejected.csv" in line


def test_totals_notes_and_signatures_below_the_table_are_named_as_such(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER, *venue_rows("F")]:
        sheet.append(row)
    sheet.append(["Tổng cộng: 3 cơ sở"])
    sheet.merge_cells("A5:F5")  # a total merged across the row fills every column with its text
    sheet.append([])
    sheet.append([None, None, None, "Người lập biểu"])
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert result.rows_accepted == 3
    assert result.rejections[["line", "reason"]].values.tolist() == [[5, "below_table"], [7, "below_table"]]
    message = rejected_lines(write_rejections(result, EN))[1][3]
    assert message == "below the table: one text only (a total, a note or a signature), not a data row"


def test_excel_serial_dates_in_date_and_time_columns(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    rows = venue_rows("D", 3)
    rows[0][5], rows[1][5], rows[2][5] = 44223, 44223.75, 5  # 5 is no plausible date
    for row in rows:
        sheet.append(row)
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert result.rejections[["line", "reason"]].values.tolist() == [[4, "invalid_date"]]
    registered = workspace.read_layer("venues").set_index("venue_id")["registered_on"]
    assert registered.to_dict() == {"D1": dt.date(2021, 1, 27), "D2": dt.date(2021, 1, 27)}

    book.epoch = CALENDAR_MAC_1904  # the Mac date system counts from 1904-01-01
    result = import_file(workspace, "venues", save(book, tmp_path / "v1904.xlsx"))
    registered = workspace.read_layer("venues").set_index("venue_id")["registered_on"]
    assert registered["D1"] == dt.date(2025, 1, 28)


def test_excel_serial_times_in_reports(venue_workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã phản ánh", "Thời gian", "Mã cơ sở"])
    sheet.append(["R3", 44421.4166666667, "V1"])
    result = import_file(venue_workspace, "reports", save(book, tmp_path / "r.xlsx"))
    assert result.rows_accepted == 1
    when = venue_workspace.query("SELECT reported_at FROM citizen_reports")["reported_at"]
    assert list(when) == ["2021-08-13T03:00:00.000Z"]  # 10:00 in Huế, stored in UTC


def test_serial_numbers_in_a_csv_are_not_dates(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("venue_id,name,lat,lon,registered_on\nA1,X,16.445,107.555,44223\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert list(result.rejections["reason"]) == ["invalid_date"]


def test_merged_cell_value_applies_to_every_cell_of_the_range(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER, *venue_rows("M", 4)]:
        sheet.append(row)
    sheet["C2"] = "Phường Tây Lộc"
    sheet.merge_cells("C2:C5")
    import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    declared = workspace.read_layer("venues")["declared_ward_code"]
    assert list(declared) == ["19001"] * 4


def test_formulas_without_saved_results_are_refused_clearly(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER, *venue_rows("F")]:
        sheet.append(row)
    for r in (2, 3, 4):
        sheet[f"B{r}"] = f'=CONCATENATE("Cơ sở ","{r}")'  # openpyxl saves formulas without results
    err = refused(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert err.code == "uncached_formulas"
    assert "v.xlsx" in str(err) and "B2" in str(err) and "LibreOffice" in str(err)


def test_csv_rows_with_more_cells_than_the_header_are_rejected(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(
        "Mã cơ sở,Vĩ độ,Kinh độ,Tên cơ sở\n"
        "Q1,16.445,107.555,Quán Cà phê, Sách Mộc\n"
        "Q2,16.445,107.555,Quán Hoa,\n"  # a trailing empty cell loses nothing
        "Q3,16.445,107.555,Quán Sen\n",
        encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 2
    assert result.rejections[["line", "reason"]].values.tolist() == [[2, "bad_csv_row"]]
    rows = rejected_lines(write_rejections(result, EN))
    assert rows[1][3] == ("the line has 5 cells but the header has 4 columns; is a separator inside a cell that "
                          "is not in quotes?")
    assert rows[1][4:8] == ["Q1", "16.445", "107.555", "Quán Cà phê"]  # the cells as the header places them


def test_one_huge_csv_field_does_not_refuse_the_file(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(f'venue_id,name,lat,lon,address\nA1,X,16.445,107.555,"{"a" * 200_000}"\n'
                    "A2,Y,16.445,107.555,ok\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 2


def test_rejected_file_header_is_neutralised(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text('venue_id,=Tên cơ sở,@lat,lon\nA1,X,999,107.5\n', encoding="utf-8")  # headings still match
    result = import_file(workspace, "venues", path)
    header = rejected_lines(write_rejections(result, EN))[0]
    assert header[-3:] == ["'=Tên cơ sở", "'@lat", "lon"]


def test_coordinate_rejections_name_the_right_field(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ\nC1,Missing lon,16.46,\nC2,Missing lat,,107.5\n",
                    encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rejections[["field", "reason"]].values.tolist() == [
        ["Kinh độ", "missing_value"], ["Vĩ độ", "missing_value"]]


def test_geojson_venues_without_a_point_are_rejected_naming_the_geometry(workspace, tmp_path):
    def feature(vid, geometry):
        return {"type": "Feature", "properties": {"ma_co_so": vid, "ten_co_so": vid}, "geometry": geometry}

    path = tmp_path / "v.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature("P1", {"type": "Point", "coordinates": [107.555, 16.445]}),
        feature("P2", None),
        feature("P3", {"type": "Polygon", "coordinates": [[[107.55, 16.44], [107.56, 16.44], [107.56, 16.45],
                                                            [107.55, 16.44]]]}),
    ]}), encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 1
    assert result.rejections[["line", "field", "reason"]].values.tolist() == [
        [2, "geometry", "missing_coordinates"], [3, "geometry", "not_a_point"]]
    rows = rejected_lines(write_rejections(result, EN))
    assert rows[2][3] == "the geometry is a Polygon, not a point"


@pytest.mark.parametrize("kind", ["venues", "reports"])
def test_hidden_sheets_are_never_read(venue_workspace, tmp_path, kind):
    book = openpyxl.Workbook()
    book.active.sheet_state = "hidden"
    book.active.append(["venue_id", "name", "lat", "lon", "reported_at"])
    book.active.append(["H1", "Hidden", 16.445, 107.555, "2021-08-13 10:00"])
    book.create_sheet("visible").append(["nothing here"])
    err = refused(venue_workspace, kind, save(book, tmp_path / "v.xlsx"))
    assert err.code == "missing_column_sheet" and "“visible”" in str(err)


def test_a_registry_with_a_two_row_header_slash_headings_and_dms_positions(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CƠ SỞ ĐÃ ĐƯỢC CẤP MÃ QR"])
    sheet.merge_cells("A1:F1")
    sheet.append(["STT", "Mã cơ sở", "Tên cơ sở/doanh nghiệp", "Tọa độ", None, "Số lao động"])
    sheet.append([None, None, None, "Kinh độ", "Vĩ độ", None])
    for column in "ABCF":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("D2:E2")
    sheet.append([1, "H1", "Khách sạn A", "107°33′18″E", "16°26′42″N", 40])
    sheet.append([2, "H2", "Quán B", 107.555, 16.445, "3"])
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert (result.rows_accepted, result.rows_rejected) == (2, 0), result.rejections
    venues = workspace.read_layer("venues").set_index("venue_id")
    assert venues.loc["H1", "name"] == "Khách sạn A" and venues.loc["H1", "staff"] == 40
    assert venues[["lat", "lon"]].round(6).values.tolist() == [[16.445, 107.555]] * 2
    assert result.unused_columns == ["STT"]
