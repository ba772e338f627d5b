"""Numbers behind every map: unit levels and leaves, derived rates, quantile classes, risk classes, colours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd

from inspector.core.units import chains

#: metrics a choropleth can show (``MapData.units`` columns)
METRICS = ("scans_per_1000_per_day", "flagged_share")
#: what a rate choropleth shows where residents are not known
FALLBACK = "scans_per_venue_per_day"
#: sequential, colour-blind-safe ColorBrewer palettes (5 classes): Blues for scan rates, Purples for shares
PALETTES = {
    "scans_per_1000_per_day": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    "scans_per_venue_per_day": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    "flagged_share": ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
}
NO_DATA = "#d9d9d9"
#: venue risk classes none (0), low (< 30), medium (< 60), high (>= 60): a grey-green, then a light-to-dark
#: yellow-orange-red ramp that stays ordered by lightness for every kind of colour blindness
RISK_COLORS = ("#94a89a", "#fed976", "#fd8d3c", "#bd0026")
RISK_LIMITS = (30, 60)
N_CLASSES = 5


@dataclass(frozen=True)
class Classes:
    """A quantile classification of one layer's values."""

    #: the class edges, ``len(colors) + 1`` values (empty when there is no value at all)
    breaks: tuple[float, ...]
    colors: tuple[str, ...]
    #: class index per value, ``-1`` for missing values
    index: np.ndarray

    def color_of(self) -> list[str]:
        """Return the fill colour of every value (``NO_DATA`` where missing)."""
        return [self.colors[i] if i >= 0 else NO_DATA for i in self.index]

    @property
    def single_value(self) -> bool:
        """Whether every known value is the same (one class whose bounds are equal)."""
        return len(self.breaks) == 2 and self.breaks[0] == self.breaks[1]


def quantile_classes(values: np.ndarray, palette: tuple[str, ...], k: int = N_CLASSES) -> Classes:
    """Classify ``values`` into ``k`` quantile classes (fewer when values repeat).

    Class ``i`` holds the values ``breaks[i] < v <= breaks[i + 1]``; the first class also holds the minimum.

    Parameters
    ----------
    values
        One value per unit; NaN means no data.
    palette
        ``k`` colours from light to dark.
    k
        Number of classes wanted.

    Returns
    -------
    Classes
        Breaks, colours and the class of every value.
    """
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    index = np.full(len(values), -1, dtype=int)
    if not len(finite):
        return Classes((), (), index)
    breaks = np.unique(np.quantile(finite, np.linspace(0.0, 1.0, k + 1)))
    # quantiles interpolated between equal values may differ in the last bits: one edge, not two
    top = breaks[-1]
    breaks = breaks[np.insert(~np.isclose(breaks[1:], breaks[:-1], rtol=1e-9, atol=1e-12), 0, True)]
    breaks[-1] = top
    if len(breaks) == 1:
        breaks = np.repeat(breaks, 2)
    n = len(breaks) - 1
    ok = np.isfinite(values)
    index[ok] = np.searchsorted(breaks[1:-1], values[ok], side="left")
    picks = np.linspace(0, len(palette) - 1, n).round().astype(int) if n > 1 else np.array([len(palette) // 2])
    return Classes(tuple(float(b) for b in breaks), tuple(palette[i] for i in picks), index)


def risk_class(risk: pd.Series | np.ndarray) -> np.ndarray:
    """Risk class per venue: 0 none (risk 0 or unknown), 1 low (< 30), 2 medium (< 60), 3 high."""
    risk = np.nan_to_num(np.asarray(risk, dtype=float), nan=0.0)
    return np.where(risk <= 0, 0, 1 + np.searchsorted(RISK_LIMITS, risk, side="right")).astype(np.int8)


def depths(units: pd.DataFrame) -> pd.Series:
    """Count the ancestors of every unit inside ``units`` (0 for the top units); indexed like ``units``."""
    up = chains(units)
    return pd.Series([len(up[code]) - 1 for code in units["code"]], index=units.index)


def levels(units: pd.DataFrame) -> list[str]:
    """Levels present in ``units``, from the top of the hierarchy down (read from the data)."""
    order = units.assign(_depth=depths(units)).groupby("level")["_depth"].mean().sort_values()
    return [str(level) for level in order.index]


def leaf_mask(units: pd.DataFrame) -> np.ndarray:
    """Mark the units that have no child among ``units``."""
    return ~units["code"].isin(set(units["parent_code"].dropna())).to_numpy()


def choropleth_levels(units: pd.DataFrame) -> list[str]:
    """Levels worth a choropleth: every level below the top one (the top one alone if it is the only one)."""
    found = levels(units)
    return found[1:] if len(found) > 1 else found


def prepare_units(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Units with ``scans_per_venue_per_day`` added (the fallback when population is unknown)."""
    out = units.copy()
    out[FALLBACK] = (out["scans_per_day"] / out["venues"].where(out["venues"] > 0)).round(2)
    return out


def no_scan_data(units: pd.DataFrame) -> bool:
    """Whether no scan is known in any of ``units`` (none imported yet): scan rates are unknown, not zero."""
    return not np.nansum(units["scans_per_day"].to_numpy(dtype=float)) > 0


def population_unknown(units: pd.DataFrame) -> bool:
    """Whether more than half of ``units`` lack a population: scan density is then per venue, not per resident.

    Decided by the population, not by the rates: without any scan every rate is unknown, population or not.
    """
    population = pd.to_numeric(units["population"], errors="coerce").to_numpy(dtype=float)
    return bool(len(population)) and bool((~(population > 0)).mean() > 0.5)


class LayerValues(NamedTuple):
    """What a choropleth of one metric shows on a set of units."""

    #: the column shown (the metric, or ``FALLBACK`` when population is mostly unknown)
    column: str
    #: one value per unit, NaN where unknown
    values: np.ndarray
    #: the column is scan-based and no scan is known at all: every value is blank, none is zero
    no_scans: bool


def layer_values(units: pd.DataFrame, metric: str) -> LayerValues:
    """Column shown for ``metric`` on these units and its values.

    A rate layer falls back to scans per venue per day when more than half of the units lack a population;
    otherwise units without one stay "no data". Without any scan (:func:`no_scan_data`) scan-based values are
    blank: the web and the static map both classify these values, so neither shows a "0.0 – 0.0" class then.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    column, values = metric, units[metric].to_numpy(dtype=float)
    if metric == "scans_per_1000_per_day" and population_unknown(units):
        column, values = FALLBACK, units[FALLBACK].to_numpy(dtype=float)
    no_scans = column != "flagged_share" and no_scan_data(units)
    if no_scans:
        values = np.full(len(values), np.nan)
    return LayerValues(column, values, no_scans)
