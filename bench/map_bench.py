"""Map benchmark, 50,000 venues: build time, page size, time to interactive in QtWebEngine, table filters.

Usage::

    python bench/map_bench.py [--workspace W.gpkg] [--repeat 3]

Without ``--workspace`` it builds (once, reused later) the 50,000-venue province of
``bench/ingest.py`` with every file imported. Prints, per run: ``map_data`` (signals and unit
figures), ``build_page`` for the app and the standalone page, their sizes, and the QtWebEngine
times from ``load()`` to ``loadFinished`` and to the first frame with every venue drawn.
Targets: page <= 10 MB, interactive <= 2 s, Python build <= 2 s.

Then the table's filters on the map: for each filter of :data:`FILTERS`, the venue table's own
filtering (``set_filter``, as on every key typed), packing the venues it lets through for the page
(``map_filter``), and in the page ``inspectorMap.filterVenues`` (unpacking and redrawing, what
blocks the page) and the time to two painted frames after it; the last filter is none (all again).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")


def full_workspace(venues: int = 50_000, scans_per_day: int = 357_143) -> Path:
    from inspector.core.workspace import Workspace
    from inspector.demo import generate
    from inspector.demo.build import import_folder

    folder = ROOT / "bench" / "data" / f"province-{venues}"
    target = folder / "full.gpkg"
    if target.exists():
        return target
    if not (folder / "scans.csv").exists():
        generate(folder, seed=7, venues=venues, days=28, scans_per_day=scans_per_day)
    building = folder / "full-building.gpkg"
    import_folder(Workspace.create(building, overwrite=True), folder)
    building.replace(target)
    return target


#: Table filters timed on the map: a label and ``VenueTableModel.set_filter`` keywords (the last: none)
FILTERS = (
    ("category restaurant", {"category": "restaurant"}),
    ("text 'cà phê'", {"text": "cà phê"}),
    ("cafés with citizen reports", {"category": "cafe", "signal": "citizen_reports"}),
    ("any sign", {"signal": "any"}),
    ("none (all again)", {}),
)

#: Runs ``inspectorMap.filterVenues(bits)``; sets ``window.__filtered`` to [ms in the call, ms to two frames after]
FILTER_JS = """(function (bits) {
  window.__filtered = undefined;
  var t0 = performance.now();
  inspectorMap.filterVenues(bits);
  var t1 = performance.now();
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    window.__filtered = [t1 - t0, performance.now() - t0, inspectorMap.shownVenueCount()];
  }); });
})(%s)"""


def measure_filters(view: object, table: object) -> list[tuple[str, float, float, float, float, int]]:
    """Per filter of :data:`FILTERS`: ms of the table's filtering, of packing, of the page's call and to two frames."""
    import json

    from PySide6.QtCore import QEventLoop, QTimer

    from inspector.ui.language import Language
    from inspector.ui.venue_table import VenueTableModel

    model = VenueTableModel(Language("vi"))
    model.set_frame(table)
    out = []
    for label, keywords in FILTERS:
        start = time.perf_counter()
        model.set_filter(**keywords)
        t_table = time.perf_counter() - start
        start = time.perf_counter()
        bits = model.map_filter()
        t_pack = time.perf_counter() - start
        box: dict = {}
        loop = QEventLoop()

        def poll(box: dict = box, loop: QEventLoop = loop) -> None:
            def seen(value: object) -> None:
                if isinstance(value, str) and value:
                    box["v"] = json.loads(value)
                    loop.quit()
                else:
                    QTimer.singleShot(5, poll)
            view.page().runJavaScript("window.__filtered ? JSON.stringify(window.__filtered) : ''", 0, seen)

        view.page().runJavaScript(FILTER_JS % json.dumps(bits))
        poll()
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        call, frames, shown = box.get("v", [-1, -1, -1])
        out.append((label, t_table * 1000, t_pack * 1000, call, frames, int(shown)))
    return out


def measure_load(path: Path, table: object = None) -> dict:
    """Milliseconds from ``load()`` to ``loadFinished`` and to two painted frames with every venue."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QEventLoop, QTimer, QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView

    view = QWebEngineView()
    view.resize(1400, 900)
    view.show()
    clock, marks, loop = QElapsedTimer(), {}, QEventLoop()

    def loaded(ok: bool) -> None:
        marks["load"] = clock.elapsed()
        # interactive: every venue is in the layer and two more frames have been painted
        view.page().runJavaScript(
            "requestAnimationFrame(() => requestAnimationFrame(() => { window.__drawn ="
            " window.inspectorMap ? window.inspectorMap.venueCount() : -1; }))")
        poll()

    def poll() -> None:
        view.page().runJavaScript("String(window.__drawn)", 0, seen)

    def seen(drawn: object) -> None:
        if drawn in (None, "", "undefined"):
            QTimer.singleShot(5, poll)
            return
        marks.update(frame=clock.elapsed(), drawn=drawn)
        loop.quit()

    view.loadFinished.connect(loaded)
    QTimer.singleShot(60_000, loop.quit)
    clock.start()
    view.load(QUrl.fromLocalFile(str(path)))
    loop.exec()
    if table is not None and "frame" in marks:
        marks["filters"] = measure_filters(view, table)
    view.deleteLater()  # now, not at exit: a page outliving its profile crashes the interpreter's exit
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401 - load before the QApplication
    from PySide6.QtWidgets import QApplication

    from inspector.core.i18n import translator
    from inspector.core.workspace import Workspace
    from inspector.ui.venue_table import with_keys
    from maps.data import map_data
    from maps.web import build_page

    workspace = args.workspace or full_workspace()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication([])
    out = Path(tempfile.mkdtemp(prefix="map_bench_"))
    tr = translator("vi")
    print(f"workspace {workspace}")
    for run in range(1, args.repeat + 1):
        start = time.perf_counter()
        data = map_data(Workspace.open(workspace))
        t_data = time.perf_counter() - start
        start = time.perf_counter()
        page = build_page(data, tr=tr, lang="vi", bridge=True)
        t_page = time.perf_counter() - start
        standalone = build_page(data, tr=tr, lang="vi", standalone=True)
        path = out / f"map-{run}.html"
        path.write_text(page, encoding="utf-8")

        names = data.units.set_index("code")["name"]
        table = with_keys(data.venues.assign(ward_name=data.venues["ward_code"].map(names)))  # as the window's

        marks = measure_load(path, table)
        print(f"run {run}: {len(data.venues):,} venues | map_data {t_data:.2f} s | build_page {t_page:.2f} s | "
              f"page {len(page.encode()) / 1e6:.2f} MB (standalone {len(standalone.encode()) / 1e6:.2f} MB) | "
              f"QtWebEngine load {marks.get('load', -1) / 1000:.2f} s, interactive "
              f"{marks.get('frame', -1) / 1000:.2f} s ({marks.get('drawn')} venues drawn)")
        for label, t_table, t_pack, call, frames, shown in marks.get("filters", []):
            print(f"  filter {label}: {shown:,} venues on the map | table {t_table:.1f} ms | pack {t_pack:.1f} ms | "
                  f"filterVenues {call:.1f} ms | two frames {frames:.1f} ms")
        app.processEvents()


if __name__ == "__main__":
    main()
