""" "Show your work": one figure's value, the formula in words, the inputs and the note.

``show_figure(parent, figure)`` opens a non-modal dialog beside the window (one per window,
reused: clicking another figure replaces its content).  ``figure_text(figure)`` is the same
content as plain text, for the clipboard and for tests.  Every string is shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.model.results import Figure, FigureInput
from engine.model.scenario import STRATEGY_NAMES
from gui import format as fmt
from gui.views.common import (
    HEADER_STYLE,
    ResultTable,
    WrapDelegate,
    ensure_item,
    fit_height,
    follow_palette,
    muted_label,
    plain_label,
)

_ORPHAN_DIALOG: FigureDialog | None = None  # the dialog used when there is no parent window


def input_value(item: FigureInput) -> str:
    """An input's value with its unit, formatted for the locale (text values as they are)."""
    return fmt.quantity(item.value, item.unit)


def figure_text(figure: Figure) -> str:
    """The figure as plain text: label, value, formula, inputs and note."""
    lines = [figure.label, f"= {fmt.figure_value(figure)}", "", f"Formula: {figure.formula}"]
    if figure.inputs:
        lines += ["", "Inputs:"]
        lines += [f"  {item.name}: {input_value(item)}" for item in figure.inputs]
    if figure.note:
        lines += ["", f"Note: {figure.note}"]
    return "\n".join(lines)


class FigureDialog(QDialog):
    """The non-modal "how was this computed" window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureDialog")
        self.setWindowTitle("How this figure was computed")
        self.setModal(False)
        self.setMinimumWidth(460)
        self.resize(560, 420)
        self._figure: Figure | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(8)
        self._context = muted_label("")
        self._context.setAccessibleName("Strategy")
        layout.addWidget(self._context)
        self._label = plain_label()
        self._label.setAccessibleName("Figure")
        font = QFont(self._label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._label.setFont(font)
        layout.addWidget(self._label)
        self._value = plain_label()
        self._value.setAccessibleName("Value")
        value_font = QFont(self._value.font())
        value_font.setPointSizeF(value_font.pointSizeF() * 1.6)
        self._value.setFont(value_font)
        layout.addWidget(self._value)

        layout.addWidget(self._caption("Formula"))
        self._formula = plain_label()
        self._formula.setAccessibleName("Formula")
        layout.addWidget(self._formula)

        self._inputs_caption = self._caption("Inputs")
        layout.addWidget(self._inputs_caption)
        self._inputs = ResultTable(0, 2)
        self._inputs.setAccessibleName("Inputs")
        self._inputs.setHorizontalHeaderLabels(["Input", "Value"])
        self._inputs.verticalHeader().setVisible(False)
        self._inputs.setStyleSheet(HEADER_STYLE)
        self._inputs.setItemDelegate(WrapDelegate(self._inputs))
        self._inputs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self._inputs.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self._inputs)

        self._note = muted_label("")
        self._note.setAccessibleName("Note")
        layout.addWidget(self._note)
        layout.addStretch(1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._close = buttons.button(QDialogButtonBox.StandardButton.Close)
        self._copy = QPushButton("&Copy as text")
        self._copy.setToolTip("Copy the figure, its formula and inputs to the clipboard.")
        buttons.addButton(self._copy, QDialogButtonBox.ButtonRole.ActionRole)
        self._copy.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.addAction(self._copy_action())

    def _copy_action(self) -> QAction:
        """Ctrl+C copies the selected text, or the whole figure when nothing is selected."""
        action = QAction(self)
        action.setShortcut(QKeySequence.StandardKey.Copy)
        action.triggered.connect(self._copy_if_nothing_selected)
        return action

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        return label

    def figure(self) -> Figure | None:
        return self._figure

    def set_figure(self, figure: Figure) -> None:
        self._figure = figure
        self.setWindowTitle(f"How it was computed: {figure.label}")
        strategy = STRATEGY_NAMES.get(figure.key.split(".", 1)[0], "")
        self._context.setText(strategy)
        self._context.setVisible(bool(strategy))
        self._label.setText(figure.label)
        self._value.setText(fmt.figure_value(figure))
        self._formula.setText(figure.formula)
        table = self._inputs
        table.setRowCount(len(figure.inputs))
        for row, item in enumerate(figure.inputs):
            ensure_item(table, row, 0).setText(item.name)
            cell = ensure_item(table, row, 1)
            cell.setText(input_value(item))
            cell.setToolTip("")
        table.resizeRowsToContents()
        fit_height(table)
        has_inputs = bool(figure.inputs)
        table.setVisible(has_inputs)
        self._inputs_caption.setVisible(has_inputs)
        self._note.setText(figure.note)
        self._note.setVisible(bool(figure.note))
        self._close.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            follow_palette(self)
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._inputs.resizeRowsToContents()
        fit_height(self._inputs)

    def text(self) -> str:
        return figure_text(self._figure) if self._figure is not None else ""

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def _copy_if_nothing_selected(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QLabel) and focus.hasSelectedText():
            QGuiApplication.clipboard().setText(focus.selectedText())
        else:
            self.copy_to_clipboard()


def show_figure(parent: QWidget | None, figure: Figure) -> FigureDialog:
    """Show ``figure`` in the window's "how was this computed" dialog (created on first use,
    then reused), without blocking the window."""
    global _ORPHAN_DIALOG
    window = parent.window() if parent is not None else None
    dialog: FigureDialog | None = None
    if window is not None:
        dialog = window.findChild(FigureDialog, "figureDialog")
        if dialog is None:
            dialog = FigureDialog(window)
    else:
        if _ORPHAN_DIALOG is None:
            _ORPHAN_DIALOG = FigureDialog(None)
        dialog = _ORPHAN_DIALOG
    dialog.set_figure(figure)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
