"""Scans kept without their position: counted by reason and listed in FILE.warnings.csv, never with a phone number."""

import csv

import pandas as pd
import pytest

from inspector.core import resources
from inspector.core.i18n import translator
from inspector.core.importers import import_file, row_files, summary

EN = translator("en")
HEADER = "timestamp,venue_id,phone,role,lat,lon"
#: (line in the file, the row, the field and reason of its warning); the rest of the log is clean
ODD = [
    (5, "2021-08-02 07:05:00,V1,0901000005,visitor,95.0,107.555", "lat", "gps_dropped"),
    (9, "2021-08-02 07:09:00,V1,0901000009,visitor,16.445,", "lon", "gps_half"),
    (12, "2021-08-02 07:12:00,V1,0901000012,visitor,0,0", "lat", "gps_zero"),
    (20, "2021-08-02 07:20:00,V2,0901000020,visitor,abc,xyz", "lat", "gps_not_read"),  # read again, then kept
    (31, "2021-08-02 07:31:00,V2,0901000031,visitor,16.445,200", "lon", "gps_dropped"),
    (40, "2021-08-02 07:40:00,V2,0901000040,visitor,16.445,n/a", "lon", "gps_not_read"),
    # a phone number in the latitude's column: out of range, and never shown
    (50, "2021-08-02 07:50:00,V1,0901000050,visitor,0905111222,107.555", "lat", "gps_dropped"),
]
REJECTED = (60, "2021-08-02 07:59:00,V404,0901000005,visitor,95.0,107.555")  # the same phone as line 5


def _log(rows=300):
    """A clean log of ``rows`` scans (one without a position) with :data:`ODD` and :data:`REJECTED` in it."""
    lines = {n: f"2021-08-02 {7 + n // 60:02d}:{n % 60:02d}:00,V{1 + n % 2},0902{n:06d},visitor,16.445,"
                f"{'107.555' if n % 2 else '107.575'}" for n in range(2, rows + 2)}
    lines[3] = "2021-08-02 07:03:00,V1,0902000003,visitor,,"  # no position at all: no warning
    lines.update({n: row for n, row, *_ in ODD})
    lines[REJECTED[0]] = REJECTED[1]
    return HEADER + "\n" + "\n".join(lines[n] for n in sorted(lines)) + "\n"


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_scans_kept_without_their_position_are_listed_with_why_and_no_phone_number(venue_workspace, tmp_path, fmt):
    path = tmp_path / "scans.csv"
    path.write_text(_log(), encoding="utf-8")
    if fmt == "parquet":
        path = tmp_path / "scans.parquet"
        pd.read_csv(tmp_path / "scans.csv", dtype=str, keep_default_na=False).to_parquet(path)
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_accepted, result.rows_rejected) == (299, 1)
    assert result.warnings == {"gps_dropped": 3, "gps_half": 1, "gps_zero": 1, "gps_not_read": 2}
    said = row_files(result, EN)
    assert said == [f"Rejected rows with reasons: {result.rejected_file}",
                    f"Rows kept with a warning: {result.notes_file}"]
    assert result.notes_file.name == path.name + ".warnings.csv"
    notes = _rows(result.notes_file)
    unit, shift = ("line", 1) if fmt == "csv" else ("record", 0)  # a CSV's header is line 1; records count from 1
    assert [(int(n[unit]), n["field"], n["reason code"]) for n in notes] == [
        (line - 1 + shift, field, reason) for line, _, field, reason in ODD]
    messages = {n["reason code"]: n["message"] for n in notes}
    assert messages == {
        "gps_dropped": "device position out of range; scan kept without position",
        "gps_half": "device position with a latitude or a longitude but not both; scan kept without position",
        "gps_zero": "device position 0, 0 (the phone had no fix); scan kept without position",
        "gps_not_read": "device position not a number; scan kept without position"}
    assert (notes[0]["timestamp"], notes[0]["venue_id"], notes[0]["lat"]) == ("2021-08-02 07:05:00", "V1", "95.0")
    assert notes[3]["lat"] == "abc" and notes[5]["lon"] == "n/a"
    # pseudonyms as the rejected-rows file gives them: the same phone, the same pseudonym
    assert len(notes[0]["phone"]) == 16 and notes[0]["phone"] == _rows(result.rejected_file)[0]["phone"]
    assert len(notes[-1]["lat"]) == 16  # the phone number in the latitude's column
    text = result.notes_file.read_text(encoding="utf-8-sig")
    for raw in ("0901000005", "901000005", "0905111222", "905111222"):
        assert raw not in text
    lines = summary(result, EN, "en")[1]
    assert "3 × device position out of range; scan kept without position" in lines
    assert "2 × device position not a number; scan kept without position" in lines


def test_a_file_of_the_careful_path_lists_them_at_their_lines(venue_workspace, tmp_path):
    """A title line above the header and a quoted line break: the rows are read another way, the lines stay true."""
    path = tmp_path / "scans.csv"
    body = _log(80).replace("0,0\n", '0,"0\n"\n', 1)  # line 12's 0, 0 over two lines
    path.write_text("Nhật ký quét mã\n" + body, encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    row_files(result, EN)
    notes = _rows(result.notes_file)
    assert [(int(n["line"]), n["reason code"]) for n in notes] == [
        (line + 1 + (line > 12), reason) for line, _, _, reason in ODD]
    assert result.rejections["line"].tolist() == [REJECTED[0] + 2]


def test_a_scan_whose_time_is_read_on_the_last_retry_is_listed_too(venue_workspace, tmp_path, monkeypatch):
    from inspector.core.importers import scan_frame

    real = scan_frame.parse_local
    monkeypatch.setattr(scan_frame, "parse_local", lambda values: real(values.str.replace("hôm nay ", "02/08/2021 ")))
    path = tmp_path / "scans.csv"
    path.write_text(HEADER + "\n2021-08-02 07:00:00,V1,0901000001,visitor,16.445,107.555\n"
                    "hôm nay 07:01,V1,0901000002,visitor,0,0\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_accepted, result.warnings) == (2, {"gps_zero": 1})
    assert result.notes[["line", "reason"]].values.tolist() == [[3, "gps_zero"]]


def test_a_log_with_millions_of_such_scans_lists_the_first_of_each_reason(venue_workspace, tmp_path, monkeypatch):
    """Counted in full, listed in part (a log whose phones all wrote 0, 0), and the summary says so."""
    from inspector.core.importers import scan_frame

    monkeypatch.setitem(resources.load_toml("thresholds.toml")["scans"], "warnings_listed", 4)
    monkeypatch.setattr(scan_frame, "_BATCH", 7)  # the first rows come from several batches
    rows = [f"2021-08-02 08:{i % 60:02d}:00,V1,0903{i:06d},visitor,{'0,0' if i % 3 else '95,107.5'}"
            for i in range(60)] + ["2021-08-02 09:00:00,V1,0903999999,visitor,16.445,"]
    path = tmp_path / "scans.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert result.warnings == {"gps_zero": 40, "gps_dropped": 20, "gps_half": 1}
    listed = result.notes.groupby("reason")["line"].apply(list).to_dict()
    assert listed == {"gps_zero": [3, 4, 6, 7], "gps_dropped": [2, 5, 8, 11], "gps_half": [62]}
    assert result.notes_limit == 4
    assert row_files(result, EN)[-1] == ("Rows kept with a warning, the first 4 of each kind (the counts above are "
                                         f"of all): {result.notes_file}")
    assert "40 × device position 0, 0 (the phone had no fix); scan kept without position" in summary(
        result, EN, "en")[1]


def test_a_clean_log_writes_no_warnings_file_and_removes_an_old_one(venue_workspace, tmp_path):
    path = tmp_path / "scans.csv"
    path.write_text(HEADER + "\n2021-08-02 07:00:00,V1,0901000001,visitor,16.445,107.555\n"
                    "2021-08-02 07:01:00,V1,0901000002,visitor,,\n", encoding="utf-8")
    path.with_name("scans.csv.warnings.csv").write_text("stale", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.warnings, row_files(result, EN)) == ({}, [])
    assert not result.notes_file.exists()


def test_the_first_rows_of_each_reason_are_kept_in_whatever_order_the_batches_come():
    import polars as pl

    from inspector.core.importers.scan_notes import Noted

    rows = pl.DataFrame({"__rn": range(100), "__gps_why": [5 if i % 2 else 7 for i in range(100)],
                         "phone": ["0901234567"] * 100, "lat": [str(i) for i in range(100)], "lon": ["0"] * 100},
                        schema_overrides={"__rn": pl.UInt32, "__gps_why": pl.UInt8})
    noted = Noted(["phone", "lat", "lon"], {"person": "phone", "lat": "lat", "lon": "lon"}, 3)
    for batch in reversed(list(rows.iter_slices(10))):  # the last rows first
        noted.add(batch)
    assert (noted.counts, noted.cut) == ({"gps_zero": 50, "gps_dropped": 50}, True)
    listed = noted.frame("salt")
    assert listed[["line", "reason", "lat"]].values.tolist() == [
        [1, "gps_dropped", "0"], [2, "gps_zero", "1"], [3, "gps_dropped", "2"], [4, "gps_zero", "3"],
        [5, "gps_dropped", "4"], [6, "gps_zero", "5"]]
    assert "0901234567" not in listed.to_csv()
