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


def test_an_unmatched_report_is_said_of_the_column_it_sought_its_venue_by(venue_workspace, tmp_path):
    path = tmp_path / "hue-s.csv"
    path.write_text("Thời gian,Mã cơ sở,Vĩ độ,Kinh độ,Cơ sở bị phản ánh,Địa chỉ,Nội dung\n"
                    "15/08/2021 10:00,X999,,,,,a\n15/08/2021 10:01,,16.0,107.0,,,b\n"
                    "15/08/2021 10:02,,,,Quán Không Tên,,c\n15/08/2021 10:03,,,,,1 Đường Không,d\n"
                    "15/08/2021 10:04,,,,,,e\n", encoding="utf-8")
    result = import_file(venue_workspace, "reports", path)
    notes = result.notes[result.notes["reason"] == "report_unmatched"]
    assert notes[["line", "field"]].values.tolist() == [[2, "Mã cơ sở"], [3, "Vĩ độ"], [4, "Cơ sở bị phản ánh"],
                                                        [5, "Địa chỉ"], [6, "Mã cơ sở"]]
    assert "5 × report not matched to a registered venue" in summary(result, translator("en"), "en")[1]
