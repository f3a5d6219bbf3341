"""The cost breakdown of one strategy: every cost component (with its kind and whether the
consultant overrode it), the totals, the strategy's other figures (training FLOPs, GPU-hours,
replicas, decode speed …), the compliance verdicts and the fit indicators.

Double-click a component or figure row (or press Enter on it) → ``figureActivated(Figure)``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QTabBar,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.display import COST_KIND_NAMES, VERDICT_NAMES, reasons_text
from engine.model.results import ComplianceVerdict, Evaluation, Figure, StrategyResult
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from gui import format as fmt
from gui.charts.style import VERDICT_COLORS, is_dark
from gui.views.common import (
    HEADER_STYLE,
    SCORE_ROLE,
    FigureTable,
    ResultTable,
    ScoreDelegate,
    WrapDelegate,
    bullets,
    ensure_item,
    fit_height,
    follow_palette,
    plain_label,
    scrolling_page,
    section_heading,
    set_text,
    set_tooltip,
    tinted,
)
from gui.views.scorecard import strategy_icon

NEED_NAMES: dict[str, str] = {"hard": "Hard", "preferred": "Preferred"}
OVERRIDE_MARK = "✎ override"
VALUE_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

# Compliance columns and their share of the spare width (need and verdict fit their text).
COMPLIANCE_COLUMNS = ("Requirement", "Need", "Verdict", "Reason", "Mitigation", "Reference")
COMPLIANCE_WEIGHTS = {0: 2.0, 3: 3.0, 4: 3.0, 5: 2.0}


def verdict_icon(verdict: str, size: int = 14) -> QIcon:
    """A coloured shape per verdict (circle with a tick, triangle, cross): colour and shape."""
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    color = QColor(VERDICT_COLORS[verdict])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    s = float(size)
    white = QPen(QColor("white"), max(1.6, s / 8))
    white.setCapStyle(Qt.PenCapStyle.RoundCap)
    if verdict == "needs_mitigation":
        painter.drawPolygon(
            QPolygonF([QPointF(s / 2, 0.5), QPointF(s - 0.5, s - 1), QPointF(0.5, s - 1)])
        )
        painter.setPen(white)
        painter.drawLine(QPointF(s / 2, s * 0.35), QPointF(s / 2, s * 0.62))
        painter.drawPoint(QPointF(s / 2, s * 0.8))
    else:
        painter.drawEllipse(1, 1, size - 2, size - 2)
        painter.setPen(white)
        if verdict == "meets":
            painter.drawPolyline(
                QPolygonF(
                    [
                        QPointF(s * 0.28, s * 0.52),
                        QPointF(s * 0.44, s * 0.68),
                        QPointF(s * 0.72, s * 0.34),
                    ]
                )
            )
        else:
            painter.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67))
            painter.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67))
    painter.end()
    return QIcon(pixmap)


class BreakdownView(QWidget):
    """Cost components, totals, other figures, compliance and fit for one strategy at a time
    (tabs switch the strategy)."""

    figureActivated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._evaluation: Evaluation | None = None
        self._strategy = STRATEGIES[0]
        self._chosen_by_user = False
        self._compliance_key: object = None
        self._fit_key: object = None
        self._dark = is_dark(self.palette())
        self._verdict_icons = {v: verdict_icon(v) for v in VERDICT_COLORS}
        self.setAccessibleName("Cost breakdown")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self._tabs = QTabBar()
        self._tabs.setAccessibleName("Strategy")
        self._tabs.setDocumentMode(True)
        self._tabs.setExpanding(False)
        self._tabs.setIconSize(QSize(28, 12))
        for key in STRATEGIES:
            self._tabs.addTab(strategy_icon(key, self._dark), STRATEGY_NAMES[key])
        self._tabs.currentChanged.connect(self._on_tab)
        tab_row = QHBoxLayout()
        tab_row.setContentsMargins(8, 6, 8, 0)
        tab_row.addWidget(self._tabs)
        tab_row.addStretch(1)
        outer.addLayout(tab_row)

        _, layout = scrolling_page(outer, top=8, stretch=1)

        self._status = plain_label()
        self._status.setAccessibleName("Strategy status")
        layout.addWidget(self._status)

        layout.addWidget(
            section_heading(
                "Cost components", "Double-click a row (or press Enter) to see how it was computed."
            )
        )
        self._components = FigureTable(0, 4, single_click=False)
        self._components.setAccessibleName("Cost components")
        self._components.setHorizontalHeaderLabels(["Component", "Kind", "Value", ""])
        self._components.verticalHeader().setVisible(False)
        self._components.setSelectionBehavior(ResultTable.SelectionBehavior.SelectRows)
        header = self._components.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        value_header = self._components.horizontalHeaderItem(2)
        if value_header is not None:
            value_header.setTextAlignment(VALUE_ALIGN)
        self._components.figureActivated.connect(self.figureActivated)
        layout.addWidget(self._components)

        layout.addWidget(section_heading("Other figures"))
        self._others = FigureTable(0, 2, single_click=False)
        self._others.setAccessibleName("Other figures")
        self._others.setHorizontalHeaderLabels(["Figure", "Value"])
        self._others.verticalHeader().setVisible(False)
        self._others.setSelectionBehavior(ResultTable.SelectionBehavior.SelectRows)
        header = self._others.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._others.figureActivated.connect(self.figureActivated)
        layout.addWidget(self._others)

        self._compliance_heading = section_heading(
            "Compliance", "Each ticked checklist item, judged for this strategy."
        )
        layout.addWidget(self._compliance_heading)
        self._compliance = ResultTable(0, len(COMPLIANCE_COLUMNS))
        self._compliance.setAccessibleName("Compliance verdicts")
        self._compliance.setHorizontalHeaderLabels(list(COMPLIANCE_COLUMNS))
        self._compliance.verticalHeader().setVisible(False)
        self._compliance.setStyleSheet(HEADER_STYLE)
        self._compliance.setItemDelegate(WrapDelegate(self._compliance))
        self._compliance.setAlternatingRowColors(True)
        self._compliance.setSelectionBehavior(ResultTable.SelectionBehavior.SelectRows)
        self._compliance.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self._compliance.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._compliance.setTextElideMode(Qt.TextElideMode.ElideNone)
        layout.addWidget(self._compliance)

        layout.addWidget(section_heading("Fit", "How well the strategy suits the problem, 0–100."))
        self._fit = ResultTable(0, 3)
        self._fit.setAccessibleName("Fit indicators")
        self._fit.setItemDelegateForColumn(1, ScoreDelegate(self._fit))
        self._fit.setHorizontalHeaderLabels(["Indicator", "Score", "Reason"])
        self._fit.verticalHeader().setVisible(False)
        self._fit.setStyleSheet(HEADER_STYLE)
        self._fit.setItemDelegateForColumn(0, WrapDelegate(self._fit))
        self._fit.setItemDelegateForColumn(2, WrapDelegate(self._fit))
        self._fit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self._fit.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 190)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self._fit)

        self._warnings = plain_label()
        self._warnings.setAccessibleName("Warnings")
        layout.addWidget(self._warnings)
        layout.addStretch(1)
        self._status.setText("The cost breakdown appears here once the scenario is evaluated.")
        for table in (self._components, self._others, self._compliance, self._fit):
            fit_height(table)

    # --- public interface ------------------------------------------------------------------

    def set_evaluation(self, evaluation: Evaluation) -> None:
        """Show an evaluation (the selected strategy stays selected)."""
        first = self._evaluation is None
        self._evaluation = evaluation
        recommended = evaluation.recommendation.strategy
        if first and not self._chosen_by_user and recommended in STRATEGIES:
            self._set_tab(STRATEGIES.index(recommended))
        self._update()

    def set_strategy(self, strategy: str) -> None:
        self._chosen_by_user = True
        self._set_tab(STRATEGIES.index(strategy))

    def strategy(self) -> str:
        return self._strategy

    def components_table(self) -> FigureTable:
        return self._components

    def others_table(self) -> FigureTable:
        return self._others

    def compliance_table(self) -> ResultTable:
        return self._compliance

    def fit_table(self) -> ResultTable:
        return self._fit

    # --- updates ----------------------------------------------------------------------------

    def _set_tab(self, index: int) -> None:
        if self._tabs.currentIndex() != index:
            self._tabs.blockSignals(True)
            self._tabs.setCurrentIndex(index)
            self._tabs.blockSignals(False)
        self._strategy = STRATEGIES[index]
        self._update()

    def _on_tab(self, index: int) -> None:
        self._chosen_by_user = True
        self._strategy = STRATEGIES[index]
        self._compliance_key = self._fit_key = None
        self._update()

    def _update(self) -> None:
        evaluation = self._evaluation
        if evaluation is None:
            return
        strategy = evaluation.strategies[self._strategy]
        for index, key in enumerate(STRATEGIES):
            text = STRATEGY_NAMES[key] + (
                " (excluded)" if evaluation.strategies[key].excluded else ""
            )
            if self._tabs.tabText(index) != text:
                self._tabs.setTabText(index, text)
        self._update_status(evaluation, strategy)
        self._update_components(evaluation, strategy)
        self._update_others(strategy)
        self._update_compliance(strategy)
        self._update_fit(strategy)
        warnings = bullets(strategy.warnings, "⚠")
        self._warnings.setText(warnings)
        self._warnings.setVisible(bool(warnings))

    def _update_status(self, evaluation: Evaluation, strategy: StrategyResult) -> None:
        rec = evaluation.recommendation
        if strategy.excluded:
            text = "✖ Excluded from the recommendation: " + reasons_text(strategy.exclusion_reasons)
        elif rec.strategy == strategy.key:
            text = f"★ Recommended for scenario “{evaluation.scenario}”."
        else:
            text = (
                f"Not recommended for scenario “{evaluation.scenario}” "
                f"(weighted score {fmt.fixed(strategy.total_score)}; "
                f"{rec.name} leads)."
            )
        self._status.setText(text)

    def _update_components(self, evaluation: Evaluation, strategy: StrategyResult) -> None:
        table = self._components
        currency = evaluation.currency
        components = strategy.components
        retrain = next((c for c in components if c.kind == "per_retrain"), None)
        summary: list[tuple[str, str, str, object]] = [
            (
                "One-time total",
                COST_KIND_NAMES["one_time"],
                fmt.money(strategy.one_time, currency),
                strategy.figures["one_time"],
            ),
            (
                "Running cost, month 1",
                COST_KIND_NAMES["monthly"],
                fmt.quantity(strategy.monthly_fixed, f"{currency}/month"),
                strategy.figures["monthly_fixed"],
            ),
            (
                "Usage charges per query",
                COST_KIND_NAMES["per_query"],
                fmt.quantity(strategy.per_query, f"{currency}/query"),
                strategy.figures["per_query"],
            ),
        ]
        if retrain is not None:
            summary.append(
                (
                    "Retrains within the horizon",
                    COST_KIND_NAMES["per_retrain"],
                    f"{fmt.count(strategy.retrains)} × {fmt.money(retrain.figure.value, currency)}",
                    strategy.figures.get("retrains", retrain.figure),
                )
            )
        summary.append((strategy.tco.label, "Total", fmt.figure_value(strategy.tco), strategy.tco))
        rows = len(components) + len(summary)
        if table.rowCount() != rows:
            table.setRowCount(rows)
        table.clear_figures()
        for row, component in enumerate(components):
            figure = component.figure
            texts = (
                figure.label,
                COST_KIND_NAMES.get(component.kind, component.kind),
                fmt.figure_value(figure),
                OVERRIDE_MARK if component.overridden else "",
            )
            self._fill_row(table, row, texts, bold=False, shade=False)
            for column in range(4):
                table.set_figure(row, column, figure)
                set_tooltip(
                    ensure_item(table, row, column),
                    f"{figure.label}: {figure.formula}"
                    + (
                        "\nA flat figure entered by the consultant replaces the computed one."
                        if component.overridden
                        else ""
                    ),
                )
        for offset, (label, kind, value, figure_source) in enumerate(summary):
            row = len(components) + offset
            last = offset == len(summary) - 1
            self._fill_row(table, row, (label, kind, value, ""), bold=last, shade=True)
            for column in range(4):
                table.set_figure(row, column, figure_source)  # type: ignore[arg-type]
                set_tooltip(ensure_item(table, row, column), "")
        fit_height(table)

    def _fill_row(
        self, table: ResultTable, row: int, texts: tuple[str, ...], *, bold: bool, shade: bool
    ) -> None:
        background = (
            tinted(self.palette().color(QPalette.ColorRole.Text), 14)
            if shade
            else QColor(Qt.GlobalColor.transparent)
        )
        for column, text in enumerate(texts):
            item = ensure_item(table, row, column)
            set_text(item, text)
            if column == 2 and item.textAlignment() != VALUE_ALIGN:
                item.setTextAlignment(VALUE_ALIGN)
            if item.font().bold() != bold:
                font = QFont(item.font())
                font.setBold(bold)
                item.setFont(font)
            if item.background().color() != background:
                item.setBackground(background)

    def _update_others(self, strategy: StrategyResult) -> None:
        table = self._others
        figures = list(strategy.figures.values())
        if table.rowCount() != len(figures):
            table.setRowCount(len(figures))
        table.clear_figures()
        for row, figure in enumerate(figures):
            set_text(ensure_item(table, row, 0), figure.label)
            set_text(ensure_item(table, row, 1), fmt.figure_value(figure))
            for column in range(2):
                table.set_figure(row, column, figure)
                set_tooltip(ensure_item(table, row, column), f"{figure.label}: {figure.formula}")
        fit_height(table)

    def _update_compliance(self, strategy: StrategyResult) -> None:
        verdicts = strategy.compliance
        key = tuple(verdicts)
        visible = bool(verdicts)
        self._compliance.setVisible(visible)
        self._compliance_heading.setVisible(visible)
        if key == self._compliance_key:
            return  # unchanged (the usual case while typing): no re-layout
        self._compliance_key = key
        table = self._compliance
        table.setRowCount(len(verdicts))
        for row, verdict in enumerate(verdicts):
            self._fill_verdict(row, verdict)
        self._layout_compliance()

    def _fill_verdict(self, row: int, verdict: ComplianceVerdict) -> None:
        table = self._compliance
        texts = (
            verdict.requirement,
            NEED_NAMES.get(verdict.need, verdict.need),
            VERDICT_NAMES.get(verdict.verdict, verdict.verdict),
            verdict.reason,
            verdict.mitigation or "—",
            verdict.reference,
        )
        for column, text in enumerate(texts):
            item = ensure_item(table, row, column)
            set_text(item, text)
            set_tooltip(item, text if column in (0, 3, 4, 5) else "")
        verdict_item = ensure_item(table, row, 2)
        verdict_item.setIcon(self._verdict_icons.get(verdict.verdict, QIcon()))
        verdict_item.setForeground(QColor(VERDICT_COLORS.get(verdict.verdict, "#808080")))
        font = QFont(verdict_item.font())
        font.setBold(True)
        verdict_item.setFont(font)
        need_item = ensure_item(table, row, 1)
        need_font = QFont(need_item.font())
        need_font.setBold(verdict.need == "hard")
        need_item.setFont(need_font)

    def _layout_compliance(self) -> None:
        """Share the width out (need and verdict fit their text), then wrap rows to fit."""
        table = self._compliance
        if table.rowCount() == 0:
            fit_height(table)
            return
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        fixed = {
            1: max(metrics.horizontalAdvance("Preferred"), metrics.horizontalAdvance("Need")) + 28,
            2: metrics.horizontalAdvance("Needs mitigation") + 56,
        }
        width = max(table.viewport().width(), 600)
        spare = width - sum(fixed.values())
        total_weight = sum(COMPLIANCE_WEIGHTS.values())
        for column in range(len(COMPLIANCE_COLUMNS)):
            size = fixed.get(column) or int(spare * COMPLIANCE_WEIGHTS[column] / total_weight)
            if header.sectionSize(column) != size:
                header.resizeSection(column, size)
        table.resizeRowsToContents()
        fit_height(table)

    def _update_fit(self, strategy: StrategyResult) -> None:
        indicators = strategy.fit
        key = tuple(indicators)
        if key == self._fit_key:
            return
        self._fit_key = key
        table = self._fit
        table.setRowCount(len(indicators))
        for row, indicator in enumerate(indicators):
            set_text(ensure_item(table, row, 0), indicator.label)
            score_item = ensure_item(table, row, 1)
            set_text(score_item, fmt.score(indicator.score))
            score_item.setData(SCORE_ROLE, float(indicator.score))
            reason = ensure_item(table, row, 2)
            set_text(reason, indicator.reason)
            set_tooltip(reason, indicator.reason)
        table.resizeRowsToContents()
        fit_height(table)

    # --- events -----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout_compliance()
        self._fit.resizeRowsToContents()
        fit_height(self._fit)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            follow_palette(self)
            self._dark = is_dark(self.palette())
            for index, key in enumerate(STRATEGIES):
                self._tabs.setTabIcon(index, strategy_icon(key, self._dark))
            if self._evaluation is not None:
                self._update()
        super().changeEvent(event)


def figure_rows(view: BreakdownView) -> list[tuple[str, Figure | None]]:
    """(label, figure) of each row of the components table (for tests)."""
    table = view.components_table()
    out: list[tuple[str, Figure | None]] = []
    for row in range(table.rowCount()):
        item: QTableWidgetItem | None = table.item(row, 0)
        out.append((item.text() if item else "", table.figure_at(row, 0)))
    return out
