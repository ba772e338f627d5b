"""Venue registries as offices keep and re-save them: odd optional cells, row numbers, ids and phone numbers."""

import csv
import datetime as dt
import re

import openpyxl
import pandas as pd
import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_file, summary, write_notes

EN = translator("en")
HEADER = "Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ,Số nhân viên,Sức chứa,Ngày đăng ký"


def registry(tmp_path, *rows, name="v.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def read_rows(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_registration_date_that_is_no_real_day_is_said_so_not_asked_in_the_format_it_has(workspace, tmp_path):
    path = registry(tmp_path, "A1,Quán A,16.445,107.555,4,40,31/02/2021", "B1,Quán B,16.446,107.556,4,40,07/31/2021")
    result = import_file(workspace, "venues", path)
    assert result.warnings == {"date_impossible": 2}
    assert [n["message"] for n in read_rows(write_notes(result, EN))] == [
        f"registration date “{d}” is no real day (dates are read day first: DD/MM/YYYY): left empty"
        for d in ("31/02/2021", "07/31/2021")]
    assert summary(result, translator("vi"), "vi")[1][0].startswith(
        "Ngày đăng ký “31/02/2021” không phải ngày có thật (ngày được đọc trước tháng: NN/TT/NNNN): để trống: 2")


def test_a_count_followed_by_what_it_counts_is_read(workspace, tmp_path):
    path = registry(tmp_path, 'A1,Quán A,16.445,107.555,3 người,40 chỗ ngồi,2021-02-01',
                    'B1,Quán B,16.446,107.556,12 nhân viên,"1.200 khách",2021-02-01',
                    'C1,Quán C,16.447,107.557,khoảng 10 người,10-15 chỗ,2021-02-01')
    result = import_file(workspace, "venues", path)
    venues = workspace.read_layer("venues").set_index("venue_id")
    assert venues.loc[["A1", "B1"], ["staff", "capacity"]].values.tolist() == [[3, 40], [12, 1200]]
    assert result.warnings == {"staff_not_read": 1, "capacity_not_read": 1}  # "about 10 people" is no count


@pytest.mark.parametrize("staff,capacity,date,field,reason", [
    ("khoảng 10", "40", "2021-02-01", "staff", "staff_not_read"),
    ("12,5", "40", "2021-02-01", "staff", "staff_not_read"),
    ("-3", "40", "2021-02-01", "staff", "staff_not_read"),
    ("4", "50-60", "2021-02-01", "capacity", "capacity_not_read"),
    ("4", "40", "Tháng 7/2021", "registered_on", "date_without_day"),
    ("4", "40", "07/2021", "registered_on", "date_without_day"),
    ("4", "40", "2021", "registered_on", "date_without_day"),
    ("4", "40", "hôm qua", "registered_on", "date_not_read"),
    ("4", "40", "31/02/2021", "registered_on", "date_impossible"),
    ("4", "40", "07/31/2021", "registered_on", "date_impossible"),
])
def test_an_unreadable_optional_cell_keeps_the_venue_with_that_field_empty_and_a_warning(
        workspace, tmp_path, staff, capacity, date, field, reason):
    path = registry(tmp_path, "A1,Quán A,16.445,107.555,4,40,2021-02-01",
                    f'B1,Quán B,16.446,107.556,"{staff}","{capacity}",{date}')
    result = import_file(workspace, "venues", path)
    assert (result.rows_accepted, result.rows_rejected) == (2, 0)
    venue = workspace.read_layer("venues").set_index("venue_id").loc["B1"]
    assert pd.isna(venue[field])
    kept = {"staff": 4, "capacity": 40, "registered_on": dt.date(2021, 2, 1)}
    assert all(venue[f] == value for f, value in kept.items() if f != field)  # the other fields are read
    assert result.warnings[reason] == 1
    notes = read_rows(write_notes(result, EN))
    heading = {"staff": "Số nhân viên", "capacity": "Sức chứa", "registered_on": "Ngày đăng ký"}[field]
    assert [(n["line"], n["field"], n["reason code"]) for n in notes] == [("3", heading, reason)]
    assert notes[0]["message"].endswith(": left empty") and notes[0]["Mã cơ sở"] == "B1"
    # a message giving the cell's value says the first line it is on
    assert any(line.startswith("1 × ") and re.search(r"left empty( \(first at line 3\))?$", line)
               for line in summary(result, EN, "en")[1])


def test_required_fields_still_reject_the_row(workspace, tmp_path):
    path = registry(tmp_path, ",Quán A,16.445,107.555,khoảng 10,,", "B1,,16.445,107.555,4,,",
                    "C1,Quán C,,107.555,4,,", "D1,Quán D,16.445,107.555,4,,")
    result = import_file(workspace, "venues", path)
    assert result.rows_accepted == 1
    assert result.rejections[["line", "reason"]].values.tolist() == [
        [2, "missing_value"], [3, "missing_value"], [4, "missing_value"]]
    assert result.notes.empty  # a rejected row's optional cells say nothing more


@pytest.mark.parametrize("text,day", [
    ("15/06/21", "2021-06-15"), ("31/07/21", "2021-07-31"), ("1/2/21", "2021-02-01"),
    ("28.01.2021", "2021-01-28"), ("28.01.21", "2021-01-28"), ("31-07-21", "2021-07-31"),
    ("44224", "2021-01-28"),  # an Excel date cell that a CSV holds as its serial number
    ("31/07/2021", "2021-07-31"), ("2021-07-31", "2021-07-31"),
])
def test_registration_dates_written_as_registries_write_them_are_read(workspace, tmp_path, text, day):
    result = import_file(workspace, "venues", registry(tmp_path, f"A1,Quán A,16.445,107.555,4,40,{text}"))
    assert result.rows_accepted == 1 and "date_not_read" not in result.warnings
    assert workspace.read_layer("venues").iloc[0]["registered_on"] == dt.date.fromisoformat(day)


def test_a_row_number_column_named_id_does_not_hide_the_venue_ids(workspace, tmp_path):
    """z.insert(0, "ID", range(1, len(z) + 1)) on a registry whose id column is headed "Mã"."""
    path = registry(tmp_path, "1,V901,Quán A,16.445,107.555", "2,V902,Quán B,16.446,107.556",
                    "3,V903,Quán C,16.447,107.557", header="ID,Mã,Tên cơ sở,Vĩ độ,Kinh độ")
    result = import_file(workspace, "venues", path)
    assert set(workspace.read_layer("venues")["venue_id"]) == {"V901", "V902", "V903"}
    assert result.unused_columns == ["ID"]


@pytest.mark.parametrize("header,numbers", [
    ("ID,Mã cơ sở (bắt buộc),Tên cơ sở,Vĩ độ,Kinh độ", ["1", "2", "3"]),  # the id column matched only loosely
    ("Mã số,ID,Tên cơ sở,Vĩ độ,Kinh độ", ["3", "1", "2"]),  # "Mã số" numbering rows, sorted since
])
def test_a_column_of_row_numbers_beside_another_id_column_is_not_read_as_ids(workspace, tmp_path, header, numbers):
    path = registry(tmp_path, *(f"{n},V90{i},Quán {i},16.44{i},107.555" for i, n in enumerate(numbers, 1)),
                    header=header)
    result = import_file(workspace, "venues", path)
    assert set(workspace.read_layer("venues")["venue_id"]) == {"V901", "V902", "V903"}
    assert result.unused_columns == [header.split(",")[0]]


@pytest.mark.parametrize("second", ["", "Mã"])
def test_ids_that_are_one_to_n_are_ids_when_no_other_column_holds_ids(workspace, tmp_path, second):
    """A registry numbered 1..n is read so, also beside an empty "Mã" column (a template's, named before "ID")."""
    header = "ID,Tên cơ sở,Vĩ độ,Kinh độ" + (f",{second}" if second else "")
    path = registry(tmp_path, *(f"{i},Quán {i},16.44{i},107.555" + ("," if second else "") for i in (1, 2, 3)),
                    header=header)
    import_file(workspace, "venues", path)
    assert set(workspace.read_layer("venues")["venue_id"]) == {"1", "2", "3"}


def test_a_registry_resaved_with_contacts_as_numbers_changes_no_venue(workspace, tmp_path):
    rows = [["V1", "Quán A", 16.445, 107.555, "0358085138"], ["V2", "Quán B", 16.446, 107.556, "0234 3951 103"],
            ["V3", "Quán C", 16.447, 107.557, "02343951103"], ["V4", "Quán D", 16.448, 107.558, "0912883577"],
            ["V5", "Quán E", 16.449, 107.559, "1900 1234"]]
    path = registry(tmp_path, *(",".join(map(str, r)) for r in rows), header="Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ,Liên hệ")
    import_file(workspace, "venues", path)
    book = openpyxl.Workbook()
    book.active.append(["Mã cơ sở", "Tên cơ sở", "Vĩ độ", "Kinh độ", "Liên hệ"])
    for row in rows:  # what Excel keeps of a column of contacts turned into numbers
        contact = row[4]
        book.active.append([*row[:4], int(contact) if contact.isdigit() else contact])
    book.save(tmp_path / "v.xlsx")
    result = import_file(workspace, "venues", tmp_path / "v.xlsx")
    assert (result.counts.added, result.counts.updated, result.counts.unchanged) == (0, 0, 5)
    contacts = workspace.read_layer("venues").set_index("venue_id")["owner_contact"]
    assert contacts.to_dict() == {r[0]: r[4] for r in rows}


def test_a_registry_resaved_as_csv_gets_its_phone_numbers_zeros_back(workspace, tmp_path):
    path = registry(tmp_path, "V1,Quán A,16.445,107.555,358085138", "V2,Quán B,16.446,107.556,2343951103",
                    "V3,Quán C,16.447,107.557,123456789", "V4,Quán D,16.448,107.558,84912345678",
                    header="Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ,Liên hệ")
    import_file(workspace, "venues", path)
    contacts = workspace.read_layer("venues").set_index("venue_id")["owner_contact"]
    assert contacts.to_dict() == {"V1": "0358085138", "V2": "02343951103", "V3": "123456789", "V4": "84912345678"}


def test_ids_in_another_case_update_the_registered_venues_with_a_warning(venue_workspace, tmp_path):
    path = registry(tmp_path, "v1,Quán cà phê Hoa Sen,16.4450,107.5550", "V2,UBND Phường Tây Lộc,16.4450,107.5750",
                    "v3,Chợ Hương An mới,16.4650,107.5550", "v5,Quán mới,16.4650,107.5750",
                    header="Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ")
    result = import_file(venue_workspace, "venues", path)
    # V1 and V2 as registered (the categories, staff... the file has no column for are kept), V3 renamed
    assert (result.counts.added, result.counts.updated, result.counts.unchanged) == (1, 1, 2)
    venues = venue_workspace.read_layer("venues").set_index("venue_id")
    assert sorted(venues.index) == ["V1", "V2", "V3", "V4", "v5"]  # the ids as registered
    assert venues.loc["V3", "name"] == "Chợ Hương An mới"
    assert result.warnings["id_as_registered"] == 2
    notes = read_rows(write_notes(result, EN))
    assert [(n["line"], n["reason code"], n["Mã cơ sở"]) for n in notes] == [
        ("2", "id_as_registered", "v1"), ("4", "id_as_registered", "v3")]
    assert any(line.startswith("2 × venue id written as a registered venue's but for upper and lower case")
               and line.endswith("(for example v1 → V1, v3 → V3)") for line in summary(result, EN, "en")[1])


def test_numeric_ids_with_or_without_leading_zeros_update_the_registered_venue(workspace, tmp_path):
    header = "Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ"
    import_file(workspace, "venues", registry(tmp_path, "90600060,Quán A,16.445,107.555", header=header))
    result = import_file(workspace, "venues", registry(tmp_path, "0090600060,Quán A2,16.445,107.555",
                                                      name="v2.csv", header=header))
    assert (result.counts.added, result.counts.updated) == (0, 1)
    assert workspace.read_layer("venues")[["venue_id", "name"]].values.tolist() == [["90600060", "Quán A2"]]


def test_ids_alike_but_both_written_stay_apart_with_a_warning(venue_workspace, tmp_path):
    """Two spellings in one file are two venues (as 0789 and 789 are): neither is guessed to be V1."""
    path = registry(tmp_path, "v1,Một,16.4450,107.5550", "V1,Hai,16.4450,107.5550", "0789,Ba,16.4450,107.5550",
                    "789,Bốn,16.4450,107.5550", header="Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ")
    result = import_file(venue_workspace, "venues", path)
    assert (result.counts.added, result.counts.updated) == (3, 1)
    assert set(venue_workspace.read_layer("venues")["venue_id"]) == {"V1", "v1", "V2", "V3", "V4", "0789", "789"}
    assert result.notes.groupby("reason")["line"].apply(list).to_dict() == {"id_like_another": [2, 3, 4, 5]}


@pytest.fixture
def cased(venue_workspace, tmp_path):
    """V1-V4, and ids in lower and mixed case, two of which differ only by case."""
    path = registry(tmp_path, "ab7,Quán thường,16.4451,107.5551", "Ab8,Quán hoa,16.4452,107.5552",
                    "ab9,Một,16.4453,107.5553", "AB9,Hai,16.4454,107.5554", name="cased.csv",
                    header="Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ")
    import_file(venue_workspace, "venues", path)
    return venue_workspace


def test_scans_find_a_venue_by_its_id_in_another_case(cased, tmp_path):
    venue_workspace = cased
    scans = tmp_path / "s.csv"
    ids = ["v1", "V1", "AB7", "ab8", "AB8", "ab9", "Ab9", "v404"]
    scans.write_text("timestamp,venue_id,phone\n" + "".join(
        f"2021-08-02 07:0{i}:00,{venue},09012345{i:02d}\n" for i, venue in enumerate(ids)), encoding="utf-8")
    result = import_file(venue_workspace, "scans", scans)
    assert result.rejections["detail"].tolist() == ["Ab9", "v404"]  # ab9 or AB9? neither
    daily = venue_workspace.query("SELECT venue_id, scans FROM scan_daily ORDER BY venue_id")
    assert dict(daily.values.tolist()) == {"V1": 2, "ab7": 1, "Ab8": 2, "ab9": 1}


def test_reports_find_a_venue_by_its_id_in_another_case(cased, tmp_path):
    reports = tmp_path / "r.csv"
    reports.write_text("Mã phản ánh,Thời gian,Mã cơ sở\nR1,13/08/2021 10:00,v2\nR2,13/08/2021 11:00,AB8\n"
                       "R3,13/08/2021 12:00,Ab9\nR4,13/08/2021 12:00,00V3\n", encoding="utf-8")
    import_file(cased, "reports", reports)
    matched = cased.query("SELECT report_id, venue_id, matched_by FROM citizen_reports ORDER BY report_id")
    assert matched.fillna("").values.tolist() == [["R1", "V2", "id"], ["R2", "Ab8", "id"], ["R3", "", "unknown_id"],
                                                  ["R4", "", "unknown_id"]]  # ab9 or AB9? neither; 00V3: no number


@pytest.mark.parametrize("upper_every", [1, 150])
def test_a_log_writing_the_registry_s_ids_in_upper_case_is_read_whole(workspace, tmp_path, upper_every):
    """Most rows (looked up in the main pass) or a few (read again): the same figures."""
    path = registry(tmp_path, "v1,Quán A,16.445,107.555", "v2,Quán B,16.445,107.575",
                    header="Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ")
    import_file(workspace, "venues", path)
    scans = tmp_path / "s.csv"
    scans.write_text("timestamp,venue_id,phone\n" + "".join(
        f"2021-08-02 07:{i % 60:02d}:00,{'V' if i % upper_every == 0 else 'v'}{1 + i % 2},09012{i:05d}\n"
        for i in range(200)), encoding="utf-8")
    result = import_file(workspace, "scans", scans)
    assert (result.rows_accepted, result.rows_rejected) == (200, 0)
    assert dict(workspace.query("SELECT venue_id, scans FROM scan_daily").values.tolist()) == {"v1": 100, "v2": 100}


def test_a_narrow_table_of_text_rows_keeps_its_rows(workspace, tmp_path):
    """A name beside a map link is words only, but a data row: only rows filling few cells can be signatures."""
    path = tmp_path / "v.csv"
    path.write_text("Mã cơ sở,Tên cơ sở,Tọa độ\n" + "".join(
        f'HUE-{i},Quán số {i},"https://www.google.com/maps?q=16.44{i},107.55{i}"\n' for i in range(5)),
        encoding="utf-8")
    assert import_file(workspace, "venues", path).rows_accepted == 5


def test_a_registration_date_later_than_today_is_kept_with_a_warning(workspace, tmp_path):
    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()  # 2031 typed for 2021
    result = import_file(workspace, "venues", registry(tmp_path, f"A1,Quán A,16.445,107.555,4,40,{later}",
                                                      "B1,Quán B,16.446,107.556,4,40,2021-02-01"))
    assert result.rows_accepted == 2 and result.warnings == {"date_in_future": 1}
    assert read_rows(write_notes(result, EN))[0]["message"] == (
        f"registration date “{later}” is later than today: kept, check it")
    assert summary(result, EN, "en")[1] == [  # the date, not a placeholder
        f"1 × registration date “{later}” is later than today: kept, check it (first at line 2)"]
