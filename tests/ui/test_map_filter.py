"""The map's venue layer draws the venues the table's text, category and sign filters let through."""

import json

import numpy as np
import pytest

from inspector.core.text import fold
from inspector.core.vocab import categories_matching
from tests.ui.conftest import run_js

pytestmark = pytest.mark.webengine

#: what the page says of its venue layer
STATE = ("JSON.stringify({total: inspectorMap.venueCount(), shown: inspectorMap.shownVenueCount(),"
         " drawn: inspectorMap.drawnVenueCount(), note: inspectorMap.filterNote()})")


def state(qtbot, window):
    return json.loads(run_js(qtbot, window.map, STATE))


def radius(qtbot, window, venue_id):
    return json.loads(run_js(qtbot, window.map, f"JSON.stringify(inspectorMap.venueStyle({json.dumps(venue_id)}))"))[
        "radius"]


def shown_on_map(window, mask):
    """How many of the venues flagged in ``mask`` (a row of the table's frame each) the map can draw."""
    frame = window.venues.model._frame
    return int((mask & frame["lat"].notna() & frame["lon"].notna()).sum())


def test_a_category_filter_draws_only_the_venues_the_table_shows_and_clearing_it_draws_all(window, qtbot):
    frame, panel = window.venues.model._frame, window.venues
    total = int(run_js(qtbot, window.map, "inspectorMap.venueCount()"))
    assert state(qtbot, window) == {"total": total, "shown": total, "drawn": total, "note": ""}  # the province
    expected = shown_on_map(window, frame["category"] == "restaurant")
    assert 0 < expected < total
    inside = frame.loc[frame["category"] == "restaurant", "venue_id"].iloc[0]
    outside = frame.loc[frame["category"] != "restaurant", "venue_id"].iloc[0]
    before = radius(qtbot, window, inside)
    panel.category.setCurrentIndex(panel.category.findData("restaurant"))
    qtbot.waitUntil(lambda: state(qtbot, window)["drawn"] == expected, timeout=10_000)
    assert state(qtbot, window) == {"total": total, "shown": expected, "drawn": expected,
                                    "note": f"Showing {expected} of {total} venues (table filter, every unit)"}
    assert run_js(qtbot, window.map, f"inspectorMap.venueDrawn({json.dumps(inside)})") is True
    assert run_js(qtbot, window.map, f"inspectorMap.venueDrawn({json.dumps(outside)})") is False
    # the few venues left are drawn larger, as they would be further in (a filter showing a k-th of the venues:
    # log4(k) zoom levels), so that they read over the colouring
    assert radius(qtbot, window, inside) > before
    # the note shows with the legend folded too, and goes with the venue layer
    assert run_js(qtbot, window.map, "inspectorMap.foldLegend(true) && inspectorMap.legendFolded()") is True
    assert run_js(qtbot, window.map, "document.querySelector('.legend-filter').getBoundingClientRect().height") > 0
    window.menus.layers["venues"].trigger()
    qtbot.waitUntil(lambda: state(qtbot, window)["note"] == "", timeout=10_000)
    window.menus.layers["venues"].trigger()
    qtbot.waitUntil(lambda: state(qtbot, window)["note"] != "", timeout=10_000)

    panel.clear.click()
    qtbot.waitUntil(lambda: state(qtbot, window)["drawn"] == total, timeout=10_000)
    assert state(qtbot, window) == {"total": total, "shown": total, "drawn": total, "note": ""}
    assert radius(qtbot, window, inside) == before


def test_the_unit_chosen_in_the_tree_zooms_the_map_but_filters_no_venue(window, qtbot):
    total = int(run_js(qtbot, window.map, "inspectorMap.venueCount()"))
    district = window.tree_model.index(0, 0, window.tree_model.index(0, 0))
    window.tree.setCurrentIndex(district)
    assert window.venues.model.rowCount() < total  # the page runs scripts in order: this one answers after
    assert state(qtbot, window)["shown"] == total and state(qtbot, window)["note"] == ""
    # with a filter too, the note's count is of every unit, and says so: the table's is of the unit's venues
    frame, panel = window.venues.model._frame, window.venues
    expected = shown_on_map(window, frame["category"] == "restaurant")
    panel.category.setCurrentIndex(panel.category.findData("restaurant"))
    qtbot.waitUntil(lambda: state(qtbot, window)["shown"] == expected, timeout=10_000)
    assert state(qtbot, window)["note"] == f"Showing {expected} of {total} venues (table filter, every unit)"
    assert window.venues.model.rowCount() < expected


def test_a_sign_filter_is_drawn_again_on_a_new_page_and_a_workspace_opened_again_draws_all(window, qtbot):
    frame, panel = window.venues.model._frame, window.venues
    total = int(run_js(qtbot, window.map, "inspectorMap.venueCount()"))
    expected = shown_on_map(window, frame["n_signals"].fillna(0) > 0)
    panel.signal.setCurrentIndex(panel.signal.findData("any"))
    qtbot.waitUntil(lambda: state(qtbot, window)["shown"] == expected, timeout=10_000)

    window.set_language("vi")  # a new page, built in the other language
    qtbot.waitUntil(lambda: window.job is None and window.map.loaded, timeout=60_000)
    qtbot.waitUntil(lambda: state(qtbot, window)["note"] != "", timeout=10_000)
    assert state(qtbot, window) == {"total": total, "shown": expected, "drawn": expected,
                                    "note": f"Đang hiện {expected}/{total} cơ sở (theo bộ lọc của bảng, "
                                            "ở mọi đơn vị)"}
    assert panel.signal.currentData() == "any"

    window.reload()  # the table's filters go with a workspace opened again: the map draws every venue
    qtbot.waitUntil(lambda: window.job is None and window.map.loaded, timeout=60_000)
    qtbot.waitUntil(lambda: state(qtbot, window)["shown"] == total, timeout=10_000)
    assert state(qtbot, window)["note"] == ""


def test_typing_reaches_the_map_once_the_typing_pauses(window, qtbot, monkeypatch):
    sent = []
    send = window.map.filter_venues
    monkeypatch.setattr(window.map, "filter_venues", lambda bits: (sent.append(bits), send(bits)))
    frame, panel = window.venues.model._frame, window.venues
    for typed in ("c", "cà", "cà ", "cà p", "cà ph", "cà phê"):
        panel.search.setText(typed)
        assert window.venues.model.rowCount() < len(frame)  # the table follows every key
    assert sent == []  # the map not yet
    qtbot.waitUntil(lambda: len(sent) == 1, timeout=10_000)
    expected = shown_on_map(window, frame["search"].str.contains(fold("cà phê"), regex=False)
                            | frame["category"].isin(categories_matching("cà phê")))  # by name, or a café
    assert 0 < expected == window.venues.model.rowCount()
    qtbot.waitUntil(lambda: state(qtbot, window)["shown"] == expected, timeout=10_000)
    panel.category.setCurrentIndex(panel.category.findData("cafe"))  # a list's choice goes at once
    assert len(sent) == 2


def test_a_hidden_venue_cannot_be_clicked_and_the_selected_one_stays_drawn(window, qtbot):
    frame, panel, model = window.venues.model._frame, window.venues, window.venues.model
    mapped = frame[frame["lat"].notna() & frame["lon"].notna()]
    shown = mapped[mapped["category"] == "school"]
    hidden = mapped[mapped["category"] != "school"]
    # a hidden venue far from every school, so that a click on it cannot land on one
    far = np.hypot(hidden["lat"].to_numpy()[:, None] - shown["lat"].to_numpy()[None, :],
                   hidden["lon"].to_numpy()[:, None] - shown["lon"].to_numpy()[None, :]).min(axis=1)
    target = str(hidden["venue_id"].iloc[int(np.argmax(far))])
    click = f"""(function (id) {{
      var map = inspectorMap.map, ll = L.latLng({float(hidden.loc[hidden['venue_id'] == target, 'lat'].iloc[0])},
                                              {float(hidden.loc[hidden['venue_id'] == target, 'lon'].iloc[0])});
      map.setView(ll, 17, {{animate: false}});
      var pt = map.latLngToContainerPoint(ll);
      map.fire('click', {{latlng: ll, containerPoint: pt, layerPoint: map.containerPointToLayerPoint(pt)}});
      return String(inspectorMap.selected);
    }})({json.dumps(target)})"""
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.qtBridge !== undefined"), timeout=10_000)
    with qtbot.waitSignal(window.map.venue_clicked, timeout=10_000):  # drawn, it answers a click
        assert run_js(qtbot, window.map, click) == target
    assert panel.selected_venue() == target

    panel.category.setCurrentIndex(panel.category.findData("school"))
    qtbot.waitUntil(lambda: state(qtbot, window)["shown"] == len(shown), timeout=10_000)
    assert run_js(qtbot, window.map, f"inspectorMap.venueDrawn({json.dumps(target)})") is True  # still selected
    assert run_js(qtbot, window.map, "document.querySelectorAll('.leaflet-popup').length") == 1

    window.map.select_venue(None)
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, f"inspectorMap.venueDrawn({json.dumps(target)})") is False,
                    timeout=10_000)
    popups = "document.querySelectorAll('.leaflet-popup').length"
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, popups) == 0, timeout=10_000)  # it fades out
    assert run_js(qtbot, window.map, click) == "null"  # hidden, it is not there to click
    assert run_js(qtbot, window.map, popups) == 0

    model_row = 0  # a venue the filter shows, chosen in the table, is selected on the map as before
    panel.view.setCurrentIndex(model.index(model_row, 1))
    venue = model.venue_at(model_row)
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "inspectorMap.selected") == venue, timeout=10_000)
    assert run_js(qtbot, window.map, f"inspectorMap.venueDrawn({json.dumps(venue)})") is True
