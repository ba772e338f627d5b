"""The citizen reports that found no venue, on the web map: where people complained and no venue is registered."""

from __future__ import annotations

import datetime as dt

import folium
import pandas as pd

from inspector.core.i18n import day
from inspector.core.names import REPORT_KIND_NAMES
from maps.evidence import shortened
from maps.labels import Translate, html_text

#: The reports' symbol: a white circle ringed in purple, apart from the risk colours of the venues.
RING, FILL = "#6a3d9a", "#ffffff"


def report_layer(reports: pd.DataFrame, *, tr: Translate, lang: str, pane: str) -> folium.GeoJson:
    """A layer of ``reports`` (:attr:`maps.data.MapData.reports`), each with a tooltip of its day, kind and text.

    The tooltip is HTML that folium fills in: every text from the data is escaped here.
    """
    features = []
    for at, kind, text, lat, lon in zip(reports["reported_at"], reports["kind"], reports["description"],
                                        reports["lat"], reports["lon"], strict=True):
        when = str(at or "")
        try:
            said = day(dt.date.fromisoformat(when[:10]), lang) + when[10:16]
        except ValueError:
            said = when
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]},
            "properties": {"when": html_text(said), "kind": html_text(tr(REPORT_KIND_NAMES.get(kind, kind or "–"))),
                           "text": html_text(shortened(" ".join(str(text or "").split())) or "–")},
        })
    aliases = [html_text(tr("Reported")), html_text(tr("Violation")), html_text(tr("Text"))]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=html_text(tr("Citizen reports without a venue")),
        marker=folium.CircleMarker(radius=6, color=RING, weight=2, fill=True, fill_color=FILL, fill_opacity=0.9,
                                   pane=pane),
        tooltip=folium.GeoJsonTooltip(fields=["when", "kind", "text"], aliases=aliases, sticky=True),
        pane=pane,
    )


def report_legend(tr: Translate) -> str:
    """The legend's section for the reports' symbol."""
    symbol = f"<i class='dot' style='background:{FILL};box-shadow:inset 0 0 0 2px {RING}'></i>"
    return (f"<div class='legend-title'>{html_text(tr('Citizen reports without a venue'))}</div>"
            f"<div class='legend-row'>{symbol}{html_text(tr('No registered venue near or named'))}</div>")
