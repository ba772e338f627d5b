"""Reports without a position linked by a venue name written differently, or by their address alone; never a guess."""

import pytest

from tests.core.conftest import linked_reports

#: a registry of one town: venue id -> (name, address)
REGISTRY = {
    "V1": ("Quán cà phê Xanh", "12 Lê Lợi, P. Vĩnh Ninh"),
    "V2": ("Công ty TNHH Bình Minh", "5 Hùng Vương"),
    "V3": ("Ủy ban nhân dân phường Hộ Thuận", "1 Đinh Tiên Hoàng"),
    "V4": ("Trường THPT Hàm Nghi", "3 Hàm Nghi"),
    "V5": ("Nhà thuốc An Khang", "7 Lê Lợi"),
    "V6": ("Chợ Đông Ba", "Chợ Đông Ba, Phú Hòa"),
    "V7": ("Ki ốt Thu Hà", "Chợ Đông Ba, Phú Hòa"),
    "V8": ("Nhà hàng Hoa Sen", "9 Chi Lăng"),
    "V9": ("Quán cà phê Hoa Sen", "11 Chi Lăng"),
    "V10": ("Quán cà phê An", "2 Bà Triệu"),
    "V11": ("Bệnh viện Trung ương Huế", "16 Lê Lợi"),
    "V12": ("Tạp hóa Bà Tư", "20 Trần Hưng Đạo"),
    "V13": ("Karaoke Hoàng Gia", "30 Nguyễn Huệ"),
    "V14": ("Siêu thị Lê Lợi", "40 Bà Triệu"),
    "V15": ("Quán 36", "36 Bà Triệu"),
}


def _linked(reports, registry=REGISTRY, ids=None):
    return linked_reports(reports, registry, ids)


@pytest.mark.parametrize(("name", "venue"), [
    ("Cafe Xanh", "V1"), ("cf Xanh", "V1"), ("Café Xanh", "V1"), ("Xanh Coffee", "V1"), ("CÀ PHÊ XANH", "V1"),
    ("Cty TNHH Bình Minh", "V2"), ("C.ty Bình Minh", "V2"), ("Công ty Bình Minh", "V2"),
    ("UBND phường Hộ Thuận", "V3"), ("UBND P. Hộ Thuận", "V3"),
    ("THPT Hàm Nghi", "V4"), ("Trường trung học phổ thông Hàm Nghi", "V4"),
    ("Hiệu thuốc An Khang", "V5"),
    ("BV Trung ương Huế", "V11"),
    ("Tiệm Bà Tư", "V12"), ("Cửa hàng tạp hóa Bà Tư", "V12"), ("Cửa hàng tiệm tạp hóa Bà Tư", "V12"),  # stacked
    ("Cafe An", "V10"),  # "Quán cà phê An" with "quán" left out: the words but the stacked category word agree
    ("Hoàng Gia Karaoke", "V13"), ("Hoàng Gia", "V13"),
    ("Xanh", "V1"),  # no category word: the only "Xanh" of the registry
])
def test_a_name_written_differently_links_to_the_one_venue_it_means(name, venue):
    assert _linked([(name, "")]) == [(venue, "name_variant" if venue else "none")]


def test_a_name_as_registered_is_still_matched_by_name():
    # "hoá" and "hóa" (the tone mark on either vowel) are one word already, as are case and accents
    assert _linked([("quan ca phe xanh", ""), ("Công ty TNHH Bình Minh", ""), ("tạp hoá Bà Tư", "")]) == [
        ("V1", "name"), ("V2", "name"), ("V12", "name")]


@pytest.mark.parametrize("name", [
    "Nhà hàng Xanh",  # the one "Xanh" is a café: the category contradicts
    "Khách sạn Bình Minh",  # a company is not a hotel
    "Quán Hoa Sen",  # "quán" is a café or an eatery: both "Hoa Sen" are candidates
    "Hoa Sen",  # no category word, and two venues named so
    "An", "Nhà hàng An", "Quán An",  # "An" is too short to tell a venue (and a restaurant's is not the café's)
    "Quán 36", "36",  # a number; "Quán 36" is matched as registered, its variants not: see below
    "Lê Lợi", "Cafe Lê Lợi", "Hàm Nghi",  # a street of the registry's addresses
    "Phường Hộ Thuận", "Vĩnh Ninh",  # a ward, not a venue
    "Quán cà phê",  # a category word alone
])
def test_a_name_that_could_mean_several_venues_or_none_stays_unlinked(name):
    linked = _linked([(name, "")])
    assert linked == [(None, "none")] or (name == "Quán 36" and linked == [("V15", "name")])


def test_a_short_distinctive_part_links_only_as_registered():
    assert _linked([("Quán 36", ""), ("Quán ăn 36", ""), ("Nhà hàng 36", "")]) == [
        ("V15", "name"), (None, "none"), (None, "none")]


def test_the_category_word_chooses_among_venues_of_one_distinctive_part():
    # "Hoa Sen" is a restaurant (V8) and a café (V9): the report's category word says which
    assert _linked([("Cafe Hoa Sen", ""), ("Quán ăn Hoa Sen", ""), ("Nhà hàng Hoa Sen", "")]) == [
        ("V9", "name_variant"), ("V8", "name_variant"), ("V8", "name")]


def test_a_venue_without_category_word_is_linked_by_distinctive_part_only_when_alone_in_the_registry():
    registry = {**REGISTRY, "V20": ("Xanh", "50 Lê Lợi")}
    # the café and the venue named only "Xanh" could both be the "Xanh Coffee" reported; "Cafe Xanh" is the café's
    # name but for "Quán" (a stacked category word), which comes first
    assert _linked([("Xanh Coffee", ""), ("Nhà hàng Xanh", ""), ("Cafe Xanh", "")], registry) == [
        (None, "none"), (None, "none"), ("V1", "name_variant")]
    registry = {k: v for k, v in registry.items() if k != "V1"}
    # "Nhà hàng Xanh": "Xanh" alone says no category, and it is the registry's only "Xanh"
    assert _linked([("Nhà hàng Xanh", "")], registry) == [("V20", "name_variant")]
    registry["V21"] = ("Khách sạn Xanh", "60 Lê Lợi")
    assert _linked([("Nhà hàng Xanh", "")], registry) == [(None, "none")]


def test_a_name_as_registered_wins_over_a_looser_reading():
    registry = {**REGISTRY, "V21": ("Cafe Xanh", "70 Hùng Vương")}
    # "Cafe Xanh" is registered as such (V21), and also reads as "Quán cà phê Xanh" (V1): as registered wins,
    # then abbreviations written out ("cf"); the distinctive part alone would find both
    assert _linked([("Cafe Xanh", ""), ("cf Xanh", ""), ("Quán cf Xanh", "")], registry) == [
        ("V21", "name"), ("V21", "name_variant"), ("V1", "name_variant")]
    assert _linked([("Xanh", ""), ("Café Xanh", "Hùng Vương")], registry) == [(None, "none"), ("V21", "name")]


def test_the_address_chooses_among_venues_of_a_name_written_differently_and_whole_numbers_count():
    registry = {**REGISTRY, "V20": ("Quán cà phê Xanh", "5 Chi Lăng")}
    linked = _linked([("cf Xanh", "Số 5 Chi Lăng, Phú Hòa"), ("cf Xanh", "15 Chi Lăng"), ("cf Xanh", ""),
                      ("cf Xanh", "12 Lê Lợi, phường Vĩnh Ninh, TP Huế")], registry)
    assert linked == [("V20", "name_variant"), (None, "none"), (None, "none"), ("V1", "name_variant")]


def test_the_address_of_a_name_as_registered_matches_whole_numbers_only():
    registry = {"C1": ("Quán cà phê Xanh", "5 Chi Lăng"), "C2": ("Quán cà phê Xanh", "12 Lê Lợi")}
    # "15 Chi Lăng" holds "5 Chi Lăng" letter for letter, but not its number
    assert _linked([("Quán cà phê Xanh", "15 Chi Lăng"), ("Quán cà phê Xanh", "5 Chi Lăng, Tây Lộc")], registry) == [
        (None, "none"), ("C1", "name")]


@pytest.mark.parametrize(("address", "venue"), [
    ("12 Lê Lợi, P. Vĩnh Ninh", "V1"), ("Số 12 Lê Lợi, phường Vĩnh Ninh", "V1"), ("12 Lê Lợi  P Vĩnh Ninh", "V1"),
    ("số 12 đường Lê Lợi, Phường Vĩnh Ninh", "V1"), ("12 LE LOI, P.VINH NINH", "V1"), ("7 Lê Lợi", "V5"),
    ("7 Le Loi.", "V5"),
])
def test_a_report_giving_only_an_address_links_to_the_one_venue_registered_there(address, venue):
    assert _linked([("", address)]) == [(venue, "address")]


@pytest.mark.parametrize("address", [
    "Chợ Đông Ba, Phú Hòa",  # a market: two venues registered there (and no house number)
    "Lê Lợi",  # a street
    "12 Lê Lợi, P. Phú Hội",  # the one venue at 12 Lê Lợi is in another ward
    "16 Lê Lợi, P. Vĩnh Ninh",  # the one venue at 16 Lê Lợi has no ward in its address: not known to be there
    "17 Lê Lợi",  # no venue there
    "Phường Vĩnh Ninh",
])
def test_an_address_of_no_one_venue_stays_unlinked(address):
    assert _linked([("", address)]) == [(None, "none")]


def test_two_venues_at_one_numbered_address_leave_the_report_unlinked():
    registry = {**REGISTRY, "V20": ("Quán cà phê Mây", "số 12 Lê Lợi, Phường Vĩnh Ninh")}
    assert _linked([("", "12 Lê Lợi, P. Vĩnh Ninh")], registry) == [(None, "none")]


def test_a_report_with_a_name_or_an_id_is_not_linked_by_its_address():
    # the name it gives is no registered venue's: the address does not override it; nor an id unknown
    assert _linked([("Quán Mây Trắng", "12 Lê Lợi, P. Vĩnh Ninh"), ("", "12 Lê Lợi, P. Vĩnh Ninh")],
                   ids=["", "V99"]) == [(None, "none"), (None, "unknown_id")]


def test_an_unknown_id_with_a_name_written_differently_is_linked_by_the_name():
    assert _linked([("cf Xanh", "")], ids=["V99"]) == [("V1", "name_variant")]


def test_an_address_without_a_house_number_names_no_venue_even_when_one_is_registered_there():
    registry = {**REGISTRY, "V20": ("Quán Mây", "Lê Lợi, Phú Hội"), "V21": ("Chợ Bến Ngự", "Chợ Bến Ngự"),
                "V22": ("Tạp hóa Mai", "Kiệt 5 Lê Lợi")}
    # a street, a market (its stalls may be unregistered), an alley of many houses
    assert _linked([("", "Lê Lợi, Phú Hội"), ("", "Chợ Bến Ngự"), ("", "kiệt 5 Lê Lợi")], registry) == [
        (None, "none")] * 3


def test_a_name_read_loosely_does_not_stand_against_the_address_the_report_gives():
    # one "Xanh" café in the registry, at 12 Lê Lợi: a report giving another address is about another café
    assert _linked([("cf Xanh", "30 Hùng Vương"), ("cf Xanh", "12 Lê Lợi"), ("Quán cà phê Xanh", "30 Hùng Vương")]) == [
        (None, "none"), ("V1", "name_variant"), ("V1", "name")]  # (the name as registered: as before)


def test_a_reading_whose_venues_are_all_elsewhere_leaves_the_report_to_the_next():
    """"Cafe Xanh" reads as "Cà phê Xanh", registered twice in other streets: the address finds the "Quán
    cà phê Xanh" there. Without an address, or at an address of neither, nothing is linked."""
    registry = {"C1": ("Cà phê Xanh", "3 Lý Thường Kiệt"), "C2": ("Cà phê Xanh", "8 Hai Bà Trưng"),
                "Q1": ("Quán cà phê Xanh", "72 Nguyễn Văn Linh, P. Vinh Hậu"),
                "Q2": ("Quán cà phê Xanh", "5 Chi Lăng")}
    reports = [("Cafe Xanh", "72 Nguyễn Văn Linh, phường Vinh Hậu"), ("Cafe Xanh", ""),
               ("Cafe Xanh", "8 Hai Bà Trưng"), ("Cafe Xanh", "40 Bà Triệu")]
    assert _linked(reports, registry) == [("Q1", "name_variant"), (None, "none"), ("C2", "name_variant"),
                                          (None, "none")]


def test_category_words_stacked_before_a_name_are_read_as_its_category_word():
    registry = {**REGISTRY, "V20": ("Quán nhậu Sông Quê", "8 Nguyễn Huệ"), "V21": ("Tạp hóa Tư", "9 Nguyễn Huệ")}
    reports = [("Nhà hàng quán nhậu Hoa Sen", ""),  # the restaurant "Hoa Sen", not the café
               ("Nhà hàng quán nhậu Sông Quê", ""), ("Cửa hàng tạp hóa Tư", ""),  # the name but for a stacked word
               ("Quán tạp hóa Bà Tư", ""),  # "quán" is no shop's word: "tạp hóa Bà Tư" is a name of its own
               ("Cửa hàng Tư", ""), ("Tư", ""),  # "Tư" alone is too short to tell a venue
               ("Cửa hàng tạp hóa", "")]  # category words alone
    assert _linked(reports, registry) == [("V8", "name_variant"), ("V20", "name_variant"), ("V21", "name_variant"),
                                          (None, "none"), (None, "none"), (None, "none"), (None, "none")]


def test_a_name_with_stacked_category_words_of_two_venues_links_neither_unless_the_address_tells():
    registry = {**REGISTRY, "V20": ("Cửa hàng tạp hóa Bà Tư", "50 Lê Lợi")}
    assert _linked([("Cửa hàng Tạp Hoá Bà Tư", ""), ("Tạp hóa Bà Tư", ""), ("Tiệm tạp hóa Bà Tư", ""),
                    ("Tiệm tạp hóa Bà Tư", "20 Trần Hưng Đạo")], registry) == [
        ("V20", "name"), ("V12", "name"), (None, "none"), ("V12", "name_variant")]
