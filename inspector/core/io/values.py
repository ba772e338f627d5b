"""Turn cells into text, and text cells into numbers and dates, vectorised; bad cells become NaN/NaT."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import unicodedata

import numpy as np
import pandas as pd

from inspector.core.io.timestamps import parse_local


def parse_float(values: pd.Series) -> pd.Series:
    """Parse decimals written with ``.`` or ``,`` (``16,4567``); empty and bad cells give NaN."""
    text = values.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
    comma_decimal = text.str.fullmatch(r"[+-]?\d+,\d+").fillna(False)
    text = text.where(~comma_decimal, text.str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce").astype(float)


#: Hemisphere letters: English, and Vietnamese B (Bắc, north), Đ/D (Đông, east), T (Tây, west). N is
#: north as in English (Vietnamese "Nam", south, would put a point far outside the country anyway).
_SOUTH_WEST = ("S", "W", "T")
_NUMBER = r"\d+(?:[.,]\d+)?"
#: Degrees, minutes and seconds, degrees and decimal minutes, or degrees with a hemisphere letter
#: before or after: 16°27'51"N, 16°27.85'N, 107° 35′ 12,5″ E, 16 27 51 N, N16.476598 (upper-cased).
_DMS = (  # a part follows the one before after its symbol or a space: "10.000.000" is no coordinate
    rf"^(?P<h1>[NSEWBĐDT])?\s*(?P<sign>[-+])?\s*(?P<d>{_NUMBER})\s*(?P<deg>[°º˚])?"
    rf"(?:(?(deg)\s*|\s+)(?P<m>{_NUMBER})\s*(?P<min>['′’‘´`])?"
    rf"(?:(?(min)\s*|\s+)(?P<s>{_NUMBER})\s*(?:\"|″|”|“|''|′′|’’)?)?)?"
    r"\s*(?P<h2>[NSEWBĐDT])?$"
)


def parse_coordinate(values: pd.Series) -> pd.Series:
    """Parse latitudes or longitudes: decimals as :func:`parse_float` does, and degrees-minutes-seconds.

    ``16°27'51"N``, ``16°27.85'N``, ``107°35'12.5"E``, ``16 27 51 N`` and ``16.476598N`` are read;
    S and W (and Vietnamese T, Tây) give negative values. Minutes and seconds must be under 60 and
    only the last part may have decimals. Empty and unreadable cells give NaN.
    """
    number = parse_float(values)
    text = values.astype("string").str.replace("\u00a0", " ", regex=False).str.strip().str.upper()
    todo = number.isna() & text.fillna("").ne("")
    if not todo.any():
        return number
    parts = text[todo].str.extract(_DMS)

    def part(name: str) -> pd.Series:
        return pd.to_numeric(parts[name].str.replace(",", ".", regex=False), errors="coerce").astype(float)

    degrees, minutes, seconds = part("d"), part("m"), part("s")
    hemisphere = parts["h1"].fillna(parts["h2"])
    ok = (degrees.notna() & ~(parts["h1"].notna() & parts["h2"].notna())
          & ~((parts["sign"] == "-") & hemisphere.notna()).fillna(False)
          & (minutes.isna() | (~parts["d"].str.contains(r"[.,]").fillna(False) & (minutes < 60)))
          & (seconds.isna() | (~parts["m"].str.contains(r"[.,]").fillna(False) & (seconds < 60))))
    value = degrees + minutes.fillna(0) / 60 + seconds.fillna(0) / 3600
    negative = ((parts["sign"] == "-") | hemisphere.isin(_SOUTH_WEST)).fillna(False).astype(bool)
    number[todo] = value.where(~negative, -value).where(ok)
    return number


#: Two decimals in one cell: "16.4637, 107.5909", "16,4637; 107,5909", "16.4637 107.5909"; a map link's
#: "@16.4637,107.5909,17z" or "q=16.4637,107.5909" is looked for first. Both need decimals: "16,46" is
#: one latitude written with a decimal comma, not 16 and 46.
_DECIMAL = r"-?\d{1,3}[.,]\d+"
_DECIMAL_PAIR = rf"(?P<a>{_DECIMAL})\s*[,;/\s]\s*(?P<b>{_DECIMAL})(?![\d.])"
_LINK_PAIR = rf"(?:@|[?&](?:q|ll|query)=)(?P<a>{_DECIMAL}),(?P<b>{_DECIMAL})"
#: Degrees-minutes-seconds, latitude first with its hemisphere after it: 16°27'49.3"N 107°35'27.2"E.
_DMS_PAIR = r"^(?P<a>.+?[NSB])[\s,;]+(?P<b>.+[EWĐDT])$"


def split_position(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude texts from cells that hold both (what a map shows for a place).

    A cell that holds no pair is given whole as the latitude, so that it is rejected as unreadable
    or, a lone number, as half a position.
    """
    text = values.astype("string").fillna("").str.replace("\u00a0", " ", regex=False).str.strip()
    found = text.str.upper().str.extract(_DMS_PAIR)
    for pattern in (_LINK_PAIR, _DECIMAL_PAIR):
        todo = found["a"].isna()
        found[todo] = text[todo].str.extract(pattern)
    return found["a"].fillna(text).astype(str), found["b"].fillna("").astype(str)


def bad_cells(values: pd.Series, parsed: pd.Series) -> np.ndarray:
    """Return True where a cell has text that did not parse."""
    present = values.astype("string").str.strip().fillna("") != ""
    return (present & parsed.isna()).to_numpy()


#: A word for what a count counts, after it, as registries write it: "3 người", "12 nhân viên", "40 chỗ ngồi"
COUNT_UNIT = (r"(?i)(?<=\d)\s*(?:người|nguoi|nhân viên|nhan vien|nv|cbnv|lao động|lao dong|chỗ ngồi|cho ngoi|chỗ|cho"
              r"|khách|khach|dân|dan)\.?$")


def parse_count(values: pd.Series) -> pd.Series:
    """Parse whole non-negative counts (``1.234`` and ``1,234`` as thousands); bad cells give NaN.

    A word for what is counted may follow the number (:data:`COUNT_UNIT`: ``3 người``). So do numbers
    too large to be a count of anything (``1e309``, twenty digits): none is stored.
    """
    text = values.astype("string").str.strip().str.replace(COUNT_UNIT, "", regex=True)
    text = text.str.replace(r"[.,\s](?=\d{3}\b)", "", regex=True)
    number = pd.to_numeric(text, errors="coerce").astype(float)
    return number.where((number == np.floor(number)) & (number.abs() < 2.0**53))


#: Dates as registries write them besides the timestamp formats: a two-digit year (31/07/21 is in
#: 2021; years 69-99 are 1969-1999) or dots between day, month and year (28.01.2021).
DATE_FORMATS = ("%d/%m/%y", "%d-%m-%y", "%d.%m.%Y", "%d.%m.%y")


#: A date in words: "ngày 28 tháng 1 năm 2021" ("năm" may be a comma or left out), read as 28/1/2021.
DATE_IN_WORDS = r"(?i)ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*(?:năm\s*|,\s*)?(\d{4})"


def dates_in_words_as_numbers(values: pd.Series) -> pd.Series:
    """Text with dates in words (:data:`DATE_IN_WORDS`) written as numbers, and a leading "ngày" dropped.

    "ngày 28 tháng 1 năm 2021" and "Ngày 28/01/2021" read as "28/1/2021" and "28/01/2021".
    """
    text = values.astype("string").str.replace(DATE_IN_WORDS, r"\1/\2/\3", regex=True)
    return text.str.replace(r"(?i)^\s*ngày\s+(?=\d)", "", regex=True)


def parse_date(values: pd.Series) -> pd.Series:
    """Parse dates to ``YYYY-MM-DD`` text; bad cells give ``None``.

    Any of the timestamp formats is read (the time part is dropped), and :data:`DATE_FORMATS`; a
    date may be written in words (:func:`dates_in_words_as_numbers`).
    """
    values = dates_in_words_as_numbers(values)
    parsed = parse_local(values)
    text = values.astype("string").str.strip()
    todo = parsed.isna() & text.fillna("").ne("")
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        more = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = more.notna()
        parsed.loc[more[ok].index] = more[ok].astype(parsed.dtype)
        todo.loc[ok[ok].index] = False
    return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None)


#: A month and a year, or a year alone: "7/2021", "Tháng 7/2021", "T7-2021", "2021-07", "năm 2021".
_NO_DAY = re.compile(r"(?:(?:tháng|thang|th\.?|t)\s*)?(?:0?[1-9]|1[0-2])\s*[/.-]\s*(?:19|20)\d\d"
                     r"|(?:19|20)\d\d\s*[/.-]\s*(?:0?[1-9]|1[0-2])|(?:(?:năm|nam)\s*)?(?:19|20)\d\d")


def without_day(values: pd.Series) -> np.ndarray:
    """Return True where a cell gives a month and a year, or a year, but no day: no date."""
    text = values.astype("string").str.strip().str.lower()
    return text.str.fullmatch(_NO_DAY).fillna(False).to_numpy(dtype=bool)


#: A day, a month and a year in numbers, day first as dates are read (31/07/2021, 31-07-21, 31.07.2021)
_DAY_MONTH_YEAR = r"\d{1,2}\s*([/.-])\s*\d{1,2}\s*\1\s*(?:\d{2}|\d{4})"


def day_month_year(values: pd.Series) -> np.ndarray:
    """Return True where a cell is written as a day, a month and a year in numbers.

    Where such a cell is not read as a date, it names no real day (31/02/2021), or it was written
    month first (07/31/2021).
    """
    text = values.astype("string").str.strip()
    return text.str.fullmatch(_DAY_MONTH_YEAR).fillna(False).to_numpy(dtype=bool)


#: Excel serial numbers read as dates only between these days (a number outside is not a date).
SERIAL_DATES = (pd.Timestamp("1990-01-01"), pd.Timestamp("2100-01-01"))
#: Day 0 of Excel's serial numbers on Windows (the "1900 date system"): what a serial in a CSV counts from.
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def excel_serial_dates(values: pd.Series, epoch: dt.datetime | None) -> pd.Series:
    """Write numbers that are Excel date serials (days since ``epoch``) as ``YYYY-MM-DD HH:MM:SS`` text.

    A date typed in a cell formatted as a number (``44223`` for 2021-01-27) reads as that number;
    ``epoch`` is the workbook's (1899-12-30, or 1904-01-01 for the Mac date system), ``None`` for
    files that are not workbooks (then nothing changes). Other cells are returned unchanged.
    """
    if epoch is None:
        return values
    start = pd.Timestamp(epoch)
    low, high = ((day - start) / pd.Timedelta(days=1) for day in SERIAL_DATES)
    days = pd.to_numeric(values.astype("string").str.strip(), errors="coerce").astype(float)
    ok = (days >= low) & (days < high)
    when = start + pd.to_timedelta(days[ok], unit="D").dt.round("s")
    out = values.copy()
    out[ok] = when.dt.strftime("%Y-%m-%d %H:%M:%S")
    return out


#: A Vietnamese mobile number with its separators removed: 0 (or +84, 84), then 3, 5, 7, 8 or 9 and eight digits.
MOBILE = r"(?:\+?84|0)[35789]\d{8}"
#: A landline number so written: 0 (or +84, 84), a 2xx area code, and ten digits after the 0 in all.
LANDLINE = r"(?:\+?84|0)2\d{9}"
#: What people write between a phone number's digits.
PHONE_SEPARATORS = r"[\s.\-()]"


#: A phone number within free text, as people type it: 0 (or 84, +84), then nine or ten digits, each
#: maybe after one separator ("0905 123 456", "0914.222.333", "+84 935-111-222"), not inside a longer word.
PHONE_IN_TEXT = r"(?<![\w+])(?:\+84|84|0)(?:[\s.\-]?\d){9,10}(?!\w)"
#: What a phone number in free text is replaced by.
PHONE_MASK = "***"


def phones_masked(values: pd.Series) -> pd.Series:
    """Free text with the phone numbers in it (:data:`PHONE_IN_TEXT`) replaced by :data:`PHONE_MASK`.

    For text people wrote to the authorities (a citizen report), which may give the writer's own number.
    """
    return values.astype(object).where(values.isna(), values.astype(str).str.replace(
        PHONE_IN_TEXT, PHONE_MASK, regex=True))


def phone_zero_restored(values: pd.Series) -> pd.Series:
    """Put back the leading 0 of phone numbers that a spreadsheet turned into numbers.

    A cell of only digits that is a mobile or landline number once a 0 is put before it (nine
    digits from 3, 5, 7, 8 or 9; ten from 2) gets it back: ``358085138`` is ``0358085138``. Other
    cells are returned as they are.
    """
    text = values.astype("string").str.strip()
    lost = text.str.fullmatch(r"\d{9,10}") & ("0" + text).str.fullmatch(f"(?:{MOBILE})|(?:{LANDLINE})")
    lost = lost.fillna(False)
    out = values.copy()
    out[lost.to_numpy(dtype=bool)] = "0" + text[lost]
    return out


def cell_text(value: object) -> str:
    """Render a cell as text the way a person reading the sheet would type it."""
    if type(value) is str:  # most cells: first
        return unicodedata.normalize("NFC", value)
    if value is None:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    return unicodedata.normalize("NFC", str(value))


def footer_rows(rows: list[list[str]]) -> int:
    """How many rows at the end of a table are below it, not in it.

    A total ("Tổng cộng: 18 cơ sở") or a note, alone or merged across the row, and an official
    list's signature block: its signers' titles side by side ("NGƯỜI LẬP BIỂU", "GIÁM ĐỐC"), "(Ký,
    ghi rõ họ tên)", their names. Each such row holds words only: one text, or up to
    :data:`FOOTER_TEXTS` in at most half as many cells as the table's rows fill (so a narrow table
    whose rows are all text, a name beside a map link, keeps its rows). A lone time or number (a
    report with just its time) is data, and so is a row with a coordinate or a count. The first row
    is never a footer.
    """
    typical = statistics.median(sum(1 for c in row if c.strip()) for row in rows) if rows else 0
    footer = 0
    while footer < len(rows) - 1 and _below_table(rows[-1 - footer], typical):
        footer += 1
    return footer


#: The most texts a row below a table holds: the titles or names of the signers of a list, side by side
FOOTER_TEXTS = 3


def _below_table(cells: list[str], typical: float) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    texts = set(filled)
    if not texts or any(sum(ch.isalpha() for ch in text) < 3 for text in texts):
        return False
    return len(texts) == 1 or (len(texts) <= FOOTER_TEXTS and 2 * len(filled) <= typical)
