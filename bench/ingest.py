"""Benchmark: import a 10,000,000-scan log (50,000 venues) and compare with DuckDB's bare count(*).

Usage: python bench/ingest.py [--data bench/data] [--repeat N]

Generates the demo province once (reused on later runs), prepares a workspace with its boundaries
and venues, then, each in a fresh process so peak memory is its own:
  1. DuckDB ``SELECT count(*)`` over the CSV (the cost of just reading it),
  2. our scan import (read, parse, pseudonymise, aggregate, write the workspace).
Prints wall times, peak RSS and the ratio import / count(*) (targets: ratio <= 3, RSS <= 1 GB), and
for context: DuckDB reading all six columns, DuckDB's own group-by of venue and day, and DuckDB
reading just the fields the import needs into their types (the floor for any engine's import).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COUNT = """
import duckdb, json, resource, sys, time
source = f"read_csv('{sys.argv[1]}', header=true, all_varchar=true)"
query = {
    "count": f"SELECT count(*) FROM {source}",
    "columns": f"SELECT count(timestamp), count(venue_id), count(phone), count(role), count(lat), count(lon) "
               f"FROM {source}",
    "groupby": f"SELECT venue_id, CAST(strptime(timestamp, '%Y-%m-%d %H:%M:%S') AS DATE) AS day, count(*) "
               f"FROM {source} GROUP BY ALL",
    # Just the fields the import needs, each read into its type (time, venue looked up, phone as a
    # number, coordinates, distance to the venue) and returned as Arrow: no checks, no aggregates.
    "typed": f"SELECT v.fid AS vidx, epoch(strptime(s.timestamp, '%Y-%m-%d %H:%M:%S'))::UINTEGER AS t, "
             f"hash(try_cast(regexp_replace(s.phone, '[^0-9]', '', 'g') AS BIGINT)) AS pkey, s.role, "
             f"sqrt(((try_cast(s.lat AS DOUBLE) - v.lat) * 111195) ^ 2 "
             f"+ ((try_cast(s.lon AS DOUBLE) - v.lon) * 106700) ^ 2)::FLOAT AS dist "
             f"FROM {source} s LEFT JOIN v ON s.venue_id = v.venue_id",
}[sys.argv[2]]
if sys.argv[2] == "typed":  # the registry, from the workspace
    import sqlite3
    import pandas
    v = pandas.read_sql("SELECT fid, venue_id, lat, lon FROM venues", sqlite3.connect(sys.argv[3]))
    duckdb.register("v", v)
t = time.perf_counter()
if sys.argv[2] == "typed":
    n = duckdb.sql(query).fetch_record_batch().read_all().num_rows
else:
    n = len(duckdb.sql(query).fetchall()) if sys.argv[2] == "groupby" else duckdb.sql(query).fetchall()[0][0]
wall = time.perf_counter() - t
print(json.dumps({"rows": n, "wall": wall, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

IMPORT = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from inspector.core.importers import import_file
from inspector.core.workspace import Workspace
ws = Workspace.open(sys.argv[1])
t = time.perf_counter()
r = import_file(ws, "scans", sys.argv[2])
wall = time.perf_counter() - t
print(json.dumps({"rows": r.rows_total, "accepted": r.rows_accepted, "days": r.counts.added, "wall": wall,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--venues", type=int, default=50_000)
    parser.add_argument("--scans-per-day", type=int, default=357_143)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    from inspector.core.workspace import Workspace
    from inspector.demo import generate
    from inspector.demo.build import import_folder

    folder = args.data / f"province-{args.venues}"
    scans = folder / "scans.csv"
    if not scans.exists():
        t = time.perf_counter()
        generate(folder, seed=7, venues=args.venues, days=args.days, scans_per_day=args.scans_per_day)
        print(f"generated {folder} in {time.perf_counter() - t:.1f} s")
    base = folder / "base.gpkg"
    if not base.exists():
        import_folder(Workspace.create(folder / "base-building.gpkg", overwrite=True), folder,
                      kinds=("boundaries", "venues"))
        (folder / "base-building.gpkg").replace(base)
    size_mb = scans.stat().st_size / 2**20
    print(f"scan log: {scans} ({size_mb:,.0f} MB)")
    for run in range(args.repeat):
        target = folder / "bench.gpkg"
        shutil.copy(base, target)
        count = _child(COUNT, str(scans), "count")
        columns = _child(COUNT, str(scans), "columns")
        groupby = _child(COUNT, str(scans), "groupby")
        typed = _child(COUNT, str(scans), "typed", str(base))
        ingest = _child(IMPORT, str(target), str(scans), str(ROOT))
        ratio = ingest["wall"] / count["wall"]
        print(f"run {run + 1}: duckdb count(*) {count['rows']:,} rows in {count['wall']:.2f} s "
              f"(peak RSS {count['rss_mb']:.0f} MB)")
        print(f"run {run + 1}: duckdb reading all six columns {columns['wall']:.2f} s; "
              f"duckdb group by venue and day {groupby['wall']:.2f} s ({groupby['rss_mb']:.0f} MB)")
        print(f"run {run + 1}: duckdb reading the fields the import needs into their types "
              f"{typed['wall']:.2f} s ({typed['wall'] / count['wall']:.2f} x count(*))")
        print(f"run {run + 1}: import {ingest['rows']:,} rows ({ingest['accepted']:,} accepted, "
              f"{ingest['days']:,} venue-days) in {ingest['wall']:.2f} s (peak RSS {ingest['rss_mb']:.0f} MB)")
        print(f"run {run + 1}: ratio import / count(*) = {ratio:.2f}  (target <= 3; RSS target <= 1024 MB); "
              f"import / reading all columns = {ingest['wall'] / columns['wall']:.2f}")
        target.unlink()


def _child(code: str, *argv: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
