"""Which registered venue a citizen report is about: when reports are imported, and for stored ones after venues are."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from inspector.core import gpkg
from inspector.core.importers import report_names
from inspector.core.text import clean, fold, id_key
from inspector.core.venue_names import cell_units, same_units, unit_form
from inspector.core.workspace import touch

#: A report naming a venue matches it within this distance; without a name, only much closer.
NAME_RADIUS_M = 300.0
POINT_RADIUS_M = 50.0


def match(
    venue_text: pd.Series, lat: pd.Series, lon: pd.Series, description: pd.Series, venues: gpd.GeoDataFrame,
    venue_name: pd.Series | None = None, address: pd.Series | None = None, units: pd.Series | None = None,
    registry: report_names.Registry | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Find the venue of each report.

    Parameters
    ----------
    venue_text
        The venue id or QR payload each report gave, cleaned (empty when none).
    lat, lon
        Each report's position (NaN when none).
    description
        Each report's text.
    venues
        The registered venues: ``venue_id``, ``qr_payload``, ``name``, ``address``, ``units`` and
        their points (:func:`registered_venues`).
    venue_name, address
        The venue's name and address each report gave, if any (for reports without a position).
    units
        The units each report gave in columns of its own (:meth:`GivenUnits.per_report`), if any: a venue
        found by its name or address must be in each of them (its ward or declared ward, or a
        unit that holds it).
    registry
        The venues as :mod:`~inspector.core.importers.report_names` reads them, when the caller has
        them already (else read from ``venues`` when needed).

    Returns
    -------
    tuple of numpy.ndarray
        Each report's venue id (``None`` when none matched) and how it matched: ``id`` (by id or QR
        payload, in any case, numbers with or without leading zeros), ``name_nearby`` (a venue named in the text
        within ``NAME_RADIUS_M``, the nearest if several), ``location`` (the nearest venue within
        ``POINT_RADIUS_M``), ``name`` or ``name_variant`` (a report without a position naming a venue, as
        registered or written differently: see :func:`~inspector.core.importers.report_names.by_name`),
        ``address`` (a report with neither an id, a position nor a name, giving the address of one venue:
        :func:`~inspector.core.importers.report_names.by_address`), ``address_partial`` (the same, giving
        only the house number and street of one venue's address, and perhaps some of its units),
        ``unknown_id`` (none matched and the
        id given is not registered) or ``none``. Between venues
        at the same distance (registered at one point), the smaller venue id wins.
    """
    out, how = _by_id(venue_text, venues)
    placed = lat.notna().to_numpy() & lon.notna().to_numpy()
    todo = np.flatnonzero(pd.isna(out) & placed)
    if len(todo) and not venues.empty:
        _by_position(todo, lat, lon, description, venues, out, how)
    if venue_name is None:
        venue_name = pd.Series("", index=venue_text.index)
    if address is None:
        address = pd.Series("", index=venue_text.index)
    if units is None:
        units = pd.Series([()] * len(venue_text), index=venue_text.index, dtype=object)
    if registry is None:  # the venues' names and addresses, read when first needed
        registry = report_names.Registry(venues)
    named = pd.isna(out) & ~placed & (venue_name != "").to_numpy()
    if named.any() and not venues.empty:
        found, way = report_names.by_name(venue_name[named], address[named], registry, units[named])
        out[named] = found
        how[np.flatnonzero(named)[pd.notna(found)]] = way[pd.notna(found)]
    # only an address: no id, no position, no name
    addressed = pd.isna(out) & ~placed & ((venue_name == "") & (venue_text == "") & (address != "")).to_numpy()
    if addressed.any() and not venues.empty:
        found, way = report_names.by_address(address[addressed], registry, units[addressed])
        out[addressed] = found
        how[np.flatnonzero(addressed)[pd.notna(found)]] = way[pd.notna(found)]
    how[(venue_text != "").to_numpy() & (how == "none")] = "unknown_id"
    return out, how


def registered_venues(conn: sqlite3.Connection) -> gpd.GeoDataFrame:
    """The venues a report can be matched to, read through ``conn`` (so uncommitted changes are seen).

    ``units`` holds each venue's units as an address gives them (:func:`~inspector.core.venue_names.unit_form`):
    the ward its point is in and the ward it declares, and every unit that holds them.
    """
    frame = pd.read_sql_query("SELECT venue_id, qr_payload, name, address, ward_code, declared_ward_code, geom "
                              "FROM venues ORDER BY fid", conn)
    forms, parents = _unit_forms(conn)
    held: dict[str, tuple[str, ...]] = {}  # a ward's code -> its form and its parents'

    def within(ward: str | None) -> tuple[str, ...]:
        key = ward or ""
        if key not in held:
            chain, seen, code = [], set(), ward
            while code in forms and code not in seen:  # a cycle of parents is the data's mistake, not a hang
                seen.add(code)
                chain.append(forms[code])
                code = parents.get(code)
            held[key] = tuple(f for f in chain if f)
        return held[key]

    frame["units"] = [tuple(dict.fromkeys(within(w) + within(d))) for w, d in
                      zip(frame.pop("ward_code"), frame.pop("declared_ward_code"), strict=True)]
    geometry = [gpkg.from_blob(b) for b in frame.pop("geom")]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


class GivenUnits:
    """The workspace's units as a report's ward and district columns name them (read once from ``conn``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        forms, _ = _unit_forms(conn)
        self._known = set(forms.values())
        self._by_code = {code.lstrip("0"): form for code, form in forms.items() if code.isdigit()}
        self._checked = bool(forms)  # a workspace without units cannot tell a code, nor an unknown name
        self._read: dict[tuple[str, str], tuple[str, ...]] = {}  # each distinct cell, read once

    def per_report(self, ward: pd.Series, district: pd.Series) -> pd.Series:
        """The units each report gives in columns of its own, as an address gives them (``("w:vinh ninh", "d:hue")``).

        A cell is a unit's name ("Vĩnh Ninh" or "5" in the ward's column is a ward, "TP Huế" a
        district; see :func:`~inspector.core.venue_names.cell_units`), or the code of one of the
        workspace's units (another code of three digits or more names a unit no venue is in).
        """
        return pd.Series([self.units(w, "ward") + self.units(d, "district")
                          for w, d in zip(ward, district, strict=True)], index=ward.index, dtype=object)

    def unknown(self, text: pd.Series, level: str, registry: report_names.Registry) -> np.ndarray:
        """Whether each cell of a ward or district column (``level``) names a unit the workspace does not have.

        Nor any venue's address (:attr:`~.report_names.Registry.units`): a unit no venue may be in.
        """
        if not self._checked or not (text != "").any():
            return np.zeros(len(text), dtype=bool)
        known = tuple(self._known.union(*registry.units))
        verdict = {t: not same_units(self.units(t, level), known) for t in pd.unique(text[text != ""])}
        return np.array([verdict.get(t, False) for t in text], dtype=bool)

    def units(self, text: str, level: str) -> tuple[str, ...]:
        """The units one cell of the ``level`` column gives."""
        if (text, level) not in self._read:
            if not text:
                read: tuple[str, ...] = ()
            elif text.isdigit() and len(text) > 2:  # a code ("19810", "474"), not a ward's number ("5")
                read = (self._by_code.get(text.lstrip("0"), "code:" + text),) if self._checked else ()
            else:
                read = cell_units(text, level)
            self._read[text, level] = read
        return self._read[text, level]


def _unit_forms(conn: sqlite3.Connection) -> tuple[dict[str, str], dict[str, str]]:
    """Each unit's form (:func:`~inspector.core.venue_names.unit_form`) and parent, by its code."""
    forms, parents = {}, {}
    for code, name, level, parent in conn.execute("SELECT code, name, level, parent_code FROM admin_units"):
        forms[code] = unit_form(name or "", level or "")
        if parent:
            parents[code] = parent
    return forms, parents


def link_stored(conn: sqlite3.Connection) -> dict[str, int]:
    """Link the stored reports that have no venue to the venues registered now, inside the caller's transaction.

    Each is matched by :func:`match` from what it gave (the venue id or QR payload, its position,
    its text, the venue's name and address), as it would be if it were imported now. A report that
    has a venue keeps it, unless it gave an id registered only now and was linked by its place or
    name meanwhile: the venue it names wins, as it would have, imported after that venue. Returns how
    many were linked, per way of matching (``{"id": 37, "name_nearby": 15}``; empty when none).
    """
    stored = pd.read_sql_query(
        "SELECT fid, given_venue_id, lat, lon, description, given_venue_name, given_address, given_ward, "
        "given_district, venue_id IS NOT NULL AS placed FROM citizen_reports WHERE venue_id IS NULL OR "
        "(coalesce(given_venue_id, '') != '' AND matched_by IN ('name_nearby', 'location', 'name', 'name_variant'))",
        conn,
    )
    if stored.empty:
        return {}
    venue_id, how = match(stored["given_venue_id"].fillna("").map(clean), stored["lat"], stored["lon"],
                          stored["description"].fillna(""), registered_venues(conn),
                          stored["given_venue_name"].fillna(""), stored["given_address"].fillna(""),
                          GivenUnits(conn).per_report(stored["given_ward"].fillna(""),
                                                      stored["given_district"].fillna("")))
    placed = stored["placed"].astype(bool).to_numpy()
    linked = pd.notna(venue_id) & (~placed | (how == "id"))
    if not linked.any():
        return {}
    conn.executemany("UPDATE citizen_reports SET venue_id = ?, matched_by = ? WHERE fid = ?",
                     zip(venue_id[linked], how[linked], stored["fid"][linked].tolist(), strict=True))
    touch(conn, "citizen_reports")
    return {str(k): int(n) for k, n in zip(*np.unique(how[linked].astype(str), return_counts=True), strict=True)}


def _by_id(venue_text: pd.Series, venues: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The venue whose id or QR payload each report gave.

    As written, else ignoring case and a number's leading zeros (:func:`~inspector.core.text.id_key`),
    when that names one venue only.
    """
    n = len(venue_text)
    out = np.full(n, None, dtype=object)
    how = np.full(n, "none", dtype=object)
    keys = dict(zip(venues["venue_id"], venues["venue_id"], strict=True))
    keys.update({p: v for p, v in zip(venues["qr_payload"], venues["venue_id"], strict=True) if p})
    by_id = venue_text.map(keys).to_numpy()
    loose_keys: dict[str, set[str]] = {}
    for key, venue in keys.items():
        loose_keys.setdefault(id_key(key), set()).add(venue)
    single = {key: next(iter(found)) for key, found in loose_keys.items() if len(found) == 1 and key != "0"}
    loose = venue_text.map(lambda t: single.get(id_key(t)) if t else None).to_numpy()
    by_id = np.where(pd.isna(by_id), loose, by_id)
    out[pd.notna(by_id)] = by_id[pd.notna(by_id)]
    how[pd.notna(by_id)] = "id"
    return out, how


def _by_position(
    todo: np.ndarray, lat: pd.Series, lon: pd.Series, description: pd.Series, venues: gpd.GeoDataFrame,
    out: np.ndarray, how: np.ndarray,
) -> None:
    """Match the reports ``todo`` by position: a venue named in the text nearby, else the nearest one very near.

    Every report is paired at once with every venue within ``NAME_RADIUS_M`` of it (one query of the
    spatial index, distances on the plane of the venues' UTM zone). Of a report's pairs, those whose
    venue's name (:func:`~inspector.core.text.fold`-ed, not empty) is in its text come first, then the
    nearer, then, between venues at the same distance (registered at the same point), the smaller
    venue id. The first pair is the report's venue if it names it, or if it is within ``POINT_RADIUS_M``.
    """
    crs = venues.estimate_utm_crs()
    places = venues.to_crs(crs)
    points = gpd.GeoSeries(gpd.points_from_xy(lon.to_numpy()[todo], lat.to_numpy()[todo]), crs="EPSG:4326").to_crs(crs)
    report, venue = places.sindex.query(points, predicate="dwithin", distance=NAME_RADIUS_M)
    dist = shapely.distance(np.asarray(points)[report], np.asarray(places.geometry)[venue])
    named = np.zeros(len(report), dtype=bool)
    near = dist <= NAME_RADIUS_M
    named[near] = _named(report[near], venue[near], todo, description, places["name"])
    can_win = named | (dist <= POINT_RADIUS_M)  # a pair that does not name its venue only wins close by
    report, venue, dist, named = report[can_win], venue[can_win], dist[can_win], named[can_win]
    if not len(report):
        return
    venue_ids = places["venue_id"].to_numpy(dtype=object)
    id_order = np.unique(venue_ids, return_inverse=True)[1]
    order = np.lexsort((id_order[venue], dist, ~named, report))
    best = order[np.r_[True, report[order][1:] != report[order][:-1]]]  # each report's first pair
    out[todo[report[best]]] = venue_ids[venue[best]]
    how[todo[report[best]]] = np.where(named[best], "name_nearby", "location")


def _named(report: np.ndarray, venue: np.ndarray, todo: np.ndarray, description: pd.Series,
           names: pd.Series) -> np.ndarray:
    """Whether each pair's venue is named in its report's text (both folded; only those paired are folded)."""
    folded_names = np.full(len(names), "", dtype=object)
    paired = np.unique(venue)
    folded_names[paired] = [fold(n) for n in names.to_numpy(dtype=object)[paired]]
    pair_names = folded_names[venue]
    with_name = pair_names != ""
    texts = np.full(len(todo), "", dtype=object)
    readers = np.unique(report[with_name])
    texts[readers] = [fold(t) for t in description.to_numpy(dtype=object)[todo[readers]]]
    named = np.zeros(len(report), dtype=bool)
    named[with_name] = [n in t for n, t in zip(pair_names[with_name], texts[report[with_name]], strict=True)]
    return named
