"""The demo province's scans: each planted violation leaves its trace, volumes are realistic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inspector.core import resources
from inspector.demo import generate
from tests.core.conftest import metres, planted


def test_no_board_venues_are_silent(tables: dict[str, pd.DataFrame]) -> None:
    scans = tables["scans"]
    rows = planted(tables, "no_board")
    assert len(rows) > 5
    for venue, since in zip(rows["venue_id"], rows["from_date"], strict=True):
        assert not ((scans["venue_id"] == venue) & (scans["time"] >= since)).any()


def _per_capacity(tables: dict[str, pd.DataFrame], role: str | None = None) -> pd.DataFrame:
    """Per venue: category, scans (of ``role``, or all) per day per unit of capacity, and peers' median."""
    scans, venues = tables["scans"], tables["venues"].set_index("Mã cơ sở")
    days = scans["time"].dt.normalize().nunique()
    rows = scans if role is None else scans[scans["role"] == role]
    rate = rows["venue_id"].value_counts().reindex(venues.index, fill_value=0) / days
    out = pd.DataFrame({"category": venues["Loại hình"], "rate": rate / venues["Sức chứa"].astype(float)})
    compliant = (venues["Trạng thái"] == "Hoạt động") & ~venues.index.isin(tables["truth"]["venue_id"])
    out["peers"] = out["category"].map(out[compliant].groupby("category")["rate"].median())
    return out


def test_every_unscannable_venue_collapses(tables: dict[str, pd.DataFrame]) -> None:
    scans = tables["scans"]
    rows = planted(tables, "unscannable")
    start = scans["time"].min().normalize()
    end = scans["time"].max().normalize() + pd.Timedelta(days=1)
    late = rows[rows["from_date"] > str(start.date())]
    assert len(late) >= 3 and len(rows) > len(late)
    for venue, since in zip(late["venue_id"], pd.to_datetime(late["from_date"]), strict=True):
        times = scans.loc[scans["venue_id"] == venue, "time"]
        before = (times < since).sum() / (since - start).days
        after = (times >= since).sum() / (end - since).days
        assert after < 0.25 * before, venue
    rate = _per_capacity(tables).loc[rows.loc[rows["from_date"] == str(start.date()), "venue_id"]]
    assert (rate["rate"] < 0.25 * rate["peers"]).all(), rate


def test_every_wrong_location_scans_cluster_away(tables: dict[str, pd.DataFrame]) -> None:
    scans = tables["scans"].dropna(subset=["lat"])
    medians = scans.groupby("venue_id")["dist_m"].agg(["median", "size"])
    wrong = medians.reindex(planted(tables, "wrong_location")["venue_id"])
    normal = medians.index.difference(tables["truth"]["venue_id"])
    assert len(wrong) >= 3 and len(normal) > 100
    assert (wrong["size"] >= 10).all() and (wrong["median"] > 300).all()
    assert (medians.loc[normal, "median"] < 60).all()


def test_every_cloned_board_is_scanned_far_away(tables: dict[str, pd.DataFrame]) -> None:
    scans = tables["scans"]
    rows = planted(tables, "cloned_board")
    assert len(rows) >= 10
    for venue, since, detail in zip(rows["venue_id"], rows["from_date"], rows["detail"], strict=True):
        mine = scans[scans["venue_id"] == venue]
        assert not (mine.loc[mine["time"] < since, "dist_m"] > 2000).any(), venue
        # the copy's own visitors scan it at the second place, however few visit the original
        far = mine[(mine["time"] >= since) & (mine["dist_m"] > 2000)]
        assert len(far) >= 3, venue
        place = dict(item.split("=") for item in detail.split(";"))
        to_place = metres(far["lon"], far["lat"], np.full(len(far), float(place["lon"])),
                           np.full(len(far), float(place["lat"])))
        assert np.median(to_place[~np.isnan(to_place)]) < 100, venue


def test_every_staff_not_scanning_falls_short_of_headcount(tables: dict[str, pd.DataFrame]) -> None:
    scans, venues = tables["scans"], tables["venues"].set_index("Mã cơ sở")
    working = {spec["vi"] for spec in resources.load_toml("categories.toml").values() if spec["working_days"]}
    weekday = scans[(scans["role"] == "staff") & (scans["time"].dt.day_of_week < 5)]
    persons = weekday.groupby(["venue_id", weekday["time"].dt.normalize()])["phone"].nunique()
    staff = venues["Số nhân viên"].astype(float)
    peers = venues.index[venues["Loại hình"].isin(working) & (venues["Trạng thái"] == "Hoạt động")
                         & ~venues.index.isin(tables["truth"]["venue_id"])]
    workdays = pd.DatetimeIndex(weekday["time"].dt.normalize().unique())
    normal = (persons.groupby(level=0).sum() / len(workdays) / staff).reindex(peers, fill_value=0).median()
    assert normal > 0.7  # most staff scan every working day
    lazy = planted(tables, "staff_not_scanning")
    small_seen = small_expected = 0.0
    for venue, since in zip(lazy["venue_id"], pd.to_datetime(lazy["from_date"]), strict=True):
        days = workdays[workdays >= since]
        seen = persons.get(venue, pd.Series(dtype=float)).reindex(days, fill_value=0).sum() \
            if venue in persons.index.get_level_values(0) else 0
        expected = normal * staff[venue] * len(days)
        if expected >= 20:
            assert seen < 0.4 * expected, venue
        else:  # too few staff-days to judge one venue alone: judge them together
            small_seen, small_expected = small_seen + seen, small_expected + expected
    assert small_seen < 0.4 * small_expected


def test_every_low_participation_venue_falls_below_peers(tables: dict[str, pd.DataFrame]) -> None:
    rate = _per_capacity(tables, "visitor").loc[planted(tables, "low_participation")["venue_id"]]
    assert len(rate) >= 5 and (rate["rate"] < 0.4 * rate["peers"]).all(), rate


def test_volumes_are_those_of_a_province_under_a_check_in_mandate(tables: dict[str, pd.DataFrame]) -> None:
    scans, venues = tables["scans"], tables["venues"].set_index("Mã cơ sở")
    categories = resources.load_toml("categories.toml")
    code = {spec["vi"]: c for c, spec in categories.items()}
    scans["category"] = venues.loc[scans["venue_id"], "Loại hình"].map(code).to_numpy()
    staff_share = (scans["role"] == "staff").groupby(scans["category"]).mean()
    assert 0.1 < (scans["role"] == "staff").mean() < 0.4
    workplaces = {c for c, spec in categories.items() if spec["working_days"]}
    assert (staff_share.drop(list(workplaces)) < 0.5).all(), staff_share
    assert staff_share["factory"] > 0.8
    assert scans["time"].dt.hour.between(5, 7).mean() < 0.35
    compliant = venues.index[(venues["Trạng thái"] == "Hoạt động") & ~venues.index.isin(tables["truth"]["venue_id"])]
    days = pd.DatetimeIndex(scans["time"].dt.normalize().unique())
    grid = pd.MultiIndex.from_product([compliant, days])
    visitors = scans[scans["role"] == "visitor"].groupby(["venue_id", scans["time"].dt.normalize()]).size()
    visitors = visitors.reindex(grid, fill_value=0)
    median = visitors.groupby(venues.loc[visitors.index.get_level_values(0), "Loại hình"].map(code).to_numpy()).median()
    for category, low in (("cafe", 10), ("restaurant", 10), ("shop", 6), ("market", 50), ("supermarket", 50),
                          ("hospital", 15)):
        assert median[category] >= low, (category, median[category])
    every = scans.groupby(["venue_id", scans["time"].dt.normalize()]).size().reindex(grid, fill_value=0)
    assert (every == 0).mean() < 0.02
    silent = (every == 0).groupby(level=0).rolling(3).sum().max()
    assert silent < 3  # no compliant venue is silent three days running


def test_staff_fit_the_premises(tables: dict[str, pd.DataFrame]) -> None:
    venues = tables["venues"]
    staff, capacity = venues["Số nhân viên"].astype(int), venues["Sức chứa"].astype(int)
    assert (staff >= 1).all() and (staff <= capacity).all()
    share = (staff / capacity).groupby(venues["Loại hình"]).median()
    labels = {c: spec["vi"] for c, spec in resources.load_toml("categories.toml").items()}
    assert share[labels["factory"]] > 0.8 and share[labels["market"]] < 0.2 and share[labels["cafe"]] < 0.3


def test_scans_per_day_sets_the_total(tmp_path: Path) -> None:
    files = generate(tmp_path, venues=400, days=4, scans_per_day=3000)
    assert abs(files.n_scans - 12_000) < 600


def test_a_lower_total_takes_visitors_not_staff(tmp_path: Path) -> None:
    """Staff scan as their workplace has them (truth.csv says where they stopped): fewer scans are fewer visitors."""
    def staff_and_visitors(files):
        roles = pd.read_csv(files.scans, usecols=["role"])["role"]
        return int((roles == "staff").sum()), int((roles != "staff").sum())

    natural = staff_and_visitors(generate(tmp_path / "natural", venues=300, days=3, seed=5))
    fewer = generate(tmp_path / "fewer", venues=300, days=3, seed=5, scans_per_day=sum(natural) // 3 * 2 // 3)
    staff, visitors = staff_and_visitors(fewer)
    assert staff == pytest.approx(natural[0], rel=0.03) and visitors < natural[1] * 0.7  # alike, scaled: 2/3
    assert abs(fewer.n_scans - sum(natural) * 2 // 3) < 0.05 * sum(natural)


def test_agencies_and_schools_close_for_public_holidays_and_other_venues_stay_open(tmp_path: Path) -> None:
    files = generate(tmp_path, venues=400, days=14, start=pd.Timestamp("2021-02-01").date(), rates={})
    scans = pd.read_csv(files.scans, usecols=["timestamp", "venue_id"])
    venues = pd.read_csv(files.venues, dtype=str, encoding="utf-8-sig").set_index("Mã cơ sở")["Loại hình"]
    working = {c["vi"] for c in resources.load_toml("categories.toml").values() if c.get("working_days")}
    day = pd.to_datetime(scans["timestamp"]).dt.strftime("%Y-%m-%d")
    per_day = scans.assign(day=day, agency=scans["venue_id"].map(venues).isin(working)).groupby(
        ["agency", "day"]).size().unstack(0)
    weekday, tet, sunday = per_day.loc["2021-02-09"], per_day.loc["2021-02-11"], per_day.loc["2021-02-07"]
    assert tet[True] < weekday[True] / 3 and tet[True] == pytest.approx(sunday[True], rel=0.5)  # closed
    assert tet[False] > weekday[False] / 3  # shops, cafés and markets open
