"""Files a data officer should not have sent: mixed or legacy encodings, damaged Parquet, phone numbers
in the wrong column. Each gets a clear message or a clean rejection, never a crash or a leak."""

import csv
import os
import tempfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from inspector.core import paths
from inspector.core.i18n import translator
from inspector.core.importers import import_file, write_rejections
from inspector.core.importers.scan_read import scratch
from inspector.core.messages import render
from tests.conftest import VENUES_CSV, cp1258_form, refused


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])  # Excel's "CSV UTF-8" writes the mark
def test_utf8_file_with_one_foreign_byte_is_refused_naming_the_line(workspace, tmp_path, bom):
    path = tmp_path / "v.csv"
    lines = VENUES_CSV.encode("utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(b"Hoa", b"Ho\xe0")  # one Latin-1 byte among UTF-8 text
    path.write_bytes(bom + b"".join(lines))
    err = refused(workspace, "venues", path)
    assert err.code == "mixed_encoding" and err.params["line"] == 2
    assert "v.csv, line 2" in str(err)


def test_legacy_vietnamese_encoding_is_named(workspace, tmp_path):
    path = tmp_path / "v.csv"
    # "Tiệm vàng" in TCVN3 (ABC): reads as code page 1258 without error, but as nonsense
    path.write_bytes(b"venue_id,name,lat,lon\nA1,Ti\xd6m v\xb5ng,16.445,107.556\nA2,Qu\xb8n c\xb5 ph\xaa,16.4,107.5\n")
    assert refused(workspace, "venues", path).code == "legacy_encoding"
    genuine = tmp_path / "w.csv"
    genuine.write_bytes(cp1258_form(VENUES_CSV).encode("cp1258"))
    assert import_file(workspace, "venues", genuine).rows_accepted == 4


def test_utf32_and_images_named_csv(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_bytes(VENUES_CSV.encode("utf-32"))
    assert import_file(workspace, "venues", path).rows_accepted == 4
    image = tmp_path / "i.csv"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    err = refused(workspace, "venues", image)
    assert err.code == "wrong_file_type"
    assert "a PNG image" in render(err.code, err.params, translator("en"))
    assert "ảnh PNG" in render(err.code, err.params, translator("vi"))


def big_scans(n: int, venue: str = "V1") -> str:
    rows = [f"2021-08-02 {7 + i // 3600 % 10:02d}:{i // 60 % 60:02d}:{i % 60:02d},{venue},09{i:08d},visitor"
            for i in range(n)]
    return "timestamp,venue_id,phone,role\n" + "\n".join(rows) + "\n"


def test_undecodable_text_after_the_sampled_start_is_refused_with_its_line(venue_workspace, tmp_path):
    path = tmp_path / "s.csv"
    text = big_scans(40_000).encode()  # more than the 1 MiB the encoding is judged on
    at = text.index(b"\n", 1_200_000) + 1
    line = text[:at].count(b"\n") + 1
    path.write_bytes(text[:at] + b"2021-08-02 09:00:00,V1,0900000000,kh\xe1ch\n" + text[at:])
    err = refused(venue_workspace, "scans", path)
    assert err.code == "mixed_encoding" and err.params["line"] == line


@pytest.fixture
def csv_default_field_limit():
    """Python's own limit on a CSV field, which an earlier test in the process may have raised."""
    before = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(before)


@pytest.mark.parametrize("line", [1, 40])  # among the records the header is looked for in, and below them
def test_long_cell_on_the_careful_path_is_only_a_cell(venue_workspace, tmp_path, csv_default_field_limit, line):
    path = tmp_path / "s.csv"
    rows = [f"2021-08-02 07:{m:02}:00,V2,09012345{m:02},khách,ngắn\n" for m in range(45)]
    rows[line - 1] = f'2021-08-02 07:00:00,V1,0901234567,khách,"{"x" * 200_000}"\n'
    path.write_bytes(cp1258_form("timestamp,venue_id,phone,role,note\n" + "".join(rows)).encode("cp1258"))
    assert import_file(venue_workspace, "scans", path).rows_accepted == 45


def test_careful_path_copy_never_touches_the_disk():
    folders = [paths.cache_dir(), tempfile.gettempdir()]
    before = {f: set(os.listdir(f)) for f in folders}
    with scratch() as copy:
        copy.write_text("phone\n0901234567\n", encoding="utf-8")
        assert {f: set(os.listdir(f)) for f in folders} == before or not hasattr(os, "memfd_create")
    assert not copy.exists() or hasattr(os, "memfd_create")  # a memory file's path names a closed descriptor


def test_a_foreign_registry_log_on_the_careful_path_is_refused_not_crashed(venue_workspace, tmp_path, monkeypatch):
    monkeypatch.setattr("inspector.core.importers.scan_frame._BATCH", 2_000)  # refused before the end
    path = tmp_path / "s.csv"
    path.write_bytes(big_scans(12_000, venue='"X9"').encode())  # quotes: lines are counted first
    assert refused(venue_workspace, "scans", path).code == "mostly_unusable"


@pytest.mark.parametrize("values", [
    pa.array([pd.Timestamp("2021-08-02").date()] * 3, pa.date32()),
    pa.array([1_627_869_600] * 3, pa.int64()),
])
def test_parquet_with_times_of_other_types_does_not_crash(venue_workspace, tmp_path, values):
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table({"timestamp": values, "venue_id": ["V1"] * 3, "phone": ["0901234567"] * 3}), path)
    result = import_file(venue_workspace, "scans", path)
    assert result.rows_total == 3 and result.rows_accepted + result.rows_rejected == 3


def test_truncated_parquet_is_refused(venue_workspace, tmp_path):
    whole = tmp_path / "w.parquet"
    pq.write_table(pa.table({"timestamp": ["2021-08-02 07:00"], "venue_id": ["V1"], "phone": ["0901"]}), whole)
    path = tmp_path / "s.parquet"
    path.write_bytes(whole.read_bytes()[:-30])
    assert refused(venue_workspace, "scans", path).code == "bad_parquet"


def test_phone_numbers_never_come_back_in_rejections_or_messages(venue_workspace, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("timestamp,venue_id,phone,role,contact\n"
                    "2021-08-02 07:00:00,V1,0901234567,visitor,0912345678\n"
                    "2021-08-02 07:01:00,0913 093 509,V1,visitor,0912345678\n"
                    "2021-08-02 07:02:00,V404,0901234567,visitor,0912345678\n", encoding="utf-8")
    result = import_file(venue_workspace, "scans", path)
    reasons = dict(zip(result.rejections["line"], result.rejections["reason"], strict=True))
    assert reasons == {3: "phone_as_venue", 4: "unknown_venue"}
    text = write_rejections(result, translator("en")).read_text(encoding="utf-8-sig")
    assert "are the columns swapped?" in text and "contact" not in text
    for raw in ("0901234567", "0912345678", "0913 093 509", "0913093509"):
        assert raw not in text
    swapped = tmp_path / "swapped.csv"
    swapped.write_text("timestamp,venue_id,phone\n" + "".join(
        f"2021-08-02 07:00:00,09{i:08d},V1\n" for i in range(12_000)), encoding="utf-8")
    err = refused(venue_workspace, "scans", swapped)
    assert err.code == "mostly_unusable" and "0900000000" not in render(err.code, err.params, translator("en"))


def ole_file(*streams: str) -> bytes:
    """An OLE compound file (older Office formats) whose directory names ``streams``, as far as sniffing looks."""
    names = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in ("Root Entry", *streams))
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000) + names + bytes(500)


@pytest.mark.parametrize(("name", "content", "code"), [
    ("r.xls", ole_file("Book", "SummaryInformation"), "legacy_xls"),  # Excel 5.0/95
    ("r.xls", b"<html><table><tr><td>venue_id</td></tr></table></html>", "text_xls"),  # a web page "for Excel"
    ("r.xls", b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "text_xls"),
    ("r.xls", "Mã cơ sở\tTên cơ sở\nV1\tQuán\n".encode("utf-16"), "text_xls"),  # tab-separated text
    ("r.xlsx", ole_file("Book"), "legacy_xls"),  # an Excel 95 workbook renamed
    ("r.xlsx", ole_file("EncryptionInfo", "EncryptedPackage"), "protected_xlsx"),
    ("r.xls", ole_file("EncryptionInfo", "EncryptedPackage"), "protected_xlsx"),  # saved with a password as .xls
])
def test_old_and_password_protected_workbooks_say_how_to_make_them_readable(venue_workspace, tmp_path, name,
                                                                            content, code):
    path = tmp_path / name
    path.write_bytes(content)
    err = refused(venue_workspace, "reports", path)
    assert err.code == code
    text = render(err.code, err.params, translator("en"))
    assert text.startswith(f"{name} is ") and "open it in Excel or LibreOffice" in text and "(.xlsx)" in text
    assert ("remove the password" in text) == (code == "protected_xlsx")
    assert ("web page" in text) == (code == "text_xls")


def test_an_office_document_named_csv_is_named_as_such(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_bytes(ole_file("WordDocument"))
    err = refused(workspace, "venues", path)
    assert err.code == "wrong_file_type" and "an older Microsoft Office document" in str(err)


@pytest.mark.parametrize(("kind", "name", "accepted"), [
    ("boundaries", "reports.xlsx", "boundaries are read from GeoJSON, a Shapefile (.shp, or all its files in a .zip) "
                                   "or a GeoPackage (.gpkg)."),
    ("reports", "wards.geojson", "citizen reports are read from CSV, an Excel workbook (.xlsx, .xls) or an "
                                 "OpenDocument spreadsheet (.ods)."),
])
def test_a_file_of_a_format_the_kind_is_not_read_from_says_which_formats_it_is(venue_workspace, tmp_path, kind, name,
                                                                                accepted):
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04rest" if name.endswith(".xlsx") else b'{"type": "FeatureCollection", "features": []}')
    error = refused(venue_workspace, kind, path)
    assert error.code == "unsupported_format_for" and str(error).endswith(accepted)


@pytest.mark.parametrize("name", ["scans.csv.gz", "scans.7z"])
def test_a_compressed_log_is_refused_saying_to_extract_it_first(venue_workspace, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x1f\x8b\x08\x00compressed")
    error = refused(venue_workspace, "scans", path)
    assert error.code == "compressed_file" and str(error).endswith(f"then import {path.stem}.")


@pytest.mark.parametrize("kind", ["scans", "venues", "reports"])
def test_a_zipped_file_is_refused_saying_to_extract_it_and_which_file_it_holds(venue_workspace, tmp_path, kind):
    import zipfile

    path = tmp_path / "log-2021-08.zip"  # a big log, zipped to be sent
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xuat/nhat-ky-quet.csv", "timestamp,venue_id,phone\n2021-08-02 07:00:00,V1,0901234567\n")
    error = refused(venue_workspace, kind, path)
    assert error.code == "compressed_file" and str(error).endswith("then import nhat-ky-quet.csv.")
    assert render(error.code, error.params, translator("vi")).startswith("log-2021-08.zip là tệp nén: hãy giải nén")


def test_a_message_shows_control_characters_from_a_file_as_one_safe_line():
    """A library's raw error text (pyarrow's, with \\x0f in it) or a cell's: no line break, no escape sequence
    sent to the terminal the command line prints to."""
    text = render("bad_parquet", {"file": "s.parquet", "detail": "Invalid\x0f footer\x1b[31m red\nmore\tend"},
                  lambda s: s)
    assert text == "s.parquet cannot be read as Parquet (Invalid? footer?[31m red more end)."


def test_a_geojson_of_mixed_property_types_imports_without_warnings_on_stderr(venue_workspace, tmp_path):
    """A number in one feature, a word or a list in another: pyogrio warns it reads the column as text
    (which is what our readers make of it anyway); the command line's output stays the summary."""
    import json
    import warnings

    def feature(venue_id: str, staff: object, ward: object, lon: float) -> dict:
        return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, 16.44]},
                "properties": {"venue_id": venue_id, "name": "Quán " + venue_id, "category": "Quán cà phê",
                               "staff": staff, "ward": ward}}

    path = tmp_path / "v.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature("X1", 5, "Phường Đông Ba", 107.55), feature("X2", "năm", [1, 2], 107.56)]}), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = import_file(venue_workspace, "venues", path)
    assert (result.rows_total, result.rows_accepted) == (2, 2)
