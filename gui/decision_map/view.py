"""The "Decision map" result tab: which strategy is recommended over two inputs of the form.

Regions take the strategies' chart colours and, for grey-scale print and colour-blind readers, a
pattern each (fine-tuning ////, RAG dots, hybrid ××××); the shade is fainter where the lead is
small (near a line) and full where it is 20 points or more.  The lines between regions are drawn
on top, today's inputs are a star, hovering reads the point out in words, and a click shows every
strategy's score and cost there (the project itself does not change).  The axes are any
two numeric inputs of the form, with ranges that default to ÷10 … ×10 around today's value
(the crossover chart's own axis for the volume).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QLocale, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsPathItem,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from engine.decision_map import (
    NONE,
    UNPRICED,
    Axis,
    DecisionMap,
    MapField,
    changes_from_today,
    decision_map_csv,
    default_fields,
    default_span,
    describe_cell,
    describe_strategies,
    unit_text,
)
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from gui import format as fmt
from gui.charts.style import STRATEGY_STYLES, is_dark
from gui.decision_map.worker import RESOLUTION
from gui.forms.fields import mark_invalid
from gui.views.common import muted_label, plain_label

FULL_SHADE_MARGIN = 20.0  # points: a lead this large is drawn in the full colour
PATTERNS: dict[str, Qt.BrushStyle] = {
    "fine_tuning": Qt.BrushStyle.BDiagPattern,
    "rag": Qt.BrushStyle.Dense6Pattern,
    "hybrid": Qt.BrushStyle.DiagCrossPattern,
}
NONE_COLOR = "#9A9A9A"
#: The scale of an axis: as the crossover chart would choose it, or set.
SCALES: tuple[tuple[str, bool | None], ...] = (
    ("Auto scale", None),
    ("Linear", False),
    ("Logarithmic", True),
)
#: Grid points per axis: coarse is quick on a slow machine, fine shows a line's small turns.
RESOLUTIONS: tuple[tuple[str, int], ...] = (
    ("Coarse (60 × 60)", 60),
    ("Normal (120 × 120)", RESOLUTION),
    ("Fine (200 × 200)", 200),
)
NONE_PATTERN = Qt.BrushStyle.CrossPattern


def region_color(key: str | None, dark: bool) -> QColor:
    if key is None:
        return QColor(NONE_COLOR)
    return STRATEGY_STYLES[key].color(dark)


def pattern_color(key: str | None, dark: bool) -> QColor:
    """The pattern's ink: a darker (lighter, on dark) tone of the region's colour."""
    base = region_color(key, dark)
    return base.lighter(170) if dark else base.darker(190)


def _said(field: MapField, value: float, currency: str, *, lower: bool = False) -> str:
    """ "Queries per month 18,372", "corpus changed per month 7.5 %/month"."""
    label = field.label[0].lower() + field.label[1:] if lower else field.label
    unit = unit_text(field.unit, currency)
    implied = not unit or unit.split("/")[0].lower() in field.label.lower()
    return f"{label} {fmt.number(value)}" + ("" if implied else f" {unit}")


class _ScaleAxis(pg.AxisItem):  # type: ignore[misc]
    """An axis in the map's view coordinates (log10 on a log axis), labelled in the input's
    own numbers."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.log = False

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        if not self.log:
            return super().tickValues(minVal, maxVal, size)  # type: ignore[no-any-return]
        lo, hi = math.floor(minVal), math.ceil(maxVal)
        decades = [float(d) for d in range(lo, hi + 1) if minVal <= d <= maxVal]
        steps = [d + math.log10(m) for d in range(lo, hi + 1) for m in (2, 5)]
        minor = [u for u in steps if minVal <= u <= maxVal]
        if len(decades) < 2:
            return [(1.0, decades + minor)]
        return [(1.0, decades), (0.5, minor if len(decades) < 4 else [])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if not self.log:
            return [fmt.volume_compact(v) if abs(v) >= 1000 else fmt.number(v) for v in values]
        return [fmt.volume_compact(10.0**v) for v in values]


class DecisionMapView(QWidget):
    """See the module docstring.  ``axesChosen(Axis, Axis)`` whenever the axes change."""

    axesChosen = Signal(object, object)
    resolutionChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Decision map")
        self.map: DecisionMap | None = None
        self._fields: dict[str, MapField] = {}
        self._ranges: dict[str, tuple[float, float]] = {}  # per input: the range last chosen
        self._scales: dict[str, bool | None] = {}  # per input: the scale last chosen
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)

        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        self.x_combo, self.x_lo, self.x_hi, self.x_scale = self._axis_row(grid, 0, "&Across:")
        self.y_combo, self.y_lo, self.y_hi, self.y_scale = self._axis_row(grid, 1, "&Up:")
        detail = QLabel("&Detail:")
        self.resolution = QComboBox()
        self.resolution.setAccessibleName("Map detail")
        self.resolution.setToolTip("Grid points per axis: finer shows more, coarser is quicker")
        for text, n in RESOLUTIONS:
            self.resolution.addItem(text, n)
        self.resolution.setCurrentIndex(self.resolution.findData(RESOLUTION))
        self.resolution.currentIndexChanged.connect(
            lambda _i: self.resolutionChosen.emit(int(self.resolution.currentData()))
        )
        detail.setBuddy(self.resolution)
        grid.addWidget(detail, 0, 7)
        grid.addWidget(self.resolution, 0, 8)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        self.plot = pg.PlotWidget(
            axisItems={"bottom": _ScaleAxis("bottom"), "left": _ScaleAxis("left")}
        )
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(220)
        self._apply_palette()
        self.plot.setAccessibleName("Decision map chart")
        item = self.plot.getPlotItem()
        self.image = pg.ImageItem()
        item.addItem(self.image)
        self.patterns: dict[str | None, QGraphicsPathItem] = {}
        for key in (*STRATEGIES, None):
            path_item = QGraphicsPathItem()
            path_item.setPen(QPen(Qt.PenStyle.NoPen))
            item.addItem(path_item)
            self.patterns[key] = path_item
        self.lines: list[pg.PlotCurveItem] = []
        self.today = pg.ScatterPlotItem(size=18, symbol="star")
        self.today.setZValue(20)
        item.addItem(self.today)
        self.plot.scene().sigMouseMoved.connect(self._hovered)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self._pinned: tuple[float, float] | None = None  # inputs of the point clicked
        layout.addWidget(self.plot, 1)

        self.legend = QHBoxLayout()
        self.legend.setSpacing(12)
        self._legend_labels: list[QLabel] = []
        layout.addLayout(self.legend)
        self.readout = plain_label("")
        self.readout.setAccessibleName("Decision map read-out")
        layout.addWidget(self.readout)
        self.pinned = plain_label("")
        self.pinned.setAccessibleName("Decision map point clicked")
        self.pinned.setVisible(False)
        layout.addWidget(self.pinned)
        self.summary = plain_label("")
        self.summary.setAccessibleName("Distance to the line")
        layout.addWidget(self.summary)
        self.status = muted_label("")
        layout.addWidget(self.status)
        self._build_legend()

    # --- controls ------------------------------------------------------------------------------

    def _axis_row(
        self, grid: QGridLayout, row: int, title: str
    ) -> tuple[QComboBox, QLineEdit, QLineEdit, QComboBox]:
        label = QLabel(title)
        combo = QComboBox()
        combo.setAccessibleName("Input " + ("across" if row == 0 else "up"))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(24)
        label.setBuddy(combo)
        lo, hi = QLineEdit(), QLineEdit()
        for edit, what in ((lo, "from"), (hi, "to")):
            edit.setAccessibleName(f"{'Across' if row == 0 else 'Up'} {what}")
            edit.setMaximumWidth(110)
            edit.editingFinished.connect(self._ranges_edited)
        combo.currentIndexChanged.connect(self._field_chosen)
        scale = QComboBox()
        scale.setAccessibleName(f"{'Across' if row == 0 else 'Up'} scale")
        for text, log in SCALES:
            scale.addItem(text, log)
        scale.currentIndexChanged.connect(self._scale_chosen)
        grid.addWidget(label, row, 0)
        grid.addWidget(combo, row, 1)
        grid.addWidget(QLabel("from"), row, 2)
        grid.addWidget(lo, row, 3)
        grid.addWidget(QLabel("to"), row, 4)
        grid.addWidget(hi, row, 5)
        grid.addWidget(scale, row, 6)
        return combo, lo, hi, scale

    def set_fields(self, fields: list[MapField]) -> None:
        """The inputs that can be an axis (the scenario's numeric inputs that hold a value)."""
        usable = [f for f in fields if f.today is not None]
        paths = [f.path for f in usable]
        if paths == list(self._fields):
            self._fields = {f.path: f for f in usable}  # today's values may have changed
            return
        self._fields = {f.path: f for f in usable}
        first, second = default_fields(usable) if len(usable) >= 2 else (None, None)
        chosen = (
            self.x_combo.currentData() or (first.path if first else None),
            self.y_combo.currentData() or (second.path if second else None),
        )
        for combo, path in zip((self.x_combo, self.y_combo), chosen, strict=True):
            combo.blockSignals(True)
            combo.clear()
            for f in usable:
                unit = f" ({f.unit})" if f.unit else ""
                combo.addItem(f"{f.label}{unit}", f.path)
                combo.setItemData(combo.count() - 1, f.path, Qt.ItemDataRole.ToolTipRole)
            index = combo.findData(path)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        self._show_range(self.x_combo, self.x_lo, self.x_hi)
        self._show_range(self.y_combo, self.y_lo, self.y_hi)
        self._emit_axes()

    def choose(self, x: Axis, y: Axis) -> None:
        """Set both axes (tests, screenshots) as a user would."""
        for combo, axis in ((self.x_combo, x), (self.y_combo, y)):
            self._ranges[axis.field] = (axis.lo, axis.hi)
            self._scales[axis.field] = axis.log
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(axis.field))
            combo.blockSignals(False)
        self._show_range(self.x_combo, self.x_lo, self.x_hi)
        self._show_range(self.y_combo, self.y_lo, self.y_hi)
        self._emit_axes()

    def set_resolution(self, resolution: int) -> None:
        """Choose the detail (tests, screenshots) as a user would: one of RESOLUTIONS."""
        self.resolution.setCurrentIndex(self.resolution.findData(resolution))

    def _range_for(self, path: str) -> tuple[float, float]:
        if path not in self._ranges:
            self._ranges[path] = default_span(self._fields[path])
        return self._ranges[path]

    def _show_range(self, combo: QComboBox, lo: QLineEdit, hi: QLineEdit) -> None:
        path = combo.currentData()
        if path is None or path not in self._fields:
            return
        a, b = self._range_for(path)
        lo.setText(fmt.number(a))
        hi.setText(fmt.number(b))
        mark_invalid(lo, None)
        mark_invalid(hi, None)
        scale = self.x_scale if combo is self.x_combo else self.y_scale
        scale.blockSignals(True)
        scale.setCurrentIndex(max(0, scale.findData(self._scales.get(path))))
        scale.blockSignals(False)

    def _field_chosen(self) -> None:
        self._show_range(self.x_combo, self.x_lo, self.x_hi)
        self._show_range(self.y_combo, self.y_lo, self.y_hi)
        self._emit_axes()

    @staticmethod
    def _parse(text: str) -> float | None:
        value, ok = QLocale().toDouble(text.strip())
        if ok:
            return float(value)
        try:
            return float(text.strip().replace(",", ""))
        except ValueError:
            return None

    def _scale_chosen(self) -> None:
        for combo, scale in ((self.x_combo, self.x_scale), (self.y_combo, self.y_scale)):
            path = combo.currentData()
            if path is not None:
                self._scales[path] = scale.currentData()
        self._ranges_edited()

    def range_problems(self) -> list[tuple[QLineEdit, str]]:
        """What is wrong with the ranges typed (the field, one line each); marks the fields."""
        problems: list[tuple[QLineEdit, str]] = []
        for combo, lo, hi, scale in (
            (self.x_combo, self.x_lo, self.x_hi, self.x_scale),
            (self.y_combo, self.y_lo, self.y_hi, self.y_scale),
        ):
            path = combo.currentData()
            if path is None or path not in self._fields:
                continue
            field = self._fields[path]
            a, b = self._parse(lo.text()), self._parse(hi.text())
            found: dict[QLineEdit, str] = {}
            for edit, value in ((lo, a), (hi, b)):
                if value is None or not math.isfinite(value):
                    found[edit] = f"Not a number: {edit.text().strip() or '(empty)'}"
                elif not field.minimum <= value <= field.maximum:
                    found[edit] = (
                        f"{fmt.number(value)} is outside the allowed "
                        f"{fmt.number(field.minimum)} – {fmt.number(field.maximum)}"
                    )
            if a is not None and b is not None and not found and b <= a:
                found[hi] = f"The high end ({fmt.number(b)}) must be above the low end"
            if a is not None and lo not in found and scale.currentData() is True and a <= 0:
                found[lo] = "A logarithmic axis needs a low end above zero"
            for edit in (lo, hi):
                mark_invalid(edit, found.get(edit))
            problems += list(found.items())
            if not found and a is not None and b is not None:
                self._ranges[path] = (a, b)
        return problems

    def _ranges_edited(self) -> None:
        problems = self.range_problems()
        if problems:
            edit, message = problems[0]
            self.status.setText(f"{edit.accessibleName()}: {message}")
            return
        self._emit_axes()

    def axes(self) -> tuple[Axis, Axis] | None:
        x, y = self.x_combo.currentData(), self.y_combo.currentData()
        if x is None or y is None:
            return None
        return (
            Axis(x, *self._range_for(x), self._scales.get(x)),
            Axis(y, *self._range_for(y), self._scales.get(y)),
        )

    def _emit_axes(self) -> None:
        axes = self.axes()
        if axes is not None:
            self.axesChosen.emit(*axes)

    # --- states --------------------------------------------------------------------------------

    def show_pending(self) -> None:
        if self.map is not None:
            self.status.setText("Updating the map…")

    def show_failure(self, message: str) -> None:
        self.status.setText(f"Cannot draw this map: {message}")

    # --- drawing -------------------------------------------------------------------------------

    def _apply_palette(self) -> None:
        palette = self.palette()
        self.plot.setBackground(palette.color(palette.ColorRole.Base))
        ink = palette.color(palette.ColorRole.Text)
        for name in ("bottom", "left"):
            axis = self.plot.getPlotItem().getAxis(name)
            axis.setPen(pg.mkPen(ink))
            axis.setTextPen(pg.mkPen(ink))

    def _dark(self) -> bool:
        return is_dark(self.palette())

    def _build_legend(self) -> None:
        for label in self._legend_labels:
            self.legend.removeWidget(label)
            label.deleteLater()
        self._legend_labels = []
        dark = self._dark()
        for key in (*STRATEGIES, None):
            swatch = QLabel()
            swatch.setPixmap(self._swatch(key, dark))
            text = QLabel(STRATEGY_NAMES[key] if key else "None qualifies")
            for widget in (swatch, text):
                self.legend.addWidget(widget)
                self._legend_labels.append(widget)
        note = muted_label("Fainter: a smaller lead (near a line). ★ today.")
        self.legend.addWidget(note, 1)
        self._legend_labels.append(note)

    def _swatch(self, key: str | None, dark: bool) -> QPixmap:
        pixmap = QPixmap(28, 16)
        pixmap.fill(region_color(key, dark))
        painter = QPainter(pixmap)
        painter.fillRect(0, 0, 28, 16, QBrush(pattern_color(key, dark), self._pattern(key)))
        painter.end()
        return pixmap

    @staticmethod
    def _pattern(key: str | None) -> Qt.BrushStyle:
        return PATTERNS[key] if key else NONE_PATTERN

    def rgba(self, m: DecisionMap) -> NDArray[np.uint8]:
        """The regions' colours, (ny, nx, 4): the strategy's colour, lighter near a line."""
        dark = self._dark()
        background = self.palette().color(self.backgroundRole())
        bg = np.array([background.red(), background.green(), background.blue()], dtype=float)
        out = np.zeros((*m.shape, 4), dtype=float)
        shade = np.clip(np.nan_to_num(m.margin) / FULL_SHADE_MARGIN, 0.0, 1.0)
        strength = 0.35 + 0.65 * shade
        for index, key in [(i, k) for i, k in enumerate(STRATEGIES)] + [(NONE, None)]:
            where = m.winner == index
            c = region_color(key, dark)
            rgb = np.array([c.red(), c.green(), c.blue()], dtype=float)
            s = strength[where][:, None] if key is not None else 0.6
            out[where, :3] = bg * (1 - s) + rgb * s
            out[where, 3] = 255
        out[m.winner == UNPRICED] = 0
        return np.round(out).astype(np.uint8)

    def _cell_rect(self, m: DecisionMap) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Cell edges in view coordinates (half-way between grid points)."""
        edges = []
        for axis in (m.x, m.y):
            u = axis.to_view(axis.values)
            mid = (u[:-1] + u[1:]) / 2
            edges.append(
                np.concatenate([[u[0] - (mid[0] - u[0])], mid, [u[-1] + (u[-1] - mid[-1])]])
            )
        return edges[0], edges[1]

    def set_map(self, m: DecisionMap, elapsed_ms: float | None = None) -> None:
        self.map = m
        dark = self._dark()
        ex, ey = self._cell_rect(m)
        self.image.setImage(np.transpose(self.rgba(m), (1, 0, 2)), levels=(0, 255))
        self.image.setRect(QRectF(ex[0], ey[0], ex[-1] - ex[0], ey[-1] - ey[0]))
        for key, path_item in self.patterns.items():
            index = STRATEGIES.index(key) if key else NONE
            path = QPainterPath()
            for row in range(m.shape[0]):
                line = m.winner[row] == index
                if not line.any():
                    continue
                change = np.diff(np.concatenate([[0], line.astype(int), [0]]))
                for start, stop in zip(
                    np.nonzero(change == 1)[0], np.nonzero(change == -1)[0], strict=True
                ):
                    path.addRect(
                        QRectF(ex[start], ey[row], ex[stop] - ex[start], ey[row + 1] - ey[row])
                    )
            path_item.setPath(path.simplified())
            path_item.setBrush(QBrush(pattern_color(key, dark), self._pattern(key)))
        item = self.plot.getPlotItem()
        for line in self.lines:
            item.removeItem(line)
        ink = QColor("#F0F0F0" if dark else "#1A1A1A")
        self.lines = []
        for boundary in m.boundaries:
            u = np.column_stack(
                [m.x.to_view(boundary.points[:, 0]), m.y.to_view(boundary.points[:, 1])]
            )
            curve = pg.PlotCurveItem(u[:, 0], u[:, 1], pen=pg.mkPen(ink, width=2.2))
            curve.setZValue(10)
            item.addItem(curve)
            self.lines.append(curve)
        tx, ty = float(m.x.to_view(m.today[0])), float(m.y.to_view(m.today[1]))
        inside = ex[0] <= tx <= ex[-1] and ey[0] <= ty <= ey[-1]
        self.today.setData(
            [tx] if inside else [], [ty] if inside else [],
            brush=pg.mkBrush("#FFFFFF" if not dark else "#000000"), pen=pg.mkPen(ink, width=1.6),
        )  # fmt: skip
        for name, axis in (("bottom", m.x), ("left", m.y)):
            axis_item = item.getAxis(name)
            assert isinstance(axis_item, _ScaleAxis)
            axis_item.log = axis.log
            unit_name = unit_text(axis.field.unit, m.currency)
            said = unit_name.split("/")[0].lower() in axis.field.label.lower()
            unit = f" ({unit_name})" if unit_name and not said else ""
            axis_item.setLabel(axis.field.label + unit + (", log scale" if axis.log else ""))
            axis_item.picture = None
            axis_item.update()
        item.getViewBox().setRange(xRange=(ex[0], ex[-1]), yRange=(ey[0], ey[-1]), padding=0.0)
        self._update_summary(m, inside)
        self._show_pinned()  # the point clicked, on the new map
        self.readout.setText("Point at the map to read a spot out.")
        self.status.setText(
            "" if elapsed_ms is None else f"{m.shape[1]} × {m.shape[0]} points, computed in "
            f"{fmt.count(elapsed_ms)} ms." + (f" {m.unpriced_reason}" if m.unpriced_reason else "")
        )  # fmt: skip

    def _update_summary(self, m: DecisionMap, inside: bool) -> None:
        present = {int(w) for w in np.unique(m.winner)}
        if len(present) == 1:
            only = next(iter(present))
            who = STRATEGY_NAMES[STRATEGIES[only]] if only >= 0 else "No strategy"
            text = f"{who} is recommended everywhere on this map."
        elif not inside:
            text = "Today's inputs lie outside this map."
        else:
            changes = changes_from_today(m)
            if changes:
                said = "; ".join(c.sentence for c in changes)
                text = f"From today's inputs: {said}."
            else:
                row, col = m.nearest(*m.today)
                key = m.strategy_at(row, col)
                name = STRATEGY_NAMES[key] if key else "No strategy"
                text = (
                    f"Moving either input alone from today's inputs, {name} stays recommended "
                    "across this map."
                )
        self.summary.setText(text)

    # --- export ----------------------------------------------------------------------------------

    def export(self, path: str, kind: str) -> None:
        """Write the map on screen: "png" (as drawn), "svg" (vector, as the report prints
        it: gui.report.decision_map) or "csv" (one row per grid point)."""
        m = self.map
        if m is None:
            raise OSError("no map has been drawn yet")
        if kind == "svg":
            from gui.report.decision_map import decision_map_svg

            with open(path, "wb") as out:
                out.write(decision_map_svg(m))
            return
        if kind == "csv":
            with open(path, "w", encoding="utf-8", newline="") as out:
                out.write(decision_map_csv(m))
            return
        if not self.plot.grab().save(path, "PNG"):
            raise OSError("the image could not be written")

    # --- hover -----------------------------------------------------------------------------------

    def readout_at(self, view_point: QPointF) -> str:
        m = self.map
        if m is None:
            return ""
        ex, ey = self._cell_rect(m)
        if not (ex[0] <= view_point.x() <= ex[-1] and ey[0] <= view_point.y() <= ey[-1]):
            return ""
        xv = float(m.x.from_view(view_point.x()))
        yv = float(m.y.from_view(view_point.y()))
        row, col = m.nearest(xv, yv)
        where = (
            f"{_said(m.x.field, float(m.x.values[col]), m.currency)}, "
            f"{_said(m.y.field, float(m.y.values[row]), m.currency, lower=True)}"
        )
        return f"Here ({where}): {describe_cell(m, row, col)}"

    def pin_at(self, view_point: QPointF) -> str:
        """Click: every strategy at that point (scores and costs), kept until another click;
        the project itself does not change."""
        m = self.map
        if m is None or not self.readout_at(view_point):
            return ""
        self._pinned = (
            float(m.x.from_view(view_point.x())),
            float(m.y.from_view(view_point.y())),
        )
        self._show_pinned()
        return self.pinned.text()

    def _show_pinned(self) -> None:
        m = self.map
        if m is None or self._pinned is None:
            self.pinned.setVisible(False)
            return
        xv, yv = self._pinned
        inside = m.x.values[0] <= xv <= m.x.values[-1] and m.y.values[0] <= yv <= m.y.values[-1]
        if not inside:
            self.pinned.setVisible(False)
            return
        row, col = m.nearest(xv, yv)
        where = (
            f"{_said(m.x.field, float(m.x.values[col]), m.currency)}, "
            f"{_said(m.y.field, float(m.y.values[row]), m.currency, lower=True)}"
        )
        self.pinned.setText(f"Clicked ({where}): {describe_strategies(m, row, col)}.")
        self.pinned.setVisible(True)

    def _clicked(self, event: object) -> None:
        scene_pos = event.scenePos()  # type: ignore[attr-defined]
        view = self.plot.getPlotItem().getViewBox().mapSceneToView(scene_pos)
        self.pin_at(view)

    def _hovered(self, scene_pos: QPointF) -> None:
        if self.map is None:
            return
        view = self.plot.getPlotItem().getViewBox().mapSceneToView(scene_pos)
        text = self.readout_at(view)
        if text:
            self.readout.setText(text)
