"""What the venue table says it shows, and which of its filters a venue chosen on the map drops."""

import json

from inspector.ui.unit_tree import UNIT_CODE_ROLE
from tests.ui.conftest import run_js


def _click_on_map(window, qtbot, venue_id):
    qtbot.waitUntil(lambda: run_js(qtbot, window.map, "window.qtBridge !== undefined"), timeout=10_000)
    with qtbot.waitSignal(window.map.venue_clicked, timeout=10_000):
        window.map.page().runJavaScript(f"window.qtBridge.venueClicked({json.dumps(venue_id)})")


def _ward(window, district_row=0, ward_row=0):
    return window.tree_model.index(ward_row, 0, window.tree_model.index(district_row, 0, window.tree_model.index(0, 0)))


def test_the_count_names_the_unit_the_table_shows(window):
    ward = _ward(window)
    window.tree.setCurrentIndex(ward)
    assert window.venues.count.text() == (f"{window.venues.model.rowCount()} of {window.venues.model.total():,} "
                                          f"venues, in {ward.data()}")
    window.lang.set("vi")  # "81/5.000 cơ sở": shorter than "81 trên 5.000 cơ sở", the way lists write it
    total = f"{window.venues.model.total():,}".replace(",", ".")
    assert window.venues.count.text() == f"{window.venues.model.rowCount()}/{total} cơ sở, tại {ward.data()}"
    window.lang.set("en")
    window.venues.clear.click()
    assert window.venues.count.text() == f"{window.venues.model.total():,} of {window.venues.model.total():,} venues"


def test_a_venue_chosen_on_the_map_outside_the_unit_drops_only_the_unit_and_says_so(window, qtbot):
    frame = window.venues.model._frame
    ward = _ward(window)
    code = ward.data(UNIT_CODE_ROLE)
    category = frame.loc[frame["ward_code"] == code, "category"].iloc[0]
    elsewhere = frame.loc[(frame["ward_code"] != code) & (frame["category"] == category), "venue_id"].iloc[0]
    other_kind = frame.loc[frame["category"] != category, "venue_id"].iloc[0]
    window.tree.setCurrentIndex(ward)
    panel = window.venues
    panel.category.setCurrentIndex(panel.category.findData(category))
    _click_on_map(window, qtbot, elsewhere)
    assert panel.selected_venue() == elsewhere and panel.category.currentData() == category  # the category kept
    assert panel.wards is None and not window.tree.currentIndex().isValid()
    assert window.statusBar().currentMessage() == (f"The table shows every unit again: the venue chosen is not in "
                                                   f"{ward.data()}.")
    _click_on_map(window, qtbot, other_kind)  # hidden by the category: every filter goes, said
    assert panel.selected_venue() == other_kind and panel.category.currentIndex() == 0
    assert window.statusBar().currentMessage() == "The table's filters were cleared to show the venue chosen."


def test_a_tall_window_gives_the_venue_table_two_fifths_of_its_height(window):
    assert window.height() >= 900  # the fixture's window
    assert window.table_dock.height() >= window.height() * 2 // 5 - 10


def test_the_search_box_finds_venues_by_their_category_typed_without_accents(qtbot):
    import pandas as pd

    from inspector.ui.language import Language
    from inspector.ui.venue_table import VenueTableModel, with_keys

    frame = pd.DataFrame({"venue_id": ["V1", "V2", "V3"], "name": ["Quán Lan", "An Phú", "Nhà hàng Hoa"],
                          "category": ["cafe", "shop", "restaurant"], "ward_code": "1", "ward_name": "Xã A",
                          "address": "", "scans_per_day": 1.0, "risk": 0, "n_signals": 0, "signals": ""})
    model = VenueTableModel(Language("vi"))
    model.set_frame(with_keys(frame))
    shown = {}
    for text in ("ca phe", "cafe", "ca", "Hoa"):
        model.set_filter(text=text)
        shown[text] = [model.venue_at(r) for r in range(model.rowCount())]
    assert shown == {"ca phe": ["V1"], "cafe": ["V1"], "ca": [], "Hoa": ["V3"]}  # two letters: no category


def test_the_sign_filter_keeps_the_venues_with_that_sign_among_others(qtbot):
    import pandas as pd

    from inspector.ui.language import Language
    from inspector.ui.venue_table import VenueTableModel, with_keys

    signs = ["low_participation,citizen_reports", "", None, "citizen_reports", "no_scans", "sudden_drop,no_scans"]
    frame = pd.DataFrame({"venue_id": [f"V{i}" for i in range(6)], "name": "Quán", "category": "cafe",
                          "ward_code": "1", "ward_name": "Xã A", "address": "", "scans_per_day": 1.0, "risk": 0,
                          "n_signals": [2, 0, 0, 1, 1, 2], "signals": signs})
    model = VenueTableModel(Language("vi"))
    model.set_frame(with_keys(frame))
    shown = {}
    for sign in ("citizen_reports", "no_scans", "cloned_board"):
        model.set_filter(signal=sign)
        shown[sign] = [model.venue_at(r) for r in range(model.rowCount())]
    assert shown == {"citizen_reports": ["V0", "V3"], "no_scans": ["V4", "V5"], "cloned_board": []}


def test_the_venue_selected_stays_selected_when_a_filter_keeps_it(window, qtbot):
    panel = window.venues
    frame = panel.model._frame
    venue = frame.loc[frame["signals"].fillna("").str.contains("citizen_reports"), "venue_id"].iloc[-1]
    assert panel.select_venue(venue)
    panel.signal.setCurrentIndex(panel.signal.findData("citizen_reports"))
    assert panel.selected_venue() == venue  # so a language switch redraws it selected on the map too
    assert panel.view.selectionModel().isRowSelected(panel.model.row_of(venue))
    panel.category.setCurrentIndex(panel.category.findData(
        next(c for c in frame["category"].unique() if c != frame.set_index("venue_id").at[venue, "category"])))
    assert panel.selected_venue() is None  # hidden by the filter: no longer selected


def test_find_venue_shows_the_table_and_selects_the_last_search(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    panel = window.venues
    panel.search.setText("hoang")
    window.table_dock.close()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.table_dock.isVisible()
    assert QApplication.focusWidget() is panel.search and panel.search.selectedText() == "hoang"
    qtbot.keyClicks(panel.search, "lan")
    assert panel.search.text() == "lan"  # typing replaces the last search


def test_a_notice_in_the_status_bar_goes_when_the_language_changes(window, qtbot):
    panel = window.venues
    panel.search.setText("zzz-no-such-venue")
    assert panel.select_venue(panel.model._frame["venue_id"].iloc[0])
    assert window.statusBar().currentMessage() == "The table's filters were cleared to show the venue chosen."
    window.set_language("vi")
    assert window.statusBar().currentMessage() == ""
    qtbot.waitUntil(lambda: window.job is None and window.map.loaded, timeout=60_000)


def test_each_filter_says_what_it_does_in_the_language_chosen(window, qtbot):
    panel = window.venues
    widgets = (panel.search, panel.category, panel.signal, panel.clear)
    english = [w.toolTip() for w in widgets]
    assert all(english) and "unit chosen in the tree" in panel.clear.toolTip()
    window.set_language("vi")
    assert all(w.toolTip() and w.toolTip() != e for w, e in zip(widgets, english, strict=True))
    qtbot.waitUntil(lambda: window.job is None and window.map.loaded, timeout=60_000)


def test_escape_in_the_search_box_empties_it(window, qtbot):
    from PySide6.QtCore import Qt

    panel = window.venues
    panel.focus_search()
    qtbot.keyClicks(panel.search, "ca phe")
    assert panel.model.rowCount() < panel.model.total()
    qtbot.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.search.text() == "" and panel.model.rowCount() == panel.model.total()


def test_a_wide_table_gives_the_signs_its_room_until_the_user_sizes_a_column(qtbot, settings):
    """At 1920 px the signs were cut ("Nhiều ngày không quét, Phản ánh của ngư…") beside an address half empty."""
    from inspector.ui.language import Language
    from inspector.ui.venue_panel import SIGNS_COLUMN, WIDTHS, VenuePanel

    panel = VenuePanel(Language("vi"), settings)
    qtbot.addWidget(panel)
    view = panel.view
    panel.resize(1900, 400)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: view.columnWidth(SIGNS_COLUMN) > WIDTHS[SIGNS_COLUMN] + 200)
    assert view.columnWidth(SIGNS_COLUMN + 1) >= WIDTHS[SIGNS_COLUMN]  # the address keeps as much room
    panel.resize(1300, 400)  # a laptop's: the first widths, the address taking what is left
    qtbot.waitUntil(lambda: view.columnWidth(SIGNS_COLUMN) == WIDTHS[SIGNS_COLUMN])
    view.horizontalHeader().resizeSection(1, 320)  # the user widens the names: the widths are theirs now
    panel.resize(1900, 400)
    qtbot.waitUntil(lambda: view.columnWidth(SIGNS_COLUMN + 1) > 500)
    assert view.columnWidth(SIGNS_COLUMN) == WIDTHS[SIGNS_COLUMN] and view.columnWidth(1) == 320
