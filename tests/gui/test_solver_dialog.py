"""Scenario → Find Cheapest Setup…: reached from the menu bar, searched off the GUI thread,
applied as one undoable edit, restarted by the next edit."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from engine.templates import load_template
from gui.mainwindow import MainWindow

pytestmark = pytest.mark.gui


def _menu_action(window: MainWindow, menu_title: str, text: str):  # type: ignore[no-untyped-def]
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == menu_title:
            menu = action.menu()
            assert isinstance(menu, QMenu)
            for item in menu.actions():
                if item.text().replace("&", "") == text:
                    return item
    raise AssertionError(f"no {menu_title} → {text}")


def test_find_cheapest_setup_from_the_menu_and_apply_it(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document
    doc.load(load_template("eu-insurer-claims"))
    assert doc.evaluation is not None and doc.evaluation.recommendation.strategy is None
    _menu_action(window, "Scenario", "Find Cheapest Setup…").trigger()
    dialog = window.solver_dialog
    qtbot.waitUntil(lambda: dialog.solution is not None, timeout=30_000)
    rows = dialog.candidates()
    assert rows
    dialog.tree.setCurrentItem(rows[0])
    before = doc.project
    assert dialog.apply_selected() is None
    assert doc.project != before
    # The applied setup meets every must: something is recommended now.
    assert doc.evaluation is not None and doc.evaluation.recommendation.strategy is not None
    window.act_undo.trigger()
    assert doc.project == before
    dialog.close()


def test_an_edit_restarts_the_search_and_drops_the_stale_one(
    window: MainWindow, qtbot: QtBot
) -> None:
    doc = window.document
    window.act_find_cheapest.trigger()
    dialog = window.solver_dialog
    first = dialog._live
    doc.set_field(("workload", "queries_per_month", "likely"), 50_000.0)
    assert dialog._live != first
    qtbot.waitUntil(lambda: dialog.solution is not None, timeout=30_000)
    assert dialog.solution is not None
    # The result shown is for the edited inputs, not the first run's.
    assert doc.evaluation is not None
    shown = dialog.solution.strategies["rag"].current_tco
    assert shown == pytest.approx(doc.evaluation.strategies["rag"].tco.value)
    dialog.close()


def _insurer_searched(window: MainWindow, qtbot: QtBot):  # type: ignore[no-untyped-def]
    """The insurer template, Scenario → Find Cheapest Setup… through the menu bar, and the
    dialog once its first search is done."""
    window.document.load(load_template("eu-insurer-claims"))
    _menu_action(window, "Scenario", "Find Cheapest Setup…").trigger()
    dialog = window.solver_dialog
    qtbot.waitUntil(lambda: dialog.solution is not None, timeout=30_000)
    return dialog


def test_the_search_keeps_the_model_size_unless_the_consultant_widens_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Answer quality is not scored: by default no self-hosted model smaller than the
    scenario's is proposed; "Any size" in the dialog lets the smaller ones in, and says so."""
    doc = window.document
    dialog = _insurer_searched(window, qtbot)

    def models(solution) -> set[str]:  # type: ignore[no-untyped-def]
        return {
            c.changes.get("serving.rag.self_hosted_model") or ""
            for c in solution.strategies["rag"].candidates
        } - {""}

    from engine.catalog import shipped_catalogs

    sizes = {m.id: m.parameters_billion for m in shipped_catalogs().base_models}
    floor = sizes[doc.scenario.serving.rag.self_hosted_model]
    kept = dialog.solution
    assert kept is not None and models(kept)
    assert all(sizes[m] >= floor for m in models(kept)), models(kept)
    assert any("no smaller than the scenario's" in n for n in kept.strategies["rag"].notes)
    dialog.model_size.setCurrentIndex(1)  # "Any size"
    qtbot.waitUntil(lambda: dialog.solution is not None and dialog.solution is not kept,
                    timeout=30_000)  # fmt: skip
    widened = dialog.solution
    assert widened is not None
    assert any(sizes[m] < floor for m in models(widened)), models(widened)
    assert widened.strategies["rag"].candidates[0].tco <= kept.strategies["rag"].candidates[0].tco
    dialog.close()


def test_the_search_keeps_the_precision_unless_the_consultant_allows_quantization(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Through the menu bar: by default every self-hosted setup keeps the scenario's 16-bit
    weights, and the dialog says so; "Weights: Any, 4-bit included" lets quantized ones in."""
    dialog = _insurer_searched(window, qtbot)

    def precisions(solution) -> set[float]:  # type: ignore[no-untyped-def]
        return {
            c.changes["serving.rag.bytes_per_parameter"]
            for c in solution.strategies["rag"].candidates
            if "serving.rag.bytes_per_parameter" in c.changes
        }

    kept = dialog.solution
    assert kept is not None and precisions(kept) == {2.0}
    assert any("16-bit or more only" in n for n in kept.strategies["rag"].notes)
    assert dialog.precision.currentText() == "No lower precision than the scenario's"
    dialog.precision.setCurrentIndex(2)  # "Any, 4-bit included"
    qtbot.waitUntil(lambda: dialog.solution is not None and dialog.solution is not kept,
                    timeout=30_000)  # fmt: skip
    widened = dialog.solution
    assert widened is not None and 0.5 in precisions(widened)
    assert widened.strategies["rag"].candidates[0].tco <= kept.strategies["rag"].candidates[0].tco
    dialog.close()
