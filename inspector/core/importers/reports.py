"""Import citizen reports (Hue-S exports, CSV or XLSX) and match each to a registered venue."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inspector.core import vocab
from inspector.core.columns import map_columns, unused_columns
from inspector.core.errors import Progress
from inspector.core.importers.common import (
    ImportResult,
    Rejections,
    begin_log,
    cells,
    finish_log,
    position_in_one_cell,
    start,
    text_limits,
)
from inspector.core.importers.report_names import Registry
from inspector.core.importers.report_venues import GivenUnits, match, registered_venues
from inspector.core.io.tables import read_table
from inspector.core.io.timestamps import from_gpkg_datetime, implausible, parse_local, to_gpkg_datetime
from inspector.core.io.values import (
    DATE_IN_WORDS,
    EXCEL_EPOCH,
    day_month_year,
    excel_serial_dates,
    phones_masked,
)
from inspector.core.progress import report
from inspector.core.text import clean
from inspector.core.units import read_units
from inspector.core.workspace import Workspace, upsert


def run(
    workspace: Workspace, path: Path, *, progress: Progress | None = None, fix_swapped: bool = False,
    columns: dict[str, str] | None = None, sheet: str | list[str] | None = None,
) -> ImportResult:
    """Import citizen reports; see :func:`inspector.core.importers.import_file`."""
    result, digest = start(workspace, "reports", path, options={"sheet": sheet})
    if result.already_imported_at:
        return result
    report(progress, 0, 3)
    table = read_table(path, ("csv", "xlsx", "xls", "ods"), kind="reports", overrides=columns, sheet=sheet)
    result.encoding, result.unit, result.rows_total = table.encoding, table.unit, len(table.frame)
    result.sheets, result.other_sheets = list(table.sheets), list(table.other_sheets)
    frame = table.frame
    cols = map_columns("reports", frame.columns, file=path.name, overrides=columns, unnamed=table.unnamed)
    if "description" in cols:  # a reporter's own phone number is stored and written nowhere, nor in the row files
        frame[cols["description"]] = phones_masked(frame[cols["description"]])
    frame, position = position_in_one_cell("reports", frame, cols)
    result.unused_columns = unused_columns(frame.columns, cols, table.unnamed)
    result.columns = dict(cols)
    shown = dict(cols)
    if position is not None:  # latitude and longitude in one cell, named by it
        cols.update(lat="__lat", lon="__lon")
        shown.update(lat=position, lon=position)
    cell = cells(frame, cols)
    rej = Rejections(table, shown)
    when_text = cell("reported_at")
    # a serial number in a CSV's time column was an Excel date cell saved as a number
    when = parse_local(excel_serial_dates(when_text, table.epoch or EXCEL_EPOCH))
    when = when.fillna(_spoken_timestamps(when_text[when.isna()]))
    rej.add(when_text == "", "reported_at", "missing_value")
    rej.add(when.isna() & when_text.str.fullmatch(CLOCK), "reported_at", "time_without_date", when_text)
    # 31/02/2021, or a month-first 08/15/2021: a date as dates are written, but no day as they are read
    # (where its date is a day, the time of day after it is what was not read)
    date_part = when_text.str.extract(r"^\s*(\S+)", expand=False).fillna("")
    no_day = day_month_year(date_part) & parse_local(date_part).isna().to_numpy()
    rej.add(when.isna() & no_day, "reported_at", "timestamp_impossible", when_text)
    rej.add(when.isna(), "reported_at", "invalid_timestamp", when_text)
    if "reported_time" in cols:  # the date in one column, the time of day in another
        clock_text = cell("reported_time")
        clock = _time_of_day(clock_text)
        at_midnight = when.notna() & (when == when.dt.normalize())
        when = when.where(~(at_midnight & clock.notna()), when.dt.normalize() + clock)
        unread = (at_midnight & (clock_text != "") & clock.isna()).to_numpy()
    rej.add(implausible(when), "reported_at", "implausible_timestamp", when_text)
    lat_text, lon_text = cell("lat"), cell("lon")
    lat, lon = rej.coordinates(lat_text, lon_text, cell("position") if position is not None else None)
    ward, district = cell("ward_name"), cell("district_name")
    with workspace.connect() as conn:
        units, venues = read_units(conn), registered_venues(conn)
        columns_units = GivenUnits(conn)
        given_units = columns_units.per_report(ward, district)
    lat, lon = rej.swapped(lat, lon, units, result, fix_swapped)
    rej.out_of_range(lat, lon, lat_text, lon_text)
    description = rej.shortened(cell("description", lines=True), "description", text_limits("reports")["description"])
    venue_text = cell("venue_id")
    report_id = cell("report_id")
    venue_name, address = cell("venue_name"), cell("address")
    said = [venue_name, address, ward, district]
    derived = _derived_ids(when, venue_text, lat, lon, description, said)
    # the same reports as stored by versions that derived their ids from less: without the venue's
    # name, address and units, or, with a time column, before that column was read (at midnight)
    says_more = any((s != "").any() for s in said)  # else the ids of the two recipes are the same
    earlier = [_derived_ids(when, venue_text, lat, lon, description)] if says_more else []
    if "reported_time" in cols:
        earlier.append(_derived_ids(when.dt.normalize(), venue_text, lat, lon, description, said))
        if says_more:
            earlier.append(_derived_ids(when.dt.normalize(), venue_text, lat, lon, description))
    given = report_id != ""
    report_id = report_id.where(given, derived)
    rej.duplicates(report_id, "report_id", "duplicate_id")
    kind, _ = vocab.to_codes("report_kind", cell("kind"), "other")
    report(progress, 1, 3)

    ok = rej.ok
    registry = Registry(venues)
    venue_id, matched_by = match(venue_text[ok], lat[ok], lon[ok], description[ok], venues, venue_name[ok], address[ok],
                                 given_units[ok], registry)
    unknown_id = matched_by == "unknown_id"
    accepted = pd.DataFrame({
        "report_id": report_id[ok],
        "reported_at": to_gpkg_datetime(when[ok]),
        "venue_id": venue_id,
        "lat": lat[ok],
        "lon": lon[ok],
        "kind": kind[ok],
        "description": description[ok],
        "matched_by": matched_by,
        "given_venue_id": venue_text[ok].where(venue_text[ok] != "", None),
        "given_venue_name": venue_name[ok].where(venue_name[ok] != "", None),
        "given_address": address[ok].where(address[ok] != "", None),
        "given_ward": ward[ok].where(ward[ok] != "", None),
        "given_district": district[ok].where(district[ok] != "", None),
    })
    if "reported_time" in cols:
        rej.note(unread[ok], "reported_time", "time_of_day_unread", clock_text[ok], among=ok)
    # said of the column the report sought its venue by: its id, its position, the name, the address
    unmatched = np.isin(matched_by, ("none", "unknown_id"))
    for field, gave in (("venue_id", venue_text[ok] != ""), ("lat", lat[ok].notna() & lon[ok].notna()),
                        ("venue_name", venue_name[ok] != ""), ("address", address[ok] != ""),
                        ("venue_id", pd.Series(True, index=venue_text[ok].index))):
        here = unmatched & gave.to_numpy()
        rej.note(here, field, "report_unmatched", among=ok)
        unmatched &= ~here
    rej.note(unknown_id, "venue_id", "report_unknown_venue", venue_text[ok], among=ok)
    for field, text, level in (("ward_name", ward, "ward"), ("district_name", district, "district")):
        rej.note(columns_units.unknown(text[ok], level, registry), field, "report_unknown_unit", text[ok], among=ok)
    # the looser ways of linking, each row with the venue it was linked to, for a person to check
    registered_names = dict(zip(venues["venue_id"], venues["name"].fillna(""), strict=True))
    registered_addresses = dict(zip(venues["venue_id"], venues["address"].fillna(""), strict=True))
    for way, field, code in (("name_variant", "venue_name", "report_name_variant"),
                             ("address", "address", "report_by_address"),
                             ("address_partial", "address", "report_by_address_partial")):
        linked = matched_by == way
        rows = np.zeros(len(ok), dtype=bool)
        rows[np.flatnonzero(ok)[linked]] = True
        details = [{"venue": v, "name": registered_names.get(v, ""), "address": registered_addresses.get(v, "")}
                   for v in venue_id[linked]]
        rej.note(np.ones(len(details), dtype=bool), field, code, details, among=rows)
    result.rejections, result.notes = rej.frame(), rej.notes()
    result.warnings.update(result.notes["reason"].value_counts().to_dict())
    result.rows_accepted = len(accepted)
    with workspace.transaction() as conn:
        accepted["report_id"], renamed = _known_ids(conn, accepted["report_id"], given[ok],
                                                    [derived[ok], *(e[ok] for e in earlier)])
        accepted["import_id"] = begin_log(conn, result, digest)
        counts = upsert(conn, "citizen_reports", accepted, ["report_id"])
        # reports stored before under a derived id are updated, not new
        result.counts = dataclasses.replace(counts, added=counts.added - renamed, updated=counts.updated + renamed)
        report(progress, 2, 3)
        finish_log(conn, result)
    return result


#: a time of day alone (what a cell formatted as a time reads as)
CLOCK = r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?"
#: a time of day as people write it: 14:30, 14:30:00, 14h30, 14h, 8 giờ 15 (phút), 2:30 PM, 2:30 CH
_SPOKEN_CLOCK = r"^(\d{1,2})(?:(?::|h)(\d{1,2})?)?(?::(\d{1,2})(?:\.\d+)?)?(am|pm|sa|ch)?$"


def _time_of_day(text: pd.Series) -> pd.Series:
    """A time of day as a time delta (``NaT`` when not one).

    As people and spreadsheets write it (see ``_SPOKEN_CLOCK``), or an Excel time (a fraction of a day).
    """
    spoken = (text.str.lower().str.replace("giờ", "h", regex=False).str.replace("phút", "", regex=False)
              .str.replace(r"\s+", "", regex=True).str.extract(_SPOKEN_CLOCK))
    hours, minutes, seconds = (pd.to_numeric(spoken[i], errors="coerce") for i in range(3))
    hours = hours + np.where(spoken[3].isin(["pm", "ch"]) & (hours < 12), 12, 0)
    hours = hours.where(~(spoken[3].isin(["am", "sa"]) & (hours == 12)), 0)
    ok = (hours < 24) & (minutes.fillna(0) < 60) & (seconds.fillna(0) < 60)
    clock = pd.to_timedelta(hours.where(ok) * 3600 + minutes.fillna(0) * 60 + seconds.fillna(0), unit="s")
    fraction = pd.to_numeric(text, errors="coerce")
    fraction = fraction.where((fraction >= 0) & (fraction < 1) & text.str.contains(".", regex=False))
    return clock.fillna(pd.to_timedelta(fraction, unit="D").dt.round("s"))


#: a date as written in a timestamp: 15/8/2021, 15-08-2021, 15.8.2021, 2021-08-15
_DATE = r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})"


def _spoken_timestamps(text: pd.Series) -> pd.Series:
    """Timestamps as people write them in Vietnamese, as naive local times (``NaT`` when not one).

    A date (``15/8/2021``, or in words: ``ngày 15 tháng 8 năm 2021``) with a time of day before or
    after it as :func:`_time_of_day` reads it (``14h30``, ``20h``, ``9 giờ 15 phút``), the words
    "lúc", "ngày", "vào" and commas between them ignored: ``15/8/2021 14h30``, ``14h30 ngày 15/8/2021``,
    ``lúc 9 giờ 15 phút, ngày 15 tháng 8 năm 2021``. A date alone is its midnight.
    """
    lower = text.astype(str).str.lower().str.replace(DATE_IN_WORDS, r"\1/\2/\3", regex=True)
    found = lower.str.extract(_DATE, expand=False)
    day = parse_local(found.str.replace(".", "/", regex=False).fillna(""))
    rest = (lower.str.replace(_DATE, " ", n=1, regex=True)
            .str.replace(r"\b(?:lúc|ngày|vào)\b|[,;]", " ", regex=True).str.strip())
    clock = _time_of_day(rest)
    at = day.where(rest == "", day + clock)
    return at.where(found.notna())


def _derived_ids(
    when: pd.Series, venue: pd.Series, lat: pd.Series, lon: pd.Series, description: pd.Series,
    said: Sequence[pd.Series] = (),
) -> pd.Series:
    """Ids for reports without one, from what they say rather than how the file wrote it.

    The same report read from a CSV file or from a sheet with real date cells gets the same id:
    the parsed local time, the venue as given, the position to 1e-6 degrees and the text
    ignoring case, in NFC with spaces and line breaks collapsed (so ids stay those of imports that
    did not keep line breaks); and what else ``said`` of the venue (its name, address, ward and
    district, ignoring case), so that two reports of one minute and one text about two venues
    named are two reports. A report that says none of these keeps the id earlier versions gave it.
    """
    parts = [
        when.dt.strftime("%Y-%m-%dT%H:%M:%S").fillna(""), venue,
        lat.map(lambda v: "" if pd.isna(v) else f"{v:.6f}"), lon.map(lambda v: "" if pd.isna(v) else f"{v:.6f}"),
        description.map(clean).str.casefold(),
    ]
    more = [s.map(clean).str.casefold() for s in said]
    if more:  # appended only when one is there
        parts.append(pd.Series(["|".join(m) if any(m) else None for m in zip(*more, strict=True)], index=when.index,
                               dtype=object))
    keys = ["|".join(p for p in row if p is not None) for row in zip(*parts, strict=True)]
    return pd.Series(["R-" + hashlib.sha1(k.encode()).hexdigest()[:12] for k in keys], index=when.index, dtype=object)


def _known_ids(conn: Any, report_id: pd.Series, given: pd.Series, contents: list[pd.Series]) -> tuple[pd.Series, int]:
    """The ids under which the workspace already has these reports, so that another export of them adds none.

    ``contents`` are the reports' content ids (:func:`_derived_ids`), the one to store first, then
    others they may have been stored under. An export without report ids may follow one with them
    (or the other way round): a report without an id takes the id of the stored report that says
    the same, and a stored report that got a content id gives way to the same report with its own
    id. Also returns how many stored reports were so renamed (updated, not added).
    """
    stored = pd.read_sql("SELECT report_id, reported_at, given_venue_id, lat, lon, description, given_venue_name, "
                         "given_address, given_ward, given_district FROM citizen_reports", conn)
    if stored.empty:
        return report_id, 0
    # the content id as this version derives it (cleaning may have changed since they were stored)
    said = [stored[c].fillna("") for c in ("given_venue_name", "given_address", "given_ward", "given_district")]
    content = _derived_ids(from_gpkg_datetime(stored["reported_at"]), stored["given_venue_id"].fillna("").map(clean),
                           stored["lat"], stored["lon"], phones_masked(stored["description"].fillna("")), said)
    by_content = dict(zip(content, stored["report_id"], strict=True))
    known = pd.Series(None, index=report_id.index, dtype=object)
    for ids in contents:
        known = known.fillna(ids.map(by_content))
    ids_stored = set(stored["report_id"])
    superseded = {(old, new) for old, new in zip(known[given], report_id[given], strict=True)
                  if pd.notna(old) and old != new and old.startswith("R-")}
    conn.executemany("DELETE FROM citizen_reports WHERE report_id = ?", [(old,) for old, _ in superseded])
    renamed = len({new for _, new in superseded if new not in ids_stored})
    return report_id.where(given, known.fillna(contents[0])), renamed
