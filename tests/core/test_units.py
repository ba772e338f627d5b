"""The unit hierarchy read from parent codes."""

import pandas as pd

from inspector.core.units import chains


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
