"""Benchmark: link citizen reports without a position by the venue name or the address they give.

Usage: python bench/report_names.py [--venues 50000] [--reports 50000] [--repeat N]

Builds a registry of fictional venues (the demo's names and addresses: inspector/demo/names.py) and
reports without an id or a position, each giving one of: the venue's name as registered, its name
written differently (the category word swapped for an abbreviation or left out, "Cty" for "Công ty"),
its distinctive part with another category word, its name with another category word of the same
family stacked before it ("Cửa hàng tạp hóa ..."), a name nobody registered, or only the venue's address
(as registered, or with "P." and "số", or only its house number and street, half of those with its ward);
half those giving a name give the address too. Times ``report_venues.match`` on them (wall and CPU
seconds) and prints how the reports matched; then the same with half the reports giving their venue's
ward in a column of their own. Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: what each report gives, with its share
SHARES = {"registered": 0.25, "abbreviated": 0.15, "no_category": 0.1, "other_category": 0.1, "stacked": 0.05,
          "unknown": 0.1, "address": 0.1, "address_written": 0.05, "address_partial": 0.1}
_REWRITES = (("Quán cà phê ", "Cafe "), ("Cà phê ", "cf "), ("Công ty TNHH ", "Cty TNHH "),
             ("UBND ", "Ủy ban nhân dân "), ("Trường THPT ", "THPT "), ("Nhà thuốc ", "Hiệu thuốc "),
             ("Bệnh viện ", "BV "), ("Phường ", "P. "))
#: a category word with another of its family before it, as people stack them
_STACKED = (("Tạp hóa ", "Cửa hàng tạp hóa "), ("Cà phê ", "Quán cà phê "), ("Quán nhậu ", "Nhà hàng quán nhậu "),
            ("Nhà hàng ", "Quán nhà hàng "), ("Tiệm ", "Cửa hàng tiệm "))


def registry(n: int, seed: int = 5) -> gpd.GeoDataFrame:
    """``n`` fictional venues of a province: id, name, address and a point."""
    from inspector.core import vocab
    from inspector.demo import names

    rng = np.random.default_rng(seed)
    specs = vocab.categories()
    share = np.array([s["share"] for s in specs.values()])
    categories = rng.choice(list(specs), n, p=share / share.sum())
    places = np.array(names.place_names(rng, 160), dtype=object)
    ward = rng.integers(0, len(places), n)
    district = np.array([f"Huyện {p}" for p in places[:12]], dtype=object)[ward % 12]
    wards = np.array([f"Phường {p}" for p in places], dtype=object)[ward]
    venue_names = names.venue_names(rng, categories, wards, places[ward], district)
    points = shapely.points(rng.uniform(107.3, 107.9, n), rng.uniform(16.2, 16.7, n))
    from inspector.core.venue_names import unit_form

    units = {(w, d): (unit_form(w, "ward"), unit_form(d, "district")) for w, d in zip(wards, district, strict=True)}
    return gpd.GeoDataFrame({"venue_id": [f"V{i:06d}" for i in range(n)], "qr_payload": "", "name": venue_names,
                             "address": names.addresses(rng, wards, district), "ward": wards,
                             "units": [units[w, d] for w, d in zip(wards, district, strict=True)]},
                            geometry=points, crs="EPSG:4326")


def reports(venues: gpd.GeoDataFrame, n: int, seed: int = 9) -> tuple[pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """The venue name and the address each of ``n`` reports gives (see ``SHARES``), its kind and the venue drawn."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(venues), n)
    kind = rng.choice(list(SHARES), n, p=list(SHARES.values()))
    name = venues["name"].to_numpy(dtype=object)[pick]
    address = venues["address"].to_numpy(dtype=object)[pick]
    given_name, given_address = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    with_address = rng.random(n) < 0.5  # half the reports giving a name give the venue's address too
    for i, (k, nm, ad) in enumerate(zip(kind, name, address, strict=True)):
        if k not in ("address", "address_written", "address_partial", "unknown") and with_address[i]:
            given_address[i] = ad
        if k == "registered":
            given_name[i] = nm
        elif k == "abbreviated":
            given_name[i] = next((nm.replace(a, b, 1) for a, b in _REWRITES if nm.startswith(a)), nm.lower())
        elif k == "no_category":
            given_name[i] = nm.split(" ", 2)[-1]
        elif k == "other_category":
            given_name[i] = "Nhà hàng " + nm.split(" ", 2)[-1]
        elif k == "stacked":
            given_name[i] = next((nm.replace(a, b, 1) for a, b in _STACKED if nm.startswith(a)), "Cửa hàng " + nm)
        elif k == "unknown":
            given_name[i] = f"Quán {rng.integers(1000, 9999)} Không Tên"
        elif k == "address":
            given_address[i] = ad
        elif k == "address_partial":  # "12 Lê Lợi", or "12 Lê Lợi, P. Vĩnh Ninh"
            parts = ad.split(", ")
            given_address[i] = parts[0] if i % 2 else f"{parts[0]}, {parts[1].replace('Phường ', 'P. ')}"
        else:
            given_address[i] = "Số " + ad.replace("Phường ", "P. ").replace(",", "")
    return pd.Series(given_name, dtype=object), pd.Series(given_address, dtype=object), kind, pick


def main() -> None:
    from inspector.core.importers import report_venues

    parser = argparse.ArgumentParser()
    parser.add_argument("--venues", type=int, default=50_000)
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    venues = registry(args.venues)
    name, address, kind, pick = reports(venues, args.reports)
    n = len(name)
    nowhere = pd.Series(np.full(n, np.nan))
    # the same reports, half of them also giving the venue's ward in a column of its own ("Phường/Xã")
    from inspector.core.venue_names import unit_form

    ward = venues["ward"].to_numpy(dtype=object)[pick]
    in_column = pd.Series([(unit_form(w, "ward"),) if i % 2 else () for i, w in enumerate(ward)], dtype=object)
    for label, units in (("", None), (", half giving the ward in a column", in_column)):
        for run in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            found, how = report_venues.match(pd.Series([""] * n, dtype=object), nowhere, nowhere,
                                             pd.Series([""] * n, dtype=object), venues, name, address, units)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"{n:,} reports without a position{label}, {len(venues):,} venues, run {run + 1}: "
                  f"match {wall:.2f} s (CPU {cpu:.2f} s)")
        print("  matched:", {str(k): int(v) for k, v in pd.Series(how).value_counts().items()})
        # per kind of report: linked to the venue it was drawn from, to another (of the same name or address as
        # written, registered too), or to none
        drawn = venues["venue_id"].to_numpy(dtype=object)[pick]
        outcome = np.select([pd.isna(found), found == drawn], ["none", "drawn"], "other")
        print(pd.crosstab(pd.Series(kind, name="report gives"), pd.Series(outcome, name="linked to")).to_string())


if __name__ == "__main__":
    main()
