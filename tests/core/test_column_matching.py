"""Matching a file's columns by hand: the preview the window shows, and matchings kept in the workspace."""

import json
from pathlib import Path

import openpyxl
import pandas as pd

from inspector.core.columns import likely_header
from inspector.core.errors import InputError, WorkspaceError
from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary
from inspector.core.importers.matching import can_match, preview
from inspector.core.importers.outcome import calls_for_attention
from tests.conftest import cp1258_form, refused, snapshot

#: A registry whose headings no alias knows, below a letterhead.
LETTERHEAD = "SỞ Y TẾ TỈNH MẪU,,,\nDANH SÁCH ĐỊA ĐIỂM KIỂM DỊCH,,,\n,,,\n"
UNKNOWN = ("Cơ sở,Toạ độ Bắc,Toạ độ Đông,Số hiệu\n"
           "Quán cà phê Hoa Sen,16.4450,107.5550,V1\nUBND Phường Tây Lộc,16.4450,107.5750,V2\n"
           "Chợ Hương An,16.4650,107.5550,V3\n")
CHOSEN = {"venue_id": "Số hiệu", "name": "Cơ sở", "lat": "Toạ độ Bắc", "lon": "Toạ độ Đông"}
EN = translator("en")


def _cp1258(path: Path, text: str) -> Path:
    path.write_bytes(cp1258_form(text).encode("cp1258"))
    return path


def _never_whole(monkeypatch):
    """Fail a test that reads a file whole (a scan log may be 600 MB)."""
    def whole(*args, **kwargs):
        raise AssertionError("the whole file was read")

    monkeypatch.setattr(Path, "read_bytes", whole)
    monkeypatch.setattr(pd, "read_parquet", whole)
    monkeypatch.setattr("pyarrow.parquet.read_table", whole)
    monkeypatch.setattr("polars.scan_parquet", whole)
    monkeypatch.setattr("polars.scan_csv", whole)


def test_a_csv_in_cp1258_below_a_letterhead_shows_its_header_and_first_rows(tmp_path, monkeypatch):
    path = _cp1258(tmp_path / "v.csv", LETTERHEAD + UNKNOWN)
    _never_whole(monkeypatch)
    shown = preview(path, "venues")
    assert shown.headers == ["Cơ sở", "Toạ độ Bắc", "Toạ độ Đông", "Số hiệu"]  # NFC, as the import reads them
    assert shown.rows[0] == ["Quán cà phê Hoa Sen", "16.4450", "107.5550", "V1"] and len(shown.rows) == 3
    assert (shown.header_at, shown.lines, shown.unit) == (4, [5, 6, 7], "line")
    assert shown.found == {} and shown.required == ["venue_id", "name", "lat", "lon"]
    assert shown.fields[:3] == ["venue_id", "qr_payload", "name"]  # the order of columns.toml


def test_a_preview_preselects_what_the_names_match_and_shows_only_the_first_rows(tmp_path):
    rows = "".join(f"V{i},Quán {i},16.45,107.55\n" for i in range(40))
    path = _cp1258(tmp_path / "v.csv", "Danh sách,,,\nMã cơ sở,Tên cơ sở,Bắc,Đông\n" + rows)
    shown = preview(path, "venues", rows=5)
    assert shown.found == {"venue_id": "Mã cơ sở", "name": "Tên cơ sở"}
    assert [r[0] for r in shown.rows] == ["V0", "V1", "V2", "V3", "V4"] and shown.header_at == 2


def test_the_chosen_columns_import_the_file_the_preview_showed(workspace, tmp_path):
    path = _cp1258(tmp_path / "v.csv", LETTERHEAD + UNKNOWN)
    assert refused(workspace, "venues", path).code == "no_header"
    shown = preview(path, "venues")
    result = import_file(workspace, "venues", path, columns={f: h for f, h in CHOSEN.items() if h in shown.headers})
    assert result.rows_accepted == 3 and result.columns == CHOSEN and result.matching == ""


def test_the_sheet_the_import_reads_is_previewed(workspace, tmp_path):
    path = tmp_path / "v.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Ghi chú"
    book.active.append(["Danh sách gửi kèm công văn"])
    sheet = book.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH CƠ SỞ"])
    sheet.merge_cells("A1:E1")  # a title merged across the table: one text, not a header
    sheet.append([])
    sheet.append(["STT", "Cơ sở", "Toạ độ Bắc", "Toạ độ Đông", "Số hiệu"])
    for i in range(8):
        sheet.append([i + 1, f"Quán {i}", 16.445, 107.555 + i / 1000, f"V{i}"])
    book.save(path)
    shown = preview(path, "venues")
    assert (shown.sheet, shown.header_at, shown.unit) == ("Danh sách", 3, "row")
    assert shown.headers == ["STT", "Cơ sở", "Toạ độ Bắc", "Toạ độ Đông", "Số hiệu"]
    assert shown.rows[0] == ["1", "Quán 0", "16.445", "107.555", "V0"] and shown.lines == [4, 5, 6, 7, 8]
    assert preview(path, "venues", sheet="Ghi chú").headers == ["Danh sách gửi kèm công văn"]
    result = import_file(workspace, "venues", path, columns=CHOSEN)
    assert result.rows_accepted == 8 and result.sheets == ["Danh sách"]


def test_a_sheet_of_notes_naming_a_column_is_not_previewed_for_the_data_sheet(venue_workspace, tmp_path):
    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Tổng hợp"
    book.active.append(["Ghi chú"])  # an alias of the description of a report, and no rows below it
    sheet = book.create_sheet("Phản ánh")
    sheet.append(["Lúc gửi", "Nội dung người dân gửi", "Điểm"])
    sheet.append(["02/08/2021 08:10", "Không quét mã", "V1"])
    book.save(path)
    assert refused(venue_workspace, "reports", path).params["sheet"] == "Tổng hợp"
    shown = preview(path, "reports")
    assert (shown.sheet, shown.headers, shown.found) == ("Phản ánh", ["Lúc gửi", "Nội dung người dân gửi", "Điểm"], {})
    columns = {"reported_at": "Lúc gửi", "description": "Nội dung người dân gửi", "venue_id": "Điểm"}
    result = import_file(venue_workspace, "reports", path, columns=columns)
    assert result.rows_accepted == 1 and result.sheets == ["Phản ánh"]


def test_a_parquet_scan_log_is_previewed_from_its_first_rows(venue_workspace, tmp_path, monkeypatch):
    path = tmp_path / "scans.parquet"
    n = 30_000
    pd.DataFrame({"Lúc quét": pd.date_range("2021-08-02 07:00", periods=n, freq="s"),
                  "Điểm": ["V1", "V2"] * (n // 2), "Người dùng": [f"09{i:08d}" for i in range(n)]}).to_parquet(
        path, row_group_size=10_000, index=False)
    with monkeypatch.context() as patched:
        _never_whole(patched)
        shown = preview(path, "scans")
    assert shown.headers == ["Lúc quét", "Điểm", "Người dùng"] and (shown.unit, shown.header_at) == ("record", None)
    assert shown.rows == [[f"2021-08-02 07:00:0{i}", "V1" if i % 2 == 0 else "V2", f"09{i:08d}"] for i in range(5)]
    assert shown.lines == [1, 2, 3, 4, 5] and shown.found == {}
    columns = {"timestamp": "Lúc quét", "venue_id": "Điểm", "person": "Người dùng"}
    assert import_file(venue_workspace, "scans", path, columns=columns).rows_accepted == n


def test_a_scan_log_in_cp1258_keeps_the_names_its_import_reads(venue_workspace, tmp_path, monkeypatch):
    text = ("Nhật ký quét mã\nLúc quét,Điểm,Người dùng\n2021-08-02 07:00:00,V1,0901234567\n"
            "2021-08-02 07:01:00,V2,0901234568\n")
    path = _cp1258(tmp_path / "s.csv", text)
    assert refused(venue_workspace, "scans", path).code == "missing_column"
    with monkeypatch.context() as patched:
        _never_whole(patched)
        shown = preview(path, "scans")
    assert len(shown.headers) == 3 and shown.header_at == 2 and shown.lines == [3, 4]
    assert shown.rows[1][1:] == ["V2", "0901234568"]
    columns = dict(zip(["timestamp", "venue_id", "person"], shown.headers, strict=True))
    assert import_file(venue_workspace, "scans", path, columns=columns).rows_accepted == 2


def test_geojson_venues_are_not_asked_for_the_position_their_points_give(tmp_path):
    import geopandas as gpd
    import shapely

    path = tmp_path / "v.geojson"
    gpd.GeoDataFrame({"Số hiệu": ["V1"], "Cơ sở": ["Quán"]}, geometry=[shapely.Point(107.55, 16.44)],
                     crs="EPSG:4326").to_file(path, driver="GeoJSON")
    shown = preview(path, "venues")
    assert shown.headers == ["Số hiệu", "Cơ sở"] and shown.rows == [["V1", "Quán"]]
    assert "lat" not in shown.fields and shown.required == ["venue_id", "name"]


def test_the_header_by_its_shape_passes_over_a_letterhead():
    rows = [["SỞ Y TẾ", "", "", ""], ["Danh sách", "Danh sách", "Danh sách", ""], ["", "", "", ""],
            ["A", "B", "C", ""], ["1", "2", "3", "4"]]
    assert likely_header("venues", rows) == 3  # a merged title repeats one text
    assert likely_header("venues", [["x", "Tên cơ sở"], ["a", "b"]]) == 0  # a known name first
    assert likely_header("venues", [["", ""]]) is None
    letterhead = [["Sở Y tế", "tỉnh Thừa Thiên Huế", "2021", ""], ["Số hiệu", "Cơ sở", "Bắc", "Đông"],
                  ["V1", "Quán A", "16.44", "107.55"], ["V2", "Quán B", "16.45", "107.56"]]
    assert likely_header("venues", letterhead) == 1  # a letterhead of three texts above a table of four
    assert likely_header("venues", [["Số hiệu", "Cơ sở"]]) == 0  # a header alone


def test_only_refusals_for_columns_offer_a_matching():
    assert can_match(InputError("missing_column_sheet"), "reports")
    assert can_match(InputError("no_header"), "scans")
    assert not can_match(InputError("bad_csv"), "venues")
    assert not can_match(InputError("missing_column"), "boundaries")


def test_a_matching_saved_once_is_applied_to_a_file_with_the_same_headers(workspace, tmp_path):
    first = _cp1258(tmp_path / "v.csv", LETTERHEAD + UNKNOWN)
    result = import_file(workspace, "venues", first, columns=CHOSEN, save_columns=True)
    assert result.matching == "saved" and result.rows_accepted == 3
    text = summary(result, EN, "en")[1][0]
    assert text.startswith("Columns matched as you chose: “Số hiệu” → Venue id, “Cơ sở” → Name") and "keeps" in text
    # next month's list: other rows, the columns in another order, in UTF-8
    second = tmp_path / "v2.csv"
    second.write_text("Số hiệu,Toạ độ Đông,Toạ độ Bắc,Cơ sở\nV9,107.5750,16.4650,Nhà hàng Phú Hòa\n", encoding="utf-8")
    again = import_file(workspace, "venues", second)
    assert again.matching == "reused" and again.rows_accepted == 1 and again.columns == CHOSEN
    headline, lines = summary(again, translator("vi"), "vi")
    assert lines[0].startswith("Các cột được ghép như đã lưu") and "“Cơ sở” → Tên cơ sở" in lines[0]
    assert workspace.query("SELECT action FROM audit_log WHERE action = 'columns_matched'").shape[0] == 1


def test_a_saved_matching_is_not_applied_to_other_headers_or_kept_without_being_asked(workspace, tmp_path):
    first = _cp1258(tmp_path / "v.csv", UNKNOWN)
    import_file(workspace, "venues", first, columns=CHOSEN, save_columns=True)
    other = tmp_path / "other.csv"  # one more column: another kind of file
    other.write_text("Cơ sở,Toạ độ Bắc,Toạ độ Đông,Số hiệu,Chủ cơ sở\nQuán,16.45,107.55,V7,An\n", encoding="utf-8")
    assert refused(workspace, "venues", other).code == "no_header"
    import_file(workspace, "venues", other, columns=CHOSEN)  # chosen on the command line: not kept
    # kept for venues only: as reports, its "Cơ sở" is a venue's name, and no column gives a time
    assert refused(workspace, "reports", first).code == "missing_column"
    with workspace.connect() as conn:
        saved = [json.loads(v) for (v,) in conn.execute(
            "SELECT value FROM workspace_meta WHERE key GLOB 'column_matching:*'")]
    assert saved == [{"headers": ["Cơ sở", "Số hiệu", "Toạ độ Bắc", "Toạ độ Đông"], "columns": CHOSEN}]


def test_a_matching_that_accepted_no_row_is_not_kept(workspace, tmp_path):
    path = _cp1258(tmp_path / "v.csv", UNKNOWN)
    wrong = {"venue_id": "Số hiệu", "name": "Cơ sở", "lat": "Số hiệu", "lon": "Toạ độ Đông"}
    before = snapshot(workspace)
    result = import_file(workspace, "venues", path, columns=wrong, save_columns=True)
    assert result.rows_accepted == 0 and result.matching == ""
    assert not [k for k in snapshot(workspace)["workspace_meta"] if k not in before["workspace_meta"]
                and str(k[1]).startswith("column_matching")]


def test_a_matching_that_cannot_be_kept_leaves_the_import_stored_and_says_so(workspace, tmp_path, monkeypatch):
    def busy(*args, **kwargs):
        raise WorkspaceError("workspace_busy", path=str(workspace.path))

    monkeypatch.setattr("inspector.core.importers.matching.save_columns", busy)
    result = import_file(workspace, "venues", _cp1258(tmp_path / "v.csv", UNKNOWN), columns=CHOSEN, save_columns=True)
    assert result.rows_accepted == 3 and result.matching == "" and result.warnings == {"matching_not_kept": 1}
    assert calls_for_attention(result)
    assert len(workspace.read_layer("venues")) == 3
