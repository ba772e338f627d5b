"""Read venue names and addresses as people write them: abbreviations, category words, address forms.

The vocabulary is in ``resources/venue_names.toml`` (with the category aliases of
``resources/categories.toml``). Every function here works on distinct values once, so a column of
50,000 names costs the distinct names' count of small string operations, and returns plain keys that
the matching (:mod:`inspector.core.importers.report_names`) joins on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from inspector.core import resources
from inspector.core.text import clean

#: The words of an administrative unit's kind, in their usual form ("Phường Hộ Thuận", "Thị xã Hương Thủy").
_UNIT_WORDS = (("phuong",), ("xa",), ("quan",), ("huyen",), ("tinh",), ("thanh", "pho"), ("thi", "xa"),
               ("thi", "tran"))
#: Words whose number is not a house's: "Phường 5", "Tổ 3", "Kiệt 5" (an alley of many houses).
_NOT_HOUSE = frozenset({"phuong", "quan", "xa", "huyen", "khu", "to", "thon", "ap", "doi", "kiet", "hem", "ngo",
                        "ngach", "lo"})
#: What comes before a street's or a unit's name in a part of an address: numbers aside, these.
_PLACE_LEAD = frozenset({"so", "kiet", "hem", "ngo", "ngach", "duong", "pho", "k", "h"})


@dataclass(frozen=True)
class _Vocabulary:
    abbreviations: dict[tuple[str, ...], tuple[str, ...]]
    longest_abbreviation: int
    category_words: dict[tuple[str, ...], int]  # the words -> a bit per family they may belong to
    longest_category_word: int
    families: tuple[str, ...]  # the family of each bit
    min_letters: int
    address_words: dict[str, tuple[str, ...]]


@cache
def _vocabulary() -> _Vocabulary:
    spec = resources.load_toml("venue_names.toml")
    abbreviations = {tuple(_words(k)): tuple(_words(v)) for k, v in spec["abbreviations"].items()}
    longest = max(map(len, abbreviations))

    def usual(text: str) -> tuple[str, ...]:
        return tuple(_usual_words(_words(text), abbreviations, longest))

    by_words: dict[tuple[str, ...], set[str]] = {}
    for code, category in resources.load_toml("categories.toml").items():
        for alias in [*category["aliases"], category["vi"]]:
            by_words.setdefault(usual(alias), set()).add(code)
    for phrase in spec["not_category_words"]["words"]:
        by_words.pop(usual(phrase), None)
    for phrase, families in spec["category_words"].items():
        by_words.setdefault(usual(phrase), set()).update(families)
    by_words.pop((), None)
    families = tuple(sorted({f for fs in by_words.values() for f in fs}))
    bits = {f: 1 << i for i, f in enumerate(families)}
    category_words = {k: sum(bits[f] for f in fs) for k, fs in by_words.items()}
    address_words = {_words(k)[0]: tuple(_words(v)) for k, v in spec["address_words"].items()}
    return _Vocabulary(abbreviations, longest, category_words, max(map(len, category_words)), families,
                       int(spec["distinctive"]["min_letters"]), address_words)


def _usual_words(tokens: list[str], table: dict[tuple[str, ...], tuple[str, ...]], longest: int) -> list[str]:
    """``tokens`` with abbreviations written out, twice: "trường trung học phổ thông" is "trường thpt", so "thpt"."""
    return _expanded(_expanded(tokens, table, longest), table, longest)


def _expanded(tokens: list[str], table: dict[tuple[str, ...], tuple[str, ...]], longest: int) -> list[str]:
    """``tokens`` with each phrase of ``table`` (the longest first, left to right) replaced by its usual form."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            found = table.get(tuple(tokens[i:i + size]))
            if found is not None:
                out.extend(found)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def name_forms(names: pd.Series) -> pd.DataFrame:
    """Each name's usual form, its category word's families and its distinctive part.

    Parameters
    ----------
    names
        Venue names as written (missing ones read as empty).

    Returns
    -------
    pandas.DataFrame
        On ``names``' index: ``usual`` (the words, accents and case aside, abbreviations written out:
        ``"Cty TNHH Bình Minh"`` -> ``"cong ty tnhh binh minh"``), ``families`` (a bit per family of
        its category word, 0 when it has none: see :func:`family_names`), ``distinctive`` (the
        usual form without its category word: ``"binh minh"``; the whole usual form when it has none,
        empty when the name is only a category word) and ``core`` (the usual form from the last
        category word of its stack on: ``"Cửa hàng tạp hóa Bà Tư"`` -> ``"tap hoa ba tu"``,
        ``"Quán cà phê An"`` -> ``"ca phe an"``; the usual form when it has no distinctive part).

        Category words stacked at the start of a name, each of a family of the one before, are all
        its category word, of the families they share: the distinctive part of "Cửa hàng tạp hóa Bà
        Tư" is "ba tu", of "Nhà hàng quán nhậu Hoa" "hoa"; "Quán tạp hóa Mai" keeps "tap hoa mai"
        ("quán" is a café's or an eatery's, "tạp hóa" a shop's).
    """
    forms = per_distinct(names, _forms)
    return pd.DataFrame({"usual": [f[0] for f in forms], "families": np.array([f[1] for f in forms], dtype=np.int64),
                         "distinctive": [f[2] for f in forms], "core": [f[3] for f in forms]}, index=names.index)


def per_distinct(values: pd.Series, fn: Callable[[str], Any]) -> np.ndarray:
    """``fn`` of each value as text (missing ones read as empty), computed once per distinct value."""
    which, distinct = pd.factorize(values.fillna("").astype(str))
    out = np.empty(len(distinct), dtype=object)
    for i, value in enumerate(distinct):  # one by one: a tuple is one result, not a row of them
        out[i] = fn(value)
    return out[which]


def family_names(bits: int) -> list[str]:
    """The families (category codes, or ``company``, ``pharmacy``...) of the bits :func:`name_forms` gave."""
    return [f for i, f in enumerate(_vocabulary().families) if bits >> i & 1]


def _forms(name: str) -> tuple[str, int, str, str]:
    vocab = _vocabulary()
    tokens = _usual_words(_words(name), vocab.abbreviations, vocab.longest_abbreviation)
    usual = " ".join(tokens)
    for size in range(min(vocab.longest_category_word, len(tokens)), 0, -1):
        for start in (0, len(tokens) - size):  # a leading category word first ("Quán cà phê Xanh"), else trailing
            families = vocab.category_words.get(tuple(tokens[start:start + size]))
            if families is None:
                continue
            if start:
                return usual, families, " ".join(tokens[:start]), usual
            rest = tokens[size:]
            while (more := _leading_category_word(rest, families)) is not None:  # "cửa hàng tạp hóa Bà Tư"
                families, rest = families & more[1], rest[more[0]:]
            if not rest:
                return usual, families, "", usual
            # the core keeps the shortest category word the stack ends with: "tạp hóa", "cà phê" of "quán cà phê"
            end = len(tokens) - len(rest)
            last = next(i for i in range(end - 1, -1, -1)
                        if vocab.category_words.get(tuple(tokens[i:end]), 0) & families)
            return usual, families, " ".join(rest), " ".join(tokens[last:])
    return usual, 0, usual, usual


def _leading_category_word(tokens: list[str], families: int) -> tuple[int, int] | None:
    """The size and families of the longest category word ``tokens`` begin with, if of one of ``families``."""
    vocab = _vocabulary()
    for size in range(min(vocab.longest_category_word, len(tokens)), 0, -1):
        found = vocab.category_words.get(tuple(tokens[:size]))
        if found is not None:
            return (size, found) if found & families else None
    return None


def too_generic(distinctive: pd.Series, places: set[str]) -> np.ndarray:
    """Whether each distinctive part is too short or too common to name one venue on its own.

    It is when it has fewer than ``min_letters`` letters (digits not counted: "An", "Hoa", "36",
    "Số 5"), when it begins with the word of an administrative unit ("phường Hộ Thuận": every agency
    of the ward), or when it is one of ``places``: a street or unit name of the registry's addresses
    (:func:`place_names`), which a citizen may write for anything in that street.
    """
    minimum = _vocabulary().min_letters
    return per_distinct(distinctive, lambda d: bool(
        sum(c.isalpha() for c in d) < minimum or _unit_led(d.split(" ")) or d in places)).astype(bool)


_UNIT_FIRST = {w[0]: [u for u in _UNIT_WORDS if u[0] == w[0]] for w in _UNIT_WORDS}


def _unit_led(tokens: list[str]) -> int:
    """How many leading ``tokens`` are the word of a unit's kind ("phuong", "thi xa"; 0 when none)."""
    if not tokens or tokens[0] not in _UNIT_FIRST:
        return 0
    return next((len(w) for w in _UNIT_FIRST[tokens[0]] if tuple(tokens[:len(w)]) == w), 0)


def address_keys(addresses: pd.Series) -> pd.DataFrame:
    """Each address's usual form, whether it gives a house number, and its street and unit names.

    Returns ``key`` (the words, accents, case, commas and spaces aside, with abbreviations written
    out: ``"Số 12 Lê Lợi, P. Vĩnh Ninh, TP. Huế"`` -> ``"12 le loi phuong vinh ninh thanh pho hue"``;
    "đường" after a number left out), ``numbered`` (a number that is not a unit's, such as
    "Phường 5", is in it: an address without one is a street or an area, not a place), ``places``
    (each comma-separated part without its house number and its unit word: ``("le loi", "vinh ninh",
    "hue")``; see :func:`place_names`), ``house`` (the house number and street it begins with:
    ``"12 le loi"``; empty when it does not begin with a number and a street) and ``units`` (the
    units it gives after them, each the level its unit word says, if any, and its name:
    ``("w:vinh ninh", "d:hue")``, ``("w:5", "d:1")``, ``(":vinh ninh",)``; see :func:`same_units`).
    """
    forms = per_distinct(addresses, _address_forms)
    places, house, units = (np.empty(len(forms), dtype=object) for _ in range(3))  # tuples and text, one per row
    places[:] = [f[2] for f in forms]
    house[:] = [f[3] for f in forms]
    units[:] = [f[4] for f in forms]
    return pd.DataFrame({"key": [f[0] for f in forms], "numbered": np.array([f[1] for f in forms], dtype=bool),
                         "places": places, "house": house, "units": units}, index=addresses.index)


def place_names(keys: pd.DataFrame) -> set[str]:
    """The street and unit names of addresses (``places`` of :func:`address_keys`): what a name alone may not be.

    In the usual form of names: ``"12 Lê Lợi, P. Vĩnh Ninh"`` gives ``{"le loi", "vinh ninh"}``.
    """
    return set().union(*pd.unique(keys["places"]))


_JOINED = re.compile(r"^([a-z]{1,2})(\d+)$")  # "P5", "Q1": a unit's short word and its number in one
_PARTS = re.compile(r"[,;]| - ")


def _address_forms(address: str) -> tuple[str, bool, tuple[str, ...], str, tuple[str, ...]]:
    """An address's usual form, whether it has a house number, its parts' place names, its house and its units."""
    tokens: list[str] = []
    places = []
    pieces: list[tuple[list[str], int]] = []  # the address cut at each unit's word, with that word's length
    for part in _PARTS.split(_plain(address)):
        words = _address_words(part)
        if not words:
            continue
        tokens += words
        # where a unit's word begins, and its length: {3: 1} for "12 le loi phuong vinh ninh"
        units_at = {i: led for i, w in enumerate(words) if w in _UNIT_FIRST and (led := _unit_led(words[i:]))}
        lead = 0
        while lead < len(words):  # "số 12", "kiệt 5", "phường", "thành phố", "thị xã"...
            if words[lead][0].isdigit() or words[lead] in _PLACE_LEAD:
                lead += 1
            elif lead in units_at:
                lead += units_at[lead]
            else:
                break
        if lead < len(words):
            places.append(" ".join(words[lead:]))
        if not units_at or (len(units_at) == 1 and 0 in units_at):  # most parts: no unit, or one unit only
            pieces.append((words, units_at.get(0, 0)))
        else:
            pieces += _cut_at_units(words, units_at)
    numbered = any(not i or tokens[i - 1] not in _NOT_HOUSE for i, t in enumerate(tokens) if t[0].isdigit())
    house = ""
    first = pieces[0][0] if pieces else []
    if first and first[0][0].isdigit() and any(w[0].isalpha() for w in first[1:]):
        house = " ".join(first)  # "12 le loi", "12a le loi"; not "12" alone, nor "kiet 5 le loi"
        pieces = pieces[1:]
    units = tuple([_LEVELS.get(tuple(piece[:led]), "") + ":" + " ".join(piece[led:])  # "w:vinh ninh", ":hue"
                   for piece, led in pieces if led < len(piece)])
    return " ".join(tokens), numbered, tuple(places), house, units


def _cut_at_units(words: list[str], units_at: dict[int, int]) -> list[tuple[list[str], int]]:
    """A part of an address cut where each unit's word begins ("12 le loi phuong x": "12 le loi", "phuong x").

    ``units_at``: the length of the unit's word at each word where one begins. A unit's word cuts
    only when a name follows it, and "tinh" not before "lo" ("Tỉnh lộ 10" is a road). Returns each
    piece with the length of the unit's word it begins with (0 when none).
    """
    pieces = []
    start, after = 0, max(1, units_at.get(0, 0))
    for i, led in units_at.items():  # in the words' order
        if i < after:
            continue  # in the word before: "thi xa" is not "thi", then "xa"
        if i + led < len(words) and not (words[i] == "tinh" and words[i + 1] == "lo"):
            pieces.append((words[start:i], units_at.get(start, 0)))
            start = i
        after = i + led
    pieces.append((words[start:], units_at.get(start, 0)))
    return pieces


#: The level of each unit's word: a ward's (w), a district's (d) or a province's (p).
_LEVELS = {("phuong",): "w", ("xa",): "w", ("thi", "tran"): "w", ("quan",): "d", ("huyen",): "d",
           ("thi", "xa"): "d", ("thanh", "pho"): "d", ("tinh",): "p"}


#: A unit's level as :func:`address_keys` writes it in its units.
LEVEL_LETTERS = {"ward": "w", "district": "d", "province": "p"}


def unit_form(name: str, level: str) -> str:
    """A unit's name as :func:`address_keys` gives it among an address's units: ``"w:vinh ninh"``.

    The level its own word says ("Phường Vĩnh Ninh", "TP. Huế"), else ``level`` (``ward``,
    ``district`` or ``province``): "Vĩnh Ninh" in a ward's column is a ward. Empty for no name.
    """
    found = cell_units(name, level)  # read as a cell of that level's column reads it
    return found[0] if found else ""


def cell_units(text: str, level: str) -> tuple[str, ...]:
    """The units a cell of a ward's or a district's column gives, as :func:`address_keys` writes them.

    "Vĩnh Ninh" in a ward's column is ``("w:vinh ninh",)``; "Phường 5, Quận 3" ``("w:5", "d:3")``: the
    first part without its unit's word is of ``level`` (``ward`` or ``district``), later ones of any.
    """
    letter = LEVEL_LETTERS.get(level, "")
    out: list[str] = []
    for unit in _address_forms(text)[4]:
        if unit.startswith(":") and letter:
            unit, letter = letter + unit, ""
        out.append(unit)
    return tuple(out)


def same_units(given: tuple[str, ...], registered: tuple[str, ...]) -> bool:
    """Whether an address in the units ``registered`` (``units`` of :func:`address_keys`) is in each of ``given``.

    Each unit of ``given`` must be one of ``registered`` by its name, and by its level when both say
    it ("Phường Điền Hậu" is not "Huyện Điền Hậu"; "Điền Hậu" may be either).
    """
    known = set(registered)
    for unit in given:
        level, name = unit.split(":", 1)
        if unit not in known and ":" + name not in known and (level or not any(u.endswith(unit) for u in known)):
            return False
    return True


#: Address words read by the words around them ("số 12", "H. 12", "12 đường").
_READ_BY_CONTEXT = frozenset({"so", "h", "duong"})


def _address_words(address: str) -> list[str]:
    """The words of a part of an address (:func:`_plain` already), in their usual form."""
    table = _vocabulary().address_words
    out: list[str] = []
    tokens: list[str] = []
    for token in _NOT_ALNUM.split(address):
        if not token:
            continue
        joined = _JOINED.match(token) if token[-1].isdigit() and token[0].isalpha() else None  # "p5", "q1"
        if joined and joined[1] in table:
            tokens += [joined[1], joined[2]]
        else:
            tokens.append(token)
    for i, token in enumerate(tokens):
        if token not in table and token not in _READ_BY_CONTEXT:  # most words are as written
            out.append(token)
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == "so" and after.isdigit():
            continue  # "số 12" is 12
        if token == "h" and after.isdigit():
            out.append("hem")  # "H. 12" is an alley; "H. Phú Vang" a district
            continue
        usual = table.get(token, (token,))
        if usual == ("duong",) and out and out[-1].isdigit():
            continue  # "12 đường Lê Lợi" is 12 Lê Lợi
        out.extend(usual)
    return out


_MARKS = re.compile("[\u0300-\u036f]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _plain(value: object) -> str:
    """``value`` cleaned, in lower case, without accents (punctuation kept)."""
    return _MARKS.sub("", unicodedata.normalize("NFD", clean(value).lower().replace("đ", "d")))


def _words(value: object) -> list[str]:
    """:func:`~inspector.core.text.words`, by regular expressions rather than a loop over characters (faster)."""
    return [w for w in _NOT_ALNUM.split(_plain(value)) if w]
