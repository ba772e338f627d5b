"""Translations: gettext catalogues in ``resources/locale``, compiled in memory at run time.

English is the source language; Vietnamese (``vi``) is the default interface language. Nothing is
put into builtins: callers hold the :data:`Translate` function they were given.
"""

from __future__ import annotations

import gettext
import io
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


def _identity(text: str) -> str:
    return text


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``text`` for extraction without translating it now."""
    return text
