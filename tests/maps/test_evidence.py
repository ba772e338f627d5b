"""The numbers behind each sign of violation, as sentences in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from inspector.core.i18n import translator
from inspector.core.signals import SIGNALS
from maps.evidence import by_venue, explain

EVIDENCE = {
    "no_scans": ("2021-08-20", {"days_without_scans": 10, "last_scan_day": "2021-08-19", "expected_per_day": 42.46}),
    "low_participation": ("2021-08-02", {"visitor_scans_per_day": 1.18, "expected_per_day": 20.2, "ratio": 0.058}),
    "sudden_drop": ("2021-08-23", {"before_per_day": 45.19, "recent_per_day": 5.4, "drop_share": 0.881}),
    "cloned_board": ("2021-08-05", {"jump_scans": 457, "second_place_km": 30.04, "far_share": 0.12}),
    "location_mismatch": ("2021-08-02", {"far_dist_m": 2416.0, "far_share": 1.0, "far_lat": 16.4, "far_lon": 107.5,
                                         "gps_scans": 78}),
    "outside_declared_ward": (None, {"declared_ward_code": "19900", "ward_code": "19903",
                                     "flag": "outside_declared"}),
    "staff_not_scanning": ("2021-08-02", {"staff": 31, "staff_scanning_per_workday": 11.6, "ratio": 0.374,
                                          "judged_on": "period", "recent_staff_scanning_per_workday": 1.6}),
    "citizen_reports": ("2021-08-10", {"reports": 2, "kinds": "no_board,not_scanning"}),
}
NAMES = {"19900": "Phường Phú Hưng", "19903": "Phường Gia Dương"}

ENGLISH = {
    "no_scans": "No scan for 10 days, since 20 Aug 2021; it had 42 a day before.",
    "low_participation": "1.2 visitor scans a day: 6% of the 20 expected of its kind and size.",
    "sudden_drop": "Down 88% from 23 Aug 2021: 45 scans a day before, 5.4 over the last days.",
    "cloned_board": "457 scans were made within ten minutes of one at the venue, about 30.0 km from it (12% of its "
                    "located scans).",
    "location_mismatch": "100% of its 78 located scans were made about 2.4 km from the registered point.",
    "outside_declared_ward": "The registered point lies in Phường Gia Dương, not in the declared Phường Phú Hưng.",
    "staff_not_scanning": "12 of its 31 staff scan on a working day (37%).",
    "citizen_reports": "Reports: 2 (no QR board, visitors not asked to scan).",
}


def test_every_sign_has_its_sentence():
    assert set(EVIDENCE) == set(SIGNALS)


@pytest.mark.parametrize("code", list(EVIDENCE))
def test_each_sign_says_its_numbers_in_english(code):
    since, evidence = EVIDENCE[code]
    assert explain(code, since, evidence, tr=translator("en"), lang="en", unit_names=NAMES) == ENGLISH[code]


@pytest.mark.parametrize("code", list(EVIDENCE))
def test_each_sign_says_its_numbers_in_vietnamese(code):
    since, evidence = EVIDENCE[code]
    text = explain(code, since, evidence, tr=translator("vi"), lang="vi", unit_names=NAMES)
    assert text and text != ENGLISH[code]
    english_words = {"scan", "scans", "day", "staff", "reports", "registered", "point", "expected", "since"}
    assert not english_words & set(text.lower().replace(",", " ").replace(".", " ").split())


@pytest.mark.parametrize("lang, said", [
    ("en", ["No scan for 10 days, since 20 Aug 2021; it had 42 a working day before.",
            "Down 88% from 23 Aug 2021: 45 scans a working day before, 5.4 over the last working days."]),
    ("vi", ["ngày làm việc"] * 2),
])
def test_an_agencys_rates_are_said_per_working_day(lang, said):
    for code, expected in zip(("no_scans", "sudden_drop"), said, strict=True):
        since, evidence = EVIDENCE[code]
        text = explain(code, since, {**evidence, "per": "workday"}, tr=translator(lang), lang=lang)
        assert expected in text


def test_vietnamese_writes_numbers_and_dates_its_own_way():
    since, evidence = EVIDENCE["sudden_drop"]
    text = explain("sudden_drop", since, evidence, tr=translator("vi"), lang="vi")
    assert "5,4" in text and "23/08/2021" in text and "88%" in text


def test_each_sign_says_the_numbers_its_rule_used():
    en = translator("en")
    lately = {"staff": 20, "staff_scanning_per_workday": 14.2, "ratio": 0.08, "judged_on": "recent",
              "recent_staff_scanning_per_workday": 1.6}
    assert explain("staff_not_scanning", "2021-08-23", lately, tr=en, lang="en") == (
        "Over the last days, 1.6 of its 20 staff scan on a working day (8%); 14 a working day over the whole "
        "period.")
    two_places = {"jump_scans": 0, "second_place_km": 4.2, "far_share": 0.31}
    assert explain("cloned_board", "2021-08-05", two_places, tr=en, lang="en") == (
        "31% of its located scans were made at a second place, about 4.2 km from the venue.")
    registered = {"days_without_scans": 9, "last_scan_day": None, "expected_per_day": 12.0}
    assert explain("no_scans", "2021-08-20", registered, tr=en, lang="en") == (
        "No scan at all since 20 Aug 2021; venues of its kind get 12 a day.")


def test_missing_numbers_show_a_dash_not_an_error():
    text = explain("low_participation", None, {"ratio": None}, tr=translator("en"), lang="en")
    assert text.count("–") == 3
    assert explain("no_scans", None, {"expected_per_day": 27.0}, tr=translator("en"), lang="en") == (
        "No scan at all since –; venues of its kind get 27 a day.")
    outside = {"flag": "outside_province", "ward_code": None, "declared_ward_code": "19900"}
    assert explain("outside_declared_ward", None, outside, tr=translator("en"), lang="en") == (
        "The registered point lies outside the province.")


def test_signals_are_grouped_per_venue():
    signals = pd.DataFrame({"venue_id": ["A", "A", "B"], "signal": ["no_scans", "citizen_reports", "no_scans"],
                            "since": ["2021-08-20", "2021-08-10", None],
                            "evidence": [{"days_without_scans": 10}, {"reports": 1}, {"expected_per_day": 3.0}]})
    grouped = by_venue(signals)
    assert grouped["A"] == {"no_scans": ("2021-08-20", {"days_without_scans": 10}),
                            "citizen_reports": ("2021-08-10", {"reports": 1})}
    assert list(grouped.index) == ["A", "B"]
    assert by_venue(signals.iloc[:0]).empty


@pytest.mark.parametrize("lang, reports, said", [
    ("en", 2, "Reports: 2 (no QR board). The latest, on 15 Aug 2021: “Không thấy bảng mã QR ở quầy.”"),
    ("en", 1, "Reports: 1 (no QR board). On 15 Aug 2021: “Không thấy bảng mã QR ở quầy.”"),
    ("vi", 2, "2 phản ánh: không có bảng mã QR. Phản ánh gần nhất, ngày 15/08/2021: “Không thấy bảng mã QR ở quầy.”"),
])
def test_a_citizen_reports_sign_quotes_the_latest_report(lang, reports, said):
    evidence = {"reports": reports, "kinds": "no_board", "last_at": "2021-08-15 14:30:00",
                "last_text": "Không thấy bảng mã QR\n ở quầy."}
    assert explain("citizen_reports", "2021-08-10", evidence, tr=translator(lang), lang=lang) == said


def test_a_long_report_is_quoted_in_part_cut_at_a_word():
    text = "Quán đông khách " * 20
    said = explain("citizen_reports", "2021-08-10", {"reports": 1, "kinds": "", "last_at": "2021-08-15 14:30:00",
                                                     "last_text": text}, tr=translator("en"), lang="en")
    quoted = said.split("“", 1)[1]
    assert quoted.endswith("…”") and len(quoted) <= 122
    assert text.startswith(quoted[:-2] + " ")  # whole words
