"""Translated words and number formats for maps (every user-visible literal goes through ``tr``)."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from inspector.core.i18n import number
from inspector.core.names import SIGNAL_NAMES
from inspector.core.vocab import categories

Translate = Callable[[str], str]

#: most decimals a class bound gets (a legend of 0,0001-wide classes says nothing more with more)
MAX_DECIMALS = 4


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


def layer_title(level: str | None, column: str, tr: Translate) -> str:
    """Title of a choropleth of ``column``: "Wards and communes: Scans per ...", the metric alone without a level.

    The web map's layer list and legend and the static map's legend name a layer the same way.
    """
    metric = metric_labels(tr)[column]
    if level is None:
        return metric
    return tr("{level}: {metric}").format(level=level_labels(tr).get(level, level), metric=metric)


def risk_labels(tr: Translate) -> tuple[str, str, str, str]:
    """Labels of the four risk classes."""
    return (tr("No signal (risk 0)"), tr("Low (1–29)"), tr("Medium (30–59)"), tr("High (60–100)"))


def category_labels(codes: Iterable[str], lang: str) -> list[str]:
    """Category label in ``lang`` ("vi" or "en") for every code (the code itself when unknown)."""
    table = categories()
    key = "vi" if lang.startswith("vi") else "en"
    return [str(table.get(code, {}).get(key, code)) if isinstance(code, str) else "" for code in codes]


def percent(share: float | None, lang: str, decimals: int = 1) -> str:
    """Format a share 0-1 as a percentage (one decimal unless told)."""
    if share is None or pd.isna(share):
        return "–"
    return number(float(share) * 100, decimals, lang) + "%"


def metric_value(metric: str, value: float | None, lang: str, decimals: int = 1) -> str:
    """Format a metric value as the legend and tooltips print it (one decimal unless told)."""
    return percent(value, lang, decimals) if metric == "flagged_share" else number(value, decimals, lang)


def class_decimals(metric: str, breaks: Sequence[float]) -> int:
    """Fewest decimals (at least one, at most ``MAX_DECIMALS``) that print distinct adjacent bounds differently."""
    scale = 100.0 if metric == "flagged_share" else 1.0
    values = [float(b) * scale for b in breaks if math.isfinite(b)]
    pairs = [(a, b) for a, b in pairwise(values) if not math.isclose(a, b, abs_tol=1e-12)]
    for decimals in range(1, MAX_DECIMALS):
        if all(f"{a:.{decimals}f}" != f"{b:.{decimals}f}" for a, b in pairs):
            return decimals
    return MAX_DECIMALS


def class_labels(metric: str, breaks: Sequence[float], lang: str) -> list[str]:
    """One legend label per class of ``breaks`` ("low – high", or one value where both bounds print alike).

    Parameters
    ----------
    metric
        The column the classes are of (shares print as percentages).
    breaks
        Class edges, one more than there are classes (:attr:`maps.figures.Classes.breaks`).
    lang
        Language code for the number format.
    """
    decimals = class_decimals(metric, breaks)
    texts = [metric_value(metric, b, lang, decimals) for b in breaks]
    return [low if low == high else f"{low} – {high}" for low, high in pairwise(texts)]


def break_values(metric: str, breaks: Sequence[float], lang: str) -> list[str]:
    """The distinct class edges as the legend prints them (with :func:`class_decimals` decimals)."""
    decimals = class_decimals(metric, breaks)
    texts = [metric_value(metric, b, lang, decimals) for b in breaks]
    return [t for i, t in enumerate(texts) if i == 0 or t != texts[i - 1]]


def fmt_column(values: pd.Series, decimals: int, lang: str) -> list[str]:
    """Format a whole column with :func:`number`."""
    return [number(v, decimals, lang) for v in np.asarray(values, dtype=float)]
