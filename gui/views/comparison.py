"""Scenarios side by side ("today", "in two years", "pessimistic" …): the recommendation, total
cost, crossovers, latency and staleness of each, one column per scenario.  Clicking a figure
emits ``figureActivated(Figure)``.

A project may hold up to 1,000 scenarios, so the table is a model that asks for a scenario's
evaluation only when one of its cells is on screen (and keeps it until the next change): opening
the comparison or typing into a field costs the columns in view, not one per scenario."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.model.results import Evaluation, Figure, StrategyResult
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from gui import format as fmt
from gui.charts.style import is_dark
from gui.views.common import (
    ROW_HEADER_WIDTH,
    TABLE_STYLE,
    follow_palette,
    muted_label,
    tinted,
    tooltip,
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
FIGURE_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # the cell's engine Figure, if it has one
COLUMN_WIDTH = 230  # per scenario, when they do not all fit the width of the view
SCOPE_TIP = (
    "Whose requirements and criteria weights this scenario is judged by: the project's, or its "
    "own (an override, set on the Requirements or Weights page)."
)

# A scenario's evaluation, or the reason it cannot be evaluated.
Outcome = Evaluation | str
Row = tuple[str, str, FigureOf | None]


def _rows() -> list[Row]:
    """The summary rows, then per section a heading row and one row per strategy."""
    rows: list[Row] = [("summary", label, None) for label in SUMMARY_ROWS]
    for title, getter in SECTIONS:
        rows.append(("section", title, None))
        rows += [("figure", key, getter) for key in STRATEGIES]
    rows.append(("section", "Weighted score (0–100)", None))
    rows += [("score", key, None) for key in STRATEGIES]
    return rows


class ComparisonModel(QAbstractTableModel):
    """Rows: what is compared; columns: scenarios.  A cell is made when the view asks for it,
    from its scenario's evaluation, fetched through ``source(column)`` on first use and kept
    until :meth:`set_scenarios` is called again."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows = _rows()
        self._names: list[str] = []
        self._source: Callable[[int], Outcome] = lambda column: ""
        self._outcomes: dict[int, Outcome] = {}
        self._best: dict[int, frozenset[int]] = {}
        self.scopes: dict[str, str] = {}
        self.dark = False
        self.shade = QColor()
        self._bold = QFont()
        self._bold.setBold(True)
        self.fetched = 0  # evaluations asked of the source (for tests and benchmarks)

    def set_scenarios(self, names: Sequence[str], source: Callable[[int], Outcome]) -> None:
        """Show these scenarios (one column each); ``source(column)`` gives one's evaluation.
        Evaluations already fetched are forgotten: the next paint asks again for the columns
        on screen only."""
        names = list(names)
        self._source = source
        self._outcomes.clear()
        self._best.clear()
        if len(names) != len(self._names):
            self.beginResetModel()
            self._names = names
            self.endResetModel()
            return
        renamed = names != self._names
        self._names = names
        if renamed:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(names) - 1)
        if names:
            last = self.index(len(self.rows) - 1, len(names) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def names(self) -> list[str]:
        return list(self._names)

    def outcome(self, column: int) -> Outcome:
        outcome = self._outcomes.get(column)
        if outcome is None:
            outcome = self._source(column)
            self.fetched += 1
            self._outcomes[column] = outcome
        return outcome

    def restyle(self, dark: bool, text: QColor) -> None:
        """After a light/dark switch: icons and the section shading follow the palette."""
        self.dark = dark
        self.shade = tinted(text, 14)
        if self.rows:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self.rows) - 1)
        if self._names:
            last = self.index(len(self.rows) - 1, len(self._names) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # --- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._names)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._names):
                return self._names[section]
            return None
        if not 0 <= section < len(self.rows):
            return None
        kind, label, _ = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            if kind in ("figure", "score"):
                return "    " + STRATEGY_NAMES[label]
            return label
        if role == Qt.ItemDataRole.DecorationRole and kind in ("figure", "score"):
            return strategy_icon(label, self.dark)
        if role == Qt.ItemDataRole.FontRole and kind == "section":
            return self._bold
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= column < len(self._names):
            return None
        kind, label, getter = self.rows[row]
        if kind == "section":
            return self.shade if role == Qt.ItemDataRole.BackgroundRole else None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.FontRole,
            FIGURE_ROLE,
        ):
            return None
        outcome = self.outcome(column)
        if isinstance(outcome, str):  # cannot be evaluated: said once, in its first row
            if row != 0:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return "Cannot be evaluated"
            return tooltip(outcome) if role == Qt.ItemDataRole.ToolTipRole else None
        if role == Qt.ItemDataRole.FontRole:
            bold = (kind == "summary" and label == "Recommended") or row in self._best_rows(
                column, outcome
            )
            return self._bold if bold else None
        if kind == "summary":
            if role == FIGURE_ROLE:
                return None
            text, tip = self._summary(label, outcome)
            return text if role == Qt.ItemDataRole.DisplayRole else tooltip(tip)
        strategy = outcome.strategies[label]
        mark = " (excluded)" if strategy.excluded else ""
        if kind == "score":
            if role == Qt.ItemDataRole.DisplayRole:
                return fmt.fixed(strategy.total_score) + mark
            if role == Qt.ItemDataRole.ToolTipRole:
                star = " — recommended" if outcome.recommendation.strategy == label else ""
                return tooltip(f"{strategy.name}: weighted score{star}{mark}")
            return None
        assert getter is not None
        figure = getter(strategy)
        if role == FIGURE_ROLE:
            return figure
        if role == Qt.ItemDataRole.DisplayRole:
            return fmt.figure_value(figure) + mark
        return tooltip(f"{figure.label}\n{figure.formula}\nClick for the inputs.")

    # --- cells ------------------------------------------------------------------------------

    def _summary(self, label: str, evaluation: Evaluation) -> tuple[str, str]:
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
        if label == "Requirements & weights":
            return self.scopes.get(evaluation.scenario, "the project's"), SCOPE_TIP
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

    def _best_rows(self, column: int, evaluation: Evaluation) -> frozenset[int]:
        """Within one scenario, the best strategy of each section (cheapest, fastest,
        freshest, highest score); none when all are equal (nothing stands out)."""
        best = self._best.get(column)
        if best is not None:
            return best
        out: set[int] = set()
        section: list[tuple[int, float]] = []
        for row, (kind, key, getter) in enumerate([*self.rows, ("section", "", None)]):
            if kind in ("figure", "score"):
                strategy = evaluation.strategies[key]
                if kind == "score":
                    section.append((row, -strategy.total_score))  # higher is better
                else:
                    assert getter is not None
                    section.append((row, getter(strategy).value))
            elif kind == "section" and section:
                values = [value for _, value in section]
                lowest = min(values)
                if values.count(lowest) < len(values):
                    out.update(r for r, value in section if value == lowest)
                section = []
        best = frozenset(out)
        self._best[column] = best
        return best


class ComparisonTable(QTableView):
    """The comparison's table: read-only, rows sized to one line (the crossovers row to its
    text), a scenario's cell with a Figure emits ``figureActivated`` on click or Enter/Space."""

    figureActivated = Signal(object)

    def __init__(self, model: ComparisonModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setWordWrap(True)
        self.setShowGrid(False)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setTabKeyNavigation(False)
        self.setStyleSheet(TABLE_STYLE)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 14)
        vertical.setFixedWidth(ROW_HEADER_WIDTH)
        vertical.setHighlightSections(False)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setDefaultSectionSize(COLUMN_WIDTH)
        header.setMinimumSectionSize(80)
        # Row heights are measured on the columns in view only, never on every scenario.
        header.setResizeContentsPrecision(0)
        self.setMouseTracking(True)
        self.clicked.connect(self._activate)
        self.entered.connect(self._hover)
        model.modelReset.connect(self.fit_columns)
        model.modelReset.connect(self.fit_rows)
        model.dataChanged.connect(self.fit_rows)
        self.horizontalScrollBar().valueChanged.connect(self.fit_rows)
        self._stretched: bool | None = None
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_rows_now)

    def figure_at(self, row: int, column: int) -> Figure | None:
        figure = self._model.index(row, column).data(FIGURE_ROLE)
        return figure if isinstance(figure, Figure) else None

    def fit_columns(self) -> None:
        """Columns share the width while they fit (a few scenarios); beyond that each keeps a
        readable width and the table scrolls sideways."""
        count = self._model.columnCount()
        stretched = count * COLUMN_WIDTH <= self.viewport().width()
        if stretched == self._stretched:
            return
        self._stretched = stretched
        self.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch if stretched else QHeaderView.ResizeMode.Interactive
        )

    def fit_rows(self, *_: object) -> None:
        """Soon (once the view is laid out): the crossovers row as tall as its text in the
        scenarios in view."""
        self._fit_timer.start()

    def _fit_rows_now(self) -> None:
        count = self._model.columnCount()
        if not count or not self.isVisible():
            return
        width = self.viewport().width()
        left = max(0, self.columnAt(0))
        right = self.columnAt(width - 1)
        if right < 0:  # the columns end before the right edge
            right = count - 1
        right = min(right, left + width // self.horizontalHeader().minimumSectionSize() + 1)
        row = SUMMARY_ROWS.index("Cost crossovers")
        height = self.verticalHeader().defaultSectionSize()
        metrics = self.fontMetrics()
        padding = 16  # the cells' left and right padding (TABLE_STYLE)
        for column in range(left, right + 1):
            text = self._model.index(row, column).data()
            if not isinstance(text, str) or not text:
                continue
            bounds = QRect(0, 0, max(1, self.columnWidth(column) - padding), 100_000)
            needed = metrics.boundingRect(bounds, int(Qt.TextFlag.TextWordWrap), text).height()
            height = max(height, needed + 14)
        if self.rowHeight(row) != height:
            self.setRowHeight(row, height)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_rows()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()
        self.fit_rows()

    def _activate(self, index: QModelIndex) -> None:
        figure = self.figure_at(index.row(), index.column())
        if figure is not None:
            self.figureActivated.emit(figure)

    def _hover(self, index: QModelIndex) -> None:
        has_figure = self.figure_at(index.row(), index.column()) is not None
        shape = Qt.CursorShape.PointingHandCursor if has_figure else Qt.CursorShape.ArrowCursor
        if self.viewport().cursor().shape() != shape:
            self.viewport().setCursor(shape)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            index = self.currentIndex()
            if index.isValid() and self.figure_at(index.row(), index.column()) is not None:
                self._activate(index)
                event.accept()
                return
        super().keyPressEvent(event)


class ComparisonView(QWidget):
    """A table with one column per scenario: ``set_evaluations([evaluation, …])``, or
    ``show_scenarios(names, source)`` to evaluate only the scenarios in view."""

    figureActivated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Scenario comparison")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 14)
        layout.setSpacing(8)
        self._hint = muted_label(
            "Each scenario of the project side by side. The best value of each row is in bold; "
            "click a figure to see how it was computed."
        )
        layout.addWidget(self._hint)
        self.model = ComparisonModel(self)
        self.model.restyle(is_dark(self.palette()), self.palette().color(QPalette.ColorRole.Text))
        self._table = ComparisonTable(self.model)
        self._table.setAccessibleName("Scenarios compared")
        self._table.figureActivated.connect(self.figureActivated)
        layout.addWidget(self._table, 1)
        # The wrapped hint would otherwise ask, at the narrowest width, for four lines on top
        # of the table's minimum, and this tab's minimum is the results pane's minimum: with
        # the price catalog open that pushed the window past a 768-pixel screen.
        self.setMinimumHeight(100)

    # --- public interface ------------------------------------------------------------------

    def set_scopes(self, scopes: dict[str, str]) -> None:
        """Per scenario name, whose requirements and weights it is judged by (default the
        project's); a scenario's own override is shown as such.  Used by the next
        :meth:`set_evaluations` or :meth:`show_scenarios`."""
        self.model.scopes = dict(scopes)

    def set_evaluations(self, evaluations: list[Evaluation]) -> None:
        """Show these scenarios, one column each, in the order given."""
        held = list(evaluations)
        self.model.set_scenarios([e.scenario for e in held], held.__getitem__)

    def show_scenarios(self, names: Sequence[str], source: Callable[[int], Outcome]) -> None:
        """Show these scenarios, one column each; ``source(column)`` is the evaluation of one
        (or why it cannot be evaluated), asked for only when its column comes into view."""
        self.model.set_scenarios(names, source)

    def table(self) -> ComparisonTable:
        return self._table

    def cell_text(self, row_label: str, column: int, strategy: str | None = None) -> str:
        """The text of a cell, found by its row (and strategy within a section): for tests."""
        text = self.model.index(self.row_of(row_label, strategy), column).data()
        return text if isinstance(text, str) else ""

    def row_of(self, row_label: str, strategy: str | None = None) -> int:
        section = None
        for row, (kind, label, _) in enumerate(self.model.rows):
            if kind == "summary" and label == row_label:
                return row
            if kind == "section":
                section = label
            if section == row_label and kind in ("figure", "score") and label == strategy:
                return row
        raise KeyError(row_label)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            follow_palette(self)
            sheet = self._table.styleSheet()
            self._table.setStyleSheet("")
            self._table.setPalette(QPalette())
            self._table.setStyleSheet(sheet)
            palette = self.palette()
            self.model.restyle(is_dark(palette), palette.color(QPalette.ColorRole.Text))
        super().changeEvent(event)
