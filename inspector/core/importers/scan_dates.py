"""Whether a scan log's dates were written day or month first, when its text leaves it open."""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import NamedTuple

import polars as pl

from inspector.core import resources
from inspector.core.columns import map_columns
from inspector.core.errors import CodedError, InputError
from inspector.core.i18n import Translate
from inspector.core.importers import scan_read
from inspector.core.io.sniff import detect_encoding, file_format
from inspector.core.messages import Count, Message
from inspector.core.workspace import Workspace

#: a date written with its day or its month first (``08/02/2021``, ``8-2-2021``)
DAY_OR_MONTH_FIRST = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b")
#: a date written year first (``2021-08-02``, ``2021/08/02``, ``20210802``)
YEAR_FIRST = re.compile(r"(?<!\d)(20\d\d)[-_./]?(\d\d)[-_./]?(\d\d)(?!\d)")
#: a day this close (in days) to a known day adjoins it
ADJOINS = 1
#: the days of a reading lie apart when no two are closer than this: the other reading's days
#: make a run when none is farther than RUN from the next
APART, RUN = 7, 2
#: the first rows of each other file of the import whose dates are looked at
PEEK_ROWS = 50

DAY_FIRST, MONTH_FIRST = "day_first", "month_first"


def written_day_first(path: Path, fmt: str, check: scan_read.LineCheck, column: str, encoding: str | None) -> bool:
    """Whether the log writes its times as text with the day or the month first (which one is ambiguous)."""
    if fmt == "csv":
        return bool(DAY_OR_MONTH_FIRST.search(check.start.decode(encoding or "utf-8", errors="ignore")))
    sample = pl.scan_parquet(path).select(pl.col(column)).head(100).collect()[column]
    return sample.dtype == pl.String and bool(sample.str.contains(DAY_OR_MONTH_FIRST.pattern).any())


def check_day_first(spans: Iterable[str], path: Path) -> None:
    """Refuse a log whose dates were plainly written month first (as US settings write them).

    A scan log covers a stretch of days. Written month first, a week from 02/08 to 08/08 is read
    day first as the 8th of February to August; read month first, it is a week again. So when
    the days read are spread over more than two months, and with day and month swapped lie within
    a month, the dates were written month first.
    """
    days = sorted(dt.date.fromisoformat(day) for day in spans)
    try:
        swapped = sorted(dt.date(d.year, d.day, d.month) for d in days)
    except ValueError:  # a day after the 12th (or 29-31 February): day first after all
        return
    if len(days) >= 2 and (days[-1] - days[0]).days > 60 and (swapped[-1] - swapped[0]).days <= 31:
        raise InputError("month_first_dates", file=path.name, days=len(days),
                         months=len({(d.year, d.month) for d in days}))


def either_way(spans: Iterable[str]) -> bool:
    """Whether every day read (day first) reads as another date month first: day 12 or less, not the month."""
    days = [dt.date.fromisoformat(day) for day in spans]
    return bool(days) and all(d.day <= 12 for d in days) and any(d.day != d.month for d in days)


class _Vote(NamedTuple):
    reading: str  # DAY_FIRST or MONTH_FIRST
    why: Message | None = None  # what says so, when it is month first


def check_either_way(workspace: Workspace, path: Path, daily: pl.DataFrame, *, others: Sequence[Path] = (),
                     columns: dict[str, str] | None = None) -> None:
    """Refuse a log whose dates read either way (see :func:`either_way`) when the evidence says month first.

    A log of one day, or of a few, is never plainly month first (see :func:`check_day_first`):
    ``8/2/2021`` is the 8th of February or the 2nd of August. The evidence there is decides:

    - the registry: a reading that has many venues scanned before they were registered while
      the other has next to none is wrong;
    - the days around: days with scans in the workspace, and dates that read only one way in the
      other files of the import (``others``); the reading that adjoins them while the other lies
      apart is right;
    - the days of those files, read the same way as this one's: the reading in which they follow
      one another while the other spreads them a month apart is right;
    - a date written year first in the file's name.

    When some evidence says month first and none says day first, the log is refused naming both
    readings and what says so; otherwise it is read day first, as every log is. ``daily`` holds
    the venue-days read (``venue_id``, ``day``); only they and the distinct days are looked at.
    """
    first = sorted({dt.date.fromisoformat(day) for day in daily["day"].unique()})
    swapped = sorted({_swapped(d) for d in first})
    known, triples, sources = _around(workspace, path, others, columns)
    triples |= {(d.day, d.month, d.year) for d in first}
    votes = [vote for vote in (_by_registry(workspace, daily, min(first[0], swapped[0])),
                               _by_known(first, swapped, known),
                               _by_run(triples, sources), _by_name(path, first, swapped)) if vote is not None]
    if votes and all(v.reading == MONTH_FIRST for v in votes):
        raise InputError("dates_either_way", file=path.name, day_first=_listed(first), month_first=_listed(swapped),
                         evidence=partial(_joined, [v.why for v in votes if v.why is not None]))


def _swapped(day: dt.date) -> dt.date:
    return dt.date(day.year, day.day, day.month)


def _listed(days: list[dt.date]) -> str:
    """Days written year first (which no reader takes the wrong way): up to three, else the first and last."""
    if len(days) <= 3:
        return ", ".join(d.isoformat() for d in days)
    return f"{days[0].isoformat()} … {days[-1].isoformat()}"


def _joined(messages: list[Message], tr: Translate) -> str:
    return "; ".join(message(tr) for message in messages)


def _by_registry(workspace: Workspace, daily: pl.DataFrame, earliest: dt.date) -> _Vote | None:
    """The reading with many venues scanned before they were registered, the other next to none, is wrong.

    Only venues registered after ``earliest`` (the earliest day of either reading) can be: the
    others, usually most of the registry, are not looked at.
    """
    table = workspace.arrow("SELECT venue_id, registered_on FROM venues WHERE registered_on > ?",
                            [earliest.isoformat()])
    if not table.num_rows:  # (no rows give no column types either)
        return None
    registered = pl.from_arrow(table)
    assert isinstance(registered, pl.DataFrame)
    spec = resources.load_toml("thresholds.toml")["scans"]
    day = pl.col("day")
    swapped = pl.concat_str(day.str.slice(0, 5), day.str.slice(8, 2), pl.lit("-"), day.str.slice(5, 2))
    early = daily.select("venue_id", "day").join(registered.cast(pl.String), on="venue_id").group_by(
        "venue_id").agg(day_first=(day < pl.col("registered_on")).any(),
                        month_first=(swapped < pl.col("registered_on")).any())
    venues = daily["venue_id"].n_unique()
    read_day_first, read_month_first = int(early["day_first"].sum()), int(early["month_first"].sum())

    def many(count: int) -> bool:
        return count >= spec["either_way_early_venues"] and count >= spec["either_way_early_share"] * venues

    if many(read_day_first) and read_month_first * 10 <= read_day_first:
        return _Vote(MONTH_FIRST, Message("date_evidence_registry", {
            "early": Count(read_day_first), "venues": Count(venues), "other": Count(read_month_first)}))
    if many(read_month_first) and read_day_first * 10 <= read_month_first:
        return _Vote(DAY_FIRST)
    return None


def _by_known(first: list[dt.date], swapped: list[dt.date], known: dict[dt.date, str]) -> _Vote | None:
    """The reading that adjoins the days known around the log, while the other lies apart from them, is right."""
    if not known:
        return None
    days = sorted(known)

    def nearest(reading: list[dt.date]) -> tuple[int, dt.date]:
        found = []
        for d in reading:
            i = bisect.bisect_left(days, d)
            found += [(abs((k - d).days), k) for k in days[max(i - 1, 0):i + 1]]
        return min(found)

    (gap_first, _), (gap_swapped, near) = nearest(first), nearest(swapped)
    if gap_swapped <= ADJOINS < APART < gap_first:
        source = known[near]
        why = Message("date_evidence_file_day", {"day": near.isoformat(), "other_file": source}) if source else \
            Message("date_evidence_workspace", {"day": near.isoformat()})
        return _Vote(MONTH_FIRST, why)
    if gap_first <= ADJOINS < APART < gap_swapped:
        return _Vote(DAY_FIRST)
    return None


def _by_run(triples: set[tuple[int, int, int]], sources: list[str]) -> _Vote | None:
    """The reading in which the log's days, and those of the files imported with it, follow one another is right.

    ``triples`` are the dates as written, ``(first number, second number, year)``, each of which reads
    either way; ``sources`` names the other files among them.
    """
    if len(triples) < 2:
        return None
    first = sorted({dt.date(y, b, a) for a, b, y in triples})
    swapped = sorted({dt.date(y, a, b) for a, b, y in triples})

    def gaps(days: list[dt.date]) -> list[int]:
        return [(later - earlier).days for earlier, later in zip(days, days[1:], strict=False)] or [0]

    if max(gaps(swapped)) <= RUN and min(gaps(first)) > APART:
        params = {"first": swapped[0].isoformat(), "last": swapped[-1].isoformat()}
        if not sources:
            return _Vote(MONTH_FIRST, Message("date_evidence_run", params))
        files = ", ".join(sources[:3]) + (", …" if len(sources) > 3 else "")
        return _Vote(MONTH_FIRST, Message("date_evidence_run_files", {**params, "files": files}))
    if max(gaps(first)) <= RUN and min(gaps(swapped)) > APART:
        return _Vote(DAY_FIRST)
    return None


def _by_name(path: Path, first: list[dt.date], swapped: list[dt.date]) -> _Vote | None:
    """A date written year first in the file's name that is one of the readings' days and not the other's."""
    named = set(_year_first_dates(path.stem))
    if named & set(swapped) and not named & set(first):
        return _Vote(MONTH_FIRST, Message("date_evidence_name", {"date": min(named & set(swapped)).isoformat()}))
    if named & set(first) and not named & set(swapped):
        return _Vote(DAY_FIRST)
    return None


def _year_first_dates(text: str) -> list[dt.date]:
    found = []
    for year, month, day in YEAR_FIRST.findall(text):
        try:
            found.append(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return found


def _around(workspace: Workspace, path: Path, others: Sequence[Path], columns: dict[str, str] | None,
            ) -> tuple[dict[dt.date, str], set[tuple[int, int, int]], list[str]]:
    """The days known around the log, the dates of the other files that read either way, and those files.

    Known days (with where they come from: ``""`` for the workspace, else a file name) are the
    workspace's days with scans and the dates of the other files that read only one way.
    """
    known: dict[dt.date, str] = {}
    triples: set[tuple[int, int, int]] = set()
    sources = []
    for other in others:
        if other.resolve() == path.resolve():
            continue
        fixed, written = _peek(other, _key(other), tuple(sorted((columns or {}).items())))
        known.update((day, other.name) for day in fixed)
        if written:
            triples |= set(written)
            sources.append(other.name)
    known.update((day, "") for day in _stored_days(workspace))
    return known, triples, sources


def _stored_days(workspace: Workspace) -> set[dt.date]:
    """The days the workspace has scans for.

    Those of its scan imports' recorded spans (a million venue-days are not read for a few dozen
    days), or of ``scan_daily`` when an import recorded none.
    """
    days: set[str] = set()
    for details in workspace.query("SELECT details FROM import_log WHERE kind = 'scans'")["details"]:
        spans = json.loads(details or "{}").get("spans")
        if spans is None:  # an import older than the record
            days = set(workspace.query("SELECT DISTINCT day FROM scan_daily")["day"])
            break
        days.update(spans)
    return {dt.date.fromisoformat(day) for day in days}


def _key(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return str(path), 0, 0
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=256)  # each file of an import of many looks at every other: read each start once
def _peek(path: Path, key: tuple[str, int, int], columns: tuple[tuple[str, str], ...],
          ) -> tuple[frozenset[dt.date], frozenset[tuple[int, int, int]]]:
    """The dates in the scan-time cells of the first rows of another file of the import.

    Those that read one way only (year first, or a day after the 12th), and those that read
    either way as written. Nothing when the file cannot be read that far (its own import says why).
    """
    try:
        fmt = file_format(path)
        if fmt not in ("csv", "parquet"):
            return frozenset(), frozenset()
        encoding = None
        if fmt == "csv":
            with path.open("rb") as fh:
                sample = fh.read(1 << 16)
            encoding = detect_encoding(sample, complete=len(sample) < 1 << 16, file=path.name)
        names, rows, _, _ = scan_read.head(path, fmt, encoding, PEEK_ROWS)
        column = names.index(map_columns("scans", names, file=path.name, overrides=dict(columns))["timestamp"])
    except (CodedError, OSError, ValueError, csv.Error):
        return frozenset(), frozenset()
    fixed: set[dt.date] = set()
    written: set[tuple[int, int, int]] = set()
    for row in rows:
        cell = row[column] if column < len(row) else ""
        fixed.update(_year_first_dates(cell[:10]))
        for a, b, y in DAY_OR_MONTH_FIRST.findall(cell):
            one_way = [day for day in (_date(int(y), int(b), int(a)), _date(int(y), int(a), int(b))) if day]
            if len(one_way) == 2 and a != b:
                written.add((int(a), int(b), int(y)))
            elif one_way:
                fixed.add(one_way[0])
    return frozenset(fixed), frozenset(written)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
