"""The real main window, off-screen: type into fields and watch scores and chart move; undo
from the keyboard; refused input is marked at the field; every field fits at 1366×768."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from engine.catalog import price_data_version
from engine.fileformat import load_project
from engine.model.base import Estimate
from engine.model.results import Evaluation
from engine.version import APP_VERSION
from gui.forms.fields import FieldRow, NumberField, OptionalNumberField
from gui.forms.panel import ScrollPage
from gui.mainwindow import MainWindow, window_title
from tests.gui.conftest import Messages

pytestmark = pytest.mark.gui


def type_into(qtbot: QtBot, field: QWidget, text: str) -> None:
    """Focus a field, select what is there, and type like a person."""
    target = field.lineEdit() if isinstance(field, QAbstractSpinBox) else field
    field.setFocus()
    if isinstance(field, QAbstractSpinBox | QLineEdit):
        field.selectAll()
    assert target is not None
    QTest.keyClicks(target, text)


def key(qtbot: QtBot, field: QWidget, code: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    target = field.lineEdit() if isinstance(field, QAbstractSpinBox) else field
    assert target is not None
    QTest.keyClick(target, code, modifiers)


def rows_of(window: MainWindow) -> list[tuple[str | int, ...]]:
    window.inputs.ensure_all_built()
    return list(window.inputs.builder.rows)


def test_opens_on_the_example_with_a_live_result(window: MainWindow) -> None:
    assert window.windowTitle() == "Customer-support assistant[*] — FTRAG Advisor"
    assert not window.isWindowModified()
    evaluation = window.document.evaluation
    assert evaluation is not None and evaluation.recommendation.name == "RAG"
    volumes, costs = window.chart.curve_data("rag")
    assert len(volumes) == len(costs) > 100
    assert window.scenario_combo.currentText() == "Today"
    assert window.banner.isHidden()


def test_typing_a_volume_changes_scores_and_chart(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    before = doc.evaluation
    assert before is not None
    volumes_before, _ = window.chart.curve_data("fine_tuning")
    field = window.inputs.show_field("workload", "queries_per_month")
    type_into(qtbot, field, "250000")
    assert doc.value_at(("workload", "queries_per_month", "likely")) == 250_000
    after = doc.evaluation
    assert after is not None and after.queries_per_month == 250_000
    assert after.strategies["rag"].tco.value > before.strategies["rag"].tco.value
    assert after.strategies["rag"].scores != before.strategies["rag"].scores
    volumes_after, _ = window.chart.curve_data("fine_tuning")
    assert not np.array_equal(volumes_before, volumes_after)  # the chart follows the volume
    assert window.isWindowModified()


def test_typing_a_weight_changes_the_totals(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    assert doc.evaluation is not None
    totals = {k: s.total_score for k, s in doc.evaluation.strategies.items()}
    type_into(qtbot, window.inputs.show_field("weights", "cost"), "90")
    assert doc.evaluation is not None
    assert doc.value_at(("weights", "cost", "likely")) == 90
    assert {k: s.total_score for k, s in doc.evaluation.strategies.items()} != totals


def test_undo_and_redo_from_the_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    original = doc.evaluation
    original_curve = window.chart.curve_data("rag")[1].copy()
    field = window.inputs.show_field("workload", "prompt_tokens_per_query")
    assert isinstance(field, NumberField)
    type_into(qtbot, field, "1200")
    changed = doc.evaluation
    assert changed != original
    assert doc.undo_stack.count() == 1  # one typing burst, one undo step
    # Ctrl+Z in the field undoes the document, not the field's private text history.
    key(qtbot, field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.value_at(("workload", "prompt_tokens_per_query", "likely")) == 400
    assert field.value() == 400
    assert doc.evaluation == original
    np.testing.assert_array_equal(window.chart.curve_data("rag")[1], original_curve)
    assert not window.isWindowModified()
    window.act_redo.trigger()
    assert field.value() == 1200 and doc.evaluation == changed
    assert window.isWindowModified()


def test_arrow_steps_in_one_burst_are_one_undo_step(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    field = window.inputs.show_field("workload", "output_tokens_per_query")
    field.setFocus()
    for _ in range(5):
        key(qtbot, field, Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier)
    assert doc.value_at(("workload", "output_tokens_per_query", "likely")) > 300
    assert doc.undo_stack.count() == 1
    assert window.act_undo.text().startswith("&Undo Edit Output tokens per query")


def test_out_of_range_text_is_marked_and_not_applied(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    evaluation = doc.evaluation
    field = window.inputs.show_field("workload", "horizon_months")
    row = window.inputs.row("workload", "horizon_months").field_row
    type_into(qtbot, field, "900")
    assert field.property("invalid") is True
    assert row.error_label.isVisible()
    assert "at most 600" in row.error_label.text()
    assert "at most 600" in field.toolTip()
    # Each keystroke is live: "9" and "90" were valid and applied; "900" is not.
    assert doc.value_at(("workload", "horizon_months", "likely")) == 90
    assert doc.evaluation is not None and doc.evaluation.horizon_months == 90
    evaluation = doc.evaluation
    key(qtbot, field, Qt.Key.Key_0, Qt.KeyboardModifier.NoModifier)  # still refused
    assert doc.evaluation is evaluation
    type_into(qtbot, field, "36")
    assert not field.property("invalid")
    assert not row.error_label.isVisible()
    assert doc.value_at(("workload", "horizon_months", "likely")) == 36


def test_garbage_is_refused_without_raising(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    project = doc.project
    field = window.inputs.show_field("workload", "peak_to_average_load")
    type_into(qtbot, field, "abc")  # letters never reach a number field
    field.setFocus()
    assert isinstance(field, NumberField)
    field.lineEdit().clear()
    assert field.property("invalid") is True
    assert window.inputs.row("workload", "peak_to_average_load").field_row.error_label.text() == (
        "Enter a number."
    )
    assert doc.project is project


def test_a_refused_value_is_marked_with_the_reason(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    for name in ("cost", "latency", "freshness", "compliance"):
        type_into(qtbot, window.inputs.show_field("weights", name), "0")
    evaluation = doc.evaluation
    fit = window.inputs.show_field("weights", "fit")
    type_into(qtbot, fit, "0")
    row = window.inputs.row("weights", "fit").field_row
    assert fit.property("invalid") is True
    assert row.error_label.text() == "At least one criterion weight must be above zero"
    assert doc.value_at(("weights", "fit", "likely")) == 15
    assert doc.evaluation is evaluation


def test_text_fields_are_validated(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = window.document
    currency = window.inputs.show_field("currency")
    type_into(qtbot, currency, "usd")
    assert currency.property("invalid") is True
    assert "ISO 4217" in window.inputs.row("currency").field_row.error_label.text()
    assert doc.project.currency == "USD"
    # A new currency takes effect with its exchange rate, asked when editing ends.
    monkeypatch.setattr(QInputDialog, "getDouble", lambda *_args: (0.92, True))
    type_into(qtbot, currency, "EUR")
    QTest.keyClick(currency, Qt.Key.Key_Return)
    assert doc.project.currency == "EUR"
    assert doc.project.usd_exchange_rate == 0.92
    assert not currency.property("invalid")
    unit = window.inputs.row("workload", "engineering_rate_per_hour").field_row.unit_label
    assert unit.text() == "EUR/hour"
    title = window.inputs.show_field("title")
    type_into(qtbot, title, "x")
    QTest.keyClick(title, Qt.Key.Key_Backspace)
    assert title.property("invalid") is True
    assert doc.project.title == "x"


def test_unevaluable_inputs_show_a_banner_and_keep_results(
    window: MainWindow, qtbot: QtBot
) -> None:
    doc = window.document
    evaluation = doc.evaluation
    picker = window.inputs.widget_for("serving", "rag", "api_model")
    window.inputs.show_field("serving", "rag", "api_model")
    type_into(qtbot, picker.line, "nobody:nothing")  # type: ignore[attr-defined]
    QTest.keyClick(picker.line, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    assert doc.scenario.serving.rag.api_model == "nobody:nothing"
    assert window.banner.isVisible()
    assert "nobody:nothing" in window.banner.text.text()
    assert window.status.text().startswith("Cannot evaluate: ")
    assert doc.evaluation is evaluation
    window.act_undo.trigger()
    assert window.banner.isHidden()
    assert picker.value() == "openai:gpt-4o-mini"  # type: ignore[attr-defined]


def test_every_field_is_reachable_at_1366x768(window: MainWindow, qtbot: QtBot) -> None:
    assert window.size().width() == 1366 and window.size().height() == 768
    for path in rows_of(window):
        widget = window.inputs.show_field(*(str(p) for p in path))
        QApplication.processEvents()
        for page in window.inputs.findChildren(ScrollPage):
            if page.isVisible():
                assert not page.horizontalScrollBar().isVisible(), f"{path}: form too wide"
        row = window.inputs.builder.rows[path].field_row
        visible = row.visibleRegion().boundingRect()
        assert visible.size() == row.size(), f"{path} is clipped: {visible} of {row.rect()}"
        assert widget.width() >= min(widget.minimumSizeHint().width(), 60), path
        if row.unit_template:
            assert row.unit_label.isVisible() and row.unit_label.text(), f"{path} has no unit"
    for page in window.inputs.findChildren(ScrollPage):
        if page.isVisible():
            assert not page.horizontalScrollBar().isVisible(), "a form is wider than its pane"
    # The chart and the results keep at least the room they ask for.
    assert window.chart.height() >= window.chart.minimumSizeHint().height()
    assert window.results.height() > 150


def test_comma_decimal_locale(make_window: Callable[[], MainWindow], qtbot: QtBot) -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    try:
        window = make_window()
        field = window.inputs.show_field("workload", "peak_to_average_load")
        queries = window.inputs.widget_for("workload", "queries_per_month")
        assert isinstance(field, NumberField) and isinstance(queries, NumberField)
        assert queries.text() == "20.000"
        type_into(qtbot, field, "1,5")
        assert window.document.value_at(("workload", "peak_to_average_load", "likely")) == 1.5
        assert field.text() == "1,5"
    finally:
        QLocale.setDefault(previous)


def test_scenario_commands(
    window: MainWindow, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = window.document
    combo = window.scenario_combo
    window.act_add_scenario.trigger()
    assert [combo.itemText(i) for i in range(combo.count())][-1] == "New scenario"
    assert combo.currentText() == "New scenario"
    window.act_duplicate_scenario.trigger()
    assert combo.currentText() == "New scenario (copy)"
    monkeypatch.setattr(MainWindow, "ask_text", lambda *_args: "Today")
    window.act_rename_scenario.trigger()
    assert messages.shown[-1][2] == "Two scenarios are both named 'Today'"
    monkeypatch.setattr(MainWindow, "ask_text", lambda *_args: "  Pessimistic ")
    window.act_rename_scenario.trigger()
    assert combo.currentText() == "Pessimistic"
    monkeypatch.setattr(MainWindow, "confirm", lambda *_args: True)
    window.act_delete_scenario.trigger()
    assert combo.count() == 3 and "Pessimistic" not in doc.project.scenarios[-1].name
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert doc.scenario.name == "In two years"
    assert window.inputs.widget_for("name").text() == "In two years"  # type: ignore[attr-defined]
    window.act_undo.trigger()  # the deletion
    assert combo.count() == 4 and combo.currentText() == "Pessimistic"


def test_deleting_the_only_scenario_is_disabled(window: MainWindow) -> None:
    doc = window.document
    doc.switch_scenario(1)
    doc.delete_scenario(1)
    assert not window.act_delete_scenario.isEnabled()


def test_project_strings_are_plain_text(window: MainWindow, qtbot: QtBot) -> None:
    title = window.inputs.show_field("title")
    type_into(qtbot, title, "<b>Acme</b> [*] & Co")
    assert window.windowTitle() == "<b>Acme</b> [*][*] & Co[*] — FTRAG Advisor"
    assert window_title("a" * 200).endswith("…[*] — FTRAG Advisor")
    for label in window.findChildren(FieldRow):
        assert label.error_label.textFormat() == Qt.TextFormat.PlainText
        assert label.unit_label.textFormat() == Qt.TextFormat.PlainText


def test_save_and_open(window: MainWindow, messages: Messages, tmp_path: Path) -> None:
    doc = window.document
    doc.set_field(("workload", "peak_to_average_load", "likely"), 4.0)
    target = tmp_path / "client.ftrag"
    assert window.save_to(target)
    assert not window.isWindowModified() and doc.path == target
    assert load_project(target).scenarios[0].workload.peak_to_average_load == Estimate(likely=4.0)
    broken = tmp_path / "broken.ftrag"
    broken.write_text("{not json", encoding="utf-8")
    assert not window.open_file(broken)
    icon, _title, text = messages.shown[-1]
    assert icon == QMessageBox.Icon.Warning
    assert str(broken) in text and "not a valid project file" in text
    assert doc.path == target  # what was open stays open
    assert window.open_file(target)
    assert doc.scenario.workload.peak_to_average_load == Estimate(likely=4.0)


def test_save_as_adds_the_suffix(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda _self: str(tmp_path / "engagement"))
    window.act_save.trigger()  # no file yet: Save asks for a name
    assert (tmp_path / "engagement.ftrag").is_file()
    assert window.windowFilePath() == str(tmp_path / "engagement.ftrag")


def test_unsaved_changes_prompt(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window.document.set_field(("workload", "peak_to_average_load", "likely"), 4.0)
    monkeypatch.setattr(
        MainWindow, "ask_save_changes", lambda _self: QMessageBox.StandardButton.Cancel
    )
    assert not window.maybe_save()
    monkeypatch.setattr(
        MainWindow, "ask_save_changes", lambda _self: QMessageBox.StandardButton.Discard
    )
    monkeypatch.setattr(MainWindow, "ask_template", lambda _self: "seed-small-company")
    window.act_new.trigger()
    assert window.document.project.title != "Customer-support assistant"
    assert not window.isWindowModified()


def test_api_model_picker(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gui.forms.api_models import ApiModelDialog

    monkeypatch.setattr(ApiModelDialog, "ask", classmethod(lambda _cls, _p, _c: "openai:gpt-4o"))
    picker = window.inputs.widget_for("serving", "rag", "api_model")
    QTest.mouseClick(picker.browse, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert window.document.scenario.serving.rag.api_model == "openai:gpt-4o"
    assert "per M tokens" in picker.info.text()  # type: ignore[attr-defined]


def test_api_model_dialog_filters(qtbot: QtBot) -> None:
    from gui.forms.api_models import ApiModelDialog

    dialog = ApiModelDialog("openai:gpt-4o-mini")
    qtbot.addWidget(dialog)
    assert dialog.chosen() == "openai:gpt-4o-mini"
    total = dialog.proxy.rowCount()
    assert total > 1000
    dialog.search.setText("anthropic haiku")
    assert 0 < dialog.proxy.rowCount() < 50
    dialog.search.setText("no such model at all")
    assert dialog.proxy.rowCount() == 0


def test_optional_price_uses_the_catalog_until_ticked(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    field = window.inputs.show_field("fine_tuning", "training_gpu_hour_price")
    assert isinstance(field, OptionalNumberField)
    assert not field.number.isEnabled()
    assert field.number.value() == pytest.approx(2.99)  # the H100's catalog price, greyed
    QTest.mouseClick(field.check, Qt.MouseButton.LeftButton)
    assert doc.scenario.fine_tuning.training_gpu_hour_price == Estimate(likely=2.99)
    type_into(qtbot, field.number, "2.5")
    assert doc.scenario.fine_tuning.training_gpu_hour_price == Estimate(likely=2.5)
    QTest.mouseClick(field.check, Qt.MouseButton.LeftButton)
    assert doc.scenario.fine_tuning.training_gpu_hour_price is None


def test_cost_override(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    field = window.inputs.show_field("cost_overrides", "rag.generation")
    assert isinstance(field, OptionalNumberField)
    assert field.number.value() > 0  # the computed figure, greyed
    QTest.mouseClick(field.check, Qt.MouseButton.LeftButton)
    type_into(qtbot, field.number, "0.11")
    assert doc.scenario.cost_overrides == {"rag.generation": 0.11}
    assert doc.evaluation is not None
    generation = next(
        c for c in doc.evaluation.strategies["rag"].components if c.key == "generation"
    )
    assert generation.overridden and generation.figure.value == 0.11


def test_rows_that_do_not_apply_are_disabled(window: MainWindow, qtbot: QtBot) -> None:
    inputs = window.inputs
    inputs.show_field("fine_tuning", "venue")
    managed = inputs.row("fine_tuning", "managed_price_per_million_training_tokens")
    gpu = inputs.row("fine_tuning", "training_gpu")
    assert gpu.field_row.isEnabled() and not managed.field_row.isEnabled()
    window.document.set_field(("fine_tuning", "venue"), "managed_api")
    assert not gpu.field_row.isEnabled() and managed.field_row.isEnabled()
    api = inputs.row("serving", "fine_tuning", "api_model")
    assert not api.field_row.isEnabled()  # the example self-hosts the fine-tuned model


def test_catalog_pickers_show_figures_and_as_of(window: MainWindow) -> None:
    picker = window.inputs.widget_for("fine_tuning", "training_gpu")
    assert picker.value() == "h100-sxm"  # type: ignore[attr-defined]
    assert "as of" in picker.details.text() and "/h" in picker.details.text()  # type: ignore[attr-defined]
    assert picker.count() >= 10  # type: ignore[attr-defined]


def test_figure_click_shows_its_work(window: MainWindow, qtbot: QtBot) -> None:
    from gui.views.explain import FigureDialog

    evaluation = window.document.evaluation
    assert evaluation is not None
    window.scorecard.figureActivated.emit(evaluation.strategies["rag"].tco)
    dialog = window.findChild(FigureDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_help_menu(window: MainWindow) -> None:
    text = window.about_text()
    assert APP_VERSION in text and price_data_version() in text and "Qt 6." in text
    window.act_methodology.trigger()
    from gui.views.methodology import MethodologyDialog

    dialog = window.findChild(MethodologyDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_catalog_dock_lists_entries_with_sources(window: MainWindow) -> None:
    assert window.catalog_dock.isHidden()
    window.catalog_dock.toggleViewAction().trigger()
    table = window.catalog_view.tables["gpus"]
    headers = [table.model().headerData(i, Qt.Orientation.Horizontal) for i in range(8)]
    assert "As of" in headers and "Source" in headers
    assert table.model().rowCount() >= 10


def test_comparison_view_gets_every_scenario(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []
    original = window.comparison.show_scenarios

    def spy(names: list[str], source: Callable[[int], Evaluation | str]) -> None:
        seen.append(list(names))
        original(names, source)

    monkeypatch.setattr(window.comparison, "show_scenarios", spy)
    window.results.setCurrentWidget(window.comparison)
    assert seen[-1] == ["Today", "In two years"]
    model = window.comparison.model
    assert [model.outcome(c).scenario for c in range(2)] == seen[-1]  # type: ignore[union-attr]
    window.document.set_field(("workload", "peak_to_average_load", "likely"), 4.0)
    assert len(seen) == 2


def test_chart_mode_menu(window: MainWindow) -> None:
    window.act_mode_month.trigger()
    assert window.chart.mode() == "per_month"
    window.chart.set_mode("total")
    assert window.act_mode_total.isChecked()
