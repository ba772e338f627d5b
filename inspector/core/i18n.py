"""Translations: gettext catalogues in ``resources/locale``, compiled in memory at run time.

English is the source language; Vietnamese (``vi``) is the default interface language. Nothing is
put into builtins: callers hold the :data:`Translate` function they were given.
"""

from __future__ import annotations

import datetime as dt
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


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``text`` for extraction without translating it now."""
    return text


#: Qt's own texts (msgctxt = the Qt class), kept apart: they are not extracted from our code.
QT_DOMAIN = "qt"


@cache
def _catalogue(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    if lang == "en" or lang not in LANGUAGES:
        return gettext.NullTranslations()
    with resources.path(f"locale/{lang}/LC_MESSAGES/{domain}.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(lang: str = DEFAULT_LANGUAGE) -> Translate:
    """Return the ``gettext`` function of ``lang`` (identity for English or an unknown language)."""
    return _catalogue(lang).gettext


def qt_translator(lang: str = DEFAULT_LANGUAGE) -> Callable[[str, str], str]:
    """Return ``pgettext(qt_class, text)`` of ``lang`` for Qt's own texts (Qt ships no Vietnamese catalogue)."""
    return _catalogue(lang, QT_DOMAIN).pgettext


#: How a language writes numbers, shown by example: each catalogue writes it its own way.
NUMBER_EXAMPLE = N_("1,234.5")


def separators(tr: Translate) -> tuple[str, str]:
    """The thousands separator and decimal mark of ``tr``'s language (Vietnamese: ``.`` and ``,``)."""
    written = tr(NUMBER_EXAMPLE)
    if len(written) == 7 and not written[1].isdigit() and not written[5].isdigit():
        return written[1], written[5]
    return ",", "."


def number(value: object, decimals: int, lang: str) -> str:
    """``value`` with ``decimals`` decimals as ``lang`` writes it (1.234,5 in Vietnamese); "–" when missing."""
    try:
        figure = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if math.isnan(figure):
        return "–"
    return grouped(f"{figure:,.{decimals}f}", translator(lang))


def day(value: dt.date, lang: str) -> str:
    """A date as ``lang`` writes it in documents: 13/08/2021 in Vietnamese, 13 Aug 2021 in English."""
    return value.strftime("%d/%m/%Y" if lang.startswith("vi") else "%d %b %Y")


def grouped(text: str, tr: Translate) -> str:
    """A number written by Python (``1,234.5``) written as ``tr``'s language writes it."""
    thousands, point = separators(tr)
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)
