"""Tests of the demo province generator (inspector.demo)."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from inspector.core import resources
from inspector.core.errors import Cancelled, InputError
from inspector.demo import DemoFiles, generate
from inspector.demo.generate import TRICKY_NAME
from inspector.demo.reports import LABELS, UNREGISTERED_CLEAR_M
from tests.core.conftest import RATES, metres, planted

#: truth.csv's kinds that plant no violation in a registered venue
NOT_PLANTED = ("false_report", "unregistered_venue")

HUE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "hue"
FILES = ("province.geojson", "districts.geojson", "wards.geojson", "venues.csv", "scans.csv",
         "reports.xlsx", "truth.csv")
VENUE_HEADERS = ["Mã cơ sở", "Mã QR", "Tên cơ sở", "Loại hình", "Địa chỉ", "Mã phường/xã", "Phường/Xã",
                 "Vĩ độ", "Kinh độ", "Số nhân viên", "Sức chứa", "Liên hệ", "Ngày đăng ký", "Trạng thái"]
PHONE = re.compile(r"^(0[35789]\d{8}|\+84[35789]\d{8}|0[35789]\d \d{3} \d{4})$")


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    runs = [generate(tmp_path / name, seed=seed, venues=300, days=3)
            for name, seed in (("a", 5), ("b", 5), ("c", 6))]
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    for name in ("wards.geojson", "venues.csv", "scans.csv", "truth.csv"):
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes(), name
    assert (runs[0].n_scans, runs[0].n_reports, runs[0].planted) == (runs[1].n_scans, runs[1].n_reports,
                                                                     runs[1].planted)
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(FILES)


def _assert_tiles(children: gpd.GeoDataFrame, parent: shapely.Geometry) -> None:
    geoms = children.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert abs(shapely.area(geoms).sum() - parent.area) <= 1e-9 * parent.area
    assert shapely.area(shapely.difference(shapely.union_all(geoms), parent)) <= 1e-12 * parent.area
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert overlap.max(initial=0.0) <= 1e-12 * parent.area


def test_admin_units_tile_and_are_coded(demo: DemoFiles) -> None:
    province = gpd.read_file(demo.province)
    districts = gpd.read_file(demo.districts)
    wards = gpd.read_file(demo.wards)
    assert province.crs.to_epsg() == 4326 and len(province) == 1
    assert list(province.columns[:2]) == ["province_code", "province_name"]
    assert province["province_code"].iloc[0] == "99"
    assert len(districts) == 9 and 120 <= len(wards) <= 180
    assert districts["district_code"].str.fullmatch(r"\d{3}").all() and districts["district_code"].is_unique
    assert wards["ward_code"].str.fullmatch(r"\d{5}").all() and wards["ward_code"].is_unique
    assert (wards["ward_code"].astype(int).diff().dropna() > 0).all()
    types = districts["district_name"].str.extract(r"^(Thành phố|Thị xã|Huyện) ")[0]
    assert types.value_counts().to_dict() == {"Huyện": 6, "Thị xã": 2, "Thành phố": 1}
    assert wards["ward_name"].str.match(r"^(Phường|Xã|Thị trấn) ").all()
    assert not wards.duplicated(["district_code", "ward_name"]).any()
    assert 800_000 <= wards["population"].sum() <= 1_400_000
    assert set(wards.geom_type) <= {"Polygon", "MultiPolygon"}
    _assert_tiles(districts, province.geometry.iloc[0])
    per_district = wards.groupby("district_code").size()
    city = districts.loc[districts["district_name"].str.startswith("Thành phố"), "district_code"].iloc[0]
    assert 30 <= per_district[city] <= 36
    for code, group in wards.groupby("district_code"):
        _assert_tiles(group, districts.set_index("district_code").geometry[code])
    area_km2 = province.to_crs("EPSG:6933").area.iloc[0] / 1e6
    assert 4500 < area_km2 < 5500
    hull = province.geometry.iloc[0]
    assert 0.6 < hull.area / hull.convex_hull.area < 0.99  # irregular, not a rectangle or a disc


def test_venues_file_shape(demo: DemoFiles, tables: dict[str, pd.DataFrame]) -> None:
    assert demo.venues.read_bytes().startswith("\ufeffMã cơ sở,".encode())
    venues = tables["venues"]
    assert list(venues.columns) == VENUE_HEADERS and len(venues) == 600 == demo.n_venues
    assert venues["Mã cơ sở"].str.fullmatch(r"V\d{3}\d{5}").all() and venues["Mã cơ sở"].is_unique
    assert (venues["Mã QR"] == "HUESQR|" + venues["Mã cơ sở"] + "|" + venues["Mã phường/xã"]).all()
    labels = {spec["vi"] for spec in resources.load_toml("categories.toml").values()}
    assert set(venues["Loại hình"]) <= labels
    assert venues["Vĩ độ"].str.fullmatch(r"1[567]\.\d{6}").all()
    assert venues["Kinh độ"].str.fullmatch(r"10[678]\.\d{6}").all()
    assert venues["Ngày đăng ký"].between("2021-01-27", "2021-07-31").all()
    assert set(venues["Trạng thái"]) == {"Hoạt động", "Tạm ngừng hoạt động"}
    assert 0.9 < (venues["Trạng thái"] == "Hoạt động").mean() < 0.99
    assert (venues["Tên cơ sở"] == TRICKY_NAME).sum() == 1
    assert venues["Địa chỉ"].str.contains(", (?:Phường|Xã|Thị trấn) .+, (?:Thành phố|Thị xã|Huyện) ").all()


def test_venues_lie_in_declared_ward_exceptplanted(demo: DemoFiles, tables: dict[str, pd.DataFrame]) -> None:
    wards = gpd.read_file(demo.wards).set_index("ward_code")
    venues = tables["venues"]
    lon, lat = venues["Kinh độ"].astype(float).to_numpy(), venues["Vĩ độ"].astype(float).to_numpy()
    declared = wards.geometry.loc[venues["Mã phường/xã"]].to_numpy()
    inside = shapely.contains_xy(declared, lon, lat)
    outside = set(venues.loc[~inside, "Mã cơ sở"])
    assert outside == set(planted(tables, "outside_declared_ward")["venue_id"])
    tree = shapely.STRtree(wards.geometry.to_numpy())
    for x, y in zip(lon[~inside], lat[~inside], strict=True):
        assert len(tree.query(shapely.Point(x, y), predicate="within")) == 1


def _assert_counts_follow(venues: pd.DataFrame, truth: pd.DataFrame, rates: dict[str, float],
                          counted: dict[str, int]) -> None:
    working = {spec["vi"] for spec in resources.load_toml("categories.toml").values() if spec["working_days"]}
    active = venues["Trạng thái"] == "Hoạt động"
    planted = truth[~truth["kind"].isin(NOT_PLANTED)]
    assert planted["venue_id"].is_unique  # one kind per venue
    assert set(planted["venue_id"]) <= set(venues.loc[active, "Mã cơ sở"])
    for kind, rate in rates.items():
        n = int((active & venues["Loại hình"].isin(working)).sum()) if kind == "staff_not_scanning" \
            else int(active.sum())
        k = int((planted["kind"] == kind).sum())
        assert k == counted[kind]
        assert abs(k - n * rate) <= 4 * np.sqrt(n * rate * (1 - rate)) + 1, kind


def test_planted_counts_follow_rates(demo: DemoFiles, tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    _assert_counts_follow(tables["venues"], tables["truth"], RATES, demo.planted)
    files = generate(tmp_path, venues=3000, days=1)  # the defaults of resources/demo.toml
    venues = pd.read_csv(files.venues, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    truth = pd.read_csv(files.truth, dtype=str, keep_default_na=False)
    _assert_counts_follow(venues, truth, resources.load_toml("demo.toml")["rates"], files.planted)


def test_rates_can_be_overridden(tmp_path: Path) -> None:
    files = generate(tmp_path, venues=300, days=2, rates={"no_board": 0.5, "unscannable": 0.0})
    assert files.planted["unscannable"] == 0 and 100 < files.planted["no_board"] < 190
    with pytest.raises(ValueError, match="unknown violation kind"):
        generate(tmp_path / "x", venues=10, days=1, rates={"no_such_kind": 0.1})


def test_reports_mostly_about_planted_venues(demo: DemoFiles, tables: dict[str, pd.DataFrame]) -> None:
    reports, truth, venues = tables["reports"], tables["truth"], tables["venues"]
    assert list(reports.columns) == ["Mã phản ánh", "Thời gian", "Mã cơ sở", "Vĩ độ", "Kinh độ",
                                     "Loại vi phạm", "Nội dung"]
    assert len(reports) == demo.n_reports >= 20
    assert reports["Thời gian"].str.fullmatch(r"\d{2}/\d{2}/2021 \d{2}:\d{2}").all()
    false = truth[truth["kind"] == "false_report"].set_index("detail")
    planted = truth[~truth["kind"].isin(NOT_PLANTED)].set_index("venue_id")
    # places trading without a board, never registered: no venue id, and no registered venue near
    unregistered = set(truth.loc[truth["kind"] == "unregistered_venue", "detail"].str.extract(
        r"report=(\w+)", expand=False))
    assert len(unregistered) >= 2 and unregistered <= set(reports["Mã phản ánh"])
    assert 0.1 <= len(false) / len(reports) <= 0.3
    assert set(false.index) <= set(reports["Mã phản ánh"])
    with_id = reports["Mã cơ sở"] != ""
    assert 0.5 < with_id.mean() < 0.9
    assert (reports.loc[~with_id, ["Vĩ độ", "Kinh độ"]] != "").all().all()
    by_id = venues.set_index("Mã cơ sở")
    label = by_id["Tên cơ sở"] + " (" + by_id["Địa chỉ"] + "): "
    for _, row in reports.iterrows():
        when = pd.to_datetime(row["Thời gian"], format="%d/%m/%Y %H:%M")
        if row["Mã phản ánh"] in unregistered:
            assert row["Mã cơ sở"] == "" and row["Loại vi phạm"] == "Không có mã QR"
            nearest = metres(venues["Kinh độ"].astype(float), venues["Vĩ độ"].astype(float),
                             float(row["Kinh độ"]), float(row["Vĩ độ"])).min()
            assert nearest >= UNREGISTERED_CLEAR_M
            continue
        if row["Mã phản ánh"] in false.index:
            venue = false.loc[row["Mã phản ánh"], "venue_id"]
            assert venue not in planted.index
        else:
            venue = row["Mã cơ sở"] or next(v for v in planted.index if row["Nội dung"].startswith(label[v]))
            assert venue in planted.index
            assert when >= pd.Timestamp(planted.loc[venue, "from_date"])
            assert row["Loại vi phạm"] == LABELS[planted.loc[venue, "kind"]]
        if row["Mã cơ sở"]:
            assert row["Mã cơ sở"] == venue
        else:
            assert row["Nội dung"].startswith(label[venue])
            lon0, lat0 = float(by_id.loc[venue, "Kinh độ"]), float(by_id.loc[venue, "Vĩ độ"])
            assert metres(pd.Series([row["Kinh độ"]]), pd.Series([row["Vĩ độ"]]), lon0, lat0)[0] <= 31


def test_personal_data_shape(demo: DemoFiles, tables: dict[str, pd.DataFrame]) -> None:
    assert demo.scans.read_bytes().startswith(b"timestamp,venue_id,phone,role,lat,lon\n")
    scans = tables["scans"]
    assert len(scans) == demo.n_scans
    assert scans["phone"].str.fullmatch(PHONE).all()
    assert scans["phone"].str.startswith("+84").mean() > 0.02
    assert scans["phone"].str.contains(" ").mean() > 0.005
    assert set(scans["role"]) == {"visitor", "staff"}
    assert 0.12 < scans["lat"].isna().mean() < 0.18
    assert (scans["lat"].isna() == scans["lon"].isna()).all()
    assert scans["timestamp"].str.fullmatch(r"2021-08-0\d \d{2}:\d{2}:\d{2}").all()
    assert scans["time"].is_monotonic_increasing
    assert set(scans["venue_id"]) <= set(tables["venues"]["Mã cơ sở"])
    text = demo.scans.read_text().splitlines()[1:200]
    assert all(re.fullmatch(r"[^,]+,[^,]+,[^,]+,(visitor|staff),(\d+\.\d{6},\d+\.\d{6}|,)", line) for line in text)


@pytest.mark.skipif(not (HUE / "hue_districts_dvhcvn.geojson").exists(), reason="Huế data absent")
def test_real_districts_are_cut_into_wards(tmp_path: Path) -> None:
    files = generate(tmp_path, venues=200, days=1, boundaries=HUE / "hue_districts_dvhcvn.geojson")
    districts = gpd.read_file(files.districts)
    wards = gpd.read_file(files.wards)
    assert sorted(districts["district_code"]) == ["474", "476", "477", "478", "479", "480", "481", "482", "483"]
    assert districts.set_index("district_code").loc["474", "district_name"] == "Thành phố Huế"
    assert set(wards["province_name"]) == {"Tỉnh Thừa Thiên Huế"}  # the file gives its code only
    assert 120 <= len(wards) <= 180 and wards["ward_code"].is_unique
    assert wards["ward_code"].str.fullmatch(r"\d{5}").all()
    for code, group in wards.groupby("district_code"):
        _assert_tiles(group, districts.set_index("district_code").geometry[code])
    counts = wards.groupby("district_code").size()
    assert counts["474"] >= counts.drop("474").median()


@pytest.mark.skipif(not (HUE / "hue_communes_2021_derived.geojson").exists(), reason="Huế data absent")
def test_real_wards_are_kept(tmp_path: Path) -> None:
    source = gpd.read_file(HUE / "hue_communes_2021_derived.geojson")
    files = generate(tmp_path, venues=200, days=1, boundaries=HUE / "hue_communes_2021_derived.geojson")
    wards = gpd.read_file(files.wards)
    districts = gpd.read_file(files.districts)
    assert len(wards) == 141
    assert sorted(wards["ward_code"]) == sorted(source["ward_code"].astype(str).str.zfill(5))
    assert len(districts) == 9 and wards["province_code"].eq("46").all()
    venues = pd.read_csv(files.venues, dtype=str, encoding="utf-8-sig")
    assert set(venues["Mã phường/xã"]) <= set(wards["ward_code"])


def test_progress_and_cancel_leave_no_files(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    generate(tmp_path / "ok", venues=100, days=3, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 100) and calls[-1] == (100, 100) and len(calls) >= 5
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    for stop_at in (1, len(calls) - 3, len(calls) - 1):
        seen: list[int] = []

        def cancel(done: int, total: int, seen: list[int] = seen, stop_at: int = stop_at) -> None:
            seen.append(done)
            if len(seen) >= stop_at:
                raise Cancelled()

        out = tmp_path / f"cancel{stop_at}"
        with pytest.raises(Cancelled):
            generate(out, venues=100, days=3, progress=cancel)
        assert not out.exists()  # the folder it created is gone too
    # A cancelled run over a previous complete set leaves that set untouched.
    before = {name: (tmp_path / "ok" / name).read_bytes() for name in FILES}
    with pytest.raises(Cancelled):
        generate(tmp_path / "ok", seed=9, venues=100, days=3,
                 progress=lambda d, t: (_ for _ in ()).throw(Cancelled()) if d >= 50 else None)
    assert {p.name for p in (tmp_path / "ok").iterdir()} == set(FILES)
    assert all((tmp_path / "ok" / name).read_bytes() == data for name, data in before.items())


@pytest.mark.skipif(not (HUE / "hue_province_dvhcvn.geojson").exists(), reason="Huế data absent")
@pytest.mark.parametrize("name", ["hue_province_dvhcvn.geojson", "hue_province_2021_derived.geojson"])
def test_a_province_outline_is_refused_asking_for_districts_or_wards(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError) as err:
        generate(tmp_path, venues=200, days=1, boundaries=HUE / name)
    assert err.value.code == "boundary_file_is_province" and "give the districts or the wards" in str(err.value)
