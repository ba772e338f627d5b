"""The venue table with its filter bar (text, category, sign of violation)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core import vocab
from inspector.core.i18n import number
from inspector.ui.language import Language
from inspector.ui.venue_table import COLUMNS, VenueTableModel
from maps.labels import category_labels, signal_labels

#: How long the map waits for the typing in the search box to pause before it follows the table (ms)
MAP_DELAY = 250
#: The columns' widths on first start (the last, the address, stretches): id, name, category, ward, scans, risk, signs
WIDTHS = (100, 260, 150, 150, 110, 60, 280)
#: The column of the signs, which takes half of the room a wide table has beyond these and an address as wide
SIGNS_COLUMN = next(i for i, (name, _) in enumerate(COLUMNS) if name == "signals")


class VenuePanel(QWidget):
    """Emits ``venue_selected(id)`` when the user picks a row."""

    venue_selected = Signal(str)
    #: the ward filter (set from the tree) was dropped with the other filters
    wards_cleared = Signal()
    #: something the user should know happened to the table (filters dropped to show a venue)
    notice = Signal(str)
    #: the venues the map should draw changed (see :meth:`map_filter`); once typing pauses for a search
    map_filter_changed = Signal()

    def __init__(self, lang: Language, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang, self.settings = lang, settings
        self.model = VenueTableModel(lang)
        self.wards: set[str] | None = None
        self.unit_name = ""  # the unit whose wards the table shows
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, self.search.clear)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)  # Esc empties the search, as search boxes do
        self.category = QComboBox()
        self.signal = QComboBox()
        self.count = QLabel()
        self.clear = QToolButton()
        bar = QHBoxLayout()
        for widget in (self.search, self.category, self.signal, self.clear, self.count):
            bar.addWidget(widget)
        bar.setStretch(0, 3)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)  # rows are chosen with the arrows; Tab goes on to the next control
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionsMovable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self._map_timer = QTimer(self)
        self._map_timer.setSingleShot(True)
        self._map_timer.setInterval(MAP_DELAY)
        self._map_timer.timeout.connect(self.map_filter_changed)
        self.search.textChanged.connect(lambda _text: self._apply(map_now=False))
        self.category.currentIndexChanged.connect(self._apply)
        self.signal.currentIndexChanged.connect(self._apply)
        self.clear.clicked.connect(self.clear_filters)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self._restoring = False
        self.retranslate()
        lang.changed.connect(self.retranslate)
        state = settings.value("venue_table/header")
        # the signs column widens with the table (the text an inspector reads, not the address) until
        # the user sizes a column, or the layout they left is restored
        self._fit_signs = state is None
        self._fitting = False
        if state is not None:
            self.view.horizontalHeader().restoreState(state)
        else:
            for column, width in enumerate(WIDTHS):
                self.view.setColumnWidth(column, width)
        self.view.horizontalHeader().sectionResized.connect(self._section_resized)
        self.view.viewport().installEventFilter(self)  # the table's width, once the layout has set it

    def retranslate(self) -> None:
        tr = self.lang.tr
        self.search.setPlaceholderText(tr("Search name, id, address or category…"))
        self.clear.setText(tr("Clear filters"))
        # what each filter does, its first choice ("All venues") saying little of it
        self.search.setToolTip(tr("Venues whose name, id or address contains the text, or of a category it names; "
                                  "accents optional"))
        self.category.setToolTip(tr("Venues of one category only"))
        self.signal.setToolTip(tr("Venues with one sign of violation (among others), with any, or with none"))
        self.clear.setToolTip(tr("Clear the search, the category, the sign and the unit chosen in the tree"))
        self._restoring = True
        keep = self.category.currentData(), self.signal.currentData()
        self.category.clear()
        self.category.addItem(tr("All categories"), None)
        codes = list(vocab.categories())
        for code, text in zip(codes, category_labels(codes, self.lang.code), strict=True):
            self.category.addItem(text, code)
        self.signal.clear()
        self.signal.addItem(tr("All venues"), None)
        self.signal.addItem(tr("With any sign of violation"), "any")
        self.signal.addItem(tr("Without signs"), "none")
        for code, text in signal_labels(tr).items():
            self.signal.addItem(text, code)
        self.category.setCurrentIndex(max(self.category.findData(keep[0]), 0))
        self.signal.setCurrentIndex(max(self.signal.findData(keep[1]), 0))
        self._restoring = False
        self._update_count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if self._fit_signs and watched is self.view.viewport() and isinstance(event, QResizeEvent):
            spare = event.size().width() - sum(WIDTHS) - WIDTHS[SIGNS_COLUMN]
            self._fitting = True
            self.view.setColumnWidth(SIGNS_COLUMN, WIDTHS[SIGNS_COLUMN] + max(0, spare // 2))
            self._fitting = False
        return super().eventFilter(watched, event)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        """A column the user sized (not the stretching address, nor the signs as fitted) ends the fitting."""
        if not self._fitting and column != len(COLUMNS) - 1:
            self._fit_signs = False

    def save_state(self) -> None:
        self.settings.setValue("venue_table/header", self.view.horizontalHeader().saveState())

    def filter_wards(self, wards: set[str] | None, unit_name: str = "") -> None:
        """Show the venues of ``wards`` only (all with ``None``), the wards of the unit ``unit_name``."""
        self.wards, self.unit_name = wards, unit_name if wards is not None else ""
        self._apply()

    def clear_filters(self) -> None:
        self._restoring = True
        self.search.clear()
        self.category.setCurrentIndex(0)
        self.signal.setCurrentIndex(0)
        self._restoring = False
        dropped, self.wards, self.unit_name = self.wards is not None, None, ""
        self._apply()
        if dropped:
            self.wards_cleared.emit()

    def select_venue(self, venue_id: str) -> bool:
        """Select and show the row of ``venue_id``; drop the filters that hide it, and say so.

        Only the unit's when the venue is in another unit and the other filters let it through.
        """
        row = self.model.row_of(venue_id)
        tr = self.lang.tr
        if row is None and self.wards is not None:
            unit, self.wards, self.unit_name = self.unit_name, None, ""
            self._apply()
            self.wards_cleared.emit()  # the tree and the map no longer show one unit either
            row = self.model.row_of(venue_id)
            if row is not None:
                self.notice.emit(tr("The table shows every unit again: the venue chosen is not in {unit}.").format(
                    unit=unit))
        if row is None:
            self.clear_filters()
            row = self.model.row_of(venue_id)
            if row is not None:
                self.notice.emit(tr("The table's filters were cleared to show the venue chosen."))
        if row is None:
            return False
        self._select_row(row, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def map_filter(self) -> str | None:
        """The venues the map should draw, packed for the page; ``None`` for all of them.

        See :meth:`VenueTableModel.map_filter <inspector.ui.venue_table.VenueTableModel.map_filter>`.
        """
        return self.model.map_filter()

    def selected_venue(self) -> str | None:
        index = self.view.selectionModel().currentIndex()
        return self.model.venue_at(index.row()) if index.isValid() else None

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected, so typing replaces the last search."""
        self.search.setFocus()
        self.search.selectAll()

    def _apply(self, map_now: bool = True) -> None:
        """Filter the table now, and tell the map now (``map_now``) or once typing pauses.

        The venue selected stays selected (quietly: the map already shows it) when the filters keep it.
        """
        if self._restoring:
            return
        selected = self.selected_venue()
        self.model.set_filter(text=self.search.text().strip() or None, category=self.category.currentData(),
                              wards=self.wards, signal=self.signal.currentData())
        row = self.model.row_of(selected) if selected is not None else None
        if row is not None:
            self._select_row(row, QAbstractItemView.ScrollHint.EnsureVisible)
        self._update_count()
        if map_now:
            self._map_timer.stop()
            self.map_filter_changed.emit()
        else:
            self._map_timer.start()

    def _select_row(self, row: int, hint: QAbstractItemView.ScrollHint) -> None:
        """Select ``row`` and scroll to it, quietly (the map already shows its venue)."""
        index = self.model.index(row, 0)
        self._restoring = True
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._restoring = False
        self.view.scrollTo(index, hint)

    def _update_count(self) -> None:
        tr, code = self.lang.tr, self.lang.code
        shown, total = number(self.model.shown(), 0, code), number(self.model.total(), 0, code)
        if self.unit_name:  # the table shows one unit's venues: say which
            self.count.setText(tr("{shown} of {total} venues, in {unit}").format(
                shown=shown, total=total, unit=self.unit_name))
        else:
            self.count.setText(tr("{shown} of {total} venues").format(shown=shown, total=total))

    def _row_changed(self, current: object, _previous: object) -> None:
        if self._restoring or not current.isValid():  # type: ignore[attr-defined]
            return
        self.venue_selected.emit(self.model.venue_at(current.row()))  # type: ignore[attr-defined]
