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
    # per venue, in the order found (by hand: a pandas aggregation joining strings runs group by group)
    order = np.argsort(signals["venue_id"].to_numpy(dtype=object), kind="stable")
    ids, codes = signals["venue_id"].to_numpy(dtype=object)[order], signals["signal"].to_numpy(dtype=object)[order]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    ends = np.r_[starts[1:], len(ids)]
    grouped = pd.DataFrame({"venue_id": ids[starts], "log_survive": np.add.reduceat(
        np.log1p(-np.clip(weight[order], 0, 0.99)), starts), "n_signals": ends - starts,
        "signals": [",".join(codes[a:b]) for a, b in zip(starts, ends, strict=True)]})
    risk = pd.DataFrame({"venue_id": venue_ids}).merge(grouped, on="venue_id", how="left")
    risk["risk"] = (100 * (1 - np.exp(risk.pop("log_survive").fillna(0.0)))).round().astype(int)
    risk["n_signals"] = risk["n_signals"].fillna(0).astype(int)
    risk["signals"] = risk["signals"].fillna("")
    return risk[["venue_id", "risk", "n_signals", "signals"]]


#: Silent this many days, a venue's "no scans" has its full strength (half of it at half as many).
FULL_SILENCE_DAYS = 14


def _strength(code: str, evidence: dict[str, Any]) -> float:
    """How strongly ``evidence`` shows signal ``code``, from 0.5 (just over its threshold) to 1."""
    if code == "no_scans":
        strength = (evidence.get("days_without_scans") or 0) / FULL_SILENCE_DAYS
    elif code == "citizen_reports":
        strength = 0.25 + 0.25 * (evidence.get("reports") or 1)  # three reports: full
    elif code in SHARES:
        key, complement = SHARES[code]
        value = evidence.get(key)
        strength = 1.0 if value is None else 1 - float(value) if complement else float(value)
    else:
        strength = 1.0
    return min(max(float(strength), 0.5), 1.0)


#: the signals whose strength is a share in their evidence: its key, and whether its complement is meant
SHARES = {"low_participation": ("ratio", True), "staff_not_scanning": ("ratio", True),
          "sudden_drop": ("drop_share", False), "location_mismatch": ("far_share", False)}
