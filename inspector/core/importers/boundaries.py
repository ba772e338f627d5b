"""Import administrative units (GeoJSON, Shapefile, GeoPackage; any CRS) and link the hierarchy."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from inspector.core import geo
from inspector.core.columns import map_columns
from inspector.core.errors import InputError, Progress
from inspector.core.i18n import Translate
from inspector.core.importers import boundary_checks, boundary_parents, boundary_read, venues
from inspector.core.importers.common import (
    ImportResult,
    Rejections,
    begin_log,
    cells,
    finish_log,
    row_params,
    start,
)
from inspector.core.io.tables import Table
from inspector.core.io.values import cell_text, parse_count
from inspector.core.messages import Count, Message
from inspector.core.names import GEOMETRY_KINDS, LOCATION_UNITS, label
from inspector.core.progress import report
from inspector.core.text import clean, fold, normalise_code
from inspector.core.units import CODE_WIDTH, LEVELS, province_name, read_units
from inspector.core.workspace import Workspace, upsert

# The words of a "level" column (accents and case ignored).
_PARENT_FIELDS = {"district": ("district_code", "district_name"), "province": ("province_code", "province_name")}


def run(
    workspace: Workspace, path: Path, *, progress: Progress | None = None, level: str | None = None,
    layer: str | None = None, columns: dict[str, str] | None = None,
) -> ImportResult:
    """Import the units in ``path``; see :func:`inspector.core.importers.import_file`."""
    if level is not None and level not in LEVELS:
        raise InputError("bad_level", level=level, levels=", ".join(LEVELS))
    layer, other_layers = boundary_read.choose_layer(path, layer, level)
    result, digest = start(workspace, "boundaries", path,
                           options={"layer": layer, "level": level, "columns": columns})
    result.unit = "feature"
    if result.already_imported_at:
        return result
    report(progress, 0, 4)
    read = boundary_read.read(path, layer)
    gdf = read.frame
    result.layer, result.other_layers = read.layer, other_layers
    result.warnings.update(read.warnings)
    _polygons_only(path, gdf)
    attrs = pd.DataFrame({c: gdf[c].map(cell_text) for c in gdf.columns if c != "geometry"}, dtype=object)
    if attrs.columns.empty:
        raise InputError("no_attributes", file=path.name)
    table = Table(attrs, np.arange(1, len(gdf) + 1), "feature", path.name, "utf-8")
    result.rows_total = len(gdf)
    cols = map_columns("boundaries", attrs.columns, file=path.name, overrides=columns)
    # A district file's ``district_id`` is its own code, not a parent's: a column is one field only.
    cols = {f: h for f, h in cols.items() if f in ("code", "name") or h not in (cols["code"], cols["name"])}
    cell = cells(attrs, cols)

    row_level = cell("level").map(lambda v: boundary_read.LEVEL_WORDS.get(fold(v), ""))  # a column as this app writes
    if level is None and "level" in cols:
        found = sorted(set(row_level) - {""}, key=LEVELS.index)
        if len(found) > 1:
            raise InputError("several_levels", file=path.name, levels=", ".join(found))
        level = found[0] if found else None
    level = level or _infer_level(cols, cell("code"), path.name)
    parent_level = next((p for p in ("district", "province") if _PARENT_FIELDS[p][0] in cols
                         and LEVELS.index(p) < LEVELS.index(level)), None)
    parent_field = _PARENT_FIELDS[parent_level][0] if parent_level else ""
    if parent_level is None and "parent_code" in cols and level != "province":
        parent_level, parent_field = LEVELS[LEVELS.index(level) - 1], "parent_code"
    rej = Rejections(table, cols)
    rej.add((row_level != "") & (row_level != level), "level", "other_level", row_level)
    code = cell("code").map(lambda c: normalise_code(c, CODE_WIDTH[level]))
    rej.add(code == "", "code", "missing_value")
    rej.duplicates(code, "code", "duplicate_code")
    rej.add(cell("name") == "", "name", "missing_value")
    geometry, repaired = _polygons(gdf.geometry.to_numpy())
    rej.add(pd.isna(geometry), "geometry", "invalid_geometry")
    population_text = cell("population")
    population = parse_count(population_text)
    rej.add((population_text != "") & population.isna(), "population", "invalid_number", population_text)

    ok = rej.ok
    if not ok.any():
        _refuse_all(path, len(gdf), rej)
    parent_code = pd.Series(None, index=attrs.index, dtype=object)
    if parent_level:
        parent_code = cell(parent_field).map(
            lambda c: normalise_code(c, CODE_WIDTH[parent_level]) or None)
    units = gpd.GeoDataFrame({
        "code": code[ok], "name": cell("name")[ok], "level": level, "parent_code": parent_code[ok],
        "population": population[ok].astype("Int64"), "source": "file",
    }, geometry=list(geometry[ok]), crs="EPSG:4326")
    units["area_km2"] = geo.area_km2(units.geometry).round(3)
    result.rejections = rej.frame()
    result.rows_accepted = len(units)
    if int((repaired & ok).sum()):
        result.warnings["geometry_repaired"] = int((repaired & ok).sum())
    report(progress, 1, 4)

    with workspace.transaction() as conn:
        import_id = begin_log(conn, result, digest)
        existing = read_units(conn)
        # a unit the file gives no population keeps the one it has (often from another source)
        known = units["code"].map(existing.set_index("code")["population"]).astype("Int64")
        kept = units["population"].isna() & known.notna()
        if kept.any():
            units["population"] = units["population"].fillna(known)
            result.warnings["population_kept"] = int(kept.sum())
        # and one it gives no parent keeps its parent: a file of outlines alone changes no hierarchy
        known_parent = units["code"].map(existing.set_index("code")["parent_code"])
        units["parent_code"] = units["parent_code"].where(units["parent_code"].notna(), known_parent)
        parents = _parents_to_derive(units, attrs[ok], cols, parent_level, existing)
        frames = [units, parents] if not parents.empty else [units]
        for frame in frames:
            frame["import_id"] = import_id
        result.counts = upsert(conn, "admin_units", _as_rows(units), ["code"])
        if not parents.empty:
            upsert(conn, "admin_units", _as_rows(parents), ["code"])
            result.warnings["parent_derived"] = len(parents)
        report(progress, 2, 4)
        _refresh_derived(conn)
        _parents_from_map(conn, units, level, result)
        _check_fit(conn, units, existing, parents, result)
        report(progress, 3, 4)
        moved = venues.relocate(conn)
        if moved:
            result.warnings["venues_relocated"] = moved
        finish_log(conn, result, {"level": level})
    return result


def read_boundaries(path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read polygons from GeoJSON, (zipped) Shapefile or GeoPackage, in EPSG:4326.

    See :func:`inspector.core.importers.boundary_read.read`.
    """
    return boundary_read.read(path, layer).frame


def _polygons_only(path: Path, gdf: gpd.GeoDataFrame) -> None:
    """Refuse a file that holds geometries but no polygon, saying what it holds (``23 points``)."""
    kinds = gdf.geometry.geom_type.dropna()
    if not kinds.empty and not kinds.str.contains("Polygon").any():
        counts = {str(k): int(n) for k, n in kinds.value_counts().items()}
        raise InputError("no_polygons_found", file=path.name, found=functools.partial(_kinds, counts))


def _refuse_all(path: Path, total: int, rej: Rejections) -> None:
    """Refuse a file none of whose features can be imported, saying why (its first feature's reason)."""
    first = rej.frame().iloc[0]
    unit = functools.partial(label, LOCATION_UNITS, "feature")
    reason = Message(str(first["reason"]), {"unit": unit, **row_params(first["detail"], str(first["field"]))})
    raise InputError("nothing_accepted", file=path.name, total=total, line=int(first["line"]), reason=reason)


def _kinds(counts: dict[str, int], tr: Translate) -> str:
    """``23 points, 2 lines``: how many features of each kind, in the language of ``tr``."""
    return ", ".join(f"{Count(n)(tr)} {label(GEOMETRY_KINDS, k, tr)}" for k, n in counts.items())


def _parents_from_map(conn: sqlite3.Connection, units: gpd.GeoDataFrame, level: str, result: ImportResult) -> None:
    """Link units without a parent code to the unit above holding most of their area, and say so.

    This file's units, and the workspace's units of the level below it (imported before their
    parents). Those of them that no unit of the level above overlaps are warned about, and so are
    this file's units when the workspace has no unit of the level above yet.
    """
    now = read_units(conn)
    placed = boundary_parents.parents_from_map(now)
    if placed.parents:
        upsert(conn, "admin_units", pd.DataFrame({"code": list(placed.parents),
                                                  "parent_code": list(placed.parents.values())}), ["code"])
        result.warnings["parent_from_map"] = len(placed.parents)
        _refresh_derived(conn)
    levels = now.set_index("code")["level"]
    below = LEVELS[LEVELS.index(level) + 1:]
    unplaced = [c for c in placed.unplaced if c in set(units["code"]) or levels[c] in below]
    if unplaced:
        result.warnings["parent_not_found"] = len(unplaced)
        result.examples["parent_not_found"] = unplaced[:boundary_checks.EXAMPLES]
    pending = set(placed.pending) & set(units["code"])
    if pending:
        result.warnings["parent_pending"] = len(pending)


def _check_fit(conn: sqlite3.Connection, units: gpd.GeoDataFrame, existing: gpd.GeoDataFrame,
               parents: gpd.GeoDataFrame, result: ImportResult) -> None:
    """Warn about units mostly outside their parent, lying on other units, or in another province."""
    now = read_units(conn)
    codes = [*units["code"], *(parents["code"] if not parents.empty else [])]
    found = {"outside_parent": boundary_checks.outside_parent(now, codes),
             "overlaps_other_units": boundary_checks.on_other_units(units, existing)}
    before = set(existing.loc[existing["level"] == "province", "code"])
    if before:
        found["province_added"] = sorted(set(now.loc[now["level"] == "province", "code"]) - before)
    for code, which in found.items():
        if which:
            result.warnings[code] = len(which)
            result.examples[code] = which[:boundary_checks.EXAMPLES]


def _infer_level(cols: dict[str, str], code: pd.Series, file: str) -> str:
    if "district_code" in cols or "district_name" in cols:
        return "ward"
    if "province_code" in cols:
        return "district"
    widths = code.map(lambda c: len(normalise_code(c))).replace(0, np.nan).dropna()
    by_width = {2: "province", 3: "district", 5: "ward"}
    if not widths.empty and widths.nunique() == 1 and int(widths.iloc[0]) in by_width:
        return by_width[int(widths.iloc[0])]
    raise InputError("unknown_level", file=file)


def _polygons(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MultiPolygons, repairing invalid ones; ``None`` where nothing polygonal is left."""
    out = np.full(len(geoms), None, dtype=object)
    repaired = np.zeros(len(geoms), dtype=bool)
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
            repaired[i] = True
        parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        polys = [p for g in parts for p in shapely.get_parts(g)]
        if polys:
            out[i] = shapely.MultiPolygon(polys)
    return out, repaired


def _parents_to_derive(units, attrs, cols, parent_level, existing):  # type: ignore[no-untyped-def]
    """Parent units named by the file but not in the workspace, built from their children."""
    if parent_level is None:
        return gpd.GeoDataFrame()
    known = set(existing["code"]) | set(units["code"])
    name_field = _PARENT_FIELDS[parent_level][1]
    names = attrs[cols[name_field]].map(clean) if name_field in cols else pd.Series("", index=attrs.index)
    grand_level = "province" if parent_level == "district" and "province_code" in cols else None
    grand = (attrs[cols["province_code"]].map(lambda c: normalise_code(c, 2) or None)
             if grand_level else pd.Series(None, index=attrs.index, dtype=object))
    rows = []
    for code, group in units.groupby("parent_code"):
        if code in known:
            continue
        idx = group.index
        rows.append({
            "code": code, "name": names.loc[idx].iloc[0] or _unnamed(code, parent_level), "level": parent_level,
            "parent_code": grand.loc[idx].iloc[0], "population": group["population"].sum(min_count=1),
            "source": "derived", "geometry": shapely.union_all(group.geometry.to_numpy()),
        })
    if grand_level:
        for code, name_col in ((c, cols.get("province_name")) for c in set(grand.dropna()) - known):
            name = clean(attrs[name_col].iloc[0]) if name_col else _unnamed(code, "province")
            rows.append({"code": code, "name": name, "level": "province", "parent_code": None,
                         "population": pd.NA, "source": "derived", "geometry": None})
    if not rows:
        return gpd.GeoDataFrame()
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _unnamed(code: str, level: str) -> str:
    """The name of a unit the file gives only by its code: a province's official one, else the code."""
    return (province_name(code) if level == "province" else None) or code


def _refresh_derived(conn: sqlite3.Connection) -> None:
    """Rebuild derived units' geometry, area and population from their children, bottom-up."""
    for level in ("district", "province"):
        units = read_units(conn)
        derived = units[(units["level"] == level) & (units["source"] == "derived")]
        rows = []
        for code in derived["code"]:
            children = units[units["parent_code"] == code]
            if children.empty or children.geometry.isna().all():
                continue
            shape = shapely.union_all(children.geometry.dropna().to_numpy())
            shape = shapely.MultiPolygon(
                [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon"]
            )
            rows.append({"code": code, "population": children["population"].sum(min_count=1),
                         "geometry": shape})
        if rows:
            frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
            frame["area_km2"] = geo.area_km2(frame.geometry).round(3)
            frame["population"] = frame["population"].astype("Int64")
            upsert(conn, "admin_units", frame, ["code"])


def _as_rows(units: gpd.GeoDataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(units.drop(columns="geometry"))
    frame["geometry"] = units.geometry.to_numpy()
    if "area_km2" not in frame:
        frame["area_km2"] = np.nan
    return frame
