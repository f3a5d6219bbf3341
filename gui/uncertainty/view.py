"""The "Sensitivity" result tab: what the ranges do to the answer.

How sure the recommendation is (P(recommended) per strategy), the spread of each strategy's
total cost (P10 / P50 / P90), the tornado of the inputs that move the decision most, the input
values at which the recommendation would change, and the spread of the break-even volumes —
every sentence in plain words.  It changes only when a Monte Carlo run finishes; while one is
pending the last results stay, marked as updating.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from engine.uncertainty import Uncertainty
from gui import format as fmt
from gui.uncertainty.text import (
    crossover_sentences,
    flip_sentences,
    method_text,
    recommended_share,
    share,
    tco_cells,
    tornado_base,
    tornado_empty_text,
)
from gui.uncertainty.tornado import MAX_BARS, TornadoChart
from gui.uncertainty.worker import SAMPLE_CHOICES
from gui.views.common import (
    ROW_HEADER_WIDTH,
    ResultTable,
    bullets,
    ensure_item,
    fit_height,
    muted_label,
    plain_label,
    scrolling_page,
    section_heading,
    set_text,
)

EMPTY_TEXT = (
    "No input has a range, so there is nothing uncertain to analyse. Give any number a low and "
    "a high value — the ± button beside it, or Ctrl+Shift+R in the field — and this tab shows "
    "how sure the recommendation is, which inputs move it most, and where it would change."
)


class SensitivityView(QWidget):
    """See the module docstring.  ``samplesChosen(int)`` when the sample count is changed."""

    samplesChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Sensitivity")
        self._uncertainty: Uncertainty | None = None
        self._evaluation: Evaluation | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        _, layout = scrolling_page(outer)

        bar = QHBoxLayout()
        self._status = muted_label("")
        self._status.setAccessibleName("Uncertainty analysis status")
        bar.addWidget(self._status, 1)
        samples_label = QLabel("&Samples:")
        self._samples = QComboBox()
        self._samples.setAccessibleName("Monte Carlo samples")
        self._samples.setToolTip(
            "How many times the ranges are sampled. More samples: steadier percentages, a "
            "slower analysis (it runs in the background either way)."
        )
        for count in SAMPLE_CHOICES:
            self._samples.addItem(fmt.count(count), count)
        samples_label.setBuddy(self._samples)
        self._samples.activated.connect(self._samples_activated)
        bar.addWidget(samples_label)
        bar.addWidget(self._samples)
        layout.addLayout(bar)

        self._empty = plain_label(EMPTY_TEXT)
        self._empty.setAccessibleName("No ranges")
        layout.addWidget(self._empty)

        self._content = QWidget()
        content = QVBoxLayout(self._content)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(8)
        content.addWidget(
            section_heading(
                "How sure is the recommendation?",
                "Share of samples in which each strategy is recommended.",
            )
        )
        self._headline = plain_label()
        font = self._headline.font()
        font.setBold(True)
        self._headline.setFont(font)
        self._headline.setAccessibleName("Probability of the recommendation")
        content.addWidget(self._headline)

        self._table = ResultTable(4, len(STRATEGIES))
        self._table.setAccessibleName("Probability and total cost percentiles by strategy")
        self._table.setHorizontalHeaderLabels([STRATEGY_NAMES[k] for k in STRATEGIES])
        self._table.setVerticalHeaderLabels(
            [
                "Chance of recommendation",
                "Total cost, P10",
                "Total cost, P50 (median)",
                "Total cost, P90",
            ]
        )
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._table.verticalHeader().setFixedWidth(ROW_HEADER_WIDTH)
        for row in range(4):
            for column in range(len(STRATEGIES)):
                item = ensure_item(self._table, row, column)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        fit_height(self._table)
        content.addWidget(self._table)

        content.addWidget(
            section_heading(
                "What moves the decision",
                "Each input swung across its range, the others at their likely values.",
            )
        )
        self.tornado = TornadoChart()
        content.addWidget(self.tornado)
        self._more = muted_label("")
        content.addWidget(self._more)

        content.addWidget(section_heading("Where the recommendation would change"))
        self._flips = plain_label()
        self._flips.setAccessibleName("Flip points")
        content.addWidget(self._flips)

        content.addWidget(section_heading("Break-even volumes across the samples"))
        self._crossovers = plain_label()
        self._crossovers.setAccessibleName("Break-even volumes")
        content.addWidget(self._crossovers)
        layout.addWidget(self._content)
        layout.addStretch(1)
        self.show_empty()

    # --- public interface ------------------------------------------------------------------

    def set_samples(self, samples: int) -> None:
        index = self._samples.findData(samples)
        if index < 0:
            self._samples.addItem(fmt.count(samples), samples)
            index = self._samples.count() - 1
        self._samples.setCurrentIndex(index)

    def show_empty(self) -> None:
        """The scenario has no ranges."""
        self._uncertainty = None
        self._status.setText("")
        self._empty.show()
        self._content.hide()

    def show_pending(self) -> None:
        """New inputs: a run is on its way (the last results stay, marked)."""
        if self._uncertainty is None:
            self._status.setText("Analysing the ranges…")
            self._empty.hide()
        else:
            self._status.setText(f"Updating… (showing: {method_text(self._uncertainty)})")

    def show_failure(self, message: str) -> None:
        self._status.setText(f"The uncertainty analysis failed: {message}")

    def set_uncertainty(self, u: Uncertainty, evaluation: Evaluation, elapsed_ms: float) -> None:
        self._uncertainty = u
        self._evaluation = evaluation
        currency = evaluation.currency
        self._empty.hide()
        self._content.show()
        self._status.setText(f"{method_text(u)} Analysed in {fmt.number(round(elapsed_ms))} ms.")
        self._headline.setText(recommended_share(u, evaluation))
        for column, key in enumerate(STRATEGIES):
            set_text(ensure_item(self._table, 0, column), share(u.p_win.get(key, 0.0)))
            for row, text in enumerate(tco_cells(u, key, currency), start=1):
                set_text(ensure_item(self._table, row, column), text)
        rec = evaluation.recommendation.strategy
        self.tornado.set_bars(
            u.tornado,
            base=tornado_base(evaluation),
            recommended=rec,
            currency=currency,
            empty=tornado_empty_text(evaluation),
        )
        hidden = len(u.tornado) - MAX_BARS
        self._more.setText(
            f"{fmt.count(hidden)} more inputs move the lead less and are not drawn."
            if hidden > 0
            else ""
        )
        self._more.setVisible(hidden > 0)
        flips = flip_sentences(u, currency)
        self._flips.setText(
            bullets(flips)
            or "No input changes the recommendation anywhere within its range (the others at "
            "their likely values)."
        )
        self._crossovers.setText(bullets(crossover_sentences(u)))

    def uncertainty(self) -> Uncertainty | None:
        return self._uncertainty

    def status_text(self) -> str:
        return self._status.text()

    def headline_text(self) -> str:
        return self._headline.text()

    def flips_text(self) -> str:
        return self._flips.text()

    def crossovers_text(self) -> str:
        return self._crossovers.text()

    def table(self) -> ResultTable:
        return self._table

    def _samples_activated(self, index: int) -> None:
        value = self._samples.itemData(index)
        if isinstance(value, int):
            self.samplesChosen.emit(value)
