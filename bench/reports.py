"""Benchmark: link 5,000 and 50,000 citizen reports to the venues of a 5,000 (or 50,000) venue province.

Usage: python bench/reports.py [--data bench/data] [--venues 5000 50000] [--reports 5000 50000] [--repeat N]

Generates (once, reused on later runs) a demo province of each size with one day of scans, and a
workspace with its boundaries and venues. Then for each number of reports it writes a reports CSV
drawn from the venues (a tenth giving a venue id, the rest a position: near a venue and naming it,
near one without naming it, 100-400 m from one, or no position at all) and measures:
  1. ``match``: finding the venue of every report (by id, then by position) against the registry,
  2. ``link_stored``: the same reports stored without a venue, linked as a venue import does,
  3. the whole reports import (read, check, match, store) into a fresh copy of the workspace.
Each figure is wall time, with the process's CPU time beside it (steadier on a shared machine).
Also prints how the reports matched, so the figures before and after a change can be compared.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADERS = ["Mã phản ánh", "Thời gian", "Mã cơ sở", "Vĩ độ", "Kinh độ", "Loại vi phạm", "Nội dung"]
#: what each report gives, with its share: an id; a position near a venue and its name in the text; a
#: position near one without its name; a position 100-400 m from one; nothing to place it by
SHARES = {"id": 0.1, "named": 0.4, "near": 0.25, "around": 0.15, "nowhere": 0.1}
M_PER_DEG = 111_320.0


def province(data: Path, venues: int) -> Path:
    """A workspace with the boundaries and ``venues`` venues of a generated province (built once)."""
    from inspector.core.workspace import Workspace
    from inspector.demo import generate
    from inspector.demo.build import import_folder

    folder = data / f"reports-{venues}"
    base = folder / "base.gpkg"
    if base.exists():
        return base
    if not (folder / "venues.csv").exists():
        generate(folder, seed=7, venues=venues, days=1, scans_per_day=1_000)
    building = folder / "base-building.gpkg"
    import_folder(Workspace.create(building, overwrite=True), folder, kinds=("boundaries", "venues"))
    building.replace(base)
    return base


def make_reports(venues: pd.DataFrame, n: int, seed: int = 11) -> pd.DataFrame:
    """``n`` reports about the ``venues`` (the registry's CSV), in the demo's reports columns."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(venues), n)
    kind = rng.choice(list(SHARES), n, p=list(SHARES.values()))
    u = rng.random(n)
    radius = np.select([kind == "named", kind == "near", kind == "around"], [30 * np.sqrt(u), 45 * np.sqrt(u),
                       100 + 300 * u], 0.0)
    bearing = rng.uniform(0, 2 * np.pi, n)
    lat0 = venues["Vĩ độ"].astype(float).to_numpy()[pick]
    lon0 = venues["Kinh độ"].astype(float).to_numpy()[pick]
    lat = lat0 + radius * np.cos(bearing) / M_PER_DEG
    lon = lon0 + radius * np.sin(bearing) / (M_PER_DEG * np.cos(np.deg2rad(lat0)))
    placed = np.isin(kind, ["named", "near", "around"])
    names = venues["Tên cơ sở"].to_numpy(object)[pick]
    text = np.where(kind == "named", names + ": không yêu cầu khách quét mã", "Không yêu cầu khách quét mã")
    minutes = np.datetime64("2021-08-02T07:00") + rng.integers(0, 28 * 1440, n).astype("timedelta64[m]")
    return pd.DataFrame({
        HEADERS[0]: [f"B{i + 1:06d}" for i in range(n)],
        HEADERS[1]: pd.DatetimeIndex(minutes).strftime("%d/%m/%Y %H:%M"),
        HEADERS[2]: np.where(kind == "id", venues["Mã cơ sở"].to_numpy(object)[pick], ""),
        HEADERS[3]: np.where(placed, np.round(lat, 6), np.nan),
        HEADERS[4]: np.where(placed, np.round(lon, 6), np.nan),
        HEADERS[5]: "Không yêu cầu khách quét mã",
        HEADERS[6]: text,
    })


def measure(base: Path, reports_csv: Path, work: Path) -> dict[str, object]:
    """Time ``match``, ``link_stored`` and the whole import of ``reports_csv`` against the venues of ``base``."""
    from inspector.core.importers import import_file, report_venues
    from inspector.core.text import clean
    from inspector.core.workspace import Workspace

    frame = pd.read_csv(reports_csv, dtype=str, keep_default_na=False)
    venue_text = frame[HEADERS[2]].map(clean)
    lat = pd.to_numeric(frame[HEADERS[3]], errors="coerce")
    lon = pd.to_numeric(frame[HEADERS[4]], errors="coerce")
    target = work / "bench.gpkg"
    shutil.copy(base, target)
    ws = Workspace.open(target)
    with ws.connect() as conn, _Clock() as read:
        venues = report_venues.registered_venues(conn)
    with _Clock() as matched:
        _, how = report_venues.match(venue_text, lat, lon, frame[HEADERS[6]], venues)
    with _Clock() as imported:
        result = import_file(ws, "reports", reports_csv)
    with ws.transaction() as conn:
        conn.execute("UPDATE citizen_reports SET venue_id = NULL, matched_by = 'none'")
    with ws.transaction() as conn, _Clock() as link:
        linked = report_venues.link_stored(conn)
    target.unlink()
    return {"registry": read, "match": matched, "import": imported, "link_stored": link,
            "accepted": result.rows_accepted,
            "how": {str(k): int(v) for k, v in pd.Series(how).value_counts().items()},
            "linked": sum(linked.values())}


class _Clock:
    """Wall and CPU seconds of a ``with`` block; prints as ``1.23 s (CPU 1.20 s)``."""

    def __enter__(self) -> _Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--venues", type=int, nargs="+", default=[5_000])
    parser.add_argument("--reports", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for n_venues in args.venues:
        t = time.perf_counter()
        base = province(args.data, n_venues)
        print(f"{n_venues:,} venues: {base} ({time.perf_counter() - t:.1f} s to get ready)")
        registry = pd.read_csv(base.parent / "venues.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
        for n in args.reports:
            path = base.parent / f"reports-{n}.csv"
            make_reports(registry, n).to_csv(path, index=False)
            for run in range(args.repeat):
                m = measure(base, path, base.parent)
                print(f"  {n:,} reports, run {run + 1}: match {m['match']}, link_stored {m['link_stored']}, "
                      f"import {m['import']}; registry read {m['registry']}")
                print(f"    matched: {m['how']}; accepted {m['accepted']:,}, linked by link_stored {m['linked']:,}")


if __name__ == "__main__":
    main()
