"""Excel 97–2003 (.xls) and OpenDocument (.ods) workbooks import as the same table saved as .xlsx does.

The workbooks in tests/data/workbooks were saved by LibreOffice from one openpyxl workbook each
(tests/data/workbooks/make.py): a registry kept a sheet per district below a title, with a header of
two rows and merged cells, formulas and error cells; citizen reports (also saved with a password); a
registry in the 1904 date system; a registry with a stray value in IV65536 (.xls only).
"""

import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary
from inspector.core.io import ods_content
from inspector.core.io.tables import ALL_SHEETS, head_table, read_table
from inspector.core.io.workbook import table_sheets
from inspector.core.workspace import Workspace
from tests.conftest import VENUES_CSV, refused

DATA = Path(__file__).resolve().parents[1] / "data" / "workbooks"
EN = translator("en")
FORMATS = ["xls", "ods"]


def copy(name: str, folder: Path, as_name: str | None = None) -> Path:
    """A copy of a workbook of tests/data/workbooks (an import writes its rejected rows beside the file)."""
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(DATA / name, folder / (as_name or name)))


def fresh(tmp_path: Path, wards_file: Path, name: str, venues: bool = False) -> Workspace:
    ws = Workspace.create(tmp_path / f"{name}.gpkg")
    import_file(ws, "boundaries", wards_file)
    if venues:
        (tmp_path / "venues.csv").write_text(VENUES_CSV, encoding="utf-8")
        import_file(ws, "venues", tmp_path / "venues.csv")
    return ws


def outcome(result, file: str) -> tuple:
    """What an import did, the file's name left out: counts, rejected rows and their reasons, the summary."""
    rejected = result.rejections.astype(str).to_dict("records")
    lines = [line.replace(file, "FILE") for line in summary(result, EN, "en")[1]]
    return result.rows_total, result.rows_accepted, result.sheets, result.other_sheets, rejected, lines


def same_rows(ws: Workspace, expected: Workspace, table: str) -> None:
    query = f"SELECT * FROM {table} ORDER BY fid"
    pd.testing.assert_frame_equal(ws.query(query), expected.query(query))


@pytest.fixture(params=["byte search", "element by element"])
def ods_way(request, monkeypatch):
    """Each way an .ods file's XML is read: searched as LibreOffice writes it, and parsed element by element."""
    if request.param == "element by element":
        monkeypatch.setattr(ods_content, "_scan", lambda data: None)
    return request.param


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_registry_kept_a_sheet_per_district_imports_as_its_xlsx_copy(tmp_path, wards_file, fmt, ods_way):
    expected_ws, ws = fresh(tmp_path, wards_file, "xlsx"), fresh(tmp_path, wards_file, fmt)
    xlsx, other = copy("registry.xlsx", tmp_path / "a"), copy(f"registry.{fmt}", tmp_path / "b")
    assert table_sheets(other, "venues") == table_sheets(xlsx, "venues") == [("Quận 1", 6), ("Quận 2", 2)]
    expected = import_file(expected_ws, "venues", xlsx, sheet=ALL_SHEETS)
    result = import_file(ws, "venues", other, sheet=ALL_SHEETS)
    assert outcome(result, other.name) == outcome(expected, xlsx.name)
    same_rows(ws, expected_ws, "venues")
    # what both read: a title and a header of two rows above the table, merged cells, leading zeros, date cells
    # and a date serial, error cells taken for what they show, a total below the table, a hidden sheet left out
    venues = ws.read_layer("venues").set_index("venue_id")
    assert venues.index.tolist() == ["007", "A2", "A4", "A5", "B1"]
    assert venues.loc["A2", "ward_code"] == venues.loc["007", "ward_code"]  # the ward merged down both rows
    assert venues["registered_on"].astype(str).tolist()[:4] == ["2021-07-28", "2021-07-29", "2021-07-31", "2021-08-02"]
    assert venues.loc["A5", "name"] == "A5 mới"  # a formula's saved result
    assert [(r["sheet"], r["line"], r["reason"], r["detail"]) for r in result.rejections.to_dict("records")][:2] == [
        ("Quận 1", 7, "invalid_coordinate", "#N/A"), ("Quận 1", 10, "below_table", None)]
    assert result.rejections["reason"].tolist()[2] == "duplicate_id"


@pytest.mark.parametrize("fmt", FORMATS)
def test_citizen_reports_import_as_their_xlsx_copy(tmp_path, wards_file, fmt):
    expected_ws, ws = fresh(tmp_path, wards_file, "xlsx", venues=True), fresh(tmp_path, wards_file, fmt, venues=True)
    xlsx, other = copy("reports.xlsx", tmp_path / "a"), copy(f"reports.{fmt}", tmp_path / "b")
    expected = import_file(expected_ws, "reports", xlsx)
    result = import_file(ws, "reports", other)
    assert outcome(result, other.name) == outcome(expected, xlsx.name)
    same_rows(ws, expected_ws, "citizen_reports")
    reports = ws.query("SELECT report_id, reported_at, description FROM citizen_reports ORDER BY report_id")
    assert reports.values.tolist() == [
        ["00012", "2021-08-15T07:30:00.000Z", "Không quét mã\nnhiều khách"],  # a date cell; a text cell's zeros
        ["00013", "2021-08-16T02:15:00.000Z", "Không có mã QR"],  # a time written as text
        ["00014", "2021-08-17T05:00:00.000Z", "Nhân viên không đeo khẩu trang"],  # a date serial
        ["00016", "2021-08-18T13:00:00.000Z", "Ồn ào sau 22 giờ"]]
    # the error cell is not read as a blank (a report without a time): rejected, showing what the cell shows
    assert result.rejections[["line", "reason", "detail"]].values.tolist() == [[5, "invalid_timestamp", "#DIV/0!"]]


@pytest.mark.parametrize("fmt", ["xlsx", *FORMATS])
def test_a_workbook_in_the_1904_date_system_reads_its_serials_from_1904(workspace, tmp_path, fmt):
    result = import_file(workspace, "venues", copy(f"dates-1904.{fmt}", tmp_path / "in"))
    assert result.rows_accepted == 2
    assert workspace.read_layer("venues")["registered_on"].astype(str).tolist() == ["2021-07-28", "2021-07-28"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_largest_sheet_is_read_naming_the_other_and_a_sheet_may_be_named(tmp_path, fmt):
    xlsx, other = copy("registry.xlsx", tmp_path / "a"), copy(f"registry.{fmt}", tmp_path / "b")
    table = read_table(other, kind="venues")
    assert (table.sheets, table.other_sheets) == (("Quận 1",), ("Quận 2",))
    assert table.frame.equals(read_table(xlsx, kind="venues").frame)
    second = read_table(other, kind="venues", sheet="Quan 2")  # typed without its accents
    assert second.sheets == ("Quận 2",) and second.frame["Mã cơ sở"].tolist() == ["B1", "007"]
    preview = head_table(other, ("xls", "ods"), "venues", rows=2)
    expected = head_table(xlsx, ("xlsx",), "venues", rows=2)
    assert preview.frame.equals(expected.frame) and preview.header_at == expected.header_at == 4
    assert preview.lines.tolist() == [5, 6]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_workbook_named_xlsx_is_read_for_what_it_is(workspace, tmp_path, fmt):
    """An .xls or .ods file renamed (or saved by a system) as .xlsx is read by its content."""
    result = import_file(workspace, "venues", copy(f"registry.{fmt}", tmp_path / "in", "registry.xlsx"))
    assert (result.rows_total, result.rows_accepted, result.sheets) == (6, 4, ["Quận 1"])
    assert result.other_sheets == ["Quận 2"]


def test_an_xlsx_named_ods_is_named_as_such(workspace, tmp_path):
    error = refused(workspace, "venues", copy("registry.xlsx", tmp_path / "in", "registry.ods"))
    assert error.code == "wrong_file_type" and "its content is zip/xlsx" in str(error)


@pytest.mark.parametrize("name", ["protected.xls", "protected.ods"])
def test_a_workbook_saved_with_a_password_says_to_remove_it(workspace, tmp_path, name):
    """The reports saved by LibreOffice with a password (an .xls's FILEPASS record, an .ods's encrypted parts)."""
    error = refused(workspace, "reports", copy(name, tmp_path / "in"))
    assert error.code == "protected_xlsx" and str(error).startswith(f"{name} is protected by a password")


@pytest.mark.parametrize(("name", "code", "reason"), [
    ("registry.xls", "bad_xlsx",
     "cannot be read as an Excel workbook (a damaged OLE container: double reference for OLE stream/storage)."),
    ("registry.ods", "bad_ods", "cannot be read as an OpenDocument spreadsheet (File is not a zip file)."),
])
def test_a_damaged_workbook_is_refused_in_one_line(workspace, tmp_path, name, code, reason):
    path = copy(name, tmp_path / "in")
    data = path.read_bytes()
    if name.endswith(".xls"):  # the container's header kept, its table of sectors lost
        path.write_bytes(data[:512] + bytes(1024) + data[1536:])
    else:  # cut short, as a download that stopped
        path.write_bytes(data[:3000])
    error = refused(workspace, "venues", path)
    assert error.code == code and str(error) == f"{name} {reason}"


def ods_file(path: Path, rows: str) -> Path:
    """A minimal OpenDocument spreadsheet of one sheet whose rows are the XML ``rows``, in the 1904 date system."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3">'
        '<office:body><office:spreadsheet><table:calculation-settings><table:null-date table:date-value="1904-01-01"/>'
        f'</table:calculation-settings><table:table table:name="Cơ sở">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
                'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content.encode(), zipfile.ZIP_DEFLATED)
    return path


def text_cells(*texts: str, repeated: int = 1) -> str:
    more = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    return "".join(f'<table:table-cell office:value-type="string"{more}><text:p>{t}</text:p></table:table-cell>'
                   for t in texts)


def test_repeated_rows_and_cells_of_an_ods_keep_their_places_errors_and_merges(tmp_path, ods_way):
    """LibreOffice writes identical neighbours once, repeated: an error filled right and down is in each cell."""
    from inspector.core.io.workbook import read_sheet

    error = ('<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="" '
             'calcext:value-type="error" table:number-columns-repeated="2"><text:p>#N/A</text:p></table:table-cell>')
    merged = ('<table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1" '
              'office:value-type="string"><text:p>Phường Đông Ba</text:p></table:table-cell>'
              "<table:covered-table-cell/>")
    rows = ('<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="5"/>'
            "</table:table-row>"  # two blank rows above the table
            f"<table:table-row>{text_cells('Mã cơ sở', 'Tên cơ sở', 'Vĩ độ', 'Kinh độ', 'Phường/Xã', 'Ghi chú')}"
            "</table:table-row>"
            f'<table:table-row table:number-rows-repeated="2">{text_cells("X", repeated=2)}{error}'
            f"{merged}</table:table-row>"
            f"<table:table-row>{text_cells('007', 'Quán một')}{text_cells('16.445', '107.555')}"
            '<table:table-cell office:value-type="float" office:value="42943"><text:p>42943</text:p>'
            "</table:table-cell></table:table-row>")
    sheet = read_sheet(ods_file(tmp_path / "v.ods", rows), "venues")
    assert sheet.header == ["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ", "Phường/Xã", "Ghi chú"]
    assert sheet.lines == [4, 5, 6]
    assert sheet.rows == [["X", "X", "#N/A", "#N/A", "Phường Đông Ba", "Phường Đông Ba"]] * 2 + [
        ["007", "Quán một", "16.445", "107.555", "42943", ""]]
    assert sheet.epoch.year == 1904


def test_an_ods_with_a_stray_value_far_out_is_refused_before_it_is_laid_out(workspace, tmp_path, ods_way):
    """calamine would lay the sheet out from A1 to the stray value: 15 billion cells (it refuses beyond 100
    million, saying only that it cannot tell the file's format)."""
    rows = (f"<table:table-row>{text_cells('Mã cơ sở', 'Tên cơ sở', 'Vĩ độ', 'Kinh độ')}</table:table-row>"
            f"<table:table-row>{text_cells('V1', 'Quán một', '16.445', '107.555')}</table:table-row>"
            '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
            'table:number-columns-repeated="16000"/></table:table-row><table:table-row><table:table-cell '
            f'table:number-columns-repeated="15000"/>{text_cells("x")}</table:table-row>')
    error = refused(workspace, "venues", ods_file(tmp_path / "v.ods", rows))
    assert error.code == "sparse_sheet" and str(error).startswith(
        "v.ods, sheet “Cơ sở”: a value far outside the table (as far as row 1000003, column VDY) makes the sheet too "
        "large to read; delete what lies outside the table")


def test_an_xls_with_a_stray_value_far_out_is_refused_before_it_is_laid_out(workspace, tmp_path):
    """calamine would lay the sheet out from A1 to IV65536 (1.3 GB, 6 s, for one venue)."""
    error = refused(workspace, "venues", copy("stray.xls", tmp_path / "in"))
    assert error.code == "sparse_sheet" and "sheet “Sheet”: a value far outside the table (as far as row 65536, " \
                                              "column IV)" in str(error)


def test_error_cells_above_and_left_of_the_values_calamine_gives_are_laid_out_in_their_places():
    """calamine's range of a sheet may leave error cells (which it gives as blanks) out: they are put back."""
    from types import SimpleNamespace

    from inspector.core.io.xlsx_grid import lay_out

    sheet = SimpleNamespace(start=(2, 1), to_python=lambda: [["Mã", "Tên"], ["", ""]])  # B3:C4
    grid = lay_out(sheet, {(1, 1): "#N/A", (4, 3): "#DIV/0!"}, [((2, 1), (3, 1))])  # A1; C4; B3:B4 merged
    assert grid.numbers == [1, 3, 4]
    assert grid.values == [["#N/A", "", ""], ["", "Mã", "Tên"], ["", "Mã", "#DIV/0!"]]
    assert lay_out(SimpleNamespace(start=None), {(2, 2): "#REF!"}, []).values == [["#REF!"]]


def test_an_xls_whose_sheets_are_not_listed_is_refused(workspace, tmp_path):
    """Its globals damaged (no sheet listed): refused before calamine, which may lay out garbage, reads it."""
    import struct

    import olefile

    path = copy("registry.xls", tmp_path / "in")
    with olefile.OleFileIO(str(path), write_mode=True) as container:
        data = bytearray(container.openstream("Workbook").read())
        at = 0
        while at + 4 <= len(data):
            kind, size = struct.unpack_from("<HH", data, at)
            if kind == 0x0085:  # BOUNDSHEET: made a record of no meaning
                struct.pack_into("<H", data, at, 0x7FFF)
            elif kind == 0x000A:  # the globals' end
                break
            at += 4 + size
        container.write_stream("Workbook", bytes(data))
    error = refused(workspace, "venues", path)
    assert error.code == "bad_xlsx"
    assert str(error) == "registry.xls cannot be read as an Excel workbook (no sheet listed)."
