"""Polars side of the scan-log import: parse and pseudonymise a scan log.

Raw scan rows never become Python objects. Each batch of the file becomes a compact frame of good
scans (venue index, local time, a salted person key, role, distance to the registered point) and
the few suspect rows with their original cells. The compact scans go on to :mod:`.scan_daily`;
of the raw rows only the rejected ones and the first scans kept with a warning (see
:mod:`.scan_notes`) leave this module, with their phone number pseudonymised.
``bench/README.md`` explains why Polars and not DuckDB here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import polars as pl

from inspector.core import resources
from inspector.core.errors import Cancelled, Progress, rust_panic
from inspector.core.geo import EARTH_RADIUS_M
from inspector.core.importers import scan_notes
from inspector.core.importers.scan_cleaning import Cleaning
from inspector.core.importers.scan_notes import Noted, coordinate, is_phone, position_why, shown_cells, unread
from inspector.core.importers.scan_read import Irregular
from inspector.core.importers.scan_times import time_expr
from inspector.core.io.timestamps import PLAUSIBLE_SECONDS, parse_local
from inspector.core.progress import report
from inspector.core.text import fold

_METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180
_BATCH = 500_000  # rows per batch of the pass: progress and cancel take effect between batches
_TIME = "__t"  # local time as seconds since 1970-01-01 00:00 *local*; day = t // 86400


@dataclass
class Parsed:
    """Good scans (compact), rejected rows and scans kept with a warning (with their cells and reasons)."""

    #: vidx, t, pkey, role, dist (null without position) and, only for far scans, dlat/dlon: the
    #: offset from the registered point in 1e-4 degrees (about 11 m; 2 bytes each instead of 8)
    good: pl.DataFrame
    rejected: pd.DataFrame
    total: int
    #: the good scans whose position was dropped, laid out as ``rejected`` (the first of each reason)
    noted: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: how many good scans had their position dropped, by reason (see :mod:`.scan_notes`)
    warnings: dict[str, int] = field(default_factory=dict)
    #: when ``noted`` lists only the first rows of some reason: how many of each it lists (else 0)
    noted_limit: int = 0
    roles: dict[str, bool] = field(default_factory=dict)
    #: a few of the warnings' examples (``scan_id_as_registered``: "v901 → V901")
    examples: dict[str, list[str]] = field(default_factory=dict)


#: The compact columns of a good scan (see :attr:`Parsed.good`), from :func:`_parsed_rows`.
COMPACT = [pl.col("vidx"), pl.col(_TIME).cast(pl.UInt32).alias("t"),
           *(pl.col(f"__{c}").alias(c) for c in ("pkey", "role", "dist", "dlat", "dlon"))]


#: The columns of the pass that :data:`COMPACT` reads: the pass hands only these (with ``__bad``,
#: ``__gps_why``, ``__rn`` and :func:`_only_bad`) to Python. Every column it works out, and every
#: cell of the file, made each batch several times larger than what is kept of it (90 MB more at the
#: peak of a 10-million-scan import).
_SUNK = ["vidx", _TIME, "__pkey", "__role", "__dist", "__dlat", "__dlon"]


def _only_bad(names: list[str]) -> list[pl.Expr]:
    """The file's own columns, kept only in rows to read again or whose position is dropped (null elsewhere)."""
    return [pl.when((pl.col("__bad") != 0) | (pl.col("__gps_why") != 0)).then(pl.col(n)).alias(n) for n in names]


def parse(lf: pl.LazyFrame, records: int | None, cols: dict[str, str], keys: pl.DataFrame, salt: str,
          progress: Progress | None = None, expected: int = 0) -> Parsed:
    """Parse every scan in one streaming pass.

    Parameters
    ----------
    lf
        The source (see :func:`inspector.core.importers.scan_read.scan`).
    records
        How many rows the file should yield, or None when each line is known to be one row (see
        :func:`~inspector.core.importers.scan_read.records`).
    cols
        Field -> column of the file.
    keys
        ``key`` (venue id or QR payload) -> ``vidx``, with the registered ``vlat``/``vlon``.
    salt
        The workspace's secret salt; person identifiers are replaced by a salted 32-bit key.
    progress, expected
        Told of the rows read so far out of about ``expected``; it may cancel, which stops the
        pass within a batch of rows.

    Raises
    ------
    Irregular
        When rows cannot be mapped to lines (ragged, blank or multi-line records).
    """
    seed = int(salt[:15] or "0", 16)
    registered = keys.filter(pl.col("as_registered")).unique("vidx", keep="first")  # each venue's id, for examples
    zero_less = keys.filter(~pl.col("as_registered"))["key"]
    keys = keys.drop("as_registered").with_columns(vscale=pl.col("vlat").radians().cos() * _METRES_PER_DEGREE)
    try:
        names = [n for n in lf.collect_schema().names() if n != "__rn"]
        sample = lf.head(2000).collect()
        fitted = Cleaning.fitted(sample, cols, keys["key"])
        rows = _parsed_rows(lf, cols, keys, time_expr(sample, cols["timestamp"]), seed, fitted, zero_less)
        any_time = time_expr(sample, cols["timestamp"], every_format=True)

        def reread(suspects: pl.DataFrame) -> pl.DataFrame:  # with every cleaning and every format
            return _parsed_rows(suspects.lazy(), cols, keys, any_time, seed, Cleaning(), zero_less).collect()

        spec = resources.load_toml("thresholds.toml")["scans"]
        kept = _Kept(names, reread, Noted(names, cols, int(spec["warnings_listed"])), progress, expected,
                     cols["venue_id"])
        # ids the pass matches loosely without reading them again: examples from the sample (else none needed)
        if fitted.case or sample[cols["venue_id"]].cast(pl.String).str.strip_chars().is_in(zero_less.implode()).any():
            kept.loosely_read(reread(sample.select("__rn", *names)), count=False)
        rows.select(*_SUNK, "__bad", "__gps_why", "__loose", "__rn", *_only_bad(names)).sink_batches(
            kept.take, chunk_size=_BATCH, maintain_order=False, engine="streaming")
    except (pl.exceptions.ComputeError, pl.exceptions.ColumnNotFoundError) as exc:  # e.g. ragged rows
        raise Irregular(str(exc)) from exc
    except BaseException as exc:  # polars panicked: a damaged Parquet file's metadata, say
        if not rust_panic(exc):
            raise
        raise Irregular(str(exc).splitlines()[0] if str(exc) else "panic") from exc
    if kept.stop is not None:
        raise kept.stop
    empty = rows.head(0).collect()  # the shapes, for files without rows of one kind or the other
    suspects = pl.concat(kept.suspects, how="vertical_relaxed") if kept.suspects else empty
    if kept.refused:  # the pass stopped early, so its row count says nothing about the lines
        raise Unusable(kept.read, kept.unusable, _settle(suspects.sort("__rn").head(1000), cols, salt)[1])
    if records is not None and kept.read != records:
        raise Irregular("rows and lines differ")
    good = pl.concat(kept.good, how="vertical_relaxed") if kept.good else empty.select(COMPACT)
    rejected = pd.DataFrame(columns=["line", "field", "reason", "detail"])
    if suspects.height:
        recovered, rejected, back = _settle(suspects, cols, salt)
        kept.noted.add(suspects.filter(pl.Series(back)))
        kept.loosely_read(suspects.filter(pl.Series(back)))
        if recovered.height:
            good = pl.concat([good, recovered.select(good.columns)], how="vertical_relaxed")
    noted = kept.noted
    warnings = dict(noted.counts)
    if kept.loose:
        warnings["scan_id_as_registered"] = kept.loose
    return Parsed(good, rejected, good.height + len(rejected), noted.frame(salt), warnings,
                  noted.limit if noted.cut else 0, _staff_roles(good["role"]),
                  {"scan_id_as_registered": [f"{w} → {_id_of(registered, v)}" for w, v in kept.loose_examples]}
                  if kept.loose else {})


def _id_of(registered: pl.DataFrame, vidx: int) -> str:
    """The registered id of the venue of index ``vidx`` (``registered``: ``key`` and ``vidx``)."""
    return str(registered.filter(pl.col("vidx") == vidx)["key"][0])


class Unusable(Exception):  # noqa: N818 - carries figures for the importer's message
    """Most rows of the file name no known venue or no person: refused before reading it all."""

    def __init__(self, read: int, unusable: int, examples: pd.DataFrame) -> None:
        super().__init__(f"{unusable} of {read} rows unusable")
        self.read, self.unusable, self.examples = read, unusable, examples


class _Kept:
    """What the pass keeps of each batch.

    Good rows compact, and those whose position is dropped noted (:class:`.scan_notes.Noted`); the
    rest read again with every cleaning, and kept with their cells when still wrong. Stops the pass
    on cancel, or when most rows so far cannot be used (a scan log of another province, say).
    """

    def __init__(self, names: list[str], reread: Callable[[pl.DataFrame], pl.DataFrame], noted: Noted,
                 progress: Progress | None, expected: int, venue_column: str) -> None:
        self.names, self.reread, self.noted, self.progress, self.expected = names, reread, noted, progress, expected
        self.venue_column = venue_column
        spec = resources.load_toml("thresholds.toml")["scans"]
        self.refuse_share, self.refuse_rows = float(spec["refuse_share"]), int(spec["refuse_rows"])
        self.good: list[pl.DataFrame] = []
        self.suspects: list[pl.DataFrame] = []
        self.read = self.unusable = 0
        #: good scans whose venue id was matched ignoring case or leading zeros, and a few examples
        self.loose, self.loose_examples = 0, list[tuple[str, int]]()  # (as written, venue index)
        self.refused = False
        self.stop: Cancelled | None = None

    def take(self, batch: pl.DataFrame) -> bool:
        """Keep a batch; True stops the pass."""
        self.read += batch.height
        bad = batch["__bad"] != 0
        if bad.any():
            again = self.reread(batch.filter(bad).select("__rn", *self.names))
            fixed = again["__bad"] == 0
            self.loosely_read(again.filter(fixed))
            blank = pl.all_horizontal(pl.col(self.names).cast(pl.String).fill_null("").str.strip_chars() == "")
            still = again.filter(~fixed).filter(~blank)  # blank lines are not records
            self.good.append(again.filter(fixed).select(COMPACT))
            self.noted.add(again.filter(fixed))
            self.suspects.append(still)
            self.unusable += int((still["__bad"] & 0b1110 != 0).sum())  # more than an odd timestamp
            batch = batch.filter(~bad)
        self.good.append(batch.select(COMPACT))
        self.noted.add(batch)
        self.loose += int(batch["__loose"].sum())
        self.refused = self.unusable >= self.refuse_rows and self.unusable > self.refuse_share * self.read
        try:
            report(self.progress, self.read, self.expected)
        except Cancelled as exc:
            self.stop = exc
        return self.refused or self.stop is not None

    def loosely_read(self, rows: pl.DataFrame, *, count: bool = True) -> None:
        """Note the rows (read with their cells) whose venue id was matched loosely, and examples."""
        loose = rows.filter(pl.col("__loose"))
        if count:
            self.loose += loose.height
        pairs = loose.sort("__rn").select(pl.col(self.venue_column).cast(pl.String).str.strip_chars(), "vidx").unique(
            maintain_order=True)
        for pair in pairs.iter_rows():
            if len(self.loose_examples) < 3 and pair not in self.loose_examples:
                self.loose_examples.append(pair)


def _parsed_rows(lf: pl.LazyFrame, cols: dict[str, str], keys: pl.DataFrame, time: pl.Expr, seed: int,
                 clean: Cleaning, zero_less: pl.Series) -> pl.LazyFrame:
    """Every row with its compact values and ``__bad``, a bit mask of what is wrong with it.

    Bits: 1 time, 2 no venue, 4 unknown venue, 8 no person, 16 a cell that needs the cleaning
    ``clean`` left out (the row is read again with every cleaning).
    """
    retry: list[pl.Expr] = []
    unreadable = {"lat": pl.lit(False), "lon": pl.lit(False)}  # with cleaning; without, such a cell is read again

    def number(field: str) -> pl.Expr:
        if field not in cols:
            return pl.lit(None, pl.Float64)
        if clean.numbers:
            unreadable[field] = unread(cols[field])
            return coordinate(cols[field])
        value = pl.col(cols[field]).cast(pl.Float64, strict=False)
        retry.append(value.is_null() & pl.col(cols[field]).is_not_null())  # empty cells are null
        return value

    venue = pl.col(cols["venue_id"]).cast(pl.String)
    if clean.venue:
        venue = venue.str.strip_chars()
    written = venue
    if clean.case:  # only ids that, ignoring case, are one venue's (ab9 and AB9 are two)
        folded = keys.group_by(lower=pl.col("key").str.to_lowercase()).agg(
            pl.col("vidx").n_unique().alias("n"), pl.col("key").first()).filter(pl.col("n") == 1)
        registered = venue.str.to_lowercase().replace_strict(folded["lower"], folded["key"], default=venue)
        venue = pl.when(venue.is_in(keys["key"].implode())).then(venue).otherwise(registered)
    if clean.zeros:  # only numbers that, without their zeros, are one venue's id (0123 and 123 are two)
        numeric = keys.filter(pl.col("key").str.contains(r"^\d+$")).select(
            pl.col("key").str.strip_chars_start("0"), "vidx")
        single = numeric.group_by("key").agg(pl.col("vidx").n_unique().alias("n")).filter(
            (pl.col("n") == 1) & (pl.col("key") != ""))["key"]
        unpadded = venue.str.strip_chars_start("0")
        venue = pl.when(~venue.is_in(keys["key"].implode()) & venue.str.contains(r"^0+\d+$")
                        & unpadded.is_in(single.implode())).then(unpadded).otherwise(venue)
    # found only ignoring case or leading zeros (``zero_less``: keys that are registered ids without
    # their zeros, looked up as written): told, as the venue import tells it
    loose = (venue != written).fill_null(False) if clean.case or clean.zeros else None
    if len(zero_less):
        found = venue.is_in(zero_less.implode())
        loose = found if loose is None else loose | found
    text = pl.col(cols["person"])
    if lf.collect_schema()[cols["person"]].is_float():  # numbers stored as floats (a Parquet log): 9.01e8, NaN
        text = text.cast(pl.Int64, strict=False)  # NaN and inf are no one: null
    text = text.cast(pl.String).fill_null("")
    if clean.person:
        text = text.str.replace_all(r"[^0-9A-Za-z]", "")
    role = pl.col(cols["role"]).cast(pl.String).fill_null("") if "role" in cols else pl.lit("")
    read_lat, read_lon = number("lat"), number("lon")
    person = pl.col("__person")
    digits = person.str.to_integer(strict=False)
    national = pl.when(digits.is_between(84 * 10**9, 85 * 10**9, closed="left")).then(digits - 84 * 10**9) \
        .otherwise(digits)  # 84 9xx... and 09xx... are one number
    if clean.person:  # numbers hash as numbers (so 0901... and +84 901... agree), other ids as text
        pkey = pl.when(digits.is_not_null()).then(national.hash(seed)).otherwise(person.hash(seed))
    else:
        pkey = national.hash(seed)
        retry.append(digits.is_null() & (person != ""))
    lat, lon = pl.col("__lat"), pl.col("__lon")
    gps_ok = (lat.is_between(-90, 90) & lon.is_between(-180, 180) & ~((lat == 0) & (lon == 0))).fill_null(False)
    # Distances on the plane tangent at the registered point: within 0.1 % of the great circle
    # for anything under 100 km, at a fraction of the cost.
    dist = pl.when(pl.col("__gps_ok")).then(((lat - pl.col("vlat")) * _METRES_PER_DEGREE).pow(2).add(
        ((lon - pl.col("vlon")) * pl.col("vscale")).pow(2)).sqrt()).cast(pl.Float32)
    time_bad = ~pl.col(_TIME).is_between(*PLAUSIBLE_SECONDS, closed="left").fill_null(False)  # null too
    bad = (time_bad.cast(pl.UInt8) | (pl.col("__venue").fill_null("") == "").cast(pl.UInt8) * 2
           | pl.col("vidx").is_null().cast(pl.UInt8) * 4 | (person == "").cast(pl.UInt8) * 8
           | pl.any_horizontal(False, *retry).cast(pl.UInt8) * 16)
    far_m = float(resources.load_toml("thresholds.toml")["scans"]["far_m"])
    return (
        lf.with_columns(__venue=venue, **{_TIME: time}, __person=text, __lat=read_lat, __lon=read_lon,
                        __role=role.cast(pl.Categorical))
        .join(keys.lazy(), left_on="__venue", right_on="key", how="left")
        .with_columns(__pkey=(pkey & 0xFFFFFFFF).cast(pl.UInt32), __gps_ok=gps_ok, __bad=bad,
                      __loose=pl.lit(False) if loose is None else loose & (bad == 0))
        .with_columns(__dist=dist, __gps_why=position_why(lat, lon, unreadable["lat"], unreadable["lon"]))
        .with_columns(__dlat=_offset("__lat", "vlat", far_m), __dlon=_offset("__lon", "vlon", far_m))
    )


def _settle(rows: pl.DataFrame, cols: dict[str, str], salt: str) -> tuple[pl.DataFrame, pd.DataFrame, np.ndarray]:
    """Retry odd timestamp formats row by row; what still fails is rejected with its reason.

    ``rows``: the suspect rows read with every cleaning (see :func:`_parsed_rows`). Returns the
    rows recovered (compact), those rejected, and which of ``rows`` were recovered.
    """
    frame = scan_notes.as_pandas(rows)
    bad = frame["__bad"].to_numpy().astype(int)
    only_time = bad == 1
    if only_time.any():
        retried = parse_local(frame.loc[only_time, cols["timestamp"]].astype("string"))
        seconds = (retried - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)
        frame.loc[only_time, _TIME] = seconds.where(retried.notna())
        readable = frame[_TIME].between(*PLAUSIBLE_SECONDS, inclusive="left").to_numpy()
        bad = np.where(only_time & readable, 0, bad)
    recovered = pl.from_pandas(frame.loc[bad == 0]).with_columns(
        pl.col("vidx").cast(pl.Int32), pl.col("__role").cast(pl.Categorical), pl.col("__pkey").cast(pl.UInt32),
        pl.col("__dlat").cast(pl.Int16), pl.col("__dlon").cast(pl.Int16)).select(COMPACT)
    keep = bad != 0
    suspect = frame.loc[keep]
    venue = suspect["__venue"].fillna("").astype(str)
    phone_as_venue = is_phone(venue).to_numpy()
    time_text = suspect[cols["timestamp"]]
    no_time = (time_text.isna() | (time_text.astype(str).str.strip() == "")).to_numpy()
    time_reason = np.where(no_time, "missing_value",
                           np.where(suspect[_TIME].notna(), "implausible_timestamp", "invalid_timestamp"))
    reason = np.select([bad[keep] & 1 != 0, bad[keep] & 2 != 0, phone_as_venue, bad[keep] & 4 != 0],
                       [time_reason, "missing_value", "phone_as_venue", "unknown_venue"], default="missing_value")
    field_of = np.select([bad & 1 != 0, bad & 6 != 0], [cols["timestamp"], cols["venue_id"]],
                         default=cols["person"])[keep]
    rejected = pd.DataFrame({
        "line": suspect["__rn"].astype("int64").to_numpy() + 1, "field": field_of, "reason": reason,
        "detail": np.where(reason == "unknown_venue", suspect["__venue"],
                           np.where(np.isin(reason, ["invalid_timestamp", "implausible_timestamp"]),
                                    time_text.astype(str), None)),
    })
    cells = shown_cells(suspect, cols, salt, suspect["__person"])
    rejected = pd.concat([rejected, cells], axis=1)
    return recovered, rejected.sort_values("line", ignore_index=True), bad == 0


def _staff_roles(roles: pl.Series) -> dict[str, bool]:
    staff = {fold(r) for r in resources.load_toml("thresholds.toml")["scans"]["staff_roles"]}
    return {str(v): fold(v) in staff for v in roles.unique().drop_nulls().to_list()}


def _offset(position: str, registered: str, far_m: float) -> pl.Expr:
    """A far scan's offset from the registered point in 1e-4 degrees (Int16; null when not far)."""
    step = (pl.col(position) - pl.col(registered)) * 1e4
    return pl.when(pl.col("__dist") > far_m).then(step.round().clip(-32767, 32767).cast(pl.Int16))

