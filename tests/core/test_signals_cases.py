"""Signals on small hand-made workspaces: realistic noise that must not flag a clean venue."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from inspector.core.importers import import_file
from inspector.core.signals import assess
from inspector.core.venue_metrics import days_off
from inspector.core.workspace import Workspace

START = dt.date(2021, 8, 2)  # a Monday
PERIOD = (START, START + dt.timedelta(days=27))
WARDS = {"Phường Đông Ba": (16.445, 107.555), "Phường Tây Lộc": (16.445, 107.575),
         "Xã Hương An": (16.465, 107.555), "Xã Phú Hòa": (16.465, 107.575)}


def make(tmp_path, wards_file, venues: list[dict], days: pd.DataFrame) -> Workspace:
    """A workspace of ``venues`` (id, category, ward; optional staff, capacity, registered, status)
    whose per-day scan figures are ``days`` (venue_id, day and any scan_daily counts)."""
    ws = Workspace.create(tmp_path / "ws.gpkg")
    import_file(ws, "boundaries", wards_file)
    rows = ["Mã cơ sở,Tên cơ sở,Loại hình,Phường/Xã,Vĩ độ,Kinh độ,Số nhân viên,Sức chứa,Ngày đăng ký,Trạng thái"]
    for i, v in enumerate(venues):
        lat, lon = WARDS[v.get("ward", "Phường Đông Ba")]
        rows.append(f"{v['id']},Cơ sở {i},{v['category']},{v.get('ward', 'Phường Đông Ba')},{lat + i * 1e-5:.5f},"
                    f"{lon:.5f},{v.get('staff', 4)},{v.get('capacity', 50)},{v.get('registered', '2021-01-04')},"
                    f"{v.get('status', 'Hoạt động')}")
    path = tmp_path / "venues.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(ws, "venues", path)
    coords = ws.query("SELECT venue_id, lat, lon FROM venues").set_index("venue_id")
    frame = days.copy()
    for column in ("staff_scans", "staff_persons", "far_scans", "jump_scans"):
        frame[column] = frame[column].fillna(0).astype(int) if column in frame else 0
    frame["persons"] = frame["scans"]
    frame["gps_scans"] = frame["gps_scans"] if "gps_scans" in frame else frame["scans"]
    frame["near_scans"] = frame["gps_scans"] - frame["far_scans"]
    for column in ("far_km", "far_dist_m"):
        frame[column] = frame.get(column, np.nan)
    # the far centre lies far_km north of the venue
    frame["far_lat"] = coords.loc[frame["venue_id"], "lat"].to_numpy() + frame["far_km"] / 111.32
    frame["far_lon"] = coords.loc[frame["venue_id"], "lon"].to_numpy()
    frame.loc[frame["far_scans"] == 0, ["far_lat", "far_lon"]] = np.nan
    columns = ["venue_id", "day", "scans", "staff_scans", "persons", "staff_persons", "gps_scans", "near_scans",
               "far_scans", "far_dist_m", "far_lat", "far_lon", "jump_scans"]
    with ws.transaction() as conn:
        conn.executemany(f"INSERT INTO scan_daily ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                         [tuple(None if pd.isna(x) else (x.item() if hasattr(x, "item") else x) for x in row)
                          for row in frame[columns].itertuples(index=False)])
    return ws


def every_day(venue_id: str, first: dt.date = START, last: dt.date = PERIOD[1], **counts) -> pd.DataFrame:
    days = pd.date_range(first, last, freq="D")
    return pd.DataFrame({"venue_id": venue_id, "day": days.strftime("%Y-%m-%d"), **counts})


def signals_of(assessment, venue_id: str) -> set[str]:
    return set(assessment.signals.loc[assessment.signals["venue_id"] == venue_id, "signal"])


def test_stray_positions_far_away_are_no_cloned_board(tmp_path, wards_file):
    venues = [{"id": f"C{i:02d}", "category": "Quán cà phê"} for i in range(12)]
    days = [every_day(v["id"], scans=60, far_scans=2, far_km=0.4) for v in venues]
    # a busy café: a stray fix kilometres off now and then, next to someone at the café
    days[0]["jump_scans"] = np.resize([1, 0, 0, 0, 0, 0, 0], 28)
    days[0]["scans"] = 300
    # a small café whose few far fixes happen to centre 3.5 km away
    days[1]["far_scans"] = np.resize([1, 0, 0, 0], 28)
    days[1]["far_km"] = 3.5
    # a cloned board: scans at a second place 20 km away, at the same time as scans at the café
    days[2]["jump_scans"] = 6
    days[2]["far_scans"] = 8
    days[2]["far_km"] = 15.0
    # a cloned board used when nobody scans at the café
    days[3]["far_scans"] = 15
    days[3]["far_km"] = 12.0
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat(days)), PERIOD)
    assert "cloned_board" not in signals_of(assessment, "C00")
    assert "cloned_board" not in signals_of(assessment, "C01")
    assert "cloned_board" in signals_of(assessment, "C02")
    assert "cloned_board" in signals_of(assessment, "C03")
    evidence = assessment.signals.set_index(["venue_id", "signal"]).loc[("C02", "cloned_board"), "evidence"]
    assert evidence["jump_scans"] == 6 * 28 and evidence["jump_share"] == pytest.approx(0.1)


def test_a_venue_registered_late_is_judged_from_its_registration(tmp_path, wards_file):
    first_late = START + dt.timedelta(days=21)
    venues = [{"id": f"C{i:02d}", "category": "Quán cà phê"} for i in range(12)]
    venues += [{"id": "LATE1", "category": "Quán cà phê", "registered": first_late.isoformat()},
               {"id": "LATE2", "category": "Cơ quan", "staff": 30, "registered": first_late.isoformat()},
               {"id": "NEXT", "category": "Quán cà phê", "registered": "2021-09-15"}]
    days = [every_day(v["id"], scans=60) for v in venues[:12]]
    days.append(every_day("LATE1", first=first_late, scans=60))
    late = every_day("LATE2", first=first_late, scans=90, staff_scans=30)
    late["staff_persons"] = np.where(pd.to_datetime(late["day"]).dt.day_of_week < 5, 30, 0)
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat([*days, late])), PERIOD)
    assert not signals_of(assessment, "LATE1") and not signals_of(assessment, "LATE2")
    assert not signals_of(assessment, "NEXT")  # not open yet: not silent
    metrics = assessment.metrics.set_index("venue_id")
    assert metrics.loc["LATE1", "days"] == 7 and metrics.loc["LATE1", "scans_per_day"] == 60
    assert metrics.loc["LATE2", "staff_per_workday"] == 30
    assert metrics.loc["C00", "days"] == 28


def test_a_venue_whose_registration_date_or_staff_could_not_be_read_is_judged_as_one_without_them(
        tmp_path, wards_file):
    """Kept with those fields empty (no longer rejected): judged from the period's start, no staff sign."""
    venues = [{"id": f"C{i:02d}", "category": "Quán cà phê"} for i in range(12)]
    venues += [{"id": "MONTH", "category": "Quán cà phê", "registered": "Tháng 7/2021"},
               {"id": "YEAR", "category": "Quán cà phê", "registered": "2021"},
               {"id": "NODATE", "category": "Quán cà phê", "registered": ""},
               {"id": "ABOUT", "category": "Cơ quan", "staff": "khoảng 10"}]
    days = [every_day(v["id"], scans=60) for v in venues]
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat(days)), PERIOD)
    metrics = assessment.metrics.set_index("venue_id")
    for venue in ("MONTH", "YEAR", "NODATE", "ABOUT"):
        assert metrics.loc[venue, "days"] == 28 and metrics.loc[venue, "scans_per_day"] == 60
        assert not signals_of(assessment, venue)
    assert pd.isna(metrics.loc["MONTH", "registered_on"]) and pd.isna(metrics.loc["ABOUT", "staff"])


def test_low_participation_peers_are_the_other_active_venues_with_scans(tmp_path, wards_file):
    venues = [{"id": f"C{i:02d}", "category": "Quán cà phê"} for i in range(11)]
    venues += [{"id": "LOW", "category": "Quán cà phê"}]
    venues += [{"id": f"S{i:02d}", "category": "Quán cà phê", "status": "Tạm ngừng hoạt động"} for i in range(8)]
    venues += [{"id": f"N{i:02d}", "category": "Quán cà phê"} for i in range(5)]  # never scanned
    days = [every_day(f"C{i:02d}", scans=40) for i in range(11)] + [every_day("LOW", scans=4)]
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat(days)), PERIOD)
    assert "low_participation" in signals_of(assessment, "LOW")
    metrics = assessment.metrics.set_index("venue_id")
    assert metrics.loc["LOW", "peers"] == 11 and metrics.loc["LOW", "peer_rate"] == pytest.approx(40 / 50)
    assert metrics.loc["C00", "peers"] == 11  # ten other cafés and LOW
    flagged = assessment.signals[assessment.signals["signal"] == "low_participation"]
    assert set(flagged["venue_id"]) == {"LOW"}


def test_offices_closed_for_a_public_holiday_are_not_staff_not_scanning(tmp_path, wards_file):
    start = dt.date(2021, 1, 18)  # four weeks whose last holds Tết (10-16 February 2021)
    period = (start, start + dt.timedelta(days=27))
    venues = [{"id": f"A{i:02d}", "category": "Cơ quan", "staff": 80} for i in range(3)]
    days = []
    for v in venues:
        day = every_day(v["id"], first=period[0], last=period[1], scans=5)  # the guards scan every day
        open_day = (pd.to_datetime(day["day"]).dt.day_of_week < 5) & (day["day"] < "2021-02-10")
        day["staff_scans"] = np.where(open_day, 80, 0)
        day["staff_persons"] = day["staff_scans"]
        day["scans"] += day["staff_scans"] + np.where(open_day, 100, 0)
        days.append(day)
    days[2].loc[days[2]["day"] >= "2021-02-01", "staff_persons"] = 10  # staff who did stop scanning
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat(days)), period)
    assert "staff_not_scanning" not in signals_of(assessment, "A00")
    assert "staff_not_scanning" in signals_of(assessment, "A02")
    metrics = assessment.metrics.set_index("venue_id")
    assert metrics.loc["A00", "workdays"] == 20 - 3 and metrics.loc["A00", "staff_per_workday"] == 80


def office_days(venue_id: str, period: tuple[dt.date, dt.date], closed: tuple[str, str], staff: int = 80,
                visitors: int = 100) -> pd.DataFrame:
    """An agency's days: staff and visitors on working days outside ``closed``, no row on the others."""
    day = every_day(venue_id, first=period[0], last=period[1])
    open_day = (pd.to_datetime(day["day"]).dt.day_of_week < 5) & ~day["day"].between(*closed)
    day["staff_scans"] = day["staff_persons"] = np.where(open_day, staff, 0)
    day["scans"] = np.where(open_day, staff + visitors, 0)
    return day[day["scans"] > 0]


@pytest.mark.parametrize("end, closed", [
    (dt.date(2021, 2, 16), ("2021-02-10", "2021-02-16")),  # the last week is Tết
    (dt.date(2021, 5, 3), ("2021-04-30", "2021-05-03")),  # a long weekend: Friday 30/4 to Monday 3/5
])
def test_agencies_closed_for_a_holiday_are_neither_silent_nor_dropping(tmp_path, wards_file, end, closed):
    period = (end - dt.timedelta(days=27), end)
    venues = [{"id": f"A{i:02d}", "category": "Cơ quan", "staff": 80} for i in range(12)]
    days = [office_days(v["id"], period, closed) for v in venues]
    days[11] = days[11][days[11]["day"] < (end - dt.timedelta(days=12)).isoformat()]  # one did fall silent
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat(days)), period)
    assert signals_of(assessment, "A00") == set()
    assert signals_of(assessment, "A11") == {"no_scans"}
    silent = assessment.signals.set_index(["venue_id", "signal"]).loc[("A11", "no_scans"), "evidence"]
    assert silent["per"] == "workday" and silent["expected_per_day"] == 180  # a working day's scans


def test_shops_closed_for_tet_are_not_silent_but_one_closed_since_before_is(tmp_path, wards_file):
    period = (dt.date(2021, 1, 18), dt.date(2021, 2, 14))  # ends on the third day of Tết
    venues = [{"id": f"C{i:02d}", "category": "Quán cà phê"} for i in range(12)]
    days = [every_day(v["id"], first=period[0], last=dt.date(2021, 2, 10), scans=60) for v in venues]
    days[11] = days[11][days[11]["day"] < "2021-02-04"]  # silent a week before Tết too
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat(days)), period)
    assert signals_of(assessment, "C00") == set()
    assert signals_of(assessment, "C11") == {"no_scans"}


def test_a_shop_open_for_tet_is_judged_on_those_days_too(tmp_path, wards_file):
    period = (dt.date(2021, 1, 18), dt.date(2021, 2, 14))  # the last week is mostly Tết
    venues = [{"id": f"C{i:02d}", "category": "Quán cà phê"} for i in range(12)]
    days = [every_day(v["id"], first=period[0], last=period[1], scans=60) for v in venues]  # open every day
    days[0]["scans"] = np.where(days[0]["day"] < "2021-02-06", 60, 3)  # its board unreadable since 6 February
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat(days)), period)
    assert "sudden_drop" in signals_of(assessment, "C00")
    assert not any(signals_of(assessment, v["id"]) for v in venues[1:])


def test_an_agencys_drop_is_measured_on_working_days(tmp_path, wards_file):
    period = (dt.date(2021, 1, 25), dt.date(2021, 2, 21))  # Tết (10-16 February) between before and after
    venues = [{"id": f"A{i:02d}", "category": "Cơ quan", "staff": 80} for i in range(12)]
    days = [office_days(v["id"], period, ("2021-02-10", "2021-02-16")) for v in venues]
    days[0].loc[days[0]["day"] >= "2021-02-01", "scans"] = 18  # a tenth of its 180 a working day since 1 February
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat(days)), period)
    drop = assessment.signals.set_index(["venue_id", "signal"]).loc[("A00", "sudden_drop")]
    assert drop["since"] == "2021-02-01"
    assert drop["evidence"] == {"before_per_day": 180, "recent_per_day": 18, "drop_share": 0.9, "per": "workday"}
    assert not any(signals_of(assessment, v["id"]) for v in venues[1:])


def test_days_off_follow_each_years_decisions_not_a_list_that_ends():
    tet_2025 = [dt.date(2025, 1, d) for d in range(27, 32)]  # Monday to Friday around the Lunar New Year
    off = days_off(dt.date(2025, 1, 1), dt.date(2025, 5, 31))
    assert set(tet_2025) <= set(off)
    assert dt.date(2025, 5, 2) in off  # a Friday given off in exchange for a Saturday
    assert dt.date(2025, 1, 2) not in off and all(dt.date(2025, 1, 1) <= d <= dt.date(2025, 5, 31) for d in off)


def test_a_sudden_drop_shows_the_days_before_it_as_before(tmp_path, wards_file):
    venues = [{"id": f"C{i:02d}", "category": "Quán cà phê"} for i in range(12)]
    days = [every_day(v["id"], scans=100) for v in venues]
    days[0]["scans"] = np.where(np.arange(28) < 10, 100, 5)  # down from 12 August
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat(days)), PERIOD)
    drop = assessment.signals.set_index(["venue_id", "signal"]).loc[("C00", "sudden_drop")]
    assert drop["since"] == "2021-08-12"
    # not the 50 a day of the 21 days before the last 7, 11 of which came after the drop
    assert drop["evidence"] == {"before_per_day": 100, "recent_per_day": 5, "drop_share": 0.95, "per": "day"}


def test_a_sudden_drop_is_dated_within_the_default_period(tmp_path, wards_file):
    """A partial first day (a log that starts late in the evening) left out of the period is left out of the
    drop's series too: its busy evening would otherwise date the drop to the third day."""
    venues = [{"id": f"C{i:02d}", "category": "Quán cà phê"} for i in range(12)]
    days = [every_day(v["id"], scans=100) for v in venues]
    days[0]["scans"] = np.where(np.arange(28) < 10, 100, 5)  # down from 12 August
    evening = pd.DataFrame({"venue_id": ["C00"], "day": [(START - dt.timedelta(days=1)).isoformat()], "scans": [500]})
    assessment = assess(make(tmp_path, wards_file, venues, pd.concat([evening, *days])))
    assert assessment.period == PERIOD
    drop = assessment.signals.set_index(["venue_id", "signal"]).loc[("C00", "sudden_drop")]
    assert drop["since"] == "2021-08-12"
    assert drop["evidence"]["before_per_day"] == 100
