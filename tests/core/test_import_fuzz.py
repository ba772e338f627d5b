"""Property: no damaged CSV file of venues, scans or reports crashes an import or half-imports it.

Each test starts from a valid small file and changes it (see :mod:`tests.core.fuzzing`); the import
must return a result that adds up or refuse the file with a clear message, the workspace untouched.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.importers import import_file
from inspector.core.workspace import Workspace
from tests.conftest import VENUES_CSV, tiny_wards
from tests.core.fuzzing import (
    FUZZ,
    REPORTS_CSV,
    SCANS_CSV,
    Template,
    byte_mutations,
    examples,
    rows_of,
    table_mutations,
    to_csv,
)


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Template:
    """A workspace with the four tiny wards and four venues, built once."""
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:  # the autouse private folders are not set up yet for a session fixture
        mp.setenv("INSPECTOR_DATA_DIR", str(folder / "data"))
        mp.setenv("INSPECTOR_CACHE_DIR", str(folder / "cache"))
        tiny_wards().to_file(folder / "wards.geojson", driver="GeoJSON")
        ws = Workspace.create(folder / "template.gpkg")
        import_file(ws, "boundaries", folder / "wards.geojson")
        (folder / "venues.csv").write_text(VENUES_CSV, encoding="utf-8")
        import_file(ws, "venues", folder / "venues.csv")
    return Template(ws.path)


KINDS = {"venues": VENUES_CSV, "scans": SCANS_CSV, "reports": REPORTS_CSV}
ENCODINGS = ["utf-8", "utf-8-sig", "cp1258", "utf-16"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_valid_files_the_fuzzing_starts_from_import(template, kind):
    result = template.run(kind, f"{kind}.csv", KINDS[kind].replace("V1,", "V1 ,").encode())
    assert result is not None and result.rows_accepted == result.rows_total > 0


@settings(FUZZ, max_examples=examples(50))
@given(table=table_mutations(*rows_of(VENUES_CSV)), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(ENCODINGS))
def test_venues_csv_with_changed_cells_columns_and_headers(template, table, delimiter, encoding):
    template.run("venues", "venues.csv", to_csv(table, delimiter, encoding))


@settings(FUZZ, max_examples=examples(50))
@given(data=byte_mutations(VENUES_CSV.encode()))
def test_venues_csv_with_damaged_bytes(template, data):
    template.run("venues", "venues.csv", data)


@settings(FUZZ, max_examples=examples(40))
@given(table=table_mutations(*rows_of(SCANS_CSV)), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(ENCODINGS))
def test_scans_csv_with_changed_cells_columns_and_headers(template, table, delimiter, encoding):
    template.run("scans", "scans.csv", to_csv(table, delimiter, encoding))


@settings(FUZZ, max_examples=examples(40))
@given(data=byte_mutations(SCANS_CSV.encode()))
def test_scans_csv_with_damaged_bytes(template, data):
    template.run("scans", "scans.csv", data)


@settings(FUZZ, max_examples=examples(40))
@given(table=table_mutations(*rows_of(REPORTS_CSV)), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(ENCODINGS))
def test_reports_csv_with_changed_cells_columns_and_headers(template, table, delimiter, encoding):
    template.run("reports", "reports.csv", to_csv(table, delimiter, encoding))


@settings(FUZZ, max_examples=examples(40))
@given(data=byte_mutations(REPORTS_CSV.encode()))
def test_reports_csv_with_damaged_bytes(template, data):
    template.run("reports", "reports.csv", data)
