"""A reporter's phone number written in a report's text is stored and written nowhere."""

from inspector.core.i18n import translator
from inspector.core.importers import import_file, write_notes, write_rejections

VI = translator("vi")
REPORTS = ('Thời gian gửi,Nội dung phản ánh,SĐT người phản ánh\n'
           '13/08/2021 10:00,"Quán không quét mã. Gọi tôi 0905 123 456 hoặc +84 914.222.333",0905123456\n'
           'hôm qua,"Liên hệ 0978123456",0978123456\n')


def test_phone_numbers_in_a_report_are_masked_in_the_workspace_and_the_row_files(venue_workspace, tmp_path):
    path = tmp_path / "hue-s.csv"
    path.write_text(REPORTS, encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    assert result.rows_accepted == 1
    stored = venue_workspace.query("SELECT description FROM citizen_reports").iloc[0, 0]
    assert stored == "Quán không quét mã. Gọi tôi *** hoặc ***"
    written = write_rejections(result, VI).read_text(encoding="utf-8-sig") + write_notes(result, VI).read_text(
        encoding="utf-8-sig")
    assert "Liên hệ ***" in written and "*** hoặc ***" in written
    for digits in ("0905", "914", "0978"):
        assert digits not in written


def test_a_report_stored_with_its_phone_number_is_masked_not_doubled_by_another_export(venue_workspace, tmp_path):
    path = tmp_path / "hue-s.csv"
    path.write_text(REPORTS, encoding="utf-8")
    import_file(venue_workspace, "reports", path)
    with venue_workspace.transaction() as conn:  # as an earlier version stored it: the id from the text as written
        conn.execute("UPDATE citizen_reports SET report_id = 'R-0123456789ab', description = 'Quán không quét mã. "
                     "Gọi tôi 0905 123 456 hoặc +84 914.222.333'")
    again = tmp_path / "hue-s-2.csv"
    again.write_text(REPORTS + "14/08/2021 10:00,khác,\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", again)
    assert (result.counts.added, result.counts.updated) == (1, 1)
    stored = venue_workspace.query("SELECT report_id, description FROM citizen_reports ORDER BY reported_at")
    assert stored.values.tolist()[0] == ["R-0123456789ab", "Quán không quét mã. Gọi tôi *** hoặc ***"]
    assert stored["description"].tolist()[1:] == ["khác"]
