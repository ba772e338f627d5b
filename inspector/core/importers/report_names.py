"""The venue of a report without a position, by the venue name or the address the report gives."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd

from inspector.core.text import fold
from inspector.core.venue_names import (
    address_keys,
    name_forms,
    per_distinct,
    place_names,
    same_units,
    too_generic,
)


class Registry:
    """The registered venues' names and addresses as :func:`by_name` and :func:`by_address` read them.

    Each is read once, when first needed (a registry of 50,000 venues: a second or so).
    """

    def __init__(self, venues: gpd.GeoDataFrame) -> None:
        self.ids = venues["venue_id"].to_numpy(dtype=object)
        self._names = venues["name"]
        self._addresses = venues["address"] if "address" in venues else pd.Series("", index=venues.index)
        self._units = venues["units"] if "units" in venues else pd.Series([()] * len(venues), index=venues.index)

    @cached_property
    def folded(self) -> np.ndarray:
        """Each venue's name, case, accents, spaces and punctuation aside."""
        return per_distinct(self._names, fold)

    @cached_property
    def forms(self) -> pd.DataFrame:
        """Each venue's name read (:func:`~inspector.core.venue_names.name_forms`)."""
        return name_forms(self._names)

    @cached_property
    def addresses(self) -> pd.DataFrame:
        """Each venue's address read (:func:`~inspector.core.venue_names.address_keys`)."""
        return address_keys(self._addresses)

    @cached_property
    def units(self) -> np.ndarray:
        """The units each venue is in: those its address gives, its ward's and its declared ward's."""
        out = np.empty(len(self.ids), dtype=object)
        out[:] = [tuple(dict.fromkeys(a + u)) for a, u in zip(self.addresses["units"], self._units, strict=True)]
        return out

    def inside(self, report: np.ndarray, venue: np.ndarray, units: np.ndarray) -> np.ndarray:
        """Whether each pair's venue is in every unit its report gives (``units``, per report)."""
        out = np.ones(len(report), dtype=bool)
        check = np.flatnonzero(np.fromiter(map(bool, units), dtype=bool, count=len(units))[report])
        if len(check):  # the venues' units are read only when some report gives one
            venue_units = self.units
            out[check] = [same_units(units[report[i]], venue_units[venue[i]]) for i in check]
        return out

    @cached_property
    def distinctive(self) -> pd.Series:
        """Each venue's distinctive part, empty when too generic to name it (with the registry's place names)."""
        places = self.places
        return self.forms["distinctive"].where(~too_generic(self.forms["distinctive"], places), "")

    @cached_property
    def places(self) -> set[str]:
        """The streets and units of the registry's addresses."""
        return place_names(self.addresses)


def by_name(venue_name: pd.Series, address: pd.Series, registry: Registry,
            units: pd.Series | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The venue each report names, and how (``name`` or ``name_variant``; ``None`` when none).

    Four ways of reading a name are tried in turn; the first that finds any venue for a report
    decides, so a looser reading never settles what a stricter one found ambiguous (but when the
    report gives an address and every venue a reading found is registered elsewhere, the next
    reading is tried: "Cafe Xanh" at the address of a "Quán cà phê Xanh", though "Cà phê Xanh"
    venues are registered in other streets):

    1. ``name``: the registered name, case, accents, spaces and punctuation aside;
    2. ``name_variant``: the same words once abbreviations are written out ("Cty TNHH Bình Minh" is
       "Công ty TNHH Bình Minh", "UBND" "Ủy ban nhân dân", "THPT Hàm Nghi" "Trường THPT Hàm Nghi":
       :func:`~inspector.core.venue_names.name_forms`);
    3. ``name_variant``: the same words but for category words stacked before the last of the same
       family ("Cửa hàng tạp hóa Bà Tư" is "Tạp hóa Bà Tư", "Quán cà phê An" "Cà phê An");
    4. ``name_variant``: the same distinctive part (the name without its category word: "Cafe Xanh"
       and "Quán cà phê Xanh" are both "Xanh"), when the category words do not contradict: of venues
       whose category word is of another family ("Nhà hàng Xanh" for a café) none is a candidate.
       A distinctive part too short or common to tell (:func:`~inspector.core.venue_names.too_generic`)
       matches nothing this way. When the report or the venue has no category word, the venue must
       also be the only one of that distinctive part in the registry, whatever its category.

    Of several venues found, the one whose address holds the report's address, or is held in it
    (whole words), when only one does; else none: never a guess. A name read loosely (2 to 4) also
    needs the address the report gives, if any, to agree so with the venue's, even of one venue found.
    A venue outside a unit the report gives in a column of its own (``units``, see
    :meth:`Registry.inside`) is not found at all: of two "Cà phê Xanh" in two wards, the one in the
    ward the report gives is the only one found.
    """
    n = len(venue_name)
    given_units = _per_report(units, n)

    def placed(report: np.ndarray, venue: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # the pairs whose venue is in the units the report gives in columns of its own
        keep = registry.inside(report, venue, given_units)
        return report[keep], venue[keep]

    out = np.full(n, None, dtype=object)
    how = np.full(n, None, dtype=object)
    open_ = np.ones(n, dtype=bool)  # no reading has found a venue for it yet
    given_address = address_keys(address)["key"].to_numpy(dtype=object)
    # the registry's addresses are read only when some report gives one
    venue_address = (registry.addresses["key"].to_numpy(dtype=object) if (given_address != "").any()
                     else np.full(len(registry.ids), "", dtype=object))
    report_forms = name_forms(venue_name)

    def decide(report: np.ndarray, venue: np.ndarray, way: str, accept: Callable | None = None) -> None:
        # a name read loosely does not stand against the address the report gives
        chosen, chosen_venue, refuted = _one_each(report, venue, given_address, venue_address,
                                                  strict=way != "name")
        open_[report] = False
        open_[refuted] = True  # every venue it found is elsewhere: the next reading may find the one there
        if accept is not None:
            keep = accept(chosen, chosen_venue)
            chosen, chosen_venue = chosen[keep], chosen_venue[keep]
        out[chosen] = registry.ids[chosen_venue]
        how[chosen] = way

    decide(*placed(*_pairs(per_distinct(venue_name, fold), registry.folded, open_)), "name")
    report_usual, venue_usual = (f["usual"].to_numpy(dtype=object) for f in (report_forms, registry.forms))
    if open_.any():
        decide(*placed(*_pairs(report_usual, venue_usual, open_)), "name_variant")
    if open_.any():
        report_core, venue_core = (f["core"].to_numpy(dtype=object) for f in (report_forms, registry.forms))
        report, venue = placed(*_pairs(report_core, venue_core, open_))
        # of equal usual forms too, a pair was read already (and its venue found elsewhere)
        stacked = (report_core != report_usual)[report] | (venue_core != venue_usual)[venue]
        decide(report[stacked], venue[stacked], "name_variant")
    if open_.any():
        venue_forms, own = registry.forms, registry.distinctive
        given = report_forms["distinctive"].where(~too_generic(report_forms["distinctive"], registry.places), "")
        report, venue = placed(*_pairs(given.to_numpy(dtype=object), own.to_numpy(dtype=object), open_))
        report_family = report_forms["families"].to_numpy()[report]
        venue_family = venue_forms["families"].to_numpy()[venue]
        agree = (report_family & venue_family) != 0
        unknown = (report_family == 0) | (venue_family == 0)
        report, venue = report[agree | unknown], venue[agree | unknown]
        registered = own.value_counts()
        sole = own.map(registered).fillna(0).to_numpy() == 1  # the only venue of its distinctive part

        def accept(chosen: np.ndarray, chosen_venue: np.ndarray) -> np.ndarray:
            families = report_forms["families"].to_numpy()[chosen] & venue_forms["families"].to_numpy()[chosen_venue]
            return (families != 0) | sole[chosen_venue]

        decide(report, venue, "name_variant", accept)
    return out, how


def by_address(address: pd.Series, registry: Registry, units: pd.Series | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The venue registered at each address, when exactly one is, and how (``address`` or ``address_partial``).

    Addresses are compared in their usual form (:func:`~inspector.core.venue_names.address_keys`:
    "Số 12 Lê Lợi, P. Vĩnh Ninh" is "12 Lê Lợi, phường Vĩnh Ninh"), and only when they give a
    house number: a street, a ward, or a market's or a building's address where several venues are
    registered, names no one venue.

    1. ``address``: the whole address, as the one venue registered there gives it;
    2. ``address_partial``: its house number and street ("12 Lê Lợi"), as one venue's address begins,
       of a venue in every unit the report's address goes on to name ("12 Lê Lợi, Vĩnh Ninh": the
       venue's address names Vĩnh Ninh too). Two venues at "12 Lê Lợi" in wards the report does not
       tell apart, or a report naming a ward the venue's address does not, leave it unlinked.

    Of either way, the venue is the only candidate of the report's house number and street (read as
    in 2), if the report has one: a report "12 Lê Lợi" is no venue's when one venue is registered at
    "12 Lê Lợi" and another at "12 Lê Lợi, P. Vĩnh Ninh". A venue is in a unit its address names, in
    its ward and its declared ward and what holds them (:meth:`Registry.units`); the units a report
    gives in columns of its own (``units``) count as named by its address.

    Returns
    -------
    tuple of numpy.ndarray
        Each report's venue id (``None`` when none) and the way (``None`` when none).
    """
    given = address_keys(address)
    in_columns = _per_report(units, len(given))
    registered = registry.addresses
    keys = pd.Series(np.where(registered["numbered"], registered["key"].to_numpy(dtype=object), ""), dtype=object)
    unique = (~keys.duplicated(keep=False) & (keys != "")).to_numpy()
    single = pd.Series(np.flatnonzero(unique), index=keys[unique].to_numpy())
    given_keys = np.where(given["numbered"], given["key"].to_numpy(dtype=object), "")
    whole = pd.Series(given_keys, dtype=object).map(single).to_numpy(dtype=float)  # a venue's position, NaN if none
    # every (report, venue) of one house number and street, the venue in each unit the report names
    report, venue = _pairs(given["house"].to_numpy(dtype=object), registered["house"].to_numpy(dtype=object),
                           np.ones(len(given), dtype=bool))
    report_units = np.empty(len(given), dtype=object)
    report_units[:] = [a + c for a, c in zip(given["units"], in_columns, strict=True)]
    keep = registry.inside(report, venue, report_units)
    report, venue = report[keep], venue[keep]
    reports, counts = np.unique(report, return_counts=True)
    partial = np.full(len(given), -1, dtype=np.int64)
    alone = np.isin(report, reports[counts == 1])
    partial[report[alone]] = venue[alone]
    candidates = np.zeros(len(given), dtype=np.int64)
    candidates[reports] = counts
    by_whole = ~np.isnan(whole) & ((candidates == 0) | (partial == np.nan_to_num(whole, nan=-1)))
    at = np.flatnonzero(by_whole)  # and in the units of the report's columns
    by_whole[at] = registry.inside(at, whole[at].astype(np.int64), in_columns)
    by_part = ~by_whole & (partial >= 0)
    out = np.full(len(given), None, dtype=object)
    how = np.full(len(given), None, dtype=object)
    out[by_whole] = registry.ids[whole[by_whole].astype(np.int64)]
    how[by_whole] = "address"
    out[by_part] = registry.ids[partial[by_part]]
    how[by_part] = "address_partial"
    return out, how


def _per_report(units: pd.Series | None, n: int) -> np.ndarray:
    """The units each of ``n`` reports gives in columns of its own, as an array (of empty tuples when none)."""
    out = np.empty(n, dtype=object)
    out[:] = [()] * n if units is None else list(units)
    return out


def _pairs(report_keys: np.ndarray, venue_keys: np.ndarray, among: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (report, venue) of equal, non-empty keys, for the reports ``among`` (one join, no loop over venues)."""
    rows = np.flatnonzero(among & (report_keys != ""))
    reports = pd.DataFrame({"key": report_keys[rows], "report": rows})
    places = np.flatnonzero(venue_keys != "")
    registered = pd.DataFrame({"key": venue_keys[places], "venue": places})
    pairs = reports.merge(registered, on="key")
    return pairs["report"].to_numpy(dtype=np.int64), pairs["venue"].to_numpy(dtype=np.int64)


def _one_each(report: np.ndarray, venue: np.ndarray, given_address: np.ndarray, venue_address: np.ndarray,
              strict: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of each report's pairs, its venue when it has only one, or only one whose address agrees with the report's.

    ``strict``: a report that gives an address keeps a venue only if its address agrees, even the only one.
    Also returns the reports none of whose venues (checked against its address) is at that address.
    """
    reports, counts = np.unique(report, return_counts=True)
    several = np.isin(report, reports[counts > 1])
    alone = ~several
    addressed = given_address[report] != ""
    checked = (several | alone) & addressed if strict else several & addressed
    agreeing = np.zeros(len(report), dtype=bool)
    agreeing[checked] = [
        bool(v) and (f" {v} " in f" {g} " or f" {g} " in f" {v} ")
        for g, v in zip(given_address[report[checked]], venue_address[venue[checked]], strict=True)
    ]
    refuted = np.setdiff1d(report[checked], report[agreeing])
    reports, counts = np.unique(report[agreeing], return_counts=True)
    agreeing &= np.isin(report, reports[counts == 1])
    chosen = (alone & ~(addressed & strict)) | agreeing
    return report[chosen], venue[chosen], refuted
