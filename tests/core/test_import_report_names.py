"""Reports that name their venue without its id or a position (a Hue-S export with a "Cơ sở" column)."""

import csv

from inspector.core.i18n import translator
from inspector.core.importers import import_file, row_files
from inspector.core.importers.outcome import summary

HEADER = "Thời gian gửi,Cơ sở bị phản ánh,Địa chỉ,Nội dung phản ánh\n"
ADDRESSES = ("Mã cơ sở,Tên cơ sở,Địa chỉ,Vĩ độ,Kinh độ\n"
             "C1,Quán Cà Phê Xanh,12 Lê Lợi,16.4450,107.5550\n"
             "C2,Quán cà phê Xanh,5 Chi Lăng,16.4650,107.5750\n")


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _reports(ws):
    return {r: (v if isinstance(v, str) else None, how) for r, v, how in ws.query(
        "SELECT description, venue_id, matched_by FROM citizen_reports").itertuples(index=False)}


def test_a_report_naming_one_registered_venue_is_linked_to_it_by_name(venue_workspace, tmp_path):
    path = tmp_path / "hues.csv"
    path.write_text(HEADER + "15/08/2021 14:30,quan ca phe hoa sen,,Không quét mã QR\n"
                    "15/08/2021 15:00,Nhà hàng Không Có,,Không có bảng QR\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert result.rows_accepted == 2 and result.warnings == {"report_unmatched": 1}
    assert _reports(venue_workspace) == {"Không quét mã QR": ("V1", "name"), "Không có bảng QR": (None, "none")}
    stored = venue_workspace.query("SELECT given_venue_name, given_address FROM citizen_reports ORDER BY fid")
    assert stored.values.tolist() == [["quan ca phe hoa sen", None], ["Nhà hàng Không Có", None]]


def test_of_several_venues_of_the_name_the_address_chooses_and_without_it_none_is_guessed(venue_workspace, tmp_path):
    registry = tmp_path / "chain.csv"
    registry.write_text(ADDRESSES, encoding="utf-8")
    import_file(venue_workspace, "venues", registry)
    path = tmp_path / "hues.csv"
    path.write_text(HEADER + "15/08/2021 14:30,Quán cà phê Xanh,\"5 Chi Lăng, Phường Tây Lộc\",A\n"
                    "15/08/2021 15:00,Quán cà phê Xanh,,B\n", encoding="utf-8")
    import_file(venue_workspace, "reports", path)
    assert _reports(venue_workspace) == {"A": ("C2", "name"), "B": (None, "none")}


def test_reports_naming_a_venue_registered_later_are_linked_by_the_venue_import(workspace, tmp_path, venues_file):
    path = tmp_path / "hues.csv"
    path.write_text(HEADER + "15/08/2021 14:30,Chợ Hương An,,Người bán không quét mã\n", encoding="utf-8")
    import_file(workspace, "reports", path)
    assert _reports(workspace) == {"Người bán không quét mã": (None, "none")}
    result = import_file(workspace, "venues", venues_file)
    assert _reports(workspace) == {"Người bán không quét mã": ("V3", "name")}
    assert result.warnings["reports_linked"] == 1


def test_a_report_with_a_position_is_not_linked_by_its_name_alone(venue_workspace, tmp_path):
    path = tmp_path / "hues.csv"  # 5 km from Quán cà phê Hoa Sen: the place says it is another
    path.write_text("Thời gian gửi,Cơ sở,Vĩ độ,Kinh độ,Nội dung\n"
                    "15/08/2021 14:30,Quán cà phê Hoa Sen,16.50,107.60,Không quét\n", encoding="utf-8")
    import_file(venue_workspace, "reports", path)
    assert _reports(venue_workspace) == {"Không quét": (None, "none")}


VARIANTS = ("Mã cơ sở,Tên cơ sở,Địa chỉ,Vĩ độ,Kinh độ\n"
            "C1,Quán Cà Phê Xanh,\"12 Lê Lợi, P. Vĩnh Ninh\",16.4450,107.5550\n"
            "C2,Công ty TNHH Bình Minh,5 Hùng Vương,16.4650,107.5750\n"
            "C3,Ki ốt Thu Hà,\"Chợ Đông Ba, Phú Hòa\",16.4700,107.5800\n"
            "C4,Ki ốt Mai,\"Chợ Đông Ba, Phú Hòa\",16.4700,107.5800\n")
WRITTEN_DIFFERENTLY = (HEADER + "15/08/2021 14:30,cf Xanh,,A\n"
                       "15/08/2021 15:00,,\"Số 5 đường Hùng Vương\",B\n"
                       "15/08/2021 16:00,,\"Chợ Đông Ba, Phú Hòa\",C\n"
                       "15/08/2021 17:00,Nhà hàng Xanh,,D\n")


def test_names_written_differently_and_addresses_alone_are_linked_and_said_in_the_summary(workspace, tmp_path):
    registry = tmp_path / "registry.csv"
    registry.write_text(VARIANTS, encoding="utf-8")
    import_file(workspace, "venues", registry)
    path = tmp_path / "hues.csv"
    path.write_text(WRITTEN_DIFFERENTLY, encoding="utf-8")
    result = import_file(workspace, "reports", path)
    assert _reports(workspace) == {"A": ("C1", "name_variant"), "B": ("C2", "address"), "C": (None, "none"),
                                   "D": (None, "none")}
    assert result.warnings == {"report_name_variant": 1, "report_by_address": 1, "report_unmatched": 2}
    notes = result.notes.set_index("reason")
    assert notes.loc["report_name_variant", ["line", "field"]].tolist() == [2, "Cơ sở bị phản ánh"]
    assert notes.loc["report_by_address", ["line", "field"]].tolist() == [3, "Địa chỉ"]
    english = summary(result, translator("en"), "en")[1]
    assert ("1 × report linked to a venue whose name it writes differently (an abbreviation, or without its "
            "category word), here “Quán Cà Phê Xanh” (C1): check it (first at line 2)") in english
    assert ("1 × report giving only an address linked to the one venue registered there, here “Công ty TNHH Bình "
            "Minh” (C2): check it (first at line 3)") in english
    vietnamese = summary(result, translator("vi"), "vi")[1]
    assert any(line.startswith("Phản ánh được gắn với cơ sở có tên được viết khác (viết tắt, hoặc thiếu từ chỉ loại "
                               "hình), ở đây là “Quán Cà Phê Xanh” (C1)") for line in vietnamese)
    assert any(line.startswith("Phản ánh chỉ ghi địa chỉ được gắn với cơ sở duy nhất đăng ký tại đó, ở đây là “Công "
                               "ty TNHH Bình Minh” (C2)") for line in vietnamese)


def test_a_venue_import_links_stored_reports_by_names_written_differently_and_addresses(workspace, tmp_path):
    path = tmp_path / "hues.csv"
    path.write_text(WRITTEN_DIFFERENTLY, encoding="utf-8")
    import_file(workspace, "reports", path)
    registry = tmp_path / "registry.csv"
    registry.write_text(VARIANTS, encoding="utf-8")
    result = import_file(workspace, "venues", registry)
    assert _reports(workspace) == {"A": ("C1", "name_variant"), "B": ("C2", "address"), "C": (None, "none"),
                                   "D": (None, "none")}
    assert {k: v for k, v in result.warnings.items() if k.startswith("reports_linked")} == {
        "reports_linked": 2, "reports_linked_by_address": 1, "reports_linked_by_name_variant": 1}
    english = summary(result, translator("en"), "en")[1]
    assert "1 × of the citizen reports now linked: by their address alone (the one venue registered there)" in english
    assert any(line.startswith("Trong số phản ánh vừa được gắn: theo tên cơ sở viết khác")
               for line in summary(result, translator("vi"), "vi")[1])


def test_a_report_linked_by_a_name_written_differently_goes_to_the_venue_of_its_id_once_registered(workspace, tmp_path):
    registry = tmp_path / "registry.csv"
    registry.write_text(VARIANTS, encoding="utf-8")
    import_file(workspace, "venues", registry)
    path = tmp_path / "hues.csv"
    path.write_text("Thời gian gửi,Mã cơ sở,Cơ sở,Nội dung\n15/08/2021 14:30,C9,cf Xanh,A\n", encoding="utf-8")
    import_file(workspace, "reports", path)
    assert _reports(workspace) == {"A": ("C1", "name_variant")}
    later = tmp_path / "later.csv"
    later.write_text("Mã cơ sở,Tên cơ sở,Địa chỉ,Vĩ độ,Kinh độ\nC9,Cà phê Xanh Lá,3 Lê Lợi,16.4451,107.5551\n",
                     encoding="utf-8")
    import_file(workspace, "venues", later)
    assert _reports(workspace) == {"A": ("C9", "id")}  # the venue it names by id wins, as it would have


def test_a_report_giving_part_of_an_address_is_linked_and_said_to_be_so_in_the_summary_and_warnings(workspace,
                                                                                                   tmp_path):
    registry = tmp_path / "registry.csv"
    registry.write_text(VARIANTS, encoding="utf-8")
    import_file(workspace, "venues", registry)
    path = tmp_path / "hues.csv"
    path.write_text(HEADER + "15/08/2021 14:30,,Số 12 đường Lê Lợi,A\n"
                    "15/08/2021 15:00,,\"12 Lê Lợi, P. Phú Hội\",B\n"  # another ward: not that venue
                    "15/08/2021 16:00,,5 Hùng Vương,C\n", encoding="utf-8")
    result = import_file(workspace, "reports", path)
    assert _reports(workspace) == {"A": ("C1", "address_partial"), "B": (None, "none"), "C": ("C2", "address")}
    assert result.warnings == {"report_by_address_partial": 1, "report_by_address": 1, "report_unmatched": 1}
    row_files(result, translator("en"))
    [note] = [n for n in _rows(result.notes_file) if n["reason code"] == "report_by_address_partial"]
    english = ("report giving only part of an address (the house number and street) linked to the one venue whose "
               "address begins so, here “Quán Cà Phê Xanh” (C1) at “12 Lê Lợi, P. Vĩnh Ninh”: check it")
    assert (note["line"], note["field"], note["message"], note["Địa chỉ"]) == ("2", "Địa chỉ", english,
                                                                                "Số 12 đường Lê Lợi")
    assert f"1 × {english} (first at line 2)" in summary(result, translator("en"), "en")[1]
    row_files(result, translator("vi"))
    [note] = [n for n in _rows(result.notes_file) if n["mã lý do"] == "report_by_address_partial"]
    vietnamese = ("hản ánh chỉ ghi một phần địa chỉ (số nhà và tên đường) được gắn với cơ sở duy nhất có địa chỉ "
                  "bắt đầu như vậy, ở đây là “Quán Cà Phê Xanh” (C1) tại “12 Lê Lợi, P. Vĩnh Ninh”, cần kiểm tra lại")
    assert note["thông báo"] == "p" + vietnamese
    assert any(line.startswith("P" + vietnamese) for line in summary(result, translator("vi"), "vi")[1])


def test_a_venue_import_links_stored_reports_giving_part_of_an_address_as_the_report_import_would(workspace,
                                                                                                 tmp_path):
    path = tmp_path / "hues.csv"
    path.write_text(HEADER + "15/08/2021 14:30,,Số 12 đường Lê Lợi,A\n"
                    "15/08/2021 15:00,,\"12 Lê Lợi, P. Phú Hội\",B\n", encoding="utf-8")
    import_file(workspace, "reports", path)
    registry = tmp_path / "registry.csv"
    registry.write_text(VARIANTS, encoding="utf-8")
    result = import_file(workspace, "venues", registry)
    assert _reports(workspace) == {"A": ("C1", "address_partial"), "B": (None, "none")}
    assert result.warnings["reports_linked"] == 1


def test_reports_of_one_minute_and_one_text_about_two_named_venues_are_two(venue_workspace, tmp_path):
    """Without ids, what the reports say of their venue tells them apart, and importing them again adds none."""
    path = tmp_path / "hues.csv"
    path.write_text("Thời gian gửi,Cơ sở bị phản ánh,Địa chỉ,Phường/Xã,Nội dung phản ánh\n"
                    "15/08/2021 09:00,Quán cà phê Hoa Sen,,,Không có bảng QR\n"
                    "15/08/2021 09:00,Nhà hàng Phú Hòa,,,Không có bảng QR\n"
                    "15/08/2021 09:00,,12 Lê Lợi,,Không có bảng QR\n"
                    "15/08/2021 09:00,,12 Lê Lợi,Phường Đông Ba,Không có bảng QR\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert (result.rows_accepted, result.counts.added) == (4, 4)
    path.write_text(path.read_text(encoding="utf-8").lower(), encoding="utf-8")  # another export: case aside
    result = import_file(venue_workspace, "reports", path)
    assert (result.counts.added, result.counts.unchanged + result.counts.updated) == (0, 4)


def test_reports_stored_by_a_version_that_left_names_out_of_their_ids_are_not_doubled(venue_workspace, tmp_path):
    path = tmp_path / "hues.csv"
    path.write_text(HEADER + "15/08/2021 14:30,Quán cà phê Hoa Sen,,Không quét mã QR\n", encoding="utf-8")
    import_file(venue_workspace, "reports", path)
    with venue_workspace.connect() as conn:  # as an earlier version stored it: id from time and text only
        conn.execute("UPDATE citizen_reports SET report_id = 'R-old', given_venue_name = NULL")
        conn.execute("DELETE FROM import_log")
    result = import_file(venue_workspace, "reports", path)
    assert (result.counts.added, result.counts.updated) == (0, 1)
    assert venue_workspace.query("SELECT report_id, given_venue_name FROM citizen_reports").values.tolist() == [
        ["R-old", "Quán cà phê Hoa Sen"]]
