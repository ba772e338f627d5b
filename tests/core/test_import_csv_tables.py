"""How the venue and report importers read CSV tables as people make them: title lines, totals, stray cells."""

import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_file, write_rejections
from tests.conftest import refused
from tests.core.conftest import HEADER, rejected_lines, venue_rows

EN = translator("en")


def test_totals_and_signatures_below_a_csv_table_are_named_as_such(workspace, tmp_path):
    path = tmp_path / "v.csv"
    rows = [",".join(HEADER), *(",".join(map(str, r)) for r in venue_rows("F")), "Tổng cộng: 3 cơ sở,,,,,",
            ",,,Người lập biểu,,"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 3
    assert result.rejections[["line", "reason"]].values.tolist() == [[5, "below_table"], [6, "below_table"]]


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


@pytest.mark.parametrize("title", [["DANH SÁCH CƠ SỞ,,,,,", "Ngày 13/8/2021,,,,,"], ["DANH SÁCH CƠ SỞ", ""]])
def test_csv_title_lines_above_the_header_are_skipped(workspace, tmp_path, title):
    path = tmp_path / "v.csv"
    body = [",".join(HEADER), "T1,Quán T1,Phường Đông Ba,16.445,107.555,2021-01-27",
            "T2,Quán T2,Phường Đông Ba,bad,107.555,2021-01-27"]
    path.write_text("\n".join([*title, *body]) + "\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert (result.rows_total, result.rows_accepted) == (2, 1)
    assert list(result.rejections["line"]) == [5]


def test_csv_reports_with_a_title_line(venue_workspace, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("PHẢN ÁNH CỦA NGƯỜI DÂN,,\nThời gian,Mã cơ sở,Nội dung\n2021-08-13 10:00,V1,Không quét mã\n",
                    encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert (result.rows_total, result.rows_accepted) == (1, 1)


def test_csv_missing_column_message_shows_only_the_files_own_column_names(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("DANH SÁCH,,,\nMã cơ sở,,Tên cơ sở,Vĩ độ\nA1,,X,16.4,extra\n", encoding="utf-8")
    err = refused(workspace, "venues", path)
    assert err.code == "missing_column"
    assert str(err).endswith("Columns in the file: Mã cơ sở, Tên cơ sở, Vĩ độ.")


def test_csv_without_a_header_in_the_first_lines_says_so(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("DANH SÁCH CƠ SỞ\nA1,Quán A,16.4,107.5\n", encoding="utf-8")
    err = refused(workspace, "venues", path)
    assert err.code == "no_header" and "none of the first 30 lines names" in str(err)
    assert "DANH SÁCH" not in str(err)
