from __future__ import annotations

import dataclasses
import re
import warnings

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.offsetbox import AnchoredOffsetbox, AuxTransformBox
from matplotlib.text import Text

from maps.data import MapData, map_data
from maps.frame import MARGIN, corners, drawn_outlines, nice_length
from maps.static import DOT_MAX, DOT_MIN, class_styles, dot_style, map_figure, render_png
from maps.web import build_page


def tr(text: str) -> str:
    return text


def with_far_venues(data: MapData) -> MapData:
    """Two accepted venues far away, filed under wards of the map (a sign error, a neighbour province)."""
    far = pd.DataFrame([{**data.venues.iloc[0].to_dict(), "venue_id": "FAR1", "lon": -107.6},
                        {**data.venues.iloc[-1].to_dict(), "venue_id": "FAR2", "lat": 16.05, "lon": 108.2}])
    return dataclasses.replace(data, venues=pd.concat([data.venues, far], ignore_index=True))


def outline_bounds(data: MapData, code: str) -> np.ndarray:
    units = data.within(data.focus).units
    return units[units["code"] == code].to_crs(units.estimate_utm_crs()).total_bounds


def flat(text: str) -> str:
    """A legend text as one line (long titles are wrapped)."""
    return text.replace("\n", " ")


def legend_texts(fig) -> list[list[str]]:
    return [[legend.get_title().get_text()] + [t.get_text() for t in legend.get_texts()] for legend in fig.legends]


def test_png_renders_and_reopens(data, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = render_png(data, tmp_path / "map.png", tr=tr, lang="vi", dpi=80)
    assert out.is_file() and out.stat().st_size > 20_000
    image = mpimg.imread(out)
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 400
    assert image.std() > 0.05  # not a blank page
    assert not [w for w in caught if "Glyph" in str(w.message)]  # Vietnamese diacritics all in the font


@pytest.mark.parametrize(("focus", "code"), [(None, "99"), ("902", "902"), ("19007", "19007")])
def test_the_view_is_the_outline_in_focus_whatever_venue_lies_far_away(data, focus, code):
    data.focus = focus
    far = with_far_venues(data)
    if focus == "902":  # a venue of the district's ward lying in the next province
        far.venues.loc[far.venues["venue_id"] == "FAR2", "ward_code"] = "19007"
    ax = map_figure(far, tr=tr, lang="vi").axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    left, bottom, right, top = outline_bounds(data, code)
    assert x0 < left and right < x1 and y0 < bottom and top < y1
    assert (x0 + x1) / 2 == pytest.approx((left + right) / 2) and (y0 + y1) / 2 == pytest.approx((bottom + top) / 2)
    # the outline fills the view one way (with its margin), the other way is widened to the map's shape
    assert min((x1 - x0) / (right - left), (y1 - y0) / (top - bottom)) == pytest.approx(1 + 2 * MARGIN)
    assert (ax.get_xlim(), ax.get_ylim()) == (map_figure(data, tr=tr, lang="vi").axes[0].get_xlim(),
                                              map_figure(data, tr=tr, lang="vi").axes[0].get_ylim())
    dots = np.concatenate([c.get_offsets() for c in ax.collections if len(c.get_offsets()) and c.get_zorder() >= 4])
    assert ((dots[:, 0] >= x0) & (dots[:, 0] <= x1) & (dots[:, 1] >= y0) & (dots[:, 1] <= y1)).all()


def test_a_far_venue_leaves_the_png_readable_and_the_scale_bar_apart(data, tmp_path):
    out = render_png(with_far_venues(data), tmp_path / "far.png", tr=tr, lang="vi", dpi=60)
    assert mpimg.imread(out).std() > 0.05
    fig = map_figure(with_far_venues(data), tr=tr, lang="vi")
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    bar = [a.get_child() for a in fig.axes[0].artists if isinstance(a.get_child(), AuxTransformBox)]
    labels = [t for t in bar[0].get_children() if isinstance(t, Text)]
    assert [t.get_text() for t in labels] == ["0", "1 km"]  # the map is 9 km wide, not half the earth
    first, second = (t.get_window_extent(renderer) for t in labels)
    assert first.x1 + 20 < second.x0  # "0" and "1 km" well apart, not "01 km"


def test_north_arrow_and_scale_bar_sit_in_free_corners_on_white_boxes(data):
    ax = map_figure(data, tr=tr, lang="en").axes[0]
    boxes = [a for a in ax.artists if isinstance(a, AnchoredOffsetbox)]
    assert len(boxes) == 2 and boxes[0].loc != boxes[1].loc
    for box in boxes:
        assert box.patch.get_facecolor()[:3] == (1.0, 1.0, 1.0) and 0.5 < box.patch.get_alpha() < 1
        assert box.get_zorder() > max(c.get_zorder() for c in ax.collections)  # above fills and dots


def test_corners_avoid_the_outline():
    limits = (0.0, 100.0, 0.0, 100.0)
    assert corners(shapely.box(0, 0, 100, 100).difference(shapely.box(0, 0, 40, 100)), limits)[0] == "upper left"
    assert corners(shapely.box(0, 0, 40, 40), limits) == ("upper right", "lower right")
    assert corners(shapely.box(0, 0, 1, 1), limits) == ("upper right", "lower left")  # ties: the usual places


def test_venue_dots_scale_with_their_number_and_have_outlines(data, build_data):
    big, few = dot_style(3, 250_000), dot_style(300, 250_000)
    assert DOT_MAX == big[0] > few[0] > dot_style(30_000, 250_000)[0] == DOT_MIN
    assert dot_style(300, 500_000)[0] > few[0]  # a larger map, larger dots
    data.focus = "19003"
    fig = map_figure(data, tr=tr, lang="en")
    dots = [c for c in fig.axes[0].collections if c.get_zorder() >= 4]
    sizes = sorted({float(np.sqrt(c.get_sizes()[0])) for c in dots})
    assert sizes[0] >= 6  # a ward's two venues are plain to see
    for c in dots:
        assert c.get_linewidths()[0] > 0 and c.get_edgecolors()[0][:3] == pytest.approx((0.133, 0.133, 0.133), abs=0.01)
    markers = {round(m.get_markersize(), 6) for m in fig.legends[1].legend_handles}
    assert markers >= {round(s, 6) for s in sizes}  # the legend shows the dots the map has


def test_crowded_venues_are_dots_of_one_size_with_high_risk_ringed_on_top(data):
    """A province whose city holds most venues: its high-risk ones are findable, but the city is not painted red."""
    crowded, spread = class_styles(5000, 100_000), class_styles(300, 250_000)
    assert len({s["size"] for s in crowded}) == 1  # a high-risk dot is no larger than the others
    assert crowded[3]["edgecolor"] == "#ffffff" and crowded[3]["linewidth"] > 0
    assert crowded[0]["alpha"] < 1 and crowded[0]["linewidth"] == 0  # the choropleth reads through
    assert spread[3]["size"] > spread[0]["size"] and all(s["alpha"] == 1 for s in spread)  # room for larger ones
    rng = np.random.default_rng(1)
    many = data.venues.sample(8000, replace=True, random_state=1).assign(
        venue_id=[f"C{i}" for i in range(8000)], lat=lambda v: v["lat"] + rng.normal(0, 0.004, len(v)),
        lon=lambda v: v["lon"] + rng.normal(0, 0.004, len(v)))
    fig = map_figure(dataclasses.replace(data, venues=many), tr=tr, lang="en")
    dots = sorted((c for c in fig.axes[0].collections if c.get_zorder() >= 4), key=lambda c: c.get_zorder())
    assert len(dots) == 4 and len({float(c.get_sizes()[0]) for c in dots}) == 1
    assert tuple(dots[3].get_edgecolors()[0][:3]) == (1, 1, 1) and dots[0].get_alpha() < 1
    handles = fig.legends[1].legend_handles
    assert {h.get_markersize() for h in handles} == {float(np.sqrt(dots[0].get_sizes()[0]))}
    assert handles[3].get_markeredgecolor() == "#ffffff"  # the legend shows the dots the map has


def test_png_inside_focus_with_share_and_title(data, tmp_path):
    data.focus = "902"
    out = render_png(data, tmp_path / "focus.png", tr=tr, lang="en", metric="flagged_share",
                     title="Quận $902$ · tháng 8", dpi=60)
    assert mpimg.imread(out).shape[0] > 200


def test_png_without_population_and_two_tiers(build_data, tmp_path):
    out = render_png(build_data(districts=False, population=False), tmp_path / "p.png", tr=tr, lang="en", dpi=60)
    assert out.stat().st_size > 10_000


def test_one_unit_gets_one_value_not_a_class_range(data):
    data.focus = "19003"
    title, *labels = legend_texts(map_figure(data, tr=tr, lang="vi"))[0]
    assert flat(title) == "Wards and communes: Scans per 1,000 residents per day"  # no "Quantile classes (1)"
    assert labels == ["2,4"]  # 31 scans a day for 13,000 residents; not "2,4 – 2,4"


def test_small_values_get_the_decimals_that_tell_classes_apart(build_data):
    data = build_data(population=False)
    units = data.units.copy()
    units["scans_per_day"] = np.where(units["level"] == "ward", 0.02 * np.arange(len(units)), 1.0)
    _, *labels = legend_texts(map_figure(dataclasses.replace(data, units=units), tr=tr, lang="en"))[0]
    classes = [label for label in labels if "–" in label]
    assert len(classes) == 5 and len(set(classes)) == 5
    assert all(low != high for low, high in (label.split(" – ") for label in classes))


def test_without_scans_units_are_hatched_with_a_note_and_no_class_legend(data):
    units = data.units.copy()
    units[["scans_per_day", "scans_per_1000_per_day"]] = 0.0  # zeros, as a store may hold them: still unknown
    fig = map_figure(dataclasses.replace(data, units=units), tr=tr, lang="en")
    assert fig._suptitle.get_text().endswith("· no scan data yet")
    title, *labels = legend_texts(fig)[0]
    assert flat(title) == "Wards and communes: Scans per 1,000 residents per day"
    assert [label.replace("\n", " ") for label in labels] == ["No scan data yet: import scan logs to see scan rates."]
    assert fig.legends[0].legend_handles[0].get_hatch()
    fills = fig.axes[0].collections[0]
    assert fills.get_hatch() and {tuple(c) for c in fills.get_facecolors()} == {(1.0, 1.0, 1.0, 1.0)}
    share = map_figure(dataclasses.replace(data, units=units), tr=tr, lang="en", metric="flagged_share")
    assert "Quantile classes" in legend_texts(share)[0][0]  # signals are known without scans


def test_png_from_a_workspace_without_scans_says_so(venue_workspace):
    fig = map_figure(map_data(venue_workspace), tr=tr, lang="vi")
    assert fig._suptitle.get_text().endswith("· no scan data yet")  # not today's date as a period
    assert flat(legend_texts(fig)[0][0]) == "Wards and communes: Scans per 1,000 residents per day"
    assert len(legend_texts(fig)[0]) == 2


def test_png_names_the_measure_of_the_web_map_when_no_scan_is_known(venue_workspace):
    """Rates are unknown without scans, population or not: both maps name the measure the population allows."""
    data = map_data(venue_workspace)
    assert data.units["scans_per_1000_per_day"].isna().all() and data.units["population"].notna().all()
    web = re.findall(r"legend-title'>([^<]+)<", build_page(data, tr=tr, lang="en"))
    title = flat(legend_texts(map_figure(data, tr=tr, lang="en"))[0][0])
    assert title == "Wards and communes: Scans per 1,000 residents per day" and title in web
    units = data.units.assign(population=np.nan)  # without population, both fall back to scans per venue
    web = re.findall(r"legend-title'>([^<]+)<", build_page(dataclasses.replace(data, units=units), tr=tr, lang="en"))
    title = flat(legend_texts(map_figure(dataclasses.replace(data, units=units), tr=tr, lang="en"))[0][0])
    assert title == "Wards and communes: Scans per venue per day" and title in web


def test_slivers_in_outlines_are_not_drawn_but_stay_in_the_data(data):
    units = data.units.copy()
    district = units.index[units["code"] == "901"][0]
    box = units.geometry[district]
    sliver = shapely.box(107.57, 16.45, 107.5703, 16.47)  # 30 m x 2 km, between two wards
    lake = shapely.box(107.555, 16.445, 107.565, 16.455)  # 1 km x 1 km
    units.loc[district, "geometry"] = box.difference(sliver).difference(lake)
    outlines = drawn_outlines(units.geometry.to_crs(32648), 200_000.0)
    assert len(outlines[district].interiors) == 1 and len(units.geometry[district].interiors) == 2
    assert outlines.drop(district).equals(units.geometry.to_crs(32648).drop(district))
    ax = map_figure(dataclasses.replace(data, units=units), tr=tr, lang="en").axes[0]
    rings = sum(len(c.get_paths()) for c in ax.collections if c.get_zorder() == 3)
    assert rings == 3 + 1  # province and two districts, and the lake; no sliver


def test_bad_metric(data, tmp_path):
    with pytest.raises(ValueError, match="metric"):
        render_png(data, tmp_path / "x.png", tr=tr, lang="en", metric="risk")


@pytest.mark.parametrize(("width", "length"), [(9_000, 1_000), (40_000, 5_000), (130_000, 20_000), (3, 1)])
def test_scale_bar_lengths(width, length):
    assert nice_length(width) == length
