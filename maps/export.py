"""A map exported to files: a self-contained web page and a static PNG, of the whole workspace or of one unit."""

from __future__ import annotations

from pathlib import Path

from inspector.core.errors import Progress
from inspector.core.progress import report
from maps.data import MapData
from maps.labels import Translate


def export_map(data: MapData, html: Path | None, png: Path | None, *, tr: Translate, lang: str, metric: str,
               progress: Progress | None = None) -> list[Path]:
    """Write the web page and/or the PNG of ``data.focus`` (the whole area when ``None``); return the files written.

    The page holds the focus alone; the printed map draws it amid its neighbours, so ``data`` keeps every unit.
    """
    from maps.static import render_png
    from maps.web import build_page

    written = []
    report(progress, 0, 2)
    if html is not None:
        html.write_text(build_page(data.within(data.focus), tr=tr, lang=lang, standalone=True, metric=metric),
                        encoding="utf-8")
        written.append(html)
    report(progress, 1, 2)
    if png is not None:
        render_png(data, png, tr=tr, lang=lang, metric=metric)
        written.append(png)
    report(progress, 2, 2)
    return written
