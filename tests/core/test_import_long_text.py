"""Free text far longer than any real one (a name pasted two million times over): kept cut, with a warning."""

import csv

import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_file, row_files, summary

EN, VI = translator("en"), translator("vi")


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(("header", "column", "limit"), [
    ("Tên cơ sở", "name", 300), ("Địa chỉ", "address", 500), ("Loại hình", "category_raw", 200),
    ("Liên hệ", "owner_contact", 200)])
def test_a_venue_s_overlong_text_is_kept_cut_with_a_warning_giving_its_length(workspace, tmp_path, header, column,
                                                                            limit):
    long = "Quán " + "ă" * 1_999_995  # 2,000,000 characters
    at_limit = "Chợ " + "x" * (limit - 4)  # as long as allowed: kept whole
    cells = {"Tên cơ sở": "Quán A", "Địa chỉ": "12 Lê Lợi", "Loại hình": "Quán cà phê", "Liên hệ": "Chị Lan"}
    headers = ["Mã cơ sở", *cells, "Vĩ độ", "Kinh độ"]
    rows = [["A1", *cells.values(), "16.445", "107.555"],
            ["B1", *{**cells, header: long}.values(), "16.446", "107.556"],
            ["C1", *{**cells, header: at_limit}.values(), "16.447", "107.557"]]
    path = tmp_path / "v.csv"
    path.write_text("\n".join(",".join(r) for r in [headers, *rows]) + "\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert (result.rows_accepted, result.warnings["text_cut"]) == (3, 1)
    stored = workspace.query(f"SELECT venue_id, {column} FROM venues").set_index("venue_id")[column]
    assert stored["B1"] == long[:limit] + "…" and len(stored["B1"]) == limit + 1
    assert stored["C1"] == at_limit and stored["A1"] == cells[header]
    row_files(result, EN)
    [note] = [n for n in _rows(result.notes_file) if n["reason code"] == "text_cut"]
    expected = f"{header} has 2,000,000 characters: kept the first {limit}, followed by “…”"
    assert (note["line"], note["field"], note["reason code"], note["message"]) == ("3", header, "text_cut", expected)
    assert note[header] == long[:32_766] + "…"  # the original cell, as much as a spreadsheet cell holds
    assert f"1 × {expected} (first at line 3)" in summary(result, EN, "en")[1]
    assert (f"{header} dài 2.000.000 ký tự: chỉ giữ {limit} ký tự đầu, tiếp theo là “…”: 1 trường hợp "
            "(đầu tiên ở dòng 3)") in summary(result, VI, "vi")[1]


def test_overlong_names_and_addresses_are_said_apart_in_the_summary(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("venue_id,name,address,lat,lon\n"
                    f"A1,{'a' * 400},{'b' * 600},16.445,107.555\n"
                    f"B1,Quán B,{'c' * 700},16.446,107.556\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.warnings == {"text_cut": 3}
    assert summary(result, EN, "en")[1] == [
        "2 × address has 600 characters: kept the first 500, followed by “…” (first at line 2)",
        "1 × name has 400 characters: kept the first 300, followed by “…” (first at line 2)"]


def test_a_report_s_overlong_description_is_kept_cut_and_stays_one_report(venue_workspace, tmp_path):
    text = "Quán không dán mã QR.\n\n" + "Khách vào không quét mã. " * 300  # two paragraphs
    path = tmp_path / "reports.csv"
    path.write_text(f'Thời gian,Mã cơ sở,Nội dung\n13/08/2021 10:00,V1,"{text}"\n', encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert (result.rows_accepted, result.warnings) == (1, {"text_cut": 1})
    stored = venue_workspace.query("SELECT description FROM citizen_reports")["description"].tolist()
    assert stored == [text[:5000].rstrip() + "…"] and stored[0].startswith("Quán không dán mã QR.\n\nKhách")
    assert result.notes["reason"].tolist() == ["text_cut"]
    assert summary(result, EN, "en")[1] == [
        f"1 × Nội dung has {len(text.strip()):,} characters: kept the first 5,000, followed by “…” (first at line 2)"]
    # the same report in another export (with a BOM, say) is the report stored, not a second one
    again = tmp_path / "reports-again.csv"
    again.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    second = import_file(venue_workspace, "reports", again)
    assert (second.counts.added, second.counts.unchanged) == (0, 1)
