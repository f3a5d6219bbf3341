"""The live crossover chart: cost of Fine-tuning, RAG and Hybrid against monthly query volume.

It redraws on every keystroke, so every graphics item is created once in ``__init__`` and
updated in place (``setData``, ``setText``, ``setValue``); nothing is re-plotted.  The x axis is
logarithmic (pyqtgraph's log mode transforms the curves; markers, labels and lines are placed
in view coordinates, i.e. log10 of the volume).  Colours follow the widget palette (light or
dark); exports are always drawn on white with the light colours and antialiasing.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from numpy.typing import NDArray
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QFontMetricsF, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.display import AUTO_LOG_RATIO, EXCLUDED_ALPHA_SCREEN, spans_log_range
from engine.evaluate import Curves
from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from gui import format as fmt
from gui.charts import export as chart_export
from gui.charts.export import KEY_COLUMN_WIDTH, KEY_COLUMNS
from gui.charts.label_layout import (
    MAX_LEADER_SHARE,
    MAX_NUMBERED,
    MAX_WORD_LABELS,
    LabelItem,
    chart_label_items,
    place_labels,
)
from gui.charts.style import STRATEGY_STYLES, is_dark
from gui.uncertainty.bands import Array as BandArray
from gui.uncertainty.bands import BandMap, BandOverlay
from gui.views.common import plain_label

Array = NDArray[np.float64]

MODES: tuple[str, ...] = ("total", "per_month")
Y_SCALES: tuple[str, ...] = ("auto", "linear", "log")
LINE_WIDTH = 2.5
# While the curves change faster than this, they are drawn without antialiasing (a wide,
# dashed, antialiased stroke is the dearest thing on screen: ~1 ms a curve); this long after
# the last change they are drawn smooth again.
SETTLE_MS = 200
TODAY_LABEL_POSITION = 0.97  # along the "today" line, from the bottom of the plot
LABEL_POINTS = 10.0  # the axes' titles
TITLE_MARGIN = 6  # px kept clear at each end of the y axis's title


class _VolumeAxis(pg.AxisItem):  # type: ignore[misc]
    """Queries/month in the locale's digits: 1, 10, 100, 1k, 10k, 1M (log mode only)."""

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        # Decades only (1, 10, 100, 1k …): the 2…9 ticks between them stay unlabelled.
        return [
            fmt.volume_compact(10.0**v * scale) if abs(v - round(v)) < 1e-9 else "" for v in values
        ]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if self.logMode:
            return self.logTickStrings(values, scale, spacing)
        return [fmt.volume_compact(v * scale) for v in values]


class _CostAxis(pg.AxisItem):  # type: ignore[misc]
    """Money in short form: 950, 12.5k, 1.3M (linear or log)."""

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [fmt.money_compact(10.0**v * scale) for v in values]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if self.logMode:
            return self.logTickStrings(values, scale, spacing)
        return [fmt.money_compact(v * scale) for v in values]


def _nice_ceiling(value: float) -> float:
    """The next 'round' number ≥ value (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k): the y axis
    keeps its scale while small edits move the curves, so its ticks are not re-laid out."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value:
            return step * power
    return 10.0 * power


def _set_points(
    item: pg.PlotDataItem, x: Sequence[float] | Array, y: Sequence[float] | Array
) -> None:
    """``item.setData(x, y)``, unless the item shows these very points already: an edit that
    leaves them where they are (a volume typed moves the "today" line, not the curves) costs
    no pyqtgraph update and no repaint of them."""
    new_x, new_y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    old_x, old_y = item.xData, item.yData
    if (
        old_x is not None
        and old_y is not None
        and np.array_equal(old_x, new_x)
        and np.array_equal(old_y, new_y)
    ):
        return
    item.setData(new_x, new_y)


class CrossoverChart(QWidget):
    """TCO (or cost per month) of the three strategies against monthly volume, log x axis.

    ``set_data(curves, evaluation)`` on every edit; ``set_mode("total" | "per_month")``;
    ``export_png`` / ``export_svg`` / ``export_csv``; ``curve_data(strategy)`` for tests.
    """

    modeChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._curves_data: Curves | None = None
        self._evaluation: Evaluation | None = None
        self._mode = "total"
        self._y_scale = "auto"
        self._log_y = False
        self._user_range = False
        self._fitting = False
        self._hover_volume: float | None = None
        self._view_volumes: Array = np.zeros(0)  # log10 of the volumes, for interpolation
        self._y: dict[str, Array] = {}
        self._excluded: dict[str, bool] = {}
        self._text_cache: dict[str, str] = {}
        self._left_titles = ("", "")  # the y axis's title, in full and short
        self._dark = is_dark(self.palette())
        self._export_colors = False  # light colours on white, for exports
        self._pen_scale = 1.0  # pen widths × this while exporting a large image

        self.setAccessibleName("Crossover chart")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self._build_toolbar())

        self._plot = pg.PlotWidget(
            axisItems={"bottom": _VolumeAxis("bottom"), "left": _CostAxis("left")}
        )
        self._plot.setAccessibleName("Cost against monthly query volume")
        self._plot.setMinimumSize(320, 200)
        self._plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # One rectangle around what changed is repainted, not the exact region (pyqtgraph's
        # default): a region of several rectangles becomes the painter's clip, and the raster
        # engine strokes the grid's semi-transparent lines through such a clip tens of times
        # slower (measured: the two grid items 4–10 ms a repaint, ~0.2 ms within one rectangle).
        # An edit of a cost moves the curves across the whole plot: the rectangle adds little.
        self._plot.setViewportUpdateMode(
            QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate
        )
        layout.addWidget(self._plot, 1)

        # When the crossover labels do not fit beside their markers, the markers are numbered
        # and this key lists them.
        # The key is up to KEY_COLUMNS columns of plain text (names come from the file).
        self._key = QWidget()
        self._key.setAccessibleName("Crossover key")
        key_layout = QHBoxLayout(self._key)
        key_layout.setContentsMargins(6, 0, 6, 0)
        key_layout.setSpacing(18)
        self._key_columns = [plain_label(wrap=False) for _ in range(KEY_COLUMNS)]
        for column in self._key_columns:
            column.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            key_layout.addWidget(column)
        key_layout.addStretch(1)
        self._key.setVisible(False)
        layout.addWidget(self._key)
        self._key_lines: list[str] = []

        self._readout = plain_label()  # changes on every edit and hover: copyable, not selectable
        self._readout.setAccessibleName("Costs at the pointer")
        self._readout.setContentsMargins(6, 0, 6, 2)
        layout.addWidget(self._readout)

        item = self._plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLogMode(x=True, y=False)
        item.getViewBox().disableAutoRange()
        item.getViewBox().sigRangeChangedManually.connect(self._on_manual_range)
        for name in ("bottom", "left"):
            axis = item.getAxis(name)
            axis.enableAutoSIPrefix(False)
        item.getAxis("left").setWidth(64)

        # Every item is created once here and only updated afterwards.
        self._legend = pg.LegendItem(offset=(12, 8), verSpacing=-4, labelTextSize="9pt")
        self._legend.setParentItem(item.getViewBox())
        self._curves: dict[str, pg.PlotDataItem] = {}
        for key in STRATEGIES:
            # No dynamic range limiting: it re-processes the data on every view change, and
            # the engine's curves are finite and bounded already.
            curve = pg.PlotDataItem(
                [],
                [],
                antialias=True,
                name=STRATEGY_NAMES[key],
                dynamicRangeLimit=None,
                skipFiniteCheck=True,
            )
            curve.setZValue(10)
            item.addItem(curve)
            self._legend.addItem(curve, STRATEGY_NAMES[key])
            self._curves[key] = curve
        self._bands = BandOverlay(item, self._legend)  # P10–P90 (uncertainty), hidden for now
        # The grid: two line-pair items (major, minor) instead of pyqtgraph's axis grid, which
        # costs ~7 ms per repaint here (every curve update repaints the whole grid).
        self._grid: dict[str, pg.PlotDataItem] = {}
        for level in ("major", "minor"):
            grid = pg.PlotDataItem([], [], connect="pairs", antialias=False, dynamicRangeLimit=None)
            grid.setZValue(-10)
            item.addItem(grid, ignoreBounds=True)
            self._grid[level] = grid
        item.getViewBox().sigRangeChanged.connect(self._update_grid)
        item.getViewBox().sigResized.connect(self._update_grid)
        self._markers = pg.PlotDataItem(
            [], [], pen=None, symbol="o", symbolSize=10, antialias=True, dynamicRangeLimit=None
        )
        self._markers.setZValue(20)
        item.addItem(self._markers)
        self._today = pg.InfiniteLine(
            angle=90,
            movable=False,
            label="",
            labelOpts={"position": TODAY_LABEL_POSITION, "anchors": [(0.0, 0.0), (1.0, 0.0)]},
        )
        self._today.setZValue(5)
        item.addItem(self._today, ignoreBounds=True)
        self._crosshair = pg.InfiniteLine(angle=90, movable=False)
        self._crosshair.setZValue(4)
        self._crosshair.hide()
        item.addItem(self._crosshair, ignoreBounds=True)
        self._labels: list[pg.TextItem] = []  # a pool: one per crossover shown, reused
        self._items: list[LabelItem] = []  # what the labels name (crossovers, near-ties)
        self._anchors: list[tuple[float, float]] = []  # their points, in view coordinates
        self._numbered = False
        self._probe = pg.TextItem(anchor=(0, 0))  # measures label texts; never shown
        self._text_sizes: dict[str, Any] = {}
        self._leaders = pg.PlotDataItem(
            [], [], connect="pairs", antialias=True, dynamicRangeLimit=None
        )
        self._leaders.setZValue(25)
        item.addItem(self._leaders, ignoreBounds=True)
        self._ties: list[pg.LinearRegionItem] = []  # a pool: one shaded band per near-tie
        self._refreshing = False  # a refresh lays the labels out once, at its end
        item.getViewBox().sigRangeChanged.connect(self._on_view_changed)
        item.getViewBox().sigResized.connect(self._on_view_changed)
        item.getViewBox().sigResized.connect(self._fit_left_title)
        self._plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._plot.viewport().installEventFilter(self)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(lambda: self._set_smooth(True))

        self._apply_theme()
        self._update_axis_labels()
        self._readout.setText("Enter a scenario to see the cost curves.")

    # --- public interface ------------------------------------------------------------------

    def set_data(self, curves: Curves, evaluation: Evaluation) -> None:
        """Show new curves and markers (called on every edit: updates items in place).

        The first change after a pause is drawn smooth; changes that follow it within
        SETTLE_MS (typing, a spin-box held down) are drawn fast, and the curves are drawn
        smooth again SETTLE_MS after the last one."""
        self._set_smooth(not self._settle.isActive())
        self._settle.start()
        self._curves_data = curves
        self._evaluation = evaluation
        self._excluded_changed(evaluation)
        self._refresh()

    def set_mode(self, mode: str) -> None:
        """'total' (over the horizon) or 'per_month' (total ÷ horizon)."""
        if mode not in MODES:
            raise ValueError(f"unknown chart mode {mode!r}; expected one of {MODES}")
        index = self._mode_combo.findData(mode)
        if self._mode_combo.currentIndex() != index:
            self._mode_combo.setCurrentIndex(index)  # → _on_mode_changed
        elif self._mode != mode:
            self._on_mode_changed(index)

    def mode(self) -> str:
        return self._mode

    def set_y_scale(self, scale: str) -> None:
        """'auto' (log when the curves span more than 100×), 'linear' or 'log'."""
        if scale not in Y_SCALES:
            raise ValueError(f"unknown cost-axis scale {scale!r}; expected one of {Y_SCALES}")
        self._scale_combo.setCurrentIndex(self._scale_combo.findData(scale))

    def is_log_y(self) -> bool:
        return self._log_y

    def curve_data(self, strategy: str) -> tuple[Array, Array]:
        """The (volumes, costs) the strategy's curve is drawing, in the current mode."""
        curve = self._curves[strategy]
        x = curve.xData if curve.xData is not None else np.zeros(0)
        y = curve.yData if curve.yData is not None else np.zeros(0)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def set_bands(
        self,
        volumes: BandArray | None,
        bands: BandMap | None,
        likely: Mapping[str, BandArray] | None = None,
    ) -> None:
        """P10–P90 of each strategy's total cost at ``volumes`` (a Monte Carlo result), drawn
        as shaded bands around the curves; None hides them.  ``likely``: each strategy's total
        cost at the same volumes with every input likely (makes the read-out exact)."""
        self._bands.set_bands(volumes, bands, likely)
        self._refresh()

    def bands_visible(self) -> bool:
        return self._bands.visible()

    def band_data(self, strategy: str) -> tuple[Array, Array, Array]:
        """(volumes, P10, P90) of the band drawn for a strategy, in the current mode."""
        return self._bands.data(strategy)

    def curve_item(self, strategy: str) -> pg.PlotDataItem:
        return self._curves[strategy]

    def crossover_labels(self) -> list[str]:
        """The crossover and near-tie labels, left to right, in words — beside their markers,
        or in the key below the chart when the markers are numbered."""
        return ["\n".join(item.lines) for item in self._items]

    def labels_numbered(self) -> bool:
        """Whether the markers carry numbers (and the key below the chart the words)."""
        return self._numbered

    def key_text(self) -> str:
        """The key below the chart, line by line ("" when the labels are beside the markers)."""
        return "\n".join(self._key_lines) if self._key.isVisible() else ""

    def label_rects(self) -> list[QRectF]:
        """Where the crossover labels (or their numbers) are drawn, in scene coordinates."""
        return [label.sceneBoundingRect() for label in self._labels if label.isVisible()]

    def plot_rect(self) -> QRectF:
        """The plot area inside the axes, in scene coordinates."""
        rect: QRectF = self._plot.getPlotItem().getViewBox().sceneBoundingRect()
        return rect

    def legend_rect(self) -> QRectF:
        rect: QRectF = self._legend.sceneBoundingRect()
        return rect

    def today_label_rect(self) -> QRectF | None:
        if not self._today.isVisible():
            return None
        rect: QRectF = self._today.label.sceneBoundingRect()
        return rect

    def legend_labels(self) -> list[str]:
        return [label.text for _, label in self._legend.items]

    def today_label(self) -> str:
        text: str = self._today.label.toPlainText()
        return text

    def readout_text(self) -> str:
        return self._readout.text()

    def show_readout_at(self, queries_per_month: float) -> str:
        """Put the hover read-out (and the crosshair) at a volume; returns the read-out text."""
        self._hover_volume = queries_per_month
        self._update_readout()
        return self._readout.text()

    def export_png(self, path: str | Path, width: int = 2400) -> None:
        """The chart as a PNG, ``width`` pixels wide, on white, antialiased."""
        chart_export.export_png(self, path, width)

    def export_svg(self, path: str | Path) -> None:
        """The chart as an SVG (vector), on white."""
        chart_export.export_svg(self, path)

    def export_csv(self, path: str | Path) -> None:
        """Volumes and the three curves (see :func:`gui.charts.export.export_csv`)."""
        chart_export.export_csv(path, *self.csv_table())

    def plot_item(self) -> pg.PlotItem:
        return self._plot.getPlotItem()

    def key_lines(self) -> list[str]:
        """The numbered markers' key, a line each (shown under the plot, exported below it)."""
        return list(self._key_lines)

    def csv_table(self) -> tuple[list[str], list[Array]]:
        """The CSV export's header and columns: volumes and the three curves (total over the
        horizon and per month); while the uncertainty bands are shown, each strategy's P10
        and P90 follow (see ``_band_at``: the band's ratio to the curve, interpolated in log
        volume), NaN outside the band."""
        data = self._curves_data
        currency = self._evaluation.currency if self._evaluation else "money"
        unit = currency.lower()
        header = ["queries_per_month"]
        columns: list[Array] = []
        if data is not None:
            months = data.horizon_months
            per_month = data.per_month()
            header += [f"{key}_total_{months}_months_{unit}" for key in STRATEGIES]
            header += [f"{key}_per_month_{unit}" for key in STRATEGIES]
            volumes = np.asarray(data.volumes, dtype=float)
            columns = [volumes] + [np.asarray(data.tco[k], dtype=float) for k in STRATEGIES]
            columns += [np.asarray(per_month[k], dtype=float) for k in STRATEGIES]
            log_volumes = np.log10(np.maximum(volumes, 1e-300))
            for key in STRATEGIES:
                band = self._band_at(key, log_volumes, clip=False) if volumes.size else None
                if band is None:
                    continue
                # The band is held in the chart's mode: give both modes, as for the curves.
                divisor = 1.0 if self._mode == "total" else float(months)
                total = [band[0] * divisor, band[1] * divisor]
                header += [f"{key}_total_{months}_months_{p}_{unit}" for p in ("p10", "p90")]
                header += [f"{key}_per_month_{p}_{unit}" for p in ("p10", "p90")]
                columns += [*total, total[0] / months, total[1] / months]
        return header, columns

    # --- construction -----------------------------------------------------------------------

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 0)
        bar.setSpacing(6)
        self._mode_combo = QComboBox()
        self._mode_combo.addItem("Total over the horizon", "total")
        self._mode_combo.addItem("Average per month", "per_month")
        self._mode_combo.setAccessibleName("Cost shown")
        self._mode_combo.setToolTip(
            "Total cost of ownership over the scenario's horizon, or that total divided by the "
            "number of months."
        )
        self._mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        mode_label = QLabel("&Show:")
        mode_label.setBuddy(self._mode_combo)

        self._scale_combo = QComboBox()
        self._scale_combo.addItem("Auto", "auto")
        self._scale_combo.addItem("Linear", "linear")
        self._scale_combo.addItem("Logarithmic", "log")
        self._scale_combo.setAccessibleName("Cost axis scale")
        self._scale_combo.setToolTip(
            "Auto uses a logarithmic cost axis when the curves span more than a factor of "
            f"{fmt.count(AUTO_LOG_RATIO)}, so the crossovers stay readable."
        )
        self._scale_combo.currentIndexChanged.connect(self._on_scale_changed)
        scale_label = QLabel("Cost &axis:")
        scale_label.setBuddy(self._scale_combo)

        self._reset_button = QToolButton()
        self._reset_button.setText("Reset view")
        self._reset_button.setToolTip("Fit the chart to the curves again after zooming.")
        self._reset_button.setAutoRaise(True)
        self._reset_button.clicked.connect(self._reset_view)
        self._reset_button.setVisible(False)

        self._export_button = QToolButton()
        self._export_button.setText("Export")
        self._export_button.setAccessibleName("Export the chart")
        self._export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._export_button.setAutoRaise(True)
        self._export_button.setMenu(QMenu(self._export_button))
        self._export_button.setVisible(False)  # until the window gives it its export actions

        for widget in (mode_label, self._mode_combo):
            bar.addWidget(widget)
        bar.addSpacing(12)
        for widget in (scale_label, self._scale_combo):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self._reset_button)
        bar.addWidget(self._export_button)
        return bar

    # --- drawing ----------------------------------------------------------------------------

    def _excluded_changed(self, evaluation: Evaluation) -> None:
        excluded = {k: bool(evaluation.strategies[k].excluded) for k in STRATEGIES}
        if excluded != self._excluded:
            self._excluded = excluded
            self._apply_curve_pens()
            for key in STRATEGIES:
                name = STRATEGY_NAMES[key] + (" (excluded)" if excluded[key] else "")
                self._set_legend_text(key, name)

    def _refresh(self) -> None:
        data, evaluation = self._curves_data, self._evaluation
        if data is None or evaluation is None:
            return
        # The labels are laid out once, at the end, around the new curves, range and "today"
        # label: range signals on the way (a log axis switched on, a new fit) do not lay out
        # half-updated items.
        self._refreshing = True
        try:
            volumes = np.asarray(data.volumes, dtype=float)
            source = data.tco if self._mode == "total" else data.per_month()
            self._y = {k: np.asarray(source[k], dtype=float) for k in STRATEGIES}
            valid = volumes.size > 0 and bool(np.all(volumes > 0))
            self._view_volumes = np.log10(volumes) if valid else np.zeros(0)
            self._update_log_y()
            for key, curve in self._curves.items():
                _set_points(curve, volumes if valid else [], self._y[key] if valid else [])
            divisor = 1.0 if self._mode == "total" else float(data.horizon_months)
            self._bands.update(divisor, self._log_y)
            self._update_axis_labels()
            self._update_today(evaluation)
            self._update_crossovers(evaluation)
            if not self._user_range:
                self._fit_view()
        finally:
            self._refreshing = False
        self._layout_labels()
        self._update_readout()

    def is_smooth(self) -> bool:
        """Whether the curves are drawn antialiased now (they are, but while values change)."""
        return bool(self._curves[STRATEGIES[0]].opts["antialias"])

    def _set_smooth(self, smooth: bool) -> None:
        for item in self._curves.values():
            if item.opts["antialias"] != smooth:
                item.opts["antialias"] = smooth  # passed on by the next setData
                item.curve.opts["antialias"] = smooth  # and used by the next paint
                item.curve.update()

    def _update_log_y(self) -> None:
        if self._y_scale == "auto":
            stacked = np.concatenate(list(self._y.values())) if self._y else np.zeros(0)
            log_y = spans_log_range(stacked)
        else:
            log_y = self._y_scale == "log"
        if log_y != self._log_y:
            self._log_y = log_y
            item = self._plot.getPlotItem()
            item.setLogMode(x=True, y=log_y)
            item.getViewBox().disableAutoRange()  # setLogMode re-enables it

    def _view_y(self, value: float) -> float:
        """A cost in view coordinates (log10 on a log axis)."""
        if self._log_y:
            return math.log10(value) if value > 0 else float("nan")
        return value

    def _cost_at(self, key: str, log_volume: float) -> float:
        x, y = self._view_volumes, self._y.get(key)
        if y is None or x.size == 0:
            return float("nan")
        return float(np.interp(log_volume, x, y))

    def _fit_view(self) -> None:
        if self._view_volumes.size == 0:
            return
        stacked = np.concatenate(list(self._y.values()) + self._bands.values())
        finite = stacked[np.isfinite(stacked)]
        if finite.size == 0:
            return
        x_lo, x_hi = float(self._view_volumes[0]), float(self._view_volumes[-1])
        x_pad = 0.015 * (x_hi - x_lo)  # markers at the ends stay whole
        x_range = (x_lo - x_pad, x_hi + x_pad)
        if self._log_y:
            positive = finite[finite > 0]
            lo = math.log10(positive.min()) if positive.size else 0.0
            hi = math.log10(positive.max()) if positive.size else 1.0
            # Whole half-decades: the axis stays put while a value is being typed.
            y_range = (math.floor(lo * 2 - 0.1) / 2, math.ceil(hi * 2 + 0.1) / 2)
        else:
            top = _nice_ceiling(float(finite.max()) * 1.04)
            # A sliver below zero so the axis shows its "0" tick.
            y_range = (-0.015 * top, top)
        self._fitting = True
        try:
            self._plot.getPlotItem().getViewBox().setRange(
                xRange=x_range, yRange=y_range, padding=0
            )
        finally:
            self._fitting = False

    def _update_grid(self, *_: object) -> None:
        """Grid lines at the axes' ticks: decades (and 2…9 within them) across, the cost axis's
        major and minor ticks along."""
        item = self._plot.getPlotItem()
        view_box = item.getViewBox()
        (x0, x1), (y0, y1) = view_box.viewRange()
        if not (math.isfinite(x0) and math.isfinite(x1) and x1 > x0 and y1 > y0):
            return
        decades = range(math.floor(x0), math.ceil(x1) + 1)
        x_major = [float(d) for d in decades if x0 <= d <= x1]
        x_minor = [
            d + math.log10(k)
            for d in decades
            for k in range(2, 10)
            if x0 <= d + math.log10(k) <= x1
        ]
        if len(x_major) > 12:  # zoomed far out: decades only
            x_minor = []
        levels = item.getAxis("left").tickValues(y0, y1, max(view_box.height(), 1.0))
        y_major = [float(v) for v in levels[0][1]] if levels else []
        y_minor = [float(v) for v in levels[1][1]] if len(levels) > 1 else []
        y_minor = [v for v in y_minor if v not in y_major]
        for level, xs, ys in (("major", x_major, y_major), ("minor", x_minor, y_minor)):
            seg_x: list[float] = []
            seg_y: list[float] = []
            for v in xs:
                seg_x += [v, v]
                seg_y += [y0, y1]
            for w in ys:
                seg_x += [x0, x1]
                seg_y += [w, w]
            raw_x = np.power(10.0, np.asarray(seg_x, dtype=float))
            raw_y = np.asarray(seg_y, dtype=float)
            if self._log_y:
                raw_y = np.power(10.0, raw_y)
            self._grid[level].setData(raw_x, raw_y)

    def _update_axis_labels(self) -> None:
        currency = self._evaluation.currency if self._evaluation else ""
        months = self._curves_data.horizon_months if self._curves_data else 0
        if self._mode == "total":
            title = f"Total cost over {fmt.count(months)} months" if months else "Total cost"
            short = "Total cost"
        else:
            title, short = "Average cost per month", "Cost per month"
        if currency:
            title += f" ({currency})"
            short += f" ({currency})"
        self._left_titles = (title, short)
        self._fit_left_title()
        self._set_cached(
            "bottom_axis", "Queries per month (logarithmic scale)", self._set_bottom_label
        )
        mode_text = f"Total over {fmt.count(months)} months" if months else "Total over the horizon"
        if self._mode_combo.itemText(0) != mode_text:
            self._mode_combo.setItemText(0, mode_text)

    def _fit_left_title(self, *_: object) -> None:
        """The y axis's title in full when it fits the plot's height, else its short form: the
        title is drawn rotated along the axis, and a squeezed chart (the price catalog open on
        a laptop screen) cut the full one at both ends."""
        title, short = self._left_titles
        font = QFont(self.font())
        font.setPointSizeF(LABEL_POINTS)
        room = self._plot.getPlotItem().getViewBox().height()
        fits = QFontMetrics(font).horizontalAdvance(title) + 2 * TITLE_MARGIN <= room
        self._set_cached("left_axis", title if fits else short, self._set_left_label)

    def _set_left_label(self, text: str) -> None:
        self._plot.getPlotItem().setLabel("left", html.escape(text), **self._label_style())

    def _set_bottom_label(self, text: str) -> None:
        self._plot.getPlotItem().setLabel("bottom", html.escape(text), **self._label_style())

    def _set_cached(self, key: str, text: str, setter: object) -> None:
        if self._text_cache.get(key) != text:
            self._text_cache[key] = text
            setter(text)  # type: ignore[operator]

    def _update_today(self, evaluation: Evaluation) -> None:
        q0 = evaluation.queries_per_month
        if q0 <= 0:
            self._today.hide()
            return
        label, log_q = self._today.label, math.log10(q0)
        text = f"today: {fmt.count(q0)}/month".replace("{", "{{")  # the label str.formats it
        self._today.show()  # first: a hidden label ignores the updates below
        if label.format != text:
            # The label lays its text out again on every setFormat and every move: set the
            # text first and let the move (or, if the line stays, one valueChanged) show it.
            label.format = text
            if self._today.value() == log_q:
                label.valueChanged()
        self._today.setValue(log_q)

    def _update_crossovers(self, evaluation: Evaluation) -> None:
        """Markers, near-tie bands and label words; where the labels go is decided by
        ``_layout_labels`` (again whenever the view moves or resizes)."""
        if self._view_volumes.size == 0:
            self._items, self._anchors = [], []
            _set_points(self._markers, [], [])
            for region in self._ties:
                region.hide()
            return
        lo, hi = 10.0 ** self._view_volumes[0], 10.0 ** self._view_volumes[-1]
        self._items = chart_label_items(evaluation, lo, hi)
        self._anchors = []
        xs: list[float] = []
        ys: list[float] = []
        bands = [item for item in self._items if item.band is not None]
        while len(self._ties) < len(bands):
            region = pg.LinearRegionItem(movable=False)
            region.setZValue(-5)
            for line in region.lines:
                line.setPen(pg.mkPen(None))
            self._plot.getPlotItem().addItem(region, ignoreBounds=True)
            self._ties.append(region)
            self._style_tie(region)
        for region, item in zip(self._ties, bands, strict=False):
            region.setRegion((math.log10(item.low), math.log10(item.high)))
            region.show()
        for region in self._ties[len(bands) :]:
            region.hide()
        for item in self._items:
            mid = (math.log10(item.low) + math.log10(item.high)) / 2
            costs = [self._cost_at(key, mid) for key in item.between]
            y = self._view_y(sum(costs) / len(costs))
            self._anchors.append((mid, y))
            if item.band is None:
                xs.append(mid)
                ys.append(y)
        # Markers are in view coordinates already: give the item log10 back as raw data.
        _set_points(self._markers, np.power(10.0, xs), self._marker_raw_y(ys))

    def _text_size(self, text: str) -> Any:
        """The size a label with this text takes (measured once per text and font)."""
        size = self._text_sizes.get(text)
        if size is None:
            self._probe.setText(text)
            size = self._probe.textItem.boundingRect().size()
            self._text_sizes[text] = size
        return size

    def _label(self, index: int) -> pg.TextItem:
        while len(self._labels) <= index:
            label = pg.TextItem(anchor=(0, 0))
            label.setZValue(30)
            self._plot.getPlotItem().addItem(label, ignoreBounds=True)
            self._labels.append(label)
            self._style_label(label)
        return self._labels[index]

    def _scene_mapping(
        self,
    ) -> tuple[Callable[[float, float], QPointF], Callable[[QPointF], QPointF]]:
        """View coordinates ↔ scene pixels, as the view box maps them (linear in view
        coordinates; pyqtgraph's own mapping functions cost ~1 ms a call)."""
        view_box = self._plot.getPlotItem().getViewBox()
        rect = view_box.sceneBoundingRect()
        (x0, x1), (y0, y1) = view_box.viewRange()
        sx = rect.width() / (x1 - x0) if x1 != x0 else 0.0
        sy = rect.height() / (y1 - y0) if y1 != y0 else 0.0

        def to_scene(x: float, y: float) -> QPointF:
            return QPointF(rect.left() + (x - x0) * sx, rect.bottom() - (y - y0) * sy)

        def to_view(point: QPointF) -> QPointF:
            return QPointF(
                x0 + (point.x() - rect.left()) / sx if sx else x0,
                y0 + (rect.bottom() - point.y()) / sy if sy else y0,
            )

        return to_scene, to_view

    def _on_view_changed(self, *_: object) -> None:
        if not self._refreshing:
            self._layout_labels()

    def _layout_labels(self) -> None:
        """Put every label beside its point, clear of the others, the markers, the legend,
        the "today" label and the axes (gui.charts.label_layout); when they do not all fit,
        number the markers and list the words in the key below the chart."""
        items = self._items
        view_box = self._plot.getPlotItem().getViewBox()
        # A new range reaches the items' transforms at the next paint; the "today" label is an
        # obstacle below, so its place must be the new range's now (else the labels are laid
        # out around where it was, and again when it moves: a key shown and hidden).
        view_box.updateMatrix()
        area = view_box.sceneBoundingRect().adjusted(2, 2, -2, -2)
        to_scene, to_view = self._scene_mapping()
        anchors = [to_scene(x, y) for x, y in self._anchors]
        ok = [math.isfinite(p.x()) and math.isfinite(p.y()) for p in anchors]
        anchors = [
            p if good else QPointF(area.left(), area.top())
            for p, good in zip(anchors, ok, strict=True)
        ]
        legend = self._legend.sceneBoundingRect()
        obstacles = [legend]
        if self._today.isVisible() and self._today.label.isVisible():
            self._dodge_legend(legend, area)
            obstacles.append(self._today.label.sceneBoundingRect())

        def attempt(texts: list[str]) -> list[Any] | None:
            sizes = [self._text_size(text) for text in texts]
            found = place_labels(
                anchors,
                sizes,
                area,
                obstacles,
                gap=6.0,
                marker_radius=6.0,
                spacing=2.0,
                max_distance=area.height() * MAX_LEADER_SHARE,
            )
            if found is not None:
                for index, text in enumerate(texts):
                    label = self._label(index)
                    if label.toPlainText() != text:
                        label.setText(text)
            return found

        placements = None
        numbered = False
        if items and area.width() > 20 and area.height() > 20:
            if len(items) <= MAX_WORD_LABELS:
                placements = attempt(["\n".join(item.lines) for item in items])
            if placements is None:
                numbered = True
                if len(items) <= MAX_NUMBERED:
                    placements = attempt([str(i + 1) for i in range(len(items))])
        self._numbered = numbered
        shown = placements or []
        leader_x: list[float] = []
        leader_y: list[float] = []
        for index, placement in enumerate(shown):
            label = self._labels[index]
            label.setPos(to_view(placement.rect.topLeft()))
            label.setVisible(ok[index])
            if placement.leader and ok[index]:
                box = placement.rect
                point = placement.anchor
                corner = QPointF(
                    min(max(point.x(), box.left()), box.right()),
                    min(max(point.y(), box.top()), box.bottom()),
                )
                for scene_point in (point, corner):
                    view_point = to_view(scene_point)
                    leader_x.append(view_point.x())
                    leader_y.append(view_point.y())
        for label in self._labels[len(shown) :]:
            label.hide()
        _set_points(self._leaders, np.power(10.0, leader_x), self._marker_raw_y(leader_y))
        self._update_key(numbered, items)

    def _dodge_legend(self, legend: QRectF, area: QRectF) -> None:
        """The "today" label sits at the top of its line, unless the legend is there: then
        just below the legend."""
        label = self._today.label
        top_position = TODAY_LABEL_POSITION
        if label.orthoPos != top_position:
            label.setPosition(top_position)
        if label.sceneBoundingRect().intersects(legend) and area.height() > 0:
            below = 1.0 - (legend.bottom() + 4.0 - area.top()) / area.height()
            label.setPosition(max(0.05, min(top_position, below)))

    def _update_key(self, numbered: bool, items: list[LabelItem]) -> None:
        if not numbered or not items:
            lines: list[str] = []
        elif len(items) <= MAX_NUMBERED:
            lines = [f"{i + 1}  {item.short}" for i, item in enumerate(items)]
        else:
            lines = [
                f"{fmt.count(len(items))} crossovers and near-ties between "
                f"{fmt.volume(items[0].low)} and {fmt.volume(items[-1].high)}: see the list "
                "of cost crossovers."
            ]
        self._key_lines = lines
        columns = max(1, min(KEY_COLUMNS, self.width() // KEY_COLUMN_WIDTH, len(lines)))
        rows = math.ceil(len(lines) / columns) if lines else 0
        for index, label in enumerate(self._key_columns):
            text = "\n".join(lines[index * rows : (index + 1) * rows])
            if label.text() != text:
                label.setText(text)
            label.setVisible(bool(text))
        if self._key.isVisible() != bool(lines):
            self._key.setVisible(bool(lines))

    def _marker_raw_y(self, view_y: Sequence[float]) -> Array:
        values = np.asarray(view_y, dtype=float)
        return np.power(10.0, values) if self._log_y else values

    def _update_readout(self) -> None:
        evaluation = self._evaluation
        if evaluation is None or self._view_volumes.size == 0:
            return
        hovering = self._hover_volume is not None
        q = self._hover_volume if hovering else evaluation.queries_per_month
        assert q is not None
        if q <= 0:
            return
        log_q = math.log10(q)
        if hovering:
            self._crosshair.setValue(log_q)
            self._crosshair.show()
        else:
            self._crosshair.hide()
        where = f"At {fmt.volume(q)}" if hovering else f"Today, {fmt.volume(q)}"
        what = "total over the horizon" if self._mode == "total" else "per month"
        parts = []
        money = evaluation.currency
        for key in STRATEGIES:
            cost = self._cost_at(key, log_q)
            if not hovering:  # today's volume: the evaluation's own figure, not the curve's
                tco = evaluation.strategies[key].tco.value
                cost = tco if self._mode == "total" else tco / evaluation.horizon_months
            mark = " (excluded)" if self._excluded.get(key) else ""
            part = f"{STRATEGY_NAMES[key]}{mark} {fmt.money(cost, money)}"
            band = self._band_at(key, np.array([log_q]))
            if band is not None:
                low, high = float(band[0][0]), float(band[1][0])
                if high - low > 1e-6 * max(abs(high), 1.0):  # no spread, no range to show
                    part += f" (P10–P90 {fmt.money(low, money)}–{fmt.money(high, money)})"
            parts.append(part)
        self._readout.setText(f"{where} ({what}): " + "   ·   ".join(parts))

    def _band_at(
        self, key: str, log_volumes: Array, clip: bool = True
    ) -> tuple[Array, Array] | None:
        """The P10 and P90 of a strategy at log10 volumes, in the chart's mode.  The band is
        computed at fewer volumes than the curve, so it is carried over as a ratio to the
        likely cost (interpolated in log volume): where the ranged inputs do not touch a
        strategy, its P10 and P90 are its curve, not an interpolation of it.  None when no
        band (or no likely cost with it) is shown; outside the band, None (``clip``) or NaN
        there."""
        volumes, low, high = self._bands.data(key)
        curve = self._y.get(key)
        if volumes.size == 0 or curve is None or self._view_volumes.size == 0:
            return None
        x = np.log10(volumes)
        outside = (log_volumes < x[0] - 1e-12) | (log_volumes > x[-1] + 1e-12)
        if clip and outside.any():
            return None
        likely_there = self._bands.likely(key)
        if likely_there is None:
            return None
        likely_here = np.interp(log_volumes, self._view_volumes, curve)
        ends = []
        for band in (low, high):
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(likely_there > 0, band / likely_there, np.nan)
            if np.all(np.isfinite(ratio)):
                value = likely_here * np.interp(log_volumes, x, ratio)
            else:  # a zero cost somewhere: the band as drawn
                value = np.interp(log_volumes, x, band)
            ends.append(np.where(outside, np.nan, value))
        return ends[0], ends[1]

    # --- look -------------------------------------------------------------------------------

    def _foreground(self) -> QColor:
        if self._export_colors:
            return QColor("#202020")
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _background(self) -> QColor:
        if self._export_colors:
            return QColor("white")
        return self.palette().color(QPalette.ColorRole.Base)

    def _dark_look(self) -> bool:
        return self._dark and not self._export_colors

    def _label_style(self) -> dict[str, str]:
        return {"color": self._foreground().name(), "font-size": f"{LABEL_POINTS:g}pt"}

    def _curve_pen(self, key: str) -> QPen:
        style = STRATEGY_STYLES[key]
        color = style.color(self._dark_look())
        if self._excluded.get(key):
            color.setAlpha(EXCLUDED_ALPHA_SCREEN)
        pen = QPen(color, LINE_WIDTH * self._pen_scale, style.line)
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen

    def _apply_curve_pens(self) -> None:
        for key, curve in self._curves.items():
            curve.setPen(self._curve_pen(key))
        self._bands.apply_theme(self._dark_look(), self._excluded)
        self._legend.update()

    def _set_legend_text(self, key: str, text: str) -> None:
        for sample, label in self._legend.items:
            if sample.item is self._curves[key]:
                label.setText(html.escape(text), color=self._foreground().name())

    def _style_label(self, label: pg.TextItem) -> None:
        fill = QColor(self._background())
        fill.setAlpha(215)
        label.fill = pg.mkBrush(fill)
        label.border = pg.mkPen(None)
        label.setColor(self._foreground())
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.92))
        label.setFont(font)
        label.update()

    def _style_tie(self, region: pg.LinearRegionItem) -> None:
        color = QColor(self._foreground())
        color.setAlpha(28)
        region.setBrush(pg.mkBrush(color))
        region.update()

    def _apply_theme(self) -> None:
        fg, bg = self._foreground(), self._background()
        self._plot.setBackground(bg)
        item = self._plot.getPlotItem()
        tick_font = QFont(self.font())
        tick_font.setPointSizeF(max(8.0, tick_font.pointSizeF() * 0.9))
        for name in ("bottom", "left"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(fg))
            axis.setTextPen(pg.mkPen(fg))
            axis.setStyle(tickFont=tick_font, tickTextOffset=6, autoExpandTextSpace=False)
        # Fixed room for tick labels + axis title (the 2…9 decade ticks have empty labels,
        # which would otherwise shrink the bottom axis onto its title).
        tick_height = QFontMetrics(tick_font).height()
        label_height = QFontMetrics(self.font()).height()
        item.getAxis("bottom").setHeight(tick_height + label_height + 18)
        # The left axis centres each label on its tick and lets the top one run above the plot
        # (pyqtgraph's default for a vertical axis): room for half a label, or it is cut.
        left, _top, right, bottom = item.layout.getContentsMargins()
        top = math.ceil(QFontMetricsF(tick_font).ascent() / 2.0)
        item.layout.setContentsMargins(left, top, right, bottom)
        self._apply_curve_pens()
        legend_bg = QColor(bg)
        legend_bg.setAlpha(225)
        self._legend.setBrush(pg.mkBrush(legend_bg))
        border = QColor(fg)
        border.setAlpha(60)
        self._legend.setPen(pg.mkPen(border))
        self._legend.setLabelTextColor(fg)
        for key in STRATEGIES:
            excluded = self._excluded.get(key, False)
            self._set_legend_text(key, STRATEGY_NAMES[key] + (" (excluded)" if excluded else ""))
        self._markers.setSymbolBrush(pg.mkBrush(fg))
        self._markers.setSymbolPen(pg.mkPen(bg, width=1.5 * self._pen_scale))
        today_pen = pg.mkPen(fg, width=1.5 * self._pen_scale, style=Qt.PenStyle.DotLine)
        self._today.setPen(today_pen)
        self._today.label.setColor(fg)
        label_fill = QColor(bg)
        label_fill.setAlpha(215)
        self._today.label.fill = pg.mkBrush(label_fill)
        for level, alpha in (("major", 48), ("minor", 20)):
            grid_color = QColor(fg)
            grid_color.setAlpha(alpha)
            self._grid[level].setPen(pg.mkPen(grid_color, width=1))
        hair = QColor(fg)
        hair.setAlpha(110)
        self._crosshair.setPen(pg.mkPen(hair, width=1, style=Qt.PenStyle.DashLine))
        for label in self._labels:
            self._style_label(label)
        self._style_label(self._probe)
        self._text_sizes.clear()
        for region in self._ties:
            self._style_tie(region)
        leader = QColor(fg)
        leader.setAlpha(140)
        self._leaders.setPen(pg.mkPen(leader, width=1))
        self._text_cache.pop("left_axis", None)
        self._text_cache.pop("bottom_axis", None)
        self._update_axis_labels()

    @contextmanager
    def export_look(self, scale: float = 1.0) -> Iterator[None]:
        """Light colours on white while exporting; the crosshair is not part of an export.

        ImageExporter scales the scene to the requested width, but pyqtgraph's pens are
        cosmetic (a width in pixels) and its legend ignores transformations: both are scaled
        by hand for the export, so a 2400-pixel PNG looks like the chart on screen."""
        crosshair = self._crosshair.isVisible()
        self._crosshair.hide()
        self._ensure_laid_out()
        self._export_colors = True
        self._pen_scale = max(1.0, scale)
        self._apply_theme()
        ignores = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
        legend_ignored = bool(self._legend.flags() & ignores)
        self._legend.setFlag(ignores, False)
        try:
            yield
        finally:
            self._legend.setFlag(ignores, legend_ignored)
            self._export_colors = False
            self._pen_scale = 1.0
            self._apply_theme()
            self._crosshair.setVisible(crosshair)

    def _ensure_laid_out(self) -> None:
        """A chart that was never shown has no size; give its scene one to export."""
        item = self._plot.getPlotItem()
        if item.boundingRect().width() < 10 or item.boundingRect().height() < 10:
            self._plot.resize(900, 500)
            item.setGeometry(0, 0, 900, 500)
            if not self._user_range:
                self._fit_view()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._dark = is_dark(self.palette())
            self._apply_theme()
        super().changeEvent(event)

    # --- interaction ------------------------------------------------------------------------

    def _on_mode_changed(self, index: int) -> None:
        mode = self._mode_combo.itemData(index)
        if mode not in MODES or mode == self._mode:
            return
        self._mode = mode
        self._user_range = False
        self._reset_button.setVisible(False)
        self._refresh()
        self._update_axis_labels()
        self.modeChanged.emit(mode)

    def _on_scale_changed(self, index: int) -> None:
        scale = self._scale_combo.itemData(index)
        if scale in Y_SCALES and scale != self._y_scale:
            self._y_scale = scale
            self._user_range = False
            self._reset_button.setVisible(False)
            self._refresh()

    def _on_manual_range(self, *_: object) -> None:
        if not self._fitting:
            self._user_range = True
            self._reset_button.setVisible(True)

    def _reset_view(self) -> None:
        self._user_range = False
        self._reset_button.setVisible(False)
        self._fit_view()

    def _on_mouse_moved(self, pos: QPointF) -> None:
        view_box = self._plot.getPlotItem().getViewBox()
        if self._view_volumes.size == 0 or not view_box.sceneBoundingRect().contains(pos):
            if self._hover_volume is not None:
                self._hover_volume = None
                self._update_readout()
            return
        point = view_box.mapSceneToView(pos)
        log_q = float(np.clip(point.x(), self._view_volumes[0], self._view_volumes[-1]))
        self._hover_volume = 10.0**log_q
        self._update_readout()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave and self._hover_volume is not None:
            self._hover_volume = None
            self._update_readout()
        return super().eventFilter(watched, event)

    # --- export menu -------------------------------------------------------------------------

    def set_export_actions(self, actions: Sequence[QAction]) -> None:
        """The chart's Export button offers these actions — the window's File → Export Chart
        commands, so both places run the one export path."""
        menu = self._export_button.menu()
        assert menu is not None
        menu.clear()
        menu.addActions(list(actions))
        self._export_button.setVisible(bool(actions))
