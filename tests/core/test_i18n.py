import string
from functools import partial
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from inspector.core import resources
from inspector.core.i18n import number, translator
from inspector.core.messages import MESSAGES, render
from inspector.core.names import FIELD_NAMES, label

ROOT = Path(__file__).resolve().parents[2]


def _marked_messages():
    found = set()
    for folder in ("inspector", "maps", "reports"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, keywords={"N_": None, "tr": None}):
            if isinstance(message, str):
                found.add(message)
    return found


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_marked_message_has_a_vietnamese_translation_with_the_same_placeholders():
    with resources.path("locale/vi/LC_MESSAGES/inspector.po").open("rb") as fh:
        catalog = {m.id: m.string for m in read_po(fh) if m.id}
    marked = _marked_messages()
    assert len(marked) > 150
    missing = sorted(m for m in marked if not catalog.get(m))
    assert missing == []
    for message in marked:
        assert _fields(message) == _fields(catalog[message]), message


def test_messages_render_in_both_languages():
    heading = partial(label, FIELD_NAMES["venues"], "lat")
    params = {"file": "a.csv", "field": "lat", "heading": heading, "aliases": "lat", "columns": "x, y"}
    english = render("missing_column", params, translator("en"))
    vietnamese = render("missing_column", params, translator("vi"))  # needs the new msgids in inspector.po
    assert english.startswith("a.csv: required column “Latitude” (lat) not found")
    assert vietnamese.startswith("a.csv: thiếu cột bắt buộc “Vĩ độ” (lat)")
    assert set(MESSAGES) >= {"missing_column", "unknown_encoding", "workspace_newer"}
    assert render("no_such_code", {}, translator("vi")) == "no_such_code"


def test_numbers_follow_the_language():
    assert number(1234567.891, 1, "vi") == "1.234.567,9"
    assert number(1234567.891, 1, "en") == "1,234,567.9"
    assert number(float("nan"), 0, "vi") == "–"


def test_no_gettext_in_builtins():
    import builtins

    import inspector.core.i18n  # noqa: F401

    assert not hasattr(builtins, "_")


def test_import_summary_writes_numbers_the_way_each_language_does(tmp_path):
    from inspector.core.importers import summary
    from inspector.core.importers.common import ImportResult
    from inspector.core.workspace import UpsertCounts

    result = ImportResult("scans", tmp_path / "scans.csv", rows_total=1_234_567, rows_accepted=1_234_567,
                          counts=UpsertCounts(added=98_765), warnings={"gps_dropped": 4_321})
    vi, vi_lines = summary(result, translator("vi"), "vi")
    en, en_lines = summary(result, translator("en"), "en")
    # Vietnamese reads "4.321 ×" as a product: the count follows the message, as cases
    assert "1.234.567" in vi and "98.765" in vi and vi_lines[0] == (
        "Tọa độ điện thoại nằm ngoài khoảng hợp lệ; vẫn giữ lượt quét nhưng bỏ tọa độ: 4.321 trường hợp")
    assert "1,234,567" in en and "98,765" in en and en_lines[0].startswith("4,321 ×")


def test_counts_inside_messages_are_written_the_way_the_language_writes_numbers():
    from inspector.core.messages import Count

    assert Count(447_141)(translator("vi")) == "447.141"
    assert Count(447_141)(translator("en")) == "447,141"
    assert number(1_234_567.891, 2, "vi") == "1.234.567,89"
    assert number(1_234_567.891, 2, "en") == "1,234,567.89"
