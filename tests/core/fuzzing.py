"""What the import fuzz tests share: mutations of valid files, and the promise every import keeps.

The promise (README "Imports"): an import returns a result or raises :class:`InputError` whose message
renders in every language and names the file; a refused import leaves the workspace file as it was;
an accepted one counts every row it read once, and its rejected rows point at lines of the file.

The examples are the same on every run. To look harder (not in CI), set ``INSPECTOR_FUZZ_SCALE=20`` for
twenty times the examples and ``INSPECTOR_FUZZ_RANDOM=1`` for new ones on each run; with
``--hypothesis-show-statistics`` pytest tells how often each kind of refusal came.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from inspector.core.errors import InputError
from inspector.core.i18n import LANGUAGES, translator
from inspector.core.importers import ImportResult, import_file, summary, write_notes, write_rejections
from inspector.core.messages import MESSAGES, parameters, render
from inspector.core.workspace import Workspace
from tests.conftest import VENUES_CSV, tiny_wards

#: Deterministic and bounded for CI: the examples are the same on every run, no database, no deadline.
FUZZ = settings(derandomize=not os.environ.get("INSPECTOR_FUZZ_RANDOM"), database=None, deadline=None, print_blob=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

#: Cell values that have broken readers elsewhere: overflowing, signed and not-a-number numbers, impossible
#: and far dates, coordinates written the European way or twice, formulas, look-alike digits.
NASTY_CELLS = [
    "1e309", "-1e309", "NaN", "nan", "-0", "+0", "inf", "-inf", "1e-400", "0x1F", "1_000", "١٦.٤", "１６.４６",
    "0000-00-00", "31/02/2021", "29/02/2021", "00/00/0000", "9999-12-31 23:59:59", "2999-01-01", "1900-01-00",
    "10000-01-01", "-2021-08-02", "2021-13-45 25:61:61", "13/08/2021 10:00 XX", "1627869600", "99999999999999999999",
    "16,46", "16.46.1", "16,445,107,555", "16°27'54\"N", "107°61'99\"E", "N/A", "-", "", " ", "\t",
    "=1/0", "=HYPERLINK(\"x\")", "+84", "@SUM(A1)", '"', "'", '""', "\\", "\x00", "\ufeff", "\u200b", "\r",
    "\n", "x\ny", "Quán cà phê", "Phường Đông Ba", "V1", "V1 ", "v1", "0901234567", "84901234567",
    "0001-01-01", "1677-09-21", "2262-04-12", "2021-08-02T07:00:00+14:00", "2021-08-02 07:00:00 +9999", "-1", "0",
    "1.5", "1.234.567", "107,555", "16.4450000000000000000001", "44409", "44409.5", "2958466", "-693594",
]

#: Bytes inserted into a file's text: quotes, separators, line ends, NUL, byte order marks in the middle,
#: Vietnamese in code page 1258 among UTF-8, UTF-16 and invalid UTF-8.
NASTY_BYTES = [
    b'"', b"'", b",", b";", b"\t", b"|", b"\r", b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe",
    b"\xfe\xff", "Quán cà phê".encode("cp1258"), "Tiệm vàng".encode("utf-16"), b"\xc3", b"\xe0\x80",
    b"\xf0\x9f\x98", b"\x1a", b"\x0c", b"\x85", "\u2028".encode(), b"=cmd|'/c calc'!A1",
]

#: Header look-alikes: case, accents lost, spaces, a Cyrillic "а", other words.
LOOKALIKES: list[Callable[[str], str]] = [
    str.upper, str.lower, lambda h: h + " ", lambda h: " " + h, lambda h: h.replace("a", "а"),
    lambda h: h.replace(" ", ""), lambda h: h.replace(" ", "_"), lambda h: h + "*", lambda h: h + ".1",
    lambda h: "", lambda h: h[:-1], lambda h: h.encode("ascii", "ignore").decode(),
    lambda h: "Mã " + h, lambda h: h + " (bắt buộc)",
]



def examples(n: int) -> int:
    """How many examples a test tries: ``n``, times ``INSPECTOR_FUZZ_SCALE`` when set."""
    return n * int(os.environ.get("INSPECTOR_FUZZ_SCALE", "1"))


def table_mutations(header: list[str], rows: list[list[str]]) -> st.SearchStrategy[list[list[str]]]:
    """A table's header and rows changed a little: cells, columns and headers (as a list of rows, header first)."""
    width = len(header)
    height = len(rows) + 1

    def apply(ops: list[tuple]) -> list[list[str]]:
        table = [list(header)] + [list(r) for r in rows]
        for op, a, b, value in ops:
            i, j = a % len(table) if table else 0, b % max(1, width)
            if not table:
                break
            if op == "cell" and j < len(table[i]):
                table[i][j] = value
            elif op == "huge" and j < len(table[i]):
                table[i][j] = value * 20_000
            elif op == "drop_column":
                table = [r[:j] + r[j + 1:] for r in table]
            elif op == "dup_column":
                table = [r[:j + 1] + r[j:] for r in table]
            elif op == "rename" and j < len(table[0]):
                table[0][j] = LOOKALIKES[len(value) % len(LOOKALIKES)](table[0][j])
            elif op == "dup_row":
                table.insert(i, list(table[i]))
            elif op == "drop_row":
                del table[i]
            elif op == "short_row":
                table[i] = table[i][:j]
            elif op == "long_row":
                table[i] = table[i] + [value]
        return table

    op = st.tuples(
        st.sampled_from(["cell", "cell", "cell", "huge", "drop_column", "dup_column", "rename", "dup_row",
                         "drop_row", "short_row", "long_row"]),
        st.integers(0, height - 1), st.integers(0, width - 1),
        st.one_of(st.sampled_from(NASTY_CELLS), st.text(max_size=12)),
    )
    return st.lists(op, min_size=1, max_size=4).map(apply)


def byte_mutations(data: bytes) -> st.SearchStrategy[bytes]:
    """``data`` with a few bytes flipped, inserted or deleted, lines truncated or duplicated, or cut short."""

    def apply(ops: list[tuple]) -> bytes:
        out = data
        for op, at, size, insert in ops:
            at = at % (len(out) + 1)
            if op == "flip" and at < len(out):
                out = out[:at] + bytes([out[at] ^ (1 << size % 8)]) + out[at + 1:]
            elif op == "insert":
                out = out[:at] + insert + out[at:]
            elif op == "delete":
                out = out[:at] + out[at + size:]
            elif op == "truncate":
                out = out[:at]
            elif op in ("dup_line", "cut_line"):
                lines = out.splitlines(keepends=True)
                if lines:
                    k = at % len(lines)
                    if op == "dup_line":
                        lines.insert(k, lines[k])
                    else:
                        lines[k] = lines[k][:size % (len(lines[k]) + 1)]
                    out = b"".join(lines)
        return out

    op = st.tuples(
        st.sampled_from(["flip", "insert", "insert", "delete", "truncate", "dup_line", "cut_line"]),
        st.integers(0, max(0, len(data))), st.integers(1, 40),
        st.one_of(st.sampled_from(NASTY_BYTES), st.binary(min_size=1, max_size=6)),
    )
    return st.lists(op, min_size=1, max_size=3).map(apply)


def to_csv(table: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """Rows as CSV text: cells quoted only when they must be (as Excel writes them)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode(encoding, errors="replace")


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Template:
    """A small workspace built once per session, copied fresh for each example (copying it is cheap)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, kind: str, name: str, data: bytes | Callable[[Path], None], **options: object) -> ImportResult | None:
        """Import ``data`` (bytes, or a function writing the file) as ``name`` into a fresh copy and check the promise.

        Returns the result, or ``None`` when the file was refused (after checking how).
        """
        folder = Path(tempfile.mkdtemp(dir=self.path.parent))
        try:
            ws_path = folder / "ws.gpkg"
            shutil.copyfile(self.path, ws_path)
            path = folder / name
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                data(path)
            before = file_digest(ws_path)
            try:
                result = import_file(Workspace(ws_path), kind, path, **options)
            except InputError as exc:
                _event(f"refused: {exc.code}")
                check_refusal(exc, path)
                assert file_digest(ws_path) == before, f"{exc.code}: the refused import changed the workspace"
                return None
            _event("accepted" if result.rows_accepted else "nothing accepted")
            check_result(result, path)
            return result
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _event(what: str) -> None:
    """Count ``what`` in hypothesis's statistics (when run by hypothesis, not by a plain test)."""
    if currently_in_test_context():
        event(what)


def check_refusal(exc: InputError, path: Path) -> None:
    """A refusal's message exists, has every parameter it shows, renders in every language and names the file."""
    assert exc.code in MESSAGES, f"no message for {exc.code!r}"
    missing = parameters(exc.code) - set(exc.params)
    assert not missing, f"{exc.code} lacks {missing}"
    for lang in LANGUAGES:
        text = render(exc.code, exc.params, translator(lang))
        assert path.name in text, f"{exc.code} does not name the file in {lang}: {text!r}"


def check_result(result: ImportResult, path: Path) -> None:
    """An accepted import counts every row once and its row files point at lines (rows, features) of the file."""
    if result.already_imported_at:
        return
    assert result.rows_accepted + result.rows_rejected == result.rows_total
    assert 0 <= result.rows_accepted <= result.rows_total
    for frame in (result.rejections, result.notes):
        if frame.empty:
            continue
        lines = pd.to_numeric(frame["line"], errors="raise")
        assert (lines >= 1).all()
        if result.unit == "line":
            raw = path.read_bytes()
            assert (lines <= raw.count(b"\n") + raw.count(b"\r") + 1).all(), "a row file names a line past the end"
    for lang in LANGUAGES:
        tr = translator(lang)
        summary(result, tr, lang)
        folder = Path(tempfile.mkdtemp(dir=path.parent))
        write_rejections(result, tr, folder)
        write_notes(result, tr, folder)


#: Valid small files, one of each kind, as the fuzz tests start from them (the venues are tests.conftest.VENUES_CSV).
SCANS_CSV = """\
timestamp,venue_id,phone,role,lat,lon
2021-08-02 07:00:00,V1,0901234567,visitor,16.44501,107.55502
2021-08-02 07:05:00,V1,+84 90 123 4568,visitor,16.44499,107.55498
02/08/2021 07:06,V1,0901234567,staff,,
2021-08-02T00:30:00Z,V2,0977000001,nhân viên,16.4451,107.5751
2021-08-03 09:00:00,V3,0901234567,visitor,16.4650,107.5550
"""
REPORTS_CSV = """\
Mã phản ánh,Thời gian,Mã cơ sở,Vĩ độ,Kinh độ,Loại vi phạm,Nội dung,Cơ sở bị phản ánh,Địa chỉ,Phường/Xã,Quận/Huyện
R1,13/08/2021 10:00,V1,,,Không có mã QR,Quán không dán mã QR,,,,
R2,14/08/2021 11:00,,16.44502,107.57501,Không yêu cầu khách quét mã,Ở UBND Phường Tây Lộc không ai quét,,,,
R3,14/08/2021 12:00,,16.46501,107.55498,Sai vị trí,mã dán ở chỗ khác,,,,
R4,15/08/2021 09:00,V4,,,Khác,Không rõ địa điểm,,,,
R5,15/08/2021 10:00,,,,Khác,Không quét mã,cf Hoa Sen,"12 Lê Lợi, P. Đông Ba",Đông Ba,Thành phố Mẫu
R6,15/08/2021 11:00,,,,Khác,Không quét mã,,12 Lê Lợi,19003,901
"""

#: The valid CSV text of each kind of table
KINDS = {"venues": VENUES_CSV, "scans": SCANS_CSV, "reports": REPORTS_CSV}


def rows_of(text: str) -> tuple[list[str], list[list[str]]]:
    """A CSV text's header and rows."""
    header, *rows = csv.reader(io.StringIO(text))
    return header, rows


def template_workspace(folder: Path) -> Template:
    """A workspace with the four tiny wards and the four venues of ``tests.conftest``, built in ``folder``."""
    tiny_wards().to_file(folder / "wards.geojson", driver="GeoJSON")
    ws = Workspace.create(folder / "template.gpkg")
    import_file(ws, "boundaries", folder / "wards.geojson")
    (folder / "venues.csv").write_text(VENUES_CSV, encoding="utf-8")
    import_file(ws, "venues", folder / "venues.csv")
    return Template(ws.path)


def every_value_in(kind: str, column: int) -> list[list[str]]:
    """The valid file of ``kind`` with one row per odd cell value, each in ``column`` (ids kept apart)."""
    header, rows = rows_of(KINDS[kind])
    table = [header]
    for k, value in enumerate(v for v in NASTY_CELLS if v != "\x00"):  # a NUL refuses the whole file
        row = list(rows[k % len(rows)])
        if kind != "scans" and column != 0:  # venues and reports: one id each
            row[0] = f"{row[0]}-{k}"
        row[column] = value
        table.append(row)
    return table
