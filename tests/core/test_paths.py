"""The per-user folders and the error log."""

from __future__ import annotations

from inspector.core import paths


def _bug(n: int) -> Exception:
    try:
        raise RuntimeError(f"bug number {n}")
    except RuntimeError as exc:
        return exc


def test_the_error_log_keeps_each_bug_with_its_time_and_traceback():
    log = paths.log_error(_bug(1))
    paths.log_error(_bug(2))
    text = log.read_text(encoding="utf-8")
    assert log.parent == paths.data_dir()
    assert text.count("--- ") == 2 and text.count("Traceback") == 2
    assert "RuntimeError: bug number 1" in text and "RuntimeError: bug number 2" in text


def test_a_repeating_bug_cannot_grow_the_error_log_without_bound(monkeypatch):
    monkeypatch.setattr(paths, "ERROR_LOG_LIMIT", 2_000)
    for n in range(200):
        log = paths.log_error(_bug(n))
    older = log.with_name("error.log.1")
    assert log.stat().st_size < 2_000 + 1_000 and older.stat().st_size < 2_000 + 1_000
    assert "bug number 199" in log.read_text(encoding="utf-8")
    assert sorted(p.name for p in log.parent.glob("error.log*")) == ["error.log", "error.log.1"]
