"""Low / likely / high for any number in the forms: a small "±" inside the field (or
Ctrl+Shift+R while typing in it) opens rows with Low and High under it (same bounds, unit and
locale as the field) and "Clear".  (Inside the field, not beside it: the forms must fit a
1366×768 screen without scrolling sideways.)

The row is built the first time it is opened (a form has dozens of numbers; most never get a
range).  Every change goes through the document as an undoable command — one per low or high
edit: the spin boxes commit on Enter, on leaving the field and on each arrow step (merged into
one step until the field is left), never on the keystrokes of a half-typed number.  A value the
models refuse (a low above the likely value, a high below it) is marked at that spin box with
the reason; the document keeps its last valid state.

When a new likely value falls outside the range, the document widens the range to include it
(gui.uncertainty.ranges); the note under the field says so until the value changes again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QKeySequence, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.model.base import Estimate
from gui.binding import Binding
from gui.document import ProjectDocument
from gui.forms.fields import (
    FieldRow,
    NumberField,
    OptionalNumberField,
    error_colour,
    format_number,
    mark_invalid,
)

SHORTCUT = "Ctrl+Shift+R"
RANGE_FIELD_WIDTH = 112


class RangeEditor(QObject):
    """The range controls of one estimate row (see the module docstring)."""

    def __init__(self, document: ProjectDocument, binding: Binding, row: FieldRow) -> None:
        super().__init__(row)
        self.document = document
        self.binding = binding
        self.row = row
        widget = binding.widget
        main = widget.number if isinstance(widget, OptionalNumberField) else widget
        assert isinstance(main, NumberField)
        self.main = main
        self.label = binding.label
        self.panel: QWidget | None = None
        self.low: NumberField | None = None
        self.high: NumberField | None = None
        self.problem_label: QLabel | None = None
        self.note: QLabel | None = None
        self._problems: dict[str, str | None] = {"low": None, "high": None}
        self._shown: Any = None
        self._button_state: tuple[bool, bool] | None = None
        self._open = False

        # One action: the ± icon inside the field, and the shortcut while typing in it.
        self.action = QAction(_icon(False, False, self.main), f"Range of {self.label}", self.main)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.triggered.connect(self.toggle)
        self.main.lineEdit().addAction(self.action, QLineEdit.ActionPosition.TrailingPosition)
        self.main.addAction(self.action)  # the spin box, not its line edit, holds the focus

        document.changed.connect(self.refresh)
        document.rangeWidened.connect(self._widened)
        self.refresh()

    # --- state -----------------------------------------------------------------------------

    def estimate(self) -> Estimate | None:
        """The estimate shown (None for an optional figure left to the catalog)."""
        try:
            value = self.document.value_at(self.binding.path)
        except (KeyError, IndexError, AttributeError):
            return None
        return value if isinstance(value, Estimate) else None

    def is_open(self) -> bool:
        return self._open and self.panel is not None

    def note_text(self) -> str:
        """The note under the field (also while it waits for the focus to leave the row)."""
        note = self.note
        if note is None or not (not note.isHidden() or self.row.is_pending(note)):
            return ""
        return note.text()

    # --- opening and closing -----------------------------------------------------------------

    def toggle(self) -> None:
        self.set_open(not self._open)

    def set_open(self, wanted: bool) -> None:
        """Show or hide the Low/High rows (built the first time they are shown)."""
        if wanted and self.estimate() is None:
            wanted = False
        self._open = wanted
        if wanted:
            self._ensure_panel()
            assert self.panel is not None
            assert self.low is not None
            self._show_values(reset=True)
            self.panel.show()
            self.low.setFocus(Qt.FocusReason.OtherFocusReason)
            self.low.selectAll()
        elif self.panel is not None:
            focus = QApplication.focusWidget()
            refocus = focus is not None and self.panel.isAncestorOf(focus)
            self.panel.hide()
            if refocus:
                self.main.setFocus(Qt.FocusReason.OtherFocusReason)
        self._button_state = None
        self._update_button()

    def _ensure_panel(self) -> None:
        if self.panel is not None:
            return
        panel = QWidget()
        panel.setAccessibleName(f"Range of {self.label}")
        panel.setToolTip(
            "Low and high: the plausible range the uncertainty analysis samples around the "
            "likely value (shape: Project → Range distribution)."
        )
        # Low and high under the field, aligned with it, captions after them like units.
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        self.low = self._spin("low")
        self.high = self._spin("high")
        clear = QToolButton()
        clear.setText("Clear")
        clear.setAutoRaise(True)
        clear.setToolTip(f"Clear the range of {self.label}: keep only the likely value.")
        clear.setAccessibleName(f"Clear the range of {self.label}")
        clear.clicked.connect(self.clear_range)
        self.clear_button = clear
        for text, spin, extra in (("low", self.low, None), ("high", self.high, clear)):
            line = QHBoxLayout()
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(6)
            line.addWidget(spin)
            caption = QLabel(text)
            caption.setBuddy(spin)
            line.addWidget(caption)
            if extra is not None:
                line.addWidget(extra)
            line.addStretch(1)
            layout.addLayout(line)
        self.problem_label = QLabel()
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setWordWrap(True)
        self.problem_label.setAccessibleName("Range problem")
        self.problem_label.hide()
        layout.addWidget(self.problem_label)
        panel.hide()
        self.row.add_below(panel)
        self.panel = panel
        QWidget.setTabOrder(self.main, self.low)
        QWidget.setTabOrder(self.low, self.high)
        QWidget.setTabOrder(self.high, clear)

    def _spin(self, end: str) -> NumberField:
        main = self.main
        spin = NumberField(
            minimum=main.minimum(),
            maximum=main.maximum(),
            integer=main.decimals() == 0,
            unit=main.unit,
        )
        spin.setStepType(main.stepType())
        spin.setSingleStep(main.singleStep())
        spin.setKeyboardTracking(False)  # commit a finished number, not every keystroke
        spin.setFixedWidth(RANGE_FIELD_WIDTH)
        spin.setAccessibleName(f"{self.label}, {end} end of the range")
        spin.setToolTip(
            f"{'Lowest' if end == 'low' else 'Highest'} plausible value of {self.label}"
            + (f" ({main.unit})" if main.unit and "money" not in main.unit else "")
            + f". {'At most' if end == 'low' else 'At least'} the likely value."
        )
        spin.valueChanged.connect(lambda _v, e=end: self._commit(e))
        spin.lineEdit().textChanged.connect(lambda _t, e=end: self._text_changed(e))
        spin.editingFinished.connect(self.document.end_edit_burst)
        return spin

    # --- edits -----------------------------------------------------------------------------

    def _spin_for(self, end: str) -> NumberField:
        spin = self.low if end == "low" else self.high
        assert spin is not None
        return spin

    def _commit(self, end: str) -> None:
        spin = self._spin_for(end)
        if spin.signalsBlocked():
            return
        problem = self.document.set_field(
            (*self.binding.path, end), float(spin.value()), label=f"{self.label} ({end})"
        )
        self._mark(end, problem)

    def _text_changed(self, end: str) -> None:
        spin = self._spin_for(end)
        if spin.signalsBlocked():
            return
        problem = spin.input_problem()
        if problem is not None or self._problems[end] is not None:
            self._mark(end, problem)

    def set_low(self, value: float) -> str | None:
        """Set the low end as if typed and committed; returns the refusal reason (tests)."""
        return self._set_end("low", value)

    def set_high(self, value: float) -> str | None:
        return self._set_end("high", value)

    def _set_end(self, end: str, value: float) -> str | None:
        self.set_open(True)
        spin = self._spin_for(end)
        spin.setValue(value)  # → _commit (the document refuses values out of order)
        self.document.end_edit_burst()
        return self._problems[end]

    def clear_range(self) -> None:
        estimate = self.estimate()
        if estimate is None or not estimate.has_range:
            self.set_open(False)
            return
        self.document.set_field(
            self.binding.path, {"likely": estimate.likely}, label=f"range of {self.label}"
        )
        self.document.end_edit_burst()
        self._mark("low", None)
        self._mark("high", None)
        self.set_open(False)

    def _mark(self, end: str, problem: str | None) -> None:
        self._problems[end] = problem
        if self.panel is None:
            return
        mark_invalid(self._spin_for(end), problem)
        assert self.problem_label is not None
        messages = [p for p in self._problems.values() if p]
        if messages:
            self.problem_label.setStyleSheet(f"color: {error_colour(self.panel)};")
            self.problem_label.setText(" ".join(dict.fromkeys(messages)))
        self.problem_label.setVisible(bool(messages))

    # --- document → widgets ------------------------------------------------------------------

    def refresh(self) -> None:
        estimate = self.estimate()
        if estimate is None and self._open:
            self.set_open(False)
        self.action.setEnabled(estimate is not None)
        reset = not self.document.last_change_was_edit
        if estimate is not self._shown:
            self._shown = estimate
            self._set_note("")
        if self.is_open():
            self._show_values(reset=reset)
        self._update_button()

    def _show_values(self, *, reset: bool) -> None:
        estimate = self.estimate()
        if estimate is None or self.low is None or self.high is None:
            return
        for end, spin, number in (
            ("low", self.low, estimate.low),
            ("high", self.high, estimate.high),
        ):
            if self._problems[end] is not None and not reset and spin.hasFocus():
                continue  # being corrected: keep what was typed
            shown = estimate.likely if number is None else number
            if spin.value() != shown or self._problems[end] is not None:
                blocker = QSignalBlocker(spin)
                try:
                    spin.setValue(shown)
                finally:
                    blocker.unblock()
            if self._problems[end] is not None:
                self._mark(end, None)

    def _update_button(self) -> None:
        estimate = self.estimate()
        has_range = estimate is not None and estimate.has_range
        state = (has_range, self._open)
        if state == self._button_state:
            return
        self._button_state = state
        self.action.setIcon(_icon(has_range, self._open, self.main))
        if estimate is None:
            tip = "Tick “use my own figure” to give this number a range."
        elif self._open:
            tip = f"Hide the low–high range of {self.label} ({SHORTCUT})."
        elif has_range:
            tip = f"Edit the low–high range of {self.label} ({SHORTCUT})."
        else:
            tip = f"Give {self.label} a low–high range for the uncertainty analysis ({SHORTCUT})."
        self.action.setToolTip(tip)
        self.action.setText(tip)

    def _widened(self, path: Any, before: Any, after: Any) -> None:
        if tuple(path) != self.document.absolute_path(self.binding.path):
            return
        if not isinstance(before, Estimate) or not isinstance(after, Estimate):
            return
        self._shown = after
        old = self._range_words(before)
        new = self._range_words(after)
        self._set_note(f"Widened to {new} to include the likely value (was {old}).")
        if self.note is not None:
            self.note.setToolTip("Undo restores the likely value and the range together.")
        if self.is_open():
            self._show_values(reset=True)

    def _range_words(self, estimate: Estimate) -> str:
        low = estimate.likely if estimate.low is None else estimate.low
        high = estimate.likely if estimate.high is None else estimate.high
        return (
            f"{format_number(low, locale_widget=self.main)} – "
            f"{format_number(high, locale_widget=self.main)}"
        )

    def _set_note(self, text: str) -> None:
        if not text and self.note is None:
            return
        if self.note is None:
            note = QLabel()
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            note.setAccessibleName("Range note")
            font = QFont(note.font())
            font.setItalic(True)
            note.setFont(font)
            note.hide()  # shown by show_below (which may wait for the focus to leave the row)
            self.row.add_below(note, after=self.row.range_label)
            self.note = note
        if self.note.text() != text:
            self.note.setText(text)
        self.row.show_below(self.note, bool(text))


def range_editor_for(row: FieldRow) -> RangeEditor | None:
    """The range editor attached to a form row, if it has one."""
    editor = row.findChild(RangeEditor)
    return editor if isinstance(editor, RangeEditor) else None


_ICONS: dict[tuple[bool, bool, str], QIcon] = {}


def _icon(has_range: bool, is_open: bool, widget: QWidget) -> QIcon:
    """A "±" drawn in the text colour (bold and in the highlight colour when the number has a
    range; boxed while the range rows are open)."""
    palette = widget.palette()
    text = palette.color(QPalette.ColorRole.Text)
    color = palette.color(QPalette.ColorRole.Highlight) if has_range else QColor(text)
    if not has_range:
        color.setAlpha(150)
    key = (has_range, is_open, color.name(QColor.NameFormat.HexArgb))
    icon = _ICONS.get(key)
    if icon is not None:
        return icon
    size = 32  # drawn at 2× and scaled down by the line edit: crisp on high-dpi screens
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if is_open:
        frame = QColor(color)
        frame.setAlpha(60)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(frame)
        painter.drawRoundedRect(1, 1, size - 2, size - 2, 6, 6)
    font = QFont(widget.font())
    font.setPixelSize(26)
    font.setBold(has_range)
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(pixmap.rect(), int(Qt.AlignmentFlag.AlignCenter), "±")
    painter.end()
    icon = QIcon(pixmap)
    _ICONS[key] = icon
    return icon
