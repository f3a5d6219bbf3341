"""A thin two-way binder between form widgets and the :class:`~gui.document.ProjectDocument`.

The idea is napari's ``connect_setattr`` / ``attr_to_settr`` pair, written for an immutable,
undoable document:

* widget → document: the widget's edit signal calls ``document.set_field(path, value)``; a value
  the models refuse is marked *at the field* (red border, reason below it and in the tooltip)
  and nothing else happens — the document keeps its last valid state, nothing raises;
* document → widget: on every change the binder puts model values into widgets that show
  something else, with the widget's signals blocked (``QSignalBlocker``) so nothing echoes back.
  A field the person is in the middle of correcting keeps their text, unless the change is an
  undo/redo, a scenario switch or a newly opened project, which reset every field.

Each kind of widget is wrapped in a small adapter that knows its edit signal, how to read it
and how to show a model value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, QSignalBlocker
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from engine.model.base import Estimate
from gui.document import ProjectDocument
from gui.forms.api_models import ApiModelPicker
from gui.forms.fields import (
    CatalogPicker,
    ChoiceCombo,
    FieldRow,
    NumberField,
    OptionalNumberField,
    format_number,
    mark_invalid,
)


class Adapter(Protocol):
    @property
    def widget(self) -> QWidget:
        """The widget the person edits."""

    def connect(self, commit: Callable[[], None], finished: Callable[[], None]) -> None:
        """Call ``commit`` on every edit and ``finished`` when an edit burst ends."""

    def get(self) -> Any:
        """The value the widget holds, in model terms."""

    def show(self, value: Any) -> None:
        """Display a model value (called with the widget's signals blocked)."""

    def shows(self, value: Any) -> bool:
        """Whether the widget already displays ``value``."""


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _likely(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, Estimate):
        return value.likely
    return float(value)


class _TextState:
    """One commit per keystroke for a number typed into a spin box.

    A keystroke fires both the line edit's ``textChanged`` and (for acceptable text that
    changes the number) the spin box's ``valueChanged``.  The value signal commits; the text
    signal only explains intermediate text, and commits only what the value signal did not:
    acceptable text back to the value already committed (which clears the field's mark) or a
    value that changed without a value signal."""

    def __init__(self) -> None:
        self.committed: float | None = None
        self.problem_shown = False

    def commit(self, value: float | None, commit: Callable[[], None]) -> None:
        self.committed = value
        self.problem_shown = False
        commit()

    def shown(self, value: float | None) -> None:
        self.committed = value

    def changed(
        self,
        problem: str | None,
        value: float | None,
        commit: Callable[[], None],
        explain: Callable[[str | None], None],
    ) -> None:
        if problem is not None:
            self.problem_shown = True
            explain(problem)
        elif self.problem_shown or value != self.committed:
            self.commit(value, commit)


class NumberAdapter:
    """A :class:`NumberField` bound to a number (an Estimate's ``likely`` or a plain float)."""

    def __init__(self, widget: NumberField) -> None:
        self.widget = widget
        self.on_text_problem: Callable[[str | None], None] = lambda _problem: None
        self._text = _TextState()

    def connect(self, commit: Callable[[], None], finished: Callable[[], None]) -> None:
        self.widget.valueChanged.connect(lambda _value: self._text.commit(self.get(), commit))
        # The spin box's own textChanged fires only for acceptable text; its line edit's fires
        # for every keystroke, including the intermediate text this adapter has to explain.
        self.widget.lineEdit().textChanged.connect(lambda _text: self._text_changed(commit))
        self.widget.editingFinished.connect(finished)

    def _text_changed(self, commit: Callable[[], None]) -> None:
        if self.widget.signalsBlocked():  # the binder is showing a document value
            return
        self._text.changed(self.widget.input_problem(), self.get(), commit, self.on_text_problem)

    def get(self) -> float:
        return float(self.widget.value())

    def show(self, value: Any) -> None:
        number = _likely(value)
        if number is not None:
            self.widget.setValue(number)
            self._text.shown(self.get())

    def shows(self, value: Any) -> bool:
        number = _likely(value)
        if number is None:
            return False
        shown = self.widget.value()
        # A value with more decimals than the field keeps shows as its rounding.
        rounded = round(number, self.widget.decimals())
        return _same_number(shown, number) or _same_number(shown, rounded)


class OptionalNumberAdapter:
    """An :class:`OptionalNumberField`: None = the catalog's (or engine's) figure."""

    def __init__(
        self, widget: OptionalNumberField, default: Callable[[], float | None] | None = None
    ) -> None:
        self.widget = widget
        self.default = default
        self.on_text_problem: Callable[[str | None], None] = lambda _problem: None
        self._text = _TextState()

    def connect(self, commit: Callable[[], None], finished: Callable[[], None]) -> None:
        self.widget.edited.connect(lambda: self._text.commit(self.get(), commit))
        self.widget.number.lineEdit().textChanged.connect(lambda _text: self._text_changed(commit))
        self.widget.check.toggled.connect(lambda _on: finished())
        self.widget.number.editingFinished.connect(finished)

    def _text_changed(self, commit: Callable[[], None]) -> None:
        if not self.widget.check.isChecked() or self.widget.number.signalsBlocked():
            return
        problem = self.widget.number.input_problem()
        self._text.changed(problem, self.get(), commit, self.on_text_problem)

    def get(self) -> float | None:
        return self.widget.value()

    def show(self, value: Any) -> None:
        number = _likely(value)
        default = self.default() if number is None and self.default is not None else None
        self.widget.set_value(number, default)
        self._text.shown(self.get())

    def shows(self, value: Any) -> bool:
        number = _likely(value)
        if number is None:  # the greyed default is kept current by refresh_default()
            return not self.widget.check.isChecked()
        return self.widget.shows(number)

    def refresh_default(self) -> None:
        """Show the current default (catalog or computed figure) if it changed."""
        if self.widget.check.isChecked() or self.default is None:
            return
        default = self.default()
        if default is None or not self.widget.shows_default(default):
            self.widget.set_value(None, default)


class ChoiceAdapter:
    """A :class:`ChoiceCombo` (enums) or :class:`CatalogPicker` (catalog ids)."""

    def __init__(self, widget: ChoiceCombo) -> None:
        self.widget = widget

    def connect(self, commit: Callable[[], None], finished: Callable[[], None]) -> None:
        def chosen(_index: int) -> None:
            commit()
            finished()

        self.widget.currentIndexChanged.connect(chosen)

    def get(self) -> str | None:
        return self.widget.value()

    def show(self, value: Any) -> None:
        if isinstance(self.widget, CatalogPicker):
            self.widget.reload()
        self.widget.set_value(None if value is None else str(value))

    def shows(self, value: Any) -> bool:
        if isinstance(self.widget, CatalogPicker):
            self.widget.reload()
        return self.widget.value() == (None if value is None else str(value))


class CheckAdapter:
    def __init__(self, widget: QCheckBox) -> None:
        self.widget = widget

    def connect(self, commit: Callable[[], None], finished: Callable[[], None]) -> None:
        def toggled(_on: bool) -> None:
            commit()
            finished()

        self.widget.toggled.connect(toggled)

    def get(self) -> bool:
        return self.widget.isChecked()

    def show(self, value: Any) -> None:
        self.widget.setChecked(bool(value))

    def shows(self, value: Any) -> bool:
        return self.widget.isChecked() == bool(value)


class TextAdapter:
    """A one-line text (QLineEdit): every keystroke is an edit; one typing burst, one undo."""

    def __init__(self, widget: QLineEdit) -> None:
        self.widget = widget

    def connect(self, commit: Callable[[], None], finished: Callable[[], None]) -> None:
        self.widget.textEdited.connect(lambda _text: commit())
        self.widget.editingFinished.connect(finished)

    def get(self) -> str:
        return self.widget.text()

    def show(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))
        self.widget.setCursorPosition(0)

    def shows(self, value: Any) -> bool:
        return self.widget.text() == ("" if value is None else str(value))


class _FocusOut(QObject):
    def __init__(self, callback: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._callback()
        return False


class PlainTextAdapter:
    """Multi-line text (QPlainTextEdit), shown and stored as plain text — never as markup."""

    def __init__(self, widget: QPlainTextEdit) -> None:
        self.widget = widget

    def connect(self, commit: Callable[[], None], finished: Callable[[], None]) -> None:
        self.widget.textChanged.connect(commit)
        self.widget.installEventFilter(_FocusOut(finished, self.widget))

    def get(self) -> str:
        return self.widget.toPlainText()

    def show(self, value: Any) -> None:
        self.widget.setPlainText("" if value is None else str(value))

    def shows(self, value: Any) -> bool:
        return self.widget.toPlainText() == ("" if value is None else str(value))


class ApiModelAdapter:
    def __init__(self, widget: ApiModelPicker) -> None:
        self.widget = widget

    def connect(self, commit: Callable[[], None], finished: Callable[[], None]) -> None:
        def edited() -> None:
            commit()
            finished()

        self.widget.edited.connect(edited)

    def get(self) -> str:
        return self.widget.value()

    def show(self, value: Any) -> None:
        self.widget.set_value("" if value is None else str(value))

    def shows(self, value: Any) -> bool:
        return self.widget.value() == ("" if value is None else str(value))


def adapter_for(widget: QWidget) -> Adapter:
    """The adapter for a widget of a known kind."""
    if isinstance(widget, NumberField):
        return NumberAdapter(widget)
    if isinstance(widget, OptionalNumberField):
        return OptionalNumberAdapter(widget)
    if isinstance(widget, ChoiceCombo):
        return ChoiceAdapter(widget)
    if isinstance(widget, QCheckBox):
        return CheckAdapter(widget)
    if isinstance(widget, QLineEdit):
        return TextAdapter(widget)
    if isinstance(widget, QPlainTextEdit):
        return PlainTextAdapter(widget)
    if isinstance(widget, ApiModelPicker):
        return ApiModelAdapter(widget)
    raise TypeError(f"no adapter for {type(widget).__name__}")


@dataclass
class Binding:
    """One widget bound to one path in the document."""

    path: tuple[str | int, ...]
    adapter: Adapter
    label: str
    row: FieldRow | None = None
    #: True when the path's value is an Estimate: numbers are written to its ``likely``.
    estimate: bool = False
    #: Extra words shown under a refused value (e.g. the expected form of a currency code).
    hint: str = ""
    problem: str | None = field(default=None, init=False)
    #: The model value last shown (identity): immutable snapshots reuse unchanged values, so
    #: "is" tells cheaply that a widget is already up to date.
    shown: Any = field(default=None, init=False)

    @property
    def widget(self) -> QWidget:
        return self.adapter.widget

    def edit(self, value: Any) -> tuple[tuple[str | int, ...], Any]:
        """The document path and value for a widget value."""
        if self.estimate and value is not None:
            return (*self.path, "likely"), value
        return self.path, value


class UndoShortcutFilter(QObject):
    """Make Ctrl+Z / Ctrl+Shift+Z in a field undo the *document* (the form edit is already
    committed on every keystroke), instead of the field's private text undo
    (the field's ShortcutOverride would otherwise win)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            for standard in (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo):
                if event.matches(standard):
                    event.ignore()  # not the field's: let the window's Undo/Redo action have it
                    return True
        return False


class Binder(QObject):
    """Binds widgets to document paths (see the module docstring)."""

    def __init__(self, document: ProjectDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.bindings: list[Binding] = []
        self._undo_filter = UndoShortcutFilter(self)
        self._currency = ""
        document.changed.connect(self.refresh)
        document.evaluated.connect(self._refresh_defaults)
        self.after_refresh: list[Callable[[], None]] = []

    def bind(
        self,
        path: Sequence[str | int],
        widget: QWidget,
        *,
        label: str,
        row: FieldRow | None = None,
        estimate: bool = False,
        hint: str = "",
        adapter: Adapter | None = None,
    ) -> Binding:
        binding = Binding(
            tuple(path), adapter or adapter_for(widget), label, row, estimate=estimate, hint=hint
        )
        binding.adapter.connect(
            lambda: self._commit(binding), lambda: self.document.end_edit_burst()
        )
        if isinstance(binding.adapter, NumberAdapter | OptionalNumberAdapter):
            binding.adapter.on_text_problem = lambda problem: self._mark(binding, problem)
        for target in self._editors(widget):
            target.installEventFilter(self._undo_filter)
        if row is not None:
            row.set_currency(self.document.project.currency)
        self.bindings.append(binding)
        self._show(binding, reset=True)
        return binding

    @staticmethod
    def _editors(widget: QWidget) -> list[QWidget]:
        if isinstance(widget, NumberField):
            return [widget, widget.lineEdit()]
        if isinstance(widget, OptionalNumberField):
            return [widget.number, widget.number.lineEdit()]
        if isinstance(widget, ApiModelPicker):
            return [widget.line]
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            return [widget]
        return []

    # --- widget → document --------------------------------------------------------------

    def _commit(self, binding: Binding) -> None:
        path, value = binding.edit(binding.adapter.get())
        problem = self.document.set_field(path, value, label=binding.label)
        self._mark(binding, problem)

    def _mark(self, binding: Binding, problem: str | None) -> None:
        if problem and binding.hint:
            problem = (
                f"{problem}. {binding.hint}"
                if not problem.endswith(".")
                else (f"{problem} {binding.hint}")
            )
        if problem == binding.problem:
            return
        binding.problem = problem
        if binding.row is not None:
            binding.row.show_problem(problem)
        else:
            mark_invalid(binding.widget, problem)

    # --- document → widget --------------------------------------------------------------

    def refresh(self) -> None:
        """Show the document's values. After a form edit, a field still being corrected keeps
        its text; after undo/redo/load/switch every field shows the document."""
        reset = not self.document.last_change_was_edit
        currency = self.document.project.currency
        currency_changed = currency != self._currency
        self._currency = currency
        for binding in self.bindings:
            if currency_changed and binding.row is not None:
                binding.row.set_currency(currency)
            self._show(binding, reset=reset)
        for callback in self.after_refresh:
            callback()

    def _show(self, binding: Binding, *, reset: bool) -> None:
        if binding.problem is not None and not reset:
            return
        try:
            value = self.document.value_at(binding.path)
        except (KeyError, IndexError, AttributeError):
            return
        if not reset and value is binding.shown and value is not None:
            return
        binding.shown = value
        if reset and isinstance(binding.adapter, OptionalNumberAdapter):
            binding.adapter.refresh_default()
        if not binding.adapter.shows(value):
            blocker = QSignalBlocker(binding.widget)
            try:
                binding.adapter.show(value)
            finally:
                blocker.unblock()
        if binding.problem is not None:
            self._mark(binding, None)
        if binding.row is not None and binding.estimate:
            binding.row.set_range(self._range_text(binding, value))

    @staticmethod
    def _range_text(binding: Binding, value: Any) -> str:
        if not isinstance(value, Estimate) or not value.has_range:
            return ""
        widget = binding.widget
        editor = widget.number if isinstance(widget, OptionalNumberField) else widget
        # A missing end is the likely value (as the uncertainty analysis samples it).
        low = format_number(value.likely if value.low is None else value.low, locale_widget=editor)
        high = format_number(
            value.likely if value.high is None else value.high, locale_widget=editor
        )
        return f"Range {low} – {high}"

    def _refresh_defaults(self) -> None:
        """Greyed defaults of optional numbers (catalog/computed figures) follow the results."""
        for binding in self.bindings:
            adapter = binding.adapter
            if isinstance(adapter, OptionalNumberAdapter) and binding.problem is None:
                adapter.refresh_default()

    def binding_for(self, path: Sequence[str | int]) -> Binding:
        wanted = tuple(path)
        for binding in self.bindings:
            if binding.path == wanted:
                return binding
        raise KeyError(f"nothing is bound to {wanted}")
