"""Large projects open into lazy views: the price catalog with 20,000 overrides and Compare
Scenarios with 1,000 scenarios make (and evaluate) only the cells on screen, and still show
the right figures and take edits.  Laziness is asserted by what the views asked for, never by
the clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QFileDialog, QTableWidget
from pytestqt.qtbot import QtBot

from engine.catalog import shipped_catalogs
from engine.evaluate import evaluate as real_evaluate
from engine.fileformat import save_project
from engine.model import Project
from engine.templates import load_template
from gui.forms.catalog_view import CatalogModel
from gui.mainwindow import MainWindow
from gui.views.comparison import ComparisonModel

pytestmark = [pytest.mark.gui, pytest.mark.slow]

OVERRIDES = 20_000
SCENARIOS = 1_000


def open_through_the_menu(window: MainWindow, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    window.act_open.trigger()
    assert window.document.path == path
    QApplication.processEvents()


@pytest.fixture(scope="module")
def overrides_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = load_template("support-assistant").model_dump()
    base = shipped_catalogs().gpus.get("l40s").model_dump()
    base.update(source="The client's own quote", notes="")
    gpus = {}
    for i in range(OVERRIDES):
        entry_id = f"client-gpu-{i:05d}"
        gpus[entry_id] = {
            **base,
            "id": entry_id,
            "name": f"Client GPU {i:05d}",
            "on_demand_usd_per_hour": 1.0 + (i % 500) / 100,
        }
    data["catalog_overrides"]["gpus"] = gpus
    path = tmp_path_factory.mktemp("large") / "overrides.ftrag"
    save_project(Project.model_validate(data), path, keep_backup=False)
    return path


@pytest.fixture(scope="module")
def scenarios_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = load_template("support-assistant").model_dump()
    first = data["scenarios"][0]
    scenarios = []
    for i in range(SCENARIOS):
        scenario = json.loads(json.dumps(first))
        scenario["name"] = f"Scenario {i + 1:04d}"
        volume = 10_000.0 * (1 + i)
        scenario["workload"]["queries_per_month"] = {
            "likely": volume,
            "low": volume / 2,
            "high": volume * 2,
        }
        scenarios.append(scenario)
    data["scenarios"] = scenarios
    path = tmp_path_factory.mktemp("large") / "scenarios.ftrag"
    save_project(Project.model_validate(data), path, keep_backup=False)
    return path


def count_cells(
    monkeypatch: pytest.MonkeyPatch, model_type: type[Any]
) -> set[tuple[int, int, int]]:
    """Every cell (model id, row, column) whose data() the views ask for, from now on."""
    asked: set[tuple[int, int, int]] = set()
    original: Callable[..., object] = model_type.data

    def data(self: Any, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        asked.add((id(self), index.row(), index.column()))
        return original(self, index, role)

    monkeypatch.setattr(model_type, "data", data)
    return asked


def test_twenty_thousand_overrides_open_into_a_lazy_catalog(
    make_window: Callable[[], MainWindow],
    overrides_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    asked = count_cells(monkeypatch, CatalogModel)
    window = make_window()
    open_through_the_menu(window, overrides_file, monkeypatch)
    window.catalog_dock.toggleViewAction().trigger()  # View → Price Catalog
    table = window.catalog_view.tables["gpus"]
    qtbot.waitExposed(table)
    QApplication.processEvents()
    model = table.model()
    shipped = len(list(shipped_catalogs().gpus))
    assert model.rowCount() == shipped + OVERRIDES
    # Structurally lazy: no item per cell, and only the cells on screen (and the first rows,
    # for the column widths) were ever asked for — not 20,000 rows × 8 columns.
    assert not isinstance(table, QTableWidget)
    rows_asked = {row for _, row, _ in asked}
    assert 0 < len(rows_asked) <= 400
    assert len(asked) < model.rowCount() * model.columnCount() / 50
    # The right data, anywhere in the table.
    for i in (0, 7_777, OVERRIDES - 1):
        row = shipped + i
        assert model.index(row, 0).data() == f"Client GPU {i:05d} (project override)"
        assert model.index(row, 1).data() == f"client-gpu-{i:05d}"
        price = 1.0 + (i % 500) / 100
        assert model.index(row, 2).data(Qt.ItemDataRole.EditRole) == pytest.approx(price)
        assert model.index(row, 0).data(Qt.ItemDataRole.FontRole).bold()
    # Editing a figure in the view: scroll there, type the client's price, press Enter.
    row = shipped + 12_345
    index = model.index(row, 2)
    table.scrollTo(index)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.findChild(QDoubleSpinBox)
    assert editor is not None
    editor.setValue(7.25)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next loop pass
    qtbot.waitUntil(
        lambda: (
            window.document.project.catalog_overrides.gpus[
                "client-gpu-12345"
            ].on_demand_usd_per_hour
            != 4.45
        )
    )
    entry = window.document.project.catalog_overrides.gpus["client-gpu-12345"]
    assert entry.on_demand_usd_per_hour == 7.25
    assert "Overridden in this project" in entry.source
    assert model.index(row, 2).data(Qt.ItemDataRole.EditRole) == 7.25
    assert window.isWindowModified()
    # Still the same row after the edit (no reset back to the top), and one undo step.
    assert table.currentIndex().row() == row
    window.act_undo.trigger()
    restored = window.document.project.catalog_overrides.gpus["client-gpu-12345"]
    assert restored.on_demand_usd_per_hour == pytest.approx(1.0 + (12_345 % 500) / 100)
    assert model.index(row, 2).data(Qt.ItemDataRole.EditRole) == pytest.approx(
        restored.on_demand_usd_per_hour
    )
    assert len({row for _, row, _ in asked}) < model.rowCount() / 20


def test_an_invalid_figure_typed_in_a_large_catalog_is_refused(
    window: MainWindow, overrides_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_through_the_menu(window, overrides_file, monkeypatch)
    window.catalog_dock.toggleViewAction().trigger()
    model = window.catalog_view.models["gpus"]
    row = model.row_of("client-gpu-00042")
    before = window.document.project.catalog_overrides.gpus["client-gpu-00042"]
    assert not model.setData(model.index(row, 3), 0.0, Qt.ItemDataRole.EditRole)  # memory 0 GB
    assert window.document.project.catalog_overrides.gpus["client-gpu-00042"] == before
    assert "greater than 0" in window.catalog_view.problem.text()
    assert model.index(row, 3).data() == "48 GB"


def test_a_thousand_scenarios_compare_lazily(
    make_window: Callable[[], MainWindow],
    scenarios_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    english: None,
) -> None:
    asked = count_cells(monkeypatch, ComparisonModel)
    window = make_window()
    evaluated: list[str] = []

    def evaluate(project: Project, scenario: Any) -> Any:
        evaluated.append(scenario.name)
        return real_evaluate(project, scenario)

    monkeypatch.setattr("gui.document.evaluate", evaluate)
    open_through_the_menu(window, scenarios_file, monkeypatch)
    window.results.setCurrentWidget(window.comparison)  # the Compare Scenarios tab
    view = window.comparison
    table = view.table()
    qtbot.waitExposed(table)
    QApplication.processEvents()
    model = view.model
    assert model.columnCount() == SCENARIOS
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in (0, 499, 999)]
    assert header == ["Scenario 0001", "Scenario 0500", "Scenario 1000"]
    # Only the scenarios in view were evaluated and made into cells.
    columns = {column for _, _, column in asked}
    assert 0 < len(columns) <= 12
    assert len(evaluated) <= 12
    assert model.fetched <= 12
    # The right figures, in view and far to the right (fetched when asked for).
    assert view.cell_text("Queries per month", 0) == "10,000"
    assert view.cell_text("Queries per month", 700) == "7,010,000"
    assert view.cell_text("Horizon", 999) == "24 months"
    assert view.cell_text("Recommended", 999) != ""
    # A figure is still one click from its explanation.
    row = view.row_of("Total cost over the horizon", "rag")
    figure = table.figure_at(row, 0)
    assert figure is not None and figure.key.startswith("rag")
    with qtbot.waitSignal(view.figureActivated) as activated:
        qtbot.mouseClick(
            table.viewport(),
            Qt.MouseButton.LeftButton,
            pos=table.visualRect(model.index(row, 0)).center(),
        )
    assert activated.args == [figure]
    QApplication.processEvents()
    # A keystroke with the comparison in front: the edited scenario's column shows it, and
    # nothing near all the scenarios is evaluated again.
    evaluated.clear()
    fetched = model.fetched
    field = window.inputs.show_field("workload", "horizon_months")
    field.setValue(36)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: view.cell_text("Horizon", 0) == "36 months")
    assert window.document.project.scenarios[0].workload.horizon_months.likely == 36
    assert view.cell_text("Horizon", 1) == "24 months"
    QApplication.processEvents()
    assert len(evaluated) <= 12
    assert model.fetched - fetched <= 24
