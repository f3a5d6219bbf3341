"""Drives the Monte Carlo runner for one document: its Sensitivity view, the chart's bands,
and signals for the rest of the window.

The main window creates one :class:`UncertaintyController`, adds its ``view`` as the
Sensitivity tab, connects ``uncertaintyChanged`` (to the scorecard) and ``failed`` (to the
status bar), calls :meth:`start`, and hands it the chart when the chart is created (it is
deferred past the first paint).  The controller knows nothing of the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from gui.uncertainty.view import SensitivityView
from gui.uncertainty.worker import Result, UncertaintyRunner

if TYPE_CHECKING:
    from gui.charts.crossover_chart import CrossoverChart
    from gui.document import ProjectDocument

TAB_TITLE = "Sensitivity"


class UncertaintyController(QObject):
    """See the module docstring."""

    #: (Uncertainty or None, the Evaluation it was computed for or None, updating): what the
    #: scorecard shows — None when the scenario has no ranges or the analysis failed;
    #: ``updating`` while new inputs are analysed and the figures are the previous ones.
    uncertaintyChanged = Signal(object, object, bool)
    #: The analysis failed (the reason, one line).
    failed = Signal(str)

    def __init__(self, document: ProjectDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = SensitivityView()
        self._chart: CrossoverChart | None = None
        self._pending = False  # the views say "updating"
        self.runner = UncertaintyRunner(document, self)
        self.view.set_samples(self.runner.samples)
        self.view.samplesChosen.connect(self.runner.set_samples)
        self.runner.scheduled.connect(self._scheduled)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.cleared.connect(self._cleared)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.runner.shutdown)

    def start(self) -> None:
        """Show the runner's state now (once the window has connected the signals)."""
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
            self.uncertaintyChanged.emit(result.uncertainty, result.request.evaluation, True)

    def _finished(self, result: Result) -> None:
        self._pending = False
        u = result.uncertainty
        evaluation = result.request.evaluation
        self.uncertaintyChanged.emit(u, evaluation, False)
        self.view.set_uncertainty(u, evaluation, result.elapsed_ms)
        if self._chart is not None:
            self._chart.set_bands(u.band_volumes, u.bands, u.band_likely)

    def _failed(self, message: str) -> None:
        self._pending = False
        self.view.show_failure(message)
        self.uncertaintyChanged.emit(None, None, False)  # no stale figures on show
        if self._chart is not None:
            self._chart.set_bands(None, None)
        self.failed.emit(message)

    def _cleared(self) -> None:
        self._pending = False
        self.view.show_empty()
        self.uncertaintyChanged.emit(None, None, False)
        if self._chart is not None:
            self._chart.set_bands(None, None)
