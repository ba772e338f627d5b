"""Command line: the same core functions the window uses, headless, with a terminal progress bar."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from inspector.core import paths
from inspector.core.errors import Cancelled, CodedError
from inspector.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translate, number, translator
from inspector.core.messages import LEVEL_NAMES, label, render


class ProgressBar:
    """``progress(done, total)`` drawn on stderr; Ctrl+C during work cancels it cleanly."""

    def __init__(self, label: str, stream: Any = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.last = -1.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
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
    parser = _parser()
    args = parser.parse_args(argv)
    tr = translator(args.lang)
    try:
        return int(args.run(args, tr))
    except CodedError as exc:
        print(render(exc.code, exc.params, tr), file=sys.stderr)
        return 1
    except (Cancelled, KeyboardInterrupt):
        print(tr("Cancelled; nothing was changed."), file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"{exc.strerror or exc}: {exc.filename or ''}".strip(), file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: one line here, the traceback in the log
        log = paths.data_dir() / "error.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        print(tr("Unexpected error ({error}); details in {log}").format(error=type(exc).__name__, log=log),
              file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    default_lang = os.environ.get("INSPECTOR_LANG", DEFAULT_LANGUAGE)
    parser = argparse.ArgumentParser(
        prog="main.py", description="QR Compliance Inspector — without a command, opens the window."
    )
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=default_lang,
                        help="language of messages (default: %(default)s; env INSPECTOR_LANG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="generate a demo province (files and a ready workspace)")
    demo.add_argument("--out", type=Path, required=True, help="folder to write the files into")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--venues", type=int, default=5000)
    demo.add_argument("--days", type=int, default=28)
    demo.add_argument("--scans-per-day", type=int, default=None, help="average province total per day")
    demo.add_argument("--boundaries", type=Path, default=None,
                      help="real districts or wards (GeoJSON/Shapefile/GPKG) to use instead of invented ones")
    demo.add_argument("--no-workspace", action="store_true", help="only write the files, do not import them")
    demo.set_defaults(run=_demo)

    imp = sub.add_parser("import", help="import a file into a workspace (created if missing)")
    imp.add_argument("--workspace", type=Path, required=True)
    imp.add_argument("kind", choices=("boundaries", "venues", "scans", "reports"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--fix-swapped", action="store_true", help="venues: correct swapped latitude/longitude")
    imp.add_argument("--level", choices=("province", "district", "ward"), help="boundaries: level of the units")
    imp.add_argument("--layer", help="boundaries: layer of a GeoPackage to read")
    imp.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                     help="use COLUMN of the file for FIELD (repeatable)")
    imp.set_defaults(run=_import)

    info = sub.add_parser("info", help="counts per layer, period covered, schema version")
    info.add_argument("--workspace", type=Path, required=True)
    info.set_defaults(run=_info)

    mapping = sub.add_parser("map", help="write a self-contained HTML map and optionally a PNG map")
    mapping.add_argument("--workspace", type=Path, required=True)
    where = mapping.add_mutually_exclusive_group()
    where.add_argument("--district", metavar="CODE", help="frame one district")
    where.add_argument("--ward", metavar="CODE", help="frame one ward or commune")
    where.add_argument("--unit", metavar="CODE", help="frame any administrative unit")
    mapping.add_argument("--out", type=Path, required=True, help="HTML file to write")
    mapping.add_argument("--png", type=Path, help="also write a static PNG map")
    mapping.add_argument("--metric", choices=("scans_per_1000_per_day", "flagged_share"),
                         default="scans_per_1000_per_day", help="what colours the units")
    mapping.set_defaults(run=_map)

    parser.set_defaults(run=_gui)
    return parser


def _gui(args: argparse.Namespace, tr: Translate) -> int:
    from inspector.ui.app import run_app

    return run_app(lang=args.lang)


def _demo(args: argparse.Namespace, tr: Translate) -> int:
    from inspector.demo.build import build_demo

    bar = ProgressBar(tr("Generating demo province"))
    try:
        built = build_demo(
            args.out, seed=args.seed, venues=args.venues, days=args.days, scans_per_day=args.scans_per_day,
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
    from inspector.core.importers import import_file, summary, write_rejections
    from inspector.core.workspace import Workspace

    if args.workspace.exists():
        workspace = Workspace.open(args.workspace)
    else:
        workspace = Workspace.create(args.workspace)
        print(tr("Created workspace {path}").format(path=args.workspace))
    options: dict[str, Any] = {}
    mapping = dict(item.split("=", 1) for item in args.map if "=" in item)
    if mapping:
        options["columns"] = mapping
    if args.kind == "venues" and args.fix_swapped:
        options["fix_swapped"] = True
    if args.kind == "boundaries":
        options.update({k: v for k, v in (("level", args.level), ("layer", args.layer)) if v})
    bar = ProgressBar(tr("Importing {file}").format(file=args.file.name))
    try:
        result = import_file(workspace, args.kind, args.file, progress=bar, **options)
    finally:
        bar.close()
    headline, warnings = summary(result, tr, args.lang)
    print(headline)
    for line in warnings:
        print(f"  {line}")
    if result.already_imported_at:
        return 0
    written = write_rejections(result, tr)
    if written is not None:
        print(tr("Rejected rows with reasons: {path}").format(path=written))
    return 0


def _info(args: argparse.Namespace, tr: Translate) -> int:
    from inspector.core.workspace import Workspace

    info = Workspace.open(args.workspace).info()
    first, last = info["period"]
    rows: list[tuple[str, Any]] = [
        (tr("Workspace"), info["path"]),
        (tr("Schema version"), info["schema_version"]),
        (tr("Period covered by scans"), f"{first} → {last}" if first else tr("no scans yet")),
        (tr("Scans"), number(info["scans"], 0, args.lang)),
    ]
    rows += [(tr("Administrative units ({level})").format(level=label(LEVEL_NAMES, level, tr)),
              number(n, 0, args.lang)) for level, n in sorted(info["admin_levels"].items())]
    rows += [(name, number(n, 0, args.lang)) for name, n in info["counts"].items()]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


def _map(args: argparse.Namespace, tr: Translate) -> int:
    from inspector.core.errors import InputError
    from inspector.core.workspace import Workspace
    from maps.data import map_data
    from maps.static import render_png
    from maps.web import build_page

    workspace = Workspace.open(args.workspace)
    bar = ProgressBar(tr("Drawing the map…"))
    try:
        from inspector.core.signals import assess

        data = map_data(workspace, assess(workspace, progress=bar))
    finally:
        bar.close()
    if data.units.empty:
        raise InputError("no_units")
    code = args.district or args.ward or args.unit
    if code is not None:
        if code not in set(data.units["code"]):
            raise InputError("unknown_unit", unit=code)
        data = data.within(code)
    args.out.write_text(build_page(data, tr=tr, lang=args.lang, standalone=True, metric=args.metric),
                        encoding="utf-8")
    print(args.out)
    if args.png is not None:
        render_png(data, args.png, tr=tr, lang=args.lang, metric=args.metric)
        print(args.png)
    return 0


def run(argv: Sequence[str] | None = None, exit: Callable[[int], Any] = sys.exit) -> None:
    exit(main(argv))
