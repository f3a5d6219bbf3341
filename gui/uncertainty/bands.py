"""P10–P90 bands around the crossover chart's curves (the Monte Carlo's spread of each
strategy's total cost at each volume).

Per strategy: a translucent fill between two edge curves (P10, P90), created once and updated
with ``setData`` like the rest of the chart — and only when the bands, the mode or the cost
axis change, not on every keystroke; hidden while there are no ranges.  The edges are never
drawn themselves (the fill is the picture), so the bands add three filled paths to a repaint.
They are plain curve items holding view coordinates (log10 of the volume, and of the cost on a
logarithmic cost axis), transformed here.  The legend gets a "P10–P90" entry while bands are
shown; clicking it hides or shows them (as clicking a strategy hides its curve).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtGui import QColor

from engine.model.scenario import STRATEGIES
from gui.charts.style import STRATEGY_STYLES

Array = NDArray[np.float64]
BandMap = Mapping[str, tuple[Array, Array]]

FILL_ALPHA = 46
FILL_ALPHA_DARK = 60
EXCLUDED_FACTOR = 0.4
LEGEND_TEXT = "P10–P90 range"


class BandOverlay:
    """The band items of one chart (see the module docstring)."""

    def __init__(self, plot_item: pg.PlotItem, legend: pg.LegendItem) -> None:
        self._legend = legend
        self._volumes: Array | None = None
        self._bands: dict[str, tuple[Array, Array]] = {}
        self._likely: dict[str, Array] = {}
        self._divisor = 1.0
        self._hidden_by_user = False
        self._in_legend = False
        self._edges: dict[str, tuple[pg.PlotCurveItem, pg.PlotCurveItem]] = {}
        self._fills: dict[str, pg.FillBetweenItem] = {}
        self._drawn: tuple[object, ...] | None = None
        self._version = 0  # of the band data: drawn again only when it changed
        self._log_y = False
        for key in STRATEGIES:
            low_edge = pg.PlotCurveItem([], [], skipFiniteCheck=True)
            high_edge = pg.PlotCurveItem([], [], skipFiniteCheck=True)
            for edge in (low_edge, high_edge):
                edge.hide()  # data for the fill only
                plot_item.addItem(edge, ignoreBounds=True)
            fill = pg.FillBetweenItem(low_edge, high_edge)
            fill.setZValue(2)
            fill.hide()
            plot_item.addItem(fill, ignoreBounds=True)
            self._edges[key] = (low_edge, high_edge)
            self._fills[key] = fill
        # A stand-in for the legend's sample (never drawn in the plot): a filled square.
        self._legend_item = pg.BarGraphItem(x=[0.0], height=[1.0], width=1.0, pen=None)

    # --- data ------------------------------------------------------------------------------

    def set_bands(
        self,
        volumes: Array | None,
        bands: BandMap | None,
        likely: Mapping[str, Array] | None = None,
    ) -> None:
        """New bands (TCO at ``volumes``), or None to hide them; ``likely``: each strategy's
        TCO at the same volumes with every input at its likely value, if known."""
        self._version += 1
        if volumes is None or bands is None or len(volumes) == 0:
            self._volumes, self._bands, self._likely = None, {}, {}
        else:
            self._volumes = np.asarray(volumes, dtype=float)
            self._bands = {
                k: (np.asarray(lo, dtype=float), np.asarray(hi, dtype=float))
                for k, (lo, hi) in bands.items()
            }
            self._likely = {k: np.asarray(v, dtype=float) for k, v in (likely or {}).items()}

    def has_bands(self) -> bool:
        return self._volumes is not None

    def visible(self) -> bool:
        """Bands are on the chart (there are some, and the legend did not switch them off)."""
        return self.has_bands() and not self._hidden_by_user

    def update(self, divisor: float, log_y: bool = False) -> None:
        """Put the bands on the chart, costs ÷ ``divisor`` (the horizon in per-month mode), on
        a logarithmic cost axis when ``log_y``.  Nothing is redone when nothing changed."""
        self._divisor = divisor if divisor > 0 else 1.0
        self._log_y = log_y
        shown = self.visible()
        state = (self._version, self._divisor, log_y, shown)
        if state == self._drawn:
            return
        self._drawn = state
        for key in STRATEGIES:
            low_edge, high_edge = self._edges[key]
            fill = self._fills[key]
            band = self._bands.get(key)
            if not shown or band is None or self._volumes is None:
                fill.hide()
                continue
            x = np.log10(self._volumes)
            low_edge.setData(x, self._view_y(band[0]))
            high_edge.setData(x, self._view_y(band[1]))
            fill.show()
        self._update_legend()

    def _view_y(self, costs: Array) -> Array:
        values = costs / self._divisor
        if self._log_y:
            return np.log10(np.maximum(values, 1e-300))
        return values

    def values(self) -> list[Array]:
        """The band values drawn (for fitting the view)."""
        if not self.visible():
            return []
        return [np.concatenate(band) / self._divisor for band in self._bands.values()]

    def data(self, strategy: str) -> tuple[Array, Array, Array]:
        """(volumes, P10, P90) as drawn for a strategy, in costs (empty when hidden)."""
        band = self._bands.get(strategy)
        if not self._fills[strategy].isVisible() or band is None or self._volumes is None:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        return self._volumes, band[0] / self._divisor, band[1] / self._divisor

    def likely(self, strategy: str) -> Array | None:
        """The likely TCO at the band's volumes, as drawn (None when not known or hidden)."""
        values = self._likely.get(strategy)
        if values is None or not self._fills[strategy].isVisible():
            return None
        return values / self._divisor

    # --- look ------------------------------------------------------------------------------

    def apply_theme(self, dark: bool, excluded: Mapping[str, bool]) -> None:
        for key in STRATEGIES:
            color = STRATEGY_STYLES[key].color(dark)
            factor = EXCLUDED_FACTOR if excluded.get(key) else 1.0
            fill = QColor(color)
            fill.setAlpha(round((FILL_ALPHA_DARK if dark else FILL_ALPHA) * factor))
            self._fills[key].setBrush(pg.mkBrush(fill))
            self._fills[key].setPen(pg.mkPen(None))
        grey = QColor("#9AA3AD" if not dark else "#7D8791")
        grey.setAlpha(150)
        self._legend_item.setOpts(brush=pg.mkBrush(grey), pen=None)

    def _update_legend(self) -> None:
        wanted = self.has_bands()
        if wanted == self._in_legend:
            return
        self._in_legend = wanted
        if wanted:
            self._legend.addItem(self._legend_item, LEGEND_TEXT)
            sample = self._legend.items[-1][0]
            sample.sigClicked.connect(self._legend_clicked)
            self._legend_item.setVisible(not self._hidden_by_user)
        else:
            self._legend.removeItem(self._legend_item)

    def _legend_clicked(self, _item: object) -> None:
        # The legend sample has just toggled the stand-in's visibility.
        self._hidden_by_user = not self._legend_item.isVisible()
        self.update(self._divisor, self._log_y)

    def set_hidden_by_user(self, hidden: bool) -> None:
        self._hidden_by_user = hidden
        self._legend_item.setVisible(not hidden)
        self.update(self._divisor, self._log_y)
