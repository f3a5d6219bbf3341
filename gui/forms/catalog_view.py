"""The price catalog: every entry with its figures, source and as-of date, and the API price
data's version.  Any figure can be overridden for this project: double-click it and type the
client's own quote.  The override is stored in the project file (catalog_overrides), marked in
bold with "(project override)" here and in every picker, and named as the source of each figure
that uses it; "Reset to catalog" removes it.  Edits are undoable like any other.

A project may override tens of thousands of entries, so each catalog is a table model that
formats a cell only when the view asks for it (the cells on screen), never a widget per cell.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.catalog import Catalog, catalogs_for, price_data_version, shipped_catalogs
from engine.model.catalog_entries import CatalogEntry
from gui import format as fmt
from gui.document import ProjectDocument, describe_validation_error

# Editable figures per catalog: (attribute, column title, unit shown after the number).
COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "gpus": [
        ("on_demand_usd_per_hour", "USD/GPU-hour", ""),
        ("memory_gb", "Memory", "GB"),
        ("peak_bf16_dense_tflops", "BF16 dense", "TFLOP/s"),
        ("memory_bandwidth_tb_s", "Bandwidth", "TB/s"),
    ],
    "base_models": [
        ("parameters_billion", "Parameters", "B"),
        ("context_window_tokens", "Context", "tokens"),
        ("layers", "Layers", ""),
        ("kv_heads", "KV heads", ""),
    ],
    "vector_stores": [
        ("minimum_monthly_usd", "Minimum USD/month", ""),
        ("fixed_monthly_usd", "Fixed USD/month", ""),
        ("storage_usd_per_gb_month", "USD/GB-month", ""),
        ("read_usd_per_million_units", "USD/M reads", ""),
        ("read_units_per_query", "Reads/query (fixed, or floor)", ""),
        ("typical_query_latency_ms", "Latency", "ms"),
    ],
    "embedding_models": [
        ("usd_per_million_tokens", "USD/M tokens", ""),
        ("dimensions", "Dimensions", ""),
        ("typical_latency_ms", "Latency", "ms"),
    ],
}
TITLES = {
    "gpus": "GPUs",
    "base_models": "Base models",
    "vector_stores": "Vector stores",
    "embedding_models": "Embedding models",
}
FIRST_FIGURE = 2  # columns: name, id, figures…, as of, source
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class _NumberDelegate(QStyledItemDelegate):
    """Edits a figure in a locale-aware spin box with enough decimals for unit prices."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QDoubleSpinBox(parent)
        editor.setDecimals(6)
        editor.setRange(0.0, 1e12)
        editor.setGroupSeparatorShown(True)
        editor.setAccessibleName("Override value")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QDoubleSpinBox)
        editor.setValue(float(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        assert isinstance(editor, QDoubleSpinBox)
        editor.interpretText()
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


# Edits one figure: (catalog, entry id, attribute, value) → the reason when refused, else None.
Editor = Callable[[str, str, str, float], str | None]


class CatalogModel(QAbstractTableModel):
    """One catalog's entries (shipped, with the project's overrides laid over them) as rows:
    name, id, the editable figures, as of, source.  Texts, tooltips and the bold of an
    overridden entry are made per cell when asked for; setting a figure goes through
    ``editor`` (the document's undoable command), never into the model itself."""

    def __init__(self, name: str, editor: Editor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._editor = editor
        self._figures = COLUMNS[name]
        self._headers = ["Name", "Id", *(title for _, title, _ in self._figures), "As of", "Source"]
        self._entries: list[CatalogEntry] = []
        self._overridden: frozenset[str] = frozenset()
        self._bold: QFont | None = None
        self.problem: str | None = None  # the reason the last edit was refused

    def set_catalog(self, catalog: Catalog[Any]) -> None:
        entries: list[CatalogEntry] = list(catalog)
        same_rows = len(entries) == len(self._entries) and all(
            a.id == b.id for a, b in zip(entries, self._entries, strict=True)
        )
        if same_rows and entries:
            # The same entries in the same order (a figure edited or reset): the view keeps
            # its current cell and scroll position and repaints the cells it shows.
            self._entries = entries
            self._overridden = catalog.overridden
            last = self.index(len(entries) - 1, len(self._headers) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._entries = entries
        self._overridden = catalog.overridden
        self.endResetModel()

    def entry(self, row: int) -> CatalogEntry:
        return self._entries[row]

    def row_of(self, entry_id: str) -> int:
        """The row of an entry (-1 when the catalog has none of that id)."""
        return next((r for r, e in enumerate(self._entries) if e.id == entry_id), -1)

    # --- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if index.isValid() and self._figure(index.column()) is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == ENTRY_ROLE:
            return entry.id
        if role == Qt.ItemDataRole.FontRole:
            if entry.id not in self._overridden:
                return None
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        figure = self._figure(column)
        if role == Qt.ItemDataRole.EditRole and figure is not None:
            return float(getattr(entry, figure[0]))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._text(entry, column)
            return text if column != 0 else f"{text}\n\n{entry.notes}".strip()
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        figure = self._figure(index.column()) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or figure is None:
            return False
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.problem = f"{value!r} is not a number"
            return False
        entry = self._entries[index.row()]
        self.problem = self._editor(self.name, entry.id, figure[0], number)
        # On success the document's change resets this model with the new catalog.
        return self.problem is None

    # --- cells ------------------------------------------------------------------------------

    def _figure(self, column: int) -> tuple[str, str, str] | None:
        offset = column - FIRST_FIGURE
        return self._figures[offset] if 0 <= offset < len(self._figures) else None

    def _text(self, entry: CatalogEntry, column: int) -> str:
        if column == 0:
            overridden = entry.id in self._overridden
            return f"{entry.name} (project override)" if overridden else entry.name
        if column == 1:
            return entry.id
        figure = self._figure(column)
        if figure is not None:
            attribute, _, unit = figure
            return fmt.number(getattr(entry, attribute), unit)
        end = FIRST_FIGURE + len(self._figures)
        if column == end:
            return entry.as_of
        if column == end + 1:
            return entry.source
        return ""


class CatalogTable(QTableView):
    """A catalog's table.  Column widths follow the contents of the rows in view and at most
    50 others, measured once when the table is shown after its entries changed (not on every
    layout, which would format thousands of cells each time); the user can resize them."""

    def __init__(self, model: CatalogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._widths_stale = True
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_columns)
        model.modelReset.connect(self._entries_changed)
        header = self.horizontalHeader()
        header.setResizeContentsPrecision(50)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

    def _entries_changed(self) -> None:
        self._widths_stale = True
        if self.isVisible():
            self._fit_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._widths_stale:
            self._fit_timer.start()

    def _fit_columns(self) -> None:
        if not self.isVisible():
            return
        self._widths_stale = False
        last = self.model().columnCount() - 1
        for column in range(last):  # the last (the source) takes the rest of the width
            self.resizeColumnToContents(column)


class CatalogView(QWidget):
    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setAccessibleName("Price catalog")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tables: dict[str, CatalogTable] = {}
        self.models: dict[str, CatalogModel] = {}
        for name in COLUMNS:
            model = CatalogModel(name, self._edit, self)
            table = CatalogTable(model)
            table.setAccessibleName(f"{TITLES[name]} catalog")
            table.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
            )
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
            table.verticalHeader().setVisible(False)
            # Every row the same height: the view never measures rows it does not show.
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            table.setWordWrap(False)
            # One delegate per table: a delegate's commitData goes to every view it serves.
            delegate = _NumberDelegate(table)
            for offset in range(len(COLUMNS[name])):
                table.setItemDelegateForColumn(FIRST_FIGURE + offset, delegate)
            self.tables[name] = table
            self.models[name] = model
            self.tabs.addTab(table, TITLES[name])
        self.reset_button = QPushButton("Reset to Catalog")
        self.reset_button.setToolTip("Remove this project's override of the selected entry")
        self.reset_button.clicked.connect(self.reset_selected)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        hint = QLabel("Double-click a figure to override it for this project.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.note)
        self._overrides: object = None
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        overrides = self.document.project.catalog_overrides
        if overrides is self._overrides:
            return
        self._overrides = overrides
        catalogs = catalogs_for(overrides)
        versions = []
        for name, model in self.models.items():
            catalog: Catalog[Any] = getattr(catalogs, name)
            versions.append(f"{TITLES[name]} {catalog.version}")
            model.set_catalog(catalog)
        count = sum(len(getattr(overrides, name)) for name in COLUMNS)
        self.note.setText(
            f"Figures in USD as published (converted with the project's exchange rate when "
            f"used). Catalog versions: {', '.join(versions)}. API prices: "
            f"{price_data_version()}. This project overrides {count:,} entr"
            f"{'y' if count == 1 else 'ies'}."
        )

    def _edit(self, catalog_name: str, entry_id: str, attribute: str, value: float) -> str | None:
        """A figure typed into a table: overridden, or the reason shown (the table keeps
        showing the catalog's figure, since the model only ever shows the document's)."""
        problem = self.override(catalog_name, entry_id, attribute, value)
        self.show_problem(problem)
        return problem

    def override(
        self, catalog_name: str, entry_id: str, attribute: str, value: float
    ) -> str | None:
        """Override one figure of one entry for this project; the reason when refused."""
        catalog: Catalog[Any] = getattr(
            catalogs_for(self.document.project.catalog_overrides), catalog_name
        )
        entry = catalog.get(entry_id)
        if getattr(entry, attribute) == value:
            return None
        shipped: Catalog[Any] = getattr(shipped_catalogs(), catalog_name)
        original = shipped.entries.get(entry_id, entry)
        data = entry.model_dump()
        data[attribute] = value
        data["as_of"] = date.today().isoformat()
        data["source"] = f"Overridden in this project (catalog: {original.source})"[:2000]
        try:
            edited = type(entry).model_validate(data)
        except ValidationError as exc:
            return describe_validation_error(exc)
        return self.document.set_field(
            ("catalog_overrides", catalog_name, entry_id), edited, label=f"{entry.name} override"
        )

    def reset_selected(self) -> None:
        name = list(COLUMNS)[self.tabs.currentIndex()]
        index = self.tables[name].currentIndex()
        if not index.isValid():
            return
        entry_id = str(index.data(ENTRY_ROLE))
        if entry_id in getattr(self.document.project.catalog_overrides, name):
            problem = self.document.set_field(
                ("catalog_overrides", name, entry_id), None, label="reset override"
            )
            self.show_problem(problem)

    def show_problem(self, problem: str | None) -> None:
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
