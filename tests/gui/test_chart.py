"""The live crossover chart: curves, markers and labels in words, the mode toggle, the hover
read-out, exports, and that updates reuse the same graphics items (never re-plot)."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from engine.evaluate import Curves, evaluate_with_curves
from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, Scenario
from engine.templates import load_template
from gui import format as fmt
from gui.charts.crossover_chart import CrossoverChart

pytestmark = pytest.mark.gui

Result = tuple[Evaluation, Curves]


def _evaluate(template: str, index: int = 0) -> Result:
    project = load_template(template)
    return evaluate_with_curves(project, project.scenarios[index])


@pytest.fixture(scope="module")
def support() -> Result:
    return _evaluate("support-assistant")


@pytest.fixture(scope="module")
def support_later() -> Result:
    return _evaluate("support-assistant", 1)


@pytest.fixture(scope="module")
def enterprise() -> Result:
    return _evaluate("seed-enterprise")


@pytest.fixture
def english() -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def chart(qtbot: QtBot) -> CrossoverChart:
    widget = CrossoverChart()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_curves_show_the_engine_curves(chart: CrossoverChart, support: Result) -> None:
    evaluation, curves = support
    chart.set_data(curves, evaluation)
    for key in STRATEGIES:
        x, y = chart.curve_data(key)
        np.testing.assert_array_equal(x, curves.volumes)
        np.testing.assert_array_equal(y, curves.tco[key])


def test_second_update_reuses_the_same_items(
    chart: CrossoverChart, support: Result, support_later: Result
) -> None:
    # Label items are pooled: show both data sets once so the pool holds enough for either.
    chart.set_data(support_later[1], support_later[0])
    chart.set_data(support[1], support[0])
    items = {key: chart.curve_item(key) for key in STRATEGIES}
    plot_item = chart._plot.getPlotItem()
    count = len(plot_item.items)
    data_items = list(plot_item.listDataItems())
    evaluation, curves = support_later
    chart.set_data(curves, evaluation)
    for key in STRATEGIES:
        assert chart.curve_item(key) is items[key]
        np.testing.assert_array_equal(chart.curve_data(key)[1], curves.tco[key])
    assert len(plot_item.items) == count
    assert list(plot_item.listDataItems()) == data_items


def test_crossovers_are_labelled_in_words(
    chart: CrossoverChart, enterprise: Result, english: None
) -> None:
    evaluation, curves = enterprise
    chart.set_data(curves, evaluation)
    labels = chart.crossover_labels()
    # The seed's enterprise inputs: fine-tuning is cheaper than RAG above 17,045 queries/month.
    assert "Fine-tuning cheaper than RAG\nabove 17,045 queries/month" in labels
    assert "Fine-tuning cheaper than Hybrid\nabove 4,545 queries/month" in labels
    assert chart.today_label() == "today: 1,000,000/month"


def test_today_line_and_label_follow_each_volume(
    chart: CrossoverChart, enterprise: Result, support: Result, english: None
) -> None:
    for (evaluation, curves), text in (
        (enterprise, "today: 1,000,000/month"),
        (support, "today: 20,000/month"),
        (support, "today: 20,000/month"),
        (enterprise, "today: 1,000,000/month"),
    ):
        chart.set_data(curves, evaluation)
        assert chart.today_label() == text
        assert chart._today.value() == pytest.approx(math.log10(evaluation.queries_per_month))


def test_curves_drawn_fast_while_values_change_and_smooth_after(
    qtbot: QtBot, chart: CrossoverChart, support: Result, support_later: Result
) -> None:
    chart.set_data(support[1], support[0])
    assert chart.is_smooth()  # a single change is drawn smooth at once
    chart.set_data(support_later[1], support_later[0])  # a second one follows within 200 ms
    assert not chart.is_smooth()
    qtbot.waitUntil(chart.is_smooth, timeout=2000)
    assert all(chart.curve_item(k).curve.opts["antialias"] for k in STRATEGIES)


def test_crossover_labels_follow_the_locale(chart: CrossoverChart, enterprise: Result) -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    try:
        chart.set_data(enterprise[1], enterprise[0])
        assert any("17.045 queries/month" in label for label in chart.crossover_labels())
        assert chart.today_label() == "today: 1.000.000/month"
    finally:
        QLocale.setDefault(previous)


def test_label_pool_shrinks_and_grows_without_new_items(
    chart: CrossoverChart, enterprise: Result, support: Result
) -> None:
    chart.set_data(enterprise[1], enterprise[0])
    assert len(chart.crossover_labels()) == 2
    pool = list(chart._labels)
    chart.set_data(support[1], support[0])
    chart.set_data(enterprise[1], enterprise[0])
    assert chart._labels[: len(pool)] == pool


def test_mode_toggle_divides_by_the_horizon(chart: CrossoverChart, support: Result) -> None:
    evaluation, curves = support
    chart.set_data(curves, evaluation)
    chart.set_mode("per_month")
    assert chart.mode() == "per_month"
    for key in STRATEGIES:
        np.testing.assert_allclose(
            chart.curve_data(key)[1], curves.tco[key] / curves.horizon_months, rtol=1e-12
        )
    chart.set_mode("total")
    np.testing.assert_array_equal(chart.curve_data("rag")[1], curves.tco["rag"])
    with pytest.raises(ValueError, match="unknown chart mode"):
        chart.set_mode("weekly")


def test_hover_readout_reads_the_curves(
    chart: CrossoverChart, support: Result, english: None
) -> None:
    evaluation, curves = support
    chart.set_data(curves, evaluation)
    # Default read-out: today's volume.
    assert chart.readout_text().startswith("Today, 20,000 queries/month")
    i = 300  # a grid point: the interpolated value is the curve's own value
    text = chart.show_readout_at(float(curves.volumes[i]))
    assert text.startswith(f"At {fmt.volume(float(curves.volumes[i]))}")
    for key in STRATEGIES:
        assert fmt.money(float(curves.tco[key][i]), "USD") in text


def test_mouse_move_updates_the_readout(chart: CrossoverChart, support: Result) -> None:
    chart.set_data(support[1], support[0])
    view_box = chart._plot.getPlotItem().getViewBox()
    centre = view_box.sceneBoundingRect().center()
    chart._plot.scene().sigMouseMoved.emit(centre)
    assert chart.readout_text().startswith("At ")
    assert chart._crosshair.isVisible()


def test_log_cost_axis_when_curves_span_decades(
    chart: CrossoverChart, enterprise: Result, support: Result
) -> None:
    chart.set_data(enterprise[1], enterprise[0])  # 28 thousand to 1.3 billion
    assert chart.is_log_y()
    chart.set_data(support[1], support[0])  # 19 thousand to 620 thousand
    assert not chart.is_log_y()
    chart.set_y_scale("log")
    assert chart.is_log_y()
    chart.set_y_scale("linear")
    chart.set_data(enterprise[1], enterprise[0])
    assert not chart.is_log_y()


def test_excluded_strategy_is_marked_in_the_legend(chart: CrossoverChart) -> None:
    project = load_template("support-assistant")
    data = project.scenarios[0].model_dump(mode="json")
    data["requirements"]["compliance"]["access_control"] = "hard"
    evaluation, curves = evaluate_with_curves(project, Scenario.model_validate(data))
    assert evaluation.strategies["fine_tuning"].excluded
    chart.set_data(curves, evaluation)
    assert "Fine-tuning (excluded)" in chart.legend_labels()
    assert chart.curve_item("fine_tuning").opts["pen"].color().alpha() < 255
    assert chart.curve_item("rag").opts["pen"].color().alpha() == 255


def test_curves_differ_in_grey_scale_by_line_style(chart: CrossoverChart) -> None:
    styles = {chart.curve_item(key).opts["pen"].style() for key in STRATEGIES}
    widths = {chart.curve_item(key).opts["pen"].widthF() for key in STRATEGIES}
    assert len(styles) == 3
    assert min(widths) >= 2


def test_export_png(chart: CrossoverChart, support: Result, tmp_path: Path) -> None:
    chart.set_data(support[1], support[0])
    path = tmp_path / "chart.png"
    chart.export_png(path, width=1200)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert image.width() == 1200
    assert image.height() > 0
    # White background, antialiased export look restored afterwards on screen.
    assert image.pixelColor(2, 2).name() == "#ffffff"


def test_export_of_a_never_shown_chart(qtbot: QtBot, support: Result, tmp_path: Path) -> None:
    chart = CrossoverChart()
    qtbot.addWidget(chart)
    chart.set_data(support[1], support[0])
    chart.export_png(tmp_path / "hidden.png")
    assert QImage(str(tmp_path / "hidden.png")).width() == 2400


def test_export_svg(chart: CrossoverChart, support: Result, tmp_path: Path) -> None:
    chart.set_data(support[1], support[0])
    path = tmp_path / "chart.svg"
    chart.export_svg(path)
    text = path.read_text(encoding="utf-8")
    assert "<svg" in text
    assert "Queries per month" in text  # axis titles stay text, not outlines
    assert "Fine-tuning cheaper than Hybrid" in text
    assert " Z" in text  # closed paths survive the pyqtgraph #3495 workaround


def test_export_csv_round_trips(chart: CrossoverChart, support: Result, tmp_path: Path) -> None:
    evaluation, curves = support
    chart.set_data(curves, evaluation)
    path = tmp_path / "curves.csv"
    previous = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    try:
        chart.export_csv(path)  # C-locale numbers whatever the user's locale
    finally:
        QLocale.setDefault(previous)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert header[0] == "queries_per_month"
    assert header[1:4] == [f"{k}_total_24_months_usd" for k in STRATEGIES]
    assert header[4:] == [f"{k}_per_month_usd" for k in STRATEGIES]
    assert len(body) == len(curves.volumes)
    table = np.array([[float(cell) for cell in row] for row in body])
    np.testing.assert_array_equal(table[:, 0], curves.volumes)
    for column, key in enumerate(STRATEGIES, start=1):
        np.testing.assert_array_equal(table[:, column], curves.tco[key])
        np.testing.assert_array_equal(table[:, column + 3], curves.per_month()[key])


def test_palette_change_recolours_without_new_items(chart: CrossoverChart, support: Result) -> None:
    from PySide6.QtGui import QColor, QPalette

    chart.set_data(support[1], support[0])
    before = chart.curve_item("fine_tuning").opts["pen"].color().name()
    dark = QPalette(chart.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#181818"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    chart.setPalette(dark)
    after = chart.curve_item("fine_tuning").opts["pen"].color().name()
    assert before != after  # the light-on-dark variant
    assert chart._plot.backgroundBrush().color().name() == "#181818"


def test_empty_curves_clear_the_chart(chart: CrossoverChart, support: Result) -> None:
    evaluation, curves = support
    chart.set_data(curves, evaluation)
    empty = Curves(volumes=np.zeros(0), tco={k: np.zeros(0) for k in STRATEGIES}, horizon_months=24)
    chart.set_data(empty, evaluation)
    for key in STRATEGIES:
        assert chart.curve_data(key)[0].size == 0
    assert chart.crossover_labels() == []
