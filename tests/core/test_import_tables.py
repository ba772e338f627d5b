"""How the venue and report importers read workbooks, CSV and GeoJSON as people make them."""

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from inspector.core.i18n import translator
from inspector.core.importers import import_file, row_files, summary, write_rejections
from tests.conftest import refused
from tests.core.conftest import HEADER, rejected_lines, venue_rows

EN = translator("en")


def save(book, path):
    book.save(path)
    return path


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
    assert (result.rows_accepted, result.sheets) == (4, ["Cơ sở"])
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
    assert (result.rows_total, result.rows_accepted, result.sheets) == (3, 2, [])
    assert list(result.rejections["line"]) == [5]
    assert rejected_lines(write_rejections(result, EN))[1][0] == "5"
    assert row_files(result, EN) == [f"Rejected rows with reasons: {result.rejected_file}"]


def test_a_rejected_file_that_cannot_be_written_next_to_the_input_goes_to_the_temporary_folder(
        workspace, tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    for row in [HEADER, *venue_rows("T")]:
        book.active.append(row)
    book.active["D3"] = "bad"
    path = save(book, tmp_path / "v.xlsx")
    (tmp_path / "v.xlsx.rejected.csv").mkdir()  # in the way: the import is done, only the note fails
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 2
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    said, where = row_files(result, EN)
    assert said.startswith("The rows could not be written next to the file (") and said.endswith(
        "they are in the temporary folder instead.")
    assert where == f"Rejected rows with reasons: {tmp_path / 'temp' / 'v.xlsx.rejected.csv'}"
    assert rejected_lines(tmp_path / "temp" / "v.xlsx.rejected.csv")[1][1:3] == ["Vĩ độ", "invalid_coordinate"]
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "nowhere"))  # no folder at all: said, not raised
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
    for signers in (["NGƯỜI LẬP BIỂU", "GIÁM ĐỐC"], ["(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"],
                    ["Nguyễn Văn A", "Trần Thị B"]):  # an official list's signature block, signers side by side
        sheet.append([None, None, signers[0], None, signers[1]])
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert result.rows_accepted == 3
    assert result.rejections[["line", "reason"]].values.tolist() == [
        [5, "below_table"], [7, "below_table"], [8, "below_table"], [9, "below_table"]]
    message = rejected_lines(write_rejections(result, EN))[1][3]
    assert message == "below the table: a total, a note or a signature, not a data row"


def test_excel_serial_dates_in_date_and_time_columns(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    rows = venue_rows("D", 3)
    rows[0][5], rows[1][5], rows[2][5] = 44223, 44223.75, 5  # 5 is no plausible date
    for row in rows:
        sheet.append(row)
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert result.rejections.empty  # the venue with no plausible date is kept, without a date
    assert result.notes[["line", "reason"]].values.tolist() == [[4, "date_not_read"]]
    registered = workspace.read_layer("venues").set_index("venue_id")["registered_on"]
    assert registered.dropna().to_dict() == {"D1": dt.date(2021, 1, 27), "D2": dt.date(2021, 1, 27)}
    assert pd.isna(registered["D3"])

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


def test_serial_numbers_in_a_csv_date_column_are_the_dates_excel_saved_as_numbers(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("venue_id,name,lat,lon,registered_on\nA1,X,16.445,107.555,44223\nA2,Y,16.445,107.555,5\n",
                    encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 2 and list(result.notes["reason"]) == ["date_not_read"]  # 5 is no plausible date
    registered = workspace.read_layer("venues").set_index("venue_id")["registered_on"]
    assert registered["A1"] == dt.date(2021, 1, 27) and pd.isna(registered["A2"])


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
    assert err.code == "no_header_sheet" and "“visible”" in str(err)


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


def test_the_sheet_with_the_most_rows_is_read_and_other_sheets_with_the_columns_are_named(workspace, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"  # instructions: the header and one example row
    for row in [["Hướng dẫn điền mẫu"], HEADER, *venue_rows("EX", 1)]:
        book.active.append(row)
    for title, prefix, n in (("Quận 1", "A", 4), ("Quận 2", "B", 2)):
        sheet = book.create_sheet(title)
        for row in [HEADER, *venue_rows(prefix, n)]:
            sheet.append(row)
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert (result.rows_accepted, result.sheets, result.other_sheets) == (4, ["Quận 1"], ["Hướng dẫn", "Quận 2"])
    assert set(workspace.read_layer("venues")["venue_id"]) == {"A1", "A2", "A3", "A4"}
    lines = summary(result, EN, "en")[1]
    assert lines[0] == "Read from the sheet “Quận 1”."
    assert lines[1].startswith("Other sheets have the required columns too and were not read: “Hướng dẫn”, “Quận 2”.")
    with workspace.connect() as conn:
        details = json.loads(conn.execute("SELECT details FROM import_log ORDER BY fid DESC").fetchone()[0])
    assert details["other_sheets"] == ["Hướng dẫn", "Quận 2"]
    again = import_file(workspace, "venues", tmp_path / "v.xlsx", sheet="Quận 2")  # the user names another
    assert again.already_imported_at is None and (again.rows_accepted, again.other_sheets) == (2, [])
    assert {"B1", "B2"} <= set(workspace.read_layer("venues")["venue_id"])
    assert import_file(workspace, "venues", tmp_path / "v.xlsx", sheet="Quận 2").already_imported_at
    error = refused(workspace, "venues", tmp_path / "v.xlsx", sheet="Quận 9")
    assert error.code == "unknown_sheet" and "“Quận 1”, “Quận 2”" in str(error)


@pytest.mark.parametrize(("stray", "wider", "longer"), [("XFD1", 1, 0), ("A300000", 0, 1), ("XFD1048576", 1, 1)])
def test_a_stray_cell_far_out_does_not_widen_or_lengthen_the_grid(workspace, tmp_path, stray, wider, longer):
    from inspector.core.io.xlsx_grid import open_book, read_grids

    book = openpyxl.Workbook()
    for row in [HEADER, *venue_rows("F")]:
        book.active.append(row)
    book.active[stray] = "ghi chú"
    path = save(book, tmp_path / "v.xlsx")
    numbers, grid, _ = read_grids(path, open_book(path), ["Sheet"])[0]
    assert {len(row) for row in grid} == {len(HEADER) + wider}  # not 16,384 columns
    assert numbers == [1, 2, 3, 4] + ([int(stray.lstrip("AXDF"))] if longer else [])  # not 300,000 rows
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 3
    assert result.unused_columns == (["ghi chú"] if wider and not longer else [])
    # a cell right of the table is no row
    assert list(result.rejections["line"]) == ([numbers[-1]] if longer and not wider else [])


def test_cells_right_of_the_table_below_it_are_not_rows(workspace, tmp_path):
    book = openpyxl.Workbook()
    for row in [HEADER, *venue_rows("R")]:
        book.active.append(row)
    book.active["K40"] = "nháp"  # a note beside the table, under no heading
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert (result.rows_total, result.rows_accepted) == (3, 3)


@pytest.mark.parametrize("blank", [False, True])
def test_a_header_below_an_eleven_line_letterhead_or_empty_rows_is_found(workspace, tmp_path, blank):
    book = openpyxl.Workbook()
    for line in ["UBND TỈNH KIM GIANG", "SỞ Y TẾ", "Số: 123/SYT-NVY", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "", "Kim Giang, ngày 13 tháng 8 năm 2021", "", "DANH SÁCH CƠ SỞ",
                 "(Kèm theo Công văn số 123)", ""]:
        book.active.append([None if blank else line or None])
    for row in [HEADER, *venue_rows("L")]:
        book.active.append(row)
    book.active["D15"] = "bad"  # the third venue, on row 15 of the sheet
    result = import_file(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert (result.rows_total, result.rows_accepted) == (3, 2)
    assert list(result.rejections["line"]) == [15]


def test_no_header_in_the_first_rows_says_where_it_was_looked_for(workspace, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["UBND TỈNH KIM GIANG"])
    for _ in range(35):
        book.active.append(["Ghi chú"])
    for row in [HEADER, *venue_rows("N")]:
        book.active.append(row)
    err = refused(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert err.code == "no_header_sheet"
    assert "none of the first 30 rows names the required column “Venue id” (venue_id)" in str(err)
    assert "UBND" not in str(err)


def test_a_missing_column_names_the_header_row_and_no_empty_columns(workspace, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["DANH SÁCH"])
    book.active.append(["Mã cơ sở", None, "Tên cơ sở", None, "Vĩ độ"])
    book.active.append(["A1", None, "X", None, 16.4])
    err = refused(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert err.code == "missing_column_sheet"
    assert str(err).endswith("Columns in the header (row 2): Mã cơ sở, Tên cơ sở, Vĩ độ.")
