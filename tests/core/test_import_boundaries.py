import csv
import zipfile

import geopandas as gpd
import numpy as np
import pytest
import shapely

from inspector.core.errors import InputError
from inspector.core.importers import import_file
from inspector.core.units import leaves
from inspector.core.workspace import Workspace
from tests.conftest import snapshot, tiny_wards


def test_wards_create_their_district_and_province(workspace):
    units = workspace.read_layer("admin_units").set_index("code")
    assert units.loc["901", "level"] == "district" and units.loc["901", "source"] == "derived"
    assert units.loc["99", "level"] == "province"
    assert units.loc["19000", "parent_code"] == "901" and units.loc["901", "parent_code"] == "99"
    assert units.loc["901", "population"] == sum(10000 + k for k in range(4))
    assert units.loc["901"].geometry.area == pytest.approx(0.04 ** 2)
    assert units.loc["19000", "area_km2"] == pytest.approx(4.5, rel=0.1)


def test_boundaries_without_population_keep_the_workspace_population(workspace, tmp_path):
    """Redrawn outlines from a source without census figures must not wipe the figures."""
    redrawn = tiny_wards().drop(columns="population")
    path = tmp_path / "outlines.geojson"
    redrawn.to_file(path, driver="GeoJSON")
    result = import_file(workspace, "boundaries", path)
    assert result.warnings["population_kept"] == 4
    units = workspace.read_layer("admin_units").set_index("code")
    assert units.loc["19002", "population"] == 10002 and units.loc["901", "population"] == 40006


def test_any_crs_is_reprojected_and_shapefiles_and_zips_work(tmp_path):
    utm = tiny_wards().to_crs("EPSG:32648").rename(columns={
        "ward_code": "ma_xa", "ward_name": "ten_xa", "district_code": "ma_huyen", "district_name": "ten_huyen",
        "province_code": "ma_tinh", "province_name": "ten_tinh", "population": "dan_so"})
    utm.to_file(tmp_path / "wards.shp")
    ws = Workspace.create(tmp_path / "w.gpkg")
    assert import_file(ws, "boundaries", tmp_path / "wards.shp").rows_accepted == 4
    units = ws.read_layer("admin_units")
    bounds = units[units["level"] == "ward"].total_bounds
    assert np.allclose(bounds, [107.55, 16.44, 107.59, 16.48], atol=1e-6)
    assert set(units.loc[units["level"] == "ward", "parent_code"]) == {"901"}
    assert units.set_index("code").loc["19000", "population"] == 10000
    with zipfile.ZipFile(tmp_path / "wards.zip", "w") as z:
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            if (tmp_path / f"wards.{ext}").exists():
                z.write(tmp_path / f"wards.{ext}", f"wards.{ext}")
    ws2 = Workspace.create(tmp_path / "w2.gpkg")
    assert import_file(ws2, "boundaries", tmp_path / "wards.zip").rows_accepted == 4


def test_projected_geojson_without_crs_is_not_taken_for_degrees(tmp_path):
    path = tmp_path / "wards.geojson"
    utm = tiny_wards().to_crs("EPSG:32648")
    path.write_text(utm.set_crs(None, allow_override=True).to_json(drop_id=True), encoding="utf-8")
    assert '"crs"' not in path.read_text(encoding="utf-8")  # UTM metres, and no "crs" member
    ws = Workspace.create(tmp_path / "w.gpkg")
    before = snapshot(ws)
    with pytest.raises(InputError) as err:
        import_file(ws, "boundaries", path)
    assert err.value.code == "missing_crs" and snapshot(ws) == before


def test_bad_geometries_are_repaired_or_rejected(tmp_path):
    wards = tiny_wards()
    bowtie = shapely.Polygon([(107.55, 16.44), (107.57, 16.46), (107.57, 16.44), (107.55, 16.46)])
    wards.loc[0, "geometry"] = bowtie
    wards.loc[1, "geometry"] = shapely.Point(107.58, 16.45)
    wards.to_file(tmp_path / "w.geojson")
    ws = Workspace.create(tmp_path / "w.gpkg")
    result = import_file(ws, "boundaries", tmp_path / "w.geojson")
    assert result.rows_accepted == 3 and result.warnings["geometry_repaired"] == 1
    assert list(result.rejections["reason"]) == ["invalid_geometry"]
    assert list(result.rejections["line"]) == [2]
    assert ws.read_layer("admin_units").geometry.is_valid.all()


def test_level_cannot_be_guessed(tmp_path):
    gdf = gpd.GeoDataFrame({"code": ["A"], "name": ["X"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326)
    gdf.to_file(tmp_path / "u.geojson")
    ws = Workspace.create(tmp_path / "w.gpkg")
    before = snapshot(ws)
    with pytest.raises(InputError) as err:
        import_file(ws, "boundaries", tmp_path / "u.geojson")
    assert err.value.code == "unknown_level"
    assert snapshot(ws) == before
    assert import_file(ws, "boundaries", tmp_path / "u.geojson", level="ward").rows_accepted == 1


def test_two_tier_hierarchy_without_districts(tmp_path):
    """After 2025: communes sit directly under the province; nothing assumes three tiers."""
    wards = tiny_wards().drop(columns=["district_code", "district_name"])
    wards.to_file(tmp_path / "w.geojson")
    ws = Workspace.create(tmp_path / "w.gpkg")
    import_file(ws, "boundaries", tmp_path / "w.geojson", level="ward")
    units = ws.read_layer("admin_units").set_index("code")
    assert set(units["level"]) == {"ward", "province"}
    assert set(units.loc[units["level"] == "ward", "parent_code"]) == {"99"}
    assert len(leaves(units.reset_index())) == 4


# -- real Huế data ---------------------------------------------------------------------------------
def test_real_2021_wards_and_districts_match_the_official_list(tmp_path, hue):
    ws = Workspace.create(tmp_path / "hue.gpkg")
    wards = import_file(ws, "boundaries", hue / "hue_communes_2021_derived.geojson")
    districts = import_file(ws, "boundaries", hue / "hue_districts_dvhcvn.geojson")
    assert (wards.rows_accepted, districts.rows_accepted) == (141, 9)
    units = ws.read_layer("admin_units")
    by_level = units.groupby("level").size().to_dict()
    assert by_level == {"province": 1, "district": 9, "ward": 141}
    with open(hue / "admin_units.csv", encoding="utf-8") as fh:
        official = list(csv.DictReader(fh))
    table = units.set_index("code")
    for row in official:
        ward = table.loc[row["ward_code"]]
        assert ward["parent_code"] == row["district_code"]
        assert ward["name"] == row["ward_name"]
        district = table.loc[row["district_code"]]
        assert district["name"] == row["district_name"] and district["source"] == "file"
        assert district["parent_code"] == "46"
    assert table.loc["46", "name"] == "Tỉnh Thừa Thiên Huế"
    assert table.loc["474", "area_km2"] == pytest.approx(70.9, rel=0.02)  # the 2019 outline (dvhcvn)


def test_overlapping_old_communes_resolve_venues_by_declared_ward_then_nearest(tmp_path, hue):
    ws = Workspace.create(tmp_path / "v63.gpkg")
    result = import_file(ws, "boundaries", hue / "hue_communes_vietnam63.geojson")
    assert result.rows_accepted == 152
    wards = leaves(ws.read_layer("admin_units"))
    assert len(wards) == 152

    pairs = gpd.sjoin(wards, wards, predicate="overlaps")
    pairs = pairs[pairs["code_left"] < pairs["code_right"]]
    overlap = None
    for _, pair in pairs.iterrows():
        shape = pair.geometry.intersection(wards.set_index("code").loc[pair["code_right"]].geometry)
        if shape.area > 1e-6:
            overlap, a, b = shape.representative_point(), pair["code_left"], pair["code_right"]
            break
    assert overlap is not None
    holes = [shapely.Polygon(ring) for poly in shapely.get_parts(shapely.union_all(wards.geometry))
             for ring in poly.interiors]
    gap = max(holes, key=lambda h: h.area).representative_point()
    assert not wards.intersects(gap).any()

    venues = tmp_path / "v.csv"
    venues.write_text(
        "venue_id,name,ward_code,lat,lon\n"
        f"O1,Overlap declared,{b},{overlap.y},{overlap.x}\n"
        f"O2,Overlap undeclared,,{overlap.y},{overlap.x}\n"
        f"G1,Gap declared,{a},{gap.y},{gap.x}\n"
        f"G2,Gap undeclared,,{gap.y},{gap.x}\n", encoding="utf-8")
    result = import_file(ws, "venues", venues)
    assert result.rows_accepted == 4
    assert result.warnings == {"overlap": 2, "gap": 2}
    placed = ws.read_layer("venues").set_index("venue_id")
    assert placed.loc["O1", "ward_code"] == b
    assert placed.loc["O2", "ward_code"] in (a, b)
    assert placed.loc["G1", "ward_code"] == a
    nearest = wards.assign(d=wards.to_crs(32648).distance(
        gpd.GeoSeries([gap], crs=4326).to_crs(32648).iloc[0])).sort_values("d")["code"].iloc[0]
    assert placed.loc["G2", "ward_code"] == nearest
    assert list(placed["location_flag"]) == ["overlap", "overlap", "gap", "gap"]


def test_a_province_given_only_by_its_code_gets_its_official_name(tmp_path, hue):
    ws = Workspace.create(tmp_path / "d.gpkg")
    import_file(ws, "boundaries", hue / "hue_districts_dvhcvn.geojson")  # level1_id 46, no province name
    assert ws.read_layer("admin_units").set_index("code").loc["46", "name"] == "Tỉnh Thừa Thiên Huế"


def test_old_district_file_takes_its_district_id_as_its_own_code(tmp_path, hue):
    ws = Workspace.create(tmp_path / "d63.gpkg")
    result = import_file(ws, "boundaries", hue / "hue_districts_vietnam63.geojson")
    assert result.rows_accepted == 9
    units = ws.read_layer("admin_units")
    districts = units[units["level"] == "district"].set_index("code")
    assert len(districts) == 9 and districts.loc["41101", "name"] == "Thành phố Huế"
    assert set(districts["parent_code"]) == {"411"}
    communes = import_file(ws, "boundaries", hue / "hue_communes_vietnam63.geojson")
    assert communes.rows_accepted == 152
    wards = leaves(ws.read_layer("admin_units"))
    assert set(wards["parent_code"]) <= set(districts.index)


def test_shapefile_without_its_dbf_is_refused_saying_so(tmp_path):
    tiny_wards()[["geometry"]].to_file(tmp_path / "wards.shp")
    with zipfile.ZipFile(tmp_path / "wards.zip", "w") as z:
        for ext in ("shp", "shx", "prj"):
            z.write(tmp_path / f"wards.{ext}", f"wards.{ext}")
    ws = Workspace.create(tmp_path / "w.gpkg")
    before = snapshot(ws)
    with pytest.raises(InputError) as err:
        import_file(ws, "boundaries", tmp_path / "wards.zip")
    assert err.value.code == "no_attributes" and ".dbf" in str(err.value) and snapshot(ws) == before
