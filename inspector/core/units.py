"""Administrative units as data: the hierarchy comes from parent codes, never from code."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd

from inspector.core import gpkg, resources
from inspector.core.text import clean, loose_name_key, name_key, normalise_code

LEVELS = ("province", "district", "ward")
CODE_WIDTH = {"province": 2, "district": 3, "ward": 5}


def province_name(code: str) -> str | None:
    """The official name of the province (2021) with GSO code ``code``, e.g. ``"46"``: Tỉnh Thừa Thiên Huế."""
    return resources.load_toml("provinces.toml")["provinces"].get(normalise_code(code, CODE_WIDTH["province"]))


def read_units(conn: sqlite3.Connection) -> gpd.GeoDataFrame:
    """All administrative units, read through ``conn`` (so uncommitted changes are seen)."""
    rows = conn.execute(
        "SELECT code, name, level, parent_code, population, area_km2, source, geom FROM admin_units"
    ).fetchall()
    frame = pd.DataFrame(
        rows, columns=["code", "name", "level", "parent_code", "population", "area_km2", "source", "geom"]
    )
    geometry = [gpkg.from_blob(b) for b in frame.pop("geom")]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def leaves(units: pd.DataFrame) -> pd.DataFrame:
    """Units that have no children: where venues live (wards in 2021, communes after 2025)."""
    parents = set(units["parent_code"].dropna())
    return units[~units["code"].isin(parents) & (units["level"] != "province")]


def chains(units: pd.DataFrame) -> dict[str, list[str]]:
    """For every unit, the codes from it up to its highest ancestor among ``units``.

    A parent code that names no unit ends the chain; so does a cycle in bad data.
    """
    parent = dict(zip(units["code"], units["parent_code"], strict=True))
    out = {}
    for code in parent:
        chain = [code]
        up = parent[code]
        while isinstance(up, str) and up in parent and up not in chain:
            chain.append(up)
            up = parent[up]
        out[code] = chain
    return out


def resolve_declared(
    codes: pd.Series, names: pd.Series, districts: pd.Series, units: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Turn declared ward codes or names into known leaf codes.

    A code wins when it is known; otherwise the name is matched exactly (case-insensitive, type
    prefix dropped), then without accents, narrowed by the district name when that is ambiguous.

    Returns
    -------
    code, problem
        The resolved code (``""`` when none) and ``""``, ``"unknown_ward"`` or ``"ambiguous_ward"``.
    """
    wards = leaves(units)
    names_by_code = dict(zip(units["code"], units["name"], strict=True))
    known = set(wards["code"])
    exact: dict[str, list[str]] = {}
    loose: dict[str, list[str]] = {}
    for code, name in zip(wards["code"], wards["name"], strict=True):
        exact.setdefault(name_key(name), []).append(code)
        loose.setdefault(loose_name_key(name), []).append(code)
    parent_of = dict(zip(units["code"], units["parent_code"], strict=True))
    out = np.full(len(codes), "", dtype=object)
    problem = np.full(len(codes), "", dtype=object)
    for i, (code, name, district) in enumerate(zip(codes, names, districts, strict=True)):
        code = normalise_code(code, CODE_WIDTH["ward"])
        if code in known:
            out[i] = code
            continue
        name = clean(name)
        if not name:
            problem[i] = "unknown_ward" if code else ""
            out[i] = code
            continue
        candidates = exact.get(name_key(name)) or loose.get(loose_name_key(name)) or []
        if len(candidates) > 1 and clean(district):
            wanted = loose_name_key(district)
            candidates = [
                c for c in candidates if loose_name_key(names_by_code.get(parent_of.get(c) or "", "")) == wanted
            ]
        if len(candidates) == 1:
            out[i] = candidates[0]
        else:
            out[i] = code
            problem[i] = "ambiguous_ward" if candidates else "unknown_ward"
    return out, problem


#: How many units a message naming the units someone may have meant lists
UNITS_LISTED = 12


def find_unit(units: pd.DataFrame, text: str, level: str | None = None) -> str:
    """The code of the unit someone means by ``text``, of ``level`` if given.

    ``text`` is a code (leading zeros optional) or a name, with or without its "Phường"/"Huyện"
    and accents ("Phu Hoi" is Phường Phú Hội).

    Raises
    ------
    InputError
        ``unit_wrong_level`` for a code of another level; ``unit_ambiguous`` for a name that
        several units bear (each listed with its parent); ``unknown_unit`` otherwise, listing the
        units of ``level`` it could be.
    """
    from functools import partial

    from inspector.core.errors import InputError
    from inspector.core.names import LEVEL_NAMES, label

    codes = dict(zip(units["code"], units["level"], strict=True))
    wanted = units if level is None else units[units["level"] == level]
    code = text if text in codes else None
    if code is None:
        same = [c for c in codes if c.lstrip("0") == text.lstrip("0") and (level is None or codes[c] == level)]
        code = same[0] if len(same) == 1 else None
    if code is None:
        for key in (name_key, loose_name_key):
            named = wanted[wanted["name"].map(key) == key(text)]
            if len(named) > 1:
                names = dict(zip(units["code"], units["name"], strict=True))
                raise InputError("unit_ambiguous", unit=text, units="; ".join(
                    f"{c} {n} ({names.get(p, '—')})" for c, n, p in named[["code", "name", "parent_code"]].itertuples(
                        index=False)))
            if len(named) == 1:
                return str(named["code"].iloc[0])
        other = units[units["name"].map(loose_name_key) == loose_name_key(text)]
        if level is not None and len(other) == 1:  # a unit of another level by that name ("--ward" for a district)
            code = str(other["code"].iloc[0])
        else:  # the units whose names hold what was typed ("phu" for Phú Hội, Phú Nhuận…), else any
            typed = loose_name_key(text)
            holding = wanted[wanted["name"].map(loose_name_key).str.contains(typed, regex=False)] if typed else wanted
            listed = (holding if len(holding) else wanted).sort_values("code")
            more = len(listed) - UNITS_LISTED
            raise InputError("unknown_unit", unit=text, units=", ".join(f"{c} {n}" for c, n in zip(
                listed["code"][:UNITS_LISTED], listed["name"][:UNITS_LISTED], strict=True)) + (
                f" (+{more})" if more > 0 else ""))
    if level is not None and codes[code] != level:
        raise InputError("unit_wrong_level", unit=code, level=partial(label, LEVEL_NAMES, codes[code]),
                         wanted=partial(label, LEVEL_NAMES, level))
    return code
