"""The venue table: a model over the core's venue frame, filtered and sorted with pandas."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from inspector.core.i18n import N_, number
from inspector.core.signals import SIGNALS
from inspector.core.text import fold, sort_key
from inspector.core.vocab import categories_matching
from inspector.ui.language import Language
from maps.evidence import explain
from maps.figures import RISK_COLORS, risk_class
from maps.labels import category_labels, signal_labels
from maps.venues import pack_shown

COLUMNS = (
    ("venue_id", N_("Venue id")), ("name", N_("Name")), ("category", N_("Category")),
    ("ward_name", N_("Ward")), ("scans_per_day", N_("Scans/day")), ("risk", N_("Risk")),
    ("signals", N_("Signs of violation")), ("address", N_("Address")),
)
#: What a column holds, as its heading's tooltip says
TIPS = {
    "scans_per_day": N_("All scans at the venue (visitors and staff) a day, over the days of the period since it "
                        "was registered."),
    "risk": N_("0 to 100, from the venue's signs of violation, each counting by its weight and how strong it is: "
               "low 1–29, medium 30–59, high 60–100."),
    "signals": N_("The signs of violation found in the period; point at a cell for the numbers behind each."),
}
RISK_COLUMN = next(i for i, (name, _) in enumerate(COLUMNS) if name == "risk")

NUMBER_COLUMNS = ("scans_per_day", "risk")
#: Text columns whose order is worked out with the table (off the GUI thread): nearly one value per
#: venue. The other text columns have few distinct values, ordered when asked, as displayed.
KEYED_COLUMNS = ("venue_id", "name", "address")

#: Custom item role: the venue id of a row.
VENUE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def ranks(values: pd.Series, shown: Callable[[Any], str] = str) -> np.ndarray:
    """Each row's rank when ``values``, as ``shown``, are put in Vietnamese alphabetical order.

    Works on the distinct values, so a column of a few categories costs next to nothing.
    """
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    keys = np.array([sort_key(shown(u)) for u in uniques], dtype=object)
    unique_rank = np.empty(len(uniques), dtype=np.int64)
    unique_rank[np.argsort(keys, kind="stable")] = np.arange(len(uniques))
    return unique_rank[codes]


def with_keys(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with what filtering and sorting need, computed once, off the GUI thread.

    ``search``: id, name and address folded (see :func:`~inspector.core.text.fold`); ``order_<column>``:
    each row's rank in Vietnamese alphabetical order of a :data:`KEYED_COLUMNS` column.
    """
    table = table.reset_index(drop=True)
    keys = {"search": (table["venue_id"].astype(str) + " " + table["name"].fillna("") + " "
                       + table["address"].fillna("")).map(fold)}
    keys.update({f"order_{name}": ranks(table[name]) for name in KEYED_COLUMNS})
    return table.assign(**keys)


class VenueTableModel(QAbstractTableModel):
    """Rows are venues; filtering and sorting work on the whole frame at once (50,000 rows)."""

    def __init__(self, lang: Language) -> None:
        super().__init__()
        self.lang = lang
        self._frame = with_keys(pd.DataFrame(columns=[c for c, _ in COLUMNS] + ["ward_code", "n_signals",
                                                                                "lat", "lon"]))
        self._rows = np.arange(0)
        self._map_mask: np.ndarray | None = None  # see map_filter
        self._orders: dict[str, np.ndarray] = {}  # see _order
        self._filters: dict[str, Any] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._unit_names: dict[str, str] = {}
        lang.changed.connect(self._relabel)

    # -- own methods -----------------------------------------------------------------------------
    def set_frame(self, frame: pd.DataFrame, unit_names: dict[str, str] | None = None) -> None:
        """Show ``frame``, with its keys from :func:`with_keys`.

        Columns: venue_id, name, category, ward_code, ward_name, address, scans_per_day, risk,
        n_signals, signals, evidence (optional: see :class:`maps.data.MapData`), lat and lon (for
        :meth:`map_filter`), and the search and sort keys. ``unit_names`` (code -> name) names the
        wards the evidence gives by code.
        """
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        self._unit_names = unit_names or {}
        self._orders.clear()
        self._rows = self._filtered()
        self.endResetModel()

    def set_filter(self, *, text: str | None = None, category: str | None = None,
                   wards: set[str] | None = None, signal: str | None = None) -> None:
        """Filter rows. ``signal`` is a signal code, ``"any"``, ``"none"`` or ``None`` (all)."""
        self._filters = {"text": text, "category": category, "wards": wards, "signal": signal}
        self.beginResetModel()
        self._rows = self._filtered()
        self.endResetModel()

    def venue_at(self, row: int) -> str:
        return str(self._frame.at[int(self._rows[row]), "venue_id"])

    def row_of(self, venue_id: str) -> int | None:
        hits = np.flatnonzero(self._frame["venue_id"].to_numpy()[self._rows] == venue_id)
        return int(hits[0]) if len(hits) else None

    def shown(self) -> int:
        return len(self._rows)

    def map_filter(self) -> str | None:
        """The venues the text, category and sign filters let through, packed for the map page.

        See :func:`maps.venues.pack_shown`; ``None`` when none of these filters is set. The ward
        filter is left out: the map zooms to the unit instead.
        """
        return None if self._map_mask is None else pack_shown(self._map_mask, self._frame)

    def total(self) -> int:
        return len(self._frame)

    def _filtered(self) -> np.ndarray:
        f = self._frame
        mask = np.ones(len(f), dtype=bool)
        text, category = self._filters.get("text"), self._filters.get("category")
        wards, signal = self._filters.get("wards"), self._filters.get("signal")
        if text:
            found = f["search"].str.contains(fold(text), regex=False).to_numpy()
            mask &= found | f["category"].isin(categories_matching(text)).to_numpy()
        if category:
            mask &= (f["category"] == category).to_numpy()
        if signal == "any":
            mask &= (f["n_signals"].fillna(0) > 0).to_numpy()
        elif signal == "none":
            mask &= (f["n_signals"].fillna(0) == 0).to_numpy()
        elif signal:
            mask &= ("," + f["signals"].fillna("") + ",").str.contains(f",{signal},", regex=False).to_numpy()
        self._map_mask = mask.copy() if text or category or signal else None
        if wards is not None:
            mask &= f["ward_code"].isin(wards).to_numpy()
        rows = np.flatnonzero(mask)
        if self._sort is not None:
            rows = self._sorted(rows, *self._sort)
        return rows

    def _sorted(self, rows: np.ndarray, column: int, order: Qt.SortOrder) -> np.ndarray:
        """``rows`` sorted by column ``column``, missing values last.

        Rows of equal values keep their order, either way (a stable sort: sorting by name then by risk
        lists each risk's venues by name, and sorting again, as a change of language does, changes nothing).
        """
        rank = pd.Series(self._order(COLUMNS[column][0])[rows]).rank(method="dense").to_numpy()
        if order == Qt.SortOrder.DescendingOrder:
            rank = -rank  # not the ascending order reversed, which turned equal values round at every sort
        return rows[np.argsort(np.nan_to_num(rank, nan=np.inf), kind="stable")]

    def _order(self, name: str) -> np.ndarray:
        """A value per row that sorts column ``name`` as displayed."""
        if name in NUMBER_COLUMNS:
            return self._frame[name].to_numpy()
        if f"order_{name}" in self._frame:
            return self._frame[f"order_{name}"].to_numpy()
        if name not in self._orders:  # few distinct values: cheap, and redone in another language
            self._orders[name] = ranks(self._frame[name], lambda value: self._display(name, value))
        return self._orders[name]

    def _display(self, name: str, value: Any) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return ""
        if name == "category":
            return category_labels([value], self.lang.code)[0]
        if name == "signals":
            names = signal_labels(self.lang.tr)
            return ", ".join(names.get(s, s) for s in _in_order(str(value).split(",")))
        if name == "scans_per_day":
            return number(value, 1, self.lang.code)
        return str(value)

    def _evidence_tip(self, row: int) -> str:
        """Each sign of the venue in ``row`` with the numbers behind it (rich text of escaped text)."""
        found = self._frame.at[row, "evidence"] if "evidence" in self._frame else None
        labels = signal_labels(self.lang.tr)
        if not isinstance(found, dict):
            return f"<p>{html.escape(self._display('signals', self._frame.at[row, 'signals']))}</p>"
        lines = {code: explain(code, *found[code], tr=self.lang.tr, lang=self.lang.code, unit_names=self._unit_names)
                 for code in _in_order(found)}
        return "".join(f"<p><b>{html.escape(labels.get(code, code))}</b><br>{html.escape(line)}</p>"
                       for code, line in lines.items())

    def _relabel(self) -> None:
        self._orders.clear()  # categories and signs read differently now
        if self._sort is not None:
            self.sort(*self._sort)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1))

    # -- Qt model interface ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        name = COLUMNS[index.column()][0]
        value = self._frame.at[int(self._rows[index.row()]), name]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(name, value)
        if role == VENUE_ID_ROLE:
            return self.venue_at(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and name in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if name == "risk" and not pd.isna(value) and value > 0:  # the map's risk colours
            level = int(risk_class(np.array([value]))[0])
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(RISK_COLORS[level]))
            if role == Qt.ItemDataRole.ForegroundRole and level == len(RISK_COLORS) - 1:
                return QBrush(QColor("white"))
        if role == Qt.ItemDataRole.ToolTipRole and name == "signals" and value:
            return self._evidence_tip(int(self._rows[index.row()]))
        if role == Qt.ItemDataRole.ToolTipRole and name in ("name", "address"):
            return f"<p>{html.escape(self._display(name, value))}</p>"  # rich text, but only ever as text
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.lang.tr(COLUMNS[section][1])
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section][0] in TIPS:
            return self.lang.tr(TIPS[COLUMNS[section][0]])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in place: the same rows in another order, so the selection and current row stay."""
        self.layoutAboutToBeChanged.emit()
        before = self._rows
        self._sort = (column, order)
        self._rows = self._sorted(self._rows, column, order)
        position = np.empty(len(self._frame), dtype=np.int64)
        position[self._rows] = np.arange(len(self._rows))
        kept = self.persistentIndexList()
        self.changePersistentIndexList(
            kept, [self.index(int(position[before[i.row()]]), i.column()) for i in kept])
        self.layoutChanged.emit()


def _in_order(codes: Any) -> list[str]:
    """Signal codes in the order the application lists signs (the map's popup too), unknown ones last."""
    known = list(SIGNALS)
    return sorted((c for c in codes if c), key=lambda c: known.index(c) if c in known else len(known))
