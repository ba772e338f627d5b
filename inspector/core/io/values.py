"""Turn text cells into numbers and dates, vectorised; bad cells become NaN/NaT for rejection."""

from __future__ import annotations

import numpy as np
import pandas as pd

from inspector.core.io.timestamps import parse_local


def parse_float(values: pd.Series) -> pd.Series:
    """Parse decimals written with ``.`` or ``,`` (``16,4567``); empty and bad cells give NaN."""
    text = values.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
    comma_decimal = text.str.fullmatch(r"[+-]?\d+,\d+").fillna(False)
    text = text.where(~comma_decimal, text.str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce").astype(float)


def bad_cells(values: pd.Series, parsed: pd.Series) -> np.ndarray:
    """Return True where a cell has text that did not parse."""
    present = values.astype("string").str.strip().fillna("") != ""
    return (present & parsed.isna()).to_numpy()


def parse_count(values: pd.Series) -> pd.Series:
    """Parse whole non-negative counts (``1.234`` and ``1,234`` as thousands); bad cells give NaN."""
    text = values.astype("string").str.strip().str.replace(r"[.,\s](?=\d{3}\b)", "", regex=True)
    number = pd.to_numeric(text, errors="coerce")
    return number.where(number == np.floor(number)).astype(float)


def parse_date(values: pd.Series) -> pd.Series:
    """Parse dates (any of the timestamp formats; the time part is dropped) to ``YYYY-MM-DD`` text."""
    parsed = parse_local(values)
    return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None)
