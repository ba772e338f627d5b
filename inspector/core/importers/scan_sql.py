"""DuckDB side of the scan-log import: read the file once, parse, pseudonymise, aggregate.

Raw scan rows never become Python objects: DuckDB reads the CSV or Parquet file, keeps a compact
parsed table (venue index, local time, a salted person key, role, phone position), and hands back
only per-venue-day aggregates and the few rejected rows.
"""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from inspector.core import paths, resources
from inspector.core.columns import map_columns
from inspector.core.io.sniff import SAMPLE, detect_encoding
from inspector.core.io.timestamps import duckdb_expression
from inspector.core.text import fold


def connect(memory_limit: str = "600MB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"memory_limit": memory_limit, "preserve_insertion_order": True})
    con.execute("SET TimeZone = 'UTC'")
    scratch = paths.cache_dir() / "duckdb"
    scratch.mkdir(exist_ok=True)
    con.execute(f"SET temp_directory = '{_quote(str(scratch))}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def open_source(con: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> tuple[str, str | None, Path | None]:
    """Create view ``src`` over the file with a row number ``__rn``; return (view, encoding, temp file)."""
    if fmt == "parquet":
        con.execute(
            f"CREATE VIEW src AS SELECT file_row_number + 1 AS __rn, * EXCLUDE (file_row_number) "
            f"FROM read_parquet('{_quote(str(path))}', file_row_number = true)"
        )
        return "src", None, None
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE)
    encoding = detect_encoding(sample, complete=len(sample) < SAMPLE, file=path.name)
    source, temp = path, None
    if encoding not in ("utf-8", "utf-8-sig"):
        temp = _transcode(path, encoding)
        source = temp
    # store_rejects keeps malformed lines out of the data and tells us where they were
    con.execute(
        f"CREATE VIEW src AS SELECT row_number() OVER () AS __rn, * FROM read_csv('{_quote(str(source))}', "
        "header = true, all_varchar = true, store_rejects = true)"
    )
    return "src", encoding, temp


def _transcode(path: Path, encoding: str) -> Path:
    """Re-encode a UTF-16 or Windows-1258 file as UTF-8 in the cache folder, streaming."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as src, tempfile.NamedTemporaryFile(
        "wb", suffix=".csv", dir=paths.cache_dir(), delete=False
    ) as out:
        for block in iter(lambda: src.read(1 << 22), b""):
            out.write(decoder.decode(block).lstrip("\ufeff").encode("utf-8"))
        out.write(decoder.decode(b"", final=True).encode("utf-8"))
    return Path(out.name)


def columns(con: duckdb.DuckDBPyConnection, file: str, overrides: dict[str, str] | None) -> dict[str, str]:
    names = [r[0] for r in con.execute("DESCRIBE SELECT * FROM src").fetchall() if r[0] != "__rn"]
    types = {r[0]: r[1] for r in con.execute("DESCRIBE SELECT * FROM src").fetchall()}
    cols = map_columns("scans", names, file=file, overrides=overrides)
    cols["__types"] = types  # type: ignore[assignment]
    return cols


def parse(con: duckdb.DuckDBPyConnection, cols: dict[str, Any], salt: str) -> None:
    """Materialise table ``parsed``: one compact row per scan, with a reason code when rejected."""
    types = cols["__types"]
    c = {k: _ident(v) for k, v in cols.items() if k != "__types"}
    ts_type = types[cols["timestamp"]]
    if ts_type.startswith("TIMESTAMP WITH TIME ZONE"):
        ts = f"CAST({c['timestamp']} AS TIMESTAMP) + INTERVAL 7 HOUR"
    elif ts_type.startswith("TIMESTAMP"):
        ts = f"CAST({c['timestamp']} AS TIMESTAMP)"
    else:
        ts = duckdb_expression(f"CAST({c['timestamp']} AS VARCHAR)")
    spec = resources.load_toml("thresholds.toml")["scans"]
    staff = ", ".join(f"'{fold(r)}'" for r in spec["staff_roles"])
    role = f"regexp_replace(lower(strip_accents(coalesce(CAST({c['role']} AS VARCHAR), ''))), '[^a-z0-9]', '', 'g')" \
        if "role" in c else "''"
    person = (f"regexp_replace(coalesce(CAST({c['person']} AS VARCHAR), ''), '[^0-9A-Za-z]', '', 'g')")

    def coord(field: str) -> str:
        if field not in c:
            return "CAST(NULL AS DOUBLE)"
        return f"TRY_CAST(replace(trim(CAST({c[field]} AS VARCHAR)), ',', '.') AS DOUBLE)"

    raw = ", ".join(
        f"CASE WHEN reason IS NOT NULL THEN CAST({_ident(n)} AS VARCHAR) END AS {_ident('raw:' + n)}"
        for n in types if n != "__rn"
    )
    salt_sql = _quote(salt)
    con.execute(f"""
        CREATE TEMP TABLE parsed AS
        WITH p AS (
            SELECT __rn, {ts} AS ts, nullif(trim(CAST({c['venue_id']} AS VARCHAR)), '') AS venue_text,
                   CASE WHEN {person} LIKE '84%' AND length({person}) = 11 THEN '0' || {person}[3:]
                        ELSE {person} END AS person_norm,
                   {role} IN ({staff}) AS is_staff, {coord('lat')} AS glat, {coord('lon')} AS glon, *
            FROM src
        ), r AS (
            SELECT p.*, k.vidx,
                   CASE WHEN ts IS NULL THEN 'invalid_timestamp'
                        WHEN venue_text IS NULL THEN 'missing_value'
                        WHEN k.vidx IS NULL THEN 'unknown_venue'
                        WHEN person_norm = '' THEN 'missing_value' END AS reason,
                   CASE WHEN ts IS NULL THEN '{_quote(cols['timestamp'])}'
                        WHEN venue_text IS NULL OR k.vidx IS NULL THEN '{_quote(cols['venue_id'])}'
                        ELSE '{_quote(cols['person'])}' END AS field,
                   glat BETWEEN -90 AND 90 AND glon BETWEEN -180 AND 180 AND NOT (glat = 0 AND glon = 0) AS gps_ok
            FROM p LEFT JOIN venue_keys k ON k.key = p.venue_text
        )
        SELECT vidx, ts, hash('{salt_sql}' || person_norm) AS pkey, is_staff,
               CAST(CASE WHEN gps_ok THEN glat END AS FLOAT) AS glat,
               CAST(CASE WHEN gps_ok THEN glon END AS FLOAT) AS glon,
               (glat IS NOT NULL OR glon IS NOT NULL) AND gps_ok IS NOT TRUE AS gps_dropped,
               reason, CASE WHEN reason IS NOT NULL THEN field END AS field,
               CASE WHEN reason IS NOT NULL THEN __rn END AS rn,
               CASE WHEN reason IS NOT NULL THEN venue_text END AS venue_text,
               CASE WHEN reason IS NOT NULL AND person_norm <> ''
                    THEN left(sha256('{salt_sql}' || person_norm), 16) END AS pseudonym,
               {raw}
        FROM r
    """)


def aggregate(con: duckdb.DuckDBPyConnection) -> Any:
    """Per venue and day: counts, distinct people, and phone-position statistics (an Arrow table)."""
    spec = resources.load_toml("thresholds.toml")["scans"]
    far, jump, window = float(spec["far_m"]), float(spec["jump_m"]), int(spec["jump_window_s"])
    dist = _haversine("glat", "glon", "v.lat", "v.lon")
    hop = _haversine("glat", "glon", "lag(glat) OVER w", "lag(glon) OVER w")
    return con.sql(f"""
        WITH ok AS (SELECT * FROM parsed WHERE reason IS NULL),
        daily AS (
            SELECT vidx, CAST(ts AS DATE) AS day, count(*) AS scans,
                   count(*) FILTER (WHERE is_staff) AS staff_scans, count(DISTINCT pkey) AS persons,
                   count(DISTINCT pkey) FILTER (WHERE is_staff) AS staff_persons
            FROM ok GROUP BY ALL
        ), g AS (
            SELECT ok.vidx, CAST(ts AS DATE) AS day, ts, glat, glon, {dist} AS dist
            FROM ok JOIN venues v ON v.vidx = ok.vidx WHERE glat IS NOT NULL
        ), hops AS (
            SELECT *, {hop} AS hop_m, epoch(ts) - epoch(lag(ts) OVER w) AS gap_s
            FROM g WINDOW w AS (PARTITION BY vidx ORDER BY ts)
        ), pos AS (
            SELECT vidx, day, count(*) AS gps_scans, median(dist) AS median_dist_m,
                   quantile_cont(dist, 0.9) AS p90_dist_m, count(*) FILTER (WHERE dist > {far}) AS far_scans,
                   avg(CAST(glat AS DOUBLE)) FILTER (WHERE dist > {far}) AS far_lat,
                   avg(CAST(glon AS DOUBLE)) FILTER (WHERE dist > {far}) AS far_lon,
                   count(*) FILTER (WHERE hop_m > {jump} AND gap_s <= {window}) AS jump_pairs,
                   max(hop_m) FILTER (WHERE gap_s <= {window}) / 1000 AS max_jump_km
            FROM hops GROUP BY ALL
        )
        SELECT v.venue_id, strftime(d.day, '%Y-%m-%d') AS day, d.scans, d.staff_scans, d.persons,
               d.staff_persons, coalesce(p.gps_scans, 0) AS gps_scans, round(p.median_dist_m, 1) AS median_dist_m,
               round(p.p90_dist_m, 1) AS p90_dist_m, coalesce(p.far_scans, 0) AS far_scans,
               round(p.far_lat, 6) AS far_lat, round(p.far_lon, 6) AS far_lon,
               coalesce(p.jump_pairs, 0) AS jump_pairs, round(p.max_jump_km, 3) AS max_jump_km
        FROM daily d JOIN venues v ON v.vidx = d.vidx LEFT JOIN pos p ON p.vidx = d.vidx AND p.day = d.day
        ORDER BY v.venue_id, d.day
    """).to_arrow_table()


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    row = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE reason IS NULL),
               count(*) FILTER (WHERE reason IS NULL AND gps_dropped) FROM parsed
    """).fetchone()
    assert row is not None
    return {"total": int(row[0]), "accepted": int(row[1]), "gps_dropped": int(row[2])}


def rejections(con: duckdb.DuckDBPyConnection, cols: dict[str, Any]) -> pd.DataFrame:
    """Rejected rows with their line, field, reason and original cells (person as pseudonym)."""
    names = [n for n in cols["__types"] if n != "__rn"]
    raw = ", ".join(f"{_ident('raw:' + n)} AS {_ident(n)}" for n in names)
    timestamp = _ident("raw:" + cols["timestamp"])
    frame = con.execute(
        f"SELECT rn AS line, field, reason, CASE reason WHEN 'unknown_venue' THEN venue_text "
        f"WHEN 'invalid_timestamp' THEN coalesce({timestamp}, '') END AS detail, pseudonym, {raw} "
        "FROM parsed WHERE reason IS NOT NULL ORDER BY rn"
    ).df()
    frame[cols["person"]] = frame.pop("pseudonym")
    frame = frame.astype(object).where(frame.notna(), None)
    frame["line"] = frame["line"].astype("int64")
    return frame


def malformed(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Lines DuckDB could not split into the header's columns (CSV only)."""
    try:
        return con.execute(
            "SELECT line, 'bad_csv_row' AS reason, first(error_message ORDER BY column_idx) AS detail "
            "FROM reject_errors GROUP BY line ORDER BY line"
        ).df()
    except duckdb.Error:
        return pd.DataFrame(columns=["line", "reason", "detail"])


def _haversine(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    return (
        f"2 * 6371008.8 * asin(sqrt(pow(sin(radians({lat2} - {lat1}) / 2), 2) + "
        f"cos(radians({lat1})) * cos(radians({lat2})) * pow(sin(radians({lon2} - {lon1}) / 2), 2)))"
    )


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote(text: str) -> str:
    return text.replace("'", "''")
