"""A registry or a list of reports kept a sheet per district: several sheets of a workbook read as one table."""

import csv
import json

import openpyxl
import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_file, row_files, summary
from inspector.core.importers.common import ImportResult
from inspector.core.io.tables import ALL_SHEETS
from inspector.core.io.workbook import table_sheets
from tests.conftest import refused

EN = translator("en")
HEADER = ["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ", "Sức chứa"]


def district_book(path):
    """Instructions with an example row, then two districts whose sheets order and name the columns otherwise."""
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    for row in [["Điền mỗi cơ sở một dòng"], HEADER, ["VÍ-DỤ", "Quán mẫu", 16.45, 107.55, 10]]:
        book.active.append(row)
    first = book.create_sheet("Quận 1")
    for row in [["DANH SÁCH CƠ SỞ QUẬN 1"], HEADER,
                ["A1", "Quán A1", 16.445, 107.555, 20], ["A2", "Quán A2", 16.446, 107.556, ""],
                ["A3", "", 16.447, 107.557, 5], ["Tổng cộng: 3 cơ sở"]]:
        first.append(row)
    second = book.create_sheet("Quận 2")  # other names for the same fields, in another order, one more column
    for row in [["Kinh độ (X)", "Tên đơn vị", "Mã số", "Vĩ độ (Y)", "Ghi chú"],
                [107.57, "Quán B1", "B1", 16.45, "mở lại"], [107.58, "Quán A1 chi nhánh", "A1", 16.46, ""]]:
        second.append(row)
    book.create_sheet("Trống")
    book.save(path)
    return path


def test_every_sheet_with_the_columns_is_read_as_one_table_naming_each_row_by_its_sheet(workspace, tmp_path):
    path = district_book(tmp_path / "v.xlsx")
    assert table_sheets(path, "venues") == [("Hướng dẫn", 1), ("Quận 1", 4), ("Quận 2", 2)]
    result = import_file(workspace, "venues", path, sheet=["Quận 1", "Quận 2"])
    assert (result.rows_total, result.rows_accepted, result.sheets, result.other_sheets) == (
        6, 3, ["Quận 1", "Quận 2"], [])
    venues = workspace.read_layer("venues").set_index("venue_id")
    assert sorted(venues.index) == ["A1", "A2", "B1"]
    assert venues.loc["B1", ["name", "lat", "lon"]].tolist() == ["Quán B1", 16.45, 107.57]  # its own column order
    assert venues.loc["A1", "capacity"] == 20  # the column the second sheet has not: empty there
    rejected = result.rejections
    assert rejected[["sheet", "line", "reason"]].values.tolist() == [
        ["Quận 1", 5, "missing_value"], ["Quận 1", 6, "below_table"], ["Quận 2", 3, "duplicate_id"]]
    lines = summary(result, EN, "en")[1]
    assert lines[0] == "Read from 2 sheets as one table: “Quận 1”, “Quận 2”."
    assert any(line.startswith("Rejected: 1 × duplicate id “A1”, first seen at row 3 of the sheet “Quận 1” "
                               "(first at row 3 of the sheet “Quận 2”)") for line in lines)
    assert result.unused_columns == ["Ghi chú"]
    row_files(result, EN)
    with result.rejected_file.open(encoding="utf-8-sig", newline="") as fh:
        written = list(csv.reader(fh))
    assert written[0][:3] == ["sheet", "row", "field"] and written[3][:2] == ["Quận 2", "3"]
    with workspace.connect() as conn:
        details = json.loads(conn.execute("SELECT details FROM import_log ORDER BY fid DESC").fetchone()[0])
    assert details["sheets"] == ["Quận 1", "Quận 2"]
    again = import_file(workspace, "venues", path, sheet=["Quận 1", "Quận 2"])
    assert again.already_imported_at  # the same sheets of the same file: nothing again


def test_all_sheets_reads_every_sheet_with_the_required_columns_in_the_workbooks_order(workspace, tmp_path):
    path = district_book(tmp_path / "v.xlsx")
    result = import_file(workspace, "venues", path, sheet=ALL_SHEETS)
    assert result.sheets == ["Hướng dẫn", "Quận 1", "Quận 2"] and result.rows_accepted == 4
    assert "VÍ-DỤ" in set(workspace.read_layer("venues")["venue_id"])  # asked for: the example row too


def test_a_sheet_named_without_the_columns_or_not_there_is_refused_naming_it(workspace, tmp_path):
    path = district_book(tmp_path / "v.xlsx")
    path_book = openpyxl.load_workbook(path)
    path_book["Trống"].append(["Ghi chú", "Người lập"])
    path_book["Trống"].append(["gửi kèm", "Nguyễn Văn A"])
    path_book.save(path)
    error = refused(workspace, "venues", path, sheet=["Quận 1", "Trống"])
    assert error.code == "no_header_sheet" and error.params["sheet"] == "Trống"
    error = refused(workspace, "venues", path, sheet=["Quận 1", "Quận 9"])
    assert error.code == "unknown_sheet" and error.params["sheet"] == "Quận 9"


@pytest.mark.parametrize("kind", ["venues", "reports"])
def test_a_workbook_of_one_sheet_offers_nothing_to_choose(tmp_path, kind):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.save(tmp_path / "one.xlsx")
    assert table_sheets(tmp_path / "one.xlsx", kind) == []


def test_a_sheet_is_found_by_its_name_typed_without_accents_and_when_hidden(workspace, tmp_path):
    path = district_book(tmp_path / "v.xlsx")
    book = openpyxl.load_workbook(path)
    book["Quận 2"].sheet_state = "hidden"  # an earlier edition, kept out of sight: read when asked for by name
    book.save(path)
    assert [title for title, _ in table_sheets(path, "venues")] == ["Hướng dẫn", "Quận 1"]
    result = import_file(workspace, "venues", path, sheet="Quan 2")
    assert result.sheets == ["Quận 2"] and result.rows_accepted == 2


def test_a_sheet_s_own_column_named_as_another_sheet_names_a_field_steps_aside(workspace, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Q1"
    for row in [["Mã", "Tên cơ sở", "Vĩ độ", "Kinh độ"], ["A1", "Quán A1", 16.44, 107.55]]:
        book.active.append(row)
    second = book.create_sheet("Q2")  # "Mã" numbers the rows here; the ids are under "Mã cơ sở"
    for row in [["Mã", "Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ"], [1, "B1", "Quán B1", 16.45, 107.56]]:
        second.append(row)
    book.save(tmp_path / "v.xlsx")
    result = import_file(workspace, "venues", tmp_path / "v.xlsx", sheet=ALL_SHEETS)
    assert sorted(workspace.read_layer("venues")["venue_id"]) == ["A1", "B1"] and result.rows_rejected == 0


def test_columns_chosen_by_hand_that_a_sheet_lacks_refuse_the_import(workspace, tmp_path):
    path = district_book(tmp_path / "v.xlsx")
    error = refused(workspace, "venues", path, sheet=["Quận 1", "Quận 2"], columns={"capacity": "Sức chứa"})
    assert error.code == "unknown_column" and error.params["column"] == "Sức chứa"  # Quận 2 has no such column


def test_sheets_imported_one_at_a_time_keep_each_one_s_rejected_rows(workspace, tmp_path):
    path = district_book(tmp_path / "v.xlsx")
    first = import_file(workspace, "venues", path, sheet=["Quận 1"])
    row_files(first, EN)
    second = import_file(workspace, "venues", path, sheet="Quận 2")
    assert (first.rejected_file.name, second.rejected_file.name) == (
        "v.xlsx.Quận 1.rejected.csv", "v.xlsx.Quận 2.rejected.csv")
    assert first.rejected_file.exists()
    assert import_file(workspace, "venues", path, sheet=ALL_SHEETS).rejected_file.name == "v.xlsx.rejected.csv"
    odd = ImportResult("venues", tmp_path / "v.xlsx", sheets=['Quận "3" <mới>|'])  # Excel allows what Windows not
    assert odd.notes_file.name == "v.xlsx.Quận _3_ _mới__.warnings.csv"


def test_a_workbook_read_to_ask_which_sheets_is_not_read_again_by_the_import(workspace, tmp_path, monkeypatch):
    import inspector.core.io.workbook as workbook

    path = district_book(tmp_path / "v.xlsx")
    reads = []
    read = workbook.read_grids
    monkeypatch.setattr(workbook, "read_grids", lambda path, book, titles: reads.append(list(titles)) or read(
        path, book, titles))
    table_sheets(path, "venues")
    assert import_file(workspace, "venues", path, sheet=["Quận 1", "Quận 2"]).rows_accepted == 3
    assert reads == [["Hướng dẫn", "Quận 1", "Quận 2", "Trống"]]  # one reading of the sheets for both
    reads.clear()
    table_sheets(path, "venues")
    workbook.forget_kept()  # the user cancelled: the sheets read go
    assert workbook._kept == {}
    table_sheets(path, "venues")
    district_book(path)  # then saved again: read as it is now
    import_file(workspace, "venues", path, sheet=ALL_SHEETS)
    assert len(reads) == 3 and workbook._kept == {}


def test_the_sheets_read_to_ask_go_when_the_import_names_a_sheet_the_workbook_has_not(workspace, tmp_path):
    import inspector.core.io.workbook as workbook

    path = district_book(tmp_path / "v.xlsx")
    table_sheets(path, "venues")
    assert refused(workspace, "venues", path, sheet="Quận 9").code == "unknown_sheet"
    assert workbook._kept == {}
