"""Input widgets the forms are built from: locale-aware numbers, optional numbers, choices,
catalog pickers, and the row that puts a field, its unit and its error message together.

Numbers are typed through :class:`NumberField`, a ``QDoubleSpinBox`` (64-bit: query volumes go
up to 10¹³, beyond ``QSpinBox``'s 32 bits) that parses with the widget's ``QLocale`` — never
``float()`` on widget text — so "1,5" works in a comma-decimal locale.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPaintEvent, QPalette, QValidator, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

#: Digits after the decimal point a non-integer field accepts (the display trims zeros).
FRACTION_DECIMALS = 6
#: Widest a number field asks to be (its size hint would otherwise grow with 10¹⁵ maxima).
NUMBER_FIELD_WIDTH = 130


def format_number(value: float, *, locale_widget: QWidget, decimals: int = 6) -> str:
    """A number as the widget's locale writes it, digits grouped, without trailing zeros."""
    locale = QLocale(locale_widget.locale())
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    text = locale.toString(float(value), "f", decimals)
    return _trim_zeros(text, locale_widget)


def _trim_zeros(text: str, widget: QWidget) -> str:
    locale = widget.locale()
    point = locale.decimalPoint()
    zero = locale.zeroDigit()
    if point and point in text:
        text = text.rstrip(zero)
        if text.endswith(point):
            text = text[: -len(point)]
    return text


class NumberField(QDoubleSpinBox):
    """A spin box for one number: locale-aware, grouped digits, trailing zeros hidden.

    Text outside the allowed range is let through as *intermediate* (instead of the keystroke
    being swallowed) so the form can say what is wrong; it is never committed, and leaving the
    field puts back the last valid value.  The wheel only changes a focused field, so scrolling
    a long form never edits it by accident.
    """

    def __init__(
        self,
        *,
        minimum: float,
        maximum: float,
        integer: bool = False,
        step: float | None = None,
        unit: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._integer = integer
        self.unit = unit
        self.setDecimals(0 if integer else FRACTION_DECIMALS)
        self.setRange(minimum, maximum)
        self.setGroupSeparatorShown(True)
        self.setKeyboardTracking(True)  # every keystroke is a live edit
        self.setAccelerated(True)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        if step is not None:
            self.setSingleStep(step)
        else:
            self.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    # -- text ⇄ value ------------------------------------------------------------------------

    def textFromValue(self, value: float) -> str:
        return _trim_zeros(super().textFromValue(value), self)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        result = super().validate(text, pos)
        if result[0] == QValidator.State.Invalid and self._parse(text) is not None:
            return (QValidator.State.Intermediate, text, pos)
        return result

    def _parse(self, text: str) -> float | None:
        stripped = text.strip()
        for affix in (self.prefix(), self.suffix()):
            if affix:
                stripped = stripped.replace(affix.strip(), "")
        stripped = stripped.strip()
        if not stripped:
            return None
        number, ok = self.locale().toDouble(stripped)
        if not ok or not math.isfinite(number):
            return None
        return float(number)

    def input_problem(self) -> str | None:
        """Why the text typed so far is not a usable value (None when it is)."""
        if self.hasAcceptableInput():
            return None
        number = self._parse(self.cleanText())
        if number is None:
            return "Enter a number."
        low = format_number(self.minimum(), locale_widget=self)
        high = format_number(self.maximum(), locale_widget=self)
        unit = f" {self.unit}" if self.unit else ""
        if number < self.minimum():
            return f"Must be at least {low}{unit} (allowed: {low} – {high}{unit})."
        if number > self.maximum():
            return f"Must be at most {high}{unit} (allowed: {low} – {high}{unit})."
        if self._integer and not number.is_integer():
            return "Must be a whole number."
        return f"Use at most {self.decimals()} decimal places."

    # -- behaviour ---------------------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def sizeHint(self) -> QSize:
        # One width for every number field: the columns line up, and 10¹⁵ maxima do not
        # make the form as wide as their digits.
        return QSize(NUMBER_FIELD_WIDTH, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 90), hint.height())


class OptionalNumberField(QWidget):
    """A number that may be left to the catalog (or the engine): a check box switches between
    "use the catalog's figure" (shown greyed out) and "use my own figure"."""

    #: The person ticked/unticked the box or changed their own figure.
    edited = Signal()

    def __init__(
        self,
        *,
        minimum: float,
        maximum: float,
        unit: str = "",
        own_text: str = "Use my own figure",
        default_text: str = "catalog",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # A bare check box before the number (compact); what it does is in its tooltip.
        self.check = QCheckBox()
        self.check.setAccessibleName(own_text)
        self.check.setToolTip(
            f"{own_text}. Unticked, the {default_text} figure (shown greyed out) is used."
        )
        self.number = NumberField(minimum=minimum, maximum=maximum, unit=unit)
        self._default_text = default_text
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.number)
        self.setFocusProxy(self.number)
        self.check.toggled.connect(self._toggled)
        self.number.valueChanged.connect(self._number_changed)
        self._set_enabled(False)

    def _set_enabled(self, own: bool) -> None:
        self.number.setEnabled(own)
        if own:
            self.number.setSpecialValueText("")

    def _toggled(self, own: bool) -> None:
        self._set_enabled(own)
        if own:
            self.number.setFocus()
        self.edited.emit()

    def _number_changed(self) -> None:
        if self.check.isChecked():
            self.edited.emit()

    def value(self) -> float | None:
        return self.number.value() if self.check.isChecked() else None

    def set_value(self, value: float | None, default: float | None = None) -> None:
        """Show an own figure, or (None) the default the engine will use, greyed out."""
        blockers = (self.check.blockSignals(True), self.number.blockSignals(True))
        try:
            own = value is not None
            self.check.setChecked(own)
            self._set_enabled(own)
            if own:
                self.number.setValue(float(value))  # type: ignore[arg-type]
            elif default is not None and math.isfinite(default):
                self.number.setSpecialValueText("")
                self.number.setValue(_readable(default))
            else:
                self.number.setSpecialValueText(self._default_text)
                self.number.setValue(self.number.minimum())
        finally:
            self.check.blockSignals(blockers[0])
            self.number.blockSignals(blockers[1])

    def shows(self, value: float | None) -> bool:
        if value is None:
            return not self.check.isChecked()
        return self.check.isChecked() and _close(self.number.value(), value)

    def shows_default(self, default: float) -> bool:
        """Whether the greyed number already shows this default."""
        return (
            not self.check.isChecked()
            and not self.number.specialValueText()
            and _close(self.number.value(), _readable(default))
        )


def _readable(value: float) -> float:
    """A greyed default rounded for reading: 2 decimals, or 4 significant digits below 1."""
    if value == 0 or abs(value) >= 1:
        return round(value, 2)
    return round(value, 3 - math.floor(math.log10(abs(value))))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


class ChoiceCombo(QComboBox):
    """A fixed set of choices; each item's data is the value stored in the model."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for text, value in choices:
            self.addItem(text, value)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def value(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)

    def set_value(self, value: str | None) -> None:
        index = self.findData(value)
        if index < 0 and value is not None:  # a value this list does not know: show it anyway
            self.addItem(f"{value} (unknown)", value)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class CatalogPicker(ChoiceCombo):
    """Picks a catalog entry by id.

    The closed box shows the entry's name; the list shows name, key figures and as-of date;
    ``details`` (a label the form puts under the box) repeats the figures of the chosen entry.
    ``entries`` is called on every refresh and returns ``(id, name, figures, tooltip)``, so
    entries a project overrides or adds appear (and are marked) as soon as they exist.
    """

    NAME_ROLE = Qt.ItemDataRole.UserRole + 1
    FIGURES_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(
        self,
        entries: Callable[[], Sequence[tuple[str, str, str, str]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__([], parent)
        self._entries = entries
        self._shown: Sequence[tuple[str, str, str, str]] = ()
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setEnabled(False)  # secondary text: greyed by the style
        self.setMinimumContentsLength(14)
        self.currentIndexChanged.connect(self._update_details)
        self.reload()

    def reload(self) -> None:
        items = self._entries()
        if items is self._shown or items == self._shown:
            return
        current = self.value()
        blocked = self.blockSignals(True)
        try:
            self.clear()
            for entry_id, name, figures, tip in items:
                self.addItem(f"{name} — {figures}", entry_id)
                index = self.count() - 1
                self.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)
                self.setItemData(index, name, self.NAME_ROLE)
                self.setItemData(index, figures, self.FIGURES_ROLE)
            self._shown = items
            if current is not None:
                self.set_value(current)
        finally:
            self.blockSignals(blocked)
        self._update_details()

    def set_value(self, value: str | None) -> None:
        super().set_value(value)
        self._update_details()

    def _update_details(self, _index: int = -1) -> None:
        figures = self.currentData(self.FIGURES_ROLE)
        self.details.setText(str(figures or ""))
        tip = self.currentData(Qt.ItemDataRole.ToolTipRole)
        self.details.setToolTip(str(tip or ""))

    def paintEvent(self, event: QPaintEvent) -> None:
        # The closed box shows only the name (the figures are in the list and below the box).
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        name = self.currentData(self.NAME_ROLE)
        if name:
            option.currentText = str(name)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class FieldRow(QWidget):
    """The field column of one form row: the editor, its unit, and (when refused) the reason."""

    def __init__(self, editor: QWidget, unit: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.unit_template = unit
        self.unit_label = QLabel()
        self.unit_label.setTextFormat(Qt.TextFormat.PlainText)
        self.unit_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.unit_label.setMinimumWidth(0)
        self.range_label = QLabel()
        self.range_label.setTextFormat(Qt.TextFormat.PlainText)
        self.range_label.setWordWrap(True)
        self.range_label.setEnabled(False)  # secondary text: greyed by the style
        self.range_label.setVisible(False)
        self.range_label.setToolTip(
            "The low–high range the uncertainty analysis samples (± in the field edits it). "
            "Editing the likely value keeps the range; a value outside it widens it."
        )
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.error_label.setAccessibleName("Input problem")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(editor)
        if unit:
            top.addWidget(self.unit_label)
        # (No stretch factor: in a box layout it would make every row expanding, and the
        # form would stretch number fields across the pane.)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(top)
        if isinstance(editor, CatalogPicker):
            outer.addWidget(editor.details)
        outer.addWidget(self.range_label)
        outer.addWidget(self.error_label)
        self._outer = outer
        self.setFocusProxy(editor)
        # Lines under the field that should appear while the person is typing in this row
        # wait until the focus leaves it: nothing below jumps under the next click.
        self._pending: set[QWidget] = set()
        self._watching = False

    def typing_here(self) -> bool:
        """Whether the keyboard focus is in this row (the field, or its range rows)."""
        from PySide6.QtWidgets import QApplication

        focus = QApplication.focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))

    def show_below(self, widget: QWidget, visible: bool) -> None:
        """Show or hide a line under the field.  Hiding is immediate; showing waits while the
        focus is in this row (see typing_here) and happens once it has left."""
        if visible and self.typing_here():
            self._pending.add(widget)
            if not self._watching:
                from PySide6.QtWidgets import QApplication

                app = QApplication.instance()
                if isinstance(app, QApplication):
                    app.focusChanged.connect(self._focus_changed)
                    self._watching = True
            return
        self._pending.discard(widget)
        widget.setVisible(visible)

    def is_pending(self, widget: QWidget) -> bool:
        """Shown as soon as the focus leaves the row."""
        return widget in self._pending

    def _focus_changed(self, _old: object, _new: object) -> None:
        if self._pending and not self.typing_here():
            from PySide6.QtCore import QTimer

            # After the event that moved the focus (a click lands where it was aimed).
            QTimer.singleShot(0, self, self._show_pending)

    def _show_pending(self) -> None:
        if self.typing_here():
            return
        for widget in list(self._pending):
            widget.setVisible(True)
        self._pending.clear()

    def add_below(self, widget: QWidget, after: QWidget | None = None) -> None:
        """A widget under the field: right after ``after``, else just above the error message
        (the range editor's note and rows)."""
        if after is not None and self._outer.indexOf(after) >= 0:
            self._outer.insertWidget(self._outer.indexOf(after) + 1, widget)
        else:
            self._outer.insertWidget(self._outer.indexOf(self.error_label), widget)

    def set_currency(self, currency: str) -> None:
        from engine.labels import unit_text

        text = unit_text(self.unit_template, currency)
        if self.unit_label.text() != text:
            self.unit_label.setText(text)

    def set_range(self, text: str) -> None:
        """The estimate's low–high range under the field (hidden when it has none)."""
        if self.range_label.text() != text:
            self.range_label.setText(text)
            self.show_below(self.range_label, bool(text))

    def show_problem(self, message: str | None) -> None:
        """Mark the editor as refused (red border, reason below and in the tooltip) or clear it."""
        mark_invalid(self.editor, message)
        if message:
            self.error_label.setStyleSheet(f"color: {error_colour(self)};")
            self.error_label.setText(message)
        self.error_label.setVisible(bool(message))


def error_colour(widget: QWidget) -> str:
    """A red that reads on the current background (light or dark palette)."""
    window = widget.palette().color(QPalette.ColorRole.Window)
    return "#ff8a80" if window.lightness() < 128 else "#b3261e"


_BASE_TOOLTIP = "_ftrag_base_tooltip"


def mark_invalid(widget: QWidget, message: str | None) -> None:
    """Mark a refused field: the dynamic property ``invalid``, a red-tinted background (from the
    current palette, so it reads in light and dark mode and leaves the native frame and arrows
    alone), and the reason in the tooltip and the accessible description."""
    invalid = bool(message)
    if bool(widget.property("invalid")) == invalid and widget.property("problem") == (
        message or ""
    ):
        return
    base = widget.property(_BASE_TOOLTIP)
    if base is None:
        base = widget.toolTip()
        widget.setProperty(_BASE_TOOLTIP, base)
    widget.setProperty("invalid", invalid)
    widget.setProperty("problem", message or "")
    target = widget.number if isinstance(widget, OptionalNumberField) else widget
    if invalid:
        palette = QPalette(target.palette())
        for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Button):
            palette.setColor(role, _tinted(palette.color(role), error_colour(widget)))
        target.setPalette(palette)
    else:
        target.setPalette(QPalette())  # nothing set explicitly: inherit the window's again
    widget.setToolTip(f"{base}\n\n⚠ {message}" if invalid and base else (message or base))
    description = widget.accessibleDescription()
    marker = " — problem: "
    if marker in description:
        description = description.split(marker)[0]
    widget.setAccessibleDescription(f"{description}{marker}{message}" if invalid else description)


def _tinted(colour: QColor, tint: str, share: float = 0.28) -> QColor:
    red = QColor(tint)
    return QColor(
        round(colour.red() * (1 - share) + red.red() * share),
        round(colour.green() * (1 - share) + red.green() * share),
        round(colour.blue() * (1 - share) + red.blue() * share),
    )
