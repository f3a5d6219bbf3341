"""The decision map for print and for vector export, painted with QPainter (no widget).

The report computes each scenario's map over the default axes (monthly volume × document churn:
engine.decision_map.default_axes, the Decision map tab's own starting axes) at a resolution fit
for print, and :func:`draw_decision_map` paints it onto the page: each region in a light tint of
its strategy's colour *and* a hatching of its own (fine-tuning ////, RAG rows of dots, hybrid
××××, "none qualifies" a square grid), so the map reads in grey-scale; the lines between regions
on top; today's inputs as a star; the axes named as the form names them, with units and scale;
and a legend above.  Every size is in points.

The hatching is computed, not clipped: each hatch line is cut to the region's outline here
(:func:`hatch_segments`), so the same painter writes a PDF page and an SVG file alike (Qt's SVG
generator ignores clip paths).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from engine.decision_map import (
    NONE,
    UNPRICED,
    DecisionMap,
    DecisionMapError,
    MapAxis,
    decision_map,
    default_axes,
    unit_text,
)
from engine.display import nice_step
from engine.evaluate import EvaluationError
from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES, Scenario
from gui import format as fmt
from gui.charts.style import STRATEGY_STYLES
from gui.report.chart import draw_backed_text
from gui.report.flow import INK, MUTED, Device, Style

#: Grid points per axis in the report: a cell is about 4.5 pt wide on an A4 page, below what
#: the boundary lines (interpolated between grid points) leave visible of the cells' steps.
REPORT_RESOLUTION = 100
TINT = 0.30  # share of the strategy's colour in a region's fill (the rest white)
NONE_COLOR = "#9A9A9A"
LINE_INK = "#1A1A1A"

TICK = Style(size=7.0, color=INK)
AXIS_TITLE = Style(size=7.5, color=MUTED)
LEGEND = Style(size=7.5, color=INK)
LABEL = Style(size=6.8, color=INK)


@dataclass(frozen=True)
class Hatch:
    """Families of parallel lines: each (angle in degrees, spacing in points); ``dotted``
    strokes them as rows of dots."""

    families: tuple[tuple[float, float], ...]
    dotted: bool = False
    width: float = 0.45


HATCHES: dict[str | None, Hatch] = {
    "fine_tuning": Hatch(((45.0, 4.2),)),
    "rag": Hatch(((0.0, 3.6),), dotted=True, width=0.9),
    "hybrid": Hatch(((45.0, 5.0), (-45.0, 5.0))),
    None: Hatch(((0.0, 4.0), (90.0, 4.0))),
}


def region_color(key: str | None) -> QColor:
    return QColor(STRATEGY_STYLES[key].light if key else NONE_COLOR)


def tint(key: str | None) -> QColor:
    c = region_color(key)
    mix = TINT if key else 0.35
    return QColor(
        round(255 * (1 - mix) + c.red() * mix),
        round(255 * (1 - mix) + c.green() * mix),
        round(255 * (1 - mix) + c.blue() * mix),
    )


def hatch_ink(key: str | None) -> QColor:
    return region_color(key).darker(150)


# --- computing the map for the report -------------------------------------------------------


def scenario_decision_map(
    project: Project,
    scenario: Scenario,
    evaluation: Evaluation,
    resolution: int = REPORT_RESOLUTION,
) -> DecisionMap | None:
    """The map the report prints for a scenario (None when this scenario cannot have one)."""
    try:
        x, y = default_axes(scenario)
        return decision_map(project, scenario, x, y, resolution, base=evaluation)
    except (DecisionMapError, EvaluationError):
        return None


# --- geometry --------------------------------------------------------------------------------


def region_polygons(
    winner: NDArray[np.intp], index: int, ex: NDArray[np.float64], ey: NDArray[np.float64]
) -> list[NDArray[np.float64]]:
    """The outline of the cells where ``winner == index`` as closed polygons (k, 2), in the
    coordinates the cell edges ``ex`` (nx + 1) and ``ey`` (ny + 1) are given in."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for row in range(winner.shape[0]):
        line = winner[row] == index
        if not line.any():
            continue
        change = np.diff(np.concatenate([[0], line.astype(int), [0]]))
        starts, stops = np.nonzero(change == 1)[0], np.nonzero(change == -1)[0]
        for start, stop in zip(starts, stops, strict=True):
            path.addRect(
                QRectF(
                    QPointF(ex[start], ey[row]),
                    QPointF(ex[stop], ey[row + 1]),
                ).normalized()
            )
    if path.isEmpty():
        return []
    return [
        np.array(
            [(polygon.at(i).x(), polygon.at(i).y()) for i in range(polygon.size())],
            dtype=np.float64,
        )
        for polygon in path.simplified().toSubpathPolygons()
        if polygon.size() >= 3
    ]


def hatch_segments(
    polygons: list[NDArray[np.float64]], angle: float, spacing: float, origin: QPointF
) -> NDArray[np.float64]:
    """Lines at ``angle`` degrees, ``spacing`` apart (through ``origin``), cut to the inside of
    the polygons (even–odd, so holes stay empty): an (n, 2, 2) array of segments."""
    if not polygons:
        return np.zeros((0, 2, 2))
    theta = math.radians(angle)
    d = np.array([math.cos(theta), -math.sin(theta)])  # along the line (y grows downwards)
    n = np.array([-d[1], d[0]])  # across the lines
    o = np.array([origin.x(), origin.y()])
    starts = np.concatenate(list(polygons))
    ends = np.concatenate([np.roll(p, -1, axis=0) for p in polygons])
    c0, c1 = (starts - o) @ n, (ends - o) @ n
    lo = math.floor(min(c0.min(), c1.min()) / spacing)
    hi = math.ceil(max(c0.max(), c1.max()) / spacing)
    segments: list[NDArray[np.float64]] = []
    for k in range(lo, hi + 1):
        c = k * spacing
        # half-open crossing rule: a vertex on the line is counted once
        crosses = (c0 <= c) != (c1 <= c)
        if not crosses.any():
            continue
        t = (c - c0[crosses]) / (c1[crosses] - c0[crosses])
        points = starts[crosses] + t[:, None] * (ends[crosses] - starts[crosses])
        along = np.sort((points - o) @ d)
        for a, b in zip(along[0::2], along[1::2], strict=False):
            if b - a > 1e-9:
                base = o + c * n
                segments.append(np.array([base + a * d, base + b * d]))
    return np.array(segments) if segments else np.zeros((0, 2, 2))


def axis_title(axis: MapAxis, currency: str) -> str:
    """The input as the form names it, with its unit and scale: "Corpus changed per month
    (%/month)", "Queries per month (logarithmic scale)"."""
    label = axis.field.label
    unit = unit_text(axis.field.unit, currency)
    implied = not unit or unit.split("/")[0].lower() in label.lower()
    scale = "logarithmic scale" if axis.log else ""
    inside = ", ".join(part for part in ("" if implied else unit, scale) if part)
    return f"{label} ({inside})" if inside else label


def _ticks(axis: MapAxis) -> list[tuple[float, str]]:
    """(value in the axis's view scale, label) for the axis's ticks."""
    lo, hi = float(axis.values[0]), float(axis.values[-1])
    if axis.log:
        a, b = math.log10(lo), math.log10(hi)
        decades = [float(k) for k in range(math.ceil(a - 1e-9), math.floor(b + 1e-9) + 1)]
        values = decades
        if len(decades) < 3:
            values = sorted(
                u
                for k in range(math.floor(a), math.ceil(b) + 1)
                for m in (1, 2, 5)
                if a - 1e-9 <= (u := k + math.log10(m)) <= b + 1e-9
            )
        return [(u, _tick_text(10.0**u)) for u in values]
    step = nice_step(hi - lo)
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    k = first
    while k * step <= hi + 1e-9 * step:
        ticks.append((k * step, _tick_text(k * step)))
        k += 1
    return ticks


def _tick_text(value: float) -> str:
    return fmt.volume_compact(value) if abs(value) >= 1000 else fmt.number(value)


# --- painting --------------------------------------------------------------------------------


@dataclass
class MapLayout:
    """Where the painter put things (device pixels), for checks."""

    plot: QRectF = field(default_factory=QRectF)
    legend: QRectF = field(default_factory=QRectF)
    today: QPointF | None = None
    regions: dict[str | None, int] = field(default_factory=dict)  # key → hatch segments drawn
    boundaries: int = 0


def _pen(dev: Device, color: QColor | str, width_pt: float) -> QPen:
    pen = QPen(QColor(color))
    pen.setWidthF(dev.pt(width_pt))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _hatch_pen(dev: Device, key: str | None) -> QPen:
    hatch = HATCHES[key]
    pen = _pen(dev, hatch_ink(key), hatch.width)
    if hatch.dotted:
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        # dash lengths are in pen widths: a dot (a round cap on a zero-length dash) every 3.6 pt
        pen.setDashPattern([0.001, 3.6 / hatch.width])
    return pen


def paint_hatched(
    painter: QPainter,
    dev: Device,
    polygons: list[NDArray[np.float64]],
    key: str | None,
    origin: QPointF,
) -> int:
    """Fill the polygons with the region's tint and hatching; returns the segments drawn."""
    outline = QPainterPath()
    outline.setFillRule(Qt.FillRule.OddEvenFill)
    for polygon in polygons:
        outline.addPolygon(QPolygonF([QPointF(float(x), float(y)) for x, y in polygon]))
        outline.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(tint(key))
    painter.drawPath(outline)
    drawn = 0
    painter.setPen(_hatch_pen(dev, key))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for angle, spacing in HATCHES[key].families:
        segments = hatch_segments(polygons, angle, dev.pt(spacing), origin)
        path = QPainterPath()
        for (x0, y0), (x1, y1) in segments:
            path.moveTo(float(x0), float(y0))
            path.lineTo(float(x1), float(y1))
        painter.drawPath(path)
        drawn += len(segments)
    return drawn


def legend_entries(m: DecisionMap) -> list[str | None]:
    """The regions the map shows, in the legend's order (None: none qualifies)."""
    present = {int(w) for w in np.unique(m.winner)}
    keys: list[str | None] = [k for i, k in enumerate(STRATEGIES) if i in present]
    if NONE in present:
        keys.append(None)
    return keys


def _star(center: QPointF, radius: float) -> QPolygonF:
    points = QPolygonF()
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.45
        a = math.pi / 2 + i * math.pi / 5
        points.append(QPointF(center.x() + r * math.cos(a), center.y() - r * math.sin(a)))
    return points


def draw_decision_map(painter: QPainter, dev: Device, rect: QRectF, m: DecisionMap) -> MapLayout:
    """Draw the map into ``rect`` (device pixels) on a white background."""
    layout = MapLayout()
    pt = dev.pt
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(rect, QColor("white"))
    tick_font, title_font, legend_font = dev.font(TICK), dev.font(AXIS_TITLE), dev.font(LEGEND)
    tick_m = QFontMetricsF(tick_font, dev.device)
    title_m = QFontMetricsF(title_font, dev.device)
    legend_m = QFontMetricsF(legend_font, dev.device)

    # --- the legend: one swatch per region shown, then the line and today's star ---------------
    keys = legend_entries(m)
    swatch_w, swatch_h = pt(18), pt(9)
    names = [STRATEGY_NAMES[k] if k else "None qualifies" for k in keys]
    extra = ["line between regions", "today's inputs"]
    widths = [swatch_w + pt(4) + legend_m.horizontalAdvance(t) + pt(12) for t in names + extra]
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, w in enumerate(widths):
        if rows[-1] and used + w > rect.width():
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += w
    legend_h = len(rows) * max(legend_m.height(), swatch_h + pt(2)) + pt(6)
    layout.legend = QRectF(rect.left(), rect.top(), rect.width(), legend_h)

    # --- the frame ---------------------------------------------------------------------------
    x_ticks, y_ticks = _ticks(m.x), _ticks(m.y)
    y_label_w = max((tick_m.horizontalAdvance(t) for _, t in y_ticks), default=0.0)
    left = rect.left() + title_m.height() + pt(4) + y_label_w + pt(4)
    right = rect.right() - pt(8)
    top = rect.top() + legend_h + pt(2)
    bottom = rect.bottom() - (tick_m.height() + pt(3) + title_m.height() + pt(3))
    plot = QRectF(QPointF(left, top), QPointF(right, bottom))
    layout.plot = QRectF(plot)
    ux, uy = m.x.to_view(m.x.values), m.y.to_view(m.y.values)
    ux0, ux1, uy0, uy1 = float(ux[0]), float(ux[-1]), float(uy[0]), float(uy[-1])

    def px(u: NDArray[np.float64] | float) -> NDArray[np.float64]:
        return plot.left() + (np.asarray(u) - ux0) / (ux1 - ux0) * plot.width()

    def py(u: NDArray[np.float64] | float) -> NDArray[np.float64]:
        return plot.bottom() - (np.asarray(u) - uy0) / (uy1 - uy0) * plot.height()

    # Cell edges half-way between grid points, the outer ones at the plot's edges.
    ex = np.concatenate([[plot.left()], (px(ux[:-1]) + px(ux[1:])) / 2, [plot.right()]])
    ey = np.concatenate([[plot.bottom()], (py(uy[:-1]) + py(uy[1:])) / 2, [plot.top()]])

    # --- regions -------------------------------------------------------------------------------
    for key in keys:
        index = STRATEGIES.index(key) if key else NONE
        polygons = region_polygons(m.winner, index, ex, ey)
        layout.regions[key] = paint_hatched(painter, dev, polygons, key, plot.topLeft())
    if (m.winner == UNPRICED).any():
        layout.regions["unpriced"] = 0  # left white

    # --- grid ticks and frame --------------------------------------------------------------------
    painter.setFont(tick_font)
    for u, text in x_ticks:
        x = float(px(u))
        painter.setPen(_pen(dev, "#8A919B", 0.5))
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + pt(2.5)))
        painter.setPen(QColor(INK))
        w = tick_m.horizontalAdvance(text)
        painter.drawText(QPointF(x - w / 2, plot.bottom() + pt(3) + tick_m.ascent()), text)
    for u, text in y_ticks:
        y = float(py(u))
        painter.setPen(_pen(dev, "#8A919B", 0.5))
        painter.drawLine(QPointF(plot.left() - pt(2.5), y), QPointF(plot.left(), y))
        painter.setPen(QColor(INK))
        w = tick_m.horizontalAdvance(text)
        painter.drawText(QPointF(plot.left() - pt(4) - w, y + tick_m.ascent() / 2 - pt(0.8)), text)
    painter.setPen(_pen(dev, "#8A919B", 0.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(plot)

    painter.setFont(title_font)
    painter.setPen(QColor(MUTED))
    x_title, y_title = axis_title(m.x, m.currency), axis_title(m.y, m.currency)
    painter.drawText(
        QPointF(
            plot.center().x() - title_m.horizontalAdvance(x_title) / 2,
            rect.bottom() - title_m.descent(),
        ),
        x_title,
    )
    painter.save()
    painter.translate(rect.left() + title_m.ascent(), plot.center().y())
    painter.rotate(-90)
    painter.drawText(QPointF(-title_m.horizontalAdvance(y_title) / 2, 0), y_title)
    painter.restore()

    # --- boundaries ----------------------------------------------------------------------------
    painter.setPen(_pen(dev, LINE_INK, 1.3))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for boundary in m.boundaries:
        xs = px(m.x.to_view(boundary.points[:, 0]))
        ys = py(m.y.to_view(boundary.points[:, 1]))
        polyline = QPolygonF([QPointF(float(a), float(b)) for a, b in zip(xs, ys, strict=True)])
        painter.drawPolyline(polyline)
        layout.boundaries += 1

    # --- today ---------------------------------------------------------------------------------
    tx, ty = float(m.x.to_view(m.today[0])), float(m.y.to_view(m.today[1]))
    if ux0 <= tx <= ux1 and uy0 <= ty <= uy1:
        center = QPointF(float(px(tx)), float(py(ty)))
        painter.setPen(_pen(dev, LINE_INK, 0.9))
        painter.setBrush(QColor("white"))
        painter.drawPolygon(_star(center, pt(5.0)))
        label_font = dev.font(LABEL)
        label_m = QFontMetricsF(label_font, dev.device)
        painter.setFont(label_font)
        text = "today"
        w = label_m.horizontalAdvance(text) + pt(3)
        box = QRectF(center.x() + pt(6), center.y() - label_m.height() / 2, w, label_m.height())
        if box.right() > plot.right():
            box.moveRight(center.x() - pt(6))
        draw_backed_text(
            painter, box, QPointF(box.left() + pt(1.5), box.top() + label_m.ascent()), text
        )
        layout.today = center

    # --- the legend ----------------------------------------------------------------------------
    painter.setFont(legend_font)
    row_h = max(legend_m.height(), swatch_h + pt(2))
    for r, row in enumerate(rows):
        x = plot.left()
        y = rect.top() + r * row_h + pt(1)
        for i in row:
            swatch = QRectF(x, y + (row_h - swatch_h) / 2, swatch_w, swatch_h)
            if i < len(keys):
                key = keys[i]
                square = np.array(
                    [
                        [swatch.left(), swatch.top()],
                        [swatch.right(), swatch.top()],
                        [swatch.right(), swatch.bottom()],
                        [swatch.left(), swatch.bottom()],
                    ]
                )
                paint_hatched(painter, dev, [square], key, swatch.topLeft())
                painter.setPen(_pen(dev, "#8A919B", 0.4))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(swatch)
                text = names[i]
            elif i == len(keys):
                painter.setPen(_pen(dev, LINE_INK, 1.3))
                mid = swatch.center().y()
                painter.drawLine(QPointF(swatch.left(), mid), QPointF(swatch.right(), mid))
                text = extra[0]
            else:
                painter.setPen(_pen(dev, LINE_INK, 0.9))
                painter.setBrush(QColor("white"))
                painter.drawPolygon(_star(swatch.center(), pt(4.5)))
                text = extra[1]
            painter.setPen(QColor(INK))
            painter.drawText(
                QPointF(
                    swatch.right() + pt(4),
                    swatch.center().y() + legend_m.ascent() / 2 - pt(0.8),
                ),
                text,
            )
            x += widths[i]
    return layout


def paint_decision_map(painter: QPainter, dev: Device, rect: QRectF, m: DecisionMap) -> None:
    """The :class:`~gui.report.flow.Drawing` callback (see :func:`draw_decision_map`)."""
    draw_decision_map(painter, dev, rect, m)


# --- SVG ----------------------------------------------------------------------------------------

SVG_SIZE_PT = (640.0, 420.0)


def decision_map_svg(m: DecisionMap, title: str = "Decision map") -> bytes:
    """The map as an SVG document (vector, white background), drawn by
    :func:`draw_decision_map` at 72 units per inch (one SVG unit a point)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtSvg import QSvgGenerator

    from gui.report.fonts import ensure_report_font

    width, height = SVG_SIZE_PT
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(72)
    generator.setSize(QSize(int(width), int(height)))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setTitle(title)
    generator.setDescription("Which strategy is recommended over two inputs")
    painter = QPainter(generator)
    try:
        dev = Device(generator, ensure_report_font())
        draw_decision_map(painter, dev, QRectF(6, 6, width - 12, height - 12), m)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
