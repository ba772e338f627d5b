"""The "Match columns" dialog: which column of a file holds each field, with the file's first rows to go by."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.core.columns import missing_fields
from inspector.core.importers.matching import Preview
from inspector.core.names import FIELD_NAMES, LOCATION_UNITS, label
from inspector.ui.language import Language

#: More fields than this are laid out in two columns.
ONE_COLUMN = 4
#: The widest a column of the preview starts (the user can widen it).
PREVIEW_COLUMN_WIDTH = 240


class ColumnDialog(QDialog):
    """Choose a column of the file for each field of ``preview.kind``.

    Each field has a combo box of the file's columns (an optional field also "not in this file"),
    preselected with what the columns' names match. The import button is enabled once every
    required field has a column and no column serves two fields; :meth:`columns` is the choice.
    Headers and cells are data: they are shown as plain text only.
    """

    def __init__(self, preview: Preview, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview, self.lang = preview, lang
        tr = lang.tr
        self.setWindowTitle(tr("Match columns"))
        intro = _plain(tr("The columns of “{file}” could not all be recognised by their names. Choose the column that "
                          "holds each field; fields marked * are required. The choice is kept in the workspace for "
                          "files with the same columns.").format(file=preview.file.name))
        self.combos: dict[str, QComboBox] = {}
        self.headings: dict[str, QLabel] = {}
        fields = QGridLayout()
        fields.setHorizontalSpacing(12)
        per_column = len(preview.fields) if len(preview.fields) <= ONE_COLUMN else (len(preview.fields) + 1) // 2
        for i, field in enumerate(preview.fields):
            heading = _plain("")
            heading.setWordWrap(False)  # a short heading on one line, its mark with it
            heading.setToolTip(field)
            self.headings[field] = heading
            combo = self._combo(field)
            heading.setBuddy(combo)
            row, column = i % per_column, 2 * (i // per_column)
            fields.addWidget(heading, row, column)
            fields.addWidget(combo, row, column + 1)
            fields.setColumnStretch(column + 1, 1)
            self.combos[field] = combo
        self.table = self._table()
        self.problem = _plain("")
        self.problem.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Import"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(fields)
        layout.addSpacing(6)
        layout.addWidget(_plain(self._caption()))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._update)
        self._update()
        self._fit_table()
        self.resize(920, layout.totalHeightForWidth(920))

    def columns(self) -> dict[str, str]:
        """The chosen ``{field: column}``, in the order of the fields."""
        chosen = {field: combo.currentData() for field, combo in self.combos.items()}
        return {field: column for field, column in chosen.items() if column is not None}

    def choose(self, field: str, column: str | None) -> None:
        """Select ``column`` (None: none) for ``field``, as the user would."""
        combo = self.combos[field]
        combo.setCurrentIndex(combo.findData(column) if column is not None else 0)

    def _combo(self, field: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem("", None)  # "choose a column" or "not in this file", as the field is needed (see _update)
        for header in self.preview.headers:
            combo.addItem(header, header)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(18)
        found = self.preview.found.get(field)
        if found is not None:
            combo.setCurrentIndex(combo.findData(found))
        return combo

    def _table(self) -> QTableWidget:
        """The file's first rows under its headers, each header saying the field it is chosen for."""
        preview = self.preview
        table = QTableWidget(len(preview.rows), len(preview.headers))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setWordWrap(False)
        table.setVerticalHeaderLabels([str(line) for line in preview.lines])
        for r, row in enumerate(preview.rows):
            for c, cell in enumerate(row):
                item = QTableWidgetItem(cell)  # plain text, whatever the cell holds
                item.setToolTip(_plain_tip(cell))
                table.setItem(r, c, item)
        for c, header in enumerate(preview.headers):
            item = QTableWidgetItem(header)
            item.setToolTip(_plain_tip(header))
            table.setHorizontalHeaderItem(c, item)
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _fit_table(self) -> None:
        """Make the preview tall enough for its rows (and its two-line headers), and no taller."""
        table = self.table
        rows = sum(table.rowHeight(r) for r in range(table.rowCount())) or table.verticalHeader().defaultSectionSize()
        height = (table.horizontalHeader().sizeHint().height() + rows + table.horizontalScrollBar().sizeHint().height()
                  + 2 * table.frameWidth())
        table.setMinimumHeight(height)

    def _caption(self) -> str:
        tr, preview = self.lang.tr, self.preview
        if preview.sheet is not None and preview.header_at is not None:
            return tr("The first rows of the sheet “{sheet}”, below its header (row {row}):").format(
                sheet=preview.sheet, row=preview.header_at)
        if preview.header_at is not None:
            return tr("The first rows of the file, below its header ({unit} {number}):").format(
                unit=label(LOCATION_UNITS, preview.unit, tr), number=preview.header_at)
        return tr("The first rows of the file:")

    def _update(self) -> None:
        """Show each column's field in the preview, and enable the import once the choice is complete."""
        tr = self.lang.tr
        chosen = self.columns()
        fields_of: dict[str, list[str]] = {}
        for field, column in chosen.items():
            fields_of.setdefault(column, []).append(label(FIELD_NAMES[self.preview.kind], field, tr))
        for c, header in enumerate(self.preview.headers):
            names = fields_of.get(header)
            item = self.table.horizontalHeaderItem(c)
            assert item is not None  # set for every column in _table
            item.setText(header + ("\n→ " + ", ".join(names) if names else "\n"))
            font = QFont(self.table.font())
            font.setBold(bool(names))
            item.setFont(font)
        self.table.resizeColumnsToContents()
        for c in range(self.table.columnCount()):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), PREVIEW_COLUMN_WIDTH))
        lacking = missing_fields(self.preview.kind, chosen)
        for field, heading in self.headings.items():  # a required field another one gives is no longer marked
            required = field in self.preview.required and (field in chosen or field in lacking)
            heading.setText(label(FIELD_NAMES[self.preview.kind], field, tr) + (" *" if required else ""))
            self.combos[field].setItemText(0, tr("— choose a column —") if required else tr("— not in this file —"))
            font = QFont(heading.font())
            font.setBold(required)
            heading.setFont(font)
        missing = [label(FIELD_NAMES[self.preview.kind], f, tr) for f in self.preview.required if f in lacking]
        twice = next((column for column, names in fields_of.items() if len(names) > 1), None)
        if missing:
            problem = tr("Choose a column for: {fields}.").format(fields=", ".join(missing))
        elif twice is not None:
            problem = tr("The column “{column}” is chosen for more than one field: {fields}.").format(
                column=twice, fields=", ".join(fields_of[twice]))
        else:
            problem = ""
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)


def _plain(text: str) -> QLabel:
    """A label that shows ``text`` as it is (never as rich text), wrapped."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    return widget


def _plain_tip(text: str) -> str:
    """A tooltip showing ``text`` as it is: Qt renders a tooltip that looks like HTML as HTML."""
    return f"<p style='white-space: pre-wrap'>{html.escape(text)}</p>"
