"""What an edit redraws: the window repaints only what changed, and what is on screen is always
what a full repaint of the current state draws.

The on-screen pixels are read back from the window's backing store (``QScreen.grabWindow``),
which keeps the result of every partial repaint; ``QWidget.grab`` would render the widget afresh
and hide a region left stale."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, Qt
from PySide6.QtGui import QAccessible, QImage, QPaintEvent, QRegion
from PySide6.QtWidgets import QComboBox, QScrollArea, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from engine.evaluate import evaluate_with_curves
from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES
from engine.templates import load_template
from engine.uncertainty import analyse
from gui.charts.crossover_chart import CrossoverChart
from gui.forms.fields import NumberField
from gui.mainwindow import MainWindow
from gui.views.common import SCORE_ROLE, ResultTable, ScoreDelegate, ensure_item, set_tooltip
from gui.views.scorecard import P_WIN_ROW, Scorecard

pytestmark = pytest.mark.gui

QUERIES = ("workload", "queries_per_month")


def on_screen(widget: QWidget) -> QImage:
    """The pixels the window shows where ``widget`` is (as partial repaints left them)."""
    window = widget.window()
    corner = widget.mapTo(window, widget.rect().topLeft())
    screen = window.screen()
    pixmap = screen.grabWindow(
        window.winId(), corner.x(), corner.y(), widget.width(), widget.height()
    )
    return pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)


def fully_repainted(qtbot: QtBot, widget: QWidget) -> QImage:
    """The same pixels after the whole widget is repainted from its current state."""
    widget.repaint()
    qtbot.wait(1)
    return on_screen(widget)


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Let what the window builds after its first frame be built, the chart draw smooth again
    and every posted update land."""
    window.ensure_result_views()
    window.ensure_analyses()
    qtbot.waitUntil(window.chart.is_smooth, timeout=3000)
    qtbot.wait(20)


def edit_volume(window: MainWindow, value: float) -> None:
    field = window.inputs.show_field(*QUERIES)
    assert isinstance(field, NumberField)
    field.setValue(value)
    window.document.end_edit_burst()


def typed(qtbot: QtBot, window: MainWindow, change: Callable[[], object]) -> None:
    """``change``, then its layout and partial repaints, with the chart still drawn as while
    typing (fast), until ``settle``."""
    change()
    window.chart._settle.stop()
    qtbot.wait(20)


def test_partial_repaints_of_the_chart_match_a_full_repaint(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Typing repaints one rectangle around what moved; after edits that move the "today"
    line, the axis range (a volume two decades up) and the window's size, every pixel of the
    plot is what a full repaint draws — while typing (curves drawn fast) and after it."""
    chart = window.chart
    viewport = chart._plot.viewport()
    settle(qtbot, window)
    steps: list[Callable[[], object]] = [
        lambda: edit_volume(window, 23_000),
        lambda: edit_volume(window, 27_000),
        lambda: edit_volume(window, 2_500_000),  # the x axis moves two decades
        lambda: window.resize(1200, 700),
        lambda: edit_volume(window, 31_000),
    ]
    for step in steps:
        typed(qtbot, window, step)
        assert on_screen(viewport) == fully_repainted(qtbot, viewport)
        chart._settle.start()
        settle(qtbot, window)
        assert on_screen(viewport) == fully_repainted(qtbot, viewport)


def test_an_edit_lays_the_labels_out_once_around_the_new_today_label(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A volume two decades up moves the x axis, switches the cost axis to log and moves the
    "today" label: the crossover labels are laid out once, at the end of the update, around
    the "today" label where it is then drawn (not where it was: they would be numbered, the
    key shown, and all laid out again when it moves)."""
    chart = window.chart
    settle(qtbot, window)
    layouts: list[tuple[QRectF | None, bool]] = []
    original = CrossoverChart._layout_labels

    def layout(self: CrossoverChart) -> None:
        original(self)
        layouts.append((self.today_label_rect(), self.labels_numbered()))

    monkeypatch.setattr(CrossoverChart, "_layout_labels", layout)
    typed(qtbot, window, lambda: edit_volume(window, 2_500_000))
    assert chart.is_log_y()
    assert len(layouts) == 1
    rect, numbered = layouts[0]
    assert rect == chart.today_label_rect()  # after the paint
    assert not numbered
    assert chart.key_text() == ""


def test_points_are_set_again_only_when_they_move(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, english: None
) -> None:
    """A volume typed moves the "today" line, not the curves: they are not set again (nor
    repainted).  A token count moves every curve along the same volumes: they are."""
    chart = window.chart
    settle(qtbot, window)
    curves = {id(chart.curve_item(k)): k for k in STRATEGIES}
    updated: list[str] = []
    original = pg.PlotDataItem.setData

    def set_data(self: pg.PlotDataItem, *args: object, **kwargs: object) -> None:
        if id(self) in curves:
            updated.append(curves[id(self)])
        original(self, *args, **kwargs)

    monkeypatch.setattr(pg.PlotDataItem, "setData", set_data)

    def shows_the_documents_curves() -> bool:
        data = window.document.curves
        assert data is not None
        return all(
            np.array_equal(chart.curve_data(k)[0], data.volumes)
            and np.array_equal(chart.curve_data(k)[1], data.tco[k])
            for k in STRATEGIES
        )

    before = {k: chart.curve_data(k)[1].copy() for k in STRATEGIES}
    edit_volume(window, 21_000)
    assert chart.today_label() == "today: 21,000/month"
    assert updated == []
    assert shows_the_documents_curves()

    field = window.inputs.show_field("workload", "prompt_tokens_per_query")
    assert isinstance(field, NumberField)
    field.setValue(field.value() * 2)
    assert sorted(updated) == sorted(STRATEGIES)
    assert shows_the_documents_curves()
    assert not np.array_equal(chart.curve_data("rag")[1], before["rag"])


# --- the key figures: formatted only while on screen -------------------------------------------


def figure_cells(card: Scorecard) -> list[tuple[str, bool, str]]:
    """What every key-figure cell shows: text, bold, tooltip (read without catching up)."""
    table = card._figures
    cells = []
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            assert item is not None
            cells.append((item.text(), item.font().bold(), item.toolTip()))
    header = table.verticalHeaderItem(0)
    assert header is not None
    return [(header.text(), False, ""), *cells]


def expected_cells(qtbot: QtBot, source: MainWindow | Evaluation) -> list[tuple[str, bool, str]]:
    """The key figures of an evaluation (the window's document's), as a fresh scorecard
    shows them."""
    fresh = Scorecard()
    qtbot.addWidget(fresh)
    evaluation = source.document.evaluation if isinstance(source, MainWindow) else source
    assert evaluation is not None
    fresh.set_evaluation(evaluation)
    fresh.figures_table()  # read: brought up to date
    return figure_cells(fresh)


def scroll_to_figures(window: MainWindow) -> None:
    area = window.scorecard.findChild(QScrollArea)
    assert area is not None
    area.ensureWidgetVisible(window.scorecard._figures)


def test_key_figures_below_the_fold_catch_up_when_scrolled_to(
    qtbot: QtBot, window: MainWindow
) -> None:
    card = window.scorecard
    settle(qtbot, window)
    assert card._figures.visibleRegion().isEmpty()  # below the fold at 1366×768
    before = figure_cells(card)
    for volume in (23_000, 2_500_000, 31_000):
        edit_volume(window, volume)
    qtbot.wait(20)
    assert figure_cells(card) == before  # not formatted while out of sight
    scroll_to_figures(window)
    qtbot.wait(20)
    assert figure_cells(card) == expected_cells(qtbot, window)
    table = card._figures
    assert on_screen(table) == fully_repainted(qtbot, table)
    edit_volume(window, 45_000)  # in view: at once
    assert figure_cells(card) == expected_cells(qtbot, window)


def test_key_figures_catch_up_when_their_tab_is_shown_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    card = window.scorecard
    scroll_to_figures(window)
    window.results.setCurrentWidget(window.breakdown)
    for volume in (23_000, 2_500_000):
        edit_volume(window, volume)
    assert figure_cells(card) != expected_cells(qtbot, window)
    window.results.setCurrentWidget(card)
    qtbot.wait(20)
    assert figure_cells(card) == expected_cells(qtbot, window)
    assert on_screen(card._figures) == fully_repainted(qtbot, card._figures)


def test_key_figures_catch_up_when_a_resize_brings_them_into_view(
    qtbot: QtBot, window: MainWindow
) -> None:
    card = window.scorecard
    edit_volume(window, 2_500_000)
    assert card._figures.visibleRegion().isEmpty()
    window.resize(1366, 1300)  # a taller window: the results pane grows
    qtbot.wait(20)
    assert not card._figures.visibleRegion().isEmpty()
    assert figure_cells(card) == expected_cells(qtbot, window)
    assert on_screen(card._figures) == fully_repainted(qtbot, card._figures)


def test_key_figures_catch_up_when_a_change_above_moves_them_into_view(qtbot: QtBot) -> None:
    """The chance-of-recommendation row goes (no ranges any more): the tables below move up,
    and the key figures that come into view show the evaluation of now."""
    project = load_template("support-assistant")
    first, _ = evaluate_with_curves(project, project.scenarios[0])
    second, _ = evaluate_with_curves(project, project.scenarios[1])
    uncertainty = analyse(project, project.scenarios[0], first, samples=200, seed=0)
    card = Scorecard()
    qtbot.addWidget(card)
    card.resize(900, 450)
    card.show()
    qtbot.waitExposed(card)
    card.set_evaluation(first)
    card.set_uncertainty(uncertainty, first)
    qtbot.wait(20)
    area = card.findChild(QScrollArea)
    assert area is not None
    table, row_height = card._figures, card.scores_table().rowHeight(P_WIN_ROW)
    top = table.mapTo(area.widget(), QPoint(0, 0)).y()
    area.verticalScrollBar().setValue(top - area.viewport().height() + 1 - row_height // 2)
    qtbot.wait(20)
    assert table.visibleRegion().isEmpty()  # just below the fold
    card.set_evaluation(second)
    assert figure_cells(card) != expected_cells(qtbot, second)
    card.set_uncertainty(None)
    qtbot.wait(20)
    assert not table.visibleRegion().isEmpty()
    assert figure_cells(card) == expected_cells(qtbot, second)


# --- the scores: a cell is repainted when what it draws changes ----------------------------------


def test_score_cells_are_repainted_when_what_they_draw_changes(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A keystroke moves the cost scores a little: a bar that comes out within the same pixel,
    and a tooltip, repaint nothing; a volume a hundred times higher redraws the bars it
    changes.  Either way the table on screen is what a full repaint draws."""
    table = window.scorecard.scores_table()
    viewport = table.viewport()
    settle(qtbot, window)
    painted = PaintLog(viewport)
    cost = table.item(0, 0)
    assert cost is not None
    tooltip, score = cost.toolTip(), cost.data(SCORE_ROLE)
    typed(qtbot, window, lambda: edit_volume(window, 20_100))
    assert cost.toolTip() != tooltip  # the new cost is in it
    assert cost.data(SCORE_ROLE) != score
    assert painted.regions == []
    assert on_screen(viewport) == fully_repainted(qtbot, viewport)
    painted.regions.clear()
    typed(qtbot, window, lambda: edit_volume(window, 2_000_000))
    assert painted.regions
    assert on_screen(viewport) == fully_repainted(qtbot, viewport)


def shown_cell(qtbot: QtBot, table: ResultTable, width: int) -> QTableWidgetItem:
    """``table`` shown ``width`` px wide, its one cell reading "50"."""
    qtbot.addWidget(table)
    table.resize(width, 90)
    table.show()
    qtbot.waitExposed(table)
    item = ensure_item(table, 0, 0)
    item.setText("50")
    return item


class PaintLog(QObject):
    """The regions a widget repaints."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.regions: list[QRegion] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            assert isinstance(event, QPaintEvent)
            self.regions.append(QRegion(event.region()))
        return False


def test_a_score_bar_is_repainted_when_it_moves_by_a_pixel(qtbot: QtBot) -> None:
    """The same number, a score a little higher: within the same pixel of the bar nothing is
    repainted; three pixels further, the bar is."""
    table = ResultTable(1, 1)
    delegate = ScoreDelegate(table)
    table.setItemDelegate(delegate)
    table.horizontalHeader().setStretchLastSection(True)
    item = shown_cell(qtbot, table, 360)
    item.setData(SCORE_ROLE, 50.0)
    qtbot.wait(20)
    track_width, _dark, _bar = delegate._shown[(0, 0)]  # what the first paint drew
    per_pixel = 100.0 / track_width  # score per pixel of the bar
    item.setData(SCORE_ROLE, 120 * per_pixel)
    qtbot.wait(20)
    viewport = table.viewport()
    painted = PaintLog(viewport)
    item.setData(SCORE_ROLE, 120.2 * per_pixel)
    qtbot.wait(20)
    assert painted.regions == []
    item.setData(SCORE_ROLE, 123 * per_pixel)  # the number stays as it is
    qtbot.wait(20)
    assert painted.regions
    assert on_screen(viewport) == fully_repainted(qtbot, viewport)


def test_after_a_resize_the_labels_are_laid_out_around_the_today_label_as_drawn(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A narrower window re-lays the labels out: around the "today" label where the resized
    plot draws it, which then sits below the legend, not under it."""
    chart = window.chart
    edit_volume(window, 2_500_000)
    settle(qtbot, window)
    layouts: list[QRectF | None] = []
    original = CrossoverChart._layout_labels

    def layout(self: CrossoverChart) -> None:
        original(self)
        layouts.append(self.today_label_rect())

    monkeypatch.setattr(CrossoverChart, "_layout_labels", layout)
    window.resize(1200, 700)
    settle(qtbot, window)
    drawn = chart.today_label_rect()
    assert layouts
    assert layouts[-1] == drawn
    assert drawn is not None
    assert not drawn.intersects(chart.legend_rect())
    assert all(not drawn.intersects(label) for label in chart.label_rects())


def test_a_key_activates_the_figure_of_now_in_a_table_scrolled_out_of_view(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The focus stays in the key figures while the page is scrolled away from them and the
    scenario changes (an undo, say): Enter shows the current figure, not the one formatted
    before."""
    card = window.scorecard
    table = card._figures
    scroll_to_figures(window)
    row, column = card.figure_cell("tco", "rag")
    table.setFocus()
    table.setCurrentCell(row, column)
    area = card.findChild(QScrollArea)
    assert area is not None
    area.verticalScrollBar().setValue(0)
    qtbot.wait(20)
    assert table.visibleRegion().isEmpty() and table.hasFocus()
    window.document.set_field(QUERIES, 2_500_000)
    evaluation = window.document.evaluation
    assert evaluation is not None
    with qtbot.waitSignal(card.figureActivated, timeout=1000) as activated:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert activated.args == [evaluation.strategies["rag"].tco]


@pytest.fixture
def assistive_technology() -> Iterator[None]:
    """A screen reader as if one were attached (it reads every widget, on screen or not)."""
    QAccessible.setActive(True)
    yield
    QAccessible.setActive(False)


def test_with_assistive_technology_the_key_figures_are_formatted_at_once(
    qtbot: QtBot, window: MainWindow, assistive_technology: None
) -> None:
    """A screen reader reads the key figures wherever they are."""
    card = window.scorecard
    assert card._figures.visibleRegion().isEmpty()
    edit_volume(window, 2_500_000)
    assert figure_cells(card) == expected_cells(qtbot, window)


def test_with_assistive_technology_every_change_of_a_cell_is_passed_on(
    qtbot: QtBot, assistive_technology: None
) -> None:
    """A screen reader hears of every change of a cell, a new tooltip too: the view is told
    as Qt tells it (and repaints the cell)."""
    table = ResultTable(1, 1)
    item = shown_cell(qtbot, table, 300)
    qtbot.wait(20)
    painted = PaintLog(table.viewport())
    set_tooltip(item, "Fifty, for a reason")
    qtbot.wait(20)
    assert painted.regions


def test_a_keystroke_reads_no_scenario_name_back_from_the_combo_box(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scenario box's names are compared with those last put in, not read back item by
    item (a third of a keystroke's scenario refresh with 200 scenarios); renames, additions
    and undos still show in it."""
    combo = window.scenario_combo
    reads: list[int] = []
    item_text = QComboBox.itemText

    def counted(self: QComboBox, index: int) -> str:
        if self is combo:
            reads.append(index)
        return item_text(self, index)

    monkeypatch.setattr(QComboBox, "itemText", counted)
    edit_volume(window, 23_500)
    assert reads == []
    doc = window.document
    doc.rename_scenario(0, "Renamed")
    doc.add_scenario()
    doc.undo_stack.undo()
    names = [s.name for s in doc.project.scenarios]
    monkeypatch.setattr(QComboBox, "itemText", item_text)
    assert [combo.itemText(i) for i in range(combo.count())] == names
    assert names[0] == "Renamed"
