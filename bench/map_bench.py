"""Map benchmark: page sizes and Python build times on a large workspace (not part of the test run).

Usage::

    python bench/map_bench.py [WORKSPACE.gpkg]

Default workspace: /tmp/demo50k/demo.gpkg, built with
``python main.py --lang en demo --out /tmp/demo50k --venues 50000 --scans-per-day 357143``.
Prints the time of ``maps.data.map_data`` and of ``maps.web.build_page`` (app and standalone pages,
best of three) and the page sizes; QtWebEngine load times are measured elsewhere.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inspector.core.workspace import Workspace  # noqa: E402
from maps.data import map_data  # noqa: E402
from maps.static import render_png  # noqa: E402
from maps.web import build_page  # noqa: E402


def timed(fn, repeat=1):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", default="/tmp/demo50k/demo.gpkg")
    parser.add_argument("--out", help="folder to keep the pages and the PNG in")
    args = parser.parse_args()
    if not Path(args.workspace).is_file():
        sys.exit(f"no workspace at {args.workspace}; see this script's docstring to build one")
    out = Path(args.out or tempfile.mkdtemp(prefix="map_bench_"))
    out.mkdir(parents=True, exist_ok=True)

    seconds, data = timed(lambda: map_data(Workspace.open(args.workspace)))
    print(f"workspace            {args.workspace}")
    print(f"venues / units       {len(data.venues):,} / {len(data.units):,}")
    print(f"map_data             {seconds:6.2f} s")
    for label, standalone in (("app", False), ("standalone", True)):
        seconds, page = timed(lambda s=standalone: build_page(data, tr=str, lang="vi", standalone=s), repeat=3)
        path = out / f"map_{label}.html"
        path.write_text(page, encoding="utf-8")
        print(f"build_page {label:<10}{seconds:6.2f} s   {path.stat().st_size / 1e6:6.2f} MB   {path}")
    seconds, _ = timed(lambda: render_png(data, out / "map.png", tr=str, lang="vi"))
    print(f"render_png           {seconds:6.2f} s   {(out / 'map.png').stat().st_size / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
