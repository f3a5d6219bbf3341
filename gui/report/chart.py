"""The crossover chart for print, painted with QPainter straight onto the page (vector).

The on-screen chart (gui.charts.crossover_chart) is a live pyqtgraph widget; its pens are
cosmetic (widths in device pixels), which on a 1200-dpi PDF page would print as hairlines, and it
needs a widget to exist.  The printed chart draws the same picture from the same data — curves in
each strategy's colour *and* line style (readable in grey-scale), the crossovers marked and
labelled, today's volume as a vertical line, a logarithmic volume axis, and the cost axis
switching to logarithmic by the same rule as the screen — with every size in points, so it looks
the same in a PDF, on a printer and in a PNG.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from engine.display import EXCLUDED_ALPHA_PRINT, nice_step, spans_log_range
from engine.evaluate import Curves
from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from gui import format as fmt
from gui.charts.label_layout import (
    MAX_LEADER_SHARE,
    MAX_NUMBERED,
    MAX_WORD_LABELS,
    LabelItem,
    Placement,
    chart_label_items,
    place_labels,
)
from gui.charts.style import STRATEGY_STYLES
from gui.report.flow import INK, MUTED, Device, Style

GRID = "#E4E7EB"
MINOR_GRID = "#F1F3F5"
BAND_ALPHA = 56  # P10–P90 shading (uncertainty)

TICK = Style(size=7.0, color=INK)
AXIS_TITLE = Style(size=7.5, color=MUTED)
LEGEND = Style(size=7.5, color=INK)
LABEL = Style(size=6.8, color=INK)
KEY = Style(size=6.8, color=INK)
TIE_FILL = QColor(120, 128, 140, 38)  # a near-tie band (grey, under the curves)


@dataclass
class ChartLayout:
    """Where the painter put things, in the device pixels it painted in (for checks): the
    plot area, the legend row, today's label, every label box (crossovers and near-ties, or
    their numbers), and the key below the plot when the labels did not fit beside their
    points and the markers are numbered instead."""

    plot: QRectF = field(default_factory=QRectF)
    legend: QRectF = field(default_factory=QRectF)
    today: QRectF | None = None
    labels: list[QRectF] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # each label's words, left to right
    numbered: bool = False
    key: QRectF | None = None
    ticks: list[QRectF] = field(default_factory=list)  # the axes' tick labels


def chart_uses_log_cost_axis(curves: Curves) -> bool:
    # The screen's "Auto" cost axis rule.
    return spans_log_range(
        np.concatenate([np.asarray(curves.tco[k], dtype=float) for k in STRATEGIES])
    )


def draw_backed_text(painter: QPainter, box: QRectF, origin: QPointF, text: str) -> None:
    """``text`` from ``origin`` on a white, slightly see-through ``box``: the lines behind it
    show faintly but never run across the words (the charts' "today" labels)."""
    fill = QColor("white")
    fill.setAlpha(225)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRect(box)
    painter.setPen(QColor(INK))
    painter.drawText(origin, text)


def draw_crossover_chart(
    painter: QPainter,
    dev: Device,
    rect: QRectF,
    curves: Curves,
    evaluation: Evaluation,
    *,
    bands: tuple[NDArray[np.float64], Mapping[str, tuple[NDArray[np.float64], NDArray[np.float64]]]]
    | None = None,
) -> ChartLayout:
    """Draw the chart into ``rect`` (device pixels) on a white background.  ``bands``:
    (volumes, strategy → (P10, P90) of the total cost) from the uncertainty analysis, drawn as
    shaded bands around the curves.  Returns where the labels went (:class:`ChartLayout`)."""
    layout = ChartLayout()
    pt = dev.pt
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(rect, QColor("white"))

    volumes = np.asarray(curves.volumes, dtype=float)
    if volumes.size < 2 or not np.all(volumes > 0):
        painter.setFont(dev.font(AXIS_TITLE))
        painter.setPen(QColor(MUTED))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No cost curves to show.")
        return layout
    log_y = chart_uses_log_cost_axis(curves)
    series = {k: np.asarray(curves.tco[k], dtype=float) for k in STRATEGIES}
    excluded = {k: evaluation.strategies[k].excluded for k in STRATEGIES}

    # --- scales -----------------------------------------------------------------------------
    x_lo, x_hi = math.log10(volumes[0]), math.log10(volumes[-1])
    band_values = [np.concatenate(b) for b in bands[1].values()] if bands is not None else []
    stacked = np.concatenate(list(series.values()) + band_values)
    finite = stacked[np.isfinite(stacked)]
    y_lo: float
    y_hi: float
    if log_y:
        positive = finite[finite > 0]
        y_lo = math.floor(math.log10(positive.min()))
        y_hi = math.ceil(math.log10(positive.max()))
        if y_hi <= y_lo:
            y_hi = y_lo + 1
        y_ticks = [float(k) for k in range(y_lo, y_hi + 1)]
    else:
        top = float(finite.max()) if finite.size else 1.0
        top = top if top > 0 else 1.0
        step = nice_step(top)
        y_lo, y_hi = 0.0, math.ceil(top * 1.04 / step) * step
        y_ticks = [i * step for i in range(round(y_hi / step) + 1)]

    def y_label(value: float) -> str:
        return fmt.money_compact(10.0**value if log_y else value)

    # --- frame: legend on top, axis labels left and below ---------------------------------
    tick_font = dev.font(TICK)
    tick_metrics = QFontMetricsF(tick_font, dev.device)
    title_font = dev.font(AXIS_TITLE)
    title_metrics = QFontMetricsF(title_font, dev.device)
    legend_font = dev.font(LEGEND)
    legend_metrics = QFontMetricsF(legend_font, dev.device)
    y_label_width = max(tick_metrics.horizontalAdvance(y_label(v)) for v in y_ticks)
    left = rect.left() + title_metrics.height() + pt(4) + y_label_width + pt(4)
    # The last volume decade's label is centred on the plot's right edge: leave room for its
    # right half, or "100M" is cut at the chart's border.
    last_label = fmt.volume_compact(10.0 ** math.floor(x_hi + 1e-9))
    right = rect.right() - max(pt(6), tick_metrics.horizontalAdvance(last_label) / 2 + pt(1))
    # The legend: one entry per strategy, then the marker key on the right — on a second row
    # when both do not fit side by side (long names such as "Hybrid (excluded)").
    sample = pt(22)
    shown_tie = any(b.high >= volumes[0] and b.low <= volumes[-1] for b in evaluation.tie_bands)
    legend_names = [
        STRATEGY_NAMES[key] + (" (excluded)" if excluded[key] else "") for key in STRATEGIES
    ]
    strategies_width = sum(
        sample + pt(4) + legend_metrics.horizontalAdvance(name) + pt(14) for name in legend_names
    )
    marker_text = (
        "● crossover   ┆ today's volume"
        + ("   ▒ effectively tied" if shown_tie else "")
        + ("   ▒ P10–P90" if bands is not None else "")
    )
    marker_width = legend_metrics.horizontalAdvance(marker_text)
    legend_rows = 1 if strategies_width + marker_width <= right - left else 2
    legend_height = legend_rows * legend_metrics.height() + pt(6)
    top = rect.top() + legend_height
    bottom = rect.bottom() - (tick_metrics.height() + pt(3) + title_metrics.height() + pt(3))
    plot = QRectF(QPointF(left, top), QPointF(right, bottom))

    def px(log_volume: float) -> float:
        return plot.left() + (log_volume - x_lo) / (x_hi - x_lo) * plot.width()

    def py(value: float) -> float:
        v = (math.log10(value) if value > 0 else float("nan")) if log_y else value
        return plot.bottom() - (v - y_lo) / (y_hi - y_lo) * plot.height()

    def py_tick(tick: float) -> float:
        return plot.bottom() - (tick - y_lo) / (y_hi - y_lo) * plot.height()

    # --- labels: planned before anything is drawn (numbering them needs room below) ---------
    label_font = dev.font(LABEL)
    label_metrics = QFontMetricsF(label_font, dev.device)
    log_volumes = np.log10(volumes)
    q0 = evaluation.queries_per_month
    today_shown = q0 > 0 and x_lo <= math.log10(q0) <= x_hi
    items = chart_label_items(evaluation, float(volumes[0]), float(volumes[-1]))
    axis_bottom = rect.bottom()  # where the x axis title sits (above the key, if any)

    def today_box() -> QRectF | None:
        if not today_shown:
            return None
        text = f"today: {fmt.count(q0)}/month"
        width = label_metrics.horizontalAdvance(text) + pt(4)
        x = px(math.log10(q0))
        box = QRectF(x + pt(2), plot.top() + pt(2), width, label_metrics.height() + pt(2))
        if box.right() > plot.right() - pt(2):
            box.moveRight(x - pt(2))
        return box

    def anchor_of(item: LabelItem) -> QPointF:
        mid = (math.log10(item.low) + math.log10(item.high)) / 2
        costs = [float(np.interp(mid, log_volumes, series[k])) for k in item.between]
        return QPointF(px(mid), py(sum(costs) / len(costs)))

    def plan(numbered: bool) -> list[Placement] | None:
        anchors = [anchor_of(item) for item in items]
        if numbered:
            texts = [[str(i + 1)] for i in range(len(items))]
        else:
            texts = [item.lines for item in items]
        sizes = [
            QSizeF(
                max(label_metrics.horizontalAdvance(line) for line in lines) + pt(4),
                label_metrics.height() * len(lines) + pt(3),
            )
            for lines in texts
        ]
        today = today_box()
        return place_labels(
            anchors,
            sizes,
            plot.adjusted(pt(1), pt(1), -pt(1), -pt(1)),
            [today] if today is not None else [],
            gap=pt(5),
            marker_radius=pt(3.2),
            spacing=pt(1),
            max_distance=plot.height() * MAX_LEADER_SHARE,
        )

    placements = plan(False) if len(items) <= MAX_WORD_LABELS else None
    key_lines: list[str] = []
    key_columns = 1
    key_metrics = QFontMetricsF(dev.font(KEY), dev.device)
    if placements is None:
        # No room beside the points: number the markers and list the labels below the chart
        # (in as many columns as fit); too many even for that, one line says where they are.
        if len(items) <= MAX_NUMBERED:
            key_lines = [f"{i + 1}  {item.short}" for i, item in enumerate(items)]
            widest = max(key_metrics.horizontalAdvance(line) for line in key_lines) + pt(12)
            key_columns = max(1, min(3, int(plot.width() // widest)))
        else:
            key_lines = [
                f"{fmt.count(len(items))} crossovers and near-ties between "
                f"{fmt.volume(items[0].low)} and {fmt.volume(items[-1].high)}: "
                "see the list of cost crossovers."
            ]
        rows = math.ceil(len(key_lines) / key_columns)
        key_height = key_metrics.height() * rows + pt(4)
        axis_bottom = rect.bottom() - key_height
        plot.setBottom(plot.bottom() - key_height)
        placements = plan(True) if len(items) <= MAX_NUMBERED else None
        layout.numbered = True
        layout.key = QRectF(rect.left(), axis_bottom + pt(2), rect.width(), key_height - pt(2))
    layout.plot = QRectF(plot)
    layout.legend = QRectF(rect.left(), rect.top(), rect.width(), plot.top() - rect.top())
    layout.today = today_box()
    layout.texts = [" ".join(item.lines) for item in items]

    def tick_text(origin: QPointF, text: str, width: float) -> None:
        """A tick label ``width`` wide at its baseline ``origin``, its box kept in the layout."""
        painter.drawText(origin, text)
        top = origin.y() - tick_metrics.ascent()
        layout.ticks.append(QRectF(origin.x(), top, width, tick_metrics.height()))

    # --- grid and axes ----------------------------------------------------------------------
    painter.setFont(tick_font)
    first_decade, last_decade = math.ceil(x_lo - 1e-9), math.floor(x_hi + 1e-9)
    for decade in range(math.floor(x_lo), last_decade + 1):
        for factor in range(2, 10):
            log_v = decade + math.log10(factor)
            if x_lo < log_v < x_hi:
                painter.setPen(_pen(dev, MINOR_GRID, 0.4))
                painter.drawLine(QPointF(px(log_v), plot.top()), QPointF(px(log_v), plot.bottom()))
    if log_y:
        for decade in range(int(y_lo), int(y_hi)):
            for factor in range(2, 10):
                y = py_tick(decade + math.log10(factor))
                painter.setPen(_pen(dev, MINOR_GRID, 0.4))
                painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
    for decade in range(first_decade, last_decade + 1):
        x = px(float(decade))
        painter.setPen(_pen(dev, GRID, 0.5))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setPen(QColor(INK))
        text = fmt.volume_compact(10.0**decade)
        width = tick_metrics.horizontalAdvance(text)
        tick_text(
            QPointF(x - width / 2, plot.bottom() + pt(3) + tick_metrics.ascent()), text, width
        )
    for tick in y_ticks:
        y = py_tick(tick)
        painter.setPen(_pen(dev, GRID, 0.5))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor(INK))
        text = y_label(tick)
        width = tick_metrics.horizontalAdvance(text)
        origin = QPointF(plot.left() - pt(4) - width, y + tick_metrics.ascent() / 2 - pt(0.8))
        tick_text(origin, text, width)
    painter.setPen(_pen(dev, "#8A919B", 0.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(plot)

    # Axis titles.
    painter.setFont(title_font)
    painter.setPen(QColor(MUTED))
    months = fmt.count(curves.horizon_months)
    scale = "logarithmic scale" if log_y else "linear scale"
    y_title = f"Total cost over {months} months ({evaluation.currency}, {scale})"
    x_title = "Queries per month (logarithmic scale)"
    x_width = title_metrics.horizontalAdvance(x_title)
    painter.drawText(
        QPointF(plot.center().x() - x_width / 2, axis_bottom - title_metrics.descent()), x_title
    )
    painter.save()
    painter.translate(rect.left() + title_metrics.ascent(), plot.center().y())
    painter.rotate(-90)
    y_width = title_metrics.horizontalAdvance(y_title)
    painter.drawText(QPointF(-y_width / 2, 0), y_title)
    painter.restore()

    # --- near-ties: one shaded band each, under everything else ----------------------------
    painter.setClipRect(plot.adjusted(-pt(1), -pt(1), pt(1), pt(1)))
    for item in items:
        if item.band is not None:
            left = px(max(math.log10(item.low), x_lo))
            right = px(min(math.log10(item.high), x_hi))
            painter.fillRect(
                QRectF(left, plot.top(), max(right - left, pt(1.5)), plot.height()), TIE_FILL
            )

    # --- today's volume ---------------------------------------------------------------------
    if today_shown:
        x = px(math.log10(q0))
        painter.setPen(_pen(dev, INK, 0.8, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

    # --- P10–P90 bands (under the curves) ---------------------------------------------------
    if bands is not None:
        band_x = np.log10(np.asarray(bands[0], dtype=float))
        for key in STRATEGIES:
            if key not in bands[1]:
                continue
            low, high = (np.asarray(v, dtype=float) for v in bands[1][key])
            color = QColor(STRATEGY_STYLES[key].light)
            color.setAlpha(BAND_ALPHA // 2 if excluded[key] else BAND_ALPHA)
            outline = QPolygonF()
            for log_v, cost in zip(band_x, low, strict=True):
                outline.append(QPointF(px(float(log_v)), py(float(cost))))
            for log_v, cost in zip(band_x[::-1], high[::-1], strict=True):
                outline.append(QPointF(px(float(log_v)), py(float(cost))))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPolygon(outline)

    # --- curves -----------------------------------------------------------------------------
    for key in STRATEGIES:
        style = STRATEGY_STYLES[key]
        color = QColor(style.light)
        if excluded[key]:
            color.setAlpha(EXCLUDED_ALPHA_PRINT)
        painter.setPen(_pen(dev, color, 1.6, style.line))
        polygon = QPolygonF()
        for log_v, cost in zip(log_volumes, series[key], strict=True):
            y = py(float(cost))
            if math.isfinite(y):
                polygon.append(QPointF(px(float(log_v)), y))
        painter.drawPolyline(polygon)

    # --- crossovers and near-ties: markers and labels ---------------------------------------
    painter.setFont(label_font)
    radius = pt(2.6)
    markers = [anchor_of(item) for item in items]
    for number, (item, placement) in enumerate(zip(items, placements or [], strict=False), 1):
        box = placement.rect
        if placement.leader:
            painter.setPen(_pen(dev, "#8A919B", 0.5))
            point = placement.anchor
            corner = QPointF(
                min(max(point.x(), box.left()), box.right()),
                min(max(point.y(), box.top()), box.bottom()),
            )
            painter.drawLine(point, corner)
        fill = QColor("white")
        fill.setAlpha(230)
        painter.setPen(_pen(dev, "#B8BEC6", 0.4))
        painter.setBrush(fill)
        painter.drawRoundedRect(box, pt(1.5), pt(1.5))
        painter.setPen(QColor(INK))
        lines = [str(number)] if layout.numbered else item.lines
        for row, line in enumerate(lines):
            painter.drawText(
                QPointF(
                    box.left() + pt(2),
                    box.top() + pt(1.5) + label_metrics.ascent() + row * label_metrics.height(),
                ),
                line,
            )
        layout.labels.append(QRectF(box))
    for item, point in zip(items, markers, strict=True):  # markers on top of everything
        if item.band is not None or not math.isfinite(point.y()):
            continue
        painter.setPen(_pen(dev, "white", 0.8))
        painter.setBrush(QColor(INK))
        painter.drawEllipse(point, radius, radius)

    # Today's label, at the top of its line.
    box_today = today_box()
    if box_today is not None:
        draw_backed_text(
            painter,
            box_today,
            QPointF(box_today.left() + pt(2), box_today.top() + pt(1) + label_metrics.ascent()),
            f"today: {fmt.count(q0)}/month",
        )
    painter.setClipping(False)

    # --- legend (above the plot) -----------------------------------------------------------
    painter.setFont(legend_font)
    x = plot.left()
    y = rect.top() + legend_metrics.height() / 2 + pt(1)
    for key, name in zip(STRATEGIES, legend_names, strict=True):
        style = STRATEGY_STYLES[key]
        color = QColor(style.light)
        if excluded[key]:
            color.setAlpha(EXCLUDED_ALPHA_PRINT)
        painter.setPen(_pen(dev, color, 1.6, style.line))
        path = QPainterPath(QPointF(x, y))
        path.lineTo(QPointF(x + sample, y))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(QColor(INK))
        painter.drawText(
            QPointF(x + sample + pt(4), y + legend_metrics.ascent() / 2 - pt(0.8)), name
        )
        x += sample + pt(4) + legend_metrics.horizontalAdvance(name) + pt(14)
    painter.setPen(QColor(MUTED))
    marker_y = y + (legend_rows - 1) * legend_metrics.height()
    painter.drawText(
        QPointF(plot.right() - marker_width, marker_y + legend_metrics.ascent() / 2 - pt(0.8)),
        marker_text,
    )

    # --- the key, when the markers are numbered ------------------------------------------
    if layout.key is not None:
        painter.setFont(dev.font(KEY))
        painter.setPen(QColor(INK))
        rows = math.ceil(len(key_lines) / key_columns)
        column_width = plot.width() / key_columns
        for index, line in enumerate(key_lines):
            column, row = divmod(index, rows)
            painter.drawText(
                QPointF(
                    plot.left() + column * column_width,
                    layout.key.top() + key_metrics.ascent() + row * key_metrics.height(),
                ),
                line,
            )
    return layout


def _pen(
    dev: Device,
    color: QColor | str,
    width_pt: float,
    style: Qt.PenStyle = Qt.PenStyle.SolidLine,
) -> QPen:
    pen = QPen(QColor(color))
    pen.setWidthF(dev.pt(width_pt))
    pen.setStyle(style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen
