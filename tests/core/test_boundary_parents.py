"""Units that come without parent codes are linked to the units above them by the map."""

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from inspector.core.importers import import_file
from inspector.core.importers.outcome import summary
from inspector.core.units import leaves
from inspector.core.workspace import Workspace
from tests.conftest import VENUES_CSV, tiny_wards


def _ws(tmp_path, name="w.gpkg"):
    return Workspace.create(tmp_path / name)


def _district(tmp_path):
    """The tiny wards' district, with its province code, as a file of districts."""
    district = tiny_wards().dissolve("district_code", as_index=False)[
        ["district_code", "district_name", "province_code", "geometry"]]
    district.to_file(tmp_path / "district.geojson")
    return tmp_path / "district.geojson"


def _bare_wards(tmp_path, frame=None):
    """Wards with a code, a name and a polygon only: no parent codes."""
    frame = tiny_wards() if frame is None else frame
    frame[["ward_code", "ward_name", "geometry"]].to_file(tmp_path / "bare.geojson")
    return tmp_path / "bare.geojson"


def _hierarchy(ws):
    units = ws.read_layer("admin_units")
    return sorted(zip(units["code"], units["level"], units["parent_code"].fillna(""), strict=True))


def test_wards_without_parent_codes_get_their_district_from_the_map(tmp_path):
    ws = _ws(tmp_path)
    import_file(ws, "boundaries", _district(tmp_path))
    result = import_file(ws, "boundaries", _bare_wards(tmp_path), level="ward")
    assert result.warnings == {"parent_from_map": 4}
    assert "4 × units without a parent code were linked, by the map, to the unit of the level above" in summary(
        result, lambda s: s, "en")[1][0]
    assert set(leaves(ws.read_layer("admin_units"))["code"]) == {"19000", "19001", "19002", "19003"}
    (tmp_path / "v.csv").write_text(VENUES_CSV, encoding="utf-8")
    venues = import_file(ws, "venues", tmp_path / "v.csv")
    assert venues.warnings == {} and set(ws.read_layer("venues")["location_flag"]) == {"ok"}


def test_wards_imported_before_their_districts_end_in_the_same_hierarchy(tmp_path):
    first = _ws(tmp_path, "districts_first.gpkg")
    import_file(first, "boundaries", _district(tmp_path))
    import_file(first, "boundaries", _bare_wards(tmp_path), level="ward")
    later = _ws(tmp_path, "wards_first.gpkg")
    wards = import_file(later, "boundaries", _bare_wards(tmp_path), level="ward")
    assert wards.warnings == {"parent_pending": 4}  # said, with what to do
    districts = import_file(later, "boundaries", _district(tmp_path))
    assert districts.warnings["parent_from_map"] == 4
    assert _hierarchy(later) == _hierarchy(first)
    assert ("19000", "ward", "901") in _hierarchy(later) and ("901", "district", "99") in _hierarchy(later)


def test_a_ward_outside_every_district_is_warned_about_and_one_astride_gets_the_larger_part(tmp_path):
    wards = tiny_wards()
    wards.loc[2, "geometry"] = shapely.box(107.60, 16.44, 107.62, 16.46)  # 1 km east of the district
    wards.loc[3, "geometry"] = shapely.box(107.586, 16.46, 107.606, 16.48)  # a fifth inside
    ws = _ws(tmp_path)
    import_file(ws, "boundaries", _district(tmp_path))
    result = import_file(ws, "boundaries", _bare_wards(tmp_path, wards), level="ward")
    assert result.warnings["parent_not_found"] == 1 and result.examples["parent_not_found"] == ["19002"]
    assert result.warnings["outside_parent"] == 1 and result.examples["outside_parent"] == ["19003"]
    parents = ws.read_layer("admin_units").set_index("code")["parent_code"]
    assert parents.loc["19003"] == "901" and pd.isna(parents.loc["19002"])


def test_outlines_without_parent_codes_keep_the_parents_the_workspace_has(workspace, tmp_path):
    moved = tiny_wards()
    moved["geometry"] = moved.geometry.translate(0.001, 0.0)
    result = import_file(workspace, "boundaries", _bare_wards(tmp_path, moved), level="ward")
    assert result.counts.updated == 4 and not {"parent_from_map", "parent_pending"} & set(result.warnings)
    parents = workspace.read_layer("admin_units").set_index("code")["parent_code"]
    assert set(parents.loc[["19000", "19001", "19002", "19003"]]) == {"901"}


# -- real Huế data ---------------------------------------------------------------------------------
@pytest.fixture
def bare_communes(tmp_path, hue):
    """The real 2021 communes with a code, a name and a polygon only."""
    communes = gpd.read_file(hue / "hue_communes_2021_derived.geojson")
    return _bare_wards(tmp_path, communes)


def _venues_in_every_commune(tmp_path, hue):
    communes = gpd.read_file(hue / "hue_communes_2021_derived.geojson")
    points = shapely.point_on_surface(communes.geometry.to_numpy())
    frame = pd.DataFrame({"venue_id": [f"V{k}" for k in range(len(points))], "name": "Quán",
                          "ward_name": communes["ward_name"], "lat": shapely.get_y(points),
                          "lon": shapely.get_x(points)})
    frame.to_csv(tmp_path / "venues.csv", index=False)
    return tmp_path / "venues.csv"


@pytest.mark.parametrize("districts", ["hue_districts_2021_derived.geojson", "hue_districts_dvhcvn.geojson"])
def test_real_communes_without_parent_codes_are_placed_in_districts_and_venues_in_wards(
        tmp_path, hue, bare_communes, districts):
    ws = _ws(tmp_path)
    import_file(ws, "boundaries", hue / districts)
    result = import_file(ws, "boundaries", bare_communes, level="ward")
    assert result.rows_accepted == 141 and result.warnings["parent_from_map"] == 141
    units = ws.read_layer("admin_units").set_index("code")
    wards = units[units["level"] == "ward"]
    assert wards["parent_code"].notna().all() and len(leaves(units.reset_index())) == 141
    official = pd.read_csv(hue / "admin_units.csv", dtype=str).set_index("ward_code")["district_code"]
    same = (wards.loc[official.index, "parent_code"] == official).sum()
    assert same == 141 if districts.endswith("derived.geojson") else same >= 120  # dvhcvn: the 2019 layout
    venues = import_file(ws, "venues", _venues_in_every_commune(tmp_path, hue))
    assert not {"overlap", "unknown_ward"} & set(venues.warnings)  # a name two communes bear is ambiguous
    placed = ws.read_layer("venues")
    assert list(placed.sort_values("venue_id", key=lambda v: v.str[1:].astype(int))["ward_code"]) == list(
        gpd.read_file(hue / "hue_communes_2021_derived.geojson")["ward_code"])


def test_real_communes_before_or_after_their_districts_give_one_hierarchy(tmp_path, hue, bare_communes):
    districts = hue / "hue_districts_2021_derived.geojson"
    before, after = _ws(tmp_path, "before.gpkg"), _ws(tmp_path, "after.gpkg")
    import_file(before, "boundaries", districts)
    import_file(before, "boundaries", bare_communes, level="ward")
    assert import_file(after, "boundaries", bare_communes, level="ward").warnings == {"parent_pending": 141}
    assert import_file(after, "boundaries", districts).warnings["parent_from_map"] == 141
    assert _hierarchy(after) == _hierarchy(before)
