"""Crossover labels never overlap: each other, the legend, the "today" label or the axes — on
the live chart and on the report's chart, on the built-in templates (with and without their
uncertainty ranges shown) and on projects whose crossovers cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from engine.evaluate import evaluate_with_curves
from engine.model.project import Project
from engine.templates import load_template, template_names
from engine.uncertainty import analyse
from gui.charts.crossover_chart import CrossoverChart
from gui.charts.label_layout import MAX_NUMBERED, chart_label_items, overlaps, place_labels
from gui.report.chart import ChartLayout, draw_crossover_chart
from gui.report.flow import Device
from gui.report.fonts import ensure_report_font
from tests.claims_assistant import (
    CROWDED_GPU,
    TIED_CLUSTER_GPU,
    claims_assistant_project,
    clustered_crossovers_project,
)

pytestmark = pytest.mark.gui

SIZES = [(900, 500), (560, 360)]


def projects() -> Iterator[tuple[str, Project, int]]:
    for name in template_names():
        project = load_template(name)
        for index in range(len(project.scenarios)):
            yield f"{name}[{index}]", project, index
    yield "claims", claims_assistant_project(), 0
    yield "cluster", clustered_crossovers_project(), 0
    yield "cluster-tie", clustered_crossovers_project(TIED_CLUSTER_GPU), 0
    yield "crowded", clustered_crossovers_project(CROWDED_GPU), 0


CASES = list(projects())


def check_screen(chart: CrossoverChart, case: str) -> None:
    rects = chart.label_rects()
    plot = chart.plot_rect()
    legend = chart.legend_rect()
    today = chart.today_label_rect()
    assert overlaps(rects) == [], case
    for rect in rects:
        assert plot.contains(rect), (case, rect, plot)  # inside the axes
        assert not rect.intersects(legend), (case, rect, legend)
        assert today is None or not rect.intersects(today), (case, rect, today)


@pytest.mark.parametrize(("case", "project", "index"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("size", SIZES, ids=["wide", "small"])
def test_screen_labels_never_overlap(
    qtbot: QtBot, case: str, project: Project, index: int, size: tuple[int, int]
) -> None:
    chart = CrossoverChart()
    qtbot.addWidget(chart)
    chart.resize(*size)
    chart.show()
    qtbot.waitExposed(chart)
    evaluation, curves = evaluate_with_curves(project, project.scenarios[index])
    chart.set_data(curves, evaluation)
    chart.grab()  # lays out and paints
    check_screen(chart, case)
    items = chart.crossover_labels()
    if chart.labels_numbered():
        lines = chart.key_text().splitlines()
        if len(items) <= MAX_NUMBERED:
            assert len(chart.label_rects()) == len(items)
            assert [line.split()[0] for line in lines] == [str(i + 1) for i in range(len(items))]
        else:
            assert chart.label_rects() == [] and len(lines) == 1
    else:
        assert len(chart.label_rects()) == len(items)
        assert chart.key_text() == ""


def test_screen_labels_with_the_uncertainty_ranges_shown(qtbot: QtBot) -> None:
    for name in template_names():
        project = load_template(name)
        scenario = project.scenarios[0]
        evaluation, curves = evaluate_with_curves(project, scenario)
        u = analyse(project, scenario, evaluation, samples=300, seed=0)
        chart = CrossoverChart()
        qtbot.addWidget(chart)
        chart.resize(700, 420)
        chart.show()
        qtbot.waitExposed(chart)
        chart.set_data(curves, evaluation)
        chart.set_bands(u.band_volumes, u.bands, u.band_likely)
        assert chart.bands_visible()
        chart.grab()
        check_screen(chart, name)
        chart.close()


def test_labels_follow_a_resize_and_a_zoom(qtbot: QtBot) -> None:
    project = load_template("support-assistant")
    evaluation, curves = evaluate_with_curves(project, project.scenarios[1])
    chart = CrossoverChart()
    qtbot.addWidget(chart)
    chart.resize(900, 500)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data(curves, evaluation)
    chart.grab()
    before = chart.label_rects()
    chart.resize(600, 380)
    qtbot.waitUntil(lambda: chart.plot_rect().width() < 600)
    chart.grab()
    check_screen(chart, "resized")
    assert chart.label_rects() != before
    view_box = chart._plot.getPlotItem().getViewBox()
    view_box.scaleBy((0.8, 0.8))  # zoom in a little: the labels stay inside and apart
    chart.grab()
    check_screen(chart, "zoomed")


def test_a_near_tie_is_one_shaded_band_with_one_label(qtbot: QtBot) -> None:
    project = claims_assistant_project()
    evaluation, curves = evaluate_with_curves(project, project.scenarios[0])
    assert len(evaluation.tie_bands) == 1
    (band,) = evaluation.tie_bands
    woven = [c for c in evaluation.crossovers if c.in_tie_band]
    clean = [c for c in evaluation.crossovers if not c.in_tie_band]
    assert len(woven) == band.crossings >= 2
    chart = CrossoverChart()
    qtbot.addWidget(chart)
    chart.resize(900, 500)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data(curves, evaluation)
    chart.grab()
    labels = chart.crossover_labels()
    # One label for the whole band, one for each crossing outside it (all are in view here).
    assert len(labels) == len(clean) + 1
    tied = [label for label in labels if "effectively tied" in label]
    assert len(tied) == 1
    (item,) = [i for i in chart._items if i.band is not None]
    assert item.band == band and tied == ["\n".join(item.lines)]
    assert tied[0].endswith(" queries/month") and "–" in tied[0]
    if chart.labels_numbered():
        assert len(chart.key_text().splitlines()) == len(labels)
    assert len(chart.label_rects()) == len(labels)
    regions = [r for r in chart._ties if r.isVisible()]
    assert len(regions) == 1
    low, high = regions[0].getRegion()
    assert 10**low == pytest.approx(band.low, rel=1e-9)
    assert 10**high == pytest.approx(band.high, rel=1e-9)
    x, _ = chart._markers.getData()
    x = [] if x is None else list(x)
    # A marker for each crossing outside the band, none for those inside it.
    assert len(x) == len(clean)
    assert sorted(10**v for v in x) == pytest.approx(sorted(c.queries_per_month for c in clean))
    assert not any(band.low <= 10**v <= band.high for v in x)


def _key_lines(chart: CrossoverChart) -> list[str]:
    return chart.key_text().splitlines()


def test_clustered_crossovers_are_numbered_with_a_key(qtbot: QtBot) -> None:
    # Crossings close together with a near-tie among them: too many words to place beside
    # the markers, so the markers are numbered and the words go in a key.
    project = clustered_crossovers_project(TIED_CLUSTER_GPU)
    evaluation, curves = evaluate_with_curves(project, project.scenarios[0])
    assert evaluation.tie_bands
    chart = CrossoverChart()
    qtbot.addWidget(chart)
    chart.resize(900, 500)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data(curves, evaluation)
    chart.grab()
    assert chart.labels_numbered()
    items = chart._items
    key = _key_lines(chart)
    count = len(chart.crossover_labels())
    assert len(key) == count == len(items) and 2 <= count <= MAX_NUMBERED
    clean = [c for c in evaluation.crossovers if not c.in_tie_band]
    assert count == len(clean) + len(evaluation.tie_bands)  # all in view
    assert key == [f"{i + 1}  {item.short}" for i, item in enumerate(items)]
    assert key[0].startswith("1  ") and "cheaper than" in key[0]
    assert sum("effectively tied" in line for line in key) == len(evaluation.tie_bands)
    assert [label.toPlainText() for label in chart._labels if label.isVisible()] == [
        str(i) for i in range(1, count + 1)
    ]


def test_place_labels_gives_up_rather_than_overlap() -> None:
    from PySide6.QtCore import QPointF, QSizeF

    area = QRectF(0, 0, 200, 100)
    anchors = [QPointF(100, 50)] * 4
    assert place_labels(anchors, [QSizeF(150, 40)] * 4, area) is None
    placed = place_labels(anchors[:2], [QSizeF(60, 20)] * 2, area)
    assert placed is not None
    assert overlaps([p.rect for p in placed]) == []


# --- the report's chart (painted with QPainter) ------------------------------------------


def paint(project: Project, index: int, width: int, dpi: int, with_bands: bool) -> ChartLayout:
    scenario = project.scenarios[index]
    evaluation, curves = evaluate_with_curves(project, scenario)
    bands = None
    if with_bands:
        u = analyse(project, scenario, evaluation, samples=300, seed=0)
        bands = (u.band_volumes, u.bands)
    image = QImage(width, int(width * 0.56), QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(int(dpi / 0.0254))
    image.setDotsPerMeterY(int(dpi / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        return draw_crossover_chart(
            painter,
            Device(image, ensure_report_font()),
            QRectF(0, 0, image.width(), image.height()),
            curves,
            evaluation,
            bands=bands,
        )
    finally:
        painter.end()


def check_report(layout: ChartLayout, case: str, area: QRectF) -> None:
    assert overlaps(layout.labels) == [], case
    # Every tick label lies inside the chart's rectangle (the last decade's label is centred on
    # the plot's right edge and was once cut there).
    assert layout.ticks, case
    for tick in layout.ticks:
        assert area.contains(tick), (case, tick, area)
    for rect in layout.labels:
        assert layout.plot.contains(rect), (case, rect, layout.plot)
        assert not rect.intersects(layout.legend), case
        assert layout.today is None or not rect.intersects(layout.today), case
        assert layout.key is None or not rect.intersects(layout.key), case
    if layout.key is not None:
        assert layout.key.top() >= layout.plot.bottom()


@pytest.mark.parametrize(("case", "project", "index"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize(
    ("width", "dpi", "with_bands"),
    [(1400, 160, False), (700, 100, False), (1400, 160, True)],
    ids=["print", "small", "ranges"],
)
def test_report_labels_never_overlap(
    qapp: object, case: str, project: Project, index: int, width: int, dpi: int, with_bands: bool
) -> None:
    layout = paint(project, index, width, dpi, with_bands)
    check_report(layout, case, QRectF(0, 0, width, int(width * 0.56)))
    if layout.numbered:
        assert layout.key is not None
    else:
        assert len(layout.labels) == len(layout.texts)


def test_report_numbers_a_cluster_and_keys_it_below(qapp: object) -> None:
    project = clustered_crossovers_project()
    layout = paint(project, 0, 1400, 160, False)
    assert layout.numbered and layout.key is not None
    assert len(layout.labels) == len(layout.texts) <= MAX_NUMBERED
    evaluation, _ = evaluate_with_curves(project, project.scenarios[0])
    assert len(layout.labels) == len(evaluation.crossovers) - sum(
        c.in_tie_band for c in evaluation.crossovers
    ) + len(evaluation.tie_bands)
    # More than can be numbered: no numbers on the plot, just the key below it.
    project = clustered_crossovers_project(CROWDED_GPU)
    evaluation, _ = evaluate_with_curves(project, project.scenarios[0])
    assert len(chart_label_items(evaluation, 0, float("inf"))) > MAX_NUMBERED
    crowded = paint(project, 0, 1400, 160, False)
    assert crowded.numbered and crowded.labels == [] and crowded.key is not None


def test_exports_carry_the_key_of_numbered_markers(qtbot: QtBot, tmp_path: Path) -> None:
    chart = CrossoverChart()
    qtbot.addWidget(chart)
    chart.resize(900, 500)
    chart.show()
    qtbot.waitExposed(chart)
    project = load_template("support-assistant")
    evaluation, curves = evaluate_with_curves(project, project.scenarios[1])
    chart.set_data(curves, evaluation)
    chart.grab()
    assert not chart.labels_numbered()
    chart.export_png(tmp_path / "words.png", width=1200)
    project = clustered_crossovers_project(TIED_CLUSTER_GPU)
    evaluation, curves = evaluate_with_curves(project, project.scenarios[0])
    chart.set_data(curves, evaluation)
    chart.grab()
    assert chart.labels_numbered()
    key = _key_lines(chart)
    (tied,) = [line for line in key if "effectively tied" in line]
    chart.export_png(tmp_path / "numbered.png", width=1200)
    words, numbered = QImage(str(tmp_path / "words.png")), QImage(str(tmp_path / "numbered.png"))
    assert numbered.width() == words.width() == 1200
    assert numbered.height() > words.height()  # the key is below the plot
    chart.export_svg(tmp_path / "numbered.svg")
    svg = (tmp_path / "numbered.svg").read_text(encoding="utf-8")
    ElementTree.fromstring(svg)  # still well-formed
    assert key[0].startswith("1  ") and key[0] in svg
    assert key[-1].startswith(f"{len(key)}  ") and key[-1] in svg
    assert tied.split(" effectively tied")[0] + " effectively tied" in svg


def shown_chart(qtbot: QtBot, project: Project) -> CrossoverChart:
    """A chart on screen with the project's first scenario drawn."""
    chart = CrossoverChart()
    qtbot.addWidget(chart)
    chart.show()
    qtbot.waitExposed(chart)
    evaluation, curves = evaluate_with_curves(project, project.scenarios[0])
    chart.set_data(curves, evaluation)
    return chart


@pytest.mark.parametrize("mode", ["total", "per_month"])
def test_the_y_axis_title_is_never_cut_and_is_shortened_only_when_it_must(
    qtbot: QtBot, mode: str
) -> None:
    """The y axis's title is drawn rotated along the plot's height: in full when it fits, in
    its short form (no horizon) when the chart is squeezed, as with the price catalog open on
    a laptop screen; never wider than the plot is high."""
    chart = shown_chart(qtbot, load_template("support-assistant"))
    if mode != chart.mode():
        chart.set_mode(mode)
    axis = chart._plot.getPlotItem().getAxis("left")
    view_box = chart._plot.getPlotItem().getViewBox()
    titles = {}
    for height in (560, 300, 240):
        chart.resize(700, height)
        chart.grab()  # lays out and paints
        titles[height] = axis.labelText
        assert axis.label.boundingRect().width() <= view_box.height(), (height, axis.labelText)
    full = "Total cost over 24 months (USD)" if mode == "total" else "Average cost per month (USD)"
    short = "Total cost (USD)" if mode == "total" else "Cost per month (USD)"
    assert titles[560] == full
    assert titles[240] == short
    chart.resize(700, 560)
    chart.grab()
    assert axis.labelText == full  # back in full when there is room again


@pytest.mark.parametrize("size", [(700, 560), (700, 300), (560, 240)], ids=str)
def test_every_tick_label_of_either_axis_is_drawn_whole(
    qtbot: QtBot, size: tuple[int, int]
) -> None:
    """The left axis lets its labels run past the plot's top and bottom (pyqtgraph's default
    for a vertical axis), and nothing left them room: the top label ('500k', '6M') was drawn
    cut in half by the chart's edge."""
    for name in template_names():
        chart = shown_chart(qtbot, load_template(name))
        chart.resize(*size)
        chart.grab()  # lays out and paints
        view = chart._plot
        shown = QRectF(view.viewport().rect())
        image = QImage(10, 10, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            for side in ("left", "bottom"):
                axis = view.getPlotItem().getAxis(side)
                specs = axis.generateDrawSpecs(painter)
                assert specs is not None
                texts = [(rect, text) for rect, _flags, text in specs[2] if text]
                assert texts, (name, side)
                for rect, text in texts:
                    on_view = view.mapFromScene(axis.mapRectToScene(rect)).boundingRect()
                    assert shown.contains(QRectF(on_view)), (name, side, text, on_view, shown)
        finally:
            painter.end()
