"""Scan logs that look readable but are not what they seem: no row kept, impossible years, month-first
dates, a column given twice, citizen reports given as a scan log and the reverse."""

import pandas as pd
import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary
from inspector.core.messages import render
from tests.conftest import refused
from tests.core.test_import_scans import SCANS


def test_a_column_read_that_appears_twice_is_refused_by_name(venue_workspace, tmp_path):
    text = "timestamp,venue_id,phone,role,phone\n2021-08-02 07:00:00,V1,0901234567,visitor,0900000000\n"
    csv_file = tmp_path / "s.csv"
    csv_file.write_text(text, encoding="utf-8")
    parquet = tmp_path / "s.parquet"
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table([pa.array(["2021-08-02 07:00:00"]), pa.array(["V1"]), pa.array(["0901234567"]),
                             pa.array(["0900000000"])], names=["timestamp", "venue_id", "phone", "phone"]), parquet)
    for path in (csv_file, parquet):
        error = refused(venue_workspace, "scans", path)
        assert error.code == "column_twice" and "“phone” appears more than once" in str(error), path
    path = tmp_path / "unused.csv"  # twice but not read: no matter
    path.write_text("timestamp,venue_id,phone,note,note\n2021-08-02 07:00:00,V1,0901234567,a,b\n", encoding="utf-8")
    assert import_file(venue_workspace, "scans", path).rows_accepted == 1


def test_a_log_with_month_first_dates_is_refused_not_spread_over_months(venue_workspace, tmp_path):
    path = tmp_path / "us.csv"
    path.write_text("timestamp,venue_id,phone\n" + "".join(
        f"08/0{day}/2021 0{hour}:15:00 AM,V1,09012345{day}{hour}\n" for day in range(2, 7) for hour in (7, 8)),
        encoding="utf-8")
    error = refused(venue_workspace, "scans", path)
    assert error.code == "month_first_dates" and "5 days are spread over 5 months" in str(error)
    path.write_text("timestamp,venue_id,phone\n" + "".join(  # a day missing, across the 7th and the 8th
        f"0{month}/0{day}/2021 08:00:00,V1,0901234{month}{day}\n" for month, day in ((8, 5), (8, 7), (8, 8))),
        encoding="utf-8")
    assert refused(venue_workspace, "scans", path).code == "month_first_dates"
    path.write_text("timestamp,venue_id,phone\n" + "".join(  # the same days written day first are fine
        f"0{day}/08/2021 07:15:00,V1,090123456{day}\n" for day in range(2, 7)), encoding="utf-8")
    assert import_file(venue_workspace, "scans", path).rows_accepted == 5
    path.write_text("timestamp,venue_id,phone\n" + "".join(  # one day a month, written year first: no doubt
        f"2021-{month:02d}-08 07:15:00,V1,090123456{month}\n" for month in (9, 10, 11)), encoding="utf-8")
    assert import_file(venue_workspace, "scans", path).rows_accepted == 3


def test_a_file_of_which_nothing_was_accepted_can_be_imported_again(venue_workspace, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("giờ,thời điểm quét,venue_id,phone\n07:00,2021-08-02 07:00:00,V1,0901\n", encoding="utf-8")
    first = import_file(venue_workspace, "scans", path, columns={"timestamp": "giờ"})
    assert (first.rows_accepted, first.rows_rejected) == (0, 1)
    headline, lines = summary(first, translator("en"), "en")
    assert lines[0].startswith("No row was accepted")
    assert "Rejected: 1 × giờ: “07:00” is not a date and time in a known format (first at line 2)" in lines
    assert ("Bị loại 1 dòng: giờ: “07:00” không phải ngày giờ theo định dạng đã biết (đầu tiên ở dòng 2)"
            in summary(first, translator("vi"), "vi")[1])  # a count of lines, not "1 ×"
    again = import_file(venue_workspace, "scans", path, columns={"timestamp": "thời điểm quét"})
    assert not again.already_imported_at and again.rows_accepted == 1
    assert import_file(venue_workspace, "scans", path).already_imported_at  # now it counts


@pytest.mark.parametrize("moment", ["1969-12-31 10:00:00", "2201-08-02 10:00:00", "0021-08-02 10:00:00"])
def test_a_time_outside_the_plausible_years_is_rejected_and_the_rest_kept(venue_workspace, tmp_path, moment):
    path = tmp_path / "s.csv"
    path.write_text(SCANS.replace("not a time", moment), encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_accepted, result.rows_rejected) == (6, 3)
    row = result.rejections.set_index("line").loc[8]
    assert (row["reason"], row["field"], row["detail"]) == ("implausible_timestamp", "timestamp", moment)
    parquet = tmp_path / "typed.parquet"  # typed times, as a database export gives them
    frame = pd.read_csv(path, dtype=str)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"].where(frame["timestamp"] != moment, "1960-01-01"),
                                        format="mixed", utc=True, errors="coerce")
    frame.to_parquet(parquet)
    typed = import_file(venue_workspace, "scans", parquet)
    assert "implausible_timestamp" in set(typed.rejections["reason"]) and typed.rows_accepted == 6


def test_title_lines_above_a_scan_log_s_header_are_skipped_and_lines_stay_true(venue_workspace, tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text("NHẬT KÝ QUÉT MÃ QR,,,,,\nTỉnh Thừa Thiên Huế,,,,,\n\n" + SCANS, encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_accepted, result.rows_rejected) == (6, 3)
    assert sorted(result.rejections["line"]) == [11, 12, 13]  # lines 8-10 of the log, three lines lower


def test_many_days_of_venue_figures_come_out_by_venue_then_day():
    import numpy as np
    import polars as pl

    from inspector.core.importers.scan_daily import _ordered

    rng = np.random.default_rng(1)
    days = []
    for day in range(30):  # one piece per day, its venues in no particular order (as the aggregation gives them)
        vidx = rng.permutation(5000).astype(np.int32)
        days.append(pl.DataFrame({"vidx": vidx, "day": day, "figure": vidx * 100 + day}))
    ordered = _ordered(pl.concat(days, rechunk=False))
    assert ordered.columns == ["day", "figure"]
    assert ordered["figure"].to_list() == [v * 100 + d for v in range(5000) for d in range(30)]


def test_citizen_reports_given_as_a_scan_log_are_refused_not_counted_as_scans(venue_workspace, tmp_path):
    # a Hue-S export with the reporter's phone has a scan log's required columns: its reports would
    # replace the venue-days' real figures
    path = tmp_path / "hue-s.csv"
    path.write_text("Mã phản ánh,Thời gian,Mã cơ sở,Số điện thoại,Loại vi phạm,Nội dung\n"
                    "PA1,02/08/2021 09:14,V1,0905123456,Không có mã QR,Không thấy bảng mã QR\n", encoding="utf-8")
    error = refused(venue_workspace, "scans", path)
    assert error.code == "reports_as_scans"
    assert str(error).startswith("hue-s.csv looks like citizen reports, not a scan log: its column “Mã phản ánh”")
    assert render(error.code, error.params, translator("vi")).startswith(
        "hue-s.csv có vẻ là phản ánh của người dân, không phải nhật ký quét mã: cột “Mã phản ánh”")
    assert import_file(venue_workspace, "reports", path).rows_accepted == 1


def test_a_scan_log_given_as_citizen_reports_is_refused_not_made_reports(venue_workspace, tmp_path):
    path = tmp_path / "scans.csv"
    path.write_text("timestamp,venue_id,phone,role,lat,lon\n"
                    "2021-08-02 07:00:00,V1,0901234567,visitor,16.445,107.555\n", encoding="utf-8")
    error = refused(venue_workspace, "reports", path)
    assert error.code == "scans_as_reports" and "(timestamp, venue_id, phone)" in str(error)
    assert render(error.code, error.params, translator("vi")).startswith(
        "scans.csv có vẻ là nhật ký quét mã, không phải phản ánh của người dân")
    # a scan log's own columns, or columns chosen by hand, are read as asked
    assert import_file(venue_workspace, "scans", path).rows_accepted == 1
    chosen = import_file(venue_workspace, "reports", path, columns={"reported_at": "timestamp"})
    assert chosen.rows_accepted == 1
    reports = tmp_path / "reports.csv"  # a report naming its venue is a report, phone or not
    reports.write_text("Thời gian,Mã cơ sở,Số điện thoại,Nội dung\n02/08/2021 09:14,V1,0905123456,Không quét mã\n",
                       encoding="utf-8")
    assert import_file(venue_workspace, "reports", reports).rows_accepted == 1


def test_a_scan_log_given_as_venues_is_refused_not_offered_a_matching_of_its_columns(venue_workspace, tmp_path):
    path = tmp_path / "scans.csv"
    path.write_text("timestamp,venue_id,phone,role,lat,lon\n"
                    "2021-08-02 07:00:00,V1,0901234567,visitor,16.445,107.555\n", encoding="utf-8")
    error = refused(venue_workspace, "venues", path)
    assert error.code == "scans_as_venues" and "(timestamp, venue_id, phone)" in str(error)
    assert render(error.code, error.params, translator("vi")).startswith(
        "scans.csv có vẻ là nhật ký quét mã, không phải danh sách cơ sở")
    registry = tmp_path / "registry.csv"  # a registry with its owners' phones and registration times is a registry
    registry.write_text("Mã cơ sở,Tên cơ sở,Thời gian đăng ký,Số điện thoại,Vĩ độ,Kinh độ\n"
                        "N1,Quán Mới,02/08/2021 07:00,0901234567,16.445,107.555\n", encoding="utf-8")
    assert import_file(venue_workspace, "venues", registry).rows_accepted == 1
