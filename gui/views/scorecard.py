"""The scorecard: the recommendation and why, the scores per strategy and criterion, the key
figures (each one clickable: "show your work"), what would change the answer, and warnings.

``set_evaluation`` runs on every edit: every widget and table item is created once and updated
in place; the layout is never rebuilt.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAccessible, QColor, QFont, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.display import (
    COST_SUMS,
    CRITERION_NAMES,
    KEY_FIGURES,
    cost_sum_unit,
    reasons_text,
    total_cost_label,
)
from engine.model.results import Evaluation, Figure
from engine.model.scenario import CRITERIA, STRATEGIES, STRATEGY_NAMES
from engine.report import crossover_sentences
from engine.uncertainty import Uncertainty
from gui import format as fmt
from gui.charts.style import STRATEGY_STYLES, is_dark
from gui.views.common import (
    ROW_HEADER_WIDTH,
    SCORE_ROLE,
    FigureTable,
    ResultTable,
    ScoreDelegate,
    bold_lowest,
    bullets,
    ensure_item,
    fit_height,
    follow_palette,
    muted_label,
    plain_label,
    scrolling_page,
    section_heading,
    set_text,
    set_tooltip,
    tinted,
)

TOTAL_ROW = len(CRITERIA)
P_WIN_ROW = TOTAL_ROW + 1  # shown when the scenario has ranges (Monte Carlo)


def strategy_icon(key: str, dark: bool = False, size: QSize | None = None) -> QIcon:
    """A short line in the strategy's chart colour and line style (the chart's legend key)."""
    size = size or QSize(28, 12)
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    style = STRATEGY_STYLES[key]
    pen = QPen(style.color(dark), 2.5, style.line)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    painter.setPen(pen)
    y = size.height() / 2
    painter.drawLine(1, round(y), size.width() - 1, round(y))
    painter.end()
    return QIcon(pixmap)


class Scorecard(QWidget):
    """Recommendation banner, scores, key figures, what would change the answer, warnings.

    ``figureActivated(Figure)`` is emitted when a figure is clicked (or activated with
    Enter/Space)."""

    figureActivated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._evaluation: Evaluation | None = None
        self._figures_shown: Evaluation | None = None  # what the key figures table shows
        self._winner: str | bool | None = False  # False: nothing shown yet
        self._excluded: tuple[bool, ...] = ()
        self._dark = is_dark(self.palette())
        self.setAccessibleName("Scorecard")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        page, layout = scrolling_page(outer)
        page.setObjectName("scorecardPage")

        layout.addWidget(self._build_banner())

        layout.addWidget(
            section_heading("Scores", "0–100, higher is better; the winner's column is shaded.")
        )
        self._scores = ResultTable(len(CRITERIA) + 2, len(STRATEGIES))
        self._scores.setAccessibleName("Scores by strategy and criterion")
        self._scores.setItemDelegate(ScoreDelegate(self._scores))
        self._scores.setVerticalHeaderLabels(
            [CRITERION_NAMES[c] for c in CRITERIA] + ["Weighted total", "Chance of recommendation"]
        )
        self._scores.setRowHidden(P_WIN_ROW, True)
        self._uncertainty: Uncertainty | None = None
        self._setup_strategy_columns(self._scores)
        for row in range(self._scores.rowCount()):
            for column in range(len(STRATEGIES)):
                ensure_item(self._scores, row, column)
        bold = QFont(self._scores.font())
        bold.setBold(True)
        total_header = self._scores.verticalHeaderItem(TOTAL_ROW)
        if total_header is not None:
            total_header.setFont(bold)
        for column in range(len(STRATEGIES)):
            ensure_item(self._scores, TOTAL_ROW, column).setFont(bold)
        self._scores.currentCellChanged.connect(self._show_reason)
        layout.addWidget(self._scores)
        self._reason = muted_label("")
        self._reason.setAccessibleName("Reason for the selected score")
        layout.addWidget(self._reason)
        self._excluded_note = plain_label()
        self._excluded_note.setAccessibleName("Excluded strategies")
        layout.addWidget(self._excluded_note)

        layout.addWidget(
            section_heading("Key figures", "Click a figure to see its formula and inputs.")
        )
        self._figures = FigureTable(len(KEY_FIGURES), len(STRATEGIES))
        self._figures.setAccessibleName("Key figures by strategy")
        self._figures.setVerticalHeaderLabels([spec.label for spec in KEY_FIGURES])
        for row, spec in enumerate(KEY_FIGURES):
            header = self._figures.verticalHeaderItem(row)
            header.setToolTip(spec.tip)
            for column in range(len(STRATEGIES)):
                item = ensure_item(self._figures, row, column)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._setup_strategy_columns(self._figures)
        self._figures.figureActivated.connect(self._emit_figure)
        layout.addWidget(self._figures)
        # The key figures (~130 numbers formatted per edit) are brought up to date only while
        # some of the table is on screen: below the fold of the page, or on a hidden tab, they
        # catch up as they come into view — the table shown, moved or resized, the page
        # scrolled, or the page's viewport resized — or a key reaches the table.
        for watched in (self._figures, page, page.parentWidget()):
            watched.installEventFilter(self)

        layout.addWidget(section_heading("What would change this answer"))
        self._changes = plain_label()
        self._changes.setAccessibleName("What would change this answer")
        layout.addWidget(self._changes)
        self._map_distance = plain_label()  # from the decision map, while it is up to date
        self._map_distance.setAccessibleName("Distance to the line on the decision map")
        self._map_distance.setVisible(False)
        layout.addWidget(self._map_distance)

        layout.addWidget(section_heading("Cost crossovers and payback"))
        self._crossovers = plain_label()
        self._crossovers.setAccessibleName("Cost crossovers and payback")
        layout.addWidget(self._crossovers)

        self._warnings_heading = section_heading("Warnings")
        layout.addWidget(self._warnings_heading)
        self._warnings = plain_label()
        self._warnings.setAccessibleName("Warnings")
        layout.addWidget(self._warnings)
        layout.addStretch(1)

        self._apply_palette()
        self._show_empty()

    # --- public interface ------------------------------------------------------------------

    def set_evaluation(self, evaluation: Evaluation) -> None:
        """Show an evaluation (called on every edit: updates the existing widgets in place;
        the key figures once they are on screen)."""
        self._evaluation = evaluation
        self._update_banner(evaluation)
        self._update_scores(evaluation)
        self._catch_up_figures()
        self._update_lists(evaluation)

    def evaluation(self) -> Evaluation | None:
        return self._evaluation

    def set_map_distance(self, text: str) -> None:
        """How far today is from a line of the decision map (empty: no current map)."""
        self._map_distance.setText(text)
        self._map_distance.setVisible(bool(text))

    def map_distance_text(self) -> str:
        return self._map_distance.text() if self._map_distance.isVisibleTo(self) else ""

    def set_uncertainty(
        self,
        uncertainty: Uncertainty | None,
        evaluation: Evaluation | None = None,
        *,
        updating: bool = False,
    ) -> None:
        """Show the Monte Carlo result (``evaluation``: the one it was computed for): the
        probability of being recommended, in the banner and as a row of the scores; None when
        the scenario has no ranges.  ``updating``: new inputs are being analysed, the figures
        shown are the previous ones."""
        from gui.uncertainty.text import method_text, recommended_share, share

        table = self._scores
        if uncertainty is None or evaluation is None:
            self._uncertainty = None
            self._confidence.setVisible(False)
            if not table.isRowHidden(P_WIN_ROW):
                table.setRowHidden(P_WIN_ROW, True)
                fit_height(table)
            return
        self._uncertainty = uncertainty
        text = recommended_share(uncertainty, evaluation)
        self._confidence.setText(f"{text}  (updating…)" if updating else text)
        self._confidence.setToolTip(method_text(uncertainty))
        self._confidence.setEnabled(not updating)  # greyed while out of date
        self._confidence.setVisible(True)
        for column, key in enumerate(STRATEGIES):
            item = ensure_item(table, P_WIN_ROW, column)
            probability = uncertainty.p_win.get(key, 0.0)
            set_text(item, share(probability))
            if item.data(SCORE_ROLE) != probability * 100.0:
                item.setData(SCORE_ROLE, probability * 100.0)  # drawn with a bar, as the scores
            set_tooltip(
                item,
                f"{STRATEGY_NAMES[key]} is recommended in "
                f"{share(uncertainty.p_win.get(key, 0.0))} of the samples: "
                f"{method_text(uncertainty)}"
                + (" Updating for the new inputs…" if updating else ""),
            )
            item.setForeground(
                self.palette().color(
                    QPalette.ColorGroup.Disabled if updating else QPalette.ColorGroup.Active,
                    QPalette.ColorRole.Text,
                )
            )
        if table.isRowHidden(P_WIN_ROW):
            table.setRowHidden(P_WIN_ROW, False)
            fit_height(table)

    def uncertainty(self) -> Uncertainty | None:
        return self._uncertainty

    def confidence_text(self) -> str:
        """The banner's probability line ('' when hidden)."""
        return self._confidence.text() if self._confidence.isVisibleTo(self) else ""

    def recommendation_text(self) -> str:
        """The banner's headline (the recommended strategy's name or 'No strategy qualifies')."""
        return self._name.text()

    def figure_cell(self, key: str, strategy: str) -> tuple[int, int]:
        """(row, column) of a key figure in the key-figures table (for tests and automation)."""
        row = [spec.key for spec in KEY_FIGURES].index(key)
        return row, STRATEGIES.index(strategy)

    def figures_table(self) -> FigureTable:
        """The key figures table, up to date (also while it is off screen)."""
        self._catch_up_figures(seen=True)
        return self._figures

    def scores_table(self) -> ResultTable:
        return self._scores

    # --- construction -----------------------------------------------------------------------

    def _build_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("recommendationBanner")
        banner.setAccessibleName("Recommendation")
        banner.setFrameShape(QFrame.Shape.NoFrame)
        self._banner = banner
        box = QVBoxLayout(banner)
        box.setContentsMargins(16, 12, 16, 14)
        box.setSpacing(6)
        self._caption = muted_label("")
        box.addWidget(self._caption)
        row = QHBoxLayout()
        row.setSpacing(14)
        self._name = QLabel()
        self._name.setTextFormat(Qt.TextFormat.PlainText)
        self._name.setAccessibleName("Recommended strategy")
        font = QFont(self._name.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self._name.setFont(font)
        row.addWidget(self._name, 0, Qt.AlignmentFlag.AlignBaseline)
        self._margin = plain_label()
        self._margin.setAccessibleName("Margin")
        margin_font = QFont(self._margin.font())
        margin_font.setPointSizeF(margin_font.pointSizeF() * 1.08)
        self._margin.setFont(margin_font)
        row.addWidget(self._margin, 1, Qt.AlignmentFlag.AlignBaseline)
        box.addLayout(row)
        self._confidence = plain_label()
        self._confidence.setAccessibleName("Probability of the recommendation")
        self._confidence.setVisible(False)
        box.addWidget(self._confidence)
        self._rationale = plain_label()
        self._rationale.setAccessibleName("Rationale")
        box.addWidget(self._rationale)
        self._reasons = plain_label()
        self._reasons.setAccessibleName("Reasons")
        self._reasons.setContentsMargins(6, 0, 0, 0)
        box.addWidget(self._reasons)
        return banner

    def _setup_strategy_columns(self, table: ResultTable) -> None:
        table.setHorizontalHeaderLabels([STRATEGY_NAMES[k] for k in STRATEGIES])
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        table.setIconSize(QSize(28, 12))
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setFixedWidth(ROW_HEADER_WIDTH)
        fit_height(table)

    # --- updates ----------------------------------------------------------------------------

    def _show_empty(self) -> None:
        self._caption.setText("RECOMMENDATION")
        self._name.setText("—")
        self._margin.setText("")
        self._rationale.setText("The recommendation appears here once the scenario is evaluated.")
        self._reasons.setVisible(False)
        self._excluded_note.setVisible(False)
        self._warnings_heading.setVisible(False)
        self._warnings.setVisible(False)
        self._reason.setText("")

    def _update_banner(self, evaluation: Evaluation) -> None:
        rec = evaluation.recommendation
        caption = (
            f"RECOMMENDATION  ·  scenario “{evaluation.scenario}”  ·  "
            f"{fmt.volume(evaluation.queries_per_month)} over "
            f"{fmt.count(evaluation.horizon_months)} months"
        )
        self._caption.setText(caption)
        self._name.setText(rec.name)
        if rec.strategy is None:
            margin = ""
        elif rec.runner_up is None:
            margin = "the only strategy that meets every must"
        else:
            win = evaluation.strategies[rec.strategy].total_score
            other = evaluation.strategies[rec.runner_up].total_score
            margin = (
                f"leads {STRATEGY_NAMES[rec.runner_up]} by {fmt.points(rec.margin)}  "
                f"({fmt.fixed(win)} against {fmt.fixed(other)} of 100)"
            )
        self._margin.setText(margin)
        self._rationale.setText(rec.rationale)
        self._reasons.setText(bullets(rec.reasons))
        self._reasons.setVisible(bool(rec.reasons))
        if rec.strategy != self._winner:
            self._winner = rec.strategy
            self._style_banner()
            self._highlight_winner()

    def _update_scores(self, evaluation: Evaluation) -> None:
        table = self._scores
        for column, key in enumerate(STRATEGIES):
            strategy = evaluation.strategies[key]
            for row, criterion in enumerate(CRITERIA):
                score = strategy.scores[criterion]
                item = ensure_item(table, row, column)
                set_text(item, fmt.score(score.value))
                if item.data(SCORE_ROLE) != score.value:
                    item.setData(SCORE_ROLE, score.value)
                set_tooltip(item, f"{CRITERION_NAMES[criterion]}: {score.reason}")
            item = ensure_item(table, TOTAL_ROW, column)
            set_text(item, fmt.fixed(strategy.total_score))
            if item.data(SCORE_ROLE) != strategy.total_score:
                item.setData(SCORE_ROLE, strategy.total_score)
            reason = "Σ weight × score ÷ Σ weights."
            if strategy.excluded:
                reason += " Excluded: " + reasons_text(strategy.exclusion_reasons)
            set_tooltip(item, reason)
        excluded = tuple(evaluation.strategies[k].excluded for k in STRATEGIES)
        if excluded != self._excluded:
            self._excluded = excluded
            self._update_headers()
        notes = [
            f"{STRATEGY_NAMES[k]} is excluded: "
            + reasons_text(evaluation.strategies[k].exclusion_reasons)
            for k in STRATEGIES
            if evaluation.strategies[k].excluded
        ]
        self._excluded_note.setText(bullets(notes, "✖"))
        self._excluded_note.setVisible(bool(notes))
        self._show_reason(table.currentRow(), table.currentColumn())

    def _catch_up_figures(self, seen: bool = False) -> None:
        """Bring the key figures up to the evaluation shown, if some of the table is on
        screen (or ``seen``: someone reads it; or assistive technology is active, which reads
        the table wherever it is)."""
        evaluation = self._evaluation
        if evaluation is None or evaluation is self._figures_shown:
            return
        if seen or QAccessible.isActive() or not self._figures.visibleRegion().isEmpty():
            self._figures_shown = evaluation
            self._update_figures(evaluation)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Show, QEvent.Type.Move, QEvent.Type.Resize):
            self._catch_up_figures()
        elif kind == QEvent.Type.KeyPress and watched is self._figures:
            # A key can activate the current figure while the table is scrolled out of view
            # (the focus stays in it): the figure activated is the one of now.
            self._catch_up_figures(seen=True)
        return super().eventFilter(watched, event)

    def _update_figures(self, evaluation: Evaluation) -> None:
        table = self._figures
        currency = evaluation.currency
        months = fmt.count(evaluation.horizon_months)
        header = table.verticalHeaderItem(0)
        label = total_cost_label(months)
        if header.text() != label:
            header.setText(label)
        excluded = [evaluation.strategies[k].excluded for k in STRATEGIES]
        for row, spec in enumerate(KEY_FIGURES):
            key, row_label = spec.key, spec.label
            values: list[float] = []
            for column, strategy_key in enumerate(STRATEGIES):
                strategy = evaluation.strategies[strategy_key]
                item = ensure_item(table, row, column)
                if key in COST_SUMS:
                    value = float(getattr(strategy, key))
                    text = fmt.quantity(value, cost_sum_unit(key, currency))
                    table.set_figure(row, column, strategy.figures[key])
                else:
                    figure: Figure = (
                        strategy.figures[key] if key in strategy.figures else getattr(strategy, key)
                    )
                    value = figure.value
                    text = fmt.figure_value(figure)
                    table.set_figure(row, column, figure)
                values.append(value)
                set_text(item, text)
                set_tooltip(
                    item,
                    f"{STRATEGY_NAMES[strategy_key]}, {row_label.lower()}: {text}\n"
                    "Click for the formula and its inputs.",
                )
            if not spec.lowest_is_best:
                continue
            items = [ensure_item(table, row, column) for column in range(len(values))]
            bold_lowest(items, values, excluded)  # the best (lowest) value of each row

    def _update_lists(self, evaluation: Evaluation) -> None:
        rec = evaluation.recommendation
        self._changes.setText(
            bullets(rec.what_would_change) or "Nothing within the plausible ranges searched."
        )
        lines = crossover_sentences(evaluation)
        lines += [payback.label for payback in evaluation.paybacks]
        self._crossovers.setText(bullets(lines))
        warnings = list(evaluation.warnings)
        for key in STRATEGIES:
            for warning in evaluation.strategies[key].warnings:
                if warning not in warnings:
                    warnings.append(warning)
        self._warnings.setText(bullets(warnings, "⚠"))
        self._warnings.setVisible(bool(warnings))
        self._warnings_heading.setVisible(bool(warnings))

    def _update_headers(self) -> None:
        for table in (self._scores, self._figures):
            for column, key in enumerate(STRATEGIES):
                text = STRATEGY_NAMES[key]
                if self._excluded and self._excluded[column]:
                    text += "\n(excluded)"  # on one line it is cut off in a laptop's window
                elif key == self._winner:
                    text += "  ★"
                item = table.horizontalHeaderItem(column)
                if item is None:
                    item = QTableWidgetItem()
                    table.setHorizontalHeaderItem(column, item)
                item.setText(text)
                item.setIcon(strategy_icon(key, self._dark))
                font = QFont(table.font())
                font.setBold(key == self._winner)
                item.setFont(font)
                tip = "Recommended" if key == self._winner else ""
                if self._excluded and self._excluded[column] and self._evaluation:
                    reasons = self._evaluation.strategies[key].exclusion_reasons
                    tip = "Excluded from the recommendation: " + reasons_text(reasons)
                set_tooltip(item, tip)
            fit_height(table)  # a title on two lines makes the header taller

    def _highlight_winner(self) -> None:
        highlight = tinted(self.palette().color(QPalette.ColorRole.Highlight), 34)
        for table in (self._scores, self._figures):
            for column, key in enumerate(STRATEGIES):
                brush = highlight if key == self._winner else QColor(Qt.GlobalColor.transparent)
                for row in range(table.rowCount()):
                    ensure_item(table, row, column).setBackground(brush)
        self._update_headers()

    def _style_banner(self) -> None:
        palette = self.palette()
        if self._winner in STRATEGY_STYLES:
            accent = STRATEGY_STYLES[str(self._winner)].color(self._dark)
        elif self._winner is None and self._evaluation is not None:
            accent = QColor("#C0392B")
        else:
            accent = palette.color(QPalette.ColorRole.Mid)
        background = tinted(accent, 30)
        self._banner.setStyleSheet(
            "QFrame#recommendationBanner {"
            f" background-color: rgba({background.red()}, {background.green()},"
            f" {background.blue()}, {background.alpha()});"
            f" border-left: 5px solid {accent.name()}; border-radius: 4px; }}"
        )

    def _show_reason(self, row: int, column: int, *_: int) -> None:
        evaluation = self._evaluation
        if evaluation is None or row < 0 or column < 0:
            self._reason.setText(
                "Select a score (or hover over it) to read its reason." if evaluation else ""
            )
            return
        key = STRATEGIES[column]
        strategy = evaluation.strategies[key]
        if row == P_WIN_ROW:
            item = self._scores.item(row, column)
            self._reason.setText(
                f"{STRATEGY_NAMES[key]} is recommended in {item.text()} of the Monte Carlo "
                "samples of the ranges (Sensitivity tab: what moves it)."
                if item is not None and item.text()
                else ""
            )
            return
        if row == TOTAL_ROW:
            total = fmt.fixed(strategy.total_score)
            text = (
                f"{STRATEGY_NAMES[key]}, weighted total {total}: the criteria scores weighted "
                "by the scenario's weights."
            )
        else:
            criterion = CRITERIA[row]
            score = strategy.scores[criterion]
            text = (
                f"{STRATEGY_NAMES[key]}, {CRITERION_NAMES[criterion].lower()} "
                f"{fmt.score(score.value)}: {score.reason}"
            )
        self._reason.setText(text)

    def _emit_figure(self, figure: object) -> None:
        self.figureActivated.emit(figure)

    def _apply_palette(self) -> None:
        self._dark = is_dark(self.palette())
        self._style_banner()
        self._highlight_winner()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            follow_palette(self)
            self._apply_palette()
        super().changeEvent(event)
