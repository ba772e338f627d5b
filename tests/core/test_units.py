"""The unit hierarchy read from parent codes."""

import pandas as pd
import pytest

from inspector.core.errors import InputError
from inspector.core.units import chains, find_unit


def test_chains_go_up_to_the_highest_unit_present_and_survive_bad_parents():
    units = pd.DataFrame({
        "code": ["46", "474", "19000", "19001", "A", "B"],
        "parent_code": [None, "46", "474", "999", "B", "A"],  # 999 names no unit; A and B name each other
    })
    up = chains(units)
    assert up["19000"] == ["19000", "474", "46"]
    assert up["46"] == ["46"]
    assert up["19001"] == ["19001"]
    assert up["A"] == ["A", "B"] and up["B"] == ["B", "A"]


UNITS = pd.DataFrame({
    "code": ["46", "474", "478", "19750", "19753", "20001"],
    "name": ["Tỉnh Thừa Thiên Huế", "Thành phố Huế", "Huyện Phú Vang", "Phường Phú Hội", "Xã Phú An", "Xã Phú An"],
    "level": ["province", "district", "district", "ward", "ward", "ward"],
    "parent_code": [None, "46", "46", "474", "474", "478"],
})


@pytest.mark.parametrize("text, level, code", [
    ("474", "district", "474"), ("0474", None, "474"),  # codes, leading zeros optional
    ("Huyện Phú Vang", "district", "478"), ("phu vang", "district", "478"), ("Phú Hội", "ward", "19750"),
    ("PHUONG PHU HOI", None, "19750"),
])
def test_a_unit_is_found_by_its_code_or_its_name(text, level, code):
    assert find_unit(UNITS, text, level) == code


def test_a_name_two_units_bear_lists_both_with_their_parents():
    with pytest.raises(InputError) as err:
        find_unit(UNITS, "Phu An", "ward")
    assert err.value.code == "unit_ambiguous"
    assert err.value.params["units"] == "19753 Xã Phú An (Thành phố Huế); 20001 Xã Phú An (Huyện Phú Vang)"


def test_an_unknown_unit_lists_those_of_its_level_and_a_code_of_another_level_says_so():
    with pytest.raises(InputError) as err:
        find_unit(UNITS, "Huyện Xyz", "district")  # no name holds it: the units of that level
    assert err.value.code == "unknown_unit" and err.value.params["units"] == "474 Thành phố Huế, 478 Huyện Phú Vang"
    with pytest.raises(InputError) as err:
        find_unit(UNITS, "474", "ward")
    assert err.value.code == "unit_wrong_level"


def test_a_name_of_another_level_says_so_and_a_part_of_a_name_lists_the_units_holding_it():
    with pytest.raises(InputError) as err:
        find_unit(UNITS, "phu vang", "ward")  # a district asked for as a ward
    assert err.value.code == "unit_wrong_level" and err.value.params["unit"] == "478"
    with pytest.raises(InputError) as err:
        find_unit(UNITS, "hoi", "ward")
    assert err.value.code == "unknown_unit" and err.value.params["units"] == "19750 Phường Phú Hội"
