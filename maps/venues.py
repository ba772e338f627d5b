"""Venues on the web map: compact columnar JSON, one canvas layer (``maps/js/venue_layer.js``) and a heat map."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import numpy as np
import pandas as pd
from branca.element import Figure
from folium.map import Layer
from folium.plugins import HeatMap
from folium.template import Template

from inspector.core.signals import SIGNALS
from maps.assets import Raw
from maps.evidence import explain
from maps.figures import RISK_COLORS, RISK_LIMITS
from maps.labels import Translate, category_labels, risk_labels, signal_labels

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
#: a ``{`` opening a Jinja tag; compact JSON has these only inside strings
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def safe_json(value: Any) -> str:
    r"""Serialise ``value`` as JSON that is inert in a ``<script>`` element and in a Jinja template.

    ``<``, ``>``, ``&``, U+2028 and U+2029 are escaped for HTML; a ``{`` opening ``{{``, ``{%`` or ``{#`` is
    written ``\u007b`` because branca compiles rendered folium output as a template once more.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return _JINJA_OPEN.sub(r"\\u007b", text)


def _text(values: pd.Series) -> list[str]:
    return values.astype(object).where(values.notna(), "").astype(str).tolist()


def _street(addresses: list[str], ward_codes: pd.Series, names: dict[str, str], parents: dict[str, str]) -> list[str]:
    """Addresses without a trailing ", <ward>[, <its parent>]" (the popup names the ward on its own row)."""
    out = []
    for address, code in zip(addresses, ward_codes, strict=True):
        ward = names.get(code, "")
        for suffix in (f", {ward}, {names.get(parents.get(code, ''), '')}", f", {ward}"):
            if ward and address.endswith(suffix) and len(address) > len(suffix):
                address = address[: -len(suffix)]
                break
        out.append(address)
    return out


def on_map(venues: pd.DataFrame) -> np.ndarray:
    """Which rows of ``venues`` the venue layer draws: those with coordinates, in their order."""
    return (venues["lat"].notna() & venues["lon"].notna()).to_numpy()


def pack_shown(shown: np.ndarray, venues: pd.DataFrame) -> str:
    """The venues flagged in ``shown`` (a boolean per row of ``venues``) as the page's ``filterVenues`` takes them.

    A flag per venue of the layer (see :func:`on_map`), eight to a byte, least significant bit first, as
    base64: about 8,500 characters for 50,000 venues, whichever of them are shown.
    """
    if len(shown) != len(venues):
        raise ValueError(f"{len(shown)} flags for {len(venues)} venues")
    bits = np.packbits(np.asarray(shown, dtype=bool)[on_map(venues)], bitorder="little")
    return base64.b64encode(bits.tobytes()).decode("ascii")


def venue_columns(venues: pd.DataFrame, units: pd.DataFrame, *, tr: Translate, lang: str) -> dict[str, Any]:
    """Venues as columns of equal length (rows without coordinates are left out).

    Returns
    -------
    dict
        ``id``, ``name``, ``address`` (street part), ``lat``, ``lon`` (5 decimals), ``spd`` (scans per day;
        ``null`` before any scan log), ``risk``, ``cat`` and ``ward`` (indexes into ``categories`` and
        ``wards``), ``sig`` (bit ``k`` set when signal ``signals[k]`` is active), the label lists themselves,
        and ``why``: for each venue with signals, row -> {``k`` -> the sentence with the numbers behind
        signal ``signals[k]``}.
    """
    v = venues[on_map(venues)]
    ward_names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    parents = dict(zip(units["code"].astype(str), units["parent_code"].fillna("").astype(str), strict=True))
    cat_codes, cat_values = pd.factorize(v["category"].fillna("other"))
    ward_codes, ward_values = pd.factorize(v["ward_code"].fillna(""))
    labels = signal_labels(tr)
    exploded = v["signals"].fillna("").astype(str).str.split(",").explode().str.strip()
    exploded = exploded[exploded != ""]
    codes = list(SIGNALS) + sorted(set(exploded) - set(SIGNALS))
    # as integers even when no venue has a signal (an empty column keeps the text type)
    bits = exploded.map({code: 1 << k for k, code in enumerate(codes)}).astype(np.int64).groupby(level=0).sum()
    sig = pd.Series(0, index=v.index).add(bits, fill_value=0).astype(np.int64)
    bit_of = {code: k for k, code in enumerate(codes)}
    why = {row: {bit_of[code]: explain(code, since, numbers, tr=tr, lang=lang, unit_names=ward_names)
                 for code, (since, numbers) in found.items() if code in bit_of}
           for row, found in enumerate(v.get("evidence", pd.Series(index=v.index, dtype=object)))
           if isinstance(found, dict)}
    return {
        "id": _text(v["venue_id"]),
        "name": _text(v["name"]),
        "address": _street(_text(v["address"]), v["ward_code"], ward_names, parents),
        "lat": np.round(v["lat"].to_numpy(dtype=float), 5).tolist(),
        "lon": np.round(v["lon"].to_numpy(dtype=float), 5).tolist(),
        "spd": [None if np.isnan(x) else x for x in np.round(v["scans_per_day"].to_numpy(dtype=float), 1).tolist()],
        "size": np.round(np.nan_to_num(v.get("traffic_per_day", v["scans_per_day"]).to_numpy(dtype=float))).tolist(),
        "risk": np.nan_to_num(v["risk"].to_numpy(dtype=float)).round().astype(int).tolist(),
        "cat": cat_codes.tolist(),
        "ward": ward_codes.tolist(),
        "sig": sig.tolist(),
        "categories": category_labels(list(cat_values), lang),
        "wards": [ward_names.get(code, code) for code in ward_values],
        "signals": [labels.get(code, code) for code in codes],
        "why": why,
    }


def venue_options(tr: Translate, lang: str) -> dict[str, Any]:
    """Colours, class limits and translated words the venue layer's tooltips and popups use."""
    return {
        "colors": list(RISK_COLORS),
        "limits": list(RISK_LIMITS),
        "lang": "vi-VN" if lang.startswith("vi") else "en-GB",
        "text": {
            "category": tr("Category"), "ward": tr("Ward / commune"), "address": tr("Address"),
            "scansPerDay": tr("Scans per day"), "risk": tr("Risk (0–100)"), "signals": tr("Signs of violation"),
            "none": tr("none"), "riskClasses": list(risk_labels(tr)),
            "filtered": tr("Showing {shown} of {total} venues (table filter, every unit)"),
        },
    }


class VenueLayer(Layer):
    """All venues as one canvas layer; the data sit in a JSON ``<script>`` block parsed once."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_data = JSON.parse(
                document.getElementById("{{ this.get_name() }}_data").textContent);
            var {{ this.get_name() }} = L.venueLayer({{ this.get_name() }}_data, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, columns: dict[str, Any], options: dict[str, Any], *, name: str, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "VenueLayer"
        self.count = len(columns["id"])
        self.data_json = safe_json(columns)
        self.options_json = safe_json(options)

    def render(self, **kwargs: Any) -> Any:
        """Put the data block into the page as it is (not through another template pass), then the script."""
        figure = self.get_root()
        assert isinstance(figure, Figure)
        name = self.get_name()
        block = f'<script type="application/json" id="{name}_data">{self.data_json}</script>'
        figure.html.add_child(Raw(block), name=f"{name}_data")
        super().render(**kwargs)


class VenueHeatMap(HeatMap):
    """folium's heat map drawn from the venue layer's data (not a second copy); script served offline."""

    default_js: list[tuple[str, str]] = []  # the page header links or inlines folium's own file
    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.heatLayer(
                (function (d) {
                    var pts = new Array(d.lat.length);
                    for (var i = 0; i < d.lat.length; i++) {
                        pts[i] = [d.lat[i], d.lon[i], Math.min(1, d.spd[i] / {{ this.scale }})];
                    }
                    return pts;
                })({{ this.venues.get_name() }}_data),
                {{ this.options|tojavascript }}
            );
        {% endmacro %}
    """)

    def __init__(self, venues: VenueLayer, spd: pd.Series, *, name: str, pane: str = "overlayPane") -> None:
        super().__init__([], name=name, show=False, radius=14, blur=18, min_opacity=0.25, max=1.0, pane=pane)
        self._name = "VenueHeatMap"
        self.venues = venues
        high = float(np.nanquantile(spd, 0.95)) if len(spd) and np.isfinite(spd).any() else 1.0
        self.scale = json.dumps(max(high, 0.1))
