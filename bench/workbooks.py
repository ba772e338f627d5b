"""Benchmark: read a 50,000-venue registry workbook (one sheet, and five sheets of 10,000).

Usage: python bench/workbooks.py [--data bench/data] [--venues 50000] [--repeat N] [--code DIR]

Generates (once, reused on later runs) a demo province of ``--venues`` venues and writes its
registry (14 columns) as two workbooks made the way district offices make them: a title merged
across the table, a header of two rows (a group heading "Vị trí" over latitude and longitude, the
other headings merged down both rows), an "STT" column of formulas (``=A5+1``) with their saved
results, registration dates as date cells, numbers as numbers, ids and phone numbers as text, a
few ward names merged down the rows of their venues and a total merged across the last row.
``registry-1.xlsx`` has one sheet; ``registry-5.xlsx`` has the same rows in five sheets (one per
group of wards) after a sheet of instructions.

Then, each in a fresh process (so the peak RSS is its own), with the code in ``--code`` (default:
this checkout; give another checkout to compare):
  1. ``openpyxl``: ``openpyxl.load_workbook`` alone in full mode (what the first reader paid to load),
  2. ``read 1``: :func:`read_table` of the one-sheet registry (find the sheet and header, text cells),
  3. ``ask+read 5``: the window's way with five sheets: :func:`table_sheets` (which sheets to
     import), then :func:`read_table` of all of them,
  4. ``import 1``: the whole venue import of the one-sheet registry into a workspace with the
     province's boundaries.
Each figure is wall time, with the process's CPU time and peak RSS beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
what, path = sys.argv[2], sys.argv[3]
t, c = time.perf_counter(), time.process_time()
if what == "openpyxl":
    import openpyxl
    book = openpyxl.load_workbook(path)
    rows = sum(w.max_row for w in book.worksheets)
elif what == "read":
    from inspector.core.io.tables import read_table
    rows = len(read_table(__import__("pathlib").Path(path), kind="venues").frame)
elif what == "ask+read":
    from pathlib import Path
    from inspector.core.io.tables import read_table
    from inspector.core.io.workbook import table_sheets
    sheets = [name for name, _ in table_sheets(Path(path), "venues")]
    rows = len(read_table(Path(path), kind="venues", sheet=sheets).frame)
else:
    from pathlib import Path
    from inspector.core.importers import import_file
    from inspector.core.workspace import Workspace
    result = import_file(Workspace.open(Path(sys.argv[4])), "venues", Path(path))
    rows = result.rows_accepted
wall, cpu = time.perf_counter() - t, time.process_time() - c
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across exec
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rows": rows, "wall": wall, "cpu": cpu, "rss_mb": peak / 1024}))
"""

#: sheet XML: a formula of the STT column as openpyxl saves it (no result), given its saved result
_STT = re.compile(rb'<c r="A(\d+)"([^>]*)><f>A(\d+)\+1</f><v\s*/></c>')
#: sheet XML: a text cell as openpyxl saves it (inline), to be moved to the shared strings as Excel keeps them
_INLINE = re.compile(rb'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr">'
                     rb'<is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>')
_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def registry(data: Path, venues: int) -> tuple[Path, Path, Path]:
    """The generated province's folder and its registry as a workbook of one sheet and of five (built once)."""
    sys.path.insert(0, str(ROOT))
    from inspector.demo import generate

    folder = data / f"workbooks-{venues}"
    csv = folder / "venues.csv"
    if not csv.exists():
        t = time.perf_counter()
        generate(folder, seed=11, venues=venues, days=1)
        print(f"generated {folder} in {time.perf_counter() - t:.1f} s")
    one, five = folder / "registry-1.xlsx", folder / "registry-5.xlsx"
    if not (one.exists() and five.exists()):
        import pandas as pd

        frame = pd.read_csv(csv, dtype=str, keep_default_na=False).sort_values("Mã phường/xã", kind="stable")
        t = time.perf_counter()
        _write(frame, one, 1)
        _write(frame, five, 5)
        print(f"wrote {one.name} and {five.name} in {time.perf_counter() - t:.1f} s")
    return folder, one, five


def _write(frame, path: Path, parts: int) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    if parts > 1:
        book.active.title = "Hướng dẫn"
        book.active.append(["Mỗi huyện một trang; điền theo mẫu, không sửa dòng tiêu đề."])
    else:
        book.remove(book.active)
    wards = frame["Mã phường/xã"].unique()
    for part, group in enumerate(_split(wards, parts)):
        rows = frame[frame["Mã phường/xã"].isin(group)]
        sheet = book.create_sheet(f"Nhóm {part + 1}" if parts > 1 else "Cơ sở")
        _fill(sheet, rows)
    tmp = path.with_suffix(".tmp.xlsx")
    book.save(tmp)
    # as Excel saves it: the STT formulas with their results, and the texts in a table of shared strings
    strings: dict[bytes, int] = {}

    def shared(m: re.Match) -> bytes:
        index = strings.setdefault(m[3], len(strings))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (m[1], m[2] or b"", index)

    with zipfile.ZipFile(tmp) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = _STT.sub(lambda m: b'<c r="A%s"%s><f>A%s+1</f><v>%d</v></c>' % (
                    m[1], m[2], m[3], int(m[1]) - 3), data)
                data = _INLINE.sub(shared, data)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST}"/>'
                                    "</Types>".encode())
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", f'<Relationship Id="rIdStrings" Type="{_SST_REL}" '
                                    'Target="sharedStrings.xml"/></Relationships>'.encode())
            new.writestr(item, data)
        items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in strings)
        new.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                     b'uniqueCount="%d">%s</sst>' % (len(strings), items))
    tmp.unlink()


def _split(items, parts: int) -> list:
    size = -(-len(items) // parts)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _fill(sheet, rows) -> None:
    columns = list(rows.columns)  # 14: id, QR, name, kind, address, ward code, ward, lat, lon, staff, ...
    width = len(columns) + 1
    sheet.append(["DANH SÁCH CƠ SỞ ĐÃ ĐĂNG KÝ MÃ QR"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    lat = columns.index("Vĩ độ") + 2  # the sheet's column of the latitude (after STT)
    sheet.append(["STT", *[("Vị trí" if c == "Vĩ độ" else None if c == "Kinh độ" else c) for c in columns]])
    sheet.append([None] * (lat - 1) + ["Vĩ độ", "Kinh độ"])
    for column in range(1, width + 1):
        if column not in (lat, lat + 1):
            sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    sheet.merge_cells(start_row=2, start_column=lat, end_row=2, end_column=lat + 1)
    numbers = {"Vĩ độ": float, "Kinh độ": float, "Số nhân viên": int, "Sức chứa": int}
    ward = columns.index("Phường/Xã") + 2
    run_start, run_ward = None, None
    for i, values in enumerate(rows.itertuples(index=False)):
        r = i + 4
        cells = []
        for name, value in zip(columns, values, strict=True):
            if name in numbers and value != "":
                value = numbers[name](value)
            elif name == "Ngày đăng ký" and value:
                value = dt.datetime.strptime(value, "%Y-%m-%d")
            cells.append(value if value != "" else None)
        sheet.append([1 if r == 4 else f"=A{r - 1}+1", *cells])
        sheet.cell(r, columns.index("Ngày đăng ký") + 2).number_format = "dd/mm/yyyy"
        # the first venues of each of the first wards: their ward merged down their rows
        if values[columns.index("Phường/Xã")] != run_ward:
            if run_start is not None and r - run_start >= 2 and len(sheet.merged_cells.ranges) < width + 40:
                sheet.merge_cells(start_row=run_start, start_column=ward, end_row=min(r - 1, run_start + 4),
                                  end_column=ward)
            run_start, run_ward = r, values[columns.index("Phường/Xã")]
    last = sheet.max_row + 1
    sheet.cell(last, 1, f"Tổng cộng: {len(rows):,} cơ sở".replace(",", "."))
    sheet.merge_cells(start_row=last, start_column=1, end_row=last, end_column=width)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--venues", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose code is measured")
    parser.add_argument("--only", nargs="*", default=["openpyxl", "read", "ask+read", "import"])
    args = parser.parse_args()

    folder, one, five = registry(args.data, args.venues)
    base = folder / "boundaries.gpkg"
    if "import" in args.only and not base.exists():
        sys.path.insert(0, str(ROOT))
        from inspector.core.workspace import Workspace
        from inspector.demo.build import import_folder

        import_folder(Workspace.create(folder / "building.gpkg", overwrite=True), folder, kinds=("boundaries",))
        (folder / "building.gpkg").replace(base)
    print(f"code: {args.code.resolve()}; {one.name} {one.stat().st_size / 2**20:.1f} MB, "
          f"{five.name} {five.stat().st_size / 2**20:.1f} MB")
    for run in range(args.repeat):
        for what in args.only:
            extra = []
            if what == "import":
                target = folder / "bench.gpkg"
                shutil.copy(base, target)
                extra = [str(target)]
            path = five if what == "ask+read" else one
            out = _child(str(args.code.resolve()), what, str(path), *extra)
            label = f"{what} {'5' if path == five else '1'}" if what != "openpyxl" else "openpyxl load (full)"
            print(f"run {run + 1}: {label:<22} {out['rows']:>7,} rows  {out['wall']:6.2f} s wall  "
                  f"{out['cpu']:6.2f} s CPU  {out['rss_mb']:5.0f} MB peak")
            if what == "import":
                target.unlink()


def _child(*argv: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
