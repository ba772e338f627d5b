"""Translated words and number formats for maps (every user-visible literal goes through ``tr``)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from inspector.core.i18n import number
from inspector.core.messages import SIGNAL_NAMES
from inspector.core.vocab import categories

Translate = Callable[[str], str]

def html_text(text: str) -> str:
    """Escape ``text`` for HTML, braces included.

    folium output is compiled as a Jinja template a second time (``branca.element.MacroElement.render``), so
    a literal ``{{`` from data or a translation would be evaluated there; ``&#123;`` shows the same brace.
    """
    return html.escape(str(text)).replace("{", "&#123;").replace("}", "&#125;")


def signal_labels(tr: Translate) -> dict[str, str]:
    """Signal code -> label (the names the whole application uses)."""
    return {code: tr(name) for code, name in SIGNAL_NAMES.items()}


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
