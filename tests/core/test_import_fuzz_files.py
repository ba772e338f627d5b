"""Property: no damaged workbook, Parquet scan log or GeoJSON file crashes an import or half-imports it.

As :mod:`tests.core.test_import_fuzz` for CSV: valid small files of each kind, changed a little (cells,
columns and headers; bytes of the file, of the zip inside a workbook; random JSON), then imported.
"""

import contextlib
import datetime as dt
import io
import json
import math
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.conftest import VENUES_CSV, tiny_wards
from tests.core.fuzzing import (
    FUZZ,
    LOOKALIKES,
    NASTY_CELLS,
    REPORTS_CSV,
    SCANS_CSV,
    byte_mutations,
    every_value_in,
    examples,
    rows_of,
    table_mutations,
)


def _value(text: str, typed: bool) -> object:
    """A cell as a workbook holds it: text, or with ``typed`` a number or a date where the text is one."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if not typed:
        return text
    with contextlib.suppress(ValueError):
        return dt.datetime.fromisoformat(text).replace(tzinfo=None)  # Excel has no zones
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def workbook(table: list[list[str]], typed: bool, formulas: bool = True) -> bytes:
    """``table`` as a workbook; without ``formulas``, a cell beginning with "=" is text (a formula with no
    value saved refuses the whole workbook)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for i, row in enumerate(table, start=1):
        for j, text in enumerate(row, start=1):
            cell = sheet.cell(i, j, _value(text, typed))
            if not formulas and cell.data_type == "f":
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def damaged_member(data: bytes, member: str, mutate: st.SearchStrategy) -> st.SearchStrategy[bytes]:
    """A workbook ``data`` whose ``member`` of the zip is changed by ``mutate`` (its bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        inner = zf.read(member)

    def rebuild(changed: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info, changed if info.filename == member else src.read(info))
        return out.getvalue()

    return mutate(inner).map(rebuild)


TABLES = {"venues": rows_of(VENUES_CSV), "reports": rows_of(REPORTS_CSV)}


@pytest.mark.parametrize("kind", list(TABLES))
def test_the_valid_workbooks_the_fuzzing_starts_from_import(import_template, kind):
    header, rows = TABLES[kind]
    result = import_template.run(kind, f"{kind}.xlsx", workbook([header, *rows], typed=True))
    assert result is not None and result.rows_accepted == result.rows_total > 0


@settings(FUZZ, max_examples=examples(15))
@given(kind=st.sampled_from(list(TABLES)), data=st.data(), typed=st.booleans())
def test_workbooks_with_changed_cells_columns_and_headers(import_template, kind, data, typed):
    table = data.draw(table_mutations(*TABLES[kind]))
    import_template.run(kind, f"{kind}.xlsx", workbook(table, typed))


@pytest.mark.parametrize(("kind", "column"), [(kind, column) for kind in TABLES
                                              for column in range(len(TABLES[kind][0]))])
def test_every_odd_value_in_every_column_of_a_workbook(import_template, kind, column):
    """As for CSV: each odd value in each column, numbers stored as numbers (formulas as formulas)."""
    import_template.run(kind, f"{kind}.xlsx", workbook(every_value_in(kind, column), typed=True,
                                                                          formulas=False))


VENUES_XLSX = workbook([TABLES["venues"][0], *TABLES["venues"][1]], typed=True)


@settings(FUZZ, max_examples=examples(20))
@given(data=st.one_of(byte_mutations(VENUES_XLSX), damaged_member(VENUES_XLSX, "xl/worksheets/sheet1.xml",
                                                                  byte_mutations)))
def test_damaged_workbooks(import_template, data):
    import_template.run("venues", "venues.xlsx", data)


WORKBOOKS = Path(__file__).parents[1] / "data" / "workbooks"  # made by LibreOffice (see make.py there)
REGISTRY_XLS, REGISTRY_ODS = ((WORKBOOKS / f"registry.{fmt}").read_bytes() for fmt in ("xls", "ods"))


@settings(FUZZ, max_examples=examples(20))
@given(data=byte_mutations(REGISTRY_XLS))
def test_damaged_xls_workbooks(import_template, data):
    """Excel 97-2003 files (an OLE container): calamine once took all memory following a damaged one."""
    import_template.run("venues", "registry.xls", data)


@settings(FUZZ, max_examples=examples(20))
@given(data=st.one_of(byte_mutations(REGISTRY_ODS), damaged_member(REGISTRY_ODS, "content.xml", byte_mutations)))
def test_damaged_ods_workbooks(import_template, data):
    import_template.run("venues", "registry.ods", data)


SCAN_HEADER, SCAN_ROWS = rows_of(SCANS_CSV)
ARROW_COLUMNS = st.sampled_from(["text", "nasty", "int", "float", "timestamp", "timestamp_tz", "date", "null"])


def _arrow_column(kind: str, texts: list[str], draw_values: list[object]) -> pa.Array:
    n = len(texts)
    if kind == "text":
        return pa.array(texts, pa.string())
    if kind == "nasty":
        return pa.array([str(v) for v in draw_values], pa.string())
    if kind == "int":
        return pa.array([hash(t) % (1 << 40) for t in texts], pa.int64())
    if kind == "float":
        return pa.array([float("nan"), float("inf"), -0.0, 1e308, 16.445][:n] + [16.4] * (n - 5), pa.float64())
    if kind in ("timestamp", "timestamp_tz"):
        values = [0, -(1 << 62), (1 << 62), 1_627_869_600_000_000, None][:n] + [1_627_869_600_000_000] * (n - 5)
        return pa.array(values, pa.timestamp("us", tz="Asia/Ho_Chi_Minh" if kind == "timestamp_tz" else None))
    if kind == "date":
        return pa.array([0, -719_162, 2_932_896, 18_841, None][:n] + [18_841] * (n - 5), pa.date32())
    return pa.nulls(n)


@st.composite
def scan_tables(draw: st.DrawFn) -> bytes:
    """A Parquet scan log whose columns may be of other types, dropped, repeated or renamed, its cells odd."""
    table = draw(table_mutations(SCAN_HEADER, SCAN_ROWS))
    header, rows = table[0], table[1:]
    arrays, names = [], []
    for j, name in enumerate(header):
        texts = [r[j] if j < len(r) else "" for r in rows]
        kind = draw(ARROW_COLUMNS) if draw(st.booleans()) else "text"
        arrays.append(_arrow_column(kind, texts, draw(st.lists(st.sampled_from(NASTY_CELLS), min_size=len(rows),
                                                               max_size=len(rows)))))
        names.append(name)
    out = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, names=names), out)
    return out.getvalue()


@settings(FUZZ, max_examples=examples(25))
@given(data=scan_tables())
def test_parquet_scan_logs_with_odd_columns_and_cells(import_template, data):
    import_template.run("scans", "scans.parquet", data)


def _valid_parquet() -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.table({name: [r[j] for r in SCAN_ROWS] for j, name in enumerate(SCAN_HEADER)}), out)
    return out.getvalue()


@settings(FUZZ, max_examples=examples(15))
@given(data=byte_mutations(_valid_parquet()))
def test_damaged_parquet_scan_logs(import_template, data):
    import_template.run("scans", "scans.parquet", data)


WARDS = json.loads(tiny_wards().to_json())
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)


def _replace(doc: object, path: list[int], value: object) -> object:
    """``doc`` with the part reached by ``path`` (indices taken modulo each level's size) replaced by ``value``."""
    if not path or not isinstance(doc, dict | list) or not doc:
        return value
    keys = list(doc) if isinstance(doc, dict) else list(range(len(doc)))
    key = keys[path[0] % len(keys)]
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[key] = _replace(doc[key], path[1:], value)
    return copy


#: odd values where a feature has a property or a coordinate: text, overflowing and signed numbers, nothing
ODD_VALUES = st.one_of(st.sampled_from(NASTY_CELLS), st.sampled_from([1e308, -0.0, 0, -1, 10**30, None, [], {}, True]),
                       st.floats(), st.integers())


def _changed_feature(doc: dict, feature: int, part: str, path: list[int], value: object) -> dict:
    """``doc`` with one property, coordinate or geometry of one feature replaced by ``value``."""
    features = list(doc["features"])
    index = feature % len(features)
    features[index] = {**features[index], part: _replace(features[index][part], path, value)}
    return {**doc, "features": features}


def _renamed_property(doc: dict, which: int, how: int) -> dict:
    """``doc`` with one property renamed, in every feature, to a look-alike (or dropped, or doubled)."""
    names = list(doc["features"][0]["properties"])
    name = names[which % len(names)]
    new = LOOKALIKES[how % len(LOOKALIKES)](name)
    features = [{**f, "properties": {(new if k == name else k): v for k, v in f["properties"].items()}}
                for f in doc["features"]]
    return {**doc, "features": features}


GEOJSON = st.one_of(
    st.builds(_changed_feature, st.just(WARDS), st.integers(0, 3), st.sampled_from(["properties", "geometry"]),
              st.lists(st.integers(0, 8), min_size=1, max_size=5), ODD_VALUES).map(json.dumps),
    st.builds(_renamed_property, st.just(WARDS), st.integers(0, 10), st.integers(0, 20)).map(json.dumps),
    st.builds(_replace, st.just(WARDS), st.lists(st.integers(0, 50), max_size=8), JSON).map(json.dumps),
    st.dictionaries(st.sampled_from(["type", "features", "crs", "geometry", "properties", "x"]), JSON,
                    min_size=1).map(lambda d: json.dumps({"type": "FeatureCollection", **d})),
    JSON.map(json.dumps),
).map(str.encode)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # GDAL's own words on what it could not read
@settings(FUZZ, max_examples=examples(25))
@given(data=GEOJSON)
def test_boundaries_from_changed_or_random_json(import_template, data):
    import_template.run("boundaries", "wards.geojson", data)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(FUZZ, max_examples=examples(20))
@given(data=byte_mutations(json.dumps(WARDS, ensure_ascii=False).encode()))
def test_boundaries_from_damaged_geojson(import_template, data):
    import_template.run("boundaries", "wards.geojson", data)
