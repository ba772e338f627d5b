"""Translated words and number formats for maps (every user-visible literal goes through ``tr``)."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from inspector.core.vocab import categories

Translate = Callable[[str], str]

SIGNALS = ("no_scans", "low_participation", "sudden_drop", "location_mismatch", "outside_declared_ward",
           "cloned_board", "staff_not_scanning", "citizen_reports")


def html_text(text: str) -> str:
    """Escape ``text`` for HTML, braces included.

    folium output is compiled as a Jinja template a second time (``branca.element.MacroElement.render``), so
    a literal ``{{`` from data or a translation would be evaluated there; ``&#123;`` shows the same brace.
    """
    return html.escape(str(text)).replace("{", "&#123;").replace("}", "&#125;")


def signal_labels(tr: Translate) -> dict[str, str]:
    """Signal code -> label."""
    return {
        "no_scans": tr("No scans"),
        "low_participation": tr("Low participation"),
        "sudden_drop": tr("Sudden drop in scans"),
        "location_mismatch": tr("Scans far from the venue"),
        "outside_declared_ward": tr("Outside the declared ward"),
        "cloned_board": tr("Cloned QR board"),
        "staff_not_scanning": tr("Staff not scanning"),
        "citizen_reports": tr("Citizen reports"),
    }


def metric_labels(tr: Translate) -> dict[str, str]:
    """Metric column -> label."""
    return {
        "scans_per_1000_per_day": tr("Scans per 1,000 residents per day"),
        "scans_per_venue_per_day": tr("Scans per venue per day"),
        "flagged_share": tr("Share of venues with active signals"),
    }


def level_labels(tr: Translate) -> dict[str, str]:
    """Map unit level -> plural label (unknown levels show their code)."""
    return {"province": tr("Provinces"), "district": tr("Districts"), "ward": tr("Wards and communes")}


def risk_labels(tr: Translate) -> tuple[str, str, str, str]:
    """Labels of the four risk classes."""
    return (tr("No signal (risk 0)"), tr("Low (1–29)"), tr("Medium (30–59)"), tr("High (60–100)"))


def category_labels(codes: Iterable[str], lang: str) -> list[str]:
    """Category label in ``lang`` ("vi" or "en") for every code (the code itself when unknown)."""
    table = categories()
    key = "vi" if lang.startswith("vi") else "en"
    return [str(table.get(code, {}).get(key, code)) if isinstance(code, str) else "" for code in codes]


def number(value: float | None, decimals: int, lang: str) -> str:
    """``value`` with ``decimals`` decimals; Vietnamese writes 1.234,5, English 1,234.5; "–" when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if lang.startswith("vi"):
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(share: float | None, lang: str) -> str:
    """Format a share 0-1 as a percentage with one decimal."""
    if share is None or pd.isna(share):
        return "–"
    return number(float(share) * 100, 1, lang) + "%"


def metric_value(metric: str, value: float | None, lang: str) -> str:
    """Format a metric value as the legend and tooltips print it."""
    return percent(value, lang) if metric == "flagged_share" else number(value, 1, lang)


def fmt_column(values: pd.Series, decimals: int, lang: str) -> list[str]:
    """Format a whole column with :func:`number`."""
    return [number(v, decimals, lang) for v in np.asarray(values, dtype=float)]
