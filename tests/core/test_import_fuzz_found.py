"""The inputs the import fuzz tests (tests/core/test_import_fuzz*.py) found, each as a plain regression test."""

import io
import struct

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from inspector.core.importers import import_file
from tests.conftest import refused
from tests.core.fuzzing import SCANS_CSV


def parquet_bytes(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


@pytest.mark.parametrize("fill", [b"\xff", b"\x00"])
def test_a_parquet_file_with_a_damaged_footer_is_refused_naming_it(venue_workspace, tmp_path, fill):
    whole = parquet_bytes(pa.table({"timestamp": ["2021-08-02 07:00"], "venue_id": ["V1"], "phone": ["0901234567"]}))
    size = struct.unpack("<i", whole[-8:-4])[0]  # the footer's metadata, between the data and "PAR1"
    path = tmp_path / "s.parquet"
    path.write_bytes(whole[:-8 - size] + fill * size + whole[-8:])
    error = refused(venue_workspace, "scans", path)
    assert error.code == "bad_parquet" and "s.parquet" in str(error)


@pytest.mark.parametrize("micros", [1 << 62, -(1 << 62)])  # the years 148108 and -144169
def test_parquet_times_with_a_zone_far_outside_the_calendar_are_rejected_rows(venue_workspace, tmp_path, micros):
    times = pa.array([1_627_869_600_000_000, micros], pa.timestamp("us", tz="Asia/Ho_Chi_Minh"))
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table({"timestamp": times, "venue_id": ["V1", "V1"], "phone": ["0901234567", "0901234568"]}),
                   path)
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_total, result.rows_accepted) == (2, 1)
    assert result.rejections[["line", "reason"]].values.tolist() == [[2, "invalid_timestamp"]]


def far_times(n: int) -> pa.Array:
    return pa.array([1 << 62] * n, pa.timestamp("us", tz="Asia/Ho_Chi_Minh"))


def test_a_parquet_position_or_phone_column_of_far_times_is_said_not_crashed(venue_workspace, tmp_path):
    path = tmp_path / "s.parquet"
    base = {"timestamp": ["2021-08-02 07:00", "2021-08-02 07:01"], "venue_id": ["V1", "V1"]}
    pq.write_table(pa.table({**base, "phone": ["0901234567", "0901234568"], "lat": ["16.445", "16.445"],
                             "lon": far_times(2)}), path)
    result = import_file(venue_workspace, "scans", path)
    assert result.rows_accepted == 2 and set(result.notes["line"]) == {1, 2}
    assert result.notes["lon"].str.startswith("+148108-").all()  # the cell as the file has it, as text
    pq.write_table(pa.table({**base, "phone": far_times(2)}), path)
    result = import_file(venue_workspace, "scans", path)
    assert result.rows_total == 2 and result.rows_accepted + result.rows_rejected == 2


@pytest.mark.parametrize("header", ['t"imestamp', '""timestamp', '"time""stamp"'])  # a quote in the heading
def test_a_scan_log_with_a_quote_in_a_heading_is_read_under_the_heading_as_written(venue_workspace, tmp_path, header):
    path = tmp_path / "s.csv"
    path.write_text(SCANS_CSV.replace("timestamp", header, 1), encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_total, result.rows_accepted) == (5, 5)
    assert result.columns["timestamp"] == {'t"imestamp': 't"imestamp', '"time""stamp"': 'time"stamp'}.get(header,
                                                                                                       "timestamp")
