"""Generate the demo province: boundaries, venues, scans and reports with planted violations."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from inspector.core import resources
from inspector.core.errors import Progress
from inspector.core.progress import report, sub_progress
from inspector.demo import reports, scans, units, violations
from inspector.demo.files import Staging, write_geojson
from inspector.demo.venues import make_venues, write_venues

#: A café name that must be escaped in HTML and XML (placed on one violating café).
TRICKY_NAME = 'Quán "Góc Phố" <Bar> & Cà phê'

@dataclass(frozen=True)
class DemoFiles:
    """Paths of the generated files and what they hold."""

    province: Path
    districts: Path
    wards: Path
    venues: Path
    scans: Path
    reports: Path
    truth: Path
    n_venues: int
    n_scans: int
    n_reports: int
    planted: Mapping[str, int] = field(default_factory=dict)  #: planted violations per kind


def generate(out_dir: Path, *, seed: int = 1, venues: int = 5000, days: int = 28,
             scans_per_day: int | None = None, boundaries: Path | None = None,
             start: datetime.date = datetime.date(2021, 8, 2), rates: dict[str, float] | None = None,
             registered_in_period: float | None = None, progress: Progress | None = None) -> DemoFiles:
    """Write a complete demo data set into ``out_dir``.

    The same arguments give byte-identical files. Files are written under temporary names and
    renamed only when everything succeeded: if ``progress`` raises
    :class:`~inspector.core.errors.Cancelled` (or anything fails) ``out_dir`` is left as it was.

    Parameters
    ----------
    out_dir
        Folder to write into (created if missing).
    seed
        Seed of ``numpy.random.default_rng``; every random draw comes from it (no clock, no hashing).
    venues
        Number of venues.
    days
        Length of the scan period in days, from ``start``.
    scans_per_day
        Province total per day to aim at (on average), scaling every venue's visitors (staff keep scanning
        as they do unless the total is below what they scan alone); by default each venue's volume
        follows its category, capacity and staff (``resources/demo.toml``).
    boundaries
        Optional GeoJSON / Shapefile / GeoPackage of real wards (kept as they are) or districts (cut
        into generated wards) instead of the synthetic province.
    start
        First day.
    rates
        Overrides of the planted-violation rates of ``resources/demo.toml`` (kind -> probability).
    registered_in_period
        Share of the active compliant venues registered during the period (opened late: no scan
        before their registration day); by default ``[venues].registered_in_period`` of ``demo.toml``.
    progress
        ``progress(done, total)``, called regularly; may raise ``Cancelled``.

    Returns
    -------
    DemoFiles
        The written paths and counts.

    Raises
    ------
    ValueError
        On a non-positive count, an unknown violation kind or rates that sum above 1.
    """
    if venues < 1 or days < 1 or (scans_per_day is not None and scans_per_day < 0):
        raise ValueError("venues and days must be positive and scans_per_day not negative")
    config = resources.load_toml("demo.toml")
    merged = _rates(config["rates"], rates)
    categories = {code: {**spec, **config["category"].get(code, config["category"]["other"])}
                  for code, spec in resources.load_toml("categories.toml").items()}
    # One independent stream per step, so that changing one step leaves the others' draws alone.
    rngs = np.random.default_rng(seed).spawn(6)  # (the first five are those of five, as before)
    out_dir = Path(out_dir)
    created = [d for d in (out_dir, *out_dir.parents) if not d.exists()]  # removed again on failure
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Staging(out_dir)
    try:
        report(progress, 0, 100)
        if boundaries is None:
            admin = units.synthetic(rngs[0], config["units"])
        else:
            admin = units.from_file(Path(boundaries), rngs[0], config["units"])
        for layer, frame in (("province", admin.province), ("districts", admin.districts),
                             ("wards", admin.wards)):
            write_geojson(frame, staging.part(f"{layer}.geojson"), layer)
        report(progress, 4, 100)

        table = make_venues(rngs[1], admin.wards, venues, categories, config["venues"], start)
        working = np.array([bool(categories[c]["working_days"]) for c in table["category"]])
        table, planted = violations.plant(rngs[2], table, admin.wards, admin.province.geometry.iloc[0],
                                          working, merged, config["violations"], days)
        table = _tricky_name(table, planted)
        late = config["venues"]["registered_in_period"] if registered_in_period is None else registered_in_period
        if late > 0 and days > 1:
            table = _registered_late(rngs[5], table, planted, float(late), start, days)
        report(progress, 8, 100)

        district_codes = list(dict.fromkeys(admin.wards["district_code"]))
        pop = admin.wards.groupby("district_code", sort=False)["population"].sum().loc[district_codes]
        persons = scans.make_persons(rngs[3], pop.to_numpy(float), config["scans"]["persons_per_resident"])
        venue_district = np.asarray([district_codes.index(c) for c in table["district_code"]])
        n_scans = scans.write_scans(staging.part("scans.csv"), rngs[3], table, planted, persons,
                                    venue_district, categories, config["scans"], start, days,
                                    scans_per_day, sub_progress(progress, 10, 85))
        report(progress, 95, 100)

        write_venues(table, staging.part("venues.csv"))
        found, false_truth = reports.make_reports(rngs[4], table, planted, start, days, config["reports"])
        reports.write_reports(found, staging.part("reports.xlsx"))
        truth = pd.concat([violations.truth_rows(table, planted, start), false_truth], ignore_index=True)
        truth.to_csv(staging.part("truth.csv"), index=False, lineterminator="\n")
        report(progress, 100, 100)
    except BaseException:
        staging.discard()
        for folder in created:
            folder.rmdir()
        raise
    staging.commit()
    final = staging.final
    return DemoFiles(
        province=final("province.geojson"), districts=final("districts.geojson"), wards=final("wards.geojson"),
        venues=final("venues.csv"), scans=final("scans.csv"), reports=final("reports.xlsx"),
        truth=final("truth.csv"), n_venues=len(table), n_scans=n_scans, n_reports=len(found),
        planted=planted.counts(),
    )



def _registered_late(rng: np.random.Generator, table: pd.DataFrame, planted: violations.Planted, share: float,
                     start: datetime.date, days: int) -> pd.DataFrame:
    """Register ``share`` of the active compliant venues on a day of the period after the first."""
    late = table["active"].to_numpy(bool) & (planted.kind == "") & (rng.random(len(table)) < share)
    on = np.datetime64(start, "D") + rng.integers(1, days, len(table)).astype("timedelta64[D]")
    table = table.copy()
    table["registered"] = np.where(late, on, table["registered"].to_numpy("datetime64[D]"))
    return table

def _rates(defaults: dict[str, float], overrides: dict[str, float] | None) -> dict[str, float]:
    merged = {k: float(defaults.get(k, 0.0)) for k in violations.KINDS}
    for kind, value in (overrides or {}).items():
        if kind not in merged:
            raise ValueError(f"unknown violation kind {kind!r}; known: {', '.join(violations.KINDS)}")
        if not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"rate of {kind!r} must lie in [0, 1], got {value!r}")
        merged[kind] = float(value)
    if sum(merged.values()) > 1.0:
        raise ValueError("violation rates sum above 1")
    return merged


def _tricky_name(table: pd.DataFrame, planted: violations.Planted) -> pd.DataFrame:
    """Give one café (a violating one when there is one) a name that needs HTML escaping."""
    cafe = (table["category"] == "cafe").to_numpy()
    candidates = np.flatnonzero(cafe & (planted.kind != "")) if (cafe & (planted.kind != "")).any() \
        else np.flatnonzero(cafe)
    if len(candidates):
        table = table.copy()
        table.loc[candidates[0], "name"] = TRICKY_NAME
    return table
