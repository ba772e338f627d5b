"""Offline scripts and stylesheets: installed Leaflet and folium's heat-map script, plus our own ``maps/js``.

Nothing is ever fetched from the network and nothing is copied into the repository: library files are read
from the installed ``xstatic`` packages and folium's wheel, and either linked by ``file://`` URL (a small
page for the app) or inlined (a self-contained page for export).
"""

from __future__ import annotations

import base64
import mimetypes
import re
from functools import cache
from pathlib import Path

import folium
from branca.element import Element, Figure
from xstatic.pkg import leaflet

OWN = Path(__file__).resolve().parent / "js"


class Raw(Element):
    """Text put into the page as it is (no template processing)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


def library_files() -> dict[str, Path]:
    """Name -> installed file of every third-party asset a page may use."""
    base = Path(leaflet.BASE_DIR)
    return {
        "leaflet_css": base / "leaflet.css",
        "leaflet": base / "leaflet.js",
        "leaflet_heat": Path(folium.__file__).resolve().parent / "templates" / "leaflet_heat.min.js",
    }


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _script_safe(code: str) -> str:
    r"""Make code safe inside ``<script>``: ``</script`` becomes ``<\/script`` (the same in JS strings and regexps)."""
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)
    code = code.replace("<!--", "<\\!--")
    return re.sub(r"^//# sourceMappingURL=.*$", "", code, flags=re.MULTILINE)


def _inline_urls(css: str, folder: Path) -> str:
    """Replace the stylesheet's relative ``url(...)`` image references by data URIs."""
    def data_uri(match: re.Match[str]) -> str:
        target = folder / match.group(1).strip("'\"")
        if not target.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(target.read_bytes()).decode('ascii')})"

    return re.sub(r"url\(([^)#:]+)\)", data_uri, css)


def script(name: str, *, inline: bool) -> Raw:
    """Return a ``<script>`` element for library asset ``name`` (see :func:`library_files`)."""
    path = library_files()[name]
    if inline:
        return Raw(f"<script>{_script_safe(_read(path))}</script>")
    return Raw(f'<script src="{path.as_uri()}"></script>')


def stylesheet(name: str, *, inline: bool) -> Raw:
    """Return a stylesheet element for library asset ``name``."""
    path = library_files()[name]
    if inline:
        css = _inline_urls(_read(path), path.parent).replace("</", "<\\/")
        return Raw(f"<style>{css}</style>")
    return Raw(f'<link rel="stylesheet" href="{path.as_uri()}"/>')


def own(name: str) -> Raw:
    """One of our files from ``maps/js`` (``.js`` or ``.css``), always inlined."""
    text = _read(OWN / name)
    if name.endswith(".css"):
        return Raw(f"<style>{text}</style>")
    return Raw(f"<script>{_script_safe(text)}</script>")


def add_to_header(figure: Figure, elements: list[tuple[str, Raw]]) -> None:
    """Append ``elements`` to the page header, in order, under their names."""
    for name, element in elements:
        figure.header.add_child(element, name=name)
