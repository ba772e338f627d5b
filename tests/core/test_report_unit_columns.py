"""Reports that give the venue's ward or district in columns of their own ("Phường/Xã", "Quận/Huyện").

The workspace's wards (tests/conftest.py): Phường Đông Ba (19000), Phường Tây Lộc (19001), Xã Hương An
(19002) and Xã Phú Hòa (19003), all in Thành phố Mẫu (901).
"""

from inspector.core.i18n import translator
from inspector.core.importers import import_file
from inspector.core.importers.outcome import summary

#: Two cafés of one name in two wards, two venues at one house number and street, none with its ward
#: in its address (the registry gives it in a column).
REGISTRY = ("Mã cơ sở,Tên cơ sở,Địa chỉ,Phường/Xã,Vĩ độ,Kinh độ\n"
            "C1,Quán cà phê Xanh,12 Lê Lợi,Phường Đông Ba,16.4450,107.5550\n"
            "C2,Quán cà phê Xanh,5 Chi Lăng,Xã Phú Hòa,16.4650,107.5750\n"
            "C3,Tiệm tóc Mai,30 Trần Phú,Phường Đông Ba,16.4460,107.5560\n"
            "C4,Tiệm tóc Lan,30 Trần Phú,Xã Phú Hòa,16.4660,107.5760\n"
            "C5,Nhà sách Hồng,7 Hùng Vương,Phường Đông Ba,16.4470,107.5570\n")


def _registry(ws, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text(REGISTRY, encoding="utf-8")
    import_file(ws, "venues", path)


def _import(ws, tmp_path, text):
    path = tmp_path / "hues.csv"
    path.write_text(text, encoding="utf-8")
    return import_file(ws, "reports", path)


def _linked(ws):
    return {d: (v if isinstance(v, str) else None, how) for d, v, how in ws.query(
        "SELECT description, venue_id, matched_by FROM citizen_reports").itertuples(index=False)}


def test_the_ward_column_tells_apart_venues_of_one_name(workspace, tmp_path):
    _registry(workspace, tmp_path)
    result = _import(workspace, tmp_path, "Thời gian gửi,Cơ sở bị phản ánh,Phường/Xã,Nội dung phản ánh\n"
                     "15/08/2021 14:30,Quán cà phê Xanh,Phú Hòa,A\n"
                     "15/08/2021 14:40,Quán cà phê Xanh,P. Đông Ba,B\n"
                     "15/08/2021 14:50,Quán cà phê Xanh,,C\n"
                     "15/08/2021 15:00,Quán cà phê Xanh,Phường Tây Lộc,D\n"
                     "15/08/2021 15:10,cf Xanh,Xã Phú Hòa,E\n")
    assert result.columns["ward_name"] == "Phường/Xã" and not result.unused_columns
    assert _linked(workspace) == {"A": ("C2", "name"), "B": ("C1", "name"), "C": (None, "none"),
                                  "D": (None, "none"), "E": ("C2", "name_variant")}
    stored = workspace.query("SELECT coalesce(given_ward, '-'), coalesce(given_district, '-') FROM citizen_reports "
                             "ORDER BY fid")
    assert stored.values.tolist() == [["Phú Hòa", "-"], ["P. Đông Ba", "-"], ["-", "-"],
                                      ["Phường Tây Lộc", "-"], ["Xã Phú Hòa", "-"]]


def test_a_venue_outside_the_ward_or_district_a_report_gives_is_not_its_venue(venue_workspace, tmp_path):
    """Even the only venue of the name: the report says it is elsewhere."""
    _import(venue_workspace, tmp_path, "Thời gian gửi,Cơ sở bị phản ánh,Phường/Xã,Quận/Huyện,Nội dung phản ánh\n"
            "15/08/2021 14:30,Nhà hàng Phú Hòa,Đông Ba,,A\n"
            "15/08/2021 14:40,Nhà hàng Phú Hòa,,Huyện Khác,B\n"
            "15/08/2021 14:50,Nhà hàng Phú Hòa,Phú Hòa,TP. Mẫu,C\n"
            "15/08/2021 15:00,Nhà hàng Phú Hòa,,,D\n")
    assert _linked(venue_workspace) == {"A": (None, "none"), "B": (None, "none"), "C": ("V4", "name"),
                                        "D": ("V4", "name")}


def test_a_ward_or_district_given_by_its_code(workspace, tmp_path):
    _registry(workspace, tmp_path)
    _import(workspace, tmp_path, "Time,Venue,Ward,District,Description\n"
            "2021-08-15 14:30,Quán cà phê Xanh,19003,,A\n"
            "2021-08-15 14:40,Quán cà phê Xanh,019000,901,B\n"
            "2021-08-15 14:50,Quán cà phê Xanh,,901,C\n"
            "2021-08-15 15:00,Quán cà phê Xanh,,902,D\n")
    assert _linked(workspace) == {"A": ("C2", "name"), "B": ("C1", "name"), "C": (None, "none"), "D": (None, "none")}


def test_the_ward_column_narrows_an_address(workspace, tmp_path):
    _registry(workspace, tmp_path)
    _import(workspace, tmp_path, "Thời gian gửi,Địa chỉ,Phường/Xã,Nội dung phản ánh\n"
            "15/08/2021 14:30,30 Trần Phú,Phú Hòa,A\n"
            "15/08/2021 14:40,30 Trần Phú,,B\n"
            "15/08/2021 14:50,7 Hùng Vương,Phú Hòa,C\n"
            "15/08/2021 15:00,7 Hùng Vương,Đông Ba,D\n")
    assert _linked(workspace) == {"A": ("C4", "address_partial"), "B": (None, "none"), "C": (None, "none"),
                                  "D": ("C5", "address")}


def test_a_ward_written_in_the_address_finds_a_venue_that_declares_it(workspace, tmp_path):
    """The registry's address says no ward, its ward column does: "30 Trần Phú, P. Đông Ba" is Tiệm tóc Mai."""
    _registry(workspace, tmp_path)
    _import(workspace, tmp_path, "Thời gian gửi,Địa chỉ,Nội dung phản ánh\n"
            "15/08/2021 14:30,\"30 Trần Phú, P. Đông Ba\",A\n"
            "15/08/2021 14:40,\"30 Trần Phú, Phường Tây Lộc\",B\n")
    assert _linked(workspace) == {"A": ("C3", "address_partial"), "B": (None, "none")}


def test_stored_reports_keep_their_ward_for_venues_registered_later(workspace, tmp_path):
    _import(workspace, tmp_path, "Thời gian gửi,Cơ sở bị phản ánh,Địa chỉ,Phường/Xã,Nội dung phản ánh\n"
            "15/08/2021 14:30,Quán cà phê Xanh,,Phú Hòa,A\n"
            "15/08/2021 14:40,Quán cà phê Xanh,,,B\n"
            "15/08/2021 14:50,,30 Trần Phú,Phú Hòa,C\n")
    assert _linked(workspace) == {"A": (None, "none"), "B": (None, "none"), "C": (None, "none")}
    path = tmp_path / "registry.csv"
    path.write_text(REGISTRY, encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert _linked(workspace) == {"A": ("C2", "name"), "B": (None, "none"), "C": ("C4", "address_partial")}
    assert {k: v for k, v in result.warnings.items() if k.startswith("reports_linked")} == {
        "reports_linked": 2, "reports_linked_by_address_partial": 1}
    english = summary(result, translator("en"), "en")[1]
    assert "1 × of the citizen reports now linked: by part of their address alone (the house number and street of " \
           "the one venue whose address begins so)" in english


def test_a_ward_or_district_the_workspace_does_not_have_is_said(workspace, tmp_path):
    _registry(workspace, tmp_path)
    result = _import(workspace, tmp_path, "Thời gian gửi,Cơ sở bị phản ánh,Phường/Xã,Quận/Huyện,Nội dung phản ánh\n"
                     "15/08/2021 14:30,Quán cà phê Xanh,Phú Hoà,Thành phố Mẫu,A\n"
                     "15/08/2021 14:40,Quán cà phê Xanh,Phú Hòaa,,B\n"
                     "15/08/2021 14:50,Quán cà phê Xanh,19999,,C\n"
                     "15/08/2021 15:00,Quán cà phê Xanh,,Quận 1,D\n")
    assert _linked(workspace) == {"A": ("C2", "name"), "B": (None, "none"), "C": (None, "none"), "D": (None, "none")}
    notes = result.notes[result.notes["reason"] == "report_unknown_unit"]
    assert notes[["line", "field"]].values.tolist() == [[3, "Phường/Xã"], [4, "Phường/Xã"], [5, "Quận/Huyện"]]
    assert result.warnings["report_unknown_unit"] == 3
    assert any(line.startswith("2 × Phường/Xã: “Phú Hòaa” is none of the workspace's wards or districts")
               for line in summary(result, translator("en"), "en")[1])


def test_without_boundaries_the_ward_column_reads_the_venues_addresses(tmp_path):
    """A workspace of venues alone has no unit to check a ward or a code against: no warning, no code read."""
    from inspector.core.workspace import Workspace

    ws = Workspace.create(tmp_path / "venues-only.gpkg")
    path = tmp_path / "registry.csv"
    path.write_text("Mã cơ sở,Tên cơ sở,Địa chỉ,Vĩ độ,Kinh độ\n"
                    "C1,Quán cà phê Xanh,\"12 Lê Lợi, Phường Vĩnh Ninh\",16.4450,107.5550\n"
                    "C2,Quán cà phê Xanh,\"5 Chi Lăng, Phường Phú Cát\",16.4650,107.5750\n", encoding="utf-8")
    import_file(ws, "venues", path)
    result = _import(ws, tmp_path, "Thời gian gửi,Cơ sở bị phản ánh,Phường/Xã,Nội dung phản ánh\n"
                     "15/08/2021 14:30,Quán cà phê Xanh,Vĩnh Ninh,A\n"
                     "15/08/2021 14:40,Quán cà phê Xanh,19003,B\n")
    assert _linked(ws) == {"A": ("C1", "name"), "B": (None, "none")}
    assert "report_unknown_unit" not in result.warnings


def test_a_ward_only_a_venues_address_names_is_no_unknown_unit(workspace, tmp_path):
    path = tmp_path / "registry.csv"  # Vĩnh Ninh is none of the workspace's wards, but this venue's address says it
    path.write_text("Mã cơ sở,Tên cơ sở,Địa chỉ,Vĩ độ,Kinh độ\n"
                    "C1,Quán cà phê Lam,\"12 Lê Lợi, Phường Vĩnh Ninh\",16.4450,107.5550\n", encoding="utf-8")
    import_file(workspace, "venues", path)
    result = _import(workspace, tmp_path, "Thời gian gửi,Cơ sở bị phản ánh,Phường/Xã,Nội dung phản ánh\n"
                     "15/08/2021 14:30,Quán cà phê Lam,Vĩnh Ninh,A\n")
    assert _linked(workspace) == {"A": ("C1", "name")} and "report_unknown_unit" not in result.warnings


def test_a_ward_and_district_in_one_cell_and_a_ward_by_its_number(tmp_path):
    from inspector.core.workspace import Workspace

    ws = Workspace.create(tmp_path / "numbers.gpkg")
    path = tmp_path / "registry.csv"  # no boundaries: the venues' addresses say where they are
    path.write_text("Mã cơ sở,Tên cơ sở,Địa chỉ,Vĩ độ,Kinh độ\n"
                    "C1,Quán cà phê Xanh,\"12 Lê Lợi, Phường 5, Quận 3\",16.4450,107.5550\n"
                    "C2,Quán cà phê Xanh,\"5 Chi Lăng, Phường 5, Quận 10\",16.4650,107.5750\n"
                    "C3,Quán cà phê Xanh,\"9 Hai Bà Trưng, Phường 7, Quận 3\",16.4660,107.5760\n", encoding="utf-8")
    import_file(ws, "venues", path)
    _import(ws, tmp_path, "Thời gian gửi,Cơ sở bị phản ánh,Phường/Xã,Quận/Huyện,Nội dung phản ánh\n"
            "15/08/2021 14:30,Quán cà phê Xanh,\"P.5, Q.3\",,A\n"
            "15/08/2021 14:40,Quán cà phê Xanh,5,Quận 10,B\n"
            "15/08/2021 14:50,Quán cà phê Xanh,7,,C\n"
            "15/08/2021 15:00,Quán cà phê Xanh,5,,D\n")
    assert _linked(ws) == {"A": ("C1", "name"), "B": ("C2", "name"), "C": ("C3", "name"), "D": (None, "none")}
