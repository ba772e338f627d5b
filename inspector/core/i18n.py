"""Translations: gettext catalogues in ``resources/locale``, compiled in memory at run time.

English is the source language; Vietnamese (``vi``) is the default interface language. Nothing is
put into builtins: callers hold the :data:`Translate` function they were given.
"""

from __future__ import annotations

import gettext
import io
import math
from collections.abc import Callable
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from inspector.core import resources

Translate = Callable[[str], str]

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"
DOMAIN = "inspector"


@cache
def translator(lang: str = DEFAULT_LANGUAGE) -> Translate:
    """Return the ``gettext`` function of ``lang`` (identity for English or an unknown language)."""
    if lang == "en" or lang not in LANGUAGES:
        return _identity
    with resources.path(f"locale/{lang}/LC_MESSAGES/{DOMAIN}.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer).gettext


def number(value: object, decimals: int, lang: str) -> str:
    """``value`` with ``decimals`` decimals; Vietnamese writes 1.234,5, English 1,234.5; "–" when missing."""
    try:
        figure = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if math.isnan(figure):
        return "–"
    text = f"{figure:,.{decimals}f}"
    if lang.startswith("vi"):
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _identity(text: str) -> str:
    return text


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``text`` for extraction without translating it now."""
    return text
