"""The small demo province several test modules read (generated once per test run), and table helpers."""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from inspector.core.importers.report_venues import match
from inspector.demo import DemoFiles, generate

# Rates raised over the defaults so that a small province shows every kind several times.
RATES = {"no_board": 0.05, "unscannable": 0.05, "wrong_location": 0.05, "cloned_board": 0.05,
         "staff_not_scanning": 0.3, "low_participation": 0.05, "outside_declared_ward": 0.03}


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    return generate(tmp_path_factory.mktemp("demo"), venues=600, days=7, rates=RATES)


@pytest.fixture(scope="session")
def tables(demo: DemoFiles) -> dict[str, pd.DataFrame]:
    venues = pd.read_csv(demo.venues, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    scans = pd.read_csv(demo.scans, dtype={"venue_id": str, "phone": str, "role": str})
    scans["time"] = pd.to_datetime(scans["timestamp"], format="%Y-%m-%d %H:%M:%S")
    reg = venues.set_index("Mã cơ sở")
    lon0 = reg.loc[scans["venue_id"], "Kinh độ"].astype(float).to_numpy()
    lat0 = reg.loc[scans["venue_id"], "Vĩ độ"].astype(float).to_numpy()
    scans["dist_m"] = metres(scans["lon"], scans["lat"], lon0, lat0)
    truth = pd.read_csv(demo.truth, dtype=str, keep_default_na=False)
    reports = pd.read_excel(demo.reports, sheet_name="Phản ánh", dtype=str, keep_default_na=False,
                            engine="openpyxl")  # named: with python-calamine installed, pandas warns of its default
    return {"venues": venues, "scans": scans, "truth": truth, "reports": reports}


def metres(lon: pd.Series, lat: pd.Series, lon0: np.ndarray, lat0: np.ndarray) -> np.ndarray:
    dy = (np.asarray(lat, float) - lat0) * 111_320
    dx = (np.asarray(lon, float) - lon0) * 111_320 * np.cos(np.deg2rad(lat0))
    return np.hypot(dx, dy)


def planted(tables: dict[str, pd.DataFrame], kind: str) -> pd.DataFrame:
    truth = tables["truth"]
    return truth[truth["kind"] == kind]


#: a venue registry's header as a ward writes it, and rows for it (tables read from workbooks and CSV)
HEADER = ["Mã cơ sở", "Tên cơ sở", "Phường/Xã", "Vĩ độ", "Kinh độ", "Ngày đăng ký"]


def venue_rows(prefix: str, n: int = 3) -> list[list[object]]:
    return [[f"{prefix}{i}", f"Quán {prefix}{i}", "Phường Đông Ba", 16.445, 107.555, "2021-01-27"]
            for i in range(1, n + 1)]


def rejected_lines(path: Path) -> list[list[str]]:
    """The rows of a row file (``FILE.rejected.csv``) as text."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def registry_frame(registry: dict[str, tuple[str, str]]) -> gpd.GeoDataFrame:
    """Registered venues from ``{venue id: (name, address)}``, at points along a street of Huế."""
    ids = list(registry)
    points = shapely.points(np.c_[np.linspace(107.55, 107.60, len(ids)), np.full(len(ids), 16.46)])
    return gpd.GeoDataFrame({"venue_id": ids, "qr_payload": "", "name": [registry[i][0] for i in ids],
                             "address": [registry[i][1] for i in ids]}, geometry=points, crs="EPSG:4326")


def linked_reports(reports: list[tuple[str, str]], registry: dict[str, tuple[str, str]],
                   ids: list[str] | None = None) -> list[tuple[str | None, str]]:
    """(venue, how) of each (name, address) report without a position, matched against ``registry``."""
    n = len(reports)
    text = pd.Series(ids or [""] * n, dtype=object)
    nowhere = pd.Series([np.nan] * n)
    names, addresses = (pd.Series([r[i] for r in reports], dtype=object) for i in (0, 1))
    venue, how = match(text, nowhere, nowhere, pd.Series([""] * n, dtype=object), registry_frame(registry), names,
                       addresses)
    return [(v if isinstance(v, str) else None, h) for v, h in zip(venue, how, strict=True)]


@pytest.fixture(scope="session")
def import_template(tmp_path_factory: pytest.TempPathFactory):
    """A small workspace (four wards, four venues) built once, copied fresh by each import fuzz example."""
    from tests.core.fuzzing import template_workspace

    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:  # the autouse private folders are not set up yet for a session fixture
        mp.setenv("INSPECTOR_DATA_DIR", str(folder / "data"))
        mp.setenv("INSPECTOR_CACHE_DIR", str(folder / "cache"))
        return template_workspace(folder)
