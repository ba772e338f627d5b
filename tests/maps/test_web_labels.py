"""The web map's unit names: which units, written how, anchored where, with how much room, and safely in the page."""

from __future__ import annotations

import json
import math
import re

import geopandas as gpd
import numpy as np
import shapely

from inspector.core.i18n import translator
from maps.web import build_page
from maps.web_labels import EARTH, RATIOS, SHOW_AT_PX, label_data
from tests.maps.conftest import INJECT_IMG, INJECT_SCRIPT

LABELS = re.compile(r"L\.unitLabels\((\{.*?\})\);", re.DOTALL)


def tr(text: str) -> str:
    return text


def labels_in(page: str) -> dict:
    (raw,) = LABELS.findall(page)
    return json.loads(raw)


def test_districts_first_then_wards_named_as_on_the_printed_map(data):
    d = label_data(data.units)
    assert d["levels"] == ["district", "ward"] and d["ratios"] == list(RATIOS)
    assert d["code"][:2] == ["901", "902"] and set(d["code"][2:]) == {str(19000 + k) for k in range(8)}
    assert d["tier"] == [0, 0] + [1] * 8 and d["leaf"] == [0, 0] + [1] * 8
    texts = dict(zip(d["code"], d["texts"], strict=True))
    assert texts["901"][0] == "Q. 901"  # a district's prefix abbreviated
    assert texts["19000"] == ["Đông Ba", "Đông\nBa"] and texts["19002"][0] == "Hương An"  # a ward's dropped


def test_larger_units_come_first_within_a_level(build_data):
    data = build_data()
    wards = data.units["level"] == "ward"
    grown = data.units.loc[wards & (data.units["code"] == "19005"), "geometry"].iloc[0].buffer(0.004)
    data.units.loc[wards & (data.units["code"] == "19005"), "geometry"] = grown
    d = label_data(data.units)
    assert d["code"][2] == "19005"


def test_anchor_lies_inside_and_room_is_the_largest_box_there(data):
    d = label_data(data.units)
    projected = data.units.set_index("code").geometry.to_crs(3857)
    for i, code in enumerate(d["code"]):
        geom = projected[code]
        x, y = (float(v[0]) for v in gpd.GeoSeries.from_xy([d["lon"][i]], [d["lat"][i]], crs=4326).to_crs(3857)
                .get_coordinates().to_numpy().T)
        assert geom.contains(shapely.Point(x, y))
        fit = d["fit"][i]
        assert fit == sorted(fit, reverse=True) and fit[0] > 0  # wider boxes are lower
        for ratio, h in zip(RATIOS, fit, strict=True):
            inside = shapely.box(x - ratio * h / 2, y - h / 2, x + ratio * h / 2, y + h / 2)
            assert geom.contains(inside)
            bigger = h * 1.02 + 2
            assert not geom.contains(shapely.box(x - ratio * bigger / 2, y - bigger / 2, x + ratio * bigger / 2,
                                                 y + bigger / 2))


def test_wards_named_from_the_zoom_that_shows_them_wide(data):
    d = label_data(data.units)
    assert d["minZoom"][0] is None
    side = math.sqrt(np.median(data.units[data.units["level"] == "ward"].geometry.to_crs(3857).area))
    on_screen = side * 256 * 2 ** d["minZoom"][1] / EARTH
    assert abs(on_screen - SHOW_AT_PX) < 1


def test_without_districts_wards_are_named_at_every_zoom(build_data):
    d = label_data(build_data(districts=False).units)
    assert d["levels"] == ["ward"] and d["minZoom"] == [None] and set(d["tier"]) == {0}
    assert all(d["leaf"])


def test_unnamed_units_get_no_label(build_data):
    data = build_data(names={"19001": " "})
    assert "19001" not in label_data(data.units)["code"]


def test_every_page_carries_the_names_as_a_layer(data):
    for standalone in (False, True):
        text = build_page(data, tr=tr, lang="en", standalone=standalone)
        assert labels_in(text)["code"][:2] == ["901", "902"]
        assert "L.UnitLabels = L.Layer.extend" in text  # the script, inlined in the export too
        assert '"Unit names":' in text  # an overlay of the layer list
        assert re.search(r'"labels": unit_labels_\w+', text)  # an overlay of the API
    assert json.dumps("Tên đơn vị") + ": unit_labels_" in build_page(data, tr=translator("vi"), lang="vi")


def test_names_from_data_stay_text(nasty):
    for standalone in (False, True):
        text = build_page(nasty, tr=tr, lang="en", standalone=standalone)
        (raw,) = LABELS.findall(text)
        assert "<" not in raw and "\\u003c" in raw
        texts = dict(zip(*(labels_in(text)[k] for k in ("code", "texts")), strict=True))
        assert texts["901"][0] == INJECT_SCRIPT and texts["19002"][0] == INJECT_IMG


def test_a_district_exported_alone_names_its_wards_from_the_start(data):
    d = labels_in(build_page(data.within("901"), tr=tr, lang="en", standalone=True))
    assert d["levels"] == ["ward"] and d["minZoom"] == [None]
    assert sorted(d["code"]) == ["19000", "19001", "19004", "19005"]


def test_invalid_or_odd_shapes_are_named_inside_their_polygons_or_left_out(build_data):
    data = build_data()
    ward = data.units["code"] == "19003"
    x0, y0, x1, y1 = data.units.loc[ward, "geometry"].iloc[0].bounds
    bow_tie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])  # self-crossing: invalid
    data.units.loc[ward, "geometry"] = bow_tie
    d = label_data(data.units)
    assert d["fit"][d["code"].index("19003")][0] > 0
    for odd in (shapely.LineString([(x0, y0), (x1, y1)]), None):
        data.units.loc[ward, "geometry"] = odd
        d = label_data(data.units)
        assert "19003" not in d["code"] and len(d["code"]) == 9
