"""The price catalog: every entry with its figures, source and as-of date, and the API price
data's version.  Any figure can be overridden for this project: double-click it and type the
client's own quote.  The override is stored in the project file (catalog_overrides), marked in
bold with "(project override)" here and in every picker, and named as the source of each figure
that uses it; "Reset to catalog" removes it.  Edits are undoable like any other.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
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


class CatalogView(QWidget):
    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setAccessibleName("Price catalog")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tables: dict[str, QTableWidget] = {}
        self._delegate = _NumberDelegate(self)
        for name in COLUMNS:
            table = QTableWidget()
            table.setAccessibleName(f"{TITLES[name]} catalog")
            table.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
            )
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
            table.verticalHeader().setVisible(False)
            table.setWordWrap(False)
            table.itemChanged.connect(lambda item, catalog=name: self._edited(catalog, item))
            self.tables[name] = table
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
        self._filling = False
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        overrides = self.document.project.catalog_overrides
        if overrides is self._overrides:
            return
        self._overrides = overrides
        catalogs = catalogs_for(overrides)
        versions = []
        for name, table in self.tables.items():
            catalog: Catalog[Any] = getattr(catalogs, name)
            versions.append(f"{TITLES[name]} {catalog.version}")
            self._fill(table, catalog, name)
        count = sum(len(getattr(overrides, name)) for name in COLUMNS)
        self.note.setText(
            f"Figures in USD as published (converted with the project's exchange rate when "
            f"used). Catalog versions: {', '.join(versions)}. API prices: "
            f"{price_data_version()}. This project overrides {count} entr"
            f"{'y' if count == 1 else 'ies'}."
        )

    def _fill(self, table: QTableWidget, catalog: Catalog[Any], name: str) -> None:
        columns = COLUMNS[name]
        headers = ["Name", "Id", *(title for _, title, _ in columns), "As of", "Source"]
        entries = list(catalog)
        self._filling = True
        try:
            table.clear()
            table.setItemDelegate(QStyledItemDelegate(table))
            table.setColumnCount(len(headers))
            table.setRowCount(len(entries))
            table.setHorizontalHeaderLabels(headers)
            for row, entry in enumerate(entries):
                overridden = catalog.is_overridden(entry.id)
                label = f"{entry.name} (project override)" if overridden else entry.name
                texts = [label, entry.id]
                for column, text in enumerate(texts):
                    self._set(table, row, column, text, entry, overridden, editable=False)
                for offset, (attribute, _, unit) in enumerate(columns):
                    value = getattr(entry, attribute)
                    item = self._set(
                        table,
                        row,
                        FIRST_FIGURE + offset,
                        fmt.number(value, unit),
                        entry,
                        overridden,
                        editable=True,
                    )
                    item.setData(Qt.ItemDataRole.EditRole, float(value))
                    item.setData(Qt.ItemDataRole.DisplayRole, fmt.number(value, unit))
                end = FIRST_FIGURE + len(columns)
                self._set(table, row, end, entry.as_of, entry, overridden, editable=False)
                self._set(table, row, end + 1, entry.source, entry, overridden, editable=False)
            for offset in range(len(columns)):
                table.setItemDelegateForColumn(FIRST_FIGURE + offset, self._delegate)
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
            header.setStretchLastSection(True)
        finally:
            self._filling = False

    @staticmethod
    def _set(
        table: QTableWidget,
        row: int,
        column: int,
        text: str,
        entry: CatalogEntry,
        overridden: bool,
        *,
        editable: bool,
    ) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setData(ENTRY_ROLE, entry.id)
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        item.setFlags(flags)
        item.setToolTip(text if column != 0 else f"{text}\n\n{entry.notes}".strip())
        if overridden:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        table.setItem(row, column, item)
        return item

    def _edited(self, catalog_name: str, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        offset = item.column() - FIRST_FIGURE
        columns = COLUMNS[catalog_name]
        if not 0 <= offset < len(columns):
            return
        attribute = columns[offset][0]
        value = item.data(Qt.ItemDataRole.EditRole)
        problem = self.override(catalog_name, str(item.data(ENTRY_ROLE)), attribute, value)
        self.show_problem(problem)
        if problem is not None:  # put the catalog's figure back
            self._overrides = None
            self.refresh()

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
        table = self.tables[name]
        item = table.currentItem()
        if item is None:
            return
        entry_id = str(item.data(ENTRY_ROLE))
        if entry_id in getattr(self.document.project.catalog_overrides, name):
            problem = self.document.set_field(
                ("catalog_overrides", name, entry_id), None, label="reset override"
            )
            self.show_problem(problem)

    def show_problem(self, problem: str | None) -> None:
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
