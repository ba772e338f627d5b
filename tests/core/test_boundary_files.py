"""Boundary files as they come: points, encodings, padded codes, layers, datums, and units that do not fit."""

import unicodedata
import warnings

import geopandas as gpd
import pyogrio
import pytest
import shapely

from inspector.core.importers import import_file
from inspector.core.importers.outcome import summary
from inspector.core.workspace import Workspace
from tests.conftest import cp1258_form, refused, tiny_wards


def _ws(tmp_path, name="w.gpkg"):
    return Workspace.create(tmp_path / name)


# -- a file that gives nothing is refused, not logged ---------------------------------------------
def test_a_file_of_points_is_refused_saying_what_it_holds(tmp_path):
    points = tiny_wards()
    points["geometry"] = shapely.centroid(points.geometry.to_numpy())
    points.to_file(tmp_path / "places.geojson")
    err = refused(_ws(tmp_path), "boundaries", tmp_path / "places.geojson")
    assert err.code == "no_polygons_found" and "4 points" in str(err)


def test_real_osm_places_are_refused_and_leave_no_import_behind(tmp_path, hue):
    ws = _ws(tmp_path)
    err = refused(ws, "boundaries", hue / "hue_osm_places_2017.geojson")
    assert "holds no polygons: 23 points" in str(err)
    assert ws.query("SELECT * FROM import_log").empty


def test_a_file_whose_every_feature_is_rejected_is_refused_and_can_be_corrected(tmp_path):
    wards = tiny_wards()
    wards["ward_code"] = ""
    wards.to_file(tmp_path / "w.geojson")
    ws = _ws(tmp_path)
    err = refused(ws, "boundaries", tmp_path / "w.geojson", level="ward")
    assert err.code == "nothing_accepted" and "none of its 4 features" in str(err)
    assert "feature 1: ward_code is empty" in str(err)
    tiny_wards().to_file(tmp_path / "w.geojson")  # corrected: imported, not "already imported"
    assert import_file(ws, "boundaries", tmp_path / "w.geojson").rows_accepted == 4


# -- Shapefile text encodings --------------------------------------------------------------------
def _shapefile_1258(tmp_path, cpg: str | None, frame=None):
    """``frame`` (the tiny wards) as a Shapefile whose .dbf holds Windows-1258 bytes, with ``cpg`` as its .cpg.

    The GDAL inside pyogrio cannot write Windows-1258: the bytes are written as Latin-1 text.
    """
    frame = tiny_wards() if frame is None else frame.copy()
    for column in frame.columns.drop("geometry"):
        frame[column] = [cp1258_form(str(v)).encode("cp1258").decode("latin-1") for v in frame[column]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # long column names are cut to 10 characters
        pyogrio.write_dataframe(frame, tmp_path / "w1258.shp", encoding="ISO-8859-1")
    (tmp_path / "w1258.cpg").unlink(missing_ok=True)
    if cpg is not None:
        (tmp_path / "w1258.cpg").write_text(cpg)
    return tmp_path / "w1258.shp"


@pytest.mark.parametrize("cpg", ["CP1258", "1258", None])
def test_windows_1258_shapefile_text_is_decoded(tmp_path, cpg):
    ws = _ws(tmp_path)
    result = import_file(ws, "boundaries", _shapefile_1258(tmp_path, cpg))
    assert result.rows_accepted == 4
    units = ws.read_layer("admin_units").set_index("code")
    assert units.loc["19000", "name"] == "Phường Đông Ba" and units.loc["901", "name"] == "Thành phố Mẫu"
    assert unicodedata.is_normalized("NFC", units.loc["19002", "name"])
    assert ("encoding_guessed" in result.warnings) == (cpg is None)


def test_real_windows_1258_shapefile_imports_with_its_names(tmp_path, hue):
    source = gpd.read_file(hue / "hue_communes_2021_derived.geojson")
    path = _shapefile_1258(tmp_path, "CP1258", source)
    ws = _ws(tmp_path)
    assert import_file(ws, "boundaries", path).rows_accepted == 141
    names = ws.read_layer("admin_units").set_index("code")["name"]
    assert names.loc["19750"] == "Phường Tây Lộc" and names.loc["474"] == "Thành phố Huế"


# -- codes ------------------------------------------------------------------------------------------
def test_codes_with_extra_zeros_update_the_same_units(workspace, tmp_path):
    padded = tiny_wards()
    padded["ward_code"] = "0" + padded["ward_code"]
    padded["district_code"], padded["province_code"] = "0901", "099"
    padded["population"] += 1
    padded.to_file(tmp_path / "padded.geojson")
    result = import_file(workspace, "boundaries", tmp_path / "padded.geojson", level="ward")
    assert (result.counts.added, result.counts.updated) == (0, 4)
    units = workspace.read_layer("admin_units")
    assert sorted(units["code"]) == ["19000", "19001", "19002", "19003", "901", "99"]


# -- units that do not fit together ----------------------------------------------------------------
def test_wards_outside_their_district_are_warned_about(workspace, tmp_path):
    far = gpd.GeoDataFrame({"district_code": ["901"], "name": ["Thành phố Mẫu"], "province_code": ["99"]},
                           geometry=[shapely.box(107.60, 16.44, 107.64, 16.48)], crs=4326)
    far.to_file(tmp_path / "district.geojson")
    result = import_file(workspace, "boundaries", tmp_path / "district.geojson")
    assert result.warnings["outside_parent"] == 4
    assert result.examples["outside_parent"] == ["19000", "19001", "19002", "19003"]
    lines = summary(result, lambda s: s, "en")[1]
    assert any("4 × units lie mostly outside" in line and "(for example 19000, 19001" in line for line in lines)


def test_units_on_top_of_other_units_are_warned_about(workspace, tmp_path):
    recoded = tiny_wards()
    recoded["ward_code"] = [str(19100 + k) for k in range(4)]
    recoded.to_file(tmp_path / "recoded.geojson")
    result = import_file(workspace, "boundaries", tmp_path / "recoded.geojson")
    assert result.warnings["overlaps_other_units"] == 4 and "province_added" not in result.warnings
    assert "outside_parent" not in result.warnings


def test_real_files_of_two_layouts_are_warned_about_and_the_readme_pair_fits(tmp_path, hue):
    ws = _ws(tmp_path)
    import_file(ws, "boundaries", hue / "hue_communes_2021_derived.geojson")
    old_districts = import_file(ws, "boundaries", hue / "hue_districts_dvhcvn.geojson")
    assert old_districts.warnings["outside_parent"] >= 10
    old_communes = import_file(ws, "boundaries", hue / "hue_communes_vietnam63.geojson")
    assert old_communes.warnings["overlaps_other_units"] >= 140 and old_communes.warnings["province_added"] == 1
    fits = _ws(tmp_path, "fits.gpkg")
    for name in ("hue_districts_2021_derived.geojson", "hue_communes_2021_derived.geojson"):
        result = import_file(fits, "boundaries", hue / name)
        assert not {"outside_parent", "overlaps_other_units", "province_added"} & set(result.warnings)


# -- GeoPackages with several layers -------------------------------------------------------------
def _multi_layer(tmp_path):
    path = tmp_path / "multi.gpkg"
    wards = tiny_wards()
    places = wards.assign(geometry=shapely.centroid(wards.geometry.to_numpy()))
    pyogrio.write_dataframe(places, path, layer="places")
    district = wards.dissolve("district_code", as_index=False)[["district_code", "district_name", "geometry"]]
    pyogrio.write_dataframe(district.rename(columns={"district_name": "name"}), path, layer="districts",
                            append=True, promote_to_multi=True)
    mixed = wards.copy()
    mixed.loc[0, "geometry"] = shapely.MultiPolygon([mixed.loc[0, "geometry"]])
    pyogrio.write_dataframe(mixed, path, layer="wards", geometry_type="Unknown", append=True)
    assert dict(pyogrio.list_layers(path).tolist())["wards"] == "Unknown"
    return path


def test_the_most_detailed_layer_is_read_and_the_others_are_named(tmp_path):
    path = _multi_layer(tmp_path)
    ws = _ws(tmp_path)
    result = import_file(ws, "boundaries", path)
    assert result.rows_accepted == 4 and (result.layer, result.other_layers) == ("wards", ["districts"])
    assert "Read the layer “wards”; the file has other layers too: “districts”" in summary(
        result, lambda s: s, "en")[1][0]
    again = import_file(ws, "boundaries", path, layer="districts")
    assert again.already_imported_at is None and again.rows_accepted == 1
    assert import_file(ws, "boundaries", path, layer="districts").already_imported_at is not None
    assert import_file(ws, "boundaries", path, level="district").layer == "districts"  # named for the level


def test_an_unknown_layer_is_refused_listing_the_layers(tmp_path):
    err = refused(_ws(tmp_path), "boundaries", _multi_layer(tmp_path), layer="nope")
    assert err.code == "unknown_layer" and "“districts”, “wards”" in str(err)


def test_reimporting_with_another_level_or_mapping_is_not_refused_as_done(workspace, wards_file):
    assert import_file(workspace, "boundaries", wards_file).already_imported_at is not None
    assert import_file(workspace, "boundaries", wards_file, level="ward").already_imported_at is None


# -- datums -----------------------------------------------------------------------------------------
HUE_VN2000 = ('PROJCS["VN2000_TTHue_KT107",GEOGCS["VN2000",DATUM["VN2000_Hue",SPHEROID["WGS_1984",6378137.0,'
              '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
              'PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
              'PARAMETER["Central_Meridian",107.0],PARAMETER["Scale_Factor",0.9999],'
              'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')


@pytest.mark.parametrize(("crs", "warned"), [(HUE_VN2000, True), ("EPSG:3405", False), ("EPSG:32648", False)])
def test_a_datum_proj_cannot_shift_is_warned_about(tmp_path, crs, warned):
    tiny_wards().to_crs(crs)[["ward_code", "ward_name", "geometry"]].to_file(tmp_path / "w.shp")
    result = import_file(_ws(tmp_path), "boundaries", tmp_path / "w.shp")
    assert result.rows_accepted == 4 and ("datum_unknown" in result.warnings) == warned


# -- the app's own export ----------------------------------------------------------------------------
def test_an_exported_admin_units_layer_imports_level_by_level(workspace, tmp_path):
    """ogr2ogr of a workspace's admin_units: its level and parent_code columns are read."""
    path = tmp_path / "export.gpkg"
    pyogrio.write_dataframe(workspace.read_layer("admin_units"), path, layer="admin_units")
    ws = _ws(tmp_path, "copy.gpkg")
    err = refused(ws, "boundaries", path)
    assert err.code == "several_levels" and "(province, district, ward)" in str(err)
    for level, accepted in (("province", 1), ("district", 1), ("ward", 4)):
        result = import_file(ws, "boundaries", path, level=level)
        assert result.rows_accepted == accepted and set(result.rejections["reason"]) == {"other_level"}
    copied = ws.read_layer("admin_units").set_index("code")
    assert copied.loc["19000", "parent_code"] == "901" and copied.loc["901", "parent_code"] == "99"
    assert set(copied["source"]) == {"file"}


def test_a_layer_is_named_for_a_level_by_its_words():
    from inspector.core.importers.boundary_read import levels_named

    assert levels_named("Huyện_Thị xã") == {"district"}  # thị xã is a town, at the district level
    assert levels_named("ranh_gioi_xa_phuong") == {"ward"} and levels_named("wards_2021") == {"ward"}
    assert levels_named("huyen_thixa") == {"district"} and levels_named("places") == set()
