"""Zipped boundary files as people make them: a folder zipped whole, several files, names in Vietnamese."""

import warnings
import zipfile
from pathlib import Path

import pyogrio
import pytest

from inspector.core.i18n import translator
from inspector.core.importers import import_file
from inspector.core.importers.boundary_read import layer_sizes
from inspector.core.importers.outcome import summary
from inspector.core.messages import render
from inspector.core.workspace import Workspace
from tests.conftest import cp1258_form, refused, tiny_wards

SHAPEFILE = ("shp", "shx", "dbf", "prj", "cpg")


def _ws(tmp_path, name="w.gpkg"):
    return Workspace.create(tmp_path / name)


class _Stored(zipfile.ZipInfo):
    """A zip entry whose name is stored as the given bytes, without the UTF-8 flag (as Windows zips names)."""

    stored = b""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own name
        return self.stored, self.flag_bits & ~0x800


def _add(archive: zipfile.ZipFile, name: str, data: bytes, names_as: str) -> None:
    """Add ``data`` as ``name``: with the UTF-8 flag (``"flag"``), or its bytes in ``names_as`` without it."""
    if names_as == "flag":
        archive.writestr(name, data)
        return
    stored = (cp1258_form(name) if names_as == "cp1258" else name).encode(names_as)
    info = _Stored(stored.decode("cp437"))  # what zipfile, and GDAL, read the bytes as
    info.stored = stored
    archive.writestr(info, data)


def _shapefile(folder: Path, stem: str, frame) -> dict[str, bytes]:
    """``frame`` as a Shapefile in ``folder``: its files' bytes by extension."""
    folder.mkdir(exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # long column names are cut to 10 characters
        pyogrio.write_dataframe(frame, folder / f"{stem}.shp")
    return {ext: (folder / f"{stem}.{ext}").read_bytes() for ext in SHAPEFILE if (folder / f"{stem}.{ext}").exists()}


def _wards_and_district(tmp_path):
    """The tiny wards in UTM and their district (named by dvhcvn's columns), as two Shapefiles' bytes."""
    wards = tiny_wards().to_crs("EPSG:32648")[["ward_code", "ward_name", "geometry"]]
    district = tiny_wards().dissolve("district_code", as_index=False)
    district = district.rename(columns={"district_code": "level2_id", "province_code": "level1_id",
                                        "district_name": "name"})[["level1_id", "level2_id", "name", "geometry"]]
    return _shapefile(tmp_path / "src", "xa", wards), _shapefile(tmp_path / "src", "huyen", district)


def _zip(path: Path, files: dict[str, bytes], names_as: str = "flag") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            _add(archive, name, data, names_as)
    return path


# -- a folder zipped whole -------------------------------------------------------------------------
@pytest.mark.parametrize("names_as", ["flag", "utf-8", "cp1258"])
def test_a_shapefile_in_a_folder_of_the_zip_is_found_whatever_its_names_encoding(tmp_path, names_as):
    """Windows' "Send to → Compressed folder" keeps the folder; older Windows store names in their code page."""
    wards, _ = _wards_and_district(tmp_path)
    path = _zip(tmp_path / "wards_utm.zip", {f"Ranh giới xã/Xã phường.{ext}": data for ext, data in wards.items()},
                names_as)
    ws = _ws(tmp_path)
    result = import_file(ws, "boundaries", path, level="ward")
    assert result.rows_accepted == 4 and result.layer is None and result.other_layers == []
    units = ws.read_layer("admin_units").set_index("code")
    assert units.loc["19001", "name"] == "Phường Tây Lộc"
    assert units.loc["19000"].geometry.bounds == pytest.approx((107.55, 16.44, 107.57, 16.46), abs=1e-6)


def test_the_zip_of_a_folder_imports_as_the_zip_of_its_files(tmp_path):
    wards, _ = _wards_and_district(tmp_path)
    flat = _zip(tmp_path / "flat.zip", {f"xa.{ext}": data for ext, data in wards.items()})
    nested = _zip(tmp_path / "nested.zip", {f"Ranh gioi xa/xa.{ext}": data for ext, data in wards.items()}
                  | {"__MACOSX/Ranh gioi xa/._xa.shp": b"\0\5\x16\7", "Ranh gioi xa/Thumbs.db": b"x"})
    first, second = _ws(tmp_path, "flat.gpkg"), _ws(tmp_path, "nested.gpkg")
    import_file(first, "boundaries", flat, level="ward")
    import_file(second, "boundaries", nested, level="ward")
    columns = ["code", "name", "level", "parent_code", "area_km2"]
    assert (first.read_layer("admin_units")[columns].sort_values("code").values.tolist()
            == second.read_layer("admin_units")[columns].sort_values("code").values.tolist())


# -- several files in one zip ---------------------------------------------------------------------
def test_several_shapefiles_in_a_zip_are_its_layers(tmp_path):
    wards, district = _wards_and_district(tmp_path)
    path = _zip(tmp_path / "ranh_gioi.zip", {f"Ranh giới/xa.{ext}": data for ext, data in wards.items()}
                | {f"Ranh giới/huyen.{ext}": data for ext, data in district.items()}, "cp1258")
    assert layer_sizes(path) == [("Ranh giới/xa.shp", 4), ("Ranh giới/huyen.shp", 1)]  # the most detailed first
    ws = _ws(tmp_path)
    result = import_file(ws, "boundaries", path, level="ward")
    assert result.rows_accepted == 4 and (result.layer, result.other_layers) == (
        "Ranh giới/xa.shp", ["Ranh giới/huyen.shp"])
    assert summary(result, lambda s: s, "en")[1][0].startswith(
        "Read “Ranh giới/xa.shp”; the zip holds other files of areas too: “Ranh giới/huyen.shp”.")
    district_read = import_file(ws, "boundaries", path, layer="huyen")  # its file's name is enough
    assert district_read.rows_accepted == 1 and district_read.layer == "Ranh giới/huyen.shp"
    assert import_file(ws, "boundaries", path, layer="Ranh giới/huyen.shp").already_imported_at is not None
    assert import_file(_ws(tmp_path, "d.gpkg"), "boundaries", path, level="district").layer == "Ranh giới/huyen.shp"
    units = ws.read_layer("admin_units").set_index("code")
    assert units.loc["901", "source"] == "file" and set(units.loc[units["level"] == "ward", "parent_code"]) == {"901"}


def test_an_unknown_file_of_a_zip_is_refused_listing_its_files(tmp_path):
    wards, district = _wards_and_district(tmp_path)
    path = _zip(tmp_path / "two.zip", {f"xa.{ext}": data for ext, data in wards.items()}
                | {f"huyen.{ext}": data for ext, data in district.items()})
    err = refused(_ws(tmp_path), "boundaries", path, layer="tinh")
    assert err.code == "unknown_layer" and "“xa.shp”, “huyen.shp”" in str(err)


def test_geojson_and_geopackages_in_a_zip_are_read_too(tmp_path):
    wards = tiny_wards()
    gpkg = tmp_path / "all.gpkg"
    pyogrio.write_dataframe(wards, gpkg, layer="phuong_xa")
    district = wards.dissolve("district_code", as_index=False)[["district_code", "district_name", "geometry"]]
    pyogrio.write_dataframe(district.rename(columns={"district_code": "code", "district_name": "name"}), gpkg,
                            layer="quan_huyen", append=True, promote_to_multi=True)
    path = _zip(tmp_path / "mixed.zip", {"Dữ liệu/all.gpkg": gpkg.read_bytes(),
                                         "Dữ liệu/xa.geojson": wards.to_json().encode()})
    assert layer_sizes(path) == [("Dữ liệu/all.gpkg/phuong_xa", 4), ("Dữ liệu/all.gpkg/quan_huyen", 1),
                                 ("Dữ liệu/xa.geojson", 4)]
    ws = _ws(tmp_path)
    assert import_file(ws, "boundaries", path, level="district").layer == "Dữ liệu/all.gpkg/quan_huyen"
    assert import_file(ws, "boundaries", path, layer="Dữ liệu/xa.geojson").rows_accepted == 4
    only = _zip(tmp_path / "one.zip", {"ranh_gioi/xa.geojson": wards.to_json().encode()})
    assert import_file(_ws(tmp_path, "one.gpkg"), "boundaries", only).rows_accepted == 4


# -- zips that give nothing -----------------------------------------------------------------------
def test_a_zip_without_geographic_files_is_refused_naming_what_it_holds(tmp_path):
    files = {f"Bản đồ/xa.{ext}": b"x" for ext in ("TAB", "DAT", "MAP", "ID")} | {"Bản đồ/Đọc tôi.txt": b"x"}
    path = _zip(tmp_path / "ban_do.zip", files, "cp1258")
    ws = _ws(tmp_path)
    err = refused(ws, "boundaries", path)
    assert err.code == "zip_without_geodata"
    assert str(err).endswith("it holds: “Bản đồ/xa.TAB”, “Bản đồ/xa.DAT”, “Bản đồ/xa.MAP”, “Bản đồ/xa.ID”, "
                             "“Bản đồ/Đọc tôi.txt”.")
    vietnamese = render(err.code, err.params, translator("vi"))
    assert vietnamese.startswith("ban_do.zip không chứa tệp dữ liệu địa lý nào") and "Bản đồ/xa.TAB" in vietnamese
    many = _zip(tmp_path / "many.zip", {f"scan_{k}.pdf": b"%PDF" for k in range(11)})
    assert str(refused(ws, "boundaries", many)).endswith("“scan_7.pdf” and 3 other files.")


def test_a_damaged_or_empty_zip_is_refused_saying_so(tmp_path):
    damaged = tmp_path / "cut.zip"
    _zip(tmp_path / "whole.zip", {"xa.geojson": tiny_wards().to_json().encode()})
    damaged.write_bytes((tmp_path / "whole.zip").read_bytes()[:200])
    ws = _ws(tmp_path)
    assert refused(ws, "boundaries", damaged).code == "bad_zip"
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as archive:
        archive.mkdir("Ranh giới")
    assert refused(ws, "boundaries", tmp_path / "empty.zip").code == "empty_file"
