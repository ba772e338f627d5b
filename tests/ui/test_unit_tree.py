"""The administrative tree model on its own (no map, no window)."""

import math

import pandas as pd
from PySide6.QtCore import Qt

from inspector.ui.language import Language
from inspector.ui.unit_tree import UnitTreeModel


def _stats():
    rows = [
        ("1", "Tỉnh Mẫu", None, 4778, 39.0, 815),
        ("11", "Huyện Bình Sơn", "1", 2500, math.nan, 400),
        ("12", "Huyện An Vinh", "1", 2278, 20.25, 415),
    ]
    return pd.DataFrame(rows, columns=["code", "name", "parent_code", "venues", "scans_per_1000_per_day", "flagged"])


def _row(model, *path):
    index = model.index(path[0], 0)
    for row in path[1:]:
        index = model.index(row, 0, index)
    return [model.index(index.row(), c, index.parent()).data() for c in range(model.columnCount())]


def test_figures_follow_a_language_switch(qtbot):
    lang = Language("en")
    model = UnitTreeModel(lang)
    model.set_units(_stats())
    assert _row(model, 0) == ["Tỉnh Mẫu", "4,778", "39.0", "815"]
    lang.set("vi")
    assert _row(model, 0) == ["Tỉnh Mẫu", "4.778", "39,0", "815"]
    assert _row(model, 0, 0) == ["Huyện An Vinh", "2.278", "20,2", "415"]
    assert _row(model, 0, 1)[1:3] == ["2.500", ""]  # a missing figure stays blank
    lang.set("en")
    assert _row(model, 0, 0) == ["Huyện An Vinh", "2,278", "20.2", "415"]


def test_units_sort_in_vietnamese_alphabetical_order(qtbot):
    from PySide6.QtCore import Qt

    rows = [("1", "Tỉnh Mẫu", None, 3, 1.0, 0)] + [
        (str(10 + i), name, "1", 1, 1.0, 0)
        for i, name in enumerate(["Xã Xuân Mậu", "Xã Đông Điền", "Thị trấn Hương Sơn", "Xã Dương Hòa"])]
    stats = pd.DataFrame(rows, columns=["code", "name", "parent_code", "venues", "scans_per_1000_per_day", "flagged"])
    model = UnitTreeModel(Language("vi"))
    model.set_units(stats)
    names = [_row(model, 0, r)[0] for r in range(4)]
    assert names == ["Xã Dương Hòa", "Xã Đông Điền", "Thị trấn Hương Sơn", "Xã Xuân Mậu"]  # by name, not type
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [_row(model, 0, r)[0] for r in range(4)] == names


def test_venue_names_sort_in_vietnamese_alphabetical_order(qtbot):
    from PySide6.QtCore import Qt

    from inspector.ui.venue_table import VenueTableModel, with_keys

    names = ["Quán Xuân", "Quán Đông", "Quán Dung", "Ơn Quán", "Ông Quán"]
    frame = pd.DataFrame({"venue_id": [f"V{i}" for i in range(5)], "name": names, "category": "cafe",
                          "ward_code": "1", "ward_name": "Xã A", "address": "", "scans_per_day": 1.0, "risk": 0,
                          "n_signals": 0, "signals": ""})
    model = VenueTableModel(Language("vi"))
    model.set_frame(with_keys(frame))
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 1).data() for r in range(5)] == ["Ông Quán", "Ơn Quán", "Quán Dung", "Quán Đông",
                                                           "Quán Xuân"]


def test_categories_sort_as_shown_in_each_language_and_sorting_keeps_the_selection(qtbot):
    from PySide6.QtCore import QItemSelectionModel, Qt

    from inspector.ui.venue_table import VenueTableModel, with_keys

    codes = ["agency", "hospital", "market", "cafe"]
    frame = pd.DataFrame({"venue_id": [f"V{i}" for i in range(4)], "name": ["A", "B", "C", "D"], "category": codes,
                          "ward_code": "1", "ward_name": "Xã A", "address": "", "scans_per_day": 1.0, "risk": 0,
                          "n_signals": 0, "signals": ""})
    lang = Language("vi")
    model = VenueTableModel(lang)
    model.set_frame(with_keys(frame))
    selection = QItemSelectionModel(model)
    selection.select(model.index(2, 0), QItemSelectionModel.SelectionFlag.Select)  # V2, the market
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 2).data() for r in range(4)] == [
        "Bệnh viện, cơ sở y tế", "Chợ", "Cơ quan, đơn vị", "Quán cà phê"]
    assert [model.venue_at(i.row()) for i in selection.selectedIndexes()] == ["V2"]
    lang.set("en")  # the order follows the language, the selection stays
    assert [model.index(r, 2).data() for r in range(4)] == ["Agency", "Café", "Hospital / health facility", "Market"]
    assert [model.venue_at(i.row()) for i in selection.selectedIndexes()] == ["V2"]


def test_venues_of_equal_risk_keep_their_order_when_sorted_again(qtbot):
    """Sorted by name, then by risk downwards: each risk's venues by name, before and after a change of language."""
    from PySide6.QtCore import Qt

    from inspector.ui.venue_table import VenueTableModel, with_keys

    frame = pd.DataFrame({"venue_id": [f"V{i}" for i in range(5)], "name": ["E", "B", "D", "A", "C"],
                          "category": "cafe", "ward_code": "1", "ward_name": "Xã A", "address": "",
                          "scans_per_day": [1.0, float("nan"), 2.0, 3.0, 4.0], "risk": [50, 20, 50, 20, 50],
                          "n_signals": 0, "signals": ""})
    lang = Language("vi")
    model = VenueTableModel(lang)
    model.set_frame(with_keys(frame))
    model.sort(1, Qt.SortOrder.AscendingOrder)
    model.sort(5, Qt.SortOrder.DescendingOrder)
    names = ["C", "D", "E", "A", "B"]
    assert [model.index(r, 1).data() for r in range(5)] == names
    lang.set("en")  # sorts again, in the language's order
    assert [model.index(r, 1).data() for r in range(5)] == names
    model.sort(4, Qt.SortOrder.DescendingOrder)  # scans a day: the unknown one last, either way
    assert [model.index(r, 1).data() for r in range(5)] == ["C", "A", "D", "E", "B"]
    model.sort(4, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 1).data() for r in range(5)] == ["E", "D", "A", "C", "B"]


def test_the_figure_headings_say_what_their_figures_are(qtbot):
    from inspector.ui.venue_table import VenueTableModel

    lang = Language("vi")
    tree, table = UnitTreeModel(lang), VenueTableModel(lang)
    tip = Qt.ItemDataRole.ToolTipRole
    horizontal = Qt.Orientation.Horizontal
    assert tree.headerData(2, horizontal, tip).startswith("Số lượt quét tại các cơ sở của đơn vị mỗi ngày")
    risk = [c for c in range(table.columnCount()) if table.headerData(c, horizontal) == "Rủi ro"][0]
    assert "60–100" in table.headerData(risk, horizontal, tip)
    lang.set("en")
    assert tree.headerData(3, horizontal, tip) == (
        "Active venues of the unit with at least one sign of violation in the period.")


def test_without_population_the_rate_is_per_venue_as_on_the_map(qtbot):
    """Boundaries without population (the province's own files): not a column of blanks."""
    stats = _stats().assign(population=math.nan, scans_per_day=[815.0, 250.0, 565.0])
    lang = Language("vi")
    model = UnitTreeModel(lang)
    model.set_units(stats)
    horizontal, tip = Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    assert _heading(model, 2) == "Lượt quét/cơ sở/ngày"
    assert "tính trên một cơ sở đang hoạt động" in model.headerData(2, horizontal, tip)
    assert _row(model, 0) == ["Tỉnh Mẫu", "4.778", "0,2", "815"]
    assert _row(model, 0, 1)[1:3] == ["2.500", "0,1"]
    lang.set("en")
    assert _heading(model, 2) == "Scans/venue/day"
    model.set_units(stats.assign(population=[5000.0, 2000.0, 3000.0]))  # boundaries with population
    assert _heading(model, 2) == "Scans/1,000 residents/day"
    assert _row(model, 0) == ["Tỉnh Mẫu", "4,778", "39.0", "815"]


def _heading(model, column):
    """A heading on one line, as written without its line breaks."""
    return model.headerData(column, Qt.Orientation.Horizontal).replace("\n", " ").replace("/ ", "/")


def test_headings_break_where_each_language_keeps_its_words_whole(qtbot):
    lang = Language("vi")
    model = UnitTreeModel(lang)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (1, 2, 3)] == [
        "Cơ sở\nhoạt động", "Lượt quét/\n1.000 dân/\nngày", "Có\ndấu hiệu"]
    lang.set("en")
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (1, 2, 3)] == [
        "Active\nvenues", "Scans/1,000\nresidents/day", "With\nsigns"]

