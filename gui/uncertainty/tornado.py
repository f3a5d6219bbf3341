"""The tornado chart: for each input with a range, how far the recommended strategy's lead moves
when that input alone goes to its low and to its high value (largest swing on top).

One painter draws it on screen (:class:`TornadoChart`, a plain QWidget) and in the report
(vector, via gui.report): sizes are given in points through a ``pt`` function, colours through a
:class:`TornadoLook`.  Each bar runs from the centre line — the lead at the likely values — to
the lead at the input's low end (lighter shade) and at its high end (full shade), each shade in
the colour of the strategy recommended at that end; the dashed line at 0 is where the
recommendation changes hands.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QPaintDevice,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from engine.display import nice_step
from engine.model.scenario import STRATEGY_NAMES
from engine.uncertainty import TornadoBar
from gui import format as fmt
from gui.charts.style import STRATEGY_STYLES, is_dark
from gui.uncertainty.text import (
    NO_RANGES,
    input_label,
    range_text,
    tornado_bar_text,
    value_text,
)

MAX_BARS = 10
LOW_ALPHA = 120
HIGH_ALPHA = 235
FLIP_COLOR = "#C0392B"


@dataclass(frozen=True)
class TornadoLook:
    """Fonts, colours and the unit of size for one drawing surface."""

    font: QFont
    small: QFont
    ink: QColor
    muted: QColor
    grid: QColor
    dark: bool
    pt: Callable[[float], float]  # points → device units
    device: QPaintDevice | None = None  # fonts are measured on it (None: the screen)

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.device) if self.device is not None else QFontMetricsF(font)


def _strategy_color(key: str | None, dark: bool, alpha: int) -> QColor:
    color = STRATEGY_STYLES[key].color(dark) if key in STRATEGY_STYLES else QColor("#8A919B")
    color.setAlpha(alpha)
    return color


def row_height(look: TornadoLook) -> float:
    return look.metrics(look.font).height() + look.metrics(look.small).height() + look.pt(7)


def tornado_height(count: int, look: TornadoLook) -> float:
    """The height the chart needs for ``count`` bars (device units)."""
    shown = min(count, MAX_BARS)
    return shown * row_height(look) + 4 * look.metrics(look.small).height() + look.pt(24)


def paint_tornado(
    painter: QPainter,
    rect: QRectF,
    bars: Sequence[TornadoBar],
    *,
    base: float,
    recommended: str | None,
    currency: str,
    look: TornadoLook,
    empty: str = NO_RANGES,
) -> list[tuple[QRectF, TornadoBar]]:
    """Draw the chart into ``rect``; returns each bar's row rectangle (for tooltips).
    ``empty``: what to say when there are no bars."""
    pt = look.pt
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    shown = list(bars[:MAX_BARS])
    font_metrics = look.metrics(look.font)
    small_metrics = look.metrics(look.small)
    if not shown:
        painter.setFont(look.font)
        painter.setPen(look.muted)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(rect, int(flags), empty)
        painter.restore()
        return []

    # --- columns: labels on the left, bars on the right -----------------------------------
    labels = [(input_label(bar.path, bar.label), range_text(bar, currency)) for bar in shown]
    label_width = max(
        max(font_metrics.horizontalAdvance(a), small_metrics.horizontalAdvance(b))
        for a, b in labels
    )
    label_width = min(label_width + pt(8), rect.width() * 0.42)
    end_labels = [
        (value_text(bar.low, bar.unit, currency), value_text(bar.high, bar.unit, currency))
        for bar in shown
    ]
    end_width = max(small_metrics.horizontalAdvance(t) for pair in end_labels for t in pair)
    plot = QRectF(
        rect.left() + label_width + end_width + pt(6),
        rect.top() + small_metrics.height() + pt(6),
        max(rect.width() - label_width - 2 * end_width - pt(12), pt(40)),
        len(shown) * row_height(look),
    )

    # --- scale: the leads at both ends of every bar, the centre line, and 0 when crossed ---
    values = [base] + [v for bar in shown for v in (bar.margin_at_low, bar.margin_at_high)]
    lo, hi = min(values), max(values)
    if lo > 0 and lo < 0.25 * (hi - lo):
        lo = 0.0  # close to a flip: show where it would happen
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.06 * (hi - lo)
    lo, hi = lo - pad, hi + pad

    def px(value: float) -> float:
        return plot.left() + (value - lo) / (hi - lo) * plot.width()

    # Grid and axis ticks (points of lead).
    step = nice_step(hi - lo)
    tick = math.ceil(lo / step) * step
    painter.setFont(look.small)
    axis_y = plot.bottom() + pt(3)
    while tick <= hi + 1e-9:
        x = px(tick)
        grid_pen = QPen(look.grid)
        grid_pen.setWidthF(pt(0.5))
        painter.setPen(grid_pen)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        text = fmt.number(round(tick, 6))
        width = small_metrics.horizontalAdvance(text)
        painter.setPen(look.muted)
        painter.drawText(QPointF(x - width / 2, axis_y + small_metrics.ascent()), text)
        tick += step
    name = STRATEGY_NAMES.get(recommended or "", "the recommendation")
    title = f"Lead of {name} over the best alternative (points of the weighted score)"
    painter.drawText(
        QPointF(
            plot.center().x() - small_metrics.horizontalAdvance(title) / 2,
            axis_y + small_metrics.height() + small_metrics.ascent(),
        ),
        title,
    )

    # --- rows --------------------------------------------------------------------------------
    rows: list[tuple[QRectF, TornadoBar]] = []
    height = row_height(look)
    thickness = min(height * 0.5, pt(11))
    for index, bar in enumerate(shown):
        top = plot.top() + index * height
        row = QRectF(rect.left(), top, rect.width(), height)
        rows.append((row, bar))
        centre = top + height / 2
        # Label: the input, and its range underneath.
        painter.setFont(look.font)
        painter.setPen(look.ink)
        label, range_words = labels[index]
        label = font_metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - pt(4))
        range_words = small_metrics.elidedText(
            range_words, Qt.TextElideMode.ElideRight, label_width - pt(4)
        )
        block = font_metrics.height() + small_metrics.height()
        painter.drawText(QPointF(rect.left(), centre - block / 2 + font_metrics.ascent()), label)
        painter.setFont(look.small)
        painter.setPen(look.muted)
        painter.drawText(
            QPointF(
                rect.left(), centre - block / 2 + font_metrics.height() + small_metrics.ascent()
            ),
            range_words,
        )
        # The two segments: the farther one first, so the nearer stays visible on top.
        segments = [
            (bar.margin_at_low, bar.winner_at_low, LOW_ALPHA, end_labels[index][0]),
            (bar.margin_at_high, bar.winner_at_high, HIGH_ALPHA, end_labels[index][1]),
        ]
        segments.sort(key=lambda s: -abs(s[0] - base))
        painter.setPen(Qt.PenStyle.NoPen)
        for margin, winner, alpha, _ in segments:
            left, right = sorted((px(base), px(margin)))
            painter.setBrush(_strategy_color(winner, look.dark, alpha))
            painter.drawRect(
                QRectF(left, centre - thickness / 2, max(right - left, pt(0.6)), thickness)
            )
        # End labels: the input's value at each end, outside the bar.
        painter.setFont(look.small)
        painter.setPen(look.ink)
        placed: list[QRectF] = []
        for margin, _, _, text in segments:
            width = small_metrics.horizontalAdvance(text)
            x_end = px(margin)
            x = x_end + pt(3) if margin >= base else x_end - pt(3) - width
            box = QRectF(x, centre - small_metrics.height() / 2, width, small_metrics.height())
            if any(box.intersects(other) for other in placed):
                continue
            placed.append(box)
            painter.drawText(
                QPointF(x, centre - small_metrics.height() / 2 + small_metrics.ascent()), text
            )

    # Centre line (lead at the likely values) and the flip line at 0.
    centre_pen = QPen(look.ink)
    centre_pen.setWidthF(pt(1.0))
    painter.setPen(centre_pen)
    painter.drawLine(QPointF(px(base), plot.top() - pt(2)), QPointF(px(base), plot.bottom()))
    painter.setFont(look.small)
    caption = f"at the likely values: {fmt.points(base)}"
    caption_width = small_metrics.horizontalAdvance(caption)
    caption_x = min(max(px(base) - caption_width / 2, plot.left()), plot.right() - caption_width)
    painter.drawText(QPointF(caption_x, rect.top() + small_metrics.ascent()), caption)
    if lo < 0 < hi:
        flip_pen = QPen(QColor(FLIP_COLOR))
        flip_pen.setWidthF(pt(1.0))
        flip_pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(flip_pen)
        painter.drawLine(QPointF(px(0.0), plot.top()), QPointF(px(0.0), plot.bottom()))

    # Legend: which colour is which strategy, and the two shades.
    winners = [w for bar in shown for w in (bar.winner_at_low, bar.winner_at_high)]
    keys = [k for k in STRATEGY_STYLES if k in winners]
    y = axis_y + 2 * small_metrics.height() + pt(5)
    x = rect.left()
    swatch = pt(9)
    painter.setFont(look.small)
    for key in keys:
        for alpha in (LOW_ALPHA, HIGH_ALPHA):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_strategy_color(key, look.dark, alpha))
            painter.drawRect(QRectF(x, y, swatch, swatch))
            x += swatch + pt(1)
        painter.setPen(look.ink)
        text = f"{STRATEGY_NAMES[key]} recommended"
        painter.drawText(
            QPointF(x + pt(3), y + swatch / 2 + small_metrics.ascent() / 2 - pt(1)), text
        )
        x += small_metrics.horizontalAdvance(text) + pt(14)
    painter.setPen(look.muted)
    note = "lighter: input at its low value · darker: at its high value"
    if lo < 0 < hi:
        note += " · dashed line: the recommendation changes"
    if x + small_metrics.horizontalAdvance(note) > rect.right():
        x, y = rect.left(), y + max(swatch, small_metrics.height()) + pt(2)  # next line
    painter.drawText(QPointF(x, y + swatch / 2 + small_metrics.ascent() / 2 - pt(1)), note)
    painter.restore()
    return rows


class TornadoChart(QWidget):
    """The tornado on screen (a QWidget painting with :func:`paint_tornado`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Tornado chart: what moves the decision")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self._bars: list[TornadoBar] = []
        self._base = 0.0
        self._recommended: str | None = None
        self._currency = ""
        self._empty = NO_RANGES
        self._rows: list[tuple[QRectF, TornadoBar]] = []
        self.setMinimumHeight(round(tornado_height(1, self.look())))

    def set_bars(
        self,
        bars: Sequence[TornadoBar],
        *,
        base: float,
        recommended: str | None,
        currency: str,
        empty: str = NO_RANGES,
    ) -> None:
        self._bars = list(bars)
        self._empty = empty
        self._base = base
        self._recommended = recommended
        self._currency = currency
        self.setFixedHeight(round(tornado_height(max(len(self._bars), 1), self.look())) + 4)
        self.setAccessibleDescription(
            " ".join(tornado_bar_text(b, currency, recommended) for b in self._bars[:MAX_BARS])
        )
        self.update()

    def bars(self) -> list[TornadoBar]:
        return list(self._bars)

    def look(self) -> TornadoLook:
        palette = self.palette()
        font = QFont(self.font())
        small = QFont(self.font())
        small.setPointSizeF(max(7.5, small.pointSizeF() * 0.88))
        ink = palette.color(QPalette.ColorRole.WindowText)
        muted = QColor(ink)
        muted.setAlpha(165)
        grid = QColor(ink)
        grid.setAlpha(40)
        dpi = self.logicalDpiY() or 96
        return TornadoLook(
            font, small, ink, muted, grid, is_dark(palette), lambda p: p * dpi / 72.0
        )

    def sizeHint(self) -> QSize:
        return QSize(600, round(tornado_height(max(len(self._bars), 1), self.look())) + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._rows = paint_tornado(
                painter,
                QRectF(self.rect()).adjusted(4, 2, -4, -2),
                self._bars,
                base=self._base,
                recommended=self._recommended,
                currency=self._currency,
                look=self.look(),
                empty=self._empty,
            )
        finally:
            painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for row, bar in self._rows:
                if row.contains(QPointF(event.pos())):
                    QToolTip.showText(
                        event.globalPos(),
                        tornado_bar_text(bar, self._currency, self._recommended),
                        self,
                    )
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)
