"""Figures per administrative unit (any depth of hierarchy): venues, scan density, flagged share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from inspector.core.signals import Assessment
from inspector.core.units import chains, leaves


def unit_stats(units: pd.DataFrame, venues: pd.DataFrame, assessment: Assessment) -> pd.DataFrame:
    """Roll venue figures up the hierarchy, from the units venues sit in to the province.

    Parameters
    ----------
    units
        Administrative units (``code``, ``name``, ``level``, ``parent_code``, ``population``).
    venues
        Venues with ``venue_id``, ``ward_code`` and ``status``.
    assessment
        Signals of the period (its ``metrics`` give scans, its ``risk`` the flagged venues).

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``code``, ``name``, ``level``, ``parent_code``, ``population``, ``venues``
        (active), ``scans``, ``scans_per_day``, ``scans_per_1000_per_day`` (NaN without population, and
        both rates NaN while the workspace has no scans at all),
        ``flagged`` (active venues with at least one signal), ``flagged_share``, ``mean_risk``.
    """
    days = (assessment.period[1] - assessment.period[0]).days + 1
    per_venue = venues[["venue_id", "ward_code", "status"]].merge(
        assessment.metrics[["venue_id", "scans"]], on="venue_id", how="left"
    ).merge(assessment.risk[["venue_id", "risk", "n_signals"]], on="venue_id", how="left")
    per_venue = per_venue[per_venue["status"].fillna("active") == "active"]
    leaf = per_venue.groupby("ward_code").agg(
        venues=("venue_id", "size"), scans=("scans", "sum"),
        flagged=("n_signals", lambda n: int((n > 0).sum())), risk_sum=("risk", "sum"),
    )
    leaf_codes = set(leaves(units)["code"])
    population = units.set_index("code")["population"]
    leaf_pop = population[population.index.isin(leaf_codes)]

    up = chains(units)
    rows = []
    for code in leaf_codes:
        figures = leaf.loc[code] if code in leaf.index else None
        values = (0, 0.0, 0, 0.0) if figures is None else (
            int(figures["venues"]), float(figures["scans"]), int(figures["flagged"]), float(figures["risk_sum"]))
        pop = leaf_pop.get(code, np.nan)
        rows += [(unit, *values, pop) for unit in up[code]]
    rolled = pd.DataFrame(rows, columns=["code", "venues", "scans", "flagged", "risk_sum", "population_sum"])
    rolled = rolled.groupby("code").agg(
        venues=("venues", "sum"), scans=("scans", "sum"), flagged=("flagged", "sum"),
        risk_sum=("risk_sum", "sum"), population_sum=("population_sum", lambda p: p.sum(min_count=len(p))),
    )
    out = units[["code", "name", "level", "parent_code", "population"]].merge(
        rolled, left_on="code", right_index=True, how="left")
    for col in ("venues", "scans", "flagged", "risk_sum"):
        out[col] = out[col].fillna(0)
    out["population"] = out["population"].astype(float).fillna(out["population_sum"])
    out["scans_per_day"] = (out["scans"] / days).round(1)
    out["scans_per_1000_per_day"] = (out["scans"] / days / out["population"] * 1000).round(2)
    if out["scans"].sum() == 0:  # no scan imported at all: rates unknown, not zero
        out[["scans_per_day", "scans_per_1000_per_day"]] = np.nan
    out["flagged_share"] = (out["flagged"] / out["venues"].where(out["venues"] > 0)).round(4)
    out["mean_risk"] = (out["risk_sum"] / out["venues"].where(out["venues"] > 0)).round(1)
    out["venues"] = out["venues"].astype(int)
    out["flagged"] = out["flagged"].astype(int)
    return out.drop(columns=["population_sum", "risk_sum"]).reset_index(drop=True)
