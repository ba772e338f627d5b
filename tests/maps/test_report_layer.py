"""The citizen reports that found no venue, as a layer of the web map."""

import dataclasses
import json
import re

import pandas as pd

from inspector.core.i18n import translator
from maps.web import build_page

TRICKY = "<img src=x onerror=\"window.pwned=1\"> Quán mới mở chưa có mã QR"


def reports_of(data, n=2):
    """``n`` reports at the centres of the first wards of ``data`` (the second with a tricky text)."""
    wards = data.units[data.units["level"] == "ward"].head(n)
    points = wards.geometry.representative_point()
    return pd.DataFrame({
        "report_id": [f"R{k}" for k in range(n)], "reported_at": [f"2021-08-1{k} 14:3{k}:00" for k in range(n)],
        "kind": ["no_board", "other"][:n], "description": ["Không có bảng QR", TRICKY][:n],
        "lat": points.y.to_numpy(), "lon": points.x.to_numpy()})


def test_reports_without_a_venue_are_a_layer_with_escaped_tooltips(data):
    data = dataclasses.replace(data, reports=reports_of(data))
    page = build_page(data, tr=translator("en"), lang="en")
    assert "Citizen reports without a venue" in page and '"reports":' in page
    # folium's tooltip is HTML: the text is escaped (then written as JSON, "&" as \u0026)
    assert "\\u0026lt;img src=x onerror=" in page and "<img src=x" not in page
    assert re.search(r'data-layer="reports"', page)
    vietnamese = build_page(data, tr=translator("vi"), lang="vi")
    assert "Phản ánh chưa gắn với cơ sở" in vietnamese and "10/08/2021 14:30" in vietnamese


def test_without_such_reports_the_page_has_no_such_layer(data):
    page = build_page(data, tr=translator("en"), lang="en")
    assert "Citizen reports without a venue" not in page and '"reports":' not in page


def test_a_units_map_keeps_the_reports_inside_it(data):
    data = dataclasses.replace(data, reports=reports_of(data))
    first_ward = data.units[data.units["level"] == "ward"].iloc[0]["code"]
    assert json.loads(data.within(first_ward).reports["report_id"].to_json()) == {"0": "R0"}


def test_the_static_map_draws_them_too_with_a_legend_entry(data):
    from maps.static import map_figure

    data = dataclasses.replace(data, reports=reports_of(data))
    fig = map_figure(data, tr=translator("en"), lang="en")
    drawn = [c for ax in fig.axes for c in ax.collections if c.get_label() == "reports"]
    assert len(drawn) == 1 and len(drawn[0].get_offsets()) == 2
    legends = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert "Citizen reports without a venue" in legends
    plain = map_figure(dataclasses.replace(data, reports=reports_of(data).iloc[:0]), tr=translator("en"), lang="en")
    assert "Citizen reports without a venue" not in [t.get_text() for legend in plain.legends
                                                     for t in legend.get_texts()]
