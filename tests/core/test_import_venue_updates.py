"""A registry that lists fewer columns updates the venues it names without erasing what it does not give."""

import pandas as pd
import pytest

from inspector.core.importers import import_file


def test_a_list_without_some_columns_keeps_what_registered_venues_have(venue_workspace, tmp_path):
    full = tmp_path / "full.csv"
    full.write_text("Mã cơ sở,Mã QR,Tên cơ sở,Loại hình,Phường/Xã,Vĩ độ,Kinh độ,Số nhân viên,Sức chứa,Liên hệ,"
                    "Ngày đăng ký,Trạng thái,Địa chỉ\n"
                    "V1,HUESQR|V1|1,Quán cà phê Hoa Sen,Quán cà phê,Phường Đông Ba,16.4450,107.5550,4,40,0234 3151 962,"
                    "27/01/2021,Tạm dừng,1 Lê Lợi\n", encoding="utf-8")
    import_file(venue_workspace, "venues", full)
    columns = "qr_payload, category, category_raw, address, declared_ward_code, staff, capacity, owner_contact, " \
              "registered_on, status"
    before = venue_workspace.query(f"SELECT {columns} FROM venues WHERE venue_id = 'V1'")
    ward_list = tmp_path / "ward.csv"  # a ward's list: ids, names and places only, and one venue new
    ward_list.write_text("Mã cơ sở,Tên cơ sở,Tọa độ\nV1,Quán cà phê Hoa Sen (mới),\"16.4451, 107.5551\"\n"
                         "V9,Tiệm tóc Mới,\"16.4452, 107.5552\"\n", encoding="utf-8")
    result = import_file(venue_workspace, "venues", ward_list)
    assert (result.counts.added, result.counts.updated) == (1, 1)
    after = venue_workspace.query(f"SELECT name, lat, {columns} FROM venues WHERE venue_id = 'V1'")
    assert after[["name", "lat"]].values.tolist() == [["Quán cà phê Hoa Sen (mới)", 16.4451]]
    pd.testing.assert_frame_equal(after.drop(columns=["name", "lat"]), before)
    assert before.loc[0, "qr_payload"] == "HUESQR|V1|1" and before.loc[0, "staff"] == 4
    new = venue_workspace.query("SELECT qr_payload, category, status, staff FROM venues WHERE venue_id = 'V9'")
    assert new.values.tolist() == [["V9", "other", "active", None]]


def test_a_column_the_file_has_still_updates_the_venue(venue_workspace, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("venue_id,name,lat,lon,staff\nV1,Quán cà phê Hoa Sen,16.4450,107.5550,\n", encoding="utf-8")
    import_file(venue_workspace, "venues", path)
    row = venue_workspace.query("SELECT staff, capacity FROM venues WHERE venue_id = 'V1'")
    assert row.values.tolist() == [[None, 40]]  # emptied where the file says so, kept where it says nothing


@pytest.mark.filterwarnings("error")
def test_a_first_registry_without_ward_columns_imports_cleanly(workspace, tmp_path):
    path = tmp_path / "first.csv"
    path.write_text("Mã cơ sở,Tên cơ sở,Tọa độ\nV1,Quán A,\"16.445, 107.555\"\n", encoding="utf-8")
    assert import_file(workspace, "venues", path).counts.added == 1
