"""Reading numbers written the ways people write them."""

import pandas as pd
import pytest

from inspector.core.io.values import parse_coordinate, split_position


@pytest.mark.parametrize("text,value", [
    ("16.4637", 16.4637),
    ("16,4637", 16.4637),
    ("16°27'51\"N", 16 + 27 / 60 + 51 / 3600),
    ("16°27.85'N", 16 + 27.85 / 60),
    ("107°35'12.5\"E", 107 + 35 / 60 + 12.5 / 3600),
    ("107° 35′ 12,5″ E", 107 + 35 / 60 + 12.5 / 3600),
    ("16º27'51''N", 16 + 27 / 60 + 51 / 3600),
    ("16 27 51 N", 16 + 27 / 60 + 51 / 3600),
    ("16.476598N", 16.476598),
    ("N 16.476598", 16.476598),
    ("16°27'51\"S", -(16 + 27 / 60 + 51 / 3600)),
    ("107°35'12.5\"W", -(107 + 35 / 60 + 12.5 / 3600)),
    ("16°27'51\" B", 16 + 27 / 60 + 51 / 3600),  # Bắc
    ("107°35' Đ", 107 + 35 / 60),  # Đông
    ("-16.5", -16.5),
])
def test_coordinates_in_decimal_and_sexagesimal_forms(text, value):
    assert parse_coordinate(pd.Series([text], dtype=object)).iloc[0] == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize("text", ["north", "16.4x", "107.591.600", "16°75'N", "16°27'75\"N", "16.5°30'",
                                  "-16°S", "N16.4S", "16 N 5"])
def test_unreadable_coordinates_give_nan(text):
    assert parse_coordinate(pd.Series([text, "", None], dtype=object)).isna().all()


@pytest.mark.parametrize("text, lat, lon", [
    ("16.4637, 107.5909", "16.4637", "107.5909"), ("16,4637; 107,5909", "16,4637", "107,5909"),
    ("16,4637,107,5909", "16,4637", "107,5909"), ("https://maps.google.com/?q=16.4637,107.5909", "16.4637", "107.5909"),
    ("16°27'49\"N 107°35'27\"E", "16°27'49\"N", "107°35'27\"E"),
    ("16,46", "16,46", ""),  # one latitude with a decimal comma: half a position, not 16 and 46
    ("cạnh chợ", "cạnh chợ", ""),
])
def test_a_position_in_one_cell_is_split_in_two(text, lat, lon):
    got = split_position(pd.Series([text]))
    assert (got[0].iloc[0], got[1].iloc[0]) == (lat, lon)
