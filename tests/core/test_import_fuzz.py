"""Property: no damaged CSV file of venues, scans or reports crashes an import or half-imports it.

Each test starts from a valid small file and changes it (see :mod:`tests.core.fuzzing`); the import
must return a result that adds up or refuse the file with a clear message, the workspace untouched.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import VENUES_CSV
from tests.core.fuzzing import (
    FUZZ,
    KINDS,
    REPORTS_CSV,
    SCANS_CSV,
    byte_mutations,
    every_value_in,
    examples,
    rows_of,
    table_mutations,
    to_csv,
)

ENCODINGS = ["utf-8", "utf-8-sig", "cp1258", "utf-16"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_valid_files_the_fuzzing_starts_from_import(import_template, kind):
    result = import_template.run(kind, f"{kind}.csv", KINDS[kind].replace("V1,", "V1 ,").encode())
    assert result is not None and result.rows_accepted == result.rows_total > 0


@settings(FUZZ, max_examples=examples(30))
@given(table=table_mutations(*rows_of(VENUES_CSV)), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(ENCODINGS))
def test_venues_csv_with_changed_cells_columns_and_headers(import_template, table, delimiter, encoding):
    import_template.run("venues", "venues.csv", to_csv(table, delimiter, encoding))


@settings(FUZZ, max_examples=examples(30))
@given(data=byte_mutations(VENUES_CSV.encode()))
def test_venues_csv_with_damaged_bytes(import_template, data):
    import_template.run("venues", "venues.csv", data)


@settings(FUZZ, max_examples=examples(25))
@given(table=table_mutations(*rows_of(SCANS_CSV)), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(ENCODINGS))
def test_scans_csv_with_changed_cells_columns_and_headers(import_template, table, delimiter, encoding):
    import_template.run("scans", "scans.csv", to_csv(table, delimiter, encoding))


@settings(FUZZ, max_examples=examples(25))
@given(data=byte_mutations(SCANS_CSV.encode()))
def test_scans_csv_with_damaged_bytes(import_template, data):
    import_template.run("scans", "scans.csv", data)


@settings(FUZZ, max_examples=examples(25))
@given(table=table_mutations(*rows_of(REPORTS_CSV)), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(ENCODINGS))
def test_reports_csv_with_changed_cells_columns_and_headers(import_template, table, delimiter, encoding):
    import_template.run("reports", "reports.csv", to_csv(table, delimiter, encoding))


@settings(FUZZ, max_examples=examples(25))
@given(data=byte_mutations(REPORTS_CSV.encode()))
def test_reports_csv_with_damaged_bytes(import_template, data):
    import_template.run("reports", "reports.csv", data)


@pytest.mark.parametrize(("kind", "column"), [(kind, column) for kind in KINDS
                                              for column in range(len(rows_of(KINDS[kind])[0]))])
def test_every_odd_value_in_every_column(import_template, kind, column):
    """Not left to chance: each of NASTY_CELLS in each column of each kind, as CSV (and scans' odd values as text)."""
    import_template.run(kind, f"{kind}.csv", to_csv(every_value_in(kind, column)))
