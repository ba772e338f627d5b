"""The administrative tree (province -> districts -> wards, or any depth the data has)."""

from __future__ import annotations

import math

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from inspector.core.i18n import N_, number
from inspector.core.text import sort_key, strip_unit_prefix
from inspector.ui.language import Language
from maps.figures import population_unknown

#: the figures' headings on short lines, broken where each language keeps its words whole (so the columns are
#: as narrow as their numbers: "Có\ndấu hiệu", never "Có dấu\nhiệu")
COLUMNS = (N_("Unit"), N_("Active\nvenues"), N_("Scans/1,000\nresidents/day"), N_("With\nsigns"))
#: What each column's figure is, as its heading's tooltip says
TIPS = (
    N_("Province, districts and wards, as the imported boundaries nest them."),
    N_("Venues of the unit whose registry status is active."),
    N_("Scans at the unit's venues a day over the period, per 1,000 residents of the unit."),
    N_("Active venues of the unit with at least one sign of violation in the period."),
)
#: The rate's heading and tip when the boundaries give most units no population: per venue, as the map then shows
PER_VENUE = (N_("Scans/\nvenue/day"),
             N_("Scans at the unit's venues a day over the period, per active venue: the boundaries give most "
                "units no population, so scans per 1,000 residents are unknown."))
#: decimals of the figure columns (1 to 3); their raw figure is kept in ``SORT_ROLE``, -1 when missing
DECIMALS = (0, 1, 0)
UNIT_CODE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class UnitTreeModel(QStandardItemModel):
    """One row per unit, children under their parent; the unit code in ``UNIT_CODE_ROLE``."""

    def __init__(self, lang: Language) -> None:
        super().__init__()
        self.lang = lang
        self.descendants: dict[str, set[str]] = {}
        self.per_venue = False  # the rate is scans per venue per day (see PER_VENUE)
        self.setSortRole(SORT_ROLE)
        self.retranslate()
        lang.changed.connect(self.retranslate)

    def retranslate(self) -> None:
        columns, tips = list(COLUMNS), list(TIPS)
        if self.per_venue:
            columns[2], tips[2] = PER_VENUE
        self.setHorizontalHeaderLabels([self.lang.tr(c) for c in columns])
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for column in range(1, len(COLUMNS)):  # over their numbers
            self.setHeaderData(column, Qt.Orientation.Horizontal, right, Qt.ItemDataRole.TextAlignmentRole)
        for column, tip in enumerate(tips):
            self.setHeaderData(column, Qt.Orientation.Horizontal, self.lang.tr(tip), Qt.ItemDataRole.ToolTipRole)
        self._reformat(self.invisibleRootItem())

    def _reformat(self, parent: QStandardItem) -> None:
        """Write every figure again in the current language's number format."""
        for row in range(parent.rowCount()):
            for column, decimals in enumerate(DECIMALS, start=1):
                item = parent.child(row, column)
                if item is not None:
                    item.setText(self._figure(item.data(SORT_ROLE), decimals))
            child = parent.child(row, 0)
            if child is not None:
                self._reformat(child)

    def _figure(self, value: float, decimals: int) -> str:
        return "" if value < 0 else number(value, decimals, self.lang.code)

    def set_units(self, stats: pd.DataFrame) -> None:
        """Fill the tree from unit figures (:func:`inspector.core.stats.unit_stats`)."""
        self.removeRows(0, self.rowCount())
        per_venue = "population" in stats and population_unknown(stats)
        if per_venue != self.per_venue:
            self.per_venue = per_venue
            self.retranslate()
        codes = set(stats["code"])
        children: dict[str | None, list[pd.Series]] = {}
        for _, row in stats.sort_values("name", key=lambda names: names.map(_name_key)).iterrows():
            parent = row["parent_code"] if row["parent_code"] in codes else None
            children.setdefault(parent, []).append(row)
        self.descendants = {}

        def add(parent_item: QStandardItem, rows: list[pd.Series]) -> None:
            for row in rows:
                items = self._items(row)
                parent_item.appendRow(items)
                add(items[0], children.get(row["code"], []))

        add(self.invisibleRootItem(), children.get(None, []))
        for code in codes:
            self.descendants[code] = _below(code, children)

    def _items(self, row: pd.Series) -> list[QStandardItem]:
        if self.per_venue:  # as the map's legend then says too
            density = row["scans_per_day"] / row["venues"] if row["venues"] > 0 else math.nan
        else:
            density = row["scans_per_1000_per_day"]
        keys = [int(row["venues"]), -1.0 if _missing(density) else float(density), int(row["flagged"])]
        cells = [(row["name"], _name_key(row["name"]))]
        cells += [(self._figure(key, decimals), key) for key, decimals in zip(keys, DECIMALS, strict=True)]
        items = []
        for text, key in cells:
            item = QStandardItem(text)
            item.setEditable(False)
            item.setData(row["code"], UNIT_CODE_ROLE)
            item.setData(key, SORT_ROLE)
            if items:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items.append(item)
        return items


def _name_key(name: str) -> str:
    """Units in alphabetical order of their names without the type: Thành phố Huế among the H's."""
    return sort_key(strip_unit_prefix(name)) + "\1" + sort_key(name)


def _below(code: str, children: dict[str | None, list[pd.Series]]) -> set[str]:
    found = {code}
    for row in children.get(code, []):
        found |= _below(row["code"], children)
    return found


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
