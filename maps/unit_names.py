"""How a unit is named on a map (the printed and the interactive one alike), and the point inside it where."""

from __future__ import annotations

import math
from typing import Any

import shapely
from shapely.ops import polylabel

from inspector.core.text import clean, strip_unit_prefix

#: how the larger units' type prefixes are abbreviated on the map
ABBREVIATIONS = {"Thành phố": "TP.", "Thị xã": "TX.", "Thị trấn": "TT.", "Huyện": "H.", "Quận": "Q."}


def label_texts(name: object, *, leaf: bool) -> list[str]:
    """The ways to write a unit's ``name`` on the map, in order of preference.

    As on Vietnamese administrative maps, ward and commune names (``leaf``) go without their
    "Phường"/"Xã"/"Thị trấn" prefix, unless what is left is a number ("Phường 1" stays), and the larger units
    keep theirs abbreviated ("TP. Huế", "TX. Hương Thủy", "H. Phú Vang"), or drop it where even the abbreviated
    name does not fit. Each name is tried on one line, then on two (an abbreviated prefix on the first).
    """
    full = "" if name is None or (isinstance(name, float) and math.isnan(name)) else clean(name)
    if not full:
        return []  # a unit without a name is not labelled "nan"
    if leaf:
        short = strip_unit_prefix(full)
        text = full if short.replace(" ", "").isdigit() else short
        forms = [text, _two_lines(text)]
    else:
        prefix = next((p for p in ABBREVIATIONS if full.lower().startswith(p.lower() + " ")), None)
        if prefix is None:
            forms = [full, _two_lines(full)]
        else:
            abbreviated, rest = ABBREVIATIONS[prefix], full[len(prefix):].strip()
            forms = [f"{abbreviated} {rest}", f"{abbreviated}\n{rest}", rest, _two_lines(rest)]
    out: list[str] = []
    for text in forms:
        if text and not text.endswith("\n") and text not in out:
            out.append(text)
    return out


def _two_lines(text: str) -> str:
    """``text`` broken at the space nearest its middle (empty when it is one word)."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return ""
    cut = min(spaces, key=lambda i: abs(2 * i - len(text)))
    return text[:cut] + "\n" + text[cut + 1:]


def anchor(geom: Any) -> shapely.Point:
    """A point well inside ``geom``: the pole of inaccessibility of its largest part (never outside, as a centroid)."""
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda g: g.area)
    if not isinstance(largest, shapely.Polygon) or largest.is_empty:
        return geom.representative_point()
    try:
        return polylabel(largest, tolerance=max(largest.length / 500, 1e-9))
    except (ValueError, shapely.errors.GEOSException):
        return largest.representative_point()
