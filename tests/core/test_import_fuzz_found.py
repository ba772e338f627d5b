"""The inputs the import fuzz tests (tests/core/test_import_fuzz*.py) found, each as a plain regression test."""

import io
import struct

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from inspector.core.importers import import_file
from tests.conftest import VENUES_CSV, refused, tiny_wards
from tests.core.fuzzing import REPORTS_CSV, SCANS_CSV


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


TEXTS = {"venues": VENUES_CSV, "scans": SCANS_CSV, "reports": REPORTS_CSV}


@pytest.mark.parametrize("kind", list(TEXTS))
@pytest.mark.parametrize(("damage", "encoding"), [
    (lambda text: b"\xff\xfe" + text.encode("utf-16-le")[:-1], "UTF-16"),  # UTF-16 cut inside its last character
    (lambda text: b"\xff\xfe\x00\x00" + text.encode(), "UTF-32"),  # a UTF-32 mark on UTF-8 text
])
def test_text_that_breaks_in_the_encoding_its_mark_names_is_refused_naming_file_and_line(venue_workspace, tmp_path,
                                                                                         kind, damage, encoding):
    path = tmp_path / "x.csv"
    path.write_bytes(damage(TEXTS[kind]))
    error = refused(venue_workspace, kind, path)
    assert error.code == "mixed_encoding" and error.params["encoding"] == encoding
    assert str(error).startswith(f"x.csv, line {error.params['line']}: ")


@pytest.mark.parametrize("kind", list(TEXTS))
def test_utf8_text_behind_a_utf16_mark_is_refused_naming_the_file(venue_workspace, tmp_path, kind):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe" + TEXTS[kind].encode() + b"\n")  # an odd length: it cannot be UTF-16
    assert str(refused(venue_workspace, kind, path)).startswith("x.csv")


@pytest.mark.filterwarnings("ignore:Could not parse column:UserWarning")  # pyogrio: a property of mixed types
@pytest.mark.parametrize("count", ["1e309", "inf", "99999999999999999999", "1e30"])
def test_a_count_too_large_to_be_one_is_not_read_not_a_crash(venue_workspace, tmp_path, count):
    path = tmp_path / "v.csv"
    path.write_text(VENUES_CSV.replace(",4,40", f",{count},40"), encoding="utf-8")  # V1's staff
    result = import_file(venue_workspace, "venues", path)
    assert result.rows_accepted == 4 and result.warnings == {"staff_not_read": 1}
    assert venue_workspace.query("SELECT staff FROM venues WHERE venue_id = 'V1'")["staff"].isna().all()
    wards = tiny_wards()
    wards["population"] = wards["population"].astype(object)
    wards.loc[0, "population"] = count
    path = tmp_path / "w.geojson"
    path.write_text(wards.to_json(), encoding="utf-8")
    result = import_file(venue_workspace, "boundaries", path)
    assert result.rejections[["line", "reason"]].values.tolist() == [[1, "invalid_number"]]


def _ods_with_content(content: bytes | None = None, garble: bool = False) -> bytes:
    """The registry .ods of tests/data/workbooks with its content.xml replaced, or its compressed bytes garbled."""
    import zipfile
    from pathlib import Path

    data = (Path(__file__).parents[1] / "data" / "workbooks" / "registry.ods").read_bytes()
    if content is not None:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info, content if info.filename == "content.xml" else src.read(info))
        data = out.getvalue()
    if garble:  # the deflated stream of content.xml damaged where it begins
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            at = archive.getinfo("content.xml").header_offset
        start = at + 30 + sum(struct.unpack_from("<HH", data, at + 26))
        data = data[:start + 3] + b"\xff" * 64 + data[start + 67:]
    return data


@pytest.mark.parametrize(("data", "detail"), [
    (_ods_with_content(b'<?xml version="1.0" encoding="WTF-8"?>\n>'), "unknown encoding: WTF-8"),
    (_ods_with_content(garble=True), "Error -3 while decompressing data"),
])
def test_an_ods_whose_content_cannot_be_decoded_is_refused_naming_it(venue_workspace, tmp_path, data, detail):
    path = tmp_path / "registry.ods"
    path.write_bytes(data)
    error = refused(venue_workspace, "venues", path)
    assert error.code == "bad_ods" and str(error).startswith("registry.ods cannot be read") and detail in str(error)


def test_a_parquet_file_polars_panics_on_is_refused_naming_it(venue_workspace, tmp_path):
    """A small scan log whose footer has three bytes changed (found by fuzzing): pyarrow reads its schema,
    polars panics on it (a Rust panic, a BaseException). Refused, the workspace as it was."""
    import shutil
    from pathlib import Path

    path = tmp_path / "s.parquet"
    shutil.copy(Path(__file__).parents[1] / "data" / "damaged" / "footer-panics-polars.parquet", path)
    error = refused(venue_workspace, "scans", path)
    assert error.code == "bad_parquet" and str(error).startswith("s.parquet cannot be read as Parquet (")


def test_phone_numbers_stored_as_floats_are_numbers_and_nan_is_no_one(venue_workspace, tmp_path):
    """A Parquet log whose phone column is float64 (as pandas writes a column with a gap): 901234567.0 is a
    person, NaN no phone at all (rejected as such), not one person called "nan" scanning twice."""
    times = ["2021-08-02 07:00:00", "2021-08-02 07:05:00", "2021-08-02 07:10:00", "2021-08-02 07:15:00"]
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table({"timestamp": times, "venue_id": ["V1"] * 4,
                             "phone": pa.array([901234567.0, float("nan"), float("nan"), 901234568.0])}), path)
    result = import_file(venue_workspace, "scans", path)
    assert (result.rows_total, result.rows_accepted) == (4, 2)
    assert result.rejections["line"].tolist() == [2, 3] and set(result.rejections["field"]) == {"phone"}
    assert venue_workspace.query("SELECT persons FROM scan_daily WHERE venue_id = 'V1'")["persons"].tolist() == [2]
