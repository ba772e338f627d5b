"""What an import did, for people: its summary, whether it calls for attention, and its row files."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from inspector.core.i18n import LANGUAGES, N_, Translate, day, number, translator
from inspector.core.importers.common import ImportResult, row_params
from inspector.core.messages import Count, os_error, parameters, render
from inspector.core.names import FIELD_NAMES, LOCATION_UNITS, label
from inspector.core.text import spreadsheet_safe


def summary(result: ImportResult, tr: Translate, lang: str) -> tuple[str, list[str]]:
    """What an import did, for people: a headline, then the sheet read, the warnings and the columns not read."""
    if result.already_imported_at:
        when = dt.datetime.strptime(result.already_imported_at, "%Y-%m-%d %H:%M")
        return tr("{file} was already imported on {date}; nothing added.").format(
            file=result.file.name, date=f"{day(when, lang)} {when:%H:%M}"), []

    def n(count: int) -> str:
        return number(count, 0, lang)

    one = result.rows_total == 1  # a province's boundary: "1 row read", not "1 rows read"
    template = tr("{file}: {total} row read, {accepted} accepted, {rejected} rejected "
                  "({added} added, {updated} updated, {unchanged} unchanged).") if one else \
        tr("{file}: {total} rows read, {accepted} accepted, {rejected} rejected "
           "({added} added, {updated} updated, {unchanged} unchanged).")
    if result.kind == "scans":  # rows are scans, what is stored is per venue and day
        template = tr("{file}: {total} scan read, {accepted} accepted, {rejected} rejected "
                      "(venue-days: {added} added, {updated} updated, {unchanged} unchanged).") if one else \
            tr("{file}: {total} scans read, {accepted} accepted, {rejected} rejected "
               "(venue-days: {added} added, {updated} updated, {unchanged} unchanged).")
    headline = template.format(
        file=result.file.name, total=n(result.rows_total), accepted=n(result.rows_accepted),
        rejected=n(result.rows_rejected), added=n(result.counts.added), updated=n(result.counts.updated),
        unchanged=n(result.counts.unchanged))
    lines = []
    for code, count in sorted(result.warnings.items()):
        # a message giving each row's own value (a date, a length) is said per field, with its first row
        if parameters(code) - {"unit"} and "reason" in result.notes and (result.notes["reason"] == code).any():
            lines += _noted_reasons(result, code, tr, n)
            continue
        # "12 × …" in English; Vietnamese reads "×" as a product, and puts the count after: "…: 12 trường hợp"
        lines.append(_capitalised(tr("{count} × {message}").format(count=n(count), message=render(code, {}, tr))) + (
            tr(" (for example {units})").format(units=", ".join(result.examples[code]))
            if result.examples.get(code) else ""))
    lines += _rejected_reasons(result, tr, n)
    if len(result.sheets) == 1:
        lines.insert(0, tr("Read from the sheet “{sheet}”.").format(sheet=result.sheets[0]))
    elif result.sheets:
        lines.insert(0, tr("Read from {count} sheets as one table: {sheets}.").format(
            count=len(result.sheets), sheets=", ".join(f"“{s}”" for s in result.sheets)))
    if result.other_sheets:
        lines.insert(1, render("other_sheets", {"sheets": ", ".join(f"“{s}”" for s in result.other_sheets)}, tr))
    if nothing_accepted(result):
        lines.insert(0, tr("No row was accepted: see why in the rejected rows. Once corrected (or with other "
                           "columns chosen), the same file can be imported again."))
    if result.layer and result.other_layers:
        template = tr("Read the layer “{layer}”; the file has other layers too: {layers}. Import the file again to "
                      "read another (the window asks which; the command line takes --layer).")
        if result.file.suffix.lower() == ".zip":
            template = tr("Read “{layer}”; the zip holds other files of areas too: {layers}. Import the zip again to "
                          "read another (the window asks which; the command line takes --layer and the file's name).")
        lines.insert(0, template.format(layer=result.layer, layers=", ".join(f"“{n}”" for n in result.other_layers)))
    if result.matching:
        lines.insert(0, _matching(result, tr))
    if result.unused_columns:
        lines.append(tr("Columns not used: {columns}").format(
            columns=", ".join(f"“{c}”" for c in result.unused_columns)))
    return headline, lines


def _capitalised(line: str) -> str:
    """``line`` with its first letter in upper case (a message that begins the line, not a sentence)."""
    return line[:1].upper() + line[1:]


def _matching(result: ImportResult, tr: Translate) -> str:
    """What the summary says of a matching of columns chosen by hand: saved now, or saved before and used."""
    pairs = ", ".join(f"“{header}” → {label(FIELD_NAMES[result.kind], field, tr)}"
                      for field, header in result.columns.items() if not header.startswith("__"))
    if result.matching == "reused":
        return tr("Columns matched as saved in this workspace for files with these headers: {pairs}.").format(
            pairs=pairs)
    return tr("Columns matched as you chose: {pairs}. The workspace keeps this matching for files with the same "
              "headers.").format(pairs=pairs)


#: How many reasons for rejecting rows a summary gives (the rejected-rows file has them all).
REASONS_SHOWN = 3


def _rejected_reasons(result: ImportResult, tr: Translate, n: Callable[[int], str]) -> list[str]:
    """The commonest reasons rows were rejected, each with its count and its first row as written.

    A reason counts apart for each field it is given for (an invalid number of staff is not one of
    capacity); when there are more than :data:`REASONS_SHOWN`, the last line says how many others
    (one other reason is given itself, in the line that would say "1 other reason").
    """
    frame = result.rejections
    if frame.empty or "reason" not in frame:
        return []
    counts, first = _by_reason(frame)
    lines = []
    for each in counts.index[:REASONS_SHOWN if len(counts) > REASONS_SHOWN + 1 else None]:
        line, message = _first_row(first.loc[each], result, tr)
        lines.append(tr("Rejected: {count} × {message} (first at {unit} {line})").format(
            count=n(int(counts[each])), unit=label(LOCATION_UNITS, result.unit, tr), line=line, message=message))
    if len(counts) > REASONS_SHOWN + 1:
        rest = counts.iloc[REASONS_SHOWN:]
        lines.append(tr("Rejected for {reasons} other reasons: {count} rows (see the rejected rows).").format(
            reasons=n(len(rest)), count=n(int(rest.sum()))))
    return lines


def _noted_reasons(result: ImportResult, code: str, tr: Translate, n: Callable[[int], str]) -> list[str]:
    """A warning whose message gives the row's own values (a date, a length): per field, its count and first row."""
    counts, first = _by_reason(result.notes[result.notes["reason"] == code])
    lines = []
    for each in counts.index:
        line, message = _first_row(first.loc[each], result, tr)
        lines.append(_capitalised(tr("{count} × {message} (first at {unit} {line})").format(
            count=n(int(counts[each])), unit=label(LOCATION_UNITS, result.unit, tr), line=line, message=message)))
    return lines


def _by_reason(frame: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """Rows by reason and field: how many of each (most first, of equals the first met) and the first row of each."""
    # in file order (the rows of a table read from several sheets come a sheet after the other)
    frame = (frame if "sheet" in frame else frame.sort_values("line", kind="stable")).reset_index(drop=True)
    key = frame["reason"].astype(str) + "\0" + frame["field"].fillna("").astype(str)
    counts = key.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    return counts, frame.assign(__key=key).drop_duplicates("__key").set_index("__key")


def _first_row(row: pd.Series, result: ImportResult, tr: Translate) -> tuple[str, str]:
    """Where a row of a row file is (its line, or its sheet and line) and its message."""
    unit = label(LOCATION_UNITS, result.unit, tr)
    line = render("in_sheet", {"line": row["line"], "sheet": row["sheet"]}, tr) if "sheet" in row else row["line"]
    field = _field_named(row["field"], result, tr)
    return str(line), render(row["reason"], {"unit": unit, **row_params(row["detail"], field)}, tr)


def _field_named(field: Any, result: ImportResult, tr: Translate) -> Any:
    """A row's field as people read it: the file's column, else the field's translated name, not our code.

    A field the file has no column for: the venue of a report that gives only a place.
    """
    names = FIELD_NAMES.get(result.kind, {})
    if isinstance(field, str) and field in names and field not in result.columns.values():
        return label(names, field, tr)
    return field


def nothing_accepted(result: ImportResult) -> bool:
    """Whether the import read rows but accepted none of them."""
    return not result.already_imported_at and result.rows_total > 0 and result.rows_accepted == 0


def calls_for_attention(result: ImportResult) -> bool:
    """Whether an import's outcome needs more than a glance.

    It accepted nothing, left other sheets of a workbook unread, left days with fewer scans than
    before, dropped an earlier file's hours of a day, or could not keep the columns chosen for it.
    """
    return (nothing_accepted(result) or bool(result.other_sheets)
            or not {"days_shrunk", "days_partly_replaced", "matching_not_kept"}.isdisjoint(result.warnings))


#: The headings a file of rejected rows or of rows kept with a warning has before the rows' own cells
ROW_FILE_HEADINGS = (N_("field"), N_("reason code"), N_("message"))


def is_row_file(headers: list[str]) -> bool:
    """Whether ``headers`` are those of a file this application wrote of rejected rows (in any of its languages)."""
    present = set(headers)
    return any(all(translator(lang)(heading) in present for heading in ROW_FILE_HEADINGS) for lang in LANGUAGES)


def write_rejections(result: ImportResult, tr: Translate, folder: Path | None = None) -> Path | None:
    """Write the rejected rows next to the input (or in ``folder``) as ``FILE.rejected.csv`` (UTF-8 with BOM).

    Each row gives where it was in the file, the field, a reason code and its translated message,
    then the row's cells the import reads (spreadsheet formulas neutralised). Returns ``None`` when
    nothing was rejected (and removes a stale file from an earlier run).
    """
    target = result.rejected_file if folder is None else folder / result.rejected_file.name
    return _write_rows(_fields_named(result.rejections, result, tr), target, label(LOCATION_UNITS, result.unit, tr), tr)


def write_notes(result: ImportResult, tr: Translate, folder: Path | None = None) -> Path | None:
    """Write the accepted rows that have a warning as ``FILE.warnings.csv``.

    Laid out as :func:`write_rejections` lays rejected rows; ``None`` when there are none.
    """
    target = result.notes_file if folder is None else folder / result.notes_file.name
    return _write_rows(_fields_named(result.notes, result, tr), target, label(LOCATION_UNITS, result.unit, tr), tr)


def _fields_named(frame: pd.DataFrame, result: ImportResult, tr: Translate) -> pd.DataFrame:
    """``frame`` (rejected rows or notes) with each field as people read it (:func:`_field_named`)."""
    if frame.empty or "field" not in frame:
        return frame
    return frame.assign(field=[_field_named(f, result, tr) for f in frame["field"]])


def _write_rows(frame: pd.DataFrame, target: Path, unit: str, tr: Translate) -> Path | None:
    if frame.empty:
        target.unlink(missing_ok=True)
        return None
    frame = frame.reset_index(drop=True)
    messages = [
        render(reason, {"unit": unit, **row_params(detail, field)}, tr)
        for reason, detail, field in zip(frame["reason"], frame["detail"], frame["field"], strict=True)
    ]
    where = ["sheet", "line"] if "sheet" in frame else ["line"]  # a table read from several sheets: which one
    originals = [c for c in frame.columns if c not in (*where, "field", "reason", "detail")]
    cells = pd.concat([frame[[*where, "field", "reason"]], pd.Series(messages, name="message"), frame[originals]],
                      axis=1).astype(object)
    cells = cells.where(cells.notna(), "").map(spreadsheet_safe)
    headings = [tr("sheet"), unit][-len(where):]
    cells.columns = [spreadsheet_safe(c) for c in [*headings, *map(tr, ROW_FILE_HEADINGS), *originals]]
    cells.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return target


def row_files(result: ImportResult, tr: Translate) -> list[str]:
    """Write the rejected rows and the rows kept with a warning, and say where (or why they could not be).

    They go next to the input, or when its folder cannot be written (a shared drive, a CD, a
    folder of another user), to the system's temporary folder. The import itself is done by then,
    so a file that cannot be written at all is said, not raised.
    """
    if result.already_imported_at:
        return []
    lines = []
    noted = tr("Rows kept with a warning: {path}")
    if result.notes_limit:  # a scan log with more than can be of use
        noted = tr("Rows kept with a warning, the first {count} of each kind (the counts above are of all): {path}")
    for write, said in ((write_rejections, tr("Rejected rows with reasons: {path}")), (write_notes, noted)):
        try:
            written = write(result, tr)
        except OSError as exc:
            try:
                written = write(result, tr, Path(tempfile.gettempdir()))
            except OSError:
                lines.append(tr("The rows could not be written: {reason}").format(reason=os_error(exc, tr)))
                continue
            if written is not None:
                lines.append(tr("The rows could not be written next to the file ({reason}); they are in the "
                                "temporary folder instead.").format(reason=os_error(exc, tr)))
        if written is not None:
            lines.append(said.format(path=written, count=Count(result.notes_limit)(tr)))
    return lines
