"""The inputs the import fuzz tests (tests/core/test_import_fuzz*.py) found, each as a plain regression test."""

import io
import struct

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import refused


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

