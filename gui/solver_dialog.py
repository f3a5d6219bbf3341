"""Scenario → Find Cheapest Setup…: the solver's best setups per strategy, applied with a click.

The search (:func:`engine.solver.solve`) runs on a worker thread of its own pool.  Every run
carries a generation; an edit of the project starts a new generation, so the run in flight stops
at its next check (the solver polls ``should_stop`` between catalog combinations, every
millisecond or so) and a result that arrives for older inputs is dropped.  Applying a setup is a
single undoable edit of the current scenario.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine import numbers as nf
from engine.model.project import Project
from engine.model.scenario import Scenario
from engine.solver import Candidate, Solution, SolverCancelled, apply_candidate, solve
from gui.document import ProjectDocument

log = logging.getLogger(__name__)

# The smallest self-hosted model searched: (words, keep the scenario's size, floor in billions).
MODEL_SIZES: tuple[tuple[str, bool, float | None], ...] = (
    ("No smaller than the scenario's model", True, None),
    ("Any size (answer quality is not scored)", False, None),
    ("At least 7B parameters", False, 7.0),
    ("At least 13B parameters", False, 13.0),
    ("At least 30B parameters", False, 30.0),
    ("At least 70B parameters", False, 70.0),
)

# Which weight precisions the search may propose: (words, keep the scenario's, bytes floor).
PRECISIONS: tuple[tuple[str, bool, float | None], ...] = (
    ("No lower precision than the scenario's", True, None),
    ("8-bit or more", False, 1.0),
    ("Any, 4-bit included (answer quality is not scored)", False, None),
)

_POOL: QThreadPool | None = None


def _pool() -> QThreadPool:
    """One worker thread for solver runs, waited for when the application quits."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda: _POOL.waitForDone() if _POOL else None)
    return _POOL


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it (queued across threads)."""

    finished = Signal(int, object)
    failed = Signal(int, str)


class _Run(QRunnable):
    def __init__(
        self,
        relay: _Relay,
        generation: int,
        project: Project,
        scenario: Scenario,
        live: Any,
        model_size: tuple[bool, float | None] = (True, None),
        precision: tuple[bool, float | None] = (True, None),
    ) -> None:
        super().__init__()
        self.relay, self.generation = relay, generation
        self.project, self.scenario, self.live = project, scenario, live
        self.keep_model_size, self.min_parameters_billion = model_size
        self.keep_precision, self.min_bytes_per_weight = precision

    def run(self) -> None:
        if self.live() != self.generation:
            return
        try:
            result = solve(
                self.project,
                self.scenario,
                should_stop=lambda: self.live() != self.generation,
                keep_model_size=self.keep_model_size,
                min_parameters_billion=self.min_parameters_billion,
                keep_precision=self.keep_precision,
                min_bytes_per_weight=self.min_bytes_per_weight,
            )
        except SolverCancelled:
            return
        except Exception as exc:  # reported in the dialog, never raised in the thread
            log.exception("solver failed")
            self.relay.failed.emit(self.generation, f"{type(exc).__name__}: {exc}")
            return
        self.relay.finished.emit(self.generation, result)


class SolverDialog(QDialog):
    """The best few setups of each strategy, side by side with what each trades."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find Cheapest Setup")
        self.document = document
        self._generation = itertools.count(1)
        self._live = 0
        self._applying = False
        self.solution: Solution | None = None
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished)
        self._relay.failed.connect(self._failed)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "For each strategy, the cheapest setups in the catalogs that meet every must of "
            "this scenario (hard compliance items, the data region, latency targets marked "
            "must), verified by the full evaluation. Answer quality is not scored: no "
            "self-hosted model smaller than the scenario's, and no weights in lower precision, "
            "are proposed unless you widen the choices below, and another model is flagged in "
            "'trades'. Apply replaces the setup in one undoable step."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        limits = QHBoxLayout()
        self.model_size = self._limit_choice(
            limits,
            "Self-hosted &models:",
            [words for words, _keep, _floor in MODEL_SIZES],
            "Which self-hosted models the search may propose. Answer quality is not scored, "
            "so by default a model is never smaller than the one the scenario has.",
        )
        limits.addSpacing(12)
        self.precision = self._limit_choice(
            limits,
            "&Weights:",
            [words for words, _keep, _bytes in PRECISIONS],
            "Which weight precisions the search may propose for self-hosted models. 8- and "
            "4-bit quantization cut the GPU memory a model needs, and trade answer quality the "
            "search cannot see, so by default it keeps the scenario's precision.",
        )
        limits.addStretch(1)
        layout.addLayout(limits)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(["Setup", "Total cost", "p95", "Hosted in", "Trades"])
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(lambda *_: self.apply_selected())
        layout.addWidget(self.tree, 1)
        self.details = QLabel("Select a setup to see it in full.")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox()
        self.apply_button = QPushButton("&Apply to Scenario")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply_selected)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        layout.addWidget(buttons)
        self.resize(1000, 520)
        document.changed.connect(self._project_changed)

    def _limit_choice(self, row: QHBoxLayout, label: str, items: list[str], tip: str) -> QComboBox:
        """A labelled choice of what the search may propose; changing it searches again."""
        choice = QComboBox()
        choice.addItems(items)
        choice.setToolTip(tip)
        buddy = QLabel(label)
        buddy.setBuddy(choice)
        row.addWidget(buddy)
        row.addWidget(choice)
        choice.currentIndexChanged.connect(lambda _i: self.start())
        return choice

    # --- running ---------------------------------------------------------------------------

    def start(self) -> None:
        """Search for the current scenario (a run in flight for older inputs stops)."""
        self._live = next(self._generation)
        self.solution = None
        self.tree.clear()
        self.apply_button.setEnabled(False)
        self.status.setText(f"Searching the catalogs for scenario '{self.document.scenario.name}'…")
        live = self._live_generation
        _words, keep, floor = MODEL_SIZES[self.model_size.currentIndex()]
        _words, keep_precision, min_bytes = PRECISIONS[self.precision.currentIndex()]
        _pool().start(
            _Run(
                self._relay,
                self._live,
                self.document.project,
                self.document.scenario,
                live,
                (keep, floor),
                (keep_precision, min_bytes),
            )
        )

    def _live_generation(self) -> int:
        return self._live

    def _project_changed(self) -> None:
        if self._applying or not self.isVisible():
            if not self.isVisible():
                self._live = next(self._generation)  # a hidden dialog's run is stale
            return
        self.start()

    def closeEvent(self, event: Any) -> None:
        self._live = next(self._generation)  # stop the run in flight
        super().closeEvent(event)

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._live:
            self.status.setText(f"The search failed: {message}")

    def _finished(self, generation: int, solution: Solution) -> None:
        if generation != self._live:
            return
        self.solution = solution
        self._show(solution)

    # --- showing ---------------------------------------------------------------------------

    def _show(self, solution: Solution) -> None:
        money = solution.currency
        self.status.setText(
            f"Scenario '{solution.scenario}': {nf.count(solution.searched)} combinations "
            f"searched in {nf.fixed(solution.seconds, 2)} s."
        )
        self.tree.clear()
        for s in solution.strategies.values():
            state = "meets every must" if s.current_meets else "misses a must"
            top = QTreeWidgetItem(
                [f"{s.name} — now {nf.money(s.current_tco, money)} ({state})", "", "", "", ""]
            )
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(top)
            for c in s.candidates:
                item = QTreeWidgetItem(
                    [
                        c.summary,
                        nf.money(c.tco, money),
                        f"{nf.fixed(c.latency_p95, 2)} s",
                        c.hosted_in,
                        "; ".join(c.trades),
                    ]
                )
                item.setData(0, Qt.ItemDataRole.UserRole, c)
                for column in range(5):
                    item.setToolTip(column, f"{c.summary}\n\n" + "\n".join(c.trades))
                top.addChild(item)
            for reason in [*s.unmet, *s.notes]:
                note = QTreeWidgetItem([reason, "", "", "", ""])
                note.setData(0, Qt.ItemDataRole.UserRole, reason)
                note.setToolTip(0, reason)
                top.addChild(note)
            top.setExpanded(True)
        self.tree.resizeColumnToContents(1)
        self.tree.resizeColumnToContents(2)

    def candidates(self) -> list[QTreeWidgetItem]:
        """Every row holding a setup (tests, keyboard)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            assert top is not None
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None and isinstance(
                    child.data(0, Qt.ItemDataRole.UserRole), Candidate
                ):
                    out.append(child)
        return out

    def _selection_changed(self) -> None:
        candidate = self._selected()
        self.apply_button.setEnabled(candidate is not None)
        items = self.tree.selectedItems()
        data = items[0].data(0, Qt.ItemDataRole.UserRole) if items else None
        if candidate is not None and self.solution is not None:
            money = self.solution.currency
            self.details.setText(
                f"{candidate.summary}\n{nf.money(candidate.tco, money)} over the horizon · p50 "
                f"{nf.fixed(candidate.latency_total, 2)} s · first token "
                f"{nf.fixed(candidate.latency_ttft, 2)} s · p95 "
                f"{nf.fixed(candidate.latency_p95, 2)} s · hosted in {candidate.hosted_in}\n"
                f"Trades: {'; '.join(candidate.trades)}"
            )
        elif isinstance(data, str):
            self.details.setText(data)

    def _selected(self) -> Candidate | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        data = items[0].data(0, Qt.ItemDataRole.UserRole)
        return data if isinstance(data, Candidate) else None

    def apply_selected(self) -> str | None:
        """Apply the selected setup to the current scenario (one undo step)."""
        candidate = self._selected()
        if candidate is None:
            return "Select a setup first."
        scenario = apply_candidate(self.document.scenario, candidate)
        self._applying = True
        try:
            problem = self.document.replace_scenario(
                scenario, f"Apply cheapest {candidate.strategy.replace('_', '-')} setup"
            )
        finally:
            self._applying = False
        if problem:
            self.status.setText(problem)
            return problem
        self.status.setText(
            f"Applied to scenario '{scenario.name}': {candidate.summary}. Edit → Undo reverts it."
        )
        return None
