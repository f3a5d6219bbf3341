"""Wires the Monte Carlo runner to the main window: the Sensitivity tab, the scorecard's
probabilities, the chart's bands and the status bar.

The main window only creates one :class:`UncertaintyController` and hands it the chart when the
chart is created (it is deferred past the first paint); everything else happens here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from gui.uncertainty.view import SensitivityView
from gui.uncertainty.worker import Result, UncertaintyRunner

if TYPE_CHECKING:
    from gui.charts.crossover_chart import CrossoverChart
    from gui.mainwindow import MainWindow

TAB_TITLE = "Sensitivity"
STATUS_MS = 10_000


class UncertaintyController(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view = SensitivityView()
        window.results.addTab(self.view, TAB_TITLE)
        self._chart: CrossoverChart | None = None
        self._pending = False  # the views say "updating"
        self.runner = UncertaintyRunner(window.document, self)
        self.view.set_samples(self.runner.samples)
        self.view.samplesChosen.connect(self.runner.set_samples)
        self.runner.scheduled.connect(self._scheduled)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.cleared.connect(self._cleared)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.runner.shutdown)
        if self.runner.is_busy():
            self._scheduled()
        elif not self.runner.has_ranges():
            self._cleared()

    def attach_chart(self, chart: CrossoverChart) -> None:
        """The chart exists now: give it the bands of the last result."""
        self._chart = chart
        result = self.runner.result
        if result is not None and self.runner.has_ranges():
            chart.set_bands(
                result.uncertainty.band_volumes,
                result.uncertainty.bands,
                result.uncertainty.band_likely,
            )

    # --- runner → views ---------------------------------------------------------------------

    def _scheduled(self) -> None:
        # Once per burst of edits: every keystroke schedules, the views change only once.
        if self._pending:
            return
        self._pending = True
        self.view.show_pending()
        result = self.runner.result
        if result is not None:
            self.window.scorecard.set_uncertainty(
                result.uncertainty, result.request.evaluation, updating=True
            )

    def _finished(self, result: Result) -> None:
        self._pending = False
        u = result.uncertainty
        evaluation = result.request.evaluation
        self.window.scorecard.set_uncertainty(u, evaluation)
        self.view.set_uncertainty(u, evaluation, result.elapsed_ms)
        if self._chart is not None:
            self._chart.set_bands(u.band_volumes, u.bands, u.band_likely)

    def _failed(self, message: str) -> None:
        self._pending = False
        self.view.show_failure(message)
        self.window.scorecard.set_uncertainty(None)  # no stale figures on show
        if self._chart is not None:
            self._chart.set_bands(None, None)
        self.window.statusBar().showMessage(
            f"The uncertainty analysis failed: {message}", STATUS_MS
        )

    def _cleared(self) -> None:
        self._pending = False
        self.view.show_empty()
        self.window.scorecard.set_uncertainty(None)
        if self._chart is not None:
            self._chart.set_bands(None, None)
