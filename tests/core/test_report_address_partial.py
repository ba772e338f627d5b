"""Reports giving only part of a venue's address (house number and street, perhaps a ward): linked, never a guess."""

import pytest

from tests.core.conftest import linked_reports

REGISTRY = {
    "V1": ("Quán cà phê Xanh", "12 Lê Lợi, P. Vĩnh Ninh, TP. Huế"),
    "V2": ("Nhà thuốc An Khang", "Số 7 đường Lê Lợi, Phường Phú Hội, TP. Huế"),
    "V3": ("Tạp hóa Mai", "12A Lê Lợi, P. Vĩnh Ninh, TP. Huế"),
    "V4": ("Karaoke Hoàng Gia", "45 Nguyễn Trãi, Phường 5, Quận 1"),
    "V5": ("Ki ốt Thu Hà", "6 Trần Hưng Đạo, P. Phú Hòa"),  # a market's address: two venues
    "V6": ("Ki ốt Mai", "6 Trần Hưng Đạo, P. Phú Hòa"),
    "V7": ("Tiệm vàng Kim", "30 Hùng Vương, P. Phú Nhuận"),  # the same house number and street in two wards
    "V8": ("Quán bún Bò", "30 Hùng Vương, xã Phú Dương"),
    "V9": ("Nhà nghỉ Sông Hương", "8 Chi Lăng"),  # no ward in the registry
}


def _linked(addresses, registry=REGISTRY):
    return linked_reports([("", a) for a in addresses], registry)


@pytest.mark.parametrize(("address", "venue"), [
    ("12 Lê Lợi", "V1"), ("Số 12 Lê Lợi", "V1"), ("12 đường Lê Lợi", "V1"), ("12 Le Loi", "V1"),
    ("số 12 đ. Lê Lợi", "V1"), ("12 Lê Lợi, Vĩnh Ninh", "V1"), ("12 Lê Lợi P. Vĩnh Ninh", "V1"),
    ("12 Lê Lợi, Huế", "V1"), ("12A Lê Lợi", "V3"), ("7 Lê Lợi, Phú Hội", "V2"),
    ("45 Nguyễn Trãi, P5", "V4"), ("45 Nguyen Trai, Q.1", "V4"),
    ("30 Hùng Vương, Phú Nhuận", "V7"), ("30 Hùng Vương, Phú Dương", "V8"),  # the ward picks one
    ("8 Chi Lăng", "V9"),  # as registered: the whole address
])
def test_a_house_number_and_street_link_to_the_one_venue_there_in_the_units_the_report_names(address, venue):
    assert _linked([address]) == [(venue, "address" if address == "8 Chi Lăng" else "address_partial")]


@pytest.mark.parametrize("address", [
    "12", "Số 12", "Số 12, P. Vĩnh Ninh",  # a house number alone
    "Lê Lợi", "Lê Lợi, P. Vĩnh Ninh",  # a street alone
    "12 Lê Lợi, P. Phú Hội",  # the one venue at 12 Lê Lợi is in another ward
    "12 Lê Lợi, TP. Đà Nẵng",  # ... in another city
    "8 Chi Lăng, P. Tây Lộc",  # the registry does not say the venue is in that ward
    "12B Lê Lợi", "1 Lê Lợi", "112 Lê Lợi",  # no venue at that number: 12A is not 12, nor 12 112
    "12 Lê Lợi Nối Dài",  # another street
    "30 Hùng Vương", "30 Hùng Vương, TP. Huế",  # two venues, in wards the report does not tell apart
    "6 Trần Hưng Đạo", "6 Trần Hưng Đạo, P. Phú Hòa",  # a market's address: several venues
    "45 Nguyễn Trãi, Phường 6",  # a numbered ward: 5 is not 6
])
def test_a_partial_address_of_no_one_venue_stays_unlinked(address):
    assert _linked([address]) == [(None, "none")]


def test_a_venue_registered_without_its_ward_and_another_with_it_leave_the_street_number_alone_unlinked():
    registry = {"A": ("Quán Mây", "12 Lê Lợi"), "B": ("Quán Gió", "12 Lê Lợi, P. Vĩnh Ninh")}
    # "12 Lê Lợi" is A's whole address, but B may be the one reported; with the ward, B only can be
    assert _linked(["12 Lê Lợi", "12 Lê Lợi, Vĩnh Ninh", "12 Lê Lợi, P. Vĩnh Ninh"], registry) == [
        (None, "none"), ("B", "address_partial"), ("B", "address")]


def test_a_report_giving_a_name_is_not_linked_by_its_partial_address():
    # the name is no registered venue's: as with a whole address, the address does not override it
    assert linked_reports([("Quán Mây Trắng", "12 Lê Lợi")], REGISTRY) == [(None, "none")]


def test_a_ward_named_as_its_district_is_told_apart_from_the_district_by_the_unit_word():
    registry = {"A": ("Quán Mây", "37 Lê Thánh Tôn, Phường Thanh Long, Huyện Điền Hậu"),
                "B": ("Quán Gió", "37 Lê Thánh Tôn, Phường Điền Hậu, Huyện Điền Hậu")}
    # "Phường Điền Hậu" is B's ward, not A's district; "Điền Hậu" alone may be either's
    assert _linked(["37 Lê Thánh Tôn, Phường Điền Hậu", "37 Lê Thánh Tôn, P. Thanh Long", "37 Lê Thánh Tôn, Điền Hậu",
                    "37 Lê Thánh Tôn, Huyện Điền Hậu"], registry) == [
        ("B", "address_partial"), ("A", "address_partial"), (None, "none"), (None, "none")]
