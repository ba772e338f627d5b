"""Command line: the same core functions the window uses, headless, with a terminal progress bar."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from inspector.core import paths
from inspector.core.errors import Cancelled, CodedError
from inspector.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, Translate, day, number, translator
from inspector.core.messages import error_text
from inspector.core.names import LEVEL_NAMES, TABLE_NAMES, label


class ProgressBar:
    """``progress(done, total)`` drawn on stderr when it is a terminal; Ctrl+C during work cancels it cleanly.

    Redirected to a file or a pipe, it stays silent rather than filling a log with redraws.
    """

    def __init__(self, label: str, stream: Any = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.last = -1.0
        self.shown = False
        self.drawn = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.drawn or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        frac = done / total if total else 1.0
        filled = int(30 * frac)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {frac:4.0%}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; return the process exit code."""
    tr = translator(_language(sys.argv[1:] if argv is None else argv))
    with _argparse_speaks(tr):
        args = _parser(tr).parse_args(argv)
    tr = translator(args.lang)
    try:
        return int(args.run(args, tr))
    except (CodedError, OSError) as exc:
        print(error_text(exc, tr), file=sys.stderr)
        return 1
    except (Cancelled, KeyboardInterrupt):
        print(tr("Cancelled; nothing was changed."), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: one line here, the traceback in the log
        log = paths.log_error(exc)
        print(tr("Unexpected error ({error}); details in {log}").format(error=type(exc).__name__, log=log),
              file=sys.stderr)
        return 2


#: argparse's own words that users see (``--help`` and errors): listed so that extraction puts them in
#: our catalogue, from which :func:`_argparse_speaks` translates them.
ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"), N_("not allowed with argument %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("can't open '%(filename)s': %(error)s"),
)


def _language(argv: Sequence[str]) -> str:
    """The language asked for by ``--lang`` (read before the parser, which speaks it), else the default."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return _default_language()


def _default_language() -> str:
    """``INSPECTOR_LANG`` when it names one of our languages, else the default."""
    asked = os.environ.get("INSPECTOR_LANG", "")
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def _count(minimum: int, tr: Translate) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(
                tr("“{value}” is not a whole number of at least {minimum}").format(value=text, minimum=minimum))
        return value
    return parse


def _day(tr: Translate) -> Callable[[str], dt.date]:
    """An argparse type: a day written as YYYY-MM-DD, between 2000 and 2099 (the years scans may have)."""
    def parse(text: str) -> dt.date:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = dt.date(1, 1, 1)
        if not 2000 <= day.year <= 2099:
            raise argparse.ArgumentTypeError(tr("“{value}” is not a day written as YYYY-MM-DD").format(value=text))
        return day
    return parse


@contextmanager
def _argparse_speaks(tr: Translate) -> Iterator[None]:
    """Let argparse word its help and errors in ``tr``'s language while the block runs."""
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = tr  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def _pair(tr: Translate) -> Callable[[str], tuple[str, str]]:
    """An argparse type: ``FIELD=COLUMN``."""
    def parse(text: str) -> tuple[str, str]:
        field, sep, column = text.partition("=")
        if not (sep and field.strip() and column.strip()):
            raise argparse.ArgumentTypeError(tr("“{value}” is not of the form FIELD=COLUMN").format(value=text))
        return field.strip(), column.strip()
    return parse


def _parser(tr: Translate) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py", description=tr("QR Compliance Inspector — without a command, opens the window.")
    )
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=_default_language(),
                        help=tr("language of messages (default: %(default)s; env INSPECTOR_LANG)"))
    # Each command takes --lang too, after its name; SUPPRESS keeps the one given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=sorted(LANGUAGES), default=argparse.SUPPRESS,
                        help=tr("language of messages"))
    sub = parser.add_subparsers(dest="command", metavar=tr("COMMAND"))

    file, folder = tr("FILE"), tr("FOLDER")
    about = tr("generate a demo province (files and a ready workspace)")
    demo = sub.add_parser("demo", parents=[common], help=about, description=about)
    demo.add_argument("--out", type=Path, required=True, metavar=folder, help=tr("folder to write the files into"))
    count = tr("NUMBER")  # the numbers' own metavar, not argparse's English option name (VENUES, DAYS)
    demo.add_argument("--seed", type=int, default=1, metavar=count,
                      help=tr("random seed: the same seed gives the same province"))
    demo.add_argument("--venues", type=_count(1, tr), default=5000, metavar=count,
                      help=tr("number of venues (default: %(default)s)"))
    demo.add_argument("--days", type=_count(1, tr), default=28, metavar=count,
                      help=tr("days of scans (default: %(default)s)"))
    demo.add_argument("--start", type=_day(tr), default=dt.date(2021, 8, 2), metavar=tr("YYYY-MM-DD"),
                      help=tr("first day of scans (default: %(default)s); agencies and schools close on public "
                              "holidays"))
    demo.add_argument("--scans-per-day", type=_count(1, tr), default=None, metavar=count,
                      help=tr("average scans per day in the whole province (default: what the venues' sizes and "
                              "categories give, about 47 per venue)"))
    demo.add_argument("--boundaries", type=Path, default=None, metavar=file,
                      help=tr("real districts or wards (GeoJSON/Shapefile/GPKG) to use instead of invented ones"))
    demo.add_argument("--no-workspace", action="store_true", help=tr("only write the files, do not import them"))
    demo.set_defaults(run=_demo)

    workspace_help = tr("the workspace file (.gpkg)")
    about = tr("import a file into a workspace (created if missing)")
    imp = sub.add_parser("import", parents=[common], help=about, description=about)
    imp.add_argument("--workspace", type=Path, required=True, metavar=file, help=workspace_help)
    imp.add_argument("kind", choices=("boundaries", "venues", "scans", "reports"), metavar=tr("KIND"),
                     help=tr("what the file holds: boundaries (administrative units: GeoJSON, Shapefile, GPKG), "
                             "venues (the registry: CSV, XLSX, XLS, ODS, GeoJSON), scans (scan logs: CSV, Parquet), "
                             "reports (citizen reports: CSV, XLSX, XLS, ODS)"))
    imp.add_argument("file", type=Path, nargs="+", metavar=file,
                     help=tr("the files to import, one after the other (each is imported whole or not at all)"))
    imp.add_argument("--fix-swapped", action="store_true",
                     help=tr("venues and reports: correct swapped latitude/longitude"))
    imp.add_argument("--level", choices=("province", "district", "ward"),
                     help=tr("boundaries: level of the units"))
    imp.add_argument("--layer", metavar=tr("LAYER"),
                     help=tr("boundaries: layer of a GeoPackage, or file in a zip, to read"))
    sheets = imp.add_mutually_exclusive_group()
    sheets.add_argument("--sheet", action="append", metavar=tr("SHEET"), help=tr(
        "venues and reports: sheet of a workbook to read; repeated, several sheets of the same table read as one"))
    sheets.add_argument("--all-sheets", action="store_true", help=tr(
        "venues and reports: read every sheet of a workbook that has the required columns, as one table"))
    imp.add_argument("--map", action="append", default=[], metavar=tr("FIELD=COLUMN"), type=_pair(tr),
                     help=tr("use COLUMN of the file for FIELD (repeatable)"))
    imp.set_defaults(run=_import)

    about = tr("counts per layer, period covered, schema version")
    info = sub.add_parser("info", parents=[common], help=about, description=about)
    info.add_argument("--workspace", type=Path, required=True, metavar=file, help=workspace_help)
    info.set_defaults(run=_info)

    about = tr("write a self-contained HTML map, a static PNG map, or both")
    mapping = sub.add_parser("map", parents=[common], help=about, description=about)
    mapping.add_argument("--workspace", type=Path, required=True, metavar=file, help=workspace_help)
    where = mapping.add_mutually_exclusive_group()
    code = tr("CODE|NAME")
    where.add_argument("--district", metavar=code, help=tr("frame one district, by its code or name"))
    where.add_argument("--ward", metavar=code, help=tr("frame one ward or commune, by its code or name"))
    where.add_argument("--unit", metavar=code, help=tr("frame any administrative unit, by its code or name"))
    mapping.add_argument("--out", type=Path, metavar=file, help=tr("self-contained HTML map to write"))
    mapping.add_argument("--png", type=Path, metavar=file, help=tr("static PNG map to write"))
    mapping.add_argument("--metric", choices=("scans_per_1000_per_day", "flagged_share"),
                         default="scans_per_1000_per_day",
                         help=tr("what colours the units: scans per 1,000 residents per day, or the share of venues "
                                 "with signs of violation (default: %(default)s)"))
    mapping.set_defaults(run=_map)

    parser.set_defaults(run=_gui)
    return parser


def _gui(args: argparse.Namespace, tr: Translate) -> int:
    from inspector.ui.app import run_app

    return run_app(lang=args.lang)


def _demo(args: argparse.Namespace, tr: Translate) -> int:
    from inspector.core.errors import InputError
    from inspector.demo.build import FILE_NAMES, WORKSPACE_NAME, build_demo

    # a data officer's own venues.csv (or scans.csv) in that folder would be replaced without a word
    names = [*FILE_NAMES, *([] if args.no_workspace else [WORKSPACE_NAME])]
    taken = [name for name in names if (args.out / name).exists()]
    if taken:
        raise InputError("demo_files_exist", folder=str(args.out), files=", ".join(taken))
    bar = ProgressBar(tr("Generating demo province"))
    try:
        built = build_demo(
            args.out, seed=args.seed, venues=args.venues, days=args.days, start=args.start,
            scans_per_day=args.scans_per_day,
            boundaries=args.boundaries, workspace=not args.no_workspace, progress=bar,
        )
    finally:
        bar.close()
    for path in built.files:
        print(path)
    if built.workspace is not None:
        print(tr("Workspace: {path}").format(path=built.workspace))
    return 0


def _import(args: argparse.Namespace, tr: Translate) -> int:
    """Import each file in turn (see :func:`inspector.core.importers.import_each`)."""
    from inspector.core.importers import import_each, summary
    from inspector.core.importers.outcome import nothing_accepted
    from inspector.core.io.tables import ALL_SHEETS
    from inspector.core.workspace import Workspace

    # an empty file where the workspace goes (left by a crash, or by a tool that opened it) is no workspace yet
    created = not args.workspace.exists() or (args.workspace.is_file() and args.workspace.stat().st_size == 0)
    workspace = Workspace.create(args.workspace, overwrite=True) if created else Workspace.open(args.workspace)
    options: dict[str, Any] = {}
    if args.map:
        options["columns"] = dict(args.map)
    if args.kind in ("venues", "reports"):
        sheet = ALL_SHEETS if args.all_sheets else args.sheet[0] if args.sheet and len(args.sheet) == 1 else args.sheet
        options.update({k: v for k, v in (("fix_swapped", args.fix_swapped), ("sheet", sheet)) if v})
    if args.kind == "boundaries":
        options.update({k: v for k, v in (("level", args.level), ("layer", args.layer)) if v})
    bars: list[ProgressBar] = []

    def progress(i: int) -> ProgressBar:
        bars.append(ProgressBar(tr("Importing {file}").format(file=args.file[i].name)))
        return bars[-1]

    imported = refused = 0
    try:
        for each in import_each(workspace, args.kind, args.file, tr, progress=progress, **options):
            bars.pop().close()
            if each.result is None:
                print(each.refused, file=sys.stderr)
                if each.cancelled:
                    return 130
                refused += 1
                continue
            if created and not imported:
                print(tr("Created workspace {path}").format(path=args.workspace))
            imported += 1
            refused += nothing_accepted(each.result)
            headline, warnings = summary(each.result, tr, args.lang)
            print(headline)
            for line in [*(f"  {w}" for w in warnings), *each.row_files]:
                print(line)
    finally:
        for bar in bars:
            bar.close()
        if created and not imported:  # a refused first import leaves no empty workspace behind
            args.workspace.unlink(missing_ok=True)
    return 1 if refused else 0


def _info(args: argparse.Namespace, tr: Translate) -> int:
    from inspector.core.units import LEVELS
    from inspector.core.workspace import Workspace

    info = Workspace.open(args.workspace).info()
    first, last = info["period"]
    rows: list[tuple[str, Any]] = [
        (tr("Workspace"), info["path"]),
        (tr("Schema version"), info["schema_version"]),
        (tr("Province"), "; ".join(f"{name} ({code})" for code, name in info["provinces"]) or tr("no boundaries yet")),
        (tr("Period covered by scans"), " – ".join(day(dt.date.fromisoformat(d), args.lang) for d in (first, last))
         if first else tr("no scans yet")),
        (tr("Scans"), number(info["scans"], 0, args.lang)),
    ]
    rows += [(tr("Administrative units ({level})").format(level=label(LEVEL_NAMES, level, tr)),
              number(info["admin_levels"][level], 0, args.lang)) for level in LEVELS if level in info["admin_levels"]]
    rows += [(f"{label(TABLE_NAMES, table, tr)} ({table})", number(n, 0, args.lang))
             for table, n in info["counts"].items()]
    if info["counts"]["citizen_reports"]:  # after the reports' own row: those a person may link by hand
        at = next(i for i, (name, _) in enumerate(rows) if name.endswith("(citizen_reports)")) + 1
        rows.insert(at, (tr("  of which linked to no venue"), number(info["reports_unlinked"], 0, args.lang)))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


def _map(args: argparse.Namespace, tr: Translate) -> int:
    from inspector.core.errors import InputError
    from inspector.core.workspace import Workspace
    from maps.data import map_data
    from maps.export import export_map

    if args.out is None and args.png is None:
        raise InputError("map_no_output")
    workspace = Workspace.open(args.workspace)
    bar = ProgressBar(tr("Drawing the map…"))
    try:
        from inspector.core.signals import assess

        data = map_data(workspace, assess(workspace, progress=bar))
    finally:
        bar.close()
    if data.units.empty:
        raise InputError("no_units")
    level = "district" if args.district else "ward" if args.ward else None
    code = args.district or args.ward or args.unit
    if code is not None:
        from inspector.core.units import find_unit

        data = dataclasses.replace(data, focus=find_unit(data.units, code, level))
    for path in export_map(data, args.out, args.png, tr=tr, lang=args.lang, metric=args.metric):
        print(path)
    return 0


def run(argv: Sequence[str] | None = None, exit: Callable[[int], Any] = sys.exit) -> None:
    exit(main(argv))
