"""Uncertainty in the app: ranges edited in the forms through the document (undoable,
refused values marked at the field, a likely value outside its range widens it), the Monte Carlo
run off the GUI thread (results shown as bands, P(recommended) and a tornado; stale runs
dropped; edits processed while a long run is in flight), and the report's Uncertainty section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from engine.evaluate import evaluate
from engine.model.base import Estimate
from engine.model.project import Project
from engine.templates import load_template
from engine.uncertainty import InputFlip, analyse
from gui import latest_run
from gui.document import ProjectDocument
from gui.forms.fields import ChoiceCombo, NumberField, OptionalNumberField
from gui.forms.panel import InputPanel
from gui.forms.range_editor import RangeEditor, range_editor_for
from gui.mainwindow import MainWindow
from gui.report import render_report
from gui.report.render import report_data
from gui.uncertainty import worker
from gui.uncertainty.text import flip_sentence, recommended_share, share, tornado_empty_text
from gui.views.scorecard import P_WIN_ROW
from tests.pdf import page_texts

# Every window here runs its Monte Carlo by itself, as in the app (see tests/conftest.py).
pytestmark = [pytest.mark.gui, pytest.mark.uncertainty]

QUERIES = ("workload", "queries_per_month")
LABELLING = ("knowledge", "labelling_cost_per_example")
OUTPUT = ("workload", "output_tokens_per_query")


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def panel(qtbot: QtBot) -> InputPanel:
    """The input forms alone, on the example (20,000 queries/month, 12,000 – 35,000)."""
    document = ProjectDocument()
    document.load(load_template("support-assistant"))
    inputs = InputPanel(document)
    qtbot.addWidget(inputs)
    inputs.resize(560, 700)
    inputs.show()
    return inputs


def editor(panel: InputPanel, *path: str) -> RangeEditor:
    found = range_editor_for(panel.row(*path).field_row)
    assert found is not None
    return found


def wait_for_result(qtbot: QtBot, window: MainWindow, timeout: int = 15_000) -> None:
    runner = window.uncertainty.runner
    qtbot.waitUntil(lambda: runner.result is not None and not runner.is_busy(), timeout=timeout)


# --- the range editor ------------------------------------------------------------------------


def test_low_and_high_are_set_through_the_document_and_undone(
    panel: InputPanel, qtbot: QtBot
) -> None:
    doc = panel.document
    panel.show_field(*OUTPUT)
    ed = editor(panel, *OUTPUT)
    assert not ed.is_open() and ed.panel is None  # built only when asked for
    assert ed.set_low(100.0) is None
    assert ed.is_open() and ed.panel is not None and ed.panel.isVisible()
    assert doc.value_at(OUTPUT) == Estimate(likely=300, low=100)
    assert ed.set_high(900.0) is None
    assert doc.value_at(OUTPUT) == Estimate(likely=300, low=100, high=900)
    assert doc.undo_stack.count() == 2  # one command per low/high edit
    assert panel.row(*OUTPUT).field_row.range_label.text() == "Range 100 – 900"
    doc.undo_stack.undo()
    assert doc.value_at(OUTPUT) == Estimate(likely=300, low=100)
    assert ed.high is not None and ed.high.value() == 300  # a missing end shows the likely value
    doc.undo_stack.undo()
    assert doc.value_at(OUTPUT) == Estimate(likely=300)
    assert not panel.row(*OUTPUT).field_row.range_label.isVisible()


def test_typing_a_low_value_is_one_command_committed_on_enter(
    panel: InputPanel, qtbot: QtBot
) -> None:
    doc = panel.document
    ed = editor(panel, *QUERIES)
    ed.set_open(True)
    assert ed.low is not None and ed.low.hasFocus()
    assert ed.low.value() == 12_000 and ed.high is not None and ed.high.value() == 35_000
    ed.low.selectAll()
    QTest.keyClicks(ed.low.lineEdit(), "9000")
    assert doc.value_at((*QUERIES, "low")) == 12_000  # not committed keystroke by keystroke
    QTest.keyClick(ed.low.lineEdit(), Qt.Key.Key_Return)
    assert doc.value_at((*QUERIES, "low")) == 9_000
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Edit Queries per month (low)"


def test_a_refused_end_is_marked_at_its_field(panel: InputPanel) -> None:
    doc = panel.document
    ed = editor(panel, *QUERIES)
    project = doc.project
    problem = ed.set_high(15_000.0)  # below the likely 20,000
    assert problem is not None and "below the likely value" in problem
    assert doc.project is project and doc.undo_stack.count() == 0
    assert ed.high is not None and ed.high.property("invalid") is True
    assert ed.problem_label is not None and ed.problem_label.isVisibleTo(panel)
    assert ed.set_high(50_000.0) is None  # corrected: the mark goes
    assert not ed.high.property("invalid")
    assert not ed.problem_label.isVisibleTo(panel)
    assert doc.value_at(QUERIES) == Estimate(likely=20_000, low=12_000, high=50_000)


def test_clear_range_is_one_undoable_step(panel: InputPanel) -> None:
    doc = panel.document
    ed = editor(panel, *QUERIES)
    ed.set_open(True)
    ed.clear_range()
    assert doc.value_at(QUERIES) == Estimate(likely=20_000)
    assert not ed.is_open()
    doc.undo_stack.undo()
    assert doc.value_at(QUERIES) == Estimate(likely=20_000, low=12_000, high=35_000)


def test_a_likely_value_outside_the_range_widens_it_and_says_so(
    panel: InputPanel, qtbot: QtBot
) -> None:
    doc = panel.document
    ed = editor(panel, *QUERIES)
    field = panel.show_field(*QUERIES)
    assert isinstance(field, NumberField)
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field.lineEdit(), "30000")  # inside 12,000 – 35,000: the range stays
    assert doc.value_at(QUERIES) == Estimate(likely=30_000, low=12_000, high=35_000)
    assert ed.note_text() == ""
    field.selectAll()
    QTest.keyClicks(field.lineEdit(), "40000")  # outside: widened just enough
    assert doc.value_at(QUERIES) == Estimate(likely=40_000, low=12_000, high=40_000)
    assert "Widened to 12,000 – 40,000" in ed.note_text()
    assert "was 12,000 – 35,000" in ed.note_text()
    assert panel.row(*QUERIES).field_row.range_label.text() == "Range 12,000 – 40,000"
    assert doc.undo_stack.count() == 1  # one typing burst
    doc.undo_stack.undo()  # reverts the likely value and the range together
    assert doc.value_at(QUERIES) == Estimate(likely=20_000, low=12_000, high=35_000)
    assert ed.note_text() == ""


def test_an_optional_figure_takes_a_range_once_ticked_and_the_shortcut_opens_it(
    panel: InputPanel, qtbot: QtBot
) -> None:
    doc = panel.document
    path = ("fine_tuning", "training_gpu_hour_price")
    widget = panel.show_field(*path)
    assert isinstance(widget, OptionalNumberField)
    ed = editor(panel, *path)
    assert doc.value_at(path) is None and not ed.action.isEnabled()  # the catalog's figure
    widget.check.setChecked(True)
    assert ed.action.isEnabled()
    panel.activateWindow()
    qtbot.waitActive(panel)
    widget.number.setFocus()
    QTest.keyClick(
        widget.number,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert ed.is_open()
    likely = doc.value_at(path).likely
    assert ed.set_high(likely * 2) is None
    assert doc.value_at(path) == Estimate(likely=likely, high=likely * 2)


def test_distribution_is_a_project_setting_and_undoable(panel: InputPanel) -> None:
    doc = panel.document
    combo = panel.widget_for("distribution")
    assert isinstance(combo, ChoiceCombo) and combo.value() == "triangular"
    combo.setCurrentIndex(combo.findData("pert"))
    assert doc.project.distribution == "pert"
    doc.undo_stack.undo()
    assert doc.project.distribution == "triangular" and combo.value() == "triangular"


def test_the_horizon_offers_no_range(panel: InputPanel) -> None:
    # The analysis never samples the horizon, so the form does not offer a range for it.
    assert range_editor_for(panel.row("workload", "horizon_months").field_row) is None
    assert range_editor_for(panel.row("workload", "output_tokens_per_query").field_row)


# --- the Monte Carlo run and its results on screen ----------------------------------------------


def test_results_arrive_as_bands_probabilities_and_a_tornado(
    window: MainWindow, qtbot: QtBot
) -> None:
    wait_for_result(qtbot, window)
    runner = window.uncertainty.runner
    assert runner.result is not None and runner.result.request.samples == 5_000
    chart = window.chart
    assert chart.bands_visible()
    volumes, low, high = chart.band_data("fine_tuning")
    assert len(volumes) > 10 and np.all(low <= high) and np.any(low < high)
    q0 = window.document.evaluation.queries_per_month  # type: ignore[union-attr]
    curve_x, curve_y = chart.curve_data("fine_tuning")
    likely = float(np.interp(np.log10(q0), np.log10(curve_x), curve_y))
    at_q0 = (
        np.interp(np.log10(q0), np.log10(volumes), low),
        np.interp(np.log10(q0), np.log10(volumes), high),
    )
    assert at_q0[0] <= likely <= at_q0[1]
    assert "P10–P90 range" in chart.legend_labels()
    card = window.scorecard
    assert card.confidence_text() == "RAG — recommended in 100% of 5,000 samples."
    table = card.scores_table()
    assert not table.isRowHidden(P_WIN_ROW)
    assert [table.item(P_WIN_ROW, c).text() for c in range(3)] == ["0%", "100%", "0%"]  # type: ignore[union-attr]
    view = window.uncertainty.view
    assert window.results.tabText(window.results.indexOf(view)) == "Sensitivity"
    assert [b.path for b in view.tornado.bars()] == [LABELLING, QUERIES]
    assert "break even" in view.crossovers_text()
    assert view.status_text().startswith("5,000 samples, triangular distribution, seed 0")


def test_readout_and_csv_carry_the_p10_p90_band(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    import csv

    wait_for_result(qtbot, window)
    chart = window.chart
    volumes, low, high = chart.band_data("fine_tuning")
    q = float(np.sqrt(volumes[3] * volumes[4]))  # between two of the band's points
    parts = chart.show_readout_at(q).split("   ·   ")
    # The ranges (queries, labelling) move fine-tuning and hybrid; RAG has no spread to show.
    assert ["P10–P90" in part for part in parts] == [True, False, True]
    path = tmp_path / "curves.csv"
    chart.export_csv(path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    months = window.document.evaluation.horizon_months  # type: ignore[union-attr]
    column = {name: header.index(name) for name in header}
    inside = [r for r in body if volumes[0] <= float(r[0]) <= volumes[-1]]
    outside = [r for r in body if not volumes[0] <= float(r[0]) <= volumes[-1]]
    assert inside
    for row in inside:
        ft_p10 = float(row[column[f"fine_tuning_total_{months}_months_p10_usd"]])
        ft_p90 = float(row[column[f"fine_tuning_total_{months}_months_p90_usd"]])
        assert ft_p10 < ft_p90
        # RAG: nothing ranged touches it, so its P10 and P90 are its curve (read off the
        # band as drawn they sat 0.07 % off it, above the likely value).
        rag = float(row[column[f"rag_total_{months}_months_usd"]])
        for p in ("p10", "p90"):
            assert float(row[column[f"rag_total_{months}_months_{p}_usd"]]) == pytest.approx(
                rag, rel=1e-9
            )
            per_month = float(row[column[f"rag_per_month_{p}_usd"]])
            assert per_month * months == pytest.approx(rag, rel=1e-9)
    assert all(row[column[f"rag_total_{months}_months_p10_usd"]] == "" for row in outside)
    # At the band's own volumes, the values read stand to the curve shown as the computed
    # percentiles stand to the likely cost there (the read-out's own figure is the curve's).
    result = window.uncertainty.runner.result
    assert result is not None
    likely = result.uncertainty.band_likely["fine_tuning"]
    curve_x, curve_y = chart.curve_data("fine_tuning")
    shown = np.interp(np.log10(volumes), np.log10(curve_x), curve_y)
    read = chart._band_at("fine_tuning", np.log10(volumes))
    assert read is not None
    assert np.allclose(read[0], shown * low / likely, rtol=1e-9)
    assert np.allclose(read[1], shown * high / likely, rtol=1e-9)


def test_without_ranges_nothing_runs_and_nothing_is_shown(window: MainWindow, qtbot: QtBot) -> None:
    wait_for_result(qtbot, window)
    doc = window.document
    for path in (QUERIES, LABELLING):
        doc.set_field(path, {"likely": doc.value_at(path).likely})
        doc.end_edit_burst()
    runner = window.uncertainty.runner
    assert not runner.has_ranges() and not runner.is_busy()
    assert not window.chart.bands_visible()
    assert window.scorecard.confidence_text() == ""
    assert window.scorecard.scores_table().isRowHidden(P_WIN_ROW)
    assert window.uncertainty.view.uncertainty() is None
    doc.undo_stack.undo()  # a range again: the analysis comes back
    wait_for_result(qtbot, window)
    assert window.chart.bands_visible()


def test_a_stale_run_is_cancelled_when_the_inputs_change(window: MainWindow, qtbot: QtBot) -> None:
    wait_for_result(qtbot, window)
    runner = window.uncertainty.runner
    runner.samples = 200_000  # about a second of work: the edit lands mid-run
    runner._timer.setInterval(0)
    doc = window.document
    doc.set_field((*LABELLING, "high"), 8.0)
    doc.end_edit_burst()
    qtbot.waitUntil(runner.is_running, timeout=5_000)
    qtbot.wait(50)  # computing now
    stale = runner.generation
    doc.set_field((*LABELLING, "high"), 9.0)  # mid-run
    doc.end_edit_burst()
    assert runner.generation > stale
    qtbot.waitUntil(lambda: runner.cancelled >= 1, timeout=2_000)  # stopped half-way
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=30_000)
    result = runner.result
    assert result is not None and result.generation == runner.generation
    assert result.request.scenario is doc.scenario  # what is shown describes today's inputs
    shown = window.uncertainty.view.uncertainty()
    assert shown is result.uncertainty
    assert {i.high for i in shown.inputs if i.path == LABELLING} == {9.0}


def test_edits_are_processed_while_a_long_run_is_in_flight(
    window: MainWindow, qtbot: QtBot
) -> None:
    wait_for_result(qtbot, window)
    runner = window.uncertainty.runner
    runner.samples = 200_000
    runner._timer.setInterval(0)
    doc = window.document
    doc.set_field((*QUERIES, "high"), 36_000.0)
    doc.end_edit_burst()
    qtbot.waitUntil(runner.is_running, timeout=5_000)
    cancelled, completed = runner.cancelled, runner.completed
    # What the run had done (cancelled, completed) whenever an evaluation was shown: ordering,
    # not wall-clock time, says the GUI did not wait for the run.
    shown: list[tuple[float, int, int]] = []
    doc.evaluated.connect(
        lambda *_: shown.append(
            (
                doc.value_at(("workload", "prompt_tokens_per_query", "likely")),
                runner.cancelled,
                runner.completed,
            )
        )
    )
    # An edit the analysis does not read (the project's title) is processed — evaluated and
    # shown — while the 200,000-sample run keeps computing.
    title = window.inputs.show_field("title")
    title.setFocus()
    assert isinstance(title, QLineEdit)
    title.selectAll()
    before = doc.evaluation
    QTest.keyClicks(title, "Acme")
    qtbot.waitUntil(lambda: doc.project.title == "Acme" and doc.evaluation is not before)
    assert shown and all(seen[1:] == (cancelled, completed) for seen in shown)
    assert window.windowTitle().startswith("Acme")
    assert runner.is_running() and (runner.cancelled, runner.completed) == (cancelled, completed)
    # An input edit mid-run is shown at once and stops the stale run.
    field = window.inputs.show_field("workload", "prompt_tokens_per_query")
    field.setFocus()
    assert isinstance(field, NumberField)
    original = doc.value_at(("workload", "prompt_tokens_per_query", "likely"))
    assert original != 900
    field.selectAll()
    QTest.keyClicks(field.lineEdit(), "900")
    qtbot.waitUntil(
        lambda: doc.value_at(("workload", "prompt_tokens_per_query", "likely")) == 900,
        timeout=2_000,
    )
    # The edit was evaluated and shown (from its first keystroke) before the stale run had
    # stopped, let alone finished: the GUI did not wait for it.
    edited = [seen for seen in shown if seen[0] != original]
    assert edited and edited[0][1:] == (cancelled, completed)
    assert window.scorecard.evaluation() is doc.evaluation
    qtbot.waitUntil(lambda: runner.cancelled > cancelled, timeout=2_000)
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=30_000)
    assert runner.result is not None and runner.result.request.scenario is doc.scenario


def test_a_failing_analysis_is_reported_not_raised(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    wait_for_result(qtbot, window)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("no samples today")

    monkeypatch.setattr(worker, "analyse", broken)
    runner = window.uncertainty.runner
    runner._timer.setInterval(0)
    with qtbot.waitSignal(runner.failed, timeout=5_000) as failed:
        window.document.set_field((*LABELLING, "high"), 7.0)
    assert failed.args == ["ValueError: no samples today"]
    assert "uncertainty analysis failed" in window.statusBar().currentMessage()
    assert "no samples today" in window.uncertainty.view.status_text()


# --- words and the report -----------------------------------------------------------------------


def test_flip_points_and_probabilities_in_plain_words() -> None:
    flip = InputFlip(
        path=LABELLING,
        label="Labelling cost per example",
        unit="money/example",
        likely=2.0,
        value=4.1037,
        new_winner="rag",
        description="",
    )
    assert flip_sentence(flip, "USD") == (
        "RAG would be recommended if labelling cost per example rose above USD 4.10/example "
        "(likely USD 2.00/example)."
    )
    assert [share(p) for p in (0.0, 0.001, 0.873, 0.999, 1.0)] == [
        "0%",
        "<1%",
        "87%",
        ">99%",
        "100%",
    ]


def uncertain_project() -> Project:
    data = load_template("seed-enterprise").model_dump()
    data["scenarios"][0]["workload"]["queries_per_month"] = {
        "likely": 1e6,
        "low": 2_000,
        "high": 3e6,
    }
    return Project.model_validate(data)


def test_the_banner_names_the_runner_up_when_the_answer_is_a_coin_toss() -> None:
    project = uncertain_project()
    base = evaluate(project)
    u = analyse(project, project.scenarios[0], base, samples=2_000)
    text = recommended_share(u, base)
    assert text.startswith("Fine-tuning — recommended in ") and text.endswith("of 2,000 samples.")


def test_the_report_has_an_uncertainty_section(tmp_path: Path) -> None:
    project = uncertain_project()
    out = tmp_path / "report.pdf"
    render_report(project, out, mode="full")  # the section is in the technical appendix
    # The section follows the summary and the scenario's scores, within the first pages.
    text = " ".join(page_texts(out)[:8])
    base = evaluate(project)
    u = analyse(project, project.scenarios[0], base, seed=0, distribution="triangular")
    expected = recommended_share(u, base)  # seed 0, 5,000 samples: reproducible
    assert expected in text
    assert "Uncertainty" in text and "Chance of recommendation" in text
    assert "Total cost, P10" in text and "What moves the decision" in text
    assert "RAG would be recommended if queries per month fell below" in text
    assert "Shaded: P10–P90" in text
    # Without ranges, no section.
    assert report_data(load_template("seed-small-company")).scenarios[0].uncertainty is None


def test_tornado_says_why_it_is_empty_when_no_alternative_qualifies(qtbot: QtBot) -> None:
    from gui.uncertainty.tornado import TornadoChart

    data = load_template("seed-enterprise").model_dump()
    data["requirements"]["compliance"]["data_residency"] = "hard"
    evaluation = evaluate(Project.model_validate(data))
    text = tornado_empty_text(evaluation)
    assert text == (
        "Fine-tuning is the only strategy that meets every hard requirement: there is no lead "
        "to move."
    )
    assert tornado_empty_text(evaluate(load_template("seed-enterprise"))) == "No input has a range."
    chart = TornadoChart()
    qtbot.addWidget(chart)
    chart.resize(600, 120)
    chart.set_bars([], base=0.0, recommended="fine_tuning", currency="USD", empty=text)
    assert not chart.grab().isNull()


def test_a_stale_run_stops_in_engine_code_only() -> None:
    # The profile function also sees weakref callbacks and finalizers the garbage collector
    # runs on the pool thread; raising there is only reported as "exception ignored".
    import types

    newest = latest_run._Generation()
    check = latest_run._cancel_when_stale(newest, 0)
    engine_frame = types.SimpleNamespace(f_globals={"__name__": "engine.costs"})
    weakref_frame = types.SimpleNamespace(f_globals={"__name__": "weakref"})
    check(engine_frame, "call", None)  # current: carries on
    newest.value = 1  # the inputs changed
    check(weakref_frame, "call", None)  # not in the engine: carries on
    check(engine_frame, "return", None)
    with pytest.raises(latest_run._Cancelled):
        check(engine_frame, "c_call", None)
