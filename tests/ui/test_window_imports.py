"""Imports through the window: what it asks, and how it reports each file."""

import pytest

from tests.ui.conftest import own_copy


@pytest.fixture
def demo_workspace(demo_workspace, tmp_path):
    return own_copy(demo_workspace, tmp_path)  # these tests import into it


def test_bad_import_shows_a_readable_error(window, qtbot, tmp_path):
    bad = tmp_path / "venues.csv"
    bad.write_text("venue_id,name,lat,lon\n", encoding="utf-8")
    window.import_files("venues", bad)
    qtbot.waitUntil(lambda: window.job is None and bool(window.dialogs_shown), timeout=30_000)
    kind, title, text = window.dialogs_shown[-1]
    assert kind == "error" and "venues.csv" in text and "no data rows" in text
    assert title == "Import"  # as when it is one of several files


def test_several_files_import_in_one_go_and_each_says_how_it_went(window, qtbot, tmp_path):
    good, bad = tmp_path / "more.csv", tmp_path / "broken.csv"
    good.write_text("venue_id,name,lat,lon\nNEW1,Quán mới,16.45,107.55\n", encoding="utf-8")
    bad.write_text("name,lat\nx,1\n", encoding="utf-8")
    total = window.venues.model.total()
    window.import_files("venues", good, bad)
    qtbot.waitUntil(lambda: window.job is None and window.venues.model.total() == total + 1, timeout=60_000)
    kind, _title, text = window.dialogs_shown[-1]
    assert kind == "error" and text.startswith("more.csv: 1 row read, 1 accepted") and "broken.csv" in text
    assert [k for k, *_ in window.dialogs_shown] == ["error"]  # one of several files: no matching offered,
    assert text.endswith("Import this file on its own to choose its columns by hand.")  # but where to find it


def test_a_workbook_of_several_sheets_asks_which_to_import_and_reads_those_ticked_as_one_table(
        window, qtbot, tmp_path, monkeypatch):
    import openpyxl

    import inspector.core.io.workbook as workbook
    from inspector.ui.dialogs import Dialogs

    asked, answers = [], [None, lambda items: items]  # cancelled first, then every sheet ticked
    monkeypatch.setattr(Dialogs, "choose_many", staticmethod(
        lambda parent, lang, title, text, items, checked: asked.append((items, checked)) or (
            answers.pop(0) or (lambda _: None))(items)))
    path = tmp_path / "two-districts.xlsx"
    book = openpyxl.Workbook()
    for title, rows in (("Huyện A", [("NEWA1", 16.45, 107.55), ("NEWA2", 16.46, 107.56)]),
                        ("Huyện B", [("NEWB1", 16.45, 107.57), ("NEWA1", 16.45, 107.58)])):
        sheet = book.create_sheet(title)
        sheet.append(["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ"])
        for venue, lat, lon in rows:
            sheet.append([venue, f"Quán {venue}", lat, lon])
    book["Sheet"].append(["Ghi chú: danh sách gửi kèm công văn"])  # a sheet of notes is not offered
    book.save(path)
    total = window.venues.model.total()
    window.import_files("venues", path)
    qtbot.waitUntil(lambda: window.job is None and len(asked) == 1, timeout=60_000)
    # with their rows, the one an import reads alone ticked at first; cancelled: nothing read
    assert asked == [(["Huyện A (2 rows)", "Huyện B (2 rows)"], ["Huyện A (2 rows)"])]
    assert window.dialogs_shown == [] and window.venues.model.total() == total
    assert workbook._kept == {}  # the sheets read to ask are let go
    reads = []
    read = workbook.read_grids
    monkeypatch.setattr(workbook, "read_grids", lambda *a: reads.append(a[2]) or read(*a))
    window.import_files("venues", path)
    qtbot.waitUntil(lambda: window.job is None and window.venues.model.total() == total + 3, timeout=60_000)
    assert reads == [["Sheet", "Huyện A", "Huyện B"]]  # asked and imported: the sheets read once
    kind, _title, text = window.dialogs_shown[-1]
    assert text.startswith("two-districts.xlsx: 4 rows read, 3 accepted, 1 rejected")
    assert "Read from 2 sheets as one table: “Huyện A”, “Huyện B”." in text
    assert "duplicate id “NEWA1”, first seen at row 2 of the sheet “Huyện A” (first at row 3 of the sheet " \
           "“Huyện B”)" in text
    assert window.menus.undo.text() == "&Undo import of two-districts.xlsx (Huyện A, Huyện B)"


def test_the_window_asks_which_layer_of_a_geopackage_to_import(window, qtbot, tmp_path, monkeypatch):
    import pyogrio

    from inspector.ui.dialogs import Dialogs
    from tests.conftest import tiny_wards

    path = tmp_path / "layers.gpkg"
    wards = tiny_wards()
    pyogrio.write_dataframe(wards, path, layer="wards")
    district = wards.dissolve("district_code", as_index=False)[["district_code", "district_name", "geometry"]]
    pyogrio.write_dataframe(district.rename(columns={"district_name": "name", "district_code": "code"}), path,
                            layer="districts", append=True, promote_to_multi=True)
    asked = []
    monkeypatch.setattr(Dialogs, "choose", staticmethod(
        lambda parent, title, text, items: asked.append(items) or None))
    window.import_files("boundaries", path)
    # the likeliest first, with what each holds; cancelled: nothing
    assert asked == [[f"wards ({len(wards)} areas)", f"districts ({len(district)} areas)"]] and window.job is None
    monkeypatch.setattr(Dialogs, "choose", staticmethod(lambda parent, title, text, items: items[1]))
    window.import_files("boundaries", path)
    qtbot.waitUntil(lambda: window.job is None and bool(window.dialogs_shown), timeout=60_000)
    _kind, _title, text = window.dialogs_shown[-1]
    assert "Read the layer “districts”" in text and "“wards”" in text


def test_the_sheets_dialog_ticks_all_or_none_and_cannot_be_accepted_with_none(qtbot):
    from PySide6.QtCore import Qt

    from inspector.ui.dialogs import ChecklistDialog
    from inspector.ui.language import Language

    dialog = ChecklistDialog(None, Language("en"), "Import", "Which?", ["Quận 1 (4 rows)", "Quận 2 (2 rows)"],
                             ["Quận 2 (2 rows)"])
    qtbot.addWidget(dialog)
    assert dialog.chosen() == ["Quận 2 (2 rows)"] and dialog.ok.isEnabled()
    dialog.tick_all(Qt.CheckState.Unchecked)
    assert dialog.chosen() == [] and not dialog.ok.isEnabled()
    dialog.tick_all(Qt.CheckState.Checked)
    assert dialog.chosen() == ["Quận 1 (4 rows)", "Quận 2 (2 rows)"] and dialog.ok.isEnabled()


def test_the_import_dialog_opens_in_the_folder_of_the_last_import(window, qtbot, tmp_path, monkeypatch):
    from inspector.ui.dialogs import Dialogs

    folders, answers = [], [[], [str(tmp_path / "nothing.csv")], []]

    def open_files(parent, title, filters, folder=""):
        folders.append(folder)
        return answers.pop(0)

    monkeypatch.setattr(Dialogs, "open_files", staticmethod(open_files))
    monkeypatch.setattr(window.imports, "start", lambda kind, *files, **options: None)
    for _ in range(3):
        window.menus.imports["venues"].trigger()
    assert folders == ["", "", str(tmp_path)]  # none chosen yet; then where the file chosen was


def test_the_window_asks_which_file_of_a_zip_to_import(window, qtbot, tmp_path, monkeypatch):
    import zipfile

    from inspector.ui.dialogs import Dialogs
    from tests.conftest import tiny_wards

    wards = tiny_wards()
    district = wards.dissolve("district_code", as_index=False)[["district_code", "district_name", "geometry"]]
    path = tmp_path / "ranh_gioi.zip"
    with zipfile.ZipFile(path, "w") as archive:  # a folder zipped whole
        archive.writestr("Ranh giới/xa.geojson", wards.to_json())
        archive.writestr("Ranh giới/huyen.geojson", district.rename(columns={
            "district_name": "name", "district_code": "code"}).to_json())
    asked = []
    monkeypatch.setattr(Dialogs, "choose", staticmethod(
        lambda parent, title, text, items: asked.append((text, items)) or None))
    window.import_files("boundaries", path)
    assert asked == [("ranh_gioi.zip holds several files of areas. Which one to import?",
                      ["Ranh giới/xa.geojson (4 areas)", "Ranh giới/huyen.geojson (1 areas)"])]
    assert window.job is None
    monkeypatch.setattr(Dialogs, "choose", staticmethod(lambda parent, title, text, items: items[1]))
    window.import_files("boundaries", path)
    qtbot.waitUntil(lambda: window.job is None and bool(window.dialogs_shown), timeout=60_000)
    _kind, _title, text = window.dialogs_shown[-1]
    assert "Read “Ranh giới/huyen.geojson”; the zip holds other files of areas too: “Ranh giới/xa.geojson”" in text


def test_the_sheet_read_when_none_is_named_alone_is_the_same_import_as_from_the_command_line(window, qtbot, tmp_path,
                                                                                             monkeypatch):
    import openpyxl

    from inspector.core.importers import import_file
    from inspector.core.workspace import Workspace
    from inspector.ui.dialogs import Dialogs

    monkeypatch.setattr(Dialogs, "choose_many", staticmethod(lambda parent, lang, title, text, items, checked: checked))
    path = tmp_path / "two.xlsx"
    book = openpyxl.Workbook()
    for title, venues in (("Sheet", ["NEWA1", "NEWA2"]), ("Huyện B", ["NEWB1"])):
        sheet = book[title] if title in book.sheetnames else book.create_sheet(title)
        sheet.append(["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ"])
        for venue in venues:
            sheet.append([venue, f"Quán {venue}", 16.45, 107.55])
    book.save(path)
    total = window.venues.model.total()
    window.import_files("venues", path)
    qtbot.waitUntil(lambda: window.job is None and window.venues.model.total() == total + 2, timeout=60_000)
    assert import_file(Workspace.open(window.view.path), "venues", path).already_imported_at


def test_a_scan_log_with_scans_kept_without_their_position_says_where_they_are_listed(window, qtbot, tmp_path):
    venue = window.view.data.venues["venue_id"].iloc[0]
    path = tmp_path / "scans.csv"
    path.write_text("timestamp,venue_id,phone,lat,lon\n"
                    f"2021-09-01 08:00:00,{venue},0901234567,16.45,107.55\n"
                    f"2021-09-01 08:01:00,{venue},0901234568,0,0\n", encoding="utf-8")
    window.import_files("scans", path)
    qtbot.waitUntil(lambda: window.job is None and bool(window.dialogs_shown), timeout=60_000)
    kind, _title, text = window.dialogs_shown[-1]
    assert kind == "info" and text.startswith("scans.csv: 2 scans read, 2 accepted, 0 rejected")
    assert "  1 × device position 0, 0 (the phone had no fix); scan kept without position" in text.splitlines()
    assert text.endswith(f"Rows kept with a warning: {path}.warnings.csv")
    assert "0901234568" not in (tmp_path / "scans.csv.warnings.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_an_excel_97_or_libreoffice_workbook_is_offered_and_asks_which_sheets_as_an_xlsx_does(
        window, qtbot, tmp_path, monkeypatch, fmt):
    import shutil
    from pathlib import Path

    from inspector.ui.dialogs import Dialogs

    filters = []
    monkeypatch.setattr(Dialogs, "open_files", staticmethod(lambda parent, title, kinds, folder="": filters.append(
        kinds) or []))
    window.menus.imports["venues"].trigger()
    window.menus.imports["reports"].trigger()
    assert len(filters) == 2 and all("*.xlsx *.xls *.ods" in kinds for kinds in filters)
    asked = []
    monkeypatch.setattr(Dialogs, "choose_many", staticmethod(
        lambda parent, lang, title, text, items, checked: asked.append((items, checked)) or checked))
    path = Path(shutil.copy(Path(__file__).parents[1] / "data" / "workbooks" / f"registry.{fmt}", tmp_path))
    window.import_files("venues", path)
    qtbot.waitUntil(lambda: window.job is None and bool(window.dialogs_shown), timeout=60_000)
    assert asked == [(["Quận 1 (6 rows)", "Quận 2 (2 rows)"], ["Quận 1 (6 rows)"])]
    _kind, _title, text = window.dialogs_shown[-1]
    assert text.startswith(f"registry.{fmt}: 6 rows read, 4 accepted, 2 rejected"), text
