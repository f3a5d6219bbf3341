"""The views hidden at start (the Cost breakdown and Compare scenarios tabs, the price catalog
dock) are built after the first frame or when first shown; what they show then is the project
as it is, edits made before they existed included."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gui.mainwindow import MainWindow
from gui.views.breakdown import BreakdownView, figure_rows
from gui.views.comparison import ComparisonView
from tests.gui.test_commands import trigger

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _discard_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        MainWindow, "ask_save_changes", lambda _self: QMessageBox.StandardButton.Discard
    )


def _unshown_window(qtbot: QtBot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_template()
    window.resize(1366, 768)
    return window


def test_hidden_tabs_show_edits_made_before_they_were_built(qtbot: QtBot) -> None:
    window = _unshown_window(qtbot)
    assert window._breakdown is None and window._comparison is None  # not built yet
    window.document.add_scenario("Later")  # the new scenario becomes the current one
    field = window.inputs.show_field("workload", "queries_per_month")
    field.setValue(31_234)  # type: ignore[attr-defined]
    window.show()
    qtbot.waitExposed(window)

    trigger(window, "view.breakdown")
    breakdown = window.results.currentWidget()
    assert isinstance(breakdown, BreakdownView) and breakdown is window.breakdown
    assert window.results.tabText(window.results.currentIndex()) == "Cost breakdown"
    evaluation = window.document.evaluation
    assert evaluation is not None and evaluation.queries_per_month == 31_234
    assert breakdown._evaluation is evaluation
    shown = {figure.key: figure.value for _label, figure in figure_rows(breakdown) if figure}
    strategy = evaluation.strategies[breakdown.strategy()]
    components = {c.figure.key: c.figure.value for c in strategy.components}
    assert components.items() <= shown.items()
    assert shown[strategy.tco.key] == strategy.tco.value

    trigger(window, "view.compare")
    comparison = window.results.currentWidget()
    assert isinstance(comparison, ComparisonView) and comparison is window.comparison
    assert window.results.tabText(window.results.currentIndex()) == "Compare scenarios"
    assert comparison.model.names() == [s.name for s in window.document.project.scenarios]
    assert comparison.model.names()[-1] == "Later"
    assert [window.results.tabText(i) for i in range(3)] == [
        "Scorecard",
        "Cost breakdown",
        "Compare scenarios",
    ]


def test_the_first_frame_builds_the_hidden_tabs_without_moving_the_current_one(
    qtbot: QtBot,
) -> None:
    window = _unshown_window(qtbot)
    window.show()
    qtbot.waitUntil(lambda: window._breakdown is not None, timeout=10_000)
    assert window.results.currentIndex() == 0
    assert window.results.currentWidget() is window.scorecard
    assert window.results.widget(1) is window.breakdown
    assert window.results.widget(2) is window.comparison


def test_the_catalog_dock_gets_its_tables_when_first_shown(qtbot: QtBot) -> None:
    window = _unshown_window(qtbot)
    window.show()
    qtbot.waitExposed(window)
    assert window._catalog_view is None
    trigger(window, "view.catalog")
    qtbot.waitUntil(window.catalog_dock.isVisible)
    assert window._catalog_view is not None
    assert window.catalog_dock.widget() is window.catalog_view
    assert window.catalog_view.tables["gpus"].model().rowCount() > 0
