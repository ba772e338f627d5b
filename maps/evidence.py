"""The evidence behind each sign of violation, as one sentence a department head can check."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from inspector.core.i18n import day, number
from inspector.core.names import REPORT_KIND_NAMES
from maps.labels import Translate, percent

#: per venue: signal code -> (first day or ``None``, evidence numbers), as :func:`by_venue` builds it
Evidence = dict[str, tuple[str | None, dict[str, Any]]]


def by_venue(signals: pd.DataFrame) -> pd.Series:
    """Group an assessment's ``signals`` (venue_id, signal, since, evidence) into one :data:`Evidence` per venue."""
    grouped: dict[str, Evidence] = {}
    for venue, code, since, evidence in zip(signals["venue_id"], signals["signal"], signals["since"],
                                            signals["evidence"], strict=True):
        grouped.setdefault(venue, {})[code] = (since, evidence)
    return pd.Series(grouped, dtype=object)


def explain(code: str, since: str | None, evidence: Mapping[str, Any], *, tr: Translate, lang: str,
            unit_names: Mapping[str, str] | None = None) -> str:
    """One sentence with the numbers behind signal ``code`` (empty when its evidence lacks them).

    Parameters
    ----------
    code
        A signal code of :data:`inspector.core.signals.SIGNALS`.
    since
        The signal's first day (ISO), or ``None``.
    evidence
        The signal's numbers, as :func:`inspector.core.signals.assess` gives them.
    unit_names
        Unit code -> name, to name wards instead of giving their codes.
    """
    e = _Figures(evidence, lang)
    names = unit_names or {}
    workdays = evidence.get("per") == "workday"  # an agency's rates are per working day
    if code == "no_scans":
        if not _present(evidence.get("last_scan_day")):  # since: the period's start, or its registration
            return tr("No scan at all since {day}; venues of its kind get {expected} a day.").format(
                day=_day(since, lang), expected=e.amount("expected_per_day"))
        said = (tr("No scan for {days} days, since {day}; it had {expected} a working day before.") if workdays
                else tr("No scan for {days} days, since {day}; it had {expected} a day before."))
        return said.format(days=e.num("days_without_scans", 0), day=_day(since, lang),
                           expected=e.amount("expected_per_day"))
    if code == "low_participation":
        return tr("{observed} visitor scans a day: {share} of the {expected} expected of its kind and size.").format(
            observed=e.amount("visitor_scans_per_day"), share=e.pct("ratio"), expected=e.amount("expected_per_day"))
    if code == "sudden_drop":
        said = (tr("Down {drop} from {day}: {before} scans a working day before, {recent} over the last working "
                   "days.") if workdays
                else tr("Down {drop} from {day}: {before} scans a day before, {recent} over the last days."))
        return said.format(recent=e.amount("recent_per_day"), day=_day(since, lang),
                           before=e.amount("before_per_day"), drop=e.pct("drop_share"))
    if code == "cloned_board":
        if (e.value("jump_scans") or 0) < 2:  # two populations of scans, rather than scans minutes apart
            return tr("{share} of its located scans were made at a second place, about {km} km from the venue."
                      ).format(share=e.pct("far_share"), km=e.num("second_place_km", 1))
        return tr("{jumps} scans were made within ten minutes of one at the venue, about {km} km from it ({share} "
                  "of its located scans).").format(
            jumps=e.num("jump_scans", 0), km=e.num("second_place_km", 1),
            share=e.pct("jump_share" if _present(evidence.get("jump_share")) else "far_share"))
    if code == "location_mismatch":
        return tr("{share} of its {gps} located scans were made about {distance} from the registered point.").format(
            share=e.pct("far_share"), gps=e.num("gps_scans", 0), distance=e.distance("far_dist_m"))
    if code == "outside_declared_ward":
        if evidence.get("flag") == "outside_province":
            return tr("The registered point lies outside the province.")
        ward, declared = (str(evidence.get(k) or "") for k in ("ward_code", "declared_ward_code"))
        return tr("The registered point lies in {ward}, not in the declared {declared}.").format(
            ward=names.get(ward, ward) or "–", declared=names.get(declared, declared) or "–")
    if code == "staff_not_scanning":
        if evidence.get("judged_on") == "recent":  # staff stopped late in the period
            return tr("Over the last days, {recent} of its {staff} staff scan on a working day ({share}); "
                      "{scanning} a working day over the whole period.").format(
                recent=e.amount("recent_staff_scanning_per_workday"), staff=e.num("staff", 0), share=e.pct("ratio"),
                scanning=e.amount("staff_scanning_per_workday"))
        return tr("{scanning} of its {staff} staff scan on a working day ({share}).").format(
            scanning=e.amount("staff_scanning_per_workday"), staff=e.num("staff", 0), share=e.pct("ratio"))
    if code == "citizen_reports":
        kinds = [k for k in str(evidence.get("kinds") or "").split(",") if k]
        said = tr("Reports: {reports} ({kinds}).").format(
            reports=e.num("reports", 0), kinds=", ".join(tr(REPORT_KIND_NAMES.get(k, k)) for k in kinds) or "–")
        text = " ".join(str(evidence.get("last_text") or "").split())  # one line
        if not text:
            return said
        last = str(evidence.get("last_at") or "")[:10]
        quoted = tr("On {day}: “{text}”") if e.value("reports") == 1 else tr("The latest, on {day}: “{text}”")
        return said + " " + quoted.format(day=_day(last, lang) if _iso_day(last) else "–", text=shortened(text))
    return ""


#: The most of a report's text a sign's evidence quotes (a popup's or a tooltip's line, not the report).
QUOTED_CHARS = 120


def shortened(text: str) -> str:
    """``text`` up to :data:`QUOTED_CHARS`, cut at a word with "…" when longer."""
    if len(text) <= QUOTED_CHARS:
        return text
    cut = text[:QUOTED_CHARS].rsplit(" ", 1)[0] if " " in text[:QUOTED_CHARS] else text[:QUOTED_CHARS]
    return cut.rstrip(" ,.;:") + "…"


def _iso_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


class _Figures:
    """The evidence's numbers written as ``lang`` writes them ("–" when one is missing)."""

    def __init__(self, evidence: Mapping[str, Any], lang: str) -> None:
        self.evidence, self.lang = evidence, lang

    def value(self, key: str) -> float | None:
        try:
            value = float(self.evidence.get(key))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return None if math.isnan(value) else value

    def num(self, key: str, decimals: int) -> str:
        return number(self.value(key), decimals, self.lang)

    def amount(self, key: str) -> str:
        """A rate: one decimal below 10, none from 10 up."""
        value = self.value(key)
        return number(value, 1 if value is not None and abs(value) < 10 else 0, self.lang)

    def distance(self, key: str) -> str:
        """Metres up to a kilometre, then kilometres with one decimal."""
        value = self.value(key)
        if value is not None and value >= 1000:
            return number(value / 1000, 1, self.lang) + " km"
        return number(value, 0, self.lang) + " m"

    def pct(self, key: str) -> str:
        return percent(self.value(key), self.lang, 0)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def _day(iso: str | None, lang: str) -> str:
    return day(dt.date.fromisoformat(iso), lang) if iso else "–"
