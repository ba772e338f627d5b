"""Reading numbers written the ways people write them."""

import pandas as pd
import pytest

from inspector.core.io.values import parse_coordinate, parse_date, phone_zero_restored, split_position, without_day


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


@pytest.mark.parametrize("text,day", [
    ("31/07/21", "2021-07-31"), ("1/2/21", "2021-02-01"), ("31-07-21", "2021-07-31"), ("28.01.2021", "2021-01-28"),
    ("28.01.21", "2021-01-28"), ("31/07/98", "1998-07-31"), ("31/07/2021", "2021-07-31"), ("2021-07-31", "2021-07-31"),
    ("31/07/2021 08:30", "2021-07-31"),
])
def test_dates_with_two_digit_years_or_dots_are_read(text, day):
    assert parse_date(pd.Series([text], dtype=object)).iloc[0] == day


@pytest.mark.parametrize("text", ["Tháng 7/2021", "tháng 07/2021", "T7/2021", "7/2021", "07-2021", "2021-07", "2021",
                                  "Năm 2021"])
def test_a_month_or_a_year_is_no_date(text):
    cells = pd.Series([text], dtype=object)
    assert pd.isna(parse_date(cells).iloc[0]) and without_day(cells).tolist() == [True]


def test_a_day_or_a_word_is_not_a_month_or_year():
    assert not without_day(pd.Series(["31/07/2021", "13/2021", "hôm qua", "", None], dtype=object)).any()


def test_phone_numbers_a_spreadsheet_made_numbers_get_their_zero_back():
    cells = pd.Series(["358085138", "912345678", "2343951103", "0358085138", "0234 3951 103", "123456789",
                       "84912345678", "1900 1234", "", None], dtype=object)
    assert phone_zero_restored(cells).tolist() == [
        "0358085138", "0912345678", "02343951103", "0358085138", "0234 3951 103", "123456789", "84912345678",
        "1900 1234", "", None]
