"""The document: validated, undoable edits; one undo step per burst; scenarios; live results."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from engine.model.base import Estimate
from engine.model.project import Project
from engine.templates import load_template
from gui.document import ProjectDocument

pytestmark = pytest.mark.gui

QUERIES = ("workload", "queries_per_month", "likely")
PEAK = ("workload", "peak_to_average_load", "likely")


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    document = ProjectDocument()
    document.load(load_template())
    return document


def rag_tco(doc: ProjectDocument) -> float:
    assert doc.evaluation is not None
    return doc.evaluation.strategies["rag"].tco.value


def test_load_evaluates_and_is_clean(doc: ProjectDocument) -> None:
    assert doc.evaluation is not None
    assert doc.evaluation.recommendation.name == "RAG"
    assert doc.curves is not None and len(doc.curves.volumes) > 100
    assert not doc.is_modified()
    assert doc.undo_stack.count() == 0


def test_an_edit_is_validated_applied_and_evaluated(doc: ProjectDocument, qtbot: QtBot) -> None:
    before = rag_tco(doc)
    with qtbot.waitSignals([doc.changed, doc.evaluated], timeout=1000):
        assert doc.set_field(PEAK, 4.0) is None
    assert doc.value_at(PEAK) == 4.0
    assert doc.scenario.workload.peak_to_average_load == Estimate(likely=4.0)
    assert doc.is_modified()
    with qtbot.waitSignal(doc.evaluated, timeout=1000):
        doc.set_field(QUERIES, 30_000.0)
    assert rag_tco(doc) > before


def test_a_refused_edit_changes_nothing_and_says_why(doc: ProjectDocument) -> None:
    project, evaluation = doc.project, doc.evaluation
    problem = doc.set_field(("workload", "horizon_months", "likely"), 0.0)
    assert problem is not None and "outside the allowed range 1 – 600 months" in problem
    assert doc.set_field(("title",), "") == "Cannot be empty"
    assert doc.set_field(("currency",), "usd") is not None
    assert doc.project is project and doc.evaluation is evaluation
    assert doc.undo_stack.count() == 0 and not doc.is_modified()


def test_cross_field_rule_is_refused(doc: ProjectDocument) -> None:
    for name in ("cost", "latency", "freshness", "compliance"):
        assert doc.set_field(("weights", name, "likely"), 0.0) is None
    problem = doc.set_field(("weights", "fit", "likely"), 0.0)
    assert problem == "At least one criterion weight must be above zero"
    assert doc.value_at(("weights", "fit", "likely")) == 15


def test_one_burst_of_edits_is_one_undo_step(doc: ProjectDocument) -> None:
    for value in (2.1, 2.2, 2.3, 2.4):
        doc.set_field(PEAK, value)
    assert doc.undo_stack.count() == 1
    doc.end_edit_burst()
    doc.set_field(PEAK, 5.0)
    doc.set_field(("workload", "output_tokens_per_query", "likely"), 200.0)
    assert doc.undo_stack.count() == 3
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.value_at(PEAK) == 2.4
    doc.undo_stack.undo()
    assert doc.value_at(PEAK) == 3
    assert not doc.is_modified()


def test_typing_back_to_the_start_leaves_nothing_to_undo(doc: ProjectDocument) -> None:
    doc.set_field(PEAK, 4.0)
    doc.set_field(PEAK, 3.0)
    assert doc.undo_stack.count() == 0
    assert not doc.is_modified()


def test_undo_and_redo_restore_value_and_results(doc: ProjectDocument) -> None:
    original = doc.evaluation
    assert original is not None
    doc.set_field(PEAK, 6.0)
    changed = doc.evaluation
    assert changed is not None and changed != original
    doc.undo_stack.undo()
    assert doc.value_at(PEAK) == 3
    assert doc.evaluation == original
    doc.undo_stack.redo()
    assert doc.value_at(PEAK) == 6.0
    assert doc.evaluation == changed


def test_a_range_stays_as_entered_and_widens_only_to_include_the_likely_value(
    doc: ProjectDocument,
) -> None:
    # The example's volume is 20,000 (12,000 – 35,000); the form edits the likely value only.
    widened: list[tuple[object, object, object]] = []
    doc.rangeWidened.connect(lambda *args: widened.append(args))
    assert doc.set_field(QUERIES, 30_000.0) is None  # inside the range: the range stays
    kept = doc.scenario.workload.queries_per_month
    assert (kept.low, kept.likely, kept.high) == (12_000, 30_000, 35_000)
    assert widened == []
    # Measured from the start of the burst: the keystrokes on the way ("4", "40" …) do not
    # drag the low end down.
    for typed in (4.0, 40.0, 400.0, 4_000.0, 40_000.0):
        doc.set_field(QUERIES, typed)
    moved = doc.scenario.workload.queries_per_month
    assert (moved.low, moved.likely, moved.high) == (12_000, 40_000, 40_000)
    path, before, after = widened[-1]
    assert path == ("scenarios", 0, "workload", "queries_per_month")
    assert before == Estimate(likely=20_000, low=12_000, high=35_000)
    assert after == moved
    doc.undo_stack.undo()  # one step: likely value and range together
    assert doc.scenario.workload.queries_per_month == Estimate(
        likely=20_000, low=12_000, high=35_000
    )


def test_optional_figures_and_cost_overrides(doc: ProjectDocument) -> None:
    price = ("fine_tuning", "training_gpu_hour_price")
    assert doc.set_field((*price, "likely"), 2.5) is None
    assert doc.value_at(price) == Estimate(likely=2.5)
    assert doc.set_field(price, None) is None
    assert doc.value_at(price) is None
    override = ("cost_overrides", "rag.generation")
    assert doc.set_field(override, 0.11) is None
    assert doc.scenario.cost_overrides == {"rag.generation": 0.11}
    assert doc.set_field(override, None) is None
    assert doc.scenario.cost_overrides == {}


def test_unevaluable_inputs_keep_the_last_results(doc: ProjectDocument, qtbot: QtBot) -> None:
    last = doc.evaluation
    with qtbot.waitSignal(doc.evaluationFailed, timeout=1000) as failed:
        assert doc.set_field(("fine_tuning", "base_model"), "no-such-model") is None
    assert "no-such-model" in failed.args[0]
    assert doc.evaluation is last
    assert doc.evaluation_error is not None
    doc.undo_stack.undo()
    assert doc.evaluation_error is None


def test_scenarios_add_duplicate_rename_delete(doc: ProjectDocument, qtbot: QtBot) -> None:
    def names() -> list[str]:
        return [s.name for s in doc.project.scenarios]

    assert names() == ["Today", "In two years"]
    with qtbot.waitSignal(doc.scenarioChanged, timeout=1000):
        doc.add_scenario()
    assert names()[-1] == "New scenario" and doc.scenario_index == 2
    doc.switch_scenario(0)
    doc.duplicate_scenario()
    assert names()[-1] == "Today (copy)" and doc.scenario.name == "Today (copy)"
    assert doc.scenario.workload == doc.project.scenarios[0].workload
    assert doc.rename_scenario(3, "Today") == "Two scenarios are both named 'Today'"
    assert doc.rename_scenario(3, "Pessimistic") is None
    assert doc.delete_scenario(0) is None
    assert names() == ["In two years", "New scenario", "Pessimistic"]
    assert doc.scenario.name == "Pessimistic"
    doc.undo_stack.undo()
    assert names() == ["Today", "In two years", "New scenario", "Pessimistic"]
    assert doc.scenario.name == "Today"


def test_the_last_scenario_cannot_be_deleted(qtbot: QtBot) -> None:
    doc = ProjectDocument()
    doc.load(Project())
    assert doc.delete_scenario(0) == "A project needs at least one scenario."


def test_switching_scenario_is_not_an_edit(doc: ProjectDocument) -> None:
    doc.switch_scenario(1)
    assert doc.scenario.name == "In two years"
    assert doc.evaluation is not None and doc.evaluation.scenario == "In two years"
    assert not doc.is_modified() and doc.undo_stack.count() == 0
    # An undo shows the scenario the edit was made in.
    doc.set_field(PEAK, 4.0)
    doc.switch_scenario(0)
    doc.undo_stack.undo()
    assert doc.scenario_index == 1


def test_every_scenario_is_evaluated_for_the_comparison(doc: ProjectDocument) -> None:
    evaluations = doc.evaluations()
    assert [e.scenario for e in evaluations] == ["Today", "In two years"]
    assert doc.evaluations()[1] is evaluations[1]  # cached while the scenario is unchanged


def test_saving_marks_clean(doc: ProjectDocument, tmp_path: object) -> None:
    doc.set_field(PEAK, 4.0)
    assert doc.is_modified()
    doc.mark_saved("/tmp/x.ftrag")
    assert not doc.is_modified()
    assert str(doc.path) == "/tmp/x.ftrag"
