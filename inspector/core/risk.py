"""A venue's risk of violation (0-100) from its signs, each weighed by the strength of its evidence."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def risk(venue_ids: pd.Series, signals: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Risk 0-100 = 100 x (1 - product of (1 - weight x strength)) over each venue's signals.

    A signal's strength (:func:`_strength`, 0.5 to 1) tells a board gone for weeks from one silent
    for a week, or a venue at 5 % of its peers from one at 24 %.
    """
    if signals.empty:
        return pd.DataFrame({"venue_id": venue_ids, "risk": 0, "n_signals": 0, "signals": ""})
    strength = [_strength(code, evidence) for code, evidence in zip(signals["signal"], signals["evidence"],
                                                                     strict=True)]
    weight = signals["signal"].map(weights).fillna(0.1).to_numpy(float) * np.asarray(strength)
    keep = signals.assign(log_survive=np.log1p(-np.clip(weight, 0, 0.99)))
    grouped = keep.groupby("venue_id").agg(log_survive=("log_survive", "sum"), n_signals=("signal", "size"),
                                           signals=("signal", ",".join))
    risk = pd.DataFrame({"venue_id": venue_ids}).merge(grouped, on="venue_id", how="left")
    risk["risk"] = (100 * (1 - np.exp(risk.pop("log_survive").fillna(0.0)))).round().astype(int)
    risk["n_signals"] = risk["n_signals"].fillna(0).astype(int)
    risk["signals"] = risk["signals"].fillna("")
    return risk[["venue_id", "risk", "n_signals", "signals"]]


#: Silent this many days, a venue's "no scans" has its full strength (half of it at half as many).
FULL_SILENCE_DAYS = 14


def _strength(code: str, evidence: dict[str, Any]) -> float:
    """How strongly ``evidence`` shows signal ``code``, from 0.5 (just over its threshold) to 1."""
    def share(key: str, complement: bool = False) -> float:
        value = evidence.get(key)
        if value is None:
            return 1.0
        return 1 - float(value) if complement else float(value)

    strength = {
        "no_scans": lambda: (evidence.get("days_without_scans") or 0) / FULL_SILENCE_DAYS,
        "low_participation": lambda: share("ratio", complement=True),
        "staff_not_scanning": lambda: share("ratio", complement=True),
        "sudden_drop": lambda: share("drop_share"),
        "location_mismatch": lambda: share("far_share"),
        "citizen_reports": lambda: 0.25 + 0.25 * (evidence.get("reports") or 1),  # three reports: full
    }.get(code, lambda: 1.0)()
    return float(np.clip(strength, 0.5, 1.0))
