"""Scan logs whose dates read either way (8/2/2021: the 8th of February or the 2nd of August): the
evidence of the registry, the days around and the files imported with them decides."""

import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_each, import_file
from inspector.core.messages import error_text
from tests.conftest import VENUES_CSV, refused

US, VN = "{m}/{d}/2021 {h}:15:00 AM", "{d:02d}/{m:02d}/2021 {h:02d}:15:00"


def _registry(tmp_path, registered_on):
    """The four tiny venues, each registered on ``registered_on`` (or with no date)."""
    lines = VENUES_CSV.strip().splitlines()
    path = tmp_path / "registry.csv"
    path.write_text("\n".join([lines[0] + ",Ngày đăng ký", *(f"{line},{registered_on}" for line in lines[1:])]) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def registered(workspace, tmp_path):
    """Venues registered in June 2021: a scan in February or March would come before it."""
    import_file(workspace, "venues", _registry(tmp_path, "2021-06-01"))
    return workspace


@pytest.fixture
def undated(workspace, tmp_path):
    """Venues without a registration date: the registry tells nothing."""
    import_file(workspace, "venues", _registry(tmp_path, ""))
    return workspace


def _log(tmp_path, name, days, written=US, month=8):
    """A log of ``days`` of ``month`` 2021 at every venue, its times written as ``written``."""
    path = tmp_path / name
    path.write_text("timestamp,venue_id,phone\n" + "".join(
        f"{written.format(m=month, d=day, h=hour)},V{venue},09{day:02d}{venue}{hour:05d}\n"
        for day in days for venue in (1, 2, 3, 4) for hour in (7, 8, 9)), encoding="utf-8")
    return path


def _days(workspace):
    return workspace.query("SELECT DISTINCT day FROM scan_daily ORDER BY day")["day"].tolist()


def test_one_day_written_month_first_at_venues_registered_later_is_refused_naming_both_readings(registered, tmp_path):
    error = refused(registered, "scans", _log(tmp_path, "us-day.csv", [2]))
    assert error.code == "dates_either_way"
    text = error_text(error, translator("en"))
    assert text.startswith("us-day.csv: its dates read either way. Read day first, as this import reads them, "
                           "its scans fall on 2021-02-08; read month first, on 2021-08-02.")
    assert "4 of its 4 venues would have scans from before they were registered (read month first: 0)" in text
    assert text.endswith("Export the log with dates as DD/MM/YYYY or YYYY-MM-DD and import it again.")
    vietnamese = error_text(error, translator("vi"))
    assert "2021-02-08" in vietnamese and "2021-08-02" in vietnamese and "DD/MM/YYYY" in vietnamese
    assert import_file(registered, "scans", _log(tmp_path, "vn-day.csv", [2], VN)).rows_accepted == 12
    assert _days(registered) == ["2021-08-02"]  # the same day written day first


def test_a_day_next_to_the_workspace_s_days_only_when_read_month_first_is_refused(undated, tmp_path):
    import_file(undated, "scans", _log(tmp_path, "iso.csv", [3, 4], "2021-{m:02d}-{d:02d} {h:02d}:15:00"))
    error = refused(undated, "scans", _log(tmp_path, "us-day.csv", [2]))
    assert "read month first, its days adjoin days the workspace has scans for (2021-08-03)" in str(error)
    with undated.connect() as conn:  # an import older than the record of its days: scan_daily tells them
        conn.execute("UPDATE import_log SET details = NULL WHERE kind = 'scans'")
    assert refused(undated, "scans", _log(tmp_path, "us-day.csv", [2])).code == "dates_either_way"
    assert import_file(undated, "scans", _log(tmp_path, "vn-day.csv", [2], VN)).rows_accepted == 12
    assert _days(undated) == ["2021-08-02", "2021-08-03", "2021-08-04"]


def test_with_no_evidence_a_day_is_read_day_first_as_every_date_is(undated, tmp_path):
    """8/2/2021 alone, with no registration dates and no other scans: nothing tells it from the 8th of February."""
    assert import_file(undated, "scans", _log(tmp_path, "us-day.csv", [2])).rows_accepted == 12
    assert _days(undated) == ["2021-02-08"]


def test_one_day_files_imported_together_are_refused_when_their_days_follow_one_another_read_month_first(
        undated, tmp_path):
    files = [_log(tmp_path, f"us-day-8-{day}.csv", [day]) for day in (2, 3, 4)]
    done = list(import_each(undated, "scans", files, translator("en")))
    assert [each.result for each in done] == [None, None, None]
    assert [each.error.code for each in done] == ["dates_either_way"] * 3
    assert ("read month first, its days and those of us-day-8-2.csv, us-day-8-4.csv, imported with it, follow one "
            "another (2021-08-02 to 2021-08-04), read day first they lie a month apart") in done[1].refused
    assert _days(undated) == []
    written_day_first = [_log(tmp_path, f"vn-day-{day}-8.csv", [day], VN) for day in (2, 3, 4)]
    assert all(each.result for each in import_each(undated, "scans", written_day_first, translator("en")))
    assert _days(undated) == ["2021-08-02", "2021-08-03", "2021-08-04"]


def test_two_days_in_one_file_month_first_are_refused_though_not_spread_over_months(undated, tmp_path):
    """8/2 and 8/3 read day first lie a month apart, not two: the spread alone does not tell."""
    error = refused(undated, "scans", _log(tmp_path, "us.csv", [2, 3]))
    assert "read month first, its days follow one another (2021-08-02 to 2021-08-03)" in str(error)


def test_a_date_that_reads_one_way_only_in_another_file_of_the_import_tells_how_they_are_written(undated, tmp_path):
    files = [_log(tmp_path, "us-12.csv", [12]), _log(tmp_path, "us-13.csv", [13])]
    first, second = import_each(undated, "scans", files, translator("en"))
    assert first.error.code == "dates_either_way"
    assert "its days adjoin 2021-08-13, a date that reads only one way in us-13.csv (imported with it)" in first.refused
    assert second.result.rows_accepted == 0  # 8/13/2021 is no date day first: every row rejected, as before


def test_the_date_in_the_file_s_name_is_evidence_and_contrary_evidence_keeps_day_first(undated, tmp_path):
    error = refused(undated, "scans", _log(tmp_path, "scans-2021-08-02.csv", [2]))
    assert "its name holds the date 2021-08-02" in str(error)
    import_file(undated, "scans", _log(tmp_path, "iso.csv", [1], "2021-{m:02d}-{d:02d} {h:02d}:15:00"))
    # the days around say month first (next to the 1st of August), the name says day first: read day first
    named = _log(tmp_path, "scans-20210208.csv", [2])
    assert import_file(undated, "scans", named).rows_accepted == 12
    assert _days(undated) == ["2021-02-08", "2021-08-01"]
