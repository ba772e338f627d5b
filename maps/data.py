"""Gather what a map shows from a workspace: units with their figures, venues with their risk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from inspector.core.signals import Assessment, assess
from inspector.core.stats import unit_stats
from inspector.core.units import chains
from inspector.core.workspace import Workspace
from maps.evidence import by_venue


@dataclass
class MapData:
    """Everything a map page or a static map needs (EPSG:4326)."""

    period: tuple[dt.date, dt.date]
    #: every unit with its figures: code, name, level, parent_code, population, venues, scans,
    #: scans_per_day, scans_per_1000_per_day, flagged, flagged_share, mean_risk, geometry
    units: gpd.GeoDataFrame
    #: one row per venue: venue_id, name, category, address, ward_code, status, lat, lon,
    #: scans_per_day, traffic_per_day (expected, for symbol size), risk (0-100), n_signals,
    #: signals (comma-separated codes), evidence (signal -> (since, numbers); ``None`` without signals)
    venues: pd.DataFrame
    #: unit to frame (``None``: the whole province)
    focus: str | None = None

    def within(self, code: str | None) -> MapData:
        """Return the same data restricted to the venues and units inside unit ``code``."""
        if code is None:
            return self
        inside = {c for c, up in chains(self.units).items() if code in up}
        units = self.units[self.units["code"].isin(inside)]
        venues = self.venues[self.venues["ward_code"].isin(inside)]
        return MapData(self.period, units, venues, code)


def map_data(workspace: Workspace, assessment: Assessment | None = None) -> MapData:
    """Read units and venues and join them with the figures of ``assessment`` (computed if absent)."""
    assessment = assessment or assess(workspace)
    units = workspace.read_layer("admin_units")
    venues = workspace.read_layer("venues")
    figures = unit_stats(units, venues, assessment).drop(columns=["name", "level", "parent_code"])
    units = units[["code", "name", "level", "parent_code", "area_km2", "geometry"]].merge(
        figures, on="code", how="left")
    days = (assessment.period[1] - assessment.period[0]).days + 1
    table = pd.DataFrame(venues.drop(columns="geometry"))[
        ["venue_id", "name", "category", "address", "ward_code", "status", "lat", "lon"]
    ].merge(assessment.metrics.reindex(columns=["venue_id", "scans", "expected_visitors_per_day"]),
            on="venue_id", how="left").merge(assessment.risk, on="venue_id", how="left")
    table["scans_per_day"] = (table.pop("scans").fillna(0) / days).round(1)
    # what peers of its kind and size get, or what it got if more: a silent venue keeps its size
    expected = table.pop("expected_visitors_per_day").astype(float).fillna(0)
    table["traffic_per_day"] = np.maximum(table["scans_per_day"], expected).round(1)
    table["evidence"] = table["venue_id"].map(by_venue(assessment.signals))
    return MapData(assessment.period, gpd.GeoDataFrame(units, crs="EPSG:4326"), table)
