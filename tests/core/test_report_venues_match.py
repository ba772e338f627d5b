"""Reports matched to venues by position (one query for all reports) agree with a report-by-report reference."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from inspector.core.importers.report_venues import NAME_RADIUS_M, POINT_RADIUS_M, match
from inspector.core.text import fold

#: the UTM zone the code picks for venues around Huế (``estimate_utm_crs``); cases are drawn in its metres
UTM = "EPSG:32648"
ORIGIN = shapely.Point(107.59, 16.46)
NAMES = ["Quán Hoa", "Quán Hoa Sen", "Nhà thuốc Thiên An", "Cà phê Góc Phố", "Tạp hóa Bà Tư", "Tiệm vàng Kim Long",
         "Quán cơm 36", "Nha thuoc Thien An", "", None]
TEXTS = ["Không yêu cầu khách quét mã", "", None, "{name}: không quét mã", "Ở {NAME} không ai quét",
         "tại {plain} (gần chợ)", "{name}{name}", "{other} và {name}"]


def _reference(given, lat, lon, text, venues):
    """Report by report: a venue named in the text within NAME_RADIUS_M, else the nearest within
    POINT_RADIUS_M; the nearer first, then the smaller venue id. An unregistered id given: unknown_id."""
    crs = venues.estimate_utm_crs()
    places = venues.to_crs(crs)
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(crs)
    ids = set(venues["venue_id"])
    found = []
    for g, la, lo, t, here in zip(given, lat, lon, text, points, strict=True):
        venue, how = None, "none"
        if g in ids:
            venue, how = g, "id"
        elif not (np.isnan(la) or np.isnan(lo)):
            dist = places.geometry.distance(here)
            near = [(d, v, n) for d, v, n in zip(dist, places["venue_id"], places["name"], strict=True)
                    if d <= NAME_RADIUS_M]
            named = [(d, v) for d, v, n in near if fold(n) and fold(n) in fold(t)]
            close = [(d, v) for d, v, _ in near if d <= POINT_RADIUS_M]
            if named:
                venue, how = min(named)[1], "name_nearby"
            elif close:
                venue, how = min(close)[1], "location"
        if how == "none" and g:
            how = "unknown_id"
        found.append((venue, how))
    return found


def _matched(given, lat, lon, text, venues):
    venue, how = match(pd.Series(given, dtype=object), pd.Series(lat), pd.Series(lon), pd.Series(text, dtype=object),
                       venues)
    return list(zip(venue.tolist(), how.tolist(), strict=True))


def _venues(xy, ids, names):
    points = gpd.GeoSeries(shapely.points(xy), crs=UTM).to_crs("EPSG:4326")
    return gpd.GeoDataFrame({"venue_id": ids, "qr_payload": "", "name": names}, geometry=points.values,
                            crs="EPSG:4326")


def _lat_lon(xy):
    points = gpd.GeoSeries(shapely.points(xy), crs=UTM).to_crs("EPSG:4326")
    return points.y.to_numpy().copy(), points.x.to_numpy().copy()


def _province(seed):
    """Venues around Huế (some registered at one point, names inside other names) and reports about them."""
    rng = np.random.default_rng(seed)
    centre = np.array(shapely.get_coordinates(gpd.GeoSeries([ORIGIN], crs="EPSG:4326").to_crs(UTM).iloc[0])[0])
    n = 150
    xy = centre + rng.uniform(-1500, 1500, (n, 2))
    twin = rng.choice(n, 25, replace=False)
    xy[twin[:12]] = xy[twin[12:24]]  # registered at the same point as another venue
    ids = np.array([f"V{k:05d}" for k in rng.choice(100_000, n, replace=False)], dtype=object)  # not in fid order
    names = np.array([NAMES[k] for k in rng.integers(0, len(NAMES), n)], dtype=object)
    names[twin[:6]] = names[twin[12:18]]  # same name, same point: only the id tells them apart
    venues = _venues(xy, ids, names)

    m = 600
    about = rng.integers(0, n, m)
    way = rng.choice(["at", "near", "ring", "anywhere"], m, p=[0.15, 0.45, 0.2, 0.2])
    radius = np.select([way == "near", way == "ring"], [rng.uniform(0, 120, m), rng.uniform(280, 320, m)], 0.0)
    angle = rng.uniform(0, 2 * np.pi, m)
    report_xy = xy[about] + radius[:, None] * np.c_[np.cos(angle), np.sin(angle)]
    anywhere = way == "anywhere"
    report_xy[anywhere] = centre + rng.uniform(-2500, 2500, (anywhere.sum(), 2))
    lat, lon = _lat_lon(report_xy)
    lat[rng.random(m) < 0.04] = np.nan  # half a position or none: not placed
    lon[rng.random(m) < 0.04] = np.nan
    other = rng.integers(0, n, m)
    text = []
    for k, (template, mentioned) in enumerate(zip(rng.choice(len(TEXTS), m), other, strict=True)):
        name, t = names[about[k]] or "", TEXTS[template]
        text.append(t and t.format(name=name, NAME=name.upper(), plain=fold(name), other=names[mentioned] or ""))
    given = np.where(rng.random(m) < 0.1, "X-unregistered", "").astype(object)
    by_id = rng.random(m) < 0.05
    given[by_id] = ids[about[by_id]]
    return given, lat, lon, text, venues


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_matching_all_reports_at_once_agrees_with_matching_them_one_by_one(seed):
    given, lat, lon, text, venues = _province(seed)
    expected = _reference(given, lat, lon, text, venues)
    assert _matched(given, lat, lon, text, venues) == expected
    ways = {how for _, how in expected}
    assert ways == {"id", "name_nearby", "location", "none", "unknown_id"}  # every way is exercised


def test_equidistant_venues_go_to_the_smaller_venue_id_whatever_the_registry_order():
    xy = np.array([[500_000.0, 1_820_000.0]] * 3 + [[500_040.0, 1_820_000.0]])
    for order in ([0, 1, 2, 3], [2, 1, 0, 3], [1, 2, 0, 3]):
        venues = _venues(xy[order], np.array(["V20", "V10", "V30", "V05"], dtype=object)[order],
                         np.array(["Quán Hoa", "Quán Hoa", "Nhà thuốc", "Quán Hoa Sen"], dtype=object)[order])
        lat, lon = _lat_lon(np.array([[500_000.0, 1_820_000.0], [500_000.0, 1_820_010.0], [500_010.0, 1_820_000.0],
                                      [500_030.0, 1_820_000.0]]))
        text = ["Quán Hoa không quét", "chỗ này không quét", "nhà thuốc không quét", "quán hoa sen không quét"]
        assert _matched([""] * 4, lat, lon, text, venues) == [
            ("V10", "name_nearby"),  # V10 and V20 both named, both at 0 m
            ("V10", "location"),  # V10, V20, V30 all at 10 m, none named
            ("V30", "name_nearby"),  # the one named of the three at 10 m
            ("V05", "name_nearby"),  # named at 10 m; V10 and V20 ("quán hoa" too) at 30 m
        ]


def test_a_venue_named_just_inside_the_radius_is_found_in_every_direction():
    # a polygon buffer of 300 m (64 sides) reaches only 299.64 m between its corners
    centre = np.array([500_000.0, 1_820_000.0])
    venues = _venues(centre[None, :], np.array(["V1"], dtype=object), np.array(["Quán Hoa"], dtype=object))
    angle = (np.arange(64) + 0.5) * 2 * np.pi / 64
    for radius, expected in ((NAME_RADIUS_M - 0.1, ("V1", "name_nearby")), (NAME_RADIUS_M + 0.1, (None, "none"))):
        lat, lon = _lat_lon(centre + radius * np.c_[np.cos(angle), np.sin(angle)])
        assert _matched([""] * 64, lat, lon, ["Quán Hoa"] * 64, venues) == [expected] * 64


def test_reports_without_a_position_or_venue_nearby_stay_unmatched():
    venues = _venues(np.array([[500_000.0, 1_820_000.0]]), np.array(["V1"], dtype=object),
                     np.array(["Quán Hoa"], dtype=object))
    lat, lon = _lat_lon(np.array([[500_000.0, 1_820_000.0]] * 3 + [[501_000.0, 1_820_000.0]]))
    lat[0], lon[1], lat[2], lon[2] = np.nan, np.nan, np.nan, np.nan
    assert _matched(["", "X9", "", ""], lat, lon, ["Quán Hoa"] * 4, venues) == [
        (None, "none"), (None, "unknown_id"), (None, "none"), (None, "none")]


def test_the_demo_provinces_reports_match_as_one_by_one(tables):
    registry = tables["venues"]
    venues = gpd.GeoDataFrame(
        {"venue_id": registry["Mã cơ sở"], "qr_payload": registry["Mã QR"], "name": registry["Tên cơ sở"]},
        geometry=gpd.points_from_xy(registry["Kinh độ"].astype(float), registry["Vĩ độ"].astype(float)),
        crs="EPSG:4326")
    reports = tables["reports"]
    given = reports["Mã cơ sở"].to_numpy(dtype=object)
    lat = pd.to_numeric(reports["Vĩ độ"], errors="coerce").to_numpy()
    lon = pd.to_numeric(reports["Kinh độ"], errors="coerce").to_numpy()
    text = reports["Nội dung"].tolist()
    expected = _reference(given, lat, lon, text, venues)
    assert _matched(given, lat, lon, text, venues) == expected
    assert {how for _, how in expected} >= {"id", "name_nearby"}
