from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from maps.figures import (
    NO_DATA,
    choropleth_levels,
    layer_values,
    levels,
    prepare_units,
    quantile_classes,
    risk_class,
)
from maps.labels import break_values, class_labels

PALETTE = ("a", "b", "c", "d", "e")


def test_quantile_classes_are_upper_inclusive():
    values = np.arange(1.0, 11.0)
    classes = quantile_classes(values, PALETTE)
    assert classes.breaks == tuple(np.quantile(values, np.linspace(0, 1, 6)))
    assert classes.colors == PALETTE
    assert list(classes.index) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_quantile_classes_with_repeats_and_missing():
    classes = quantile_classes(np.array([1.0, 1.0, 1.0, 5.0, np.nan]), PALETTE)
    assert classes.breaks == pytest.approx((1.0, 2.6, 5.0))  # repeated quantiles merge: two classes
    assert classes.colors == ("a", "e") and list(classes.index[:4]) == [0, 0, 0, 1]
    assert classes.index[-1] == -1 and classes.color_of()[-1] == NO_DATA
    single = quantile_classes(np.array([2.0, 2.0]), PALETTE)
    assert single.breaks == (2.0, 2.0) and list(single.index) == [0, 0]
    empty = quantile_classes(np.array([np.nan]), PALETTE)
    assert empty.breaks == () and empty.color_of() == [NO_DATA]


def test_risk_classes():
    assert list(risk_class(np.array([np.nan, 0, 1, 29, 30, 59, 60, 100]))) == [0, 0, 1, 1, 2, 2, 3, 3]


def test_levels_from_parent_links(build_data):
    three = build_data().units
    assert levels(three) == ["province", "district", "ward"]
    assert choropleth_levels(three) == ["district", "ward"]
    two = build_data(districts=False).units
    assert choropleth_levels(two) == ["ward"]
    assert choropleth_levels(build_data().within("19003").units) == ["ward"]


def test_scans_per_venue_fallback_column(build_data):
    units = prepare_units(build_data().units).set_index("code")
    assert units.loc["19000", "scans_per_venue_per_day"] == 5.0


def test_rate_fallback(build_data):
    units = prepare_units(build_data(population=False).units)
    wards = units[units["level"] == "ward"]
    assert layer_values(wards, "scans_per_1000_per_day")[0] == "scans_per_venue_per_day"
    assert layer_values(wards, "flagged_share")[0] == "flagged_share"


def test_maps_import_no_qt_and_no_pyplot():
    code = ("import sys, maps.web, maps.static; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'PyQt', 'shiboken', 'matplotlib.pyplot'))]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_class_labels_tell_adjacent_classes_apart():
    small = (0.0, 0.02, 0.04, 0.08, 0.14, 0.32)
    assert class_labels("scans_per_venue_per_day", small, "vi") == [
        "0,00 – 0,02", "0,02 – 0,04", "0,04 – 0,08", "0,08 – 0,14", "0,14 – 0,32"]
    assert class_labels("scans_per_1000_per_day", (0.0, 3.9, 9.3, 130.1), "en") == [
        "0.0 – 3.9", "3.9 – 9.3", "9.3 – 130.1"]  # one decimal is enough here
    assert class_labels("flagged_share", (0.001, 0.002, 0.5), "en") == ["0.1% – 0.2%", "0.2% – 50.0%"]
    assert class_labels("scans_per_1000_per_day", (1e-6, 2e-6), "en") == ["0.0000"]  # too close to tell apart
    assert class_labels("scans_per_1000_per_day", (), "en") == []


def test_a_class_whose_bounds_are_equal_is_one_value():
    assert class_labels("scans_per_1000_per_day", (16.2, 16.2), "vi") == ["16,2"]
    assert class_labels("flagged_share", (0.25, 0.25), "en") == ["25.0%"]
    single = quantile_classes(np.array([16.2]), PALETTE)
    assert single.single_value and not quantile_classes(np.array([1.0, 2.0]), PALETTE).single_value
    assert break_values("scans_per_1000_per_day", single.breaks, "en") == ["16.2"]


def test_quantiles_equal_but_for_rounding_make_one_edge():
    almost = 0.1 + 0.2 - 0.2  # 0.10000000000000003
    classes = quantile_classes(np.array([0.1, almost, 0.1]), PALETTE)
    assert classes.single_value and list(classes.index) == [0, 0, 0]
    assert class_labels("scans_per_1000_per_day", classes.breaks, "en") == ["0.1"]
    assert quantile_classes(np.array([0.1, almost, 0.1, 0.3]), PALETTE).breaks[-1] == 0.3


def test_without_scans_scan_based_values_are_blank_for_every_renderer(build_data):
    cases = [(population, column, stored) for population, column in (
        (True, "scans_per_1000_per_day"), (False, "scans_per_venue_per_day")) for stored in (0.0, np.nan)]
    for population, column, stored in cases:  # zero in a store, or unknown as inspector.core.stats gives them
        units = build_data(population=population).units.copy()
        units[["scans_per_day", "scans_per_1000_per_day"]] = stored
        wards = prepare_units(units)[lambda u: u["level"] == "ward"]
        layer = layer_values(wards, "scans_per_1000_per_day")
        assert layer.column == column and layer.no_scans and np.isnan(layer.values).all()
        share = layer_values(wards, "flagged_share")
        assert not share.no_scans and np.isfinite(share.values).all()
    known = layer_values(prepare_units(build_data().units), "scans_per_1000_per_day")
    assert not known.no_scans and np.isfinite(known.values).all()
