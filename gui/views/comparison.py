"""Scenarios side by side ("today", "in two years", "pessimistic" …): the recommendation, total
cost, crossovers, latency and staleness of each, one column per scenario.  Clicking a figure
emits ``figureActivated(Figure)``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QVBoxLayout, QWidget

from engine.model.results import Evaluation, Figure, StrategyResult
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from gui import format as fmt
from gui.charts.style import is_dark
from gui.views.common import (
    ROW_HEADER_WIDTH,
    FigureTable,
    bold_lowest,
    ensure_item,
    follow_palette,
    muted_label,
    set_text,
    set_tooltip,
    tinted,
)
from gui.views.scorecard import strategy_icon

# Row kinds: a section heading, a scenario-level text row, or a figure per strategy.
FigureOf = Callable[[StrategyResult], Figure]
SECTIONS: tuple[tuple[str, FigureOf | None], ...] = (
    ("Total cost over the horizon", lambda s: s.tco),
    ("Time to full answer (p50)", lambda s: s.latency_total),
    ("Time to first token (p50)", lambda s: s.latency_ttft),
    ("Time to full answer (p95)", lambda s: s.figures["latency_p95"]),
    ("Worst-case staleness", lambda s: s.staleness_worst),
)
SUMMARY_ROWS: tuple[str, ...] = (
    "Recommended",
    "Lead",
    "Requirements & weights",
    "Queries per month",
    "Horizon",
    "Cost crossovers",
)


class ComparisonView(QWidget):
    """A table with one column per scenario: ``set_evaluations([evaluation, …])``."""

    figureActivated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._evaluations: list[Evaluation] = []
        self._scopes: dict[str, str] = {}
        self._dark = is_dark(self.palette())
        self.setAccessibleName("Scenario comparison")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 14)
        layout.setSpacing(8)
        self._hint = muted_label(
            "Each scenario of the project side by side. The best value of each row is in bold; "
            "click a figure to see how it was computed."
        )
        layout.addWidget(self._hint)

        # Row layout: the summary rows, then per section a heading row and one row per strategy.
        self._rows: list[tuple[str, str, FigureOf | None]] = [
            ("summary", label, None) for label in SUMMARY_ROWS
        ]
        for title, getter in SECTIONS:
            self._rows.append(("section", title, None))
            self._rows += [("figure", key, getter) for key in STRATEGIES]
        self._rows.append(("section", "Weighted score (0–100)", None))
        self._rows += [("score", key, None) for key in STRATEGIES]

        self._table = FigureTable(len(self._rows), 0)
        self._table.setAccessibleName("Scenarios compared")
        self._table.make_scrollable()
        self._table.figureActivated.connect(self.figureActivated)
        vertical = self._table.verticalHeader()
        vertical.setFixedWidth(ROW_HEADER_WIDTH)
        bold = QFont(self._table.font())
        bold.setBold(True)
        for row, (kind, label, _) in enumerate(self._rows):
            item = QTableWidgetItem(
                STRATEGY_NAMES.get(label, label) if kind != "summary" else label
            )
            if kind == "section":
                item.setFont(bold)
            elif kind in ("figure", "score"):
                item.setText("    " + STRATEGY_NAMES[label])
                item.setIcon(strategy_icon(label, self._dark))
            self._table.setVerticalHeaderItem(row, item)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self._table, 1)

    # --- public interface ------------------------------------------------------------------

    def set_scopes(self, scopes: dict[str, str]) -> None:
        """Per scenario name, whose requirements and weights it is judged by (default the
        project's); a scenario's own override is shown as such.  Used by the next
        :meth:`set_evaluations`."""
        self._scopes = dict(scopes)

    def set_evaluations(self, evaluations: list[Evaluation]) -> None:
        """Show these scenarios, one column each, in the order given."""
        self._evaluations = list(evaluations)
        table = self._table
        if table.columnCount() != len(evaluations):
            table.setColumnCount(len(evaluations))
        table.clear_figures()
        for column, evaluation in enumerate(evaluations):
            header = table.horizontalHeaderItem(column)
            if header is None:
                header = QTableWidgetItem()
                table.setHorizontalHeaderItem(column, header)
            if header.text() != evaluation.scenario:
                header.setText(evaluation.scenario)
            self._fill_column(column, evaluation)
        self._mark_best()
        table.resizeRowToContents(SUMMARY_ROWS.index("Cost crossovers"))

    def table(self) -> FigureTable:
        return self._table

    def cell_text(self, row_label: str, column: int, strategy: str | None = None) -> str:
        """The text of a cell, found by its row (and strategy within a section): for tests."""
        row = self.row_of(row_label, strategy)
        item = self._table.item(row, column)
        return item.text() if item else ""

    def row_of(self, row_label: str, strategy: str | None = None) -> int:
        section = None
        for row, (kind, label, _) in enumerate(self._rows):
            if kind == "summary" and label == row_label:
                return row
            if kind == "section":
                section = label
            if section == row_label and kind in ("figure", "score") and label == strategy:
                return row
        raise KeyError(row_label)

    # --- filling ----------------------------------------------------------------------------

    def _fill_column(self, column: int, evaluation: Evaluation) -> None:
        table = self._table
        rec = evaluation.recommendation
        shade = tinted(self.palette().color(QPalette.ColorRole.Text), 14)
        for row, (kind, label, getter) in enumerate(self._rows):
            item = ensure_item(table, row, column)
            if kind == "section":
                set_text(item, "")
                item.setBackground(shade)
                continue
            if kind == "summary" and label == "Requirements & weights":
                scope = self._scopes.get(evaluation.scenario, "the project's")
                set_text(item, scope)
                set_tooltip(
                    item,
                    "Whose requirements and criteria weights this scenario is judged by: the "
                    "project's, or its own (an override, set on the Requirements or Weights "
                    "page).",
                )
                continue
            if kind == "summary":
                text, tip = self._summary(label, evaluation)
                set_text(item, text)
                set_tooltip(item, tip)
                if label == "Recommended":
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                continue
            strategy = evaluation.strategies[label]
            mark = " (excluded)" if strategy.excluded else ""
            if kind == "score":
                set_text(item, fmt.fixed(strategy.total_score) + mark)
                star = " — recommended" if rec.strategy == label else ""
                set_tooltip(item, f"{strategy.name}: weighted score{star}{mark}")
                continue
            assert getter is not None
            figure = getter(strategy)
            set_text(item, fmt.figure_value(figure) + mark)
            set_tooltip(item, f"{figure.label}\n{figure.formula}\nClick for the inputs.")
            table.set_figure(row, column, figure)

    @staticmethod
    def _summary(label: str, evaluation: Evaluation) -> tuple[str, str]:
        rec = evaluation.recommendation
        if label == "Recommended":
            return rec.name, rec.rationale
        if label == "Lead":
            if rec.strategy is None:
                return "—", ""
            if rec.runner_up is None:
                return "only one qualifies", ""
            return (
                f"{fmt.points(rec.margin)} over {STRATEGY_NAMES[rec.runner_up]}",
                rec.rationale,
            )
        if label == "Queries per month":
            return fmt.count(evaluation.queries_per_month), ""
        if label == "Horizon":
            return f"{fmt.count(evaluation.horizon_months)} months", ""
        if label == "Cost crossovers":
            said: list[tuple[float, str]] = []
            for crossover in evaluation.crossovers:
                if crossover.in_tie_band:  # said once, as its near-tie (below)
                    continue
                other = [k for k in crossover.between if k != crossover.cheaper_above]
                text = (
                    f"{STRATEGY_NAMES[crossover.cheaper_above]} cheaper than "
                    f"{STRATEGY_NAMES[other[0]] if other else '?'}\n"
                    f"    above {fmt.volume(crossover.queries_per_month)}"
                )
                said.append((crossover.queries_per_month, text))
            for band in evaluation.tie_bands:
                named = [STRATEGY_NAMES[k] for k in band.between]
                names = ", ".join(named[:-1]) + " and " + named[-1]
                text = (
                    f"{names} effectively tied\n    {fmt.count(band.low)}–{fmt.volume(band.high)}"
                )
                said.append((band.low, text))
            lines = [line for _, line in sorted(said, key=lambda item: item[0])]
            text = "\n".join(lines) or "none (the cost order does not depend on volume)"
            return text, text
        return "", ""

    def _mark_best(self) -> None:
        """Within each scenario, bold the best strategy of each section (cheapest, fastest,
        freshest, highest score)."""
        for column, evaluation in enumerate(self._evaluations):
            section_rows: list[int] = []
            for row, (kind, _, _) in enumerate(self._rows):
                if kind in ("figure", "score"):
                    section_rows.append(row)
                if kind == "section" or row == len(self._rows) - 1:
                    self._bold_best(column, evaluation, section_rows)
                    section_rows = []

    def _bold_best(self, column: int, evaluation: Evaluation, rows: list[int]) -> None:
        if not rows:
            return
        table = self._table
        values: list[float] = []
        for row in rows:
            kind, key, getter = self._rows[row]
            strategy = evaluation.strategies[key]
            if kind == "score":
                values.append(-strategy.total_score)  # higher is better
            else:
                assert getter is not None
                values.append(getter(strategy).value)
        bold_lowest([ensure_item(table, row, column) for row in rows], values)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            follow_palette(self)
            self._dark = is_dark(self.palette())
            for row, (kind, label, _) in enumerate(self._rows):
                if kind in ("figure", "score"):
                    item = self._table.verticalHeaderItem(row)
                    if item is not None:
                        item.setIcon(strategy_icon(label, self._dark))
            if self._evaluations:
                self.set_evaluations(self._evaluations)
        super().changeEvent(event)
