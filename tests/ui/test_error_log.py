"""Bugs: shown to the user and kept in the error log, even when the log cannot be written."""


def test_a_bug_in_a_task_is_shown_and_kept_in_the_error_log(window, qtbot):
    from inspector.core import paths

    def broken(progress=None):
        raise ZeroDivisionError("a bug in a task")

    window.run_job("Working…", broken, on_done=lambda result: None)
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)
    (kind, _title, text), = window.dialogs_shown
    log = paths.data_dir() / "error.log"
    assert kind == "error" and str(log) in text
    assert "ZeroDivisionError: a bug in a task" in log.read_text(encoding="utf-8")
    assert window.job_label.isHidden() and window.menus.open.isEnabled()


def test_a_bug_in_a_slot_is_kept_in_the_error_log_before_the_usual_hook():
    from inspector.core import paths
    from inspector.ui.app import _log_then

    seen = []
    hook = _log_then(lambda kind, exc, tb: seen.append(exc))
    try:
        raise KeyError("a bug in a slot")
    except KeyError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert seen and "KeyError: 'a bug in a slot'" in (paths.data_dir() / "error.log").read_text(encoding="utf-8")


def test_a_bug_is_still_described_when_the_error_log_cannot_be_written(monkeypatch):
    from inspector.ui import dialogs
    from inspector.ui.language import Language

    def unwritable(exc):
        raise PermissionError("read-only data folder")

    monkeypatch.setattr(dialogs, "log_error", unwritable)
    text, details = dialogs.describe_error(ZeroDivisionError("a bug"), Language("en"))
    assert text.startswith("Something went wrong") and "ZeroDivisionError: a bug" in details
