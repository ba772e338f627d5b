import csv
import json
import unicodedata
import zipfile

import geopandas as gpd
import openpyxl
import pytest
import shapely

from inspector.core.errors import InputError
from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary, write_notes, write_rejections
from tests.conftest import VENUES_CSV, cp1258_form, refused, snapshot

EN = translator("en")


def read_rejected(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_vietnamese_headers_import_and_locate(venue_workspace):
    venues = venue_workspace.read_layer("venues").set_index("venue_id")
    assert len(venues) == 4
    assert venues.loc["V1", "name"] == "Quán cà phê Hoa Sen"
    assert venues.loc["V1", "category"] == "cafe"
    assert venues.loc["V2", "category"] == "agency"
    assert venues.loc["V3", "staff"] == 120
    assert venues.loc["V1", "declared_ward_code"] == venues.loc["V1", "ward_code"] == "19000"
    assert set(venues["location_flag"]) == {"ok"}


def test_headers_match_ignoring_case_accents_and_punctuation(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("MA CO SO;TEN_CO_SO;vi do;KINH ĐỘ\nA1;Tiệm tạp hóa;16,445;107,556\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 1
    venue = workspace.read_layer("venues").iloc[0]
    assert (venue["lat"], venue["lon"]) == (16.445, 107.556)


def test_missing_required_column_names_it_and_changes_nothing(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("Mã cơ sở,Tên cơ sở,Vĩ độ\nA1,X,16.4\n", encoding="utf-8")
    before = snapshot(workspace)
    with pytest.raises(InputError) as err:
        import_file(workspace, "venues", path)
    assert err.value.code == "missing_column"
    assert "“Longitude” (lon)" in str(err.value) and "v.csv" in str(err.value) and "Vĩ độ" in str(err.value)
    assert snapshot(workspace) == before


@pytest.mark.parametrize("encoding,delimiter", [
    ("utf-8", ","), ("utf-8-sig", ","), ("utf-16", "\t"), ("utf-16-le", "\t"), ("cp1258", ","),
])
def test_encodings(workspace, tmp_path, encoding, delimiter):
    text = VENUES_CSV.replace(",", delimiter)
    if encoding == "cp1258":
        text = cp1258_form(text)
    path = tmp_path / "v.csv"
    path.write_bytes(text.encode(encoding))
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 4, result.rejections
    names = set(workspace.read_layer("venues")["name"])
    assert "Quán cà phê Hoa Sen" in names and "Nhà hàng Phú Hòa" in names


@pytest.mark.parametrize("title", [
    "DANH SÁCH CƠ SỞ ĐĂNG KÝ MÃ QR\n\n",  # a heading typed above the table, without separators
    "UBND TỈNH THỪA THIÊN HUẾ;;;;;;;\nDANH SÁCH CƠ SỞ, THÁNG 8/2021;;;;;;;\n",  # as Excel writes one
    "",
])
def test_a_semicolon_table_with_decimal_commas_below_a_title(workspace, tmp_path, title):
    """What Excel saves as CSV where the decimal mark is a comma (Vietnamese settings): a ";" table."""
    rows = [line.split(",") for line in VENUES_CSV.splitlines()]
    text = "\n".join(";".join(r[:4] + [r[4].replace(".", ","), r[5].replace(".", ",")] + r[6:]) for r in rows)
    path = tmp_path / "v.csv"
    path.write_text(title + text + "\n", encoding="utf-8-sig")
    assert import_file(workspace, "venues", path).rows_accepted == 4
    lat = workspace.read_layer("venues").set_index("venue_id")["lat"]
    assert lat["V3"] == pytest.approx(16.465)


def test_latitude_and_longitude_in_one_cell_as_a_map_gives_them(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(
        'Mã cơ sở,Tên cơ sở,Tọa độ\n'
        'P1,Quán A,"16.4450, 107.5550"\n'
        'P2,Quán B,"16,4650; 107,5750"\n'
        'P3,Quán C,"16°26\'42""N 107°33\'18""E"\n'
        'P4,Quán D,"https://www.google.com/maps/place/Qu%C3%A1n+D/@16.4450,107.5750,17z/data=!3m1"\n'
        'P5,Quán E,16.4450\n'
        'P6,Quán F,cạnh chợ\n', encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 4 and "Tọa độ" not in result.unused_columns
    venues = workspace.read_layer("venues").set_index("venue_id")
    assert venues.loc["P2", ["lat", "lon"]].tolist() == pytest.approx([16.465, 107.575])
    assert venues.loc["P3", ["lat", "lon"]].tolist() == pytest.approx([16.445, 107.555])
    assert venues.loc["P4", ["lat", "lon"]].tolist() == pytest.approx([16.445, 107.575])
    rejected = result.rejections.set_index("line")
    assert rejected.loc[6, "reason"] == "half_position" and rejected.loc[6, "field"] == "Tọa độ"
    assert rejected.loc[7, "reason"] == "invalid_coordinate"


def test_a_position_column_beside_latitude_and_longitude_is_left_unread(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text('venue_id,name,lat,lon,Tọa độ\nP1,Quán A,16.445,107.555,"1, 2"\n', encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 1 and result.unused_columns == ["Tọa độ"]


def test_undecodable_bytes_fail_clearly(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_bytes(b"venue_id,name,lat,lon\nA1,\x81\x8d\x8e,16.4,107.5\n")
    before = snapshot(workspace)
    with pytest.raises(InputError) as err:
        import_file(workspace, "venues", path)
    assert err.value.code == "unknown_encoding" and "v.csv" in str(err.value)
    assert snapshot(workspace) == before


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_nul_byte_is_refused_with_its_line(workspace, tmp_path, bom):
    path = tmp_path / "v.csv"
    path.write_bytes(bom + b"venue_id,name,lat,lon\nA1,Qu\xc3\xa1n,16.4,107.5\nA2,X\x00,16.4,107.5\n")
    error = refused(workspace, "venues", path)
    assert error.code == "nul_byte" and "v.csv: line 3 holds a NUL byte" in str(error)


@pytest.mark.parametrize("content,code", [
    (b"", "empty_file"),
    (b"venue_id,name,lat,lon\n", "no_rows"),
    (b"\n\n", "empty_file"),
])
def test_empty_files(workspace, tmp_path, content, code):
    path = tmp_path / "v.csv"
    path.write_bytes(content)
    before = snapshot(workspace)
    with pytest.raises(InputError) as err:
        import_file(workspace, "venues", path)
    assert err.value.code == code and "v.csv" in str(err.value)
    assert snapshot(workspace) == before


def test_files_that_are_not_what_their_extension_says(workspace, tmp_path):
    fake_xlsx = tmp_path / "v.xlsx"
    fake_xlsx.write_text(VENUES_CSV, encoding="utf-8")
    err = refused(workspace, "venues", fake_xlsx)
    assert err.code == "wrong_file_type"
    assert "v.xlsx" in str(err) and "text" in str(err)
    fake_csv = tmp_path / "v.csv"
    with zipfile.ZipFile(fake_csv, "w") as z:
        z.writestr("x.txt", "hello")
    assert refused(workspace, "venues", fake_csv).code == "wrong_file_type"
    junk = tmp_path / "v.xls"
    junk.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)  # not text: not a web page named .xls either
    err = refused(workspace, "venues", junk)
    assert err.code == "wrong_file_type" and str(err).endswith("its content is not a format we know; save it again "
                                                               "in the right format.")


BAD_ROWS = """\
venue_id,name,lat,lon,staff,người khai báo
G1,Good one,16.445,107.556,3,0905111111
G1,Duplicate of G1,16.446,107.557,3,0905111112
S1,Swapped,107.556,16.445,3,0905111113
R1,Out of range,95,107.5,3,0905111114
N1,Not a number,16.4x,107.5,3,0905111115
Z1,Zero island,0,0,3,0905111116
E1,,16.445,107.556,3,0905111117
C1,"=HYPERLINK(""http://evil"")",16.445,107.556,many,0905111118
,No id,16.445,107.556,3,0905111119
F1,Far away in Hanoi,21.0285,105.8542,3,0905111120
"""


def test_bad_rows_are_rejected_with_line_and_reason_and_good_rows_kept(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_total == 10
    assert result.rows_accepted == 3  # C1 too: its unreadable staff count is left empty (a warning)
    reasons = dict(zip(result.rejections["line"], result.rejections["reason"], strict=True))
    assert reasons == {
        3: "duplicate_id", 4: "coordinates_swapped", 5: "coordinate_out_of_range", 6: "invalid_coordinate",
        7: "missing_coordinates", 8: "missing_value", 10: "missing_value",
    }
    assert result.warnings["outside_province"] == 1
    far = workspace.read_layer("venues").set_index("venue_id").loc["F1"]
    assert far["location_flag"] == "outside_province"

    written = write_rejections(result, EN)
    rows = read_rejected(written)
    assert written.name == "v.csv.rejected.csv"
    assert [int(r["line"]) for r in rows] == [3, 4, 5, 6, 7, 8, 10]
    by_line = {int(r["line"]): r for r in rows}
    assert by_line[3]["message"] == "duplicate id “G1”, first seen at line 2"
    assert by_line[4]["message"] == ("latitude and longitude look swapped (107.556, 16.445); exchange them in the "
                                     "file, or import it from the command line with --fix-swapped")
    assert by_line[6]["message"].startswith("lat: “16.4x” is not a coordinate; write decimal degrees")
    assert "người khai báo" not in rows[0] and "090511111" not in written.read_text(encoding="utf-8-sig")
    noted = write_notes(result, EN)  # the warnings behind "1 × staff not ..." and "1 × outside the province"
    notes = read_rejected(noted)
    assert [(n["line"], n["field"], n["reason code"], n["message"], n["name"]) for n in notes] == [
        ("9", "staff", "staff_not_read", "staff not a whole number of people (a range, a decimal, a word or a "
         "negative number): left empty", "'=HYPERLINK(\"http://evil\")"),  # a spreadsheet shows it as text
        ("11", "lat", "outside_province", "registered point lies outside the province", "Far away in Hanoi")]
    assert notes[0]["staff"] == "many"
    assert "người khai báo" not in notes[0] and "090511111" not in noted.read_text(encoding="utf-8-sig")
    assert result.notes_file.name == "v.csv.warnings.csv"


def test_swapped_coordinates_fixed_on_request(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("venue_id,name,lat,lon\nS1,Swapped,107.556,16.445\n", encoding="utf-8")
    result = import_file(workspace, "venues", path, fix_swapped=True)
    assert result.rows_accepted == 1 and result.warnings == {"swapped_fixed": 1}
    venue = workspace.read_layer("venues").iloc[0]
    assert (venue["lat"], venue["lon"]) == (16.445, 107.556)
    assert venue["ward_code"] == "19000"


def test_reimport_adds_nothing(venue_workspace, venues_file, tmp_path):
    before = snapshot(venue_workspace)
    again = import_file(venue_workspace, "venues", venues_file)
    assert again.already_imported_at is not None
    lines = venues_file.read_text(encoding="utf-8").splitlines()
    reordered = tmp_path / "reordered.csv"
    reordered.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    result = import_file(venue_workspace, "venues", reordered)
    assert (result.counts.added, result.counts.updated, result.counts.unchanged) == (0, 0, 4)
    after = snapshot(venue_workspace)
    assert after["venues"] == before["venues"]
    assert len(after["import_log"]) == len(before["import_log"]) + 1


def test_changed_rows_are_updated(venue_workspace, tmp_path):
    path = tmp_path / "update.csv"
    path.write_text("venue_id,name,lat,lon\nV1,Quán cà phê Hoa Sen 2,16.4451,107.5551\n", encoding="utf-8")
    result = import_file(venue_workspace, "venues", path)
    assert (result.counts.added, result.counts.updated) == (0, 1)
    venues = venue_workspace.read_layer("venues").set_index("venue_id")
    assert venues.loc["V1", "name"] == "Quán cà phê Hoa Sen 2"
    assert venues.loc["V1"].geometry.equals(shapely.Point(107.5551, 16.4451))


def test_unicode_forms_and_lookalike_letters_match_ward_names(workspace, tmp_path):
    nfd = unicodedata.normalize("NFD", "Tây Lộc")
    text = (
        "venue_id,name,ward,lat,lon\n"
        "A1,Icelandic eth,Phường Ðông Ba,16.445,107.556\n"  # U+00D0, not U+0110
        f"A2,Decomposed,{nfd},16.445,107.575\n"
        "A3,No accents,phuong dong ba,16.445,107.556\n"
    )
    path = tmp_path / "v.csv"
    path.write_text(text, encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 3 and "unknown_ward" not in result.warnings
    declared = workspace.read_layer("venues").set_index("venue_id")["declared_ward_code"]
    assert declared.to_dict() == {"A1": "19000", "A2": "19001", "A3": "19000"}


def test_declared_ward_differs_from_location(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("venue_id,name,ward_code,lat,lon\nA1,Wrong ward,19003,16.445,107.556\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.warnings == {"outside_declared": 1}
    venue = workspace.read_layer("venues").iloc[0]
    assert (venue["declared_ward_code"], venue["ward_code"], venue["location_flag"]) == (
        "19003", "19000", "outside_declared")


def test_an_unknown_declared_ward_code_is_a_warning_not_a_wrong_ward(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("venue_id,name,ward_code,lat,lon\nA1,Typo in code,019786,16.445,107.556\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.warnings == {"unknown_ward": 1}
    venue = workspace.read_layer("venues").iloc[0]
    # kept in the canonical form of a ward code ("019786" and "19786" are the same code)
    assert (venue["declared_ward_code"], venue["ward_code"], venue["location_flag"]) == ("19786", "19000", "ok")


def test_xlsx_and_geojson_registries(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ", "Ngày đăng ký"])
    sheet.append(["X1", "Khách sạn Sông Hương", 16.445, 107.556, "2021-02-01"])
    sheet.append(["X2", "@SUM(1+1)", "bad", 107.556, None])
    book.save(tmp_path / "v.xlsx")
    result = import_file(workspace, "venues", tmp_path / "v.xlsx")
    assert result.rows_accepted == 1 and result.unit == "row"
    assert list(result.rejections["line"]) == [3]
    rows = read_rejected(write_rejections(result, EN))
    assert rows[0]["Tên cơ sở"] == "'@SUM(1+1)"  # formula neutralised

    gdf = gpd.GeoDataFrame({"ma_co_so": ["G1"], "ten_co_so": ["Chùa Mẫu"]},
                           geometry=[shapely.Point(107.575, 16.465)], crs="EPSG:4326")
    gdf.to_file(tmp_path / "v.geojson", driver="GeoJSON")
    result = import_file(workspace, "venues", tmp_path / "v.geojson")
    assert result.rows_accepted == 1
    venue = workspace.read_layer("venues").set_index("venue_id").loc["G1"]
    assert venue["ward_code"] == "19003"


def test_venues_before_boundaries_are_located_when_boundaries_arrive(tmp_path, venues_file, wards_file):
    from inspector.core.workspace import Workspace

    ws = Workspace.create(tmp_path / "w.gpkg")
    result = import_file(ws, "venues", venues_file)
    assert result.warnings == {"no_boundaries": 4} and result.notes.empty  # said once, not listed per venue
    assert set(ws.read_layer("venues")["location_flag"]) == {"no_boundaries"}
    boundaries = import_file(ws, "boundaries", wards_file)
    assert boundaries.warnings["venues_relocated"] == 4
    venues = ws.read_layer("venues").set_index("venue_id")
    assert venues["ward_code"].to_dict() == {"V1": "19000", "V2": "19001", "V3": "19002", "V4": "19003"}
    assert set(venues["location_flag"]) == {"ok"}


def test_unrecognised_category_and_status_are_counted(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("venue_id,name,lat,lon,category,status\nA1,Quán,16.445,107.556,tàu vũ trụ,đang hoạt động\n"
                    "A2,Tiệm,16.446,107.557,Quán cà phê, Sách Mộc\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 2
    assert result.warnings["unknown_category"] == 1 and result.warnings["unknown_status"] == 1


def test_variant_headings_are_read_and_columns_not_used_are_listed(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("STT,Mã cơ sở,Tên cơ sở/doanh nghiệp,Vĩ độ (Y),Kinh độ (X),Số lao động,Sức chứa (người),Ghi chú,\n"
                    "1,A1,Quán A,16.445,107.555,12,40,mới mở,\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 1, result.rejections
    venue = workspace.read_layer("venues").iloc[0]
    assert (venue["name"], venue["lat"], venue["lon"], venue["staff"], venue["capacity"]) == (
        "Quán A", 16.445, 107.555, 12, 40)
    assert result.unused_columns == ["STT", "Ghi chú"]  # the column without a heading is not named
    assert summary(result, EN, "en")[1][-1] == "Columns not used: “STT”, “Ghi chú”"
    details = workspace.query("SELECT details FROM import_log ORDER BY fid DESC LIMIT 1").iloc[0, 0]
    assert json.loads(details)["unused_columns"] == ["STT", "Ghi chú"]


def test_degree_minute_second_coordinates_are_read_and_bad_ones_hint_at_decimal_degrees(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(
        "venue_id,name,lat,lon\n"
        "D1,DMS,16°26'42\"N,107°33'18\"E\n"
        "D2,Spaces,16 26 42 N,107 33 18 E\n"
        "D3,Decimal minutes,16°26.7'N,107°33.3'E\n"
        "D4,Letter after,16.445N,107.555E\n"
        "D5,Too many minutes,16°75'N,107°33'18\"E\n", encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 4
    venues = workspace.read_layer("venues").set_index("venue_id")
    assert venues[["lat", "lon"]].round(6).drop_duplicates().values.tolist() == [[16.445, 107.555]]
    assert set(venues["ward_code"]) == {"19000"}
    rows = read_rejected(write_rejections(result, EN))
    assert rows[0]["reason code"] == "invalid_coordinate"
    assert rows[0]["message"].startswith("lat: “16°75'N” is not a coordinate; write decimal degrees such as 16.4637")


def test_the_summary_counts_a_reason_apart_per_field_and_says_how_many_other_reasons_there_are(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("venue_id,name,lat,lon\nA1,,16.45,107.55\nA2,Quán,16.4x,107.55\nA3,Quán,16.45,107.5y\n"
                    "A4,,16.45,107.55\nA2,Quán,16.45,107.55\n,Quán,16.45,107.55\nA5,Quán,16.45,107.55\n",
                    encoding="utf-8")
    result = import_file(workspace, "venues", path)
    rejected = [line for line in summary(result, EN, "en")[1] if line.startswith("Rejected")]
    assert [line.split(" (first")[0][:48] for line in rejected] == [
        "Rejected: 2 × name is empty",
        "Rejected: 1 × lat: “16.4x” is not a coordinate; ",  # latitude and longitude apart
        "Rejected: 1 × lon: “107.5y” is not a coordinate;",
        "Rejected for 2 other reasons: 2 rows (see the re"]


def test_the_summary_gives_one_other_reason_itself_and_a_single_row_in_the_singular(workspace, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("venue_id,name,lat,lon\nA1,,16.45,107.55\nA2,Quán,16.4x,107.55\nA3,Quán,16.45,107.5y\n"
                    ",Quán,16.45,107.55\nA5,Quán,16.45,107.55\n", encoding="utf-8")
    lines = summary(import_file(workspace, "venues", path), EN, "en")[1]
    rejected = [line.split(" (first")[0][:26] for line in lines if line.startswith("Rejected")]
    # four reasons: the fourth in its own line, not "Rejected for 1 other reasons: 1 rows"
    assert sorted(rejected) == ["Rejected: 1 × lat: “16.4x”", "Rejected: 1 × lon: “107.5y",
                                "Rejected: 1 × name is empt", "Rejected: 1 × venue_id is "]
    one = tmp_path / "one.csv"
    one.write_text("venue_id,name,lat,lon\nB1,Quán,16.45,107.55\n", encoding="utf-8")
    headline = summary(import_file(workspace, "venues", one), EN, "en")[0]
    assert headline.startswith("one.csv: 1 row read, 1 accepted, 0 rejected")
