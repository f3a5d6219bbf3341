"""Overriding a catalog figure for one project: stored, used, marked, undoable, reset."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui.mainwindow import MainWindow

pytestmark = pytest.mark.gui


def serving_gpu_price(window: MainWindow) -> float:
    evaluation = window.document.evaluation
    assert evaluation is not None
    figure = next(
        c.figure for c in evaluation.strategies["fine_tuning"].components if c.key == "serving"
    )
    price = next(i for i in figure.inputs if i.name == "price")
    source = next(i for i in figure.inputs if i.name == "price source")
    assert isinstance(price.value, float)
    return price.value if "overridden" in str(source.value) else -price.value


def test_overriding_a_gpu_price_is_used_marked_undoable_and_reset(window: MainWindow) -> None:
    view = window.catalog_view
    doc = window.document
    before = doc.evaluation
    assert before is not None
    tco_before = before.strategies["fine_tuning"].tco.value
    assert view.override("gpus", "l40s", "on_demand_usd_per_hour", 2.5) is None
    # Stored with the project, marked in the catalog and named as the figure's source.
    assert doc.project.catalog_overrides.gpus["l40s"].on_demand_usd_per_hour == 2.5
    assert "Overridden in this project" in doc.project.catalog_overrides.gpus["l40s"].source
    assert serving_gpu_price(window) == 2.5
    model = view.tables["gpus"].model()
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert any(n.endswith("(project override)") and "L40S" in n for n in names)
    after = doc.evaluation
    assert after is not None and after.strategies["fine_tuning"].tco.value > tco_before
    assert window.isWindowModified()
    # One undo step.
    doc.undo_stack.undo()
    assert "l40s" not in doc.project.catalog_overrides.gpus
    assert doc.evaluation is not None
    assert doc.evaluation.strategies["fine_tuning"].tco.value == pytest.approx(tco_before)
    doc.undo_stack.redo()
    # Reset to catalog removes it.
    row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == "l40s")
    view.tabs.setCurrentIndex(0)
    view.tables["gpus"].setCurrentIndex(model.index(row, 2))
    view.reset_selected()
    assert "l40s" not in doc.project.catalog_overrides.gpus


def test_an_invalid_override_is_refused_with_the_reason(window: MainWindow) -> None:
    view = window.catalog_view
    problem = view.override("gpus", "l40s", "memory_gb", 0.0)
    assert problem is not None and "greater than 0" in problem
    assert "l40s" not in window.document.project.catalog_overrides.gpus


def test_editing_a_cell_overrides_the_figure(window: MainWindow) -> None:
    view = window.catalog_view
    model = view.tables["embedding_models"].model()
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, 1).data() == "openai-text-embedding-3-small"
    )
    assert model.setData(model.index(row, 2), 0.05, Qt.ItemDataRole.EditRole)
    overrides = window.document.project.catalog_overrides.embedding_models
    assert overrides["openai-text-embedding-3-small"].usd_per_million_tokens == 0.05
