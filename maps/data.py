"""Gather what a map shows from a workspace: units with their figures, venues with their risk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from inspector.core.io.timestamps import LOCAL
from inspector.core.signals import Assessment, assess
from inspector.core.stats import unit_stats
from inspector.core.units import chains
from inspector.core.workspace import Workspace
from maps.evidence import by_venue

#: the columns of :attr:`MapData.reports`
REPORT_COLUMNS = ["report_id", "reported_at", "kind", "description", "lat", "lon"]


@dataclass
class MapData:
    """Everything a map page or a static map needs (EPSG:4326)."""

    period: tuple[dt.date, dt.date]
    #: every unit with its figures: code, name, level, parent_code, population, venues, scans,
    #: scans_per_day, scans_per_1000_per_day, flagged, flagged_share, mean_risk, geometry
    units: gpd.GeoDataFrame
    #: one row per venue: venue_id, name, category, address, ward_code, status, lat, lon,
    #: scans_per_day (NaN before any scan log), traffic_per_day (expected, for symbol size), risk (0-100), n_signals,
    #: signals (comma-separated codes), evidence (signal -> (since, numbers); ``None`` without signals)
    venues: pd.DataFrame
    #: unit to frame (``None``: the whole province)
    focus: str | None = None
    #: the citizen reports of the period with a position and no venue (none nearby, none named):
    #: report_id, reported_at (local, ``YYYY-MM-DD HH:MM:SS``), kind, description, lat, lon
    reports: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REPORT_COLUMNS))

    def within(self, code: str | None) -> MapData:
        """Return the same data restricted to the venues, units and reports inside unit ``code``."""
        if code is None:
            return self
        inside = {c for c, up in chains(self.units).items() if code in up}
        units = self.units[self.units["code"].isin(inside)]
        venues = self.venues[self.venues["ward_code"].isin(inside)]
        area = self.units.loc[self.units["code"] == code, "geometry"]
        reports = self.reports.iloc[:0]
        if len(area) and len(self.reports):
            points = shapely.points(self.reports["lon"].to_numpy(float), self.reports["lat"].to_numpy(float))
            reports = self.reports[shapely.covers(area.iloc[0], points)]
        return MapData(self.period, units, venues, code, reports)


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
    if workspace.period()[0] is None:  # no scan log imported yet: a venue's scans a day are unknown, not 0.0
        table["scans_per_day"] = np.nan
    table["evidence"] = table["venue_id"].map(by_venue(assessment.signals))
    start, end = assessment.period
    reports = workspace.query(
        "SELECT report_id, datetime(reported_at, ?) AS reported_at, kind, description, lat, lon FROM citizen_reports "
        "WHERE venue_id IS NULL AND lat IS NOT NULL AND lon IS NOT NULL AND date(reported_at, ?) BETWEEN ? AND ? "
        "ORDER BY reported_at, report_id", (LOCAL, LOCAL, start.isoformat(), end.isoformat()))
    return MapData(assessment.period, gpd.GeoDataFrame(units, crs="EPSG:4326"), table, reports=reports)
