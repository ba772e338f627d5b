"""How a workbook's cells read: as a person sees them, whichever way the sheet is read (calamine or cell by cell)."""

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from inspector.core.importers import import_file
from inspector.core.io import xlsx_grid
from inspector.core.io.workbook import read_sheet
from tests.conftest import refused

#: cells as a sheet holds them, and the text each reads as
CELLS = [
    ("Mã", "0012", "0012"),  # an id typed as text keeps its zeros
    ("Điện thoại", "0901234567", "0901234567"),
    ("Số", 5, "5"),
    ("Vĩ độ", 16.4637, "16.4637"),
    ("Đúng", True, "True"),
    ("Ngày", dt.datetime(2021, 1, 27), "2021-01-27 00:00:00"),  # a date cell: a date and time, as openpyxl gave it
    ("Lúc", dt.datetime(2021, 8, 13, 10, 0), "2021-08-13 10:00:00"),
    ("Giờ", dt.time(8, 30), "08:30:00"),  # a time of day alone
    ("Lỗi", "#N/A", "#N/A"),  # an error typed in (an error cell)
    ("Tổng", "=2+3", "5"),  # a formula: its saved result
    ("Tham chiếu", "=#REF!", "#REF!"),  # a formula whose saved result is an error
    ("Tên", '="Quán "&"một"', "Quán một"),  # a formula giving text
]

#: what a spreadsheet application saves for the formulas above (openpyxl saves none): type and result
TEXT = '"Quán "&amp;"một"'.encode()
RESULTS = {b"2+3": (b"", b"<v>5</v>"), b"#REF!": (b' t="e"', b"<v>#REF!</v>"),
           TEXT: (b' t="str"', "<v>Quán một</v>".encode())}


def rewrite(path, change, **parts):
    """Rewrite the first sheet's XML of the workbook at ``path`` with ``change``, other parts with ``parts``."""
    with zipfile.ZipFile(path) as old:
        items = [(item.filename, old.read(item)) for item in old.infolist()]
    with zipfile.ZipFile(path, "w") as new:
        for name, data in items:
            same = parts.pop(name, lambda d: d)
            new.writestr(name, change(data) if name == "xl/worksheets/sheet1.xml" else same(data))
        for name, make in parts.items():  # new parts
            new.writestr(name, make(b""))
    return path


def shared_strings(path):
    """The texts of the first sheet (openpyxl writes them in their cells) moved to a table of shared strings, as
    Excel keeps them."""
    texts = {}

    def shared(m):
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (m[1], m[2], texts.setdefault(m[3], len(texts)))

    ns = b"http://schemas.openxmlformats.org"
    inline = rb'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>'
    sheet = rewrite(path, lambda data: re.sub(inline, shared, data))
    table = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in texts)
    return rewrite(sheet, lambda data: data, **{
        "xl/sharedStrings.xml": lambda _: b'<sst xmlns="%s/spreadsheetml/2006/main">%s</sst>' % (ns, table),
        "[Content_Types].xml": lambda data: data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                                         b'ContentType="application/vnd.openxmlformats-officedocument.'
                                                         b'spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": lambda data: data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="'
                                                                b'%s/officeDocument/2006/relationships/sharedStrings" '
                                                                b'Target="sharedStrings.xml"/></Relationships>' % ns)})


def saved_results(data):
    def result(m):
        kind, saved = RESULTS[m[3]]
        return b'<c r="%s"%s%s><f>%s</f>%s</c>' % (m[1], m[2], kind, m[3], saved)
    return re.sub(rb'<c r="([A-Z]+\d+)"([^>]*)><f>([^<]*)</f><v ?/></c>', result, data)


def cells_book(path, shared=False):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([name for name, _, _ in CELLS])
    sheet.append([value for _, value, _ in CELLS])
    sheet.append(["0013", "", 6, 16.5, False, None, None, None, None, None, None, "x"])
    for cell, (_, value, _) in zip(sheet[2], CELLS, strict=True):
        if value == "#N/A":
            cell.data_type = "e"
        elif isinstance(value, dt.time):
            cell.number_format = "hh:mm"
        elif isinstance(value, dt.datetime):
            cell.number_format = "dd/mm/yyyy hh:mm" if value.hour else "dd/mm/yyyy"
    sheet.merge_cells("L3:L4")
    sheet["A4"] = "0014"
    book.save(path)
    rewrite(path, saved_results)
    return shared_strings(path) if shared else path


@pytest.fixture(params=["calamine", "cell by cell"])
def reader(request, monkeypatch):
    """Each way a sheet is read: calamine, and cell by cell (for sheets calamine is not to read)."""
    if request.param == "cell by cell":
        monkeypatch.setattr(xlsx_grid, "_scan", lambda data: None)
    return request.param


@pytest.mark.parametrize("shared", [False, True], ids=["texts in their cells", "shared strings"])
def test_cells_read_as_a_person_sees_them(tmp_path, reader, shared):
    path = cells_book(tmp_path / "c.xlsx", shared)
    assert (b"sharedStrings" in path.read_bytes()) == shared
    sheet = read_sheet(path)
    assert sheet.header == [name for name, _, _ in CELLS]
    assert sheet.rows[0] == [text for _, _, text in CELLS]
    assert sheet.rows[1] == ["0013", "", "6", "16.5", "False"] + [""] * 6 + ["x"]
    assert sheet.rows[2] == ["0014"] + [""] * 10 + ["x"]  # a merged range's value fills it
    assert sheet.lines == [2, 3, 4]


@pytest.mark.parametrize("written", ["with a prefix", "without references"])
def test_cells_written_otherwise_are_read_cell_by_cell_alike(tmp_path, monkeypatch, written):
    path = cells_book(tmp_path / "c.xlsx", shared=True)
    expected = read_sheet(path)
    if written == "with a prefix":  # <x:c r="A1">, as some generators write every element
        rewrite(path, lambda data: re.sub(rb"<(/?)([A-Za-z]\w*)", rb"<\1x:\2", data).replace(b'xmlns="', b'xmlns:x="'))
    else:  # no r="A1" in the row whose every cell is written: each cell after the one before it
        rewrite(path, lambda data: re.sub(rb'(<c) r="[A-Z]+2"', rb"\1", data))
    calls = []
    sparse = xlsx_grid.sparse_grid
    monkeypatch.setattr(xlsx_grid, "sparse_grid", lambda *a: calls.append(a) or sparse(*a))
    assert read_sheet(path) == expected
    assert len(calls) == 1


def test_formulas_whose_saved_result_is_empty_text_are_read(workspace, tmp_path, reader):
    """As LibreOffice saves =IF(…;"";…) when the result is empty: not a formula never computed."""
    book = openpyxl.Workbook()
    book.active.append(["venue_id", "name", "lat", "lon", "Ghi chú"])
    book.active.append(["A1", "Quán một", 16.445, 107.555, '=""'])
    book.save(tmp_path / "v.xlsx")
    path = rewrite(tmp_path / "v.xlsx", lambda data: data.replace(b'<c r="E2"><f>""</f><v /></c>',
                                                                   b'<c r="E2" t="str"><f>""</f><v></v></c>'))
    assert import_file(workspace, "venues", path).rows_accepted == 1


def test_a_sheet_of_formulas_never_computed_is_refused_whichever_way_it_is_read(workspace, tmp_path, reader):
    book = openpyxl.Workbook()
    book.active.append(["venue_id", "name", "lat", "lon"])
    book.active.append(["A1", "=CONCATENATE(\"Quán \",\"một\")", 16.445, 107.555])
    book.active["C5"] = "=C2+1"
    book.save(tmp_path / "v.xlsx")
    error = refused(workspace, "venues", tmp_path / "v.xlsx")
    assert error.code == "uncached_formulas" and "B2" in str(error)


def test_report_times_in_date_cells_keep_their_time_of_day(venue_workspace, tmp_path, reader):
    book = openpyxl.Workbook()
    book.active.append(["Mã phản ánh", "Thời gian", "Mã cơ sở"])
    book.active.append(["R1", dt.datetime(2021, 8, 13, 10, 0), "V1"])
    book.active.append(["R2", dt.datetime(2021, 8, 14, 0, 0), "V1"])  # midnight
    book.active["B2"].number_format = "dd/mm/yyyy hh:mm"
    book.active["B3"].number_format = "dd/mm/yyyy"
    book.save(tmp_path / "r.xlsx")
    result = import_file(venue_workspace, "reports", tmp_path / "r.xlsx")
    assert result.rows_accepted == 2
    when = venue_workspace.query("SELECT reported_at FROM citizen_reports ORDER BY report_id")["reported_at"]
    assert list(when) == ["2021-08-13T03:00:00.000Z", "2021-08-13T17:00:00.000Z"]  # Huế is UTC+7


def test_a_panic_inside_calamine_is_a_refusal_of_the_file_not_a_crash(workspace, tmp_path, monkeypatch):
    """pyo3 turns a Rust panic into PanicException, a BaseException that `except Exception` lets through."""
    import python_calamine

    panic = type("PanicException", (BaseException,), {})

    def panicking(path):
        raise panic("index out of bounds: the len is 3 but the index is 7")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", staticmethod(panicking))
    book = openpyxl.Workbook()
    book.active.append(["venue_id", "name", "lat", "lon"])
    book.active.append(["A1", "Quán một", 16.445, 107.555])
    book.save(tmp_path / "v.xlsx")
    error = refused(workspace, "venues", tmp_path / "v.xlsx")
    assert error.code == "bad_xlsx" and "index out of bounds" in str(error)
