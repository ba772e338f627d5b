"""Write the workbooks of this folder: each table with openpyxl, saved by LibreOffice as .xlsx, .xls and .ods.

Run from the repository's root (LibreOffice needed, not by the tests):
``.venv/bin/python tests/data/workbooks/make.py``. LibreOffice computes the formulas and saves their
results (openpyxl saves none), so the three files of a table hold the same values.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = Path(__file__).resolve().parent
HEADINGS = ["STT", "Mã cơ sở", "Tên cơ sở", "Phường/Xã", "Vị trí", None, "Ngày đăng ký", "Số nhân viên", "Điện thoại"]


def registry(path: Path) -> None:
    """Venues kept a sheet per district, below a title, with a header of two rows, as a district office keeps them."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Hướng dẫn"
    notes.append(["Điền mỗi cơ sở một dòng; ngày theo dạng ngày/tháng/năm."])
    first = book.create_sheet("Quận 1")
    first.append(["DANH SÁCH CƠ SỞ KINH DOANH — QUẬN 1"])
    first.merge_cells("A1:I1")
    first.append([])
    first.append(HEADINGS)
    first.append([None, None, None, None, "Vĩ độ", "Kinh độ"])
    for column in "ABCDGHI":
        first.merge_cells(f"{column}3:{column}4")
    first.merge_cells("E3:F3")
    rows = [
        [1, "007", "Quán cà phê Mộc", "Phường Đông Ba", 16.4451, 107.5551, dt.datetime(2021, 7, 28), 5, "0901234567"],
        ["=A5+1", "A2", "Tiệm tạp hóa Đông Ba", None, 16.4452, 107.5552, dt.datetime(2021, 7, 29, 14, 30), "=1/0",
         "0912345678"],
        ["=A6+1", "A3", "Nhà hàng Sông Hương", "Phường Tây Lộc", "=NA()", 107.5753, 44405, 12, ""],
        ["=A7+1", "A4", "Chợ Hương An", "Xã Hương An", 16.4654, 107.5554, "31/07/2021", 2.5, ""],
        ["=A8+1", "A5", "=B9&\" mới\"", "Xã Phú Hòa", 16.4655, 107.5755, dt.date(2021, 8, 2), 3, "0234.3822.123"],
    ]
    for row in rows:
        first.append(row)
    first.merge_cells("D5:D6")  # a ward merged down its venues' rows
    first.append(["Tổng cộng: 5 cơ sở"])
    first.merge_cells("A10:I10")
    second = book.create_sheet("Quận 2")
    second.append(["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ", "Ghi chú"])
    second.append(["B1", "Quán B1", 16.4456, 107.5656, "mở lại"])
    second.append(["007", "Quán cà phê Mộc chi nhánh", 16.4457, 107.5657, ""])  # the id of a venue of Quận 1
    hidden = book.create_sheet("Cũ")
    hidden.sheet_state = "hidden"
    hidden.append(["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ"])
    for i in range(5):
        hidden.append([f"C{i}", f"Quán cũ {i}", 16.44, 107.55])
    book.save(path)


def reports(path: Path) -> None:
    """Citizen reports: times as date cells, as text and as a serial number; an error where a time should be."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phản ánh"
    sheet.append(["Mã phản ánh", "Thời gian gửi", "Mã cơ sở", "Nội dung phản ánh"])
    sheet.append(["00012", dt.datetime(2021, 8, 15, 14, 30), "V1", "Không quét mã\nnhiều khách"])
    sheet.append(["00013", "16/8/2021 9h15", "V2", "Không có mã QR"])
    sheet.append(["00014", 44425.5, "V3", "Nhân viên không đeo khẩu trang"])
    sheet.append(["00015", "=1/0", "V4", "Tụ tập đông người"])
    sheet.append(["00016", dt.datetime(2021, 8, 18, 20, 0), "V4", "=\"Ồn ào\"&\" sau 22 giờ\""])
    book.save(path)


def dates_1904(path: Path) -> None:
    """A registry in the Mac date system (day zero 1904-01-01): registration dates as date cells and serials."""
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ", "Ngày đăng ký"])
    sheet.append(["V1", "Quán một", 16.4451, 107.5551, dt.datetime(2021, 7, 28)])
    sheet.append(["V2", "Quán hai", 16.4452, 107.5552, 42943])  # 2021-07-28 counted from 1904-01-01
    book.save(path)


#: A LibreOffice Basic macro saving a workbook with a password (the command line cannot)
MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub SaveWithPassword(source As String, target As String, filter As String)
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = &quot;Hidden&quot;
  hidden(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, hidden())
  Dim options(1) As New com.sun.star.beans.PropertyValue
  options(0).Name = &quot;FilterName&quot;
  options(0).Value = filter
  options(1).Name = &quot;Password&quot;
  options(1).Value = &quot;matkhau&quot;
  doc.storeToURL(ConvertToURL(target), options())
  doc.close(True)
End Sub
</script:module>
"""


def stray(path: Path) -> None:
    """A small registry with a stray value in the last cell an .xls has (IV65536)."""
    book = openpyxl.Workbook()
    book.active.append(["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ"])
    book.active.append(["V1", "Quán một", 16.4451, 107.5551])
    book.active["IV65536"] = "x"
    book.save(path)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        office = ["libreoffice", "--headless", f"-env:UserInstallation=file://{work}/profile"]
        for name, make, kinds in (("registry", registry, ("xlsx", "xls", "ods")),
                                  ("reports", reports, ("xlsx", "xls", "ods")),
                                  ("dates-1904", dates_1904, ("xlsx", "xls", "ods")), ("stray", stray, ("xls",))):
            source = work / "source" / f"{name}.xlsx"
            source.parent.mkdir(exist_ok=True)
            make(source)
            for kind in kinds:
                subprocess.run([*office, "--convert-to", kind, "--outdir", str(work / kind), str(source)],
                               check=True, capture_output=True)
                shutil.copy(work / kind / f"{name}.{kind}", HERE / f"{name}.{kind}")
        (work / "profile" / "user" / "basic" / "Standard" / "Module1.xba").write_text(MACRO, encoding="utf-8")
        for kind, filter_name in (("xls", "MS Excel 97"), ("ods", "calc8")):  # the reports, saved with a password
            target = HERE / f"protected.{kind}"
            subprocess.run([*office, f'macro:///Standard.Module1.SaveWithPassword("{work}/source/reports.xlsx",'
                                     f'"{target}","{filter_name}")'], check=True, capture_output=True)


if __name__ == "__main__":
    main()
