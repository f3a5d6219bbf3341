"""A window that fits: the first-start size, the layout kept per user, no clipped text in the
input forms at common screen sizes (light and dark), the chart's read-out clear of its axis, and
lines under a field that wait until the person has left it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QMessageBox,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from engine.templates import load_template, template_names
from gui.forms.fields import CatalogPicker, NumberField
from gui.forms.panel import InputPanel
from gui.forms.range_editor import range_editor_for
from gui.mainwindow import MainWindow, first_start_size
from gui.screenshots import dark_palette
from tests.gui.test_commands import trigger

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _never_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        MainWindow, "ask_save_changes", lambda _self: QMessageBox.StandardButton.Discard
    )


@pytest.mark.parametrize(
    ("screen", "expected"),
    [
        ((1366, 768), (1280, 720)),  # 90% would be 1229×691: the 1280×720 floor applies
        ((1920, 1080), (1728, 972)),
        ((2560, 1440), (2304, 1296)),
        ((1280, 720), (1280, 720)),
        ((1024, 600), (1024, 600)),  # a small screen: never larger than it
    ],
)
def test_first_start_size(screen: tuple[int, int], expected: tuple[int, int]) -> None:
    assert first_start_size(QSize(*screen)) == QSize(*expected)


def test_first_start_fills_about_90_percent_of_the_screen(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.restore_layout(QSettings(str(tmp_path / "empty.ini"), QSettings.Format.IniFormat))
    screen = window.screen().availableGeometry()
    assert window.size() == first_start_size(screen.size())
    window.show()
    qtbot.waitExposed(window)
    # once shown, the window manager's frame fits on the screen too
    qtbot.waitUntil(lambda: screen.contains(window.frameGeometry()))
    assert window.width() >= 0.85 * screen.width()
    assert window.height() >= 0.85 * screen.height()


def test_layout_is_restored_per_user(
    make_window: Callable[[], MainWindow], tmp_path: Path, qtbot: QtBot
) -> None:
    store = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    first = make_window()
    first.restore_layout(store)  # nothing stored yet: the first-start layout
    first.resize(760, 740)
    qtbot.waitUntil(lambda: first.width() == 760)
    first.ensure_result_views()  # as the app builds them after its first frame
    first.catalog_dock.show()
    first.resizeDocks([first.catalog_dock], [180], Qt.Orientation.Vertical)
    QApplication.processEvents()
    # Sizes the panes' minimums allow (the chart's toolbar, plot and readout; the results'
    # tab bar and page) with the catalog open, which takes the window's bottom.
    first.splitter.setSizes([420, 330])
    room = sum(first.right.sizes())
    first.right.setSizes([room - 140, 140])
    assert first.right.sizes() == [room - 140, 140]
    first.results.setCurrentIndex(2)
    first.inputs.setCurrentIndex(4)
    QApplication.processEvents()
    expected = (first.size(), first.splitter.sizes(), first.right.sizes())
    first.save_layout(store)
    store.sync()
    first.close()

    second = make_window()
    second.restore_layout(QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat))
    second.ensure_result_views()
    QApplication.processEvents()
    assert (second.size(), second.splitter.sizes(), second.right.sizes()) == expected
    assert second.results.currentIndex() == 2
    assert second.inputs.currentIndex() == 4
    assert second.catalog_dock.isVisibleTo(second)
    assert second.keeps_layout  # saves again when closed


# --- nothing clipped ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", template_names())
def test_the_chart_keeps_its_readout_clear_with_the_catalog_open(
    make_window: Callable[[], MainWindow], qtbot: QtBot, name: str
) -> None:
    """A laptop's 1366×768 with View → Price Catalog open: the catalog takes the window's
    bottom, and the chart above keeps its plot, axis title and readout apart (a squeezed chart
    drew its readout over the x axis's title), while the window still fits the screen."""
    window = make_window()
    window.open_project(load_template(name))
    window.ensure_result_views()  # as the app builds them after its first frame
    trigger(window, "view.catalog")
    qtbot.waitUntil(window.catalog_dock.isVisible)
    QApplication.processEvents()
    chart = window.chart
    plot, readout = chart._plot.geometry(), chart._readout.geometry()
    assert readout.top() > plot.bottom(), (plot, readout)
    assert readout.bottom() < chart.height(), (readout, chart.height())
    assert window.minimumSizeHint().height() <= 740  # room left for a taskbar
    assert window.height() <= 768


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    previous = QPalette(qapp.palette())
    if request.param == "dark":
        qapp.setPalette(dark_palette())
    yield request.param
    qapp.setPalette(previous)


def _pages(panel: InputPanel) -> Iterator[tuple[str, QWidget]]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for index in range(panel.count()):
        panel.setCurrentIndex(index)
        app.processEvents()
        page = panel.widget(index)
        inner = getattr(panel, "serving_tabs", None)
        if inner is not None and page is inner:
            for sub in range(inner.count()):
                inner.setCurrentIndex(sub)
                app.processEvents()
                page_widget = inner.widget(sub)
                assert page_widget is not None
                yield f"{panel.tabText(index)} / {inner.tabText(sub)}", page_widget
        else:
            yield panel.tabText(index), page


def clipped(panel: InputPanel) -> list[str]:
    """Every label, unit, check box text and combo box text on every input page that does not
    get the room it asks for, and every page that scrolls sideways."""
    problems: list[str] = []
    for name, page in _pages(panel):
        for area in [page, *page.findChildren(QScrollArea)]:
            if isinstance(area, QScrollArea) and area.horizontalScrollBar().isVisible():
                problems.append(f"{name}: scrolls sideways")
        for label in page.findChildren(QLabel):
            if not label.isVisibleTo(page) or not label.text():
                continue
            size = label.geometry().size()
            if label.wordWrap():
                if label.heightForWidth(size.width()) > size.height() + 1:
                    problems.append(f"{name}: {label.text()!r} cut at the bottom")
            elif label.sizeHint().width() > size.width() + 1:
                problems.append(
                    f"{name}: {label.text()!r} {size.width()} px < {label.sizeHint().width()} px"
                )
        for box in page.findChildren(QCheckBox):
            if box.isVisibleTo(page) and box.text() and box.sizeHint().width() > box.width() + 1:
                problems.append(f"{name}: check box {box.text()!r} cut")
        for combo in page.findChildren(QComboBox):
            if not combo.isVisibleTo(page):
                continue
            option = QStyleOptionComboBox()
            combo.initStyleOption(option)
            text = option.currentText
            if isinstance(combo, CatalogPicker) and combo.currentData(CatalogPicker.NAME_ROLE):
                text = str(combo.currentData(CatalogPicker.NAME_ROLE))  # what the box paints
            room = combo.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox,
                option,
                QStyle.SubControl.SC_ComboBoxEditField,
                combo,
            )
            if combo.fontMetrics().horizontalAdvance(text) > room.width():
                problems.append(f"{name}: combo box text {text!r} cut ({room.width()} px)")
    return problems


def _window_at(size: tuple[int, int], qtbot: QtBot, template: str | None = None) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    if template:
        window.open_template(template)
    else:
        window.open_template()
    # Units in a three-letter currency other than the example's USD ("EUR/GPU-hour").
    window.document.set_field(("currency",), "EUR")
    window.document.end_edit_burst()
    window.resize(*size)  # the window filling the screen's available area
    window.show()
    qtbot.waitExposed(window)
    window.ensure_chart()
    window.inputs.ensure_all_built()
    QApplication.processEvents()
    return window


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_no_clipped_text_in_the_forms(size: tuple[int, int], theme: str, qtbot: QtBot) -> None:
    window = _window_at(size, qtbot)
    assert clipped(window.inputs) == []
    window.document.undo_stack.setClean()


@pytest.mark.parametrize("template", template_names())
def test_no_clipped_text_at_the_first_start_size_of_a_1366_screen(
    template: str, qtbot: QtBot
) -> None:
    window = _window_at((1280, 720), qtbot, template)
    assert clipped(window.inputs) == []
    window.document.undo_stack.setClean()


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)])
def test_the_chart_read_out_stays_clear_of_its_axis(
    size: tuple[int, int], theme: str, qtbot: QtBot
) -> None:
    window = _window_at(size, qtbot)
    chart = window.chart
    plot = chart._plot
    readout = chart._readout
    # the longest read-out: with P10–P90 ranges for every strategy, at the pointer
    chart.show_readout_at(20_000)
    QApplication.processEvents()
    top_left = readout.mapTo(chart, readout.rect().topLeft())
    plot_bottom = plot.mapTo(chart, plot.rect().bottomLeft()).y()
    assert top_left.y() > plot_bottom, "the read-out overlaps the plot and its axis labels"
    assert readout.height() >= readout.heightForWidth(readout.width()), "read-out cut"
    window.document.undo_stack.setClean()


# --- lines under a field wait for the focus to leave it ----------------------------------------


def test_a_note_under_the_field_waits_until_the_focus_leaves_it(qtbot: QtBot) -> None:
    window = _window_at((1366, 768), qtbot)
    window.activateWindow()
    qtbot.waitActive(window)
    panel = window.inputs
    path = ("workload", "queries_per_month")
    field = panel.show_field(*path)
    assert isinstance(field, NumberField)
    below = panel.widget_for("workload", "prompt_tokens_per_query")
    editor = range_editor_for(panel.row(*path).field_row)
    assert editor is not None
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)

    def where() -> tuple[object, object]:
        return (
            field.mapTo(window, field.rect().topLeft()),
            below.mapTo(window, below.rect().topLeft()),
        )

    before = where()
    field.selectAll()
    QTest.keyClicks(field.lineEdit(), "90000")  # outside 12,000 – 35,000: widened, with a note
    QApplication.processEvents()
    assert "Widened to" in editor.note_text()
    assert editor.note is not None and editor.note.isHidden()  # not while typing here
    assert where() == before  # neither the field typed in nor the one below it moved
    below.setFocus()  # the next field: the note appears once the focus has left
    qtbot.waitUntil(lambda: editor.note is not None and editor.note.isVisible())
    window.document.undo_stack.setClean()
