from __future__ import annotations

import warnings

import matplotlib.image as mpimg
import pytest

from maps.data import map_data
from maps.static import _nice_length, render_png


def tr(text: str) -> str:
    return text


def test_png_renders_and_reopens(data, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = render_png(data, tmp_path / "map.png", tr=tr, lang="vi", dpi=80)
    assert out.is_file() and out.stat().st_size > 20_000
    image = mpimg.imread(out)
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 400
    assert image.std() > 0.05  # not a blank page
    assert not [w for w in caught if "Glyph" in str(w.message)]  # Vietnamese diacritics all in the font


def test_png_inside_focus_with_share_and_title(data, tmp_path):
    data.focus = "902"
    out = render_png(data, tmp_path / "focus.png", tr=tr, lang="en", metric="flagged_share",
                     title="Quận $902$ · tháng 8", dpi=60)
    assert mpimg.imread(out).shape[0] > 200


def test_png_without_population_and_two_tiers(build_data, tmp_path):
    out = render_png(build_data(districts=False, population=False), tmp_path / "p.png", tr=tr, lang="en", dpi=60)
    assert out.stat().st_size > 10_000


def test_png_from_a_workspace_without_scans_says_so(venue_workspace, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    texts: list[str] = []
    save = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **k: (
        texts.extend([fig._suptitle.get_text(), *(legend.get_title().get_text() for legend in fig.legends)]),
        save(fig, *a, **k))[1])
    out = render_png(map_data(venue_workspace), tmp_path / "ws.png", tr=tr, lang="vi", dpi=60)
    assert out.is_file()
    assert texts[0].endswith("· no scan data yet")  # not today's date as a period
    assert texts[1] == "Scans per 1,000 residents per day\n(no scan data yet)"


def test_bad_metric(data, tmp_path):
    with pytest.raises(ValueError, match="metric"):
        render_png(data, tmp_path / "x.png", tr=tr, lang="en", metric="risk")


@pytest.mark.parametrize(("width", "length"), [(9_000, 1_000), (40_000, 5_000), (130_000, 20_000), (3, 1)])
def test_scale_bar_lengths(width, length):
    assert _nice_length(width) == length
