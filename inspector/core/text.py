"""Normalise Vietnamese text so names match across Unicode forms, look-alike letters and accents."""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters that look like Vietnamese ones but are other code points (seen in real registries:
# Icelandic eth typed for D-stroke, African D).
#: look-alike letters made Vietnamese, and invisible characters (controls, zero-width spaces, a stray BOM)
#: that would make two equal ids differ removed; the controls Python counts as spaces (tabs, form
#: feeds, separators 0x1C-0x1F) are left to be spaces, as they always were
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ",
                             **{chr(c): None for c in range(0x20) if not chr(c).isspace()}, "\x7f": None,
                             "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None})

# Administrative type prefixes, accents removed; a prefix must be followed by a space or a dot.
_UNIT_PREFIXES = re.compile(
    r"^(thanh pho|thi xa|thi tran|huyen|quan|phuong|xa|tinh|tp|tx|tt|h|q|p|x)(\.\s*|\s+)"
)
_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def clean(value: object) -> str:
    """Return ``value`` as NFC text with look-alike letters fixed and spaces collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_LOOKALIKES)
    return _SPACES.sub(" ", text).strip()


_BLANK_LINES = re.compile(r"\n{3,}")
_LINE_SPACES = re.compile(r"[^\S\n]+")


def clean_text(value: object) -> str:
    """Return free text (a description) as :func:`clean` does, but keeping its line breaks.

    Line ends (CR LF, CR, LF and Unicode line separators) become LF; spaces are collapsed
    within each line and stripped at its ends; runs of blank lines become one blank line.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_LOOKALIKES)
    lines = (_LINE_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def _ascii_lower(value: object) -> str:
    text = clean(value).lower().replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def fold(value: object) -> str:
    """Return a key that ignores case, accents, Unicode form, spaces and punctuation.

    ``fold("Tên cơ sở") == fold("TEN_CO_SO") == "tencoso"``.
    """
    # the accents NFD splits off are not [0-9a-z] either: one substitution drops them with the rest,
    # which is what _ascii_lower's loop over every character would do first (fold runs on every report's text)
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFD", clean(value).lower().replace("đ", "d")))


def words(value: object) -> list[str]:
    """The words of ``value`` without case or accents: ``words("Huyện_Thị xã") == ["huyen", "thi", "xa"]``."""
    return [w for w in _NOT_ALNUM.split(_ascii_lower(value)) if w]


# Vietnamese alphabetical order (Latin letters not in it, f j w z, keep their Latin places) and the five tone
# marks in dictionary order: none, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot below (nặng).
_ALPHABET = {letter: rank for rank, letter in enumerate("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def sort_key(value: object) -> str:
    """Return a key that sorts text in Vietnamese alphabetical order.

    Letters first (``a < ă < â < b … d < đ … o < ô < ơ … u < ư``, case ignored), then tones
    (``a < à < ả < ã < á < ạ``), then case. Digits, spaces and punctuation sort before letters. The key
    is a plain string, so it also works as a Qt sort role or a pandas sort key.
    """
    parts = [_letter_key(ch) for ch in clean(value)]
    return "".join(p[0] for p in parts) + "\0" + "".join(p[1] for p in parts) + "\0" + "".join(p[2] for p in parts)


@functools.lru_cache(maxsize=4096)
def _letter_key(ch: str) -> tuple[str, str, str]:
    """One character's part of :func:`sort_key`: its letter, its tone and its case."""
    parts = unicodedata.normalize("NFD", ch.lower())
    tone = next((_TONES[p] for p in parts if p in _TONES), 0)
    base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
    rank = _ALPHABET.get(base)
    letter = chr(0x100 + rank) if rank is not None else (  # after the letters: the rest, Latin-1 first
        base if base < "\u0100" else chr(min(0x200 + ord(base[0]), 0x10FFFF)))
    return letter, chr(0x30 + tone), "1" if ch.isupper() else "0"


def strip_unit_prefix(name: object) -> str:
    """Drop an administrative type prefix: ``"Phường Tây Lộc"`` becomes ``"Tây Lộc"``."""
    text = clean(name)
    match = _UNIT_PREFIXES.match(_ascii_lower(text))
    # accents removed keep one character per character, so the match length carries over
    return text[match.end():].strip() if match and match.end() < len(text) else text


def name_key(name: object) -> str:
    """Key for matching unit names exactly (case-insensitive, prefix dropped, accents kept)."""
    return clean(strip_unit_prefix(name)).lower()


def loose_name_key(name: object) -> str:
    """Key for matching unit names when the exact key fails (accents dropped too)."""
    return fold(strip_unit_prefix(name))


def normalise_code(value: object, width: int = 0) -> str:
    """Return an administrative or venue code as text: ``474.0`` -> ``"474"``.

    With a ``width`` (an administrative level's), a numeric code is canonical: extra leading zeros
    dropped, then zero-padded to ``width`` (``"019750"``, ``19750.0`` -> ``"19750"``; ``46`` ->
    ``"046"`` for a district). Without, its digits are kept as written. Non-numeric codes are
    returned cleaned but otherwise unchanged.
    """
    text = clean(value)
    if not text or text.lower() in {"nan", "none", "null"}:
        return ""
    if re.fullmatch(r"\d+(\.0+)?", text):
        text = text.split(".")[0]
        return (text.lstrip("0") or "0").zfill(width) if width else text
    return text


def id_key(value: object) -> str:
    """Key for matching venue ids written differently: case ignored, and a number's leading zeros dropped.

    ``id_key("v901") == id_key("V901")`` and ``id_key("0090600060") == id_key("90600060")``.
    Importers match an id by this key only when its text as written names no venue.
    """
    text = clean(value).lower()
    return (text.lstrip("0") or "0") if text.isascii() and text.isdigit() else text


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


#: The most characters a cell of Excel holds; a longer one spills into the cells next to it.
SPREADSHEET_CELL_LIMIT = 32_767


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet shows as it is: formulas neutralised, and no longer than a cell holds.

    Leading ``= + - @``, tab or CR (a formula to Excel or LibreOffice) gets a leading apostrophe;
    plain numbers such as ``-16.5`` are left alone. Text longer than
    :data:`SPREADSHEET_CELL_LIMIT` is cut to it, ending in "…".
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "=+-@\t\r" and not _NUMBER.match(value):
        value = "'" + value
    if len(value) > SPREADSHEET_CELL_LIMIT:
        value = value[: SPREADSHEET_CELL_LIMIT - 1] + "…"
    return value
