"""Unit names and the units around the focus on the static map."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from maps.data import MapData
from maps.static import AROUND, map_figure, render_png
from maps.unit_labels import AROUND_COLOR, BLANK, LABEL_COLOR, SLACK, anchor, draw_labels, label_texts


def tr(text: str) -> str:
    return text


def names(fig, *, around: bool = False) -> list[str]:
    """The unit names on the map: the focus's own (black) or its neighbours' (grey)."""
    color = AROUND_COLOR if around else LABEL_COLOR
    return sorted(t.get_text() for t in fig.axes[0].texts if to_hex(t.get_color()) == color)


def drawn_boxes(fig):
    """Every name's box on the drawn figure (display coordinates)."""
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    return [(t, t.get_window_extent(renderer)) for t in fig.axes[0].texts]


BASES = ("A", "Vỹ Dạ", "Nguyễn Trường Tộ")


def city(n: int = 12, size: float = 0.003) -> MapData:
    """A province of one district holding ``n`` x ``n`` wards ``size`` degrees (about 300 m) wide.

    Their names are short, middling or long ("A 7", "Vỹ Dạ 8", "Nguyễn Trường Tộ 9"): some fit, some do not.
    """
    x0, y0 = 107.58, 16.46
    rows = [{"code": "1", "name": "Tỉnh Mẫu", "level": "province", "parent_code": None,
             "geometry": shapely.box(x0, y0, x0 + n * size, y0 + n * size)},
            {"code": "10", "name": "Thành phố Mẫu", "level": "district", "parent_code": "1",
             "geometry": shapely.box(x0, y0, x0 + n * size, y0 + n * size)}]
    for i, j in itertools.product(range(n), range(n)):
        rows.append({"code": f"{1000 + i * n + j}", "name": f"Phường {BASES[(i + j) % 3]} {i * n + j}", "level": "ward",
                     "parent_code": "10", "geometry": shapely.box(x0 + i * size, y0 + j * size,
                                                                  x0 + (i + 1) * size, y0 + (j + 1) * size)})
    units = gpd.GeoDataFrame(rows, crs="EPSG:4326").assign(
        population=10_000.0, area_km2=0.09, venues=2, scans=280.0, scans_per_day=10.0,
        scans_per_1000_per_day=lambda u: np.arange(len(u)) / 10, flagged=1, flagged_share=0.5, mean_risk=10.0)
    venues = pd.DataFrame({"venue_id": ["V1"], "name": ["Quán"], "category": ["cafe"], "address": [""],
                           "ward_code": ["1000"], "status": ["active"], "lat": [y0 + size / 2],
                           "lon": [x0 + size / 2], "scans_per_day": [1.0], "risk": [0]})
    return MapData((dt.date(2021, 8, 2), dt.date(2021, 8, 29)), units, venues)


def test_label_texts_drop_ward_prefixes_and_abbreviate_larger_units():
    assert label_texts("Phường Đông Ba", leaf=True) == ["Đông Ba", "Đông\nBa"]
    assert label_texts("Xã Hương An", leaf=True)[0] == "Hương An"
    assert label_texts("Phường 1", leaf=True)[0] == "Phường 1"  # a number alone names nothing
    assert label_texts("Thị xã Hương Thủy", leaf=False) == ["TX. Hương Thủy", "TX.\nHương Thủy", "Hương Thủy",
                                                            "Hương\nThủy"]
    assert label_texts("Thành phố Huế", leaf=False)[:2] == ["TP. Huế", "TP.\nHuế"]
    assert label_texts("Huyện A Lưới", leaf=False)[0] == "H. A Lưới"
    assert label_texts("Côn Đảo", leaf=False) == ["Côn Đảo", "Côn\nĐảo"]


def test_nameless_units_get_no_label_and_dollars_print_as_they_are(data):
    assert label_texts(np.nan, leaf=True) == label_texts(None, leaf=False) == label_texts(" ", leaf=True) == []
    units = data.units.copy()
    units.loc[units["code"] == "901", "name"] = np.nan
    units.loc[units["code"] == "902", "name"] = "Quận $5$"
    fig = map_figure(dataclasses.replace(data, units=units), tr=tr, lang="vi")
    drawn_boxes(fig)  # draws without a mathtext error
    assert [t.get_text() for t in fig.axes[0].texts] == [r"Q. \$5\$"]


def test_the_anchor_lies_inside_a_unit_whose_centroid_does_not():
    horseshoe = shapely.box(0, 0, 10, 10).difference(shapely.box(2, 2, 8, 10))
    assert not horseshoe.contains(horseshoe.centroid)
    assert horseshoe.contains(anchor(horseshoe))
    islands = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 9, 9)])
    assert shapely.box(5, 5, 9, 9).contains(anchor(islands))  # on the largest part


def test_the_province_map_names_its_districts_and_a_district_map_its_wards(data):
    assert names(map_figure(data, tr=tr, lang="vi")) == ["Q. 901", "Q. 902"]
    data.focus = "902"
    assert names(map_figure(data, tr=tr, lang="vi")) == ["Hương An", "Hương Thọ", "Phú Hòa", "Thủy Bằng"]


def test_a_ward_map_names_no_unit_of_its_own(data):
    data.focus = "19003"
    fig = map_figure(data, tr=tr, lang="vi")
    assert names(fig) == []  # the title names the ward
    assert "Hương An" in names(fig, around=True)  # the ward next door, in grey


def test_two_tiers_name_the_wards_on_the_province_map(build_data):
    fig = map_figure(build_data(districts=False), tr=tr, lang="vi")
    assert names(fig) == sorted(["Đông Ba", "Tây Lộc", "Hương An", "Phú Hòa", "Vĩnh Ninh", "Phú Hội", "Thủy Bằng",
                                 "Hương Thọ"])


def test_names_are_legible_with_a_white_halo(data):
    for text in map_figure(data, tr=tr, lang="vi").axes[0].texts:
        assert text.get_fontsize() >= 7
        (halo,) = text.get_path_effects()
        assert isinstance(halo, patheffects.withStroke) and halo._gc["foreground"] == "white"


@pytest.mark.parametrize("dpi", [80, 150, 300])
def test_dense_wards_get_names_that_never_overlap_and_stay_inside_map_and_unit(dpi):
    data = dataclasses.replace(city(), focus="10")
    fig = map_figure(data, tr=tr, lang="vi", dpi=dpi)
    assert fig.dpi == dpi
    boxes = drawn_boxes(fig)
    ax = fig.axes[0]
    assert 5 <= len(boxes) < 144  # some wards named, not all 144
    assert not [t for t, _ in boxes if "Nguyễn" in t.get_text()]  # too long for a ward of 300 m on this map
    for (_, a), (_, b) in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    wards = data.units[data.units["level"] == "ward"].set_index("name").to_crs(data.units.estimate_utm_crs())
    to_data = ax.transData.inverted()
    slack = SLACK * fig.dpi / 72 * to_data.get_matrix()[0, 0]
    for text, box in boxes:
        assert ax.bbox.x0 <= box.x0 and box.x1 <= ax.bbox.x1 and ax.bbox.y0 <= box.y0 and box.y1 <= ax.bbox.y1
        (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        unit = wards.geometry["Phường " + text.get_text().replace("\n", " ")]
        blank = BLANK * (y1 - y0)  # above and below the letters
        assert unit.buffer(slack * 1.01).contains(shapely.box(x0, y0 + blank * 0.99, x1, y1 - blank * 0.99))


def test_names_keep_clear_of_the_scale_bar_and_north_arrow(data):
    fig = map_figure(data, tr=tr, lang="vi")
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    corners = [a.get_window_extent(renderer) for a in fig.axes[0].artists]
    assert len(corners) == 2
    for _, box in drawn_boxes(fig):
        assert not any(box.overlaps(corner) for corner in corners)


def test_a_district_map_shows_its_neighbours_in_grey_but_not_their_venues_or_figures(data):
    data.focus = "902"
    fig = map_figure(data, tr=tr, lang="vi")
    ax = fig.axes[0]
    grey = [c for c in ax.collections if c.get_zorder() < 1]
    fills = [c for c in grey if len(c.get_facecolors()) and to_hex(c.get_facecolors()[0]) == AROUND["facecolor"]]
    assert len(fills) == 1 and len(fills[0].get_paths()) == 2  # the wards of district 901 in view, light grey
    assert min(c.get_zorder() for c in ax.collections if c not in grey) > max(c.get_zorder() for c in grey)
    assert names(fig, around=True) == ["Q. 901"]
    (neat_line,) = ax.patches  # where the grey meets the edge of the map
    assert not neat_line.get_fill()
    assert neat_line.get_window_extent().bounds == pytest.approx(ax.bbox.bounds)
    alone = map_figure(data.within("902"), tr=tr, lang="vi")  # what it drew before: the district alone
    assert [leg.get_texts()[0].get_text() for leg in fig.legends] == [
        leg.get_texts()[0].get_text() for leg in alone.legends]
    dots = np.concatenate([c.get_offsets() for c in ax.collections if c.get_zorder() >= 4])
    assert len(dots) == 8  # the district's own venues only
    assert (ax.get_xlim(), ax.get_ylim()) == (alone.axes[0].get_xlim(), alone.axes[0].get_ylim())


def test_the_province_map_has_no_neighbours_and_renders_vietnamese_names(data, tmp_path):
    province = map_figure(data, tr=tr, lang="vi").axes[0]
    assert not [c for c in province.collections if c.get_zorder() < 1] and not province.patches
    data.focus = "902"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_png(data, tmp_path / "d.png", tr=tr, lang="vi", dpi=60)
    assert not [w for w in caught if "Glyph" in str(w.message)]


@pytest.mark.parametrize("focus", ["901", "19005"])
def test_neighbours_are_cut_to_the_view_and_named_inside_it(data, focus):
    data.focus = focus
    fig = map_figure(data, tr=tr, lang="vi")
    ax = fig.axes[0]
    for _, box in drawn_boxes(fig):
        assert ax.bbox.x0 <= box.x0 and box.x1 <= ax.bbox.x1 and ax.bbox.y0 <= box.y0 and box.y1 <= ax.bbox.y1
    assert names(fig, around=True)


def test_a_name_that_would_overlap_another_moves_within_its_unit_or_is_left_out():
    fig = Figure(figsize=(4, 4))
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 120)
    ax.set_ylim(0, 120)
    ax.set_aspect("equal")
    overlapping = gpd.GeoDataFrame({"name": ["Xã Alpha", "Xã Beta", "Xã Gamma"]}, geometry=[
        shapely.box(10, 10, 100, 100), shapely.box(12, 12, 102, 102), shapely.box(50, 50, 54, 54)])
    drawn = draw_labels(ax, overlapping, renderer, leaf=True)
    assert [t.get_text() for t in drawn] == ["Alpha", "Beta"]  # Gamma's unit is too small for its name
    alpha, beta = (t.get_window_extent(renderer) for t in drawn)
    assert not alpha.overlaps(beta)
    assert drawn[0].get_position() == pytest.approx((55, 55))  # the first in the middle of its unit
    avoid = [drawn[0].get_window_extent(renderer)]  # a box to keep clear of, as the scale bar's
    for t in drawn:
        t.remove()
    again = draw_labels(ax, overlapping.iloc[:1], renderer, leaf=True, avoid=avoid)
    assert not again[0].get_window_extent(renderer).overlaps(avoid[0])


def test_names_are_fitted_at_the_resolution_the_png_is_written_at(data, tmp_path, monkeypatch):
    """Text is wider in points at 150 dpi than at 100: names measured at another resolution would not fit."""
    import maps.static

    figures = []
    draw = maps.static.map_figure
    monkeypatch.setattr(maps.static, "map_figure", lambda *a, **k: figures.append(draw(*a, **k)) or figures[-1])
    render_png(data, tmp_path / "m.png", tr=tr, lang="vi", dpi=120)
    assert figures[0].dpi == 120


def test_slivers_between_derived_outlines_keep_no_name_out(data):
    """A district dissolved from its wards keeps the gaps between them as holes: they do not count against a name."""
    units = data.units.copy()
    district = units.index[units["code"] == "902"][0]
    x0, y0, x1, y1 = units.geometry[district].bounds
    step, side = 0.001, 0.0003  # a hole of 30 m every 100 m
    gaps = [shapely.box(x, y, x + side, y + side) for x in np.arange(x0 + side, x1 - 2 * side, step)
            for y in np.arange(y0 + side, y1 - 2 * side, step)]
    units.loc[district, "geometry"] = units.geometry[district].difference(shapely.union_all(gaps))
    assert len(units.geometry[district].interiors) > 100
    assert names(map_figure(dataclasses.replace(data, units=units), tr=tr, lang="vi")) == ["Q. 901", "Q. 902"]
