"""Workbooks whose cells are formulas: their saved results are read, or the workbook refused clearly."""

import openpyxl

from inspector.core.importers import import_file
from tests.conftest import refused
from tests.core.test_import_tables import HEADER, save, venue_rows


def test_formulas_without_saved_results_are_refused_clearly(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER, *venue_rows("F")]:
        sheet.append(row)
    for r in (2, 3, 4):
        sheet[f"B{r}"] = f'=CONCATENATE("Cơ sở ","{r}")'  # openpyxl saves formulas without results
    err = refused(workspace, "venues", save(book, tmp_path / "v.xlsx"))
    assert err.code == "uncached_formulas"
    assert "v.xlsx" in str(err) and "B2" in str(err) and "LibreOffice" in str(err)


def test_saved_formula_results_are_read_in_a_sheet_with_empty_cells(workspace, tmp_path):
    """As Excel or LibreOffice save them: each formula with its result, and blank cells left out."""
    import re
    import zipfile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["venue_id", "name", "lat", "lon", "Số nhân viên", "Ghi chú"])
    sheet.append(["A1", "Quán một", 16.445, 107.555, "=2+3", "x"])
    sheet.append(["A2", "Quán hai", 16.445, 107.556, "=2+4"])  # no note: a blank cell
    source = save(book, tmp_path / "plain.xlsx")
    path = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # the results a spreadsheet application stores
                data = re.sub(rb"<f>2\+(\d)</f><v ?/>", lambda m: b"<f>2+%s</f><v>%d</v>" % (m[1], 2 + int(m[1])),
                              data)
            new.writestr(item, data)
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 2
    assert workspace.query("SELECT staff FROM venues ORDER BY venue_id")["staff"].tolist() == [5, 6]
