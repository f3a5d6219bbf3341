"""Result views: the scorecard, the cost breakdown, the scenario comparison, "show your work"
and the methodology; locale-aware formatting; strings from files shown literally."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from engine.evaluate import evaluate, evaluate_with_curves
from engine.model.results import Evaluation, Figure, FigureInput
from engine.model.scenario import STRATEGIES, Scenario
from engine.templates import load_template
from gui import format as fmt
from gui.views.breakdown import OVERRIDE_MARK, BreakdownView
from gui.views.comparison import ComparisonView
from gui.views.explain import FigureDialog, figure_text, show_figure
from gui.views.methodology import METHODOLOGY_HTML, MethodologyDialog
from gui.views.scorecard import KEY_FIGURES, Scorecard

pytestmark = pytest.mark.gui

MARKUP = "<b>x</b>"


def _evaluate(template: str, index: int = 0) -> Evaluation:
    project = load_template(template)
    return evaluate(project, project.scenarios[index])


def _with_compliance(**needs: str) -> Evaluation:
    project = load_template("support-assistant")
    data = project.scenarios[0].model_dump(mode="json")
    data["requirements"]["compliance"].update(needs)
    return evaluate_with_curves(project, Scenario.model_validate(data))[0]


@pytest.fixture(scope="module")
def support() -> Evaluation:
    return _evaluate("support-assistant")


@pytest.fixture(scope="module")
def enterprise() -> Evaluation:
    return _evaluate("seed-enterprise")


@pytest.fixture
def locale() -> Iterator[type[QLocale]]:
    """Set QLocale's default inside a test; restored afterwards."""
    previous = QLocale()
    yield QLocale
    QLocale.setDefault(previous)


def _shown(qtbot: QtBot, widget: QWidget, width: int = 900, height: int = 700) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _click(qtbot: QtBot, table: QTableWidget, row: int, column: int, double: bool = False) -> None:
    item = table.item(row, column)
    assert item is not None
    table.scrollToItem(item)
    point: QPoint = table.visualItemRect(item).center()
    if double:
        # Item views only accept a double-click on the item that was pressed first.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    else:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)


# --- formatting -------------------------------------------------------------------------------


def test_money_uses_the_locale_separators(locale: type[QLocale]) -> None:
    locale.setDefault(QLocale("en_US"))
    assert fmt.money(1_326_000, "USD") == "USD 1,326,000"
    assert fmt.volume(17_045.45) == "17,045 queries/month"
    locale.setDefault(QLocale("de_DE"))
    assert fmt.money(1_326_000, "USD") == "USD 1.326.000"
    assert fmt.money(47.7152, "EUR") == "EUR 47,72"
    assert fmt.volume(17_045.45) == "17.045 queries/month"
    assert fmt.number(9.371, "s") == "9,37 s"


def test_money_rounds_half_up_with_one_rule(locale: type[QLocale]) -> None:
    locale.setDefault(QLocale("en_US"))
    assert fmt.money(2.675, "USD") == "USD 2.68"  # round() would give 2.67
    assert fmt.money(0.125, "USD") == "USD 0.13"
    assert fmt.money(99.995, "USD") == "USD 100"  # cents below 100, whole units above
    assert fmt.money(1234.5, "USD") == "USD 1,235"
    assert fmt.money_per_query(0.000736, "USD") == "USD 0.00074"
    assert fmt.money_per_query(0.11, "USD") == "USD 0.11"
    assert fmt.quantity(0.005, "USD/M tokens") == "USD 0.005/M tokens"


def test_numbers_keep_sensible_digits_and_units(locale: type[QLocale]) -> None:
    locale.setDefault(QLocale("en_US"))
    assert fmt.number(3.3726e17, "FLOP") == "3.37 × 10¹⁷ FLOP"
    assert fmt.number(32.1347, "tokens/s") == "32.1 tokens/s"
    assert fmt.number(2900.0, "tokens") == "2,900 tokens"
    assert fmt.number(1.0, "days") == "1 day"
    assert fmt.number(30.0, "%") == "30%"
    assert fmt.percent(29.44, 1) == "29.4%"
    assert fmt.number(float("nan"), "s") == "— s"
    # Sub-second times to the millisecond, so a column of them reads alike.
    assert fmt.number(0.035487, "s") == "0.035 s"
    assert fmt.number(0.3074, "s") == "0.307 s"
    assert fmt.number(0.3, "s") == "0.3 s"
    assert fmt.number(0.0002, "s") == "0.0002 s"


# --- scorecard --------------------------------------------------------------------------------


def test_scorecard_shows_the_recommendation(qtbot: QtBot, support: Evaluation) -> None:
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(support)
    assert card.recommendation_text() == "RAG"
    assert support.recommendation.rationale in [label.text() for label in card.findChildren(QLabel)]
    header = card.scores_table().horizontalHeaderItem(STRATEGIES.index("rag"))
    assert header is not None
    assert header.font().bold()


def test_scorecard_text_can_be_copied(qtbot: QtBot, support: Evaluation) -> None:
    # The live labels are copied from their context menu (mouse selection would lay their
    # text out through a QTextDocument on every keystroke).
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(support)
    (label,) = [
        label for label in card.findChildren(QLabel) if label.accessibleName() == "Rationale"
    ]
    assert label.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert not label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    QGuiApplication.clipboard().clear()
    (copy,) = [action for action in label.actions() if action.text() == "Copy"]
    copy.trigger()
    assert QGuiApplication.clipboard().text() == support.recommendation.rationale


def test_scorecard_scores_carry_their_reasons(qtbot: QtBot, support: Evaluation) -> None:
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(support)
    table = card.scores_table()
    column = STRATEGIES.index("fine_tuning")
    item = table.item(0, column)  # cost
    assert item is not None
    score = support.strategies["fine_tuning"].scores["cost"]
    assert item.text() == fmt.score(score.value)
    assert "Total cost" in item.toolTip()
    table.setCurrentCell(0, column)
    assert score.reason in card._reason.text()


def test_clicking_a_figure_emits_it(qtbot: QtBot, support: Evaluation) -> None:
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(support)
    row, column = card.figure_cell("tco", "rag")
    with qtbot.waitSignal(card.figureActivated, timeout=1000) as blocker:
        _click(qtbot, card.figures_table(), row, column)
    assert blocker.args[0] is support.strategies["rag"].tco


def test_summed_figures_list_their_components(qtbot: QtBot, support: Evaluation) -> None:
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(support)
    row, column = card.figure_cell("one_time", "fine_tuning")
    figure = card.figures_table().figure_at(row, column)
    assert isinstance(figure, Figure)
    strategy = support.strategies["fine_tuning"]
    assert figure.value == strategy.one_time
    parts = [c.figure.value for c in strategy.components if c.kind == "one_time"]
    assert [i.value for i in figure.inputs] == parts
    assert sum(parts) == pytest.approx(figure.value)


def test_keyboard_activates_a_figure(qtbot: QtBot, support: Evaluation) -> None:
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(support)
    table = card.figures_table()
    row, column = card.figure_cell("latency_total", "hybrid")
    table.setFocus()
    table.setCurrentCell(row, column)
    with qtbot.waitSignal(card.figureActivated, timeout=1000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args[0] is support.strategies["hybrid"].latency_total


def test_scorecard_updates_in_place(
    qtbot: QtBot, support: Evaluation, enterprise: Evaluation
) -> None:
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(support)
    table = card.figures_table()
    items = [table.item(r, c) for r in range(table.rowCount()) for c in range(3)]
    labels = card.findChildren(QLabel)
    card.set_evaluation(enterprise)
    assert card.recommendation_text() == "Fine-tuning"
    assert [table.item(r, c) for r in range(table.rowCount()) for c in range(3)] == items
    assert card.findChildren(QLabel) == labels
    row, column = card.figure_cell("tco", "rag")
    assert table.item(row, column).text() == fmt.money(1_326_000, "USD")  # type: ignore[union-attr]
    assert len(KEY_FIGURES) == table.rowCount()


def test_scorecard_marks_excluded_strategies(qtbot: QtBot) -> None:
    evaluation = _with_compliance(access_control="hard")
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(evaluation)
    header = card.scores_table().horizontalHeaderItem(STRATEGIES.index("fine_tuning"))
    assert header is not None
    assert header.text() == "Fine-tuning\n(excluded)"
    assert "Per-user / per-tenant access control" in card._excluded_note.text()
    assert card._excluded_note.isVisible()


def test_every_column_title_of_the_scorecard_fits_its_column_in_a_laptops_window(
    qtbot: QtBot,
) -> None:
    """With every strategy excluded (the insurer's case as entered), 'Fine-tuning (excluded)'
    was cut to 'Fine-tuning (excluded' in a 1366 × 768 window."""
    from gui.mainwindow import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.open_project(load_template("eu-insurer-claims"))
    evaluation = window.document.evaluation
    assert evaluation is not None
    assert all(evaluation.strategies[key].excluded for key in STRATEGIES)
    card = window.scorecard
    for table in (card.scores_table(), card._figures):
        header = table.horizontalHeader()
        for column in range(len(STRATEGIES)):
            needed = header.sectionSizeFromContents(column).width()
            assert needed <= header.sectionSize(column), (
                table.horizontalHeaderItem(column).text(),  # type: ignore[union-attr]
                needed,
                header.sectionSize(column),
            )


def test_bold_best_skips_excluded_strategies(qtbot: QtBot) -> None:
    """Fine-tuning answers first fastest, but excluded it cannot be chosen: the bold "best" of
    the first-token row goes to the fastest strategy still in the running."""
    evaluation = _with_compliance(access_control="hard")
    ttft = {k: evaluation.strategies[k].latency_ttft.value for k in STRATEGIES}
    assert min(ttft, key=ttft.__getitem__) == "fine_tuning"
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(evaluation)
    table = card.figures_table()
    bold = {
        k: table.item(*card.figure_cell("latency_ttft", k)).font().bold()  # type: ignore[union-attr]
        for k in STRATEGIES
    }
    running = {k: v for k, v in ttft.items() if not evaluation.strategies[k].excluded}
    assert bold == {k: k == min(running, key=running.__getitem__) for k in STRATEGIES}


def test_no_strategy_qualifies(qtbot: QtBot) -> None:
    evaluation = _with_compliance(access_control="hard", data_residency="hard")
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(evaluation)
    assert card.recommendation_text() == "No strategy qualifies"
    assert card._margin.text() == ""


# --- strings from files are plain text ---------------------------------------------------------


def test_markup_in_a_scenario_name_shows_literally(qtbot: QtBot, support: Evaluation) -> None:
    evaluation = dataclasses.replace(support, scenario=MARKUP)
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(evaluation)
    assert MARKUP in card._caption.text()
    assert card._caption.textFormat() == Qt.TextFormat.PlainText
    comparison = ComparisonView()
    _shown(qtbot, comparison)
    comparison.set_evaluations([evaluation])
    header = comparison.table().model().headerData(0, Qt.Orientation.Horizontal)
    assert header == MARKUP


def test_markup_in_a_figure_shows_literally(qtbot: QtBot) -> None:
    figure = Figure(
        key="rag.generation",
        label="Generation <i>tokens</i>",
        value=0.00061,
        unit="USD/query",
        formula="a < b and c > d",
        inputs=[FigureInput(name="model", value=MARKUP, unit="")],
        note="<script>alert(1)</script>",
    )
    text = figure_text(figure)
    assert MARKUP in text
    assert "Generation <i>tokens</i>" in text
    host = QWidget()
    _shown(qtbot, host, 300, 200)
    dialog = show_figure(host, figure)
    assert dialog._inputs.item(0, 1).text() == MARKUP  # type: ignore[union-attr]
    for label in dialog.findChildren(QLabel):
        if label.text() and label.text() != "Inputs" and label.text() != "Formula":
            assert label.textFormat() == Qt.TextFormat.PlainText
    assert dialog._formula.text() == "a < b and c > d"


def test_markup_in_a_reason_is_escaped_in_tooltips(qtbot: QtBot, support: Evaluation) -> None:
    strategy = support.strategies["rag"]
    score = dataclasses.replace(strategy.scores["cost"], reason=MARKUP)
    strategy = dataclasses.replace(strategy, scores={**strategy.scores, "cost": score})
    evaluation = dataclasses.replace(support, strategies={**support.strategies, "rag": strategy})
    card = Scorecard()
    _shown(qtbot, card)
    card.set_evaluation(evaluation)
    item = card.scores_table().item(0, STRATEGIES.index("rag"))
    assert item is not None
    assert "&lt;b&gt;x&lt;/b&gt;" in item.toolTip()
    assert MARKUP not in item.toolTip()


# --- show your work ---------------------------------------------------------------------------


def test_figure_dialog_shows_formula_and_inputs(
    qtbot: QtBot, support: Evaluation, locale: type[QLocale]
) -> None:
    locale.setDefault(QLocale("en_US"))
    figure = support.strategies["fine_tuning"].tco
    host = QWidget()
    _shown(qtbot, host, 300, 200)
    dialog = show_figure(host, figure)
    assert isinstance(dialog, FigureDialog)
    assert not dialog.isModal()
    assert dialog._value.text() == "USD 141,944"
    assert dialog._inputs.rowCount() == len(figure.inputs)
    text = figure_text(figure)
    assert text.startswith("Fine-tuning total cost over 24 months\n= USD 141,944")
    assert "Formula: one-time + Σ months" in text
    assert "  queries (month 1): 20,000 queries/month" in text
    # The same window reuses its dialog.
    again = show_figure(host, support.strategies["rag"].tco)
    assert again is dialog
    assert dialog.figure() is support.strategies["rag"].tco


# --- breakdown --------------------------------------------------------------------------------


def test_breakdown_lists_components_and_totals(
    qtbot: QtBot, support: Evaluation, locale: type[QLocale]
) -> None:
    locale.setDefault(QLocale("en_US"))
    view = BreakdownView()
    _shown(qtbot, view)
    view.set_evaluation(support)
    assert view.strategy() == "rag"  # opens on the recommended strategy
    view.set_strategy("fine_tuning")
    table = view.components_table()
    strategy = support.strategies["fine_tuning"]
    labels = [table.item(r, 0).text() for r in range(table.rowCount())]  # type: ignore[union-attr]
    assert labels[: len(strategy.components)] == [c.figure.label for c in strategy.components]
    assert labels[-1] == strategy.tco.label
    assert table.item(table.rowCount() - 1, 2).text() == "USD 141,944"  # type: ignore[union-attr]
    kinds = [table.item(r, 1).text() for r in range(len(strategy.components))]  # type: ignore[union-attr]
    assert kinds[0] == "One-time"
    assert "Per retrain" in kinds
    others = view.others_table()
    assert others.rowCount() == len(strategy.figures)


def test_breakdown_double_click_emits_the_component(qtbot: QtBot, support: Evaluation) -> None:
    view = BreakdownView()
    _shown(qtbot, view)
    view.set_evaluation(support)
    view.set_strategy("rag")
    component = support.strategies["rag"].components[0]
    with qtbot.waitSignal(view.figureActivated, timeout=1000) as blocker:
        _click(qtbot, view.components_table(), 0, 0, double=True)
    assert blocker.args[0] is component.figure


def test_breakdown_marks_overrides(qtbot: QtBot, enterprise: Evaluation) -> None:
    view = BreakdownView()
    _shown(qtbot, view)
    view.set_evaluation(enterprise)
    view.set_strategy("rag")
    table = view.components_table()
    marks = [table.item(r, 3).text() for r in range(len(enterprise.strategies["rag"].components))]  # type: ignore[union-attr]
    assert all(mark == OVERRIDE_MARK for mark in marks)


def test_breakdown_compliance_verdicts_have_text_and_icon(qtbot: QtBot) -> None:
    evaluation = _with_compliance(access_control="hard")
    view = BreakdownView()
    _shown(qtbot, view)
    view.set_evaluation(evaluation)
    view.set_strategy("fine_tuning")
    table = view.compliance_table()
    verdicts = evaluation.strategies["fine_tuning"].compliance
    assert table.rowCount() == len(verdicts)
    row = [v.item for v in verdicts].index("access_control")
    assert table.item(row, 1).text() == "Hard"  # type: ignore[union-attr]
    assert table.item(row, 2).text() == "Fails"  # type: ignore[union-attr]
    assert not table.item(row, 2).icon().isNull()  # type: ignore[union-attr]
    assert "Excluded" in view._status.text()
    fit = view.fit_table()
    assert fit.rowCount() == len(evaluation.strategies["fine_tuning"].fit)


# --- comparison -------------------------------------------------------------------------------


def test_comparison_puts_scenarios_side_by_side(qtbot: QtBot, locale: type[QLocale]) -> None:
    locale.setDefault(QLocale("en_US"))
    project = load_template("support-assistant")
    evaluations = [evaluate(project, s) for s in project.scenarios]
    view = ComparisonView()
    _shown(qtbot, view)
    view.set_evaluations(evaluations)
    table = view.table()
    model = table.model()
    assert model.columnCount() == len(evaluations)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == [
        "Today",
        "In two years",
    ]
    assert view.cell_text("Recommended", 0) == "RAG"
    assert view.cell_text("Total cost over the horizon", 1, "rag") == "USD 23,402"
    assert "Fine-tuning cheaper than Hybrid\n    above 6,159,100 queries/month" in view.cell_text(
        "Cost crossovers", 0
    )
    row = view.row_of("Total cost over the horizon", "hybrid")
    assert table.figure_at(row, 0) is evaluations[0].strategies["hybrid"].tco
    view.set_evaluations(evaluations[:1])
    assert model.columnCount() == 1


# --- methodology ------------------------------------------------------------------------------


def test_methodology_has_formulas_and_references(qtbot: QtBot) -> None:
    dialog = MethodologyDialog()
    _shown(qtbot, dialog)
    browser = dialog.browser()
    assert not browser.openExternalLinks()
    assert not browser.openLinks()
    text = browser.toPlainText()
    for needle in (
        "Transformer Math 101",
        "2305.14314",
        "2312.05934",
        "2401.08406",
        "Art. 17",
        "c × N × D × epochs",
        "17,045",
        "$1,326,000",
    ):
        assert needle in text
    assert "src=" not in METHODOLOGY_HTML  # no images, nothing loaded
    assert "http" not in METHODOLOGY_HTML
    assert browser.loadResource(2, "https://example.com/x.png") is None
