"""Citizen reports imported before their venue is registered are linked to it by the venue import."""

import json

import pytest

from inspector.core import undo
from inspector.core.i18n import translator
from inspector.core.importers import import_file, report_venues, summary
from inspector.core.signals import assess
from inspector.core.workspace import Workspace
from tests.conftest import VENUES_CSV, snapshot

REPORTS = """\
Mã phản ánh,Thời gian,Mã cơ sở,Vĩ độ,Kinh độ,Nội dung
R1,13/08/2021 10:00,V1,,,Quán không dán mã QR
R2,14/08/2021 11:00,,16.44502,107.57501,Ở UBND Phường Tây Lộc không ai quét
R3,14/08/2021 12:00,,16.46501,107.55498,mã dán ở chỗ khác
R4,15/08/2021 09:00,,,,Không rõ địa điểm
R5,15/08/2021 10:00,V9,,,cơ sở chưa có trong danh sách
"""
#: where each report of REPORTS belongs once V1 to V4 are registered, and how it is found
LINKED = {"R1": ("V1", "id"), "R2": ("V2", "name_nearby"), "R3": ("V3", "location"), "R4": (None, "none"),
          "R5": (None, "unknown_id")}


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _links(ws):
    with ws.connect() as conn:
        rows = conn.execute("SELECT report_id, venue_id, matched_by FROM citizen_reports").fetchall()
    return {report: (venue, how) for report, venue, how in rows}


@pytest.fixture
def reported(workspace, tmp_path):
    """A workspace with boundaries and REPORTS, but no venue yet."""
    result = import_file(workspace, "reports", _write(tmp_path, "reports.csv", REPORTS))
    assert result.rows_accepted == 5
    assert {m for _, m in _links(workspace).values()} == {"none", "unknown_id"}
    return workspace


def test_reports_imported_before_their_venues_are_linked_by_the_venue_import(reported, venues_file):
    result = import_file(reported, "venues", venues_file)
    assert _links(reported) == LINKED  # as if the reports had come after the venues
    assert result.warnings["reports_linked"] == 3
    line = next(line for line in summary(result, translator("en"), "en")[1] if "linked" in line)
    assert line.startswith("3 × citizen reports stored without a venue now linked to a registered venue")
    assert any(line.startswith("Phản ánh của người dân") and line.endswith(": 3 trường hợp")
               for line in summary(result, translator("vi"), "vi")[1])
    (details,) = reported.query("SELECT details FROM audit_log WHERE action = 'import_venues'")["details"]
    assert json.loads(details)["reports_linked"] == {"id": 1, "location": 1, "name_nearby": 1}
    (logged,) = reported.query("SELECT details FROM import_log WHERE kind = 'venues'")["details"]
    assert json.loads(logged)["warnings"]["reports_linked"] == 3
    # the signals count them against their venues
    flagged = assess(reported).signals.query("signal == 'citizen_reports'")
    assert set(flagged["venue_id"]) == {"V1", "V2", "V3"}


def test_reports_then_venues_come_to_what_venues_then_reports_come_to(reported, venues_file, wards_file, tmp_path):
    import_file(reported, "venues", venues_file)
    other = Workspace.create(tmp_path / "other.gpkg")
    import_file(other, "boundaries", wards_file)
    import_file(other, "venues", venues_file)
    import_file(other, "reports", _write(tmp_path, "again.csv", REPORTS))
    assert _links(other) == _links(reported)


def test_a_venue_id_a_later_registry_adds_links_its_reports_and_nothing_else_moves(reported, venues_file, tmp_path):
    import_file(reported, "venues", venues_file)
    linked_before = _links(reported)
    later = _write(tmp_path, "later.csv", "Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ\n"
                   "V9,Tiệm tạp hóa Mới,16.4550,107.5650\n"
                   "V5,Quán ăn Chợ Mới,16.46501,107.55498\n")  # where R3 was made: nearer than V3
    result = import_file(reported, "venues", later)
    assert result.warnings["reports_linked"] == 1
    assert _links(reported) == {**linked_before, "R5": ("V9", "id")}  # R3 stays with V3, R4 has nothing to go by


def test_reports_are_linked_by_the_qr_payload_they_gave(workspace, tmp_path):
    import_file(workspace, "reports", _write(tmp_path, "qr.csv", "Thời gian,Mã cơ sở,Nội dung\n"
                                             "13/08/2021 10:00,HUE-QR-0001,mã của quán\n"
                                             "13/08/2021 11:00,42,mã số mất số 0 đầu\n"))
    venues = _write(tmp_path, "venues.csv", "Mã cơ sở,Mã QR,Tên cơ sở,Vĩ độ,Kinh độ\n"
                    "V1,HUE-QR-0001,Quán cà phê Hoa Sen,16.4450,107.5550\n"
                    "V2,00042,UBND Phường Tây Lộc,16.4450,107.5750\n")
    assert import_file(workspace, "venues", venues).warnings["reports_linked"] == 2
    rows = workspace.query("SELECT given_venue_id, venue_id, matched_by FROM citizen_reports ORDER BY 1")
    assert rows.values.tolist() == [["42", "V2", "id"], ["HUE-QR-0001", "V1", "id"]]


def test_reports_already_linked_are_left_alone(venue_workspace, tmp_path):
    import_file(venue_workspace, "reports", _write(tmp_path, "reports.csv", REPORTS))
    assert _links(venue_workspace) == LINKED
    # matched again, R3 would go to V1, now where R3 was made, and R2 to V4, now named in R2 and where it was made
    moved = _write(tmp_path, "moved.csv", VENUES_CSV.replace(
        "Phường Đông Ba,16.4450,107.5550", "Phường Đông Ba,16.46501,107.55498").replace(
        "V4,Nhà hàng Phú Hòa,Nhà hàng,Xã Phú Hòa,16.4650,107.5750",
        "V4,UBND Phường Tây Lộc,Cơ quan,,16.44502,107.57501"))
    result = import_file(venue_workspace, "venues", moved)
    assert result.counts.updated == 2 and "reports_linked" not in result.warnings
    assert _links(venue_workspace) == LINKED


def test_a_venue_import_that_changes_no_venue_links_nothing_and_does_not_look(reported, venues_file, tmp_path,
                                                                             monkeypatch):
    import_file(reported, "venues", venues_file)
    before = snapshot(reported)
    calls = []
    monkeypatch.setattr(report_venues, "link_stored", lambda conn: calls.append(conn) or {})
    assert import_file(reported, "venues", venues_file).already_imported_at  # the same file
    copy = _write(tmp_path, "copy.csv", VENUES_CSV + "\n")  # another file, the same venues
    result = import_file(reported, "venues", copy)
    assert result.counts.unchanged == 4 and "reports_linked" not in result.warnings
    assert calls == []
    after = snapshot(reported)
    assert after["citizen_reports"] == before["citizen_reports"]
    (details,) = reported.query("SELECT details FROM audit_log WHERE action = 'import_venues' ORDER BY fid DESC "
                                "LIMIT 1")["details"]
    assert "reports_linked" not in json.loads(details)


def test_linking_is_part_of_the_venue_import_transaction(reported, venues_file, monkeypatch):
    before = snapshot(reported)
    linked = report_venues.link_stored

    def link_then_fail(conn):
        assert linked(conn)  # the reports are linked, then the import fails before it is stored
        raise RuntimeError("the disk failed")

    monkeypatch.setattr(report_venues, "link_stored", link_then_fail)
    with pytest.raises(RuntimeError, match="disk"):
        import_file(reported, "venues", venues_file)
    assert snapshot(reported) == before
    monkeypatch.undo()
    assert import_file(reported, "venues", venues_file).warnings["reports_linked"] == 3  # tried again: all of it


def test_undoing_the_venue_import_unlinks_the_reports_again(reported, venues_file):
    before = snapshot(reported)
    pending = undo.keep(reported)
    result = import_file(reported, "venues", venues_file)
    kept = undo.settle(pending, "venues", [venues_file.name], {result.import_id})
    assert kept is not None and undo.check(reported.path) == kept  # the linking is the import's own doing
    undo.restore(reported.path)
    after = snapshot(reported)
    assert after["citizen_reports"] == before["citizen_reports"] and after["venues"] == before["venues"]


def test_a_report_naming_a_venue_registered_later_goes_to_it_from_the_venue_its_place_gave(reported, venues_file,
                                                                                           tmp_path):
    """Made beside V3 but about V9: linked to V3 by its place while V9 is unknown, then to V9, as venues first would."""
    import_file(reported, "reports", _write(tmp_path, "r6.csv", "Mã phản ánh,Thời gian,Mã cơ sở,Vĩ độ,Kinh độ,"
                                            "Nội dung\nR6,16/08/2021 09:00,V9,16.46501,107.55498,quét mã hộ\n"))
    import_file(reported, "venues", venues_file)
    assert _links(reported)["R6"] == ("V3", "location")
    later = _write(tmp_path, "later.csv", "Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ\nV9,Tiệm tạp hóa Mới,16.4550,107.5650\n")
    import_file(reported, "venues", later)
    assert _links(reported)["R6"] == ("V9", "id") and _links(reported)["R3"] == ("V3", "location")
