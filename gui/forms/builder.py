"""Forms generated from the models' own metadata, so every field has its label, unit, allowed
range and description (as the tooltip) without the GUI restating them.

* ``Estimate`` fields (declared with ``quantity``) → :class:`NumberField` with the range, unit,
  step and integer-ness of their metadata;
* ``Estimate | None`` ("empty = the catalog's figure") → :class:`OptionalNumberField`;
* ``StrEnum`` → a combo box of its choices; ``bool`` → a check box;
* catalog ids → :class:`CatalogPicker`; ``api_model`` → :class:`ApiModelPicker`;
* other strings → a line edit.
"""

from __future__ import annotations

import textwrap
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from engine.labels import CHECKBOX_TEXT, ERROR_HINTS, choice_label, field_label
from engine.model.base import Estimate, field_meta
from engine.uncertainty import NEVER_SAMPLED
from gui.binding import Binder, Binding, OptionalNumberAdapter
from gui.forms.api_models import ApiModelPicker
from gui.forms.fields import (
    CatalogPicker,
    ChoiceCombo,
    FieldRow,
    NumberField,
    OptionalNumberField,
    format_number,
)
from gui.forms.range_editor import RangeEditor

LABEL_WRAP_CHARS = 20

CatalogEntries = Callable[[], Sequence[tuple[str, str, str, str]]]


def _is_optional_estimate(annotation: Any) -> bool:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = set(typing.get_args(annotation))
        return args == {Estimate, type(None)}
    return False


def new_form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


class Row:
    """A built form row: its label, field widget and binding (to enable/disable together)."""

    def __init__(self, label: QLabel, field_row: FieldRow, binding: Binding) -> None:
        self.label = label
        self.field_row = field_row
        self.binding = binding

    def set_enabled(self, enabled: bool) -> None:
        if self.field_row.isEnabled() != enabled:
            self.label.setEnabled(enabled)
            self.field_row.setEnabled(enabled)

    def set_visible(self, visible: bool) -> None:
        self.label.setVisible(visible)
        self.field_row.setVisible(visible)


class FormBuilder:
    """Adds bound rows for model fields to a form layout."""

    def __init__(
        self,
        binder: Binder,
        *,
        catalog_entries: Mapping[str, CatalogEntries],
        defaults: Callable[[tuple[str | int, ...]], Callable[[], float | None] | None],
    ) -> None:
        self.binder = binder
        self.catalog_entries = catalog_entries
        self.defaults = defaults
        self.rows: dict[tuple[str | int, ...], Row] = {}

    def add_model_fields(
        self,
        form: QFormLayout,
        model: type[BaseModel],
        prefix: Sequence[str | int],
        *,
        only: Iterable[str] | None = None,
        skip: Iterable[str] = (),
    ) -> None:
        names = list(only) if only is not None else list(model.model_fields)
        skipped = set(skip)
        for name in names:
            if name in skipped:
                continue
            self.add_field(form, model, name, prefix)

    def add_field(
        self,
        form: QFormLayout,
        model: type[BaseModel],
        name: str,
        prefix: Sequence[str | int],
    ) -> Row | None:
        info = model.model_fields[name]
        annotation = info.annotation
        meta = field_meta(model, name)
        path = (*prefix, name)
        label_text = str(meta.get("label") or field_label(name))
        description = info.description or ""
        unit = str(meta.get("unit", ""))
        estimate = False
        widget: QWidget
        adapter = None
        if annotation is Estimate:
            widget = NumberField(
                minimum=float(meta.get("minimum", 0.0)),
                maximum=float(meta.get("maximum", 1e15)),
                integer=bool(meta.get("integer", False)),
                step=meta.get("step"),
                unit=unit,
            )
            estimate = True
        elif _is_optional_estimate(annotation):
            default = self.defaults(path)
            widget = OptionalNumberField(
                minimum=float(meta.get("minimum", 0.0)),
                maximum=float(meta.get("maximum", 1e15)),
                unit=unit,
                default_text="default" if path[0] == "people" else "catalog",
            )
            adapter = OptionalNumberAdapter(widget, default)
            estimate = True
        elif isinstance(annotation, type) and issubclass(annotation, StrEnum):
            widget = ChoiceCombo([(choice_label(m.value), m.value) for m in annotation])
        elif annotation is bool:
            widget = QCheckBox(CHECKBOX_TEXT.get(name, label_text))
        elif annotation is str and name in self.catalog_entries:
            widget = CatalogPicker(self.catalog_entries[name])
        elif annotation is str and name == "api_model":
            widget = ApiModelPicker()
        elif annotation is str and name == "description":
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 4 + 12)
            widget = text
        elif annotation is str:
            widget = QLineEdit()
            max_length = _max_length(info)
            if max_length:
                widget.setMaxLength(max_length)
        else:
            return None
        tooltip = _tooltip(description, meta, widget)
        return self.add_row(
            form,
            path,
            widget,
            label_text,
            tooltip,
            unit=unit,
            estimate=estimate,
            adapter=adapter,
        )

    def add_row(
        self,
        form: QFormLayout,
        path: tuple[str | int, ...],
        widget: QWidget,
        label_text: str,
        tooltip: str,
        *,
        unit: str = "",
        estimate: bool = False,
        adapter: Any = None,
    ) -> Row:
        field_row = FieldRow(widget, unit)
        # Long labels are broken over lines here rather than with QLabel's word wrap: the
        # form layout sizes a row by the label's size hint, which a word-wrapped label gets
        # wrong (its third line would be cut off); explicit lines are measured exactly.
        shown = label_text
        if len(label_text) > LABEL_WRAP_CHARS:
            shown = textwrap.fill(label_text, LABEL_WRAP_CHARS, break_long_words=False)
        label = QLabel(shown)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(widget)
        label.setToolTip(tooltip)
        widget.setToolTip(tooltip)
        widget.setAccessibleName(label_text)
        widget.setAccessibleDescription(tooltip)
        field_row.unit_label.setToolTip(tooltip)
        form.addRow(label, field_row)
        name = str(path[-1])
        binding = self.binder.bind(
            path,
            widget,
            label=label_text,
            row=field_row,
            estimate=estimate,
            hint=ERROR_HINTS.get(name, ""),
            adapter=adapter,
        )
        if (
            estimate
            and isinstance(widget, NumberField | OptionalNumberField)
            and tuple(str(p) for p in path) not in NEVER_SAMPLED
        ):
            RangeEditor(self.binder.document, binding, field_row)  # owned by the row
        row = Row(label, field_row, binding)
        self.rows[path] = row
        return row


def _max_length(info: Any) -> int | None:
    for item in info.metadata:
        value = getattr(item, "max_length", None)
        if isinstance(value, int):
            return value
    return None


def _tooltip(description: str, meta: dict[str, Any], widget: QWidget) -> str:
    lines = [description] if description else []
    if "minimum" in meta and "maximum" in meta:
        unit = str(meta.get("unit", ""))
        low = format_number(float(meta["minimum"]), locale_widget=widget)
        high = format_number(float(meta["maximum"]), locale_widget=widget)
        unit_words = f" {unit}" if unit and "money" not in unit else ""
        whole = ", whole numbers" if meta.get("integer") else ""
        lines.append(f"Allowed: {low} – {high}{unit_words}{whole}.")
    return "\n".join(lines)


def group(title: str, parent: QWidget | None = None) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title.replace("&", "&&"), parent)  # "&" would become a shortcut marker
    form = new_form_layout()
    box.setLayout(form)
    return box, form
