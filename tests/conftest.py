"""Shared fixtures: small workspaces built from tiny hand-made files, and the real Huế data."""

from __future__ import annotations

import functools
import subprocess
import unicodedata
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from inspector.core.errors import InputError
from inspector.core.importers import import_file
from inspector.core.workspace import Workspace

HUE_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "hue"
if not HUE_DATA.exists():  # checkouts placed elsewhere: the project's sibling folder
    HUE_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "hue"


@pytest.fixture(autouse=True)
def _private_folders(tmp_path_factory, monkeypatch):
    """Keep every test's user data and cache folders out of the real home folder."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("INSPECTOR_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(base / "cache"))


@pytest.fixture
def hue() -> Path:
    """Folder of the real Thừa Thiên Huế boundaries; skips the test when it is not there."""
    if not HUE_DATA.is_dir():
        pytest.skip("real Huế data (../shared/data/hue) not present")
    return HUE_DATA


def tiny_wards() -> gpd.GeoDataFrame:
    """Four 2 km x 2 km wards in one district near Huế (a 2 x 2 grid)."""
    x0, y0, d = 107.55, 16.44, 0.02
    rows = []
    names = ["Phường Đông Ba", "Phường Tây Lộc", "Xã Hương An", "Xã Phú Hòa"]
    for k, name in enumerate(names):
        i, j = k % 2, k // 2
        rows.append({
            "ward_code": f"{19000 + k}", "ward_name": name, "district_code": "901",
            "district_name": "Thành phố Mẫu", "province_code": "99", "province_name": "Tỉnh Mẫu",
            "population": 10000 + k,
            "geometry": shapely.box(x0 + i * d, y0 + j * d, x0 + (i + 1) * d, y0 + (j + 1) * d),
        })
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


@pytest.fixture
def wards_file(tmp_path) -> Path:
    path = tmp_path / "wards.geojson"
    tiny_wards().to_file(path, driver="GeoJSON")
    return path


@pytest.fixture
def workspace(tmp_path, wards_file) -> Workspace:
    """A workspace holding the four tiny wards (and their derived district and province)."""
    ws = Workspace.create(tmp_path / "ws.gpkg")
    import_file(ws, "boundaries", wards_file)
    return ws


#: Timestamps that every import reads (one list of formats, inspector.core.io.timestamps), and the
#: local time (UTC+7) each means.
TIMESTAMPS = {
    "2021-08-13 10:00:00 +0700": "2021-08-13 10:00",
    "2021-08-13 20:00:00 -0500": "2021-08-14 08:00",
    "2021-08-13T03:00:00Z": "2021-08-13 10:00",
    "13-08-2021": "2021-08-13 00:00",
    "2021/08/13": "2021-08-13 00:00",
    "13/08/2021 10:05 AM": "2021-08-13 10:05",
    "13/08/2021 11:30:00 pm": "2021-08-13 23:30",
    "13/08/2021 10:00:00 SA": "2021-08-13 10:00",
    "13/08/2021 11:30 CH": "2021-08-13 23:30",
    "13/08/2021 12:15 SA": "2021-08-13 00:15",
}


VENUES_CSV = """\
Mã cơ sở,Tên cơ sở,Loại hình,Phường/Xã,Vĩ độ,Kinh độ,Số nhân viên,Sức chứa
V1,Quán cà phê Hoa Sen,Quán cà phê,Phường Đông Ba,16.4450,107.5550,4,40
V2,UBND Phường Tây Lộc,Cơ quan,Phường Tây Lộc,16.4450,107.5750,35,80
V3,Chợ Hương An,Chợ,Xã Hương An,16.4650,107.5550,120,2000
V4,Nhà hàng Phú Hòa,Nhà hàng,Xã Phú Hòa,16.4650,107.5750,12,150
"""


@pytest.fixture
def venues_file(tmp_path) -> Path:
    path = tmp_path / "venues.csv"
    path.write_text(VENUES_CSV, encoding="utf-8")
    return path


@pytest.fixture
def venue_workspace(workspace, venues_file) -> Workspace:
    import_file(workspace, "venues", venues_file)
    return workspace


def snapshot(ws: Workspace) -> dict:
    """Everything a test may compare to prove a failed import changed nothing."""
    with ws.connect() as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM gpkg_contents ORDER BY table_name").fetchall()]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


def refused(ws: Workspace, kind: str, path: Path, **options: object) -> InputError:
    """Import ``path`` expecting a refusal; check the workspace is unchanged and return the error."""
    before = snapshot(ws)
    with pytest.raises(InputError) as err:
        import_file(ws, kind, path, **options)
    assert snapshot(ws) == before
    return err.value


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_form(text):
    """Windows-1258 keeps ơ, ư, â... precomposed but stores the five tone marks as combining marks."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)) + tones)
    return "".join(out)


@functools.cache
def _gdal_validator() -> tuple[str, ...] | None:
    """GDAL's own GeoPackage validator (``validate_gpkg``, Debian's python3-gdal), as a command, if installed."""
    check = ["-c", "import osgeo_utils.samples.validate_gpkg"]
    for python in ("/usr/bin/python3", "python3"):
        try:
            if subprocess.run([python, *check], capture_output=True).returncode == 0:
                return (python, "-m", "osgeo_utils.samples.validate_gpkg", "--extra", "--warning-as-error")
        except OSError:
            continue
    return None


def gdal_validation(path: Path) -> str | None:
    """What GDAL's GeoPackage validator says is wrong with ``path``: "" when nothing, None without the validator."""
    command = _gdal_validator()
    if command is None:
        return None
    out = subprocess.run([*command, str(path)], capture_output=True, text=True)
    said = (out.stdout + out.stderr).strip().splitlines()  # a failed requirement ends a traceback
    return "" if out.returncode == 0 else said[-1] if said else f"exit code {out.returncode}"
