"""Project-wide requirements with per-scenario overrides, and the people page, in the window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from engine.catalog import shipped_catalogs
from gui.forms.fields import OptionalNumberField
from gui.mainwindow import MainWindow
from tests.gui.test_mainwindow import type_into

pytestmark = pytest.mark.gui


def _combo_switch(window: MainWindow, index: int) -> None:
    window.scenario_combo.setCurrentIndex(index)
    window.scenario_combo.activated.emit(index)


def test_a_requirement_typed_once_applies_to_every_scenario(
    window: MainWindow, qtbot: QtBot
) -> None:
    doc = window.document
    assert len(doc.project.scenarios) >= 2
    type_into(qtbot, window.inputs.show_field("requirements", "latency_target_s"), "2.5")
    doc.end_edit_burst()
    assert doc.project.requirements.latency_target_s.likely == 2.5
    assert all(s.requirements.latency_target_s.likely == 2.5 for s in doc.project.scenarios)


def test_an_override_is_this_scenarios_own_and_is_said_so(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    _combo_switch(window, 1)
    box = window.inputs.show_field("own_requirements")
    assert isinstance(box, QCheckBox) and not box.isChecked()
    box.click()
    assert doc.scenario.own_requirements
    scope = window.inputs.pages["Requirements"].findChild(object, "requirements_scope")
    assert "Override" in scope.text()  # type: ignore[union-attr]
    type_into(qtbot, window.inputs.show_field("requirements", "latency_target_s"), "9")
    doc.end_edit_burst()
    assert doc.scenario.requirements.latency_target_s.likely == 9
    assert doc.project.requirements.latency_target_s.likely != 9
    assert doc.project.scenarios[0].requirements.latency_target_s.likely != 9
    # Going back to the first scenario shows the project's figure again.
    _combo_switch(window, 0)
    field = window.inputs.widget_for("requirements", "latency_target_s")
    assert field.value() == doc.project.requirements.latency_target_s.likely  # type: ignore[attr-defined]
    window.act_undo.trigger()  # the typed 9
    window.act_undo.trigger()  # the override
    assert not doc.project.scenarios[1].own_requirements


def test_people_defaults_are_shown_and_a_typed_figure_costs_more(
    window: MainWindow, qtbot: QtBot
) -> None:
    doc = window.document
    if not doc.scenario.people.include:
        window.inputs.show_field("people", "include").click()  # type: ignore[attr-defined]
    assert doc.scenario.people.include
    field = window.inputs.show_field("people", "rag", "evaluation_hours")
    assert isinstance(field, OptionalNumberField)
    assert not field.check.isChecked()
    assert field.number.value() > 0  # the default, greyed out
    assert doc.evaluation is not None
    before = doc.evaluation.strategies["rag"].tco.value
    field.check.click()
    type_into(qtbot, field.number, "2000")
    doc.end_edit_burst()
    assert doc.scenario.people.rag.evaluation_hours is not None
    assert doc.evaluation.strategies["rag"].tco.value > before


def test_template_scenarios_not_yet_opened_are_marked_until_shown(window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    doc = window.document
    combo = window.scenario_combo
    assert not doc.is_unopened(0)  # shown on opening
    assert doc.is_unopened(1)
    assert "not opened yet" in combo.itemData(1, Qt.ItemDataRole.ToolTipRole)
    assert combo.itemData(1, Qt.ItemDataRole.FontRole).italic()
    _combo_switch(window, 1)
    assert not doc.is_unopened(1)
    assert not combo.itemData(1, Qt.ItemDataRole.FontRole).italic()
    assert not doc.is_modified()  # showing a scenario is not an edit
    # The first edit in it marks the file too, in the same undo step.
    assert not doc.project.scenarios[1].reviewed
    assert doc.set_field(("workload", "prompt_tokens_per_query", "likely"), 450.0) is None
    assert doc.project.scenarios[1].reviewed
    window.act_undo.trigger()
    assert not doc.project.scenarios[1].reviewed


def test_the_comparison_says_whose_requirements_each_scenario_uses(window: MainWindow) -> None:
    _combo_switch(window, 1)
    window.inputs.show_field("own_weights").click()  # type: ignore[attr-defined]
    window.results.setCurrentWidget(window.comparison)  # shown: brought up to date
    view = window.comparison
    assert view.cell_text("Requirements & weights", 0) == "the project's"
    assert view.cell_text("Requirements & weights", 1) == "own weights (override)"


def test_a_new_currency_asks_for_its_rate_and_cancel_relabels_nothing(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QInputDialog

    doc = window.document
    field = window.inputs.show_field("currency")
    monkeypatch.setattr(QInputDialog, "getDouble", lambda *_args: (0.0, False))
    type_into(qtbot, field, "GBP")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert doc.project.currency == "USD" and doc.project.usd_exchange_rate == 1.0
    assert field.text() == "USD"  # type: ignore[attr-defined]
    monkeypatch.setattr(QInputDialog, "getDouble", lambda *_args: (0.79, True))
    type_into(qtbot, field, "GBP")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert (doc.project.currency, doc.project.usd_exchange_rate) == ("GBP", 0.79)
    window.act_undo.trigger()  # code and rate are one step
    assert (doc.project.currency, doc.project.usd_exchange_rate) == ("USD", 1.0)


def test_catalog_hints_show_the_project_currency_with_the_usd_figure_beside(
    window: MainWindow,
) -> None:
    doc = window.document
    rate = 0.5
    assert doc.set_fields([(("usd_exchange_rate",), rate), (("currency",), "EUR")], "EUR") is None
    picker = window.inputs.widget_for("serving", "rag", "gpu")
    picker.reload()  # type: ignore[attr-defined]
    texts = [picker.itemText(i) for i in range(picker.count())]  # type: ignore[attr-defined]
    h100 = next(t for t in texts if "H100 SXM" in t)
    # the catalog's price, not a copy of it: the hint follows the catalog when prices change
    usd = shipped_catalogs().gpus.get("h100-sxm").on_demand_usd_per_hour
    assert f"EUR {usd * rate:.2f}/h (${usd:.2f}/h)" in h100
