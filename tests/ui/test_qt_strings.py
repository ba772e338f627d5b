"""Qt's own texts (buttons, menus, its file dialog) follow the interface language."""

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QLineEdit, QMessageBox, QPushButton

from inspector.ui.language import Language, QtStrings


def _details_button(box):
    return next(b for b in box.findChildren(QPushButton) if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole)


def test_message_box_buttons_and_text_field_menu_follow_the_language(qtbot):
    lang = Language("vi")
    strings = QtStrings(lang)
    QCoreApplication.installTranslator(strings)
    try:
        box = QMessageBox(QMessageBox.Icon.Information, "t", "x", QMessageBox.StandardButton.Ok)
        qtbot.addWidget(box)
        box.setDetailedText("details")
        box.show()
        assert box.button(QMessageBox.StandardButton.Ok).text() == "Đồng ý"
        assert _details_button(box).text() == "Hiện chi tiết..."
        _details_button(box).click()
        assert _details_button(box).text() == "Ẩn chi tiết..."
        field = QLineEdit()
        qtbot.addWidget(field)

        def menu():
            return [a.text().split("\t")[0] for a in field.createStandardContextMenu().actions()][:2]

        assert menu() == ["&Hoàn tác", "&Làm lại"]
        lang.set("en")
        assert menu() == ["&Undo", "&Redo"]
    finally:
        QCoreApplication.removeTranslator(strings)


def test_qt_file_dialog_is_translated(qtbot, tmp_path):
    strings = QtStrings(Language("vi"))
    QCoreApplication.installTranslator(strings)
    try:
        dialog = QFileDialog(None, "Mở", str(tmp_path), "(*.gpkg)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        labels = {label.text() for label in dialog.findChildren(QLabel)}
        assert {"&Tìm trong:", "&Tên tệp:", "&Loại tệp:"} <= labels
        buttons = dialog.findChild(QDialogButtonBox)
        assert {b.text() for b in buttons.buttons()} == {"&Mở", "Hủy"}
    finally:
        QCoreApplication.removeTranslator(strings)


def test_the_window_installs_it(window, qtbot):
    window.set_language("vi")
    qtbot.waitUntil(lambda: window.job is None, timeout=60_000)
    box = QMessageBox(QMessageBox.Icon.Information, "t", "x", QMessageBox.StandardButton.Ok, window)
    box.setDetailedText("details")
    box.show()
    assert box.button(QMessageBox.StandardButton.Ok).text() == "Đồng ý"
    assert _details_button(box).text() == "Hiện chi tiết..."
    box.close()


def test_the_language_object_installs_no_gettext_in_builtins():
    import builtins

    import inspector.ui.language  # noqa: F401

    assert not hasattr(builtins, "_")
