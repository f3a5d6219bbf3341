"""The API model picker: ~2,000 models from the bundled genai-prices data, searchable.

The price data takes a few hundred milliseconds to load, so nothing here touches it until the
person opens the list (or the engine has already loaded it for an evaluation).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.catalog import ApiPrice, api_models, api_models_loaded, price_data_version

_Index = QModelIndex | QPersistentModelIndex


def api_prices_loaded() -> bool:
    """Whether the price data is already in memory (so showing a price costs nothing)."""
    return api_models_loaded()


def api_price_summary(ref: str, *, load: bool = False) -> str:
    """'Provider Model — $0.15 in / $0.60 out per M tokens · checked 2025-01-01' (USD)."""
    if not load and not api_prices_loaded():
        return ""
    price = api_models().get(ref)
    if price is None:
        return f"Not in the bundled price data ({price_data_version()}): type its prices below."
    checked = price.checked or "date not given"
    return (
        f"{price.provider} {price.name}: ${price.input_per_million_usd:,.4g} in / "
        f"${price.output_per_million_usd:,.4g} out per M tokens (USD) · checked {checked}"
    )


class ApiModelTable(QAbstractTableModel):
    """The genai-prices models as rows: provider, model, prices, context window, checked."""

    HEADERS = ("Provider", "Model", "Input $/M", "Output $/M", "Context", "Checked", "Reference")

    def __init__(self, prices: list[ApiPrice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prices = prices

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._prices)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def ref(self, row: int) -> str:
        return self._prices[row].ref

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        price = self._prices[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values: tuple[Any, ...] = (
                price.provider,
                price.name,
                f"{price.input_per_million_usd:,.4g}",
                f"{price.output_per_million_usd:,.4g}",
                "" if price.context_window is None else f"{price.context_window:,}",
                price.checked,
                price.ref,
            )
            return values[column]
        if role == Qt.ItemDataRole.UserRole:  # sort key
            keys: tuple[Any, ...] = (
                price.provider.lower(),
                price.name.lower(),
                price.input_per_million_usd,
                price.output_per_million_usd,
                price.context_window or 0,
                price.checked,
                price.ref,
            )
            return keys[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _Filter(QSortFilterProxyModel):
    """Every word typed must appear somewhere in the row (provider, name or reference)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(Qt.ItemDataRole.UserRole)

    def set_text(self, text: str) -> None:
        # Qt ≥ 6.10 deprecates invalidateFilter() for begin/endFilterChange().
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()
            self._words = text.lower().split()
            self.endFilterChange()
        else:  # pragma: no cover - older Qt within the pinned range
            self._words = text.lower().split()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        haystack = " ".join(str(model.data(model.index(row, c, parent))) for c in (0, 1, 6)).lower()
        return all(word in haystack for word in self._words)


class ApiModelDialog(QDialog):
    """Choose an API model; the filter matches provider, model name and reference."""

    def __init__(self, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose an API model")
        self.resize(820, 520)
        prices = sorted(api_models().values(), key=lambda p: (p.provider.lower(), p.name.lower()))
        self.table_model = ApiModelTable(prices, self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.table_model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter: provider, model or reference (e.g. 'openai mini')")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter API models")
        self.search.textChanged.connect(self.proxy.set_text)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("API models")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setColumnWidth(0, 130)
        self.view.setColumnWidth(1, 240)
        self.view.doubleClicked.connect(self.accept)
        note = QLabel(
            f"Prices in USD per million tokens from {price_data_version()}; converted to the "
            "project currency with its exchange rate. No network access."
        )
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.select(current)
        self.search.setFocus()

    def select(self, ref: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 6)
            if index.data() == ref:
                self.view.selectRow(row)
                self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                return

    def chosen(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            if self.proxy.rowCount() == 1:  # one match left: Enter picks it
                return str(self.proxy.index(0, 6).data())
            return None
        return str(self.proxy.index(rows[0].row(), 6).data())

    @classmethod
    def ask(cls, parent: QWidget | None, current: str) -> str | None:
        """Run the dialog; the chosen 'provider:model', or None (tests monkeypatch this)."""
        dialog = cls(current, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.chosen()
            return None
        finally:
            dialog.deleteLater()


class ApiModelPicker(QWidget):
    """A 'provider:model' reference: typed directly, or chosen from the searchable list."""

    #: A new reference was committed (Enter, leaving the field, or chosen from the list).
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText("provider:model")
        self.line.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.browse = QPushButton("Choose…")
        self.browse.setAccessibleName("Choose an API model from the price list")
        self.browse.setToolTip("Search the bundled genai-prices data (about 2,000 models).")
        self.info = QLabel()
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setWordWrap(True)
        self.info.setEnabled(False)  # secondary text: the style greys it
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.line, 1)
        top.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.info)
        self.setFocusProxy(self.line)
        self._committed = ""
        self.line.editingFinished.connect(self._commit)
        self.browse.clicked.connect(self._choose)

    def value(self) -> str:
        return self.line.text().strip()

    def set_value(self, ref: str) -> None:
        blocked = self.line.blockSignals(True)
        try:
            self.line.setText(ref)
            self.line.setCursorPosition(0)
        finally:
            self.line.blockSignals(blocked)
        self._committed = ref
        self.update_info()

    def update_info(self, *, load: bool = False) -> None:
        text = api_price_summary(self.value(), load=load)
        self.info.setText(text)
        self.info.setVisible(bool(text))

    def _commit(self) -> None:
        if self.value() != self._committed:
            self._committed = self.value()
            self.edited.emit()
            self.update_info()

    def _choose(self) -> None:
        ref = ApiModelDialog.ask(self, self.value())
        if ref:
            blocked = self.line.blockSignals(True)
            self.line.setText(ref)
            self.line.blockSignals(blocked)
            self._commit()
            self.update_info(load=True)
