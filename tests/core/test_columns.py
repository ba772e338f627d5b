"""How a file's headings are matched to our fields (resources/columns.toml, inspector/core/columns.py)."""

import pytest

from inspector.core.columns import map_columns, match_columns, unused_columns
from inspector.core.errors import InputError
from inspector.core.i18n import translator
from inspector.core.messages import render

EN = translator("en")


@pytest.mark.parametrize("kind,heading,field", [
    ("venues", "Tên cơ sở/doanh nghiệp", "name"),
    ("venues", "Tên doanh nghiệp", "name"),
    ("venues", "Tên đơn vị", "name"),
    ("venues", "Số lao động", "staff"),
    ("venues", "Số người lao động", "staff"),
    ("venues", "Vĩ độ (Y)", "lat"),
    ("venues", "Kinh độ (X)", "lon"),
    ("venues", "Sức chứa (người)", "capacity"),
    ("venues", "Sức chứa, người", "capacity"),
    ("venues", "Tên cơ sở (*)", "name"),
    ("venues", "Loại hình kinh doanh", "category"),
    ("venues", "Tình trạng hoạt động", "status"),
    ("scans", "Thời gian quét", "timestamp"),
    ("scans", "Thời gian check-in", "timestamp"),
    ("scans", "Thời gian (dd/mm/yyyy hh:mm)", "timestamp"),
    ("reports", "Nội dung phản ánh", "description"),
    ("reports", "Hành vi vi phạm", "kind"),
    ("reports", "Nội dung", "description"),
    ("reports", "Mô tả", "description"),
    ("reports", "Thời gian phản ánh", "reported_at"),
])
def test_common_vietnamese_headings_are_recognised(kind, heading, field):
    assert match_columns(kind, ["other", heading]) == {field: heading}


def test_an_exact_heading_wins_over_a_looser_one_and_a_heading_is_one_field_only():
    headers = ["Vĩ độ (Y)", "Kinh độ (X)", "Vĩ độ", "Kinh độ"]
    found = match_columns("venues", headers)
    assert (found["lat"], found["lon"]) == ("Vĩ độ", "Kinh độ")
    assert unused_columns(headers, found) == ["Vĩ độ (Y)", "Kinh độ (X)"]
    assert match_columns("venues", ["Mã cơ sở", "Mã cơ sở (cũ)"]) == {"venue_id": "Mã cơ sở"}


@pytest.mark.parametrize("heading", ["Vĩ độ/Kinh độ", "Tọa độ X/Y", "Mã cơ sở/Mã QR"])
def test_a_heading_whose_loose_readings_name_several_fields_is_left_alone(heading):
    assert match_columns("venues", [heading]) == {}


def test_short_aliases_match_only_a_whole_heading():
    assert match_columns("venues", ["Y (m)", "Số X/Y"]) == {}  # "y" and "x" are aliases of lat and lon
    assert match_columns("venues", ["Y", "X"]) == {"lat": "Y", "lon": "X"}


def test_a_missing_column_is_named_by_its_heading_and_its_field():
    with pytest.raises(InputError) as err:
        map_columns("venues", ["Mã cơ sở", "Vĩ độ", "Kinh độ"], file="v.csv")
    assert render(err.value.code, err.value.params, EN).startswith(
        "v.csv: required column “Name” (name) not found (accepted names include: name, ten_co_so")
    with pytest.raises(InputError) as err:
        map_columns("scans", ["Mã cơ sở", "Số điện thoại"], file="s.csv", sheet="Quét")
    assert render(err.value.code, err.value.params, EN).startswith(
        "s.csv, sheet “Quét”: required column “Scan time” (timestamp) not found")


def test_unused_columns_leave_out_blank_and_internal_columns():
    found = {"venue_id": "Mã cơ sở"}
    assert unused_columns(["STT", "Mã cơ sở", "", "column", "__lat", "Ghi chú"], found, ["column"]) == [
        "STT", "Ghi chú"]


def test_a_heading_that_names_a_time_zone_is_not_taken_for_local_time():
    from inspector.core.columns import match_columns

    assert "timestamp" not in match_columns("scans", ["Thời gian (UTC)", "venue_id", "phone"])
    local = "Thời gian quét (giờ VN)"
    assert match_columns("scans", [local, "venue_id", "phone"])["timestamp"] == local
