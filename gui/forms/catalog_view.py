"""The price catalog, read-only: every entry with its figures, source and as-of date, entries
the project overrides marked, and the API price data's version.  (Editing overrides in the app
is a later step; overrides already in a project file are shown and used.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.catalog import Catalog, catalogs_for, price_data_version
from gui.document import ProjectDocument

Column = tuple[str, Callable[[Any], str]]

COLUMNS: dict[str, list[Column]] = {
    "gpus": [
        ("$/GPU-hour", lambda e: f"{e.on_demand_usd_per_hour:,.2f}"),
        ("Memory GB", lambda e: f"{e.memory_gb:g}"),
        ("BF16 TFLOP/s", lambda e: f"{e.peak_bf16_dense_tflops:,.0f}"),
        ("Bandwidth TB/s", lambda e: f"{e.memory_bandwidth_tb_s:g}"),
    ],
    "base_models": [
        ("Parameters (B)", lambda e: f"{e.parameters_billion:g}"),
        ("Context", lambda e: f"{e.context_window_tokens:,}"),
        ("Licence", lambda e: e.license),
    ],
    "vector_stores": [
        ("Minimum $/month", lambda e: f"{e.minimum_monthly_usd:,.2f}"),
        ("Storage $/GB-month", lambda e: f"{e.storage_usd_per_gb_month:g}"),
        ("Reads $/M units", lambda e: f"{e.read_usd_per_million_units:g}"),
        ("Latency ms", lambda e: f"{e.typical_query_latency_ms:g}"),
    ],
    "embedding_models": [
        ("$/M tokens", lambda e: f"{e.usd_per_million_tokens:g}"),
        ("Dimensions", lambda e: f"{e.dimensions}"),
        ("Provider", lambda e: e.provider),
    ],
}
TITLES = {
    "gpus": "GPUs",
    "base_models": "Base models",
    "vector_stores": "Vector stores",
    "embedding_models": "Embedding models",
}


class CatalogView(QWidget):
    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setAccessibleName("Price catalog")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tables: dict[str, QTableWidget] = {}
        for name in COLUMNS:
            table = QTableWidget()
            table.setAccessibleName(f"{TITLES[name]} catalog")
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            table.setWordWrap(False)
            self.tables[name] = table
            self.tabs.addTab(table, TITLES[name])
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs, 1)
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
        for name, table in self.tables.items():
            catalog: Catalog[Any] = getattr(catalogs, name)
            versions.append(f"{TITLES[name]} {catalog.version}")
            self._fill(table, catalog, COLUMNS[name])
        count = sum(len(getattr(overrides, name)) for name in COLUMNS)
        self.note.setText(
            f"Figures in USD as published (converted with the project's exchange rate when "
            f"used). Catalog versions: {', '.join(versions)}. API prices: "
            f"{price_data_version()}. This project overrides {count} entr"
            f"{'y' if count == 1 else 'ies'}; editing overrides in the app comes later."
        )

    @staticmethod
    def _fill(table: QTableWidget, catalog: Catalog[Any], columns: list[Column]) -> None:
        headers = ["Name", "Id", *(c[0] for c in columns), "As of", "Source"]
        entries = list(catalog)
        table.clear()
        table.setColumnCount(len(headers))
        table.setRowCount(len(entries))
        table.setHorizontalHeaderLabels(headers)
        for row, entry in enumerate(entries):
            overridden = catalog.is_overridden(entry.id)
            name = f"{entry.name} (project override)" if overridden else entry.name
            values = [name, entry.id, *(c[1](entry) for c in columns), entry.as_of, entry.source]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text if column != 0 else f"{text}\n\n{entry.notes}".strip())
                if overridden:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(True)
