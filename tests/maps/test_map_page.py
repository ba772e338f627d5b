from __future__ import annotations

import dataclasses
import html as htmlmod
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inspector.core.vocab import categories
from maps import assets
from maps.data import map_data
from maps.figures import NO_DATA, PALETTES
from maps.web import build_page

SCRIPT_SRC = re.compile(r"<script[^>]*\bsrc\s*=\s*[\"']?([^\"' >]+)", re.IGNORECASE)
LINK_HREF = re.compile(r"<link[^>]*\bhref\s*=\s*[\"']?([^\"' >]+)", re.IGNORECASE)
DATA_BLOCK = re.compile(r'<script type="application/json" id="[^"]+">(.*?)</script>', re.DOTALL)


def tr(text: str) -> str:
    return text


def page(data, **options) -> str:
    return build_page(data, tr=tr, lang=options.pop("lang", "en"), **options)


def without_libraries(text: str) -> str:
    """The page minus the inlined third-party files (their comments and SVG namespace name URLs)."""
    for path in assets.library_files().values():
        code = path.read_text(encoding="utf-8")
        text = text.replace(assets._script_safe(code), "")
        if path.suffix == ".css":
            text = text.replace(assets._inline_urls(code, path.parent).replace("</", "<\\/"), "")
    return text


def venue_json(text: str) -> tuple[str, dict]:
    (raw,) = DATA_BLOCK.findall(text)
    return raw, json.loads(raw)


def test_app_page_links_installed_files_and_nothing_online(data):
    text = page(data)
    assert "http://" not in text and "https://" not in text
    urls = SCRIPT_SRC.findall(text) + LINK_HREF.findall(text)
    assert urls, "the app page links Leaflet by file:// URL"
    for url in urls:
        assert url.startswith("file://")
        assert Path(url.removeprefix("file://")).is_file()
    assert any(url.endswith("folium/templates/leaflet_heat.min.js") for url in urls)
    assert len(text) < len(page(data, standalone=True))


def test_standalone_page_inlines_everything(data):
    text = page(data, standalone=True)
    assert SCRIPT_SRC.findall(text) == []
    assert LINK_HREF.findall(text) == []
    assert "Leaflet 1.9.3" in text  # the library's own banner, inlined
    assert "L.heatLayer" in text and "simpleheat" in text
    assert "data:image/png;base64," in text  # layer-control icon from leaflet.css
    rest = without_libraries(text)
    assert "http://" not in rest and "https://" not in rest


@pytest.mark.parametrize("standalone", [False, True])
def test_no_cdn_plugins_or_jquery(data, standalone):
    text = page(data, standalone=standalone).lower()
    for word in ("cdn.", "bootstrap", "awesome", "font-awesome", "jquery", "glyphicons"):
        assert word not in text
    assert "$(" not in without_libraries(page(data, standalone=standalone))


def test_online_tiles_only_when_asked_and_not_the_default(data):
    assert "openstreetmap" not in page(data).lower()
    text = page(data, online_tiles=True)
    assert "tile.openstreetmap.org" in text
    urls = set(re.findall(r"https?://[^\"' )<]+", without_libraries(text)))
    assert urls and all("openstreetmap" in u for u in urls)
    (tile,) = re.findall(r"var (tile_layer_\w+) = L\.tileLayer", text)
    assert f"{tile}.addTo(" not in text  # a base layer to choose, not shown first


def test_map_has_max_zoom_and_no_tiles_by_default(data):
    text = page(data)
    assert re.search(r'"maxZoom": 19', text)
    assert "L.tileLayer" not in text


def test_venue_data_columnar_rounded_and_escaped(data):
    raw, cols = venue_json(page(data))
    assert not set("<>&") & set(raw)
    assert cols["id"] == list(data.venues["venue_id"])
    assert len({len(cols[k]) for k in ("id", "name", "lat", "lon", "spd", "risk", "cat", "ward", "sig")}) == 1
    assert all(round(v, 5) == v for v in cols["lat"] + cols["lon"])
    assert cols["categories"] == [categories()["cafe"]["en"]]
    assert cols["sig"][0] == 0
    active = {cols["signals"][k] for k in range(len(cols["signals"])) if cols["sig"][3] & (1 << k)}
    assert active == {"Cloned board", "Citizen reports"}
    assert cols["wards"][cols["ward"][0]] == "Phường Đông Ba"
    assert cols["address"][0] == "0 Lê Lợi"  # ", <ward name>" is on its own row in the popup


def test_popup_data_carry_the_numbers_behind_each_sign(data):
    evidence = {"cloned_board": ("2021-08-05", {"jump_scans": 4, "second_place_km": 12.0, "far_share": 0.05}),
                "citizen_reports": ("2021-08-09", {"reports": 1, "kinds": "no_board"})}
    data.venues["evidence"] = [evidence if i == 3 else None for i in range(len(data.venues))]
    _, cols = venue_json(page(data))
    bits = {cols["signals"][int(k)]: text for k, text in cols["why"]["3"].items()}
    assert bits == {"Cloned board": "4 scans were made within ten minutes of one at the venue, about 12.0 km from "
                                    "it (5% of its located scans).",
                    "Citizen reports": "Reports: 1 (no QR board)."}
    assert set(cols["why"]) == {"3"}


def test_vietnamese_category_labels(data):
    _, cols = venue_json(page(data, lang="vi"))
    assert cols["categories"] == [categories()["cafe"]["vi"]]


def test_injected_names_stay_text(nasty):
    for standalone in (False, True):
        text = page(nasty, standalone=standalone)
        lowered = text.lower()
        assert "<img src=x onerror" not in lowered
        assert "</script><script>" not in lowered
        assert "<script>window.pwned" not in lowered
        raw, cols = venue_json(text)
        assert "<img src=x onerror=alert(1)>" in cols["name"]
        assert "</script><script>window.pwned=1</script>" in cols["name"]
        assert "\\u003c/script\\u003e" in raw
        # unit names reach folium's innerHTML tooltips already escaped (and JSON-escaped on top)
        assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in text


def test_js_inserts_text_with_text_content_only():
    for name in ("venue_layer.js", "venue_info.js", "inspector_map.js", "unit_labels.js"):
        code = (assets.OWN / name).read_text(encoding="utf-8")
        assert "innerHTML" not in code and "insertAdjacentHTML" not in code and "document.write" not in code
    assert ".textContent = " in (assets.OWN / "venue_info.js").read_text(encoding="utf-8")


def test_legend_states_quantiles_and_breaks(data):
    text = page(data)
    wards = data.units[data.units["level"] == "ward"]
    breaks = np.quantile(wards["scans_per_1000_per_day"], np.linspace(0, 1, 6))
    assert "Classes: quantiles (5 classes" in text
    assert "Breaks: " + "; ".join(f"{b:,.1f}" for b in breaks) in text
    share = np.quantile(wards["flagged_share"], np.linspace(0, 1, 6))
    assert "; ".join(f"{b * 100:.1f}%" for b in np.unique(share)) in text
    assert "Venues: risk class" in text and "High (60–100)" in text


def test_vietnamese_number_format_in_legend(data):
    text = page(data, lang="vi")
    wards = data.units[data.units["level"] == "ward"]
    low = np.quantile(wards["scans_per_1000_per_day"], 0.2)
    assert f"{low:.1f}".replace(".", ",") in text


def test_rate_falls_back_to_scans_per_venue_without_population(build_data):
    text = page(build_data(population=False))
    assert "Population unknown: scans per venue per day shown instead." in text
    assert "Wards and communes: Scans per venue per day" in text


def test_choropleth_levels_come_from_the_data(build_data):
    three = page(build_data(districts=True))
    assert "Districts: Scans per 1,000 residents per day" in three
    assert "Wards and communes: Scans per 1,000 residents per day" in three
    two = page(build_data(districts=False))
    assert "Districts:" not in two
    assert "Wards and communes: Share of venues with active signals" in two


def test_metric_chooses_the_first_layer(data):
    def shown(text):
        names = dict(re.findall(r'"([^"]+)" ?: (geo_json_\w+),', text))
        return {name for name, var in names.items() if f"{var}.addTo(" in text}

    assert "Wards and communes: Scans per 1,000 residents per day" in shown(page(data))
    assert "Wards and communes: Share of venues with active signals" in shown(page(data, metric="flagged_share"))
    with pytest.raises(ValueError, match="metric"):
        page(data, metric="nonsense")


def test_focus_and_within_restrict_the_data(data):
    inside = data.within("901")
    assert set(inside.units["code"]) == {"901", "19000", "19001", "19004", "19005"}
    assert set(inside.venues["ward_code"]) <= set(inside.units["code"])
    _, cols = venue_json(page(inside))
    assert set(cols["id"]) == set(inside.venues["venue_id"]) and len(cols["id"]) == 8
    fit = re.search(r"view: (\[\[.*?\]\])", page(inside), re.DOTALL).group(1)
    (south, west), (north, east) = json.loads(fit)
    assert (west, east) == pytest.approx((107.55, 107.59)) and (south, north) == pytest.approx((16.44, 16.48))


def test_focus_without_restriction_sets_initial_view(data):
    data.focus = "19007"
    fit = re.search(r"view: (\[\[.*?\]\])", page(data), re.DOTALL).group(1)
    assert json.loads(fit) == [[16.46, 107.61], [16.48, 107.63]]


def test_javascript_api_and_bridge(data):
    text = page(data)
    for name in ("window.inspectorMap = api", "api.selectVenue", "api.zoomToUnit", "api.clearSelection",
                 "api.venueCount", "window.qtBridge.venueClicked", "L.VenueLayer = L.Layer.extend"):
        assert name in text
    assert "qwebchannel.js" not in text
    bridged = page(data, bridge=True)
    assert '<script src="qrc:///qtwebchannel/qwebchannel.js"></script>' in bridged
    assert "bridge: true" in bridged
    units = re.search(r"units: (\{.*?\}\}?),\n", text).group(1)
    assert '"19003":' in units


def test_layer_names_are_escaped(data):
    def angle(text: str) -> str:
        return "<" + text + ">"

    text = build_page(data, tr=angle, lang="en")
    assert "<Venues" not in text and "<Wards and communes" not in text and "<Quantile" not in text
    # layer control labels are HTML to Leaflet: escaped, then JSON-escaped by folium
    assert htmlmod.escape("<Venues (risk class)>").replace("&", "\\u0026") in text
    assert htmlmod.escape("<Venues: risk class>") in text  # legend


def test_page_from_a_workspace(venue_workspace):
    text = build_page(map_data(venue_workspace), tr=tr, lang="vi", standalone=True)
    _, cols = venue_json(text)
    assert sorted(cols["id"]) == ["V1", "V2", "V3", "V4"]
    assert "Phường Đông Ba" in cols["wards"]


def test_template_syntax_in_data_is_not_evaluated(build_data):
    # branca compiles folium's rendered output as a Jinja template once more: data must stay inert there
    names = {"V00": "{{ 7*7 }}", "V01": "{% raw %}", "V10": "{# open comment", "V11:address": "{{ cycler }}",
             "19002": "{{ 6*6 }} {#", "901": "{% endraw %}"}
    for standalone in (False, True):
        text = page(build_data(names=names), standalone=standalone)
        assert text.rstrip().endswith("</html>") and "setupInspectorMap(" in text
        _, cols = venue_json(text)
        assert cols["name"][:3] == ["{{ 7*7 }}", "{% raw %}", "{# open comment"]
        assert cols["address"][3] == "{{ cycler }}"
        assert "\\u0026#123;\\u0026#123; 6*6 \\u0026#125;\\u0026#125; \\u0026#123;#" in text
        assert "{{" not in without_libraries(text)


def test_legend_says_when_there_is_no_scan_data_yet(data):
    units = data.units.copy()
    units[["scans_per_day", "scans_per_1000_per_day", "scans_per_venue_per_day"]] = 0.0
    text = page(dataclasses.replace(data, units=units, venues=data.venues.assign(scans_per_day=0.0)))
    assert "No scan data yet" in text
    assert "Breaks: 0.0;" not in text and "0.0 – 0.0<" not in text
    fills = set(re.findall(r'"fill": ?"(#[0-9a-f]{6})"', text))
    assert not fills & set(PALETTES["scans_per_1000_per_day"]) and NO_DATA in fills  # no unit coloured as zero
    assert "No scan data yet" not in page(data)


def test_a_page_where_no_venue_has_any_signal(data):
    quiet = data.venues.assign(signals=pd.Series("", index=data.venues.index, dtype="str"), n_signals=0, risk=0)
    _, cols = venue_json(page(dataclasses.replace(data, venues=quiet)))
    assert set(cols["sig"]) == {0}


def test_legend_rows_are_distinct_and_one_value_is_not_a_range(build_data):
    data = build_data(population=False)
    units = data.units.copy()
    units["scans_per_day"] = np.where(units["level"] == "ward", 0.02 * np.arange(len(units)), 1.0)  # 0.03-0.10
    text = page(dataclasses.replace(data, units=units))
    rows = re.findall(r"<div class='legend-row'><i style='background:#[0-9a-f]{6}'></i>([^<]*)</div>", text)
    ranges = [row.split(" – ") for row in rows if " – " in row]
    assert len(ranges) == 9 and all(low != high for low, high in ranges)
    assert "0.03 – 0.04" in rows and "Breaks: 0.03; 0.04; 0.06; 0.07; 0.09; 0.10" in text
    assert "0.1" in rows  # the districts' one value, not "0.1 – 0.1"
    one = page(data.within("19003"))  # 31 scans a day at 2 venues, none flagged
    assert re.findall(r"<div class='legend-row'><i style[^>]*></i>([^<]*)</div>", one) == ["15.5", "0.0%"]
    assert "Classes: quantiles (1 classes" not in one and "Breaks:" not in one


def test_outlines_leave_out_the_slivers_a_dissolved_unit_keeps_but_not_its_enclaves(data, monkeypatch):
    """A district dissolved from its wards keeps the gaps between them as holes: thick dashes across a city."""
    import geopandas as gpd
    import shapely

    from maps import layers, web

    square = shapely.box(107.0, 16.0, 107.2, 16.2)
    sliver = shapely.box(107.05, 16.05, 107.1, 16.0501)  # 5 km by 11 m
    enclave = shapely.box(107.12, 16.12, 107.16, 16.16)  # a ward of another district, inside this one
    district = gpd.GeoDataFrame({"level": ["district"]}, geometry=[square.difference(sliver).difference(enclave)],
                                crs=4326)
    feature = layers.boundaries(district, {"district": 2.0}, name="b", min_hole=enclave.area / 2).data["features"][0]
    assert len(feature["geometry"]["coordinates"]) == 2  # the outline and the enclave's ring, not the sliver's
    assert len(layers.boundaries(district, {}, name="b").data["features"][0]["geometry"]["coordinates"]) == 3
    asked = []
    monkeypatch.setattr(web, "boundaries", lambda *a, **kw: asked.append(kw["min_hole"]) or layers.boundaries(*a, **kw))
    page(data)
    wards = data.units[~data.units["code"].isin(data.units["parent_code"])]
    assert asked == [pytest.approx(shapely.area(wards.geometry.to_numpy()).min() / 2)]


def test_without_units_the_page_says_what_to_import(data):
    """A registry imported before the boundaries: not "import boundaries and venues"."""
    from inspector.core.i18n import translator

    no_units = dataclasses.replace(data, units=data.units.iloc[:0])
    assert "Import boundaries (File menu) to see them on the map." in page(no_units)
    assert "Hãy nhập ranh giới (menu Tệp) để xem các cơ sở trên bản đồ." in build_page(
        no_units, tr=translator("vi"), lang="vi")
    empty = dataclasses.replace(no_units, venues=data.venues.iloc[:0])
    assert "Import boundaries and venues (File menu) to see the map." in page(empty)
