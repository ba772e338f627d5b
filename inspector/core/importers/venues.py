"""Import the venue registry (CSV, XLSX or GeoJSON): one row per QR board issued."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from inspector.core import geo, vocab
from inspector.core.columns import map_columns, match_columns, unused_columns
from inspector.core.errors import Progress
from inspector.core.importers import report_venues
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
from inspector.core.io.tables import read_table
from inspector.core.io.timestamps import LOCAL_ZONE
from inspector.core.io.values import (
    EXCEL_EPOCH,
    bad_cells,
    day_month_year,
    excel_serial_dates,
    parse_count,
    parse_date,
    phone_zero_restored,
    without_day,
)
from inspector.core.progress import report
from inspector.core.text import clean, id_key, normalise_code
from inspector.core.units import leaves, read_units, resolve_declared
from inspector.core.workspace import Workspace, upsert


def run(
    workspace: Workspace, path: Path, *, progress: Progress | None = None, fix_swapped: bool = False,
    columns: dict[str, str] | None = None, sheet: str | list[str] | None = None,
) -> ImportResult:
    """Import venues from ``path``; see :func:`inspector.core.importers.import_file`."""
    result, digest = start(workspace, "venues", path, options={"sheet": sheet})
    if result.already_imported_at:
        return result
    report(progress, 0, 4)
    table = read_table(path, ("csv", "xlsx", "xls", "ods", "geojson"), kind="venues", overrides=columns, sheet=sheet)
    result.encoding, result.unit, result.rows_total = table.encoding, table.unit, len(table.frame)
    result.sheets, result.other_sheets = list(table.sheets), list(table.other_sheets)
    frame = table.frame
    overrides = dict(columns or {})
    if table.unit == "feature":  # GeoJSON: the point geometry is the registered position
        overrides.setdefault("lat", "__lat")
        overrides.setdefault("lon", "__lon")
    cols = map_columns("venues", frame.columns, file=path.name, overrides=overrides,
                       unnamed=table.unnamed)
    if "venue_id" not in overrides:
        cols["venue_id"] = _id_column(frame, cols, table.unnamed)
    frame, position = position_in_one_cell("venues", frame, cols)
    result.unused_columns = unused_columns(frame.columns, cols, table.unnamed)
    result.columns = dict(cols)
    # rejected rows name the file's own column; for the position from the geometry, "geometry"
    shown = {f: "geometry" if h.startswith("__") else h for f, h in cols.items()}
    if position is not None:  # latitude and longitude in one cell, named by it
        cols.update(lat="__lat", lon="__lon")
        shown.update(lat=position, lon=position)
    cell = cells(frame, cols)
    rej = Rejections(table, shown)
    if "__not_point" in frame:
        rej.add(frame["__not_point"] != "", "lat", "not_a_point", frame["__not_point"])
    venue_id = cell("venue_id")
    rej.add(venue_id == "", "venue_id", "missing_value")
    rej.duplicates(venue_id, "venue_id", "duplicate_id")
    name = cell("name")
    rej.add(name == "", "name", "missing_value")
    limits = text_limits("venues")  # free text pasted by mistake is cut, with a warning
    name = rej.shortened(name, "name", limits["name"])
    address, contact = (rej.shortened(cell(f), f, limits[f]) for f in ("address", "owner_contact"))
    category_raw = rej.shortened(cell("category"), "category", limits["category"])

    lat_text, lon_text = cell("lat"), cell("lon")
    lat, lon = rej.coordinates(lat_text, lon_text, cell("position") if position is not None else None)
    rej.add(lat.isna(), "lat", "missing_coordinates")
    rej.add(lon.isna(), "lon", "missing_coordinates")
    rej.add((lat == 0) & (lon == 0), "lat", "missing_coordinates")
    report(progress, 1, 4)
    with workspace.connect() as conn:
        units = read_units(conn)
        stored = pd.read_sql_query(f"SELECT venue_id, {', '.join(_KEPT_COLUMNS)} FROM venues", conn)
    registered_ids = stored["venue_id"]
    lat, lon = rej.swapped(lat, lon, units, result, fix_swapped)
    rej.out_of_range(lat, lon, lat_text, lon_text)

    # optional fields that cannot be read are left empty, with a warning: the venue is kept
    numbers = {}
    for field in ("staff", "capacity"):
        text = cell(field)
        number = parse_count(text)
        unread = bad_cells(text, number) | (number < 0).to_numpy()
        rej.note(unread, field, f"{field}_not_read", text)
        numbers[field] = number.where(~unread)
    registered_text = cell("registered_on")
    # a serial number in a CSV's date column was an Excel date cell saved as a number
    registered = parse_date(excel_serial_dates(registered_text, table.epoch or EXCEL_EPOCH))
    unread = bad_cells(registered_text, registered)
    no_day, impossible = without_day(registered_text), day_month_year(registered_text)
    rej.note(unread & no_day, "registered_on", "date_without_day", registered_text)
    rej.note(unread & impossible, "registered_on", "date_impossible", registered_text)
    rej.note(unread & ~no_day & ~impossible, "registered_on", "date_not_read", registered_text)
    today = dt.datetime.now(LOCAL_ZONE).date().isoformat()  # a typing error (2031): kept, to be checked
    rej.note(registered.fillna("").gt(today).to_numpy(), "registered_on", "date_in_future", registered_text)

    category, known_category = vocab.to_codes("category", cell("category"), "other")
    status, known_status = vocab.to_codes("status", cell("status"), "active")
    ok = rej.ok
    venue_id = _as_registered(venue_id, registered_ids, rej, result)
    rej.note(~known_category, "category", "unknown_category", cell("category"))
    rej.note(~known_status, "status", "unknown_status", cell("status"))

    declared, problems = resolve_declared(cell("ward_code"), cell("ward_name"), cell("district_name"), units)
    if not {"ward_code", "ward_name", "district_name"} & cols.keys():  # a registered venue keeps its ward
        kept = venue_id.map(stored.set_index("venue_id")["declared_ward_code"]).astype(object)
        kept = kept.where(kept.notna(), "")
        declared = np.where(kept != "", kept, declared)
    ward_field = "ward_code" if cols.get("ward_code") else "ward_name"
    if not units.empty:
        for problem in ("unknown_ward", "ambiguous_ward"):
            rej.note(problems == problem, ward_field, problem, cell(ward_field))
    ward, flag = geo.locate(lon[ok].to_numpy(), lat[ok].to_numpy(), declared[ok], leaves(units))
    for kind in sorted(set(flag) - {geo.OK}):
        if kind == geo.NO_BOUNDARIES:  # true of every venue: counted, not listed
            result.warnings[kind] = int((flag == kind).sum())
        else:
            rej.note(flag == kind, ward_field if kind == geo.OUTSIDE_DECLARED else "lat", kind, among=ok)

    report(progress, 2, 4)
    accepted = pd.DataFrame({
        "venue_id": venue_id[ok],
        "qr_payload": cell("qr_payload")[ok].where(cell("qr_payload")[ok] != "", venue_id[ok]),
        "name": name[ok],
        "category": category[ok],
        "category_raw": category_raw[ok],
        "address": address[ok],
        "declared_ward_code": [d or None for d in declared[ok]],
        "ward_code": ward,
        "location_flag": flag,
        "staff": numbers["staff"][ok].astype("Int64"),
        "capacity": numbers["capacity"][ok].astype("Int64"),
        "owner_contact": phone_zero_restored(contact[ok]),
        "registered_on": registered[ok],
        "status": status[ok],
        "lat": lat[ok].round(7),
        "lon": lon[ok].round(7),
    })
    accepted = _unread_kept(accepted, cols, stored)
    accepted["geometry"] = shapely.points(accepted["lon"].to_numpy(), accepted["lat"].to_numpy())
    result.rejections, result.notes = rej.frame(), rej.notes()
    result.rows_accepted = len(accepted)
    result.warnings.update(result.notes["reason"].value_counts().to_dict())
    with workspace.transaction() as conn:
        accepted["import_id"] = begin_log(conn, result, digest)
        result.counts = upsert(conn, "venues", accepted, ["venue_id"])
        report(progress, 3, 4)
        # reports stored before their venue was registered (or had its id or place) are linked now; when
        # no venue changed, none can be: every report stored since was matched to these very venues
        linked = report_venues.link_stored(conn) if result.counts.added or result.counts.updated else {}
        if linked:
            result.warnings["reports_linked"] = sum(linked.values())
            for way in ("name_variant", "address", "address_partial"):  # the looser ways, to be checked, said apart
                if linked.get(way):
                    result.warnings[f"reports_linked_by_{way}"] = linked[way]
        finish_log(conn, result, audited={"reports_linked": linked} if linked else None)
    return result


#: What a registered venue keeps when the file has no column for it (a list from a ward, without QR
#: payloads, staff or status, updates names and places without erasing them): stored columns per field.
_KEPT = {"qr_payload": ("qr_payload",), "category": ("category", "category_raw"), "address": ("address",),
         "staff": ("staff",), "capacity": ("capacity",), "owner_contact": ("owner_contact",),
         "registered_on": ("registered_on",), "status": ("status",)}
_KEPT_COLUMNS = ("declared_ward_code", *(c for columns in _KEPT.values() for c in columns))


def _unread_kept(accepted: pd.DataFrame, cols: dict[str, str], stored: pd.DataFrame) -> pd.DataFrame:
    """``accepted`` with the stored values of registered venues for the fields the file has no column for.

    New venues get the defaults (their id as QR payload, category "other", status "active"...).
    """
    absent = [c for field, columns in _KEPT.items() if field not in cols for c in columns]
    known = accepted["venue_id"].isin(stored["venue_id"])
    if not absent or not known.any():
        return accepted
    accepted = accepted.copy()
    by_id = stored.set_index("venue_id")
    for column in absent:
        was = accepted["venue_id"].map(by_id[column]).astype(object)
        values = accepted[column].astype(object).where(~known, was)
        accepted[column] = pd.to_numeric(values).astype("Int64") if column in ("staff", "capacity") else values
    return accepted


def _id_column(frame: pd.DataFrame, cols: dict[str, str], unnamed: tuple[str, ...]) -> str:
    """The column to read venue ids from: not an empty one or one of row numbers when another column holds ids.

    The column the headers name ("Mã" before "ID") is passed over when it is empty, or holds
    1, 2, 3 ... n (an "ID" or "STT" numbering the rows), and the next column named as venue ids
    is filled in at least half of the rows.
    """
    chosen = cols["venue_id"]
    filled = frame[chosen].map(clean)
    filled = filled[filled != ""]
    numbers = pd.to_numeric(filled.where(filled.str.fullmatch(r"\d+")), errors="coerce")
    if numbers.isna().any() or sorted(numbers) != list(range(1, len(numbers) + 1)):  # ids, not row numbers
        return chosen
    others = [h for h in map(str, frame.columns) if h != chosen and not h.startswith("__") and h not in unnamed]
    other = match_columns("venues", others).get("venue_id")
    if other is None or other in cols.values() or (frame[other].map(clean) != "").mean() < 0.5:
        return chosen
    return other


def _as_registered(venue_id: pd.Series, registered: pd.Series, rej: Rejections, result: ImportResult) -> pd.Series:
    """The file's venue ids, each written as the registry writes it.

    An id that is no registered venue's as written, but is one's ignoring case and a number's
    leading zeros (:func:`~inspector.core.text.id_key`: ``v901`` for ``V901``, ``0090600060`` for
    ``90600060``), is that venue when no other registered id or id of the file reads so too: the
    row updates it, with a warning. Ids that read alike otherwise stay apart, with a warning.
    """
    given = venue_id != ""
    key = venue_id.map(id_key)
    stored = registered.groupby(registered.map(id_key)).agg(["first", "size"])
    ids = venue_id[given].drop_duplicates()
    in_file = ids.groupby(ids.map(id_key)).size()
    spellings = pd.concat([registered, ids]).drop_duplicates()
    spellings = spellings.groupby(spellings.map(id_key)).size()
    same = key.map(stored["first"]).where(key.map(stored["size"]).eq(1) & key.map(in_file).eq(1))
    loose = (given & same.notna() & ~venue_id.isin(registered)).to_numpy()
    rej.note(loose, "venue_id", "id_as_registered", same)
    rej.note(given & ~loose & key.map(spellings).gt(1), "venue_id", "id_like_another", venue_id)
    shown = loose & rej.ok
    if shown.any():
        result.examples["id_as_registered"] = [f"{a} → {b}" for a, b in zip(
            venue_id[shown][:3], same[shown][:3], strict=True)]
    return venue_id.where(~loose, same)


def relocate(conn: sqlite3.Connection) -> int:
    """Re-assign every venue to a ward after the boundaries changed; return how many moved."""
    venues = pd.read_sql_query(
        "SELECT venue_id, lon, lat, declared_ward_code, ward_code, location_flag FROM venues", conn
    )
    if venues.empty:
        return 0
    units = read_units(conn)
    declared = venues["declared_ward_code"].fillna("").map(lambda c: normalise_code(c, 5)).to_numpy()
    ward, flag = geo.locate(venues["lon"].to_numpy(), venues["lat"].to_numpy(), declared, leaves(units))
    changed = (venues["ward_code"].to_numpy() != ward) | (venues["location_flag"].to_numpy() != flag)
    rows = [(w, f, v) for w, f, v in zip(ward[changed], flag[changed], venues["venue_id"][changed], strict=True)]
    conn.executemany("UPDATE venues SET ward_code = ?, location_flag = ? WHERE venue_id = ?", rows)
    return len(rows)
