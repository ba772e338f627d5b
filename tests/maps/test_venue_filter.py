"""The table's filter reaches the page as a flag per venue of its layer, packed, and the page can say so."""

import base64
import dataclasses

import numpy as np
import pytest

from inspector.core.i18n import translator
from maps.venues import on_map, pack_shown
from maps.web import build_page
from tests.maps.test_map_page import page, venue_json


def unpack(bits: str, n: int) -> list[bool]:
    return np.unpackbits(np.frombuffer(base64.b64decode(bits), dtype=np.uint8), bitorder="little")[:n].astype(
        bool).tolist()


def test_flags_follow_the_layer_s_order_and_skip_venues_without_coordinates(data):
    venues = data.venues.copy()
    venues.loc[[2, 5], "lat"] = np.nan  # not on the map, whatever their flags
    ids = venue_json(page(dataclasses.replace(data, venues=venues)))[1]["id"]
    assert len(ids) == 14 and ids == venues.loc[on_map(venues), "venue_id"].tolist()
    shown = np.zeros(len(venues), dtype=bool)
    shown[[0, 2, 3, 9, 15]] = True  # V00, V10 (off the map), V11, V41, V71
    bits = pack_shown(shown, venues)
    assert len(base64.b64decode(bits)) == 2  # 14 flags, two bytes
    assert [ids[i] for i, flag in enumerate(unpack(bits, len(ids))) if flag] == ["V00", "V11", "V41", "V71"]


def test_flags_for_another_number_of_venues_are_refused(data):
    with pytest.raises(ValueError, match="15 flags for 16 venues"):
        pack_shown(np.ones(15, dtype=bool), data.venues)


def test_fifty_thousand_flags_stay_small():
    import pandas as pd

    venues = pd.DataFrame({"lat": np.full(50_000, 16.4), "lon": np.full(50_000, 107.5)})
    assert len(pack_shown(np.random.default_rng(1).random(50_000) < 0.5, venues)) == 8_336


def test_the_page_has_the_filter_and_its_note_in_its_language(data):
    text = build_page(data, tr=translator("vi"), lang="vi")
    assert "api.filterVenues" in text and "api.shownVenueCount" in text
    assert '"filtered":"Đang hiện {shown}/{total} cơ sở (theo bộ lọc của bảng, ở mọi đơn vị)"' in text
