"""Controlled vocabularies (categories, statuses, report kinds): codes and accepted spellings."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from inspector.core import resources
from inspector.core.text import fold


@cache
def _lookup(name: str) -> dict[str, str]:
    if name == "category":
        table = {code: spec["aliases"] + [code, spec["vi"], spec["en"]]
                 for code, spec in resources.load_toml("categories.toml").items()}
    else:
        table = {code: [*aliases, code] for code, aliases in resources.load_toml("venue_values.toml")[name].items()}
    return {fold(alias): code for code, aliases in table.items() for alias in aliases}


def categories() -> dict[str, dict]:
    """Category code -> its spec (labels, share, size ranges) from ``resources/categories.toml``."""
    return resources.load_toml("categories.toml")


def categories_matching(text: str) -> set[str]:
    """The categories a search for ``text`` names: one of their names or spellings, ignoring case and accents.

    ``categories_matching("ca phe") == categories_matching("Cafe") == {"cafe"}``. Three letters or more also
    match the start of a name (``"quán"``: cafés and restaurants); shorter text must be a whole name, so a
    search for the venue "An Phú" does not bring every "quán ăn".
    """
    key = fold(text)
    return {code for alias, code in _lookup("category").items()
            if key and (alias == key or (len(key) >= 3 and alias.startswith(key)))}


def to_codes(vocabulary: str, values: pd.Series, default: str) -> tuple[np.ndarray, np.ndarray]:
    """Map free text to vocabulary codes; return ``(codes, recognised)``.

    An exact (folded) alias wins; otherwise the longest alias contained in the text; otherwise
    ``default``. Empty (or missing) cells map to ``default`` and count as recognised.
    """
    lookup = _lookup(vocabulary)
    by_length = sorted(lookup, key=len, reverse=True)
    # each distinct text is read once; a missing value (-1) reads as the empty one put last
    which, spellings = pd.factorize(values)
    spellings = [*spellings, None]
    codes = np.empty(len(spellings), dtype=object)
    known = np.ones(len(spellings), dtype=bool)
    for i, value in enumerate(spellings):
        key = fold(value)
        code = lookup.get(key) or next((lookup[a] for a in by_length if a and a in key), None)
        if not key:
            codes[i] = default
        elif code is None:
            codes[i], known[i] = default, False
        else:
            codes[i] = code
    return codes[which], known[which]
