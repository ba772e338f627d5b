"""Venue names and addresses read as people write them (the keys report matching joins on)."""

import pandas as pd
import pytest

from inspector.core import resources
from inspector.core.venue_names import address_keys, family_names, name_forms, place_names, too_generic


def _forms(name):
    row = name_forms(pd.Series([name])).iloc[0]
    return row["usual"], family_names(int(row["families"])), row["distinctive"]


@pytest.mark.parametrize(("name", "forms"), [
    ("Quán cà phê Xanh", ("quan ca phe xanh", ["cafe"], "xanh")),
    ("cf Xanh", ("ca phe xanh", ["cafe"], "xanh")),
    ("Xanh Coffee", ("xanh ca phe", ["cafe"], "xanh")),  # a trailing category word, as in English
    ("Cty TNHH Bình Minh", ("cong ty tnhh binh minh", ["company"], "binh minh")),
    ("Ủy ban nhân dân phường Hộ Thuận", ("ubnd phuong ho thuan", ["agency"], "phuong ho thuan")),
    ("UBND P. Hộ Thuận", ("ubnd phuong ho thuan", ["agency"], "phuong ho thuan")),
    ("Trường THPT Hàm Nghi", ("thpt ham nghi", ["school"], "ham nghi")),
    ("Hiệu thuốc Long Châu", ("nha thuoc long chau", ["pharmacy"], "long chau")),
    ("Quán Hoa", ("quan hoa", ["cafe", "restaurant"], "hoa")),
    ("Nhà nghỉ Thu Trang", ("nha nghi thu trang", ["hotel"], "thu trang")),  # an alias of categories.toml
    ("Chùa Thiên Mụ", ("chua thien mu", ["religious"], "thien mu")),
    ("Hoàng Gia", ("hoang gia", [], "hoang gia")),
    ("Dịch vụ ăn uống Hoa", ("dich vu an uong hoa", [], "dich vu an uong hoa")),  # not a category word here
    ("Quán cà phê", ("quan ca phe", ["cafe"], "")),
    (None, ("", [], "")),
])
def test_a_name_reads_as_its_usual_words_its_category_word_and_its_distinctive_part(name, forms):
    assert _forms(name) == forms


def test_every_category_alias_of_the_registry_vocabulary_is_a_category_word_unless_excluded():
    excluded = set(resources.load_toml("venue_names.toml")["not_category_words"]["words"])
    for code, spec in resources.load_toml("categories.toml").items():
        for alias in spec["aliases"]:
            if alias not in excluded and alias not in ("coffee", "cafe", "café"):  # written "cà phê"
                assert code in _forms(f"{alias} Minh Anh")[1], alias


@pytest.mark.parametrize(("address", "key", "numbered"), [
    ("Số 12 Lê Lợi, P. Vĩnh Ninh, TP. Huế", "12 le loi phuong vinh ninh thanh pho hue", True),
    ("12 đường Lê Lợi phường Vĩnh Ninh thành phố Huế", "12 le loi phuong vinh ninh thanh pho hue", True),
    ("45 Nguyễn Trãi, P5, Q.1", "45 nguyen trai phuong 5 quan 1", True),
    ("H. 12 Tô Hiến Thành", "hem 12 to hien thanh", False),  # an alley, not a house
    ("Kiệt 5 Lê Lợi", "kiet 5 le loi", False),
    ("Phường 5, TX Hương Thủy", "phuong 5 thi xa huong thuy", False),
    ("Chợ Đông Ba", "cho dong ba", False),
    ("", "", False),
])
def test_an_address_reads_as_its_usual_words_and_whether_it_gives_a_house_number(address, key, numbered):
    assert address_keys(pd.Series([address]))[["key", "numbered"]].iloc[0].tolist() == [key, numbered]


def test_the_streets_and_units_of_the_addresses_are_place_names_too_generic_for_a_name_alone():
    places = place_names(address_keys(pd.Series(["Số 12 Lê Lợi, P. Vĩnh Ninh, TP. Huế", "kiệt 3 Tô Hiến Thành",
                                                  None, "Phường 5, Q1"])))
    assert places == {"le loi", "vinh ninh", "hue", "to hien thanh"}
    parts = pd.Series(["le loi", "vinh ninh", "to hien thanh", "an", "36", "so 5", "phuong ho thuan", "thi xa abcd",
                       "xanh", "thanh binh", "hoang gia"])
    assert too_generic(parts, places).tolist() == [True] * 8 + [False] * 3


@pytest.mark.parametrize(("address", "house", "units"), [
    ("Số 12 Lê Lợi, P. Vĩnh Ninh, TP. Huế", "12 le loi", ("w:vinh ninh", "d:hue")),
    ("12 đường Lê Lợi phường Vĩnh Ninh thành phố Huế", "12 le loi", ("w:vinh ninh", "d:hue")),  # no commas
    ("12A Lê Lợi", "12a le loi", ()),
    ("45 Nguyễn Trãi, P5, Q.1", "45 nguyen trai", ("w:5", "d:1")),
    ("3 Tỉnh lộ 10, xã Phú Dương", "3 tinh lo 10", ("w:phu duong",)),  # a provincial road, not a province
    ("5 Lý Bôn thị xã Hương Thủy", "5 ly bon", ("d:huong thuy",)),  # "thị xã" is one word, not "thị" and "xã"
    ("3 kiệt 5 Lê Lợi, Thuận Hòa", "3 kiet 5 le loi", (":thuan hoa",)),  # a house in an alley
    ("Số 12, P. Vĩnh Ninh", "", (":12", "w:vinh ninh")),  # a number alone is no house
    ("Kiệt 5 Lê Lợi", "", (":kiet 5 le loi",)),
    ("Chợ Đông Ba, Phú Hòa", "", (":cho dong ba", ":phu hoa")),
    ("", "", ()),
])
def test_an_address_gives_the_house_number_and_street_it_begins_with_and_the_units_after(address, house, units):
    assert address_keys(pd.Series([address]))[["house", "units"]].iloc[0].tolist() == [house, units]


@pytest.mark.parametrize(("name", "families", "distinctive", "core"), [
    ("Cửa hàng tạp hóa Bà Tư", ["shop"], "ba tu", "tap hoa ba tu"),
    ("Cửa hàng tiệm tạp hóa Bà Tư", ["shop"], "ba tu", "tap hoa ba tu"),
    ("Nhà hàng quán nhậu Hoa", ["restaurant"], "hoa", "quan nhau hoa"),
    ("Quán cà phê Xanh", ["cafe"], "xanh", "ca phe xanh"),  # "cà phê" ends "quán cà phê"
    ("Quán tạp hóa Mai", ["cafe", "restaurant"], "tap hoa mai", "quan tap hoa mai"),  # families without one in common
    ("Tạp hóa Bà Tư", ["shop"], "ba tu", "tap hoa ba tu"),
    ("Xanh Coffee", ["cafe"], "xanh", "xanh ca phe"),
    ("Cửa hàng tạp hóa", ["shop"], "", "cua hang tap hoa"),
])
def test_category_words_stacked_at_the_start_of_a_name_are_its_category_word(name, families, distinctive, core):
    row = name_forms(pd.Series([name])).iloc[0]
    assert [family_names(int(row["families"])), row["distinctive"], row["core"]] == [families, distinctive, core]
