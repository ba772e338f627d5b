"""File → Undo import in the window: offered after an import, asked, done, and gone when stale."""

import datetime as dt
import json
import shutil

import pytest
from PySide6.QtGui import QKeySequence

from inspector.core.i18n import translator
from tests.ui.conftest import own_copy


@pytest.fixture
def demo_workspace(demo_workspace, tmp_path):
    return own_copy(demo_workspace, tmp_path)  # these tests import into it and undo


@pytest.fixture
def answers(monkeypatch):
    """The confirmations asked (title, text), answered with ``answers.reply``."""
    from inspector.ui.dialogs import Dialogs

    class Answers(list):
        reply = True

    asked = Answers()
    monkeypatch.setattr(Dialogs, "confirm", staticmethod(
        lambda parent, title, text: asked.append((title, text)) or asked.reply))
    return asked


def _import_venue(window, qtbot, tmp_path, name="more & new.csv"):
    path = tmp_path / name
    path.write_text("venue_id,name,lat,lon\nNEW1,Quán mới,16.45,107.55\n", encoding="utf-8")
    total = window.venues.model.total()
    window.import_files("venues", path)
    qtbot.waitUntil(lambda: window.job is None and window.venues.model.total() == total + 1, timeout=60_000)
    return total


def test_an_import_can_be_undone_from_the_file_menu(window, qtbot, tmp_path, answers):
    vietnam = dt.timezone(dt.timedelta(hours=7))  # the question says Vietnam's time, whatever the machine's clock
    undo = window.menus.undo
    assert not undo.isEnabled() and undo.text() == "&Undo import"
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo) and undo in window.menus.file.actions()
    total = _import_venue(window, qtbot, tmp_path)
    assert undo.isEnabled() and undo.text() == "&Undo import of more && new.csv"

    before = dt.datetime.now(vietnam)
    undo.trigger()
    assert answers[0][0] == "Undo import" and answers[0][1].startswith("Undo the import of more & new.csv (")
    said = answers[0][1].split(" (")[1].split(")")[0].split()[-1]  # "... (29 Nov 2026 23:39)?"
    assert said in {f"{before - dt.timedelta(minutes=m):%H:%M}" for m in range(3)}
    qtbot.waitUntil(lambda: window.job is None and window.venues.model.total() == total, timeout=60_000)
    assert not undo.isEnabled() and undo.text() == "&Undo import"
    assert window.statusBar().currentMessage() == ("Import of more & new.csv undone: the workspace is as it was "
                                                   "before it.")
    from inspector.core.workspace import Workspace

    action, details = Workspace.open(window.view.path).query(
        "SELECT action, details FROM audit_log ORDER BY fid DESC LIMIT 1").iloc[0]
    assert action == "import_undone" and json.loads(details)["files"] == ["more & new.csv"]


def test_undo_answered_no_changes_nothing(window, qtbot, tmp_path, answers):
    answers.reply = False
    total = _import_venue(window, qtbot, tmp_path)
    window.menus.undo.trigger()
    assert len(answers) == 1 and window.job is None
    assert window.venues.model.total() == total + 1 and window.menus.undo.isEnabled()


def test_the_menu_item_is_retranslated_and_goes_when_the_workspace_is_written_since(window, qtbot, tmp_path,
                                                                                     answers):
    from inspector.core.importers import import_file
    from inspector.core.workspace import Workspace

    _import_venue(window, qtbot, tmp_path, "more.csv")
    window.set_language("vi")
    qtbot.waitUntil(lambda: window.job is None, timeout=60_000)
    expected = translator("vi")("&Undo import of {file}").format(file="more.csv")
    assert window.menus.undo.text() == expected != "&Undo import of more.csv"
    window.set_language("en")
    qtbot.waitUntil(lambda: window.job is None, timeout=60_000)

    other = tmp_path / "other.csv"
    other.write_text("venue_id,name,lat,lon\nNEW2,Quán khác,16.45,107.55\n", encoding="utf-8")
    import_file(Workspace.open(window.view.path), "venues", other)  # the command line, meanwhile
    window.menus.file.aboutToShow.emit()
    assert not window.menus.undo.isEnabled() and window.menus.undo.text() == "&Undo import"
    assert window.statusBar().currentMessage() == ("The import of more.csv can no longer be undone: the workspace "
                                                   "has been written to since.")
    window.menus.undo.trigger()  # Ctrl+Z on a disabled item does nothing; asked directly, nothing either
    window.undo_import.trigger()
    assert not answers and window.job is None


def test_an_import_whose_copy_cannot_be_kept_goes_in_and_says_it_cannot_be_undone(window, qtbot, tmp_path):
    from inspector.core import paths

    folder = paths.cache_dir() / "undo"
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text("", encoding="utf-8")  # a file where the copies' folder goes
    _import_venue(window, qtbot, tmp_path, "more.csv")
    qtbot.waitUntil(lambda: bool(window.statusBar().currentMessage()), timeout=10_000)
    assert window.statusBar().currentMessage().startswith("This import cannot be undone: no copy of the workspace")
    assert not window.menus.undo.isEnabled() and [k for k, *_ in window.dialogs_shown] == ["info"]
    assert not (paths.data_dir() / "error.log").exists()
