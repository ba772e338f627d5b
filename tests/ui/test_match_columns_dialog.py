"""Matching a file's columns by hand in the window: the dialog, and the import it leads to."""

import html

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from inspector.core.importers.matching import preview
from inspector.core.workspace import Workspace
from inspector.ui.column_dialog import ColumnDialog
from inspector.ui.dialogs import Dialogs
from inspector.ui.language import Language
from tests.conftest import snapshot
from tests.ui.conftest import TRICKY, own_copy

#: A registry whose headings no alias knows (positions in the demo province, near Huế).
UNKNOWN = ("Cơ sở,Toạ độ Bắc,Toạ độ Đông,Số hiệu\n"
           "Quán cà phê Hoa Sen,16.4450,107.5550,NEWM1\nUBND Phường Tây Lộc,16.4450,107.5750,NEWM2\n"
           "Chợ Hương An,16.4650,107.5550,NEWM3\n")
CHOSEN = {"venue_id": "Số hiệu", "name": "Cơ sở", "lat": "Toạ độ Bắc", "lon": "Toạ độ Đông"}


@pytest.fixture
def demo_workspace(demo_workspace, tmp_path):
    return own_copy(demo_workspace, tmp_path)  # these tests import into it


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "co-so.csv"
    path.write_text(UNKNOWN, encoding="utf-8")
    return path


def _dialog(qtbot, path, lang="en", kind="venues"):
    dialog = ColumnDialog(preview(path, kind), Language(lang))
    qtbot.addWidget(dialog)
    return dialog


def _ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_the_dialog_offers_every_field_preselected_with_what_the_names_match(qtbot, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(f"Tên cơ sở,Bắc,Đông,Số hiệu,Ghi chú\n{TRICKY},16.4450,107.5550,V1,\n", encoding="utf-8")
    dialog = _dialog(qtbot, path)
    assert list(dialog.combos)[:3] == ["venue_id", "qr_payload", "name"]
    assert dialog.combos["name"].currentData() == "Tên cơ sở"
    assert dialog.combos["venue_id"].currentText() == "— choose a column —"
    assert dialog.combos["address"].currentText() == "— not in this file —"
    assert [dialog.combos["lat"].itemText(i) for i in range(1, 6)] == ["Tên cơ sở", "Bắc", "Đông", "Số hiệu", "Ghi chú"]
    assert not _ok(dialog).isEnabled()
    assert dialog.problem.text() == "Choose a column for: Venue id, Latitude, Longitude."
    for field, column in (("venue_id", "Số hiệu"), ("lat", "Bắc"), ("lon", "Bắc")):
        dialog.choose(field, column)
    assert not _ok(dialog).isEnabled()  # one column for two fields
    assert dialog.problem.text() == "The column “Bắc” is chosen for more than one field: Latitude, Longitude."
    dialog.choose("lon", "Đông")
    assert _ok(dialog).isEnabled() and dialog.problem.text() == ""
    assert dialog.columns() == {"venue_id": "Số hiệu", "name": "Tên cơ sở", "lat": "Bắc", "lon": "Đông"}
    assert dialog.table.horizontalHeaderItem(1).text() == "Bắc\n→ Latitude"
    assert dialog.table.horizontalHeaderItem(4).text() == "Ghi chú\n"
    assert dialog.table.item(0, 0).text() == TRICKY  # a cell is shown as it is written
    assert html.escape(TRICKY) in dialog.table.item(0, 0).toolTip()  # also in its tooltip, never as HTML
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in dialog.findChildren(QLabel))
    dialog.choose("lon", None)
    assert not _ok(dialog).isEnabled()


def test_a_column_with_both_coordinates_stands_for_latitude_and_longitude(qtbot, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text('Tên cơ sở,Vị trí,Số hiệu\nQuán A,"16.4450, 107.5550",V1\n', encoding="utf-8")
    dialog = _dialog(qtbot, path)
    dialog.choose("venue_id", "Số hiệu")
    assert dialog.problem.text() == "Choose a column for: Latitude, Longitude."
    assert dialog.headings["lat"].text() == "Latitude *"
    dialog.choose("position", "Vị trí")
    assert _ok(dialog).isEnabled() and dialog.problem.text() == ""
    assert dialog.headings["lat"].text() == "Latitude" and not dialog.headings["lon"].font().bold()  # given
    assert dialog.combos["lat"].currentText() == "— not in this file —"


def test_the_dialog_speaks_the_users_language_and_says_where_the_header_is(qtbot, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("DANH SÁCH,,,\n" + UNKNOWN, encoding="utf-8")
    dialog = _dialog(qtbot, path, "vi")
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert {"Mã cơ sở *", "Tên cơ sở *", "Vĩ độ *", "Kinh độ *", "Địa chỉ"} <= set(texts)
    assert "Các dòng đầu của tệp, dưới dòng tiêu đề (dòng 2):" in texts
    assert dialog.windowTitle() == "Ghép cột" and _ok(dialog).text() == "Nhập dữ liệu"
    assert dialog.combos["address"].currentText() == "— tệp không có —"
    assert [dialog.table.verticalHeaderItem(r).text() for r in range(3)] == ["3", "4", "5"]


def test_a_scan_log_offers_its_own_fields(qtbot, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Lúc quét,Điểm,Người dùng\n2021-08-02 07:00:00,V1,0901234567\n", encoding="utf-8")
    dialog = _dialog(qtbot, path, kind="scans")
    assert list(dialog.combos) == ["timestamp", "venue_id", "person", "role", "lat", "lon"]
    assert dialog.table.rowCount() == 1 and dialog.table.columnCount() == 3


def test_the_dialogs_answer_is_the_choice_or_none(qtbot, registry, monkeypatch):
    def accept(self):
        for field, column in CHOSEN.items():
            self.choose(field, column)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ColumnDialog, "exec", accept)
    assert Dialogs.match_columns(None, Language("en"), preview(registry, "venues")) == CHOSEN
    monkeypatch.setattr(ColumnDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert Dialogs.match_columns(None, Language("en"), preview(registry, "venues")) is None


def test_a_registry_with_unknown_headers_is_imported_with_the_columns_matched(window, qtbot, registry, tmp_path,
                                                                             monkeypatch):
    offered = []
    monkeypatch.setattr(Dialogs, "match_columns", staticmethod(
        lambda parent, lang, shown: offered.append(shown) or dict(CHOSEN)))
    total = window.venues.model.total()
    window.import_files("venues", registry)
    qtbot.waitUntil(lambda: window.job is None and window.venues.model.total() == total + 3, timeout=60_000)
    (shown,) = offered
    assert shown.headers == ["Cơ sở", "Toạ độ Bắc", "Toạ độ Đông", "Số hiệu"] and shown.found == {}
    assert shown.rows[0] == ["Quán cà phê Hoa Sen", "16.4450", "107.5550", "NEWM1"] and len(shown.rows) == 3
    kind, title, text = window.dialogs_shown[-1]
    assert (kind, title) == ("info", "Import") and "Columns matched as you chose: “Số hiệu” → Venue id" in text
    # next time, a file with the same headers is read with that choice, without asking
    later = tmp_path / "co-so-thang-9.csv"
    later.write_text("Cơ sở,Toạ độ Bắc,Toạ độ Đông,Số hiệu\nNhà hàng Phú Hòa,16.4650,107.5750,NEWM4\n",
                     encoding="utf-8")
    window.import_files("venues", later)
    qtbot.waitUntil(lambda: window.job is None and window.venues.model.total() == total + 4, timeout=60_000)
    assert len(offered) == 1
    assert "Columns matched as saved in this workspace" in window.dialogs_shown[-1][2]


def test_cancelling_the_matching_leaves_the_workspace_unchanged(window, qtbot, registry):
    before = snapshot(Workspace(window.view.path))
    window.import_files("venues", registry)
    qtbot.waitUntil(lambda: window.job is None and bool(window.dialogs_shown), timeout=60_000)
    assert [kind for kind, *_ in window.dialogs_shown] == ["match_columns"]  # no error on top of it
    assert window.statusBar().currentMessage() == "Cancelled; nothing was changed."
    assert snapshot(Workspace(window.view.path)) == before


def test_a_file_that_cannot_be_previewed_shows_why_it_was_refused(window, qtbot, registry, monkeypatch):
    from inspector.ui import loading

    def broken(*args, **kwargs):
        raise OSError(13, "Permission denied", str(registry))

    monkeypatch.setattr(loading, "column_preview", broken)
    window.import_files("venues", registry)
    qtbot.waitUntil(lambda: window.job is None and bool(window.dialogs_shown), timeout=60_000)
    kind, title, text = window.dialogs_shown[-1]
    assert (kind, title) == ("error", "Import") and "no header line found" in text
