"""The field of a rejected or noted row is said in the user's language when the file has no column for it."""

import csv

from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary, write_notes

VI = translator("vi")


def test_a_report_without_a_venue_column_names_the_venue_field_in_vietnamese(venue_workspace, tmp_path):
    path = tmp_path / "hue-s.csv"
    path.write_text("Thời gian,Nội dung\n13/08/2021 10:00,Không rõ địa điểm\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    with write_notes(result, VI).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["trường"], r["mã lý do"]) for r in rows] == [("Mã cơ sở", "report_unmatched")]
    assert not any("venue_id" in line for line in summary(result, VI, "vi")[1])


def test_a_column_named_as_our_field_keeps_its_name(venue_workspace, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text("reported_at,venue_id\n13/08/2021 10:00,V999\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    with write_notes(result, VI).open(encoding="utf-8-sig", newline="") as fh:
        assert {r["trường"] for r in csv.DictReader(fh)} == {"venue_id"}
