"""A brief fills a scenario: the solver's setups, "don't know" as ranges, hand edits kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.brief import BriefError, apply_brief, parse_brief
from engine.evaluate import evaluate
from engine.fileformat import dump_project, parse_project
from engine.model.brief import QUESTIONS, Brief
from engine.model.project import Project
from engine.model.scenario import Scenario, Serving
from engine.solver import apply_candidate, solve
from engine.templates import load_template
from engine.uncertainty import analyse

ROOT = Path(__file__).resolve().parents[2]
INSURER = ROOT / "docs" / "examples" / "eu-insurer-brief.json"


def _insurer() -> Brief:
    return parse_brief(INSURER.read_text(encoding="utf-8"), str(INSURER))


def _all_dont_know() -> Brief:
    answers = {name: "dont_know" for name in QUESTIONS if name != "assistant_does"}
    return Brief.model_validate({"assistant_does": "Answers staff questions.", **answers})


def _with_scenario(project: Project, scenario: Scenario) -> Project:
    return project.model_copy(update={"scenarios": [scenario]})


@pytest.fixture(scope="module")
def insurer_result():  # type: ignore[no-untyped-def]
    return apply_brief(_insurer())


def test_the_insurer_brief_fills_the_scenario(insurer_result) -> None:  # type: ignore[no-untyped-def]
    project = insurer_result.project
    s = project.scenarios[0]
    assert project.currency == "EUR" and project.usd_exchange_rate == 0.92
    assert s.workload.queries_per_month.likely == 40_000
    assert s.workload.monthly_growth_pct.likely == 5.0  # 40,000 → 72,000 in a year, to 0.1
    assert s.workload.horizon_months.likely == 24
    assert s.knowledge.corpus_documents.likely == 20_000
    assert s.knowledge.fact_change_interval_days.likely == 7
    assert s.knowledge.training_examples.likely == 3_000
    req = project.requirements
    assert req.compliance.cite_sources.value == "hard"
    assert req.compliance.data_residency.value == "hard"
    assert req.data_region.value == "EU"
    assert req.latency_p95_target_s.likely == 3 and req.latency_p95_need.value == "must"
    # RAG was given the solver's cheapest setup (residency: hosted in the EU); hybrid too, or
    # a note says why its setup was left as it was.
    assert s.serving.rag != Serving().rag
    assert s.serving.hybrid != Serving().hybrid or any(
        n.startswith("Hybrid: setup left as it was") for n in insurer_result.notes
    )
    # Every assumption names a field that exists in the file (the links of "what we assumed").
    data = json.loads(dump_project(project))["project"]
    for assumption in insurer_result.assumptions:
        node = data if assumption.path.startswith("project.") else data["scenarios"][0]
        parts = assumption.path.split(".")[1 if assumption.path.startswith("project.") else 0 :]
        if parts[0] == "requirements":
            node = data
        for part in parts:
            node = node[part]
    # The brief is stored and the file opens again as the same project.
    assert project.brief is not None and project.brief.answers == _insurer()
    assert parse_project(dump_project(project)) == project


def _solve_in_turn(project: Project) -> Project:
    """The form route: Scenario → Find Cheapest Setup… → Apply, strategy by strategy, taking
    each time the cheapest setup that keeps what an earlier Apply chose (RAG and hybrid share
    the retrieval fields, fine-tuning and hybrid the base model: a later Apply must not undo
    an earlier one; the solver's trades say "also changes … (shared)" for the others), searching
    again among the setups that keep those choices when the cheapest few do not."""
    chosen: dict[str, object] = {}
    for key in ("rag", "fine_tuning", "hybrid"):
        found = solve(project, project.scenarios[0]).strategies[key]
        agreeing = [
            c
            for c in found.candidates
            if all(chosen.get(path, value) == value for path, value in c.changes.items())
        ]
        if not agreeing and chosen:  # search among the setups that keep the earlier choices
            again = solve(project, project.scenarios[0], agree_with=chosen, only=(key,))
            agreeing = again.strategies[key].candidates
        if agreeing:
            chosen.update(agreeing[0].changes)
            project = _with_scenario(project, apply_candidate(project.scenarios[0], agreeing[0]))
    return project


def test_the_recommendation_matches_the_solver_backed_form(insurer_result) -> None:  # type: ignore[no-untyped-def]
    """The same inputs entered in the form, then Scenario → Find Cheapest Setup… → Apply for each
    strategy in turn, give the same recommendation and the same totals."""
    briefed = insurer_result.project
    by_brief = evaluate(briefed)
    # The form: the brief's inputs with the default serving, then the solver's cheapest, applied.
    start = briefed.scenarios[0].model_copy(update={"serving": Serving()})
    by_form = evaluate(_solve_in_turn(_with_scenario(briefed, start)))
    assert by_brief.recommendation.strategy == by_form.recommendation.strategy == "rag"
    for key in ("rag", "hybrid"):
        assert by_brief.strategies[key].tco.value == pytest.approx(
            by_form.strategies[key].tco.value, rel=1e-9
        )
        assert by_brief.strategies[key].excluded == by_form.strategies[key].excluded
    assert not by_brief.strategies["rag"].excluded
    # Nothing cheaper is left for the solver to find for the recommended strategy.
    again = solve(briefed, briefed.scenarios[0])
    assert again.strategies["rag"].candidates[0].tco == pytest.approx(
        by_brief.strategies["rag"].tco.value, rel=1e-9
    )
    # The built-in template of the same case, solved the same way, recommends the same strategy.
    template = _solve_in_turn(load_template("eu-insurer-claims"))
    assert evaluate(template).recommendation.strategy == by_brief.recommendation.strategy


def test_every_answer_dont_know_gives_a_project_and_a_recommendation_with_uncertainty() -> None:
    brief = _all_dont_know()
    result = apply_brief(brief)
    project = parse_project(dump_project(result.project))
    assert project == result.project
    evaluation = evaluate(project)
    assert evaluation.recommendation.strategy is not None
    flagged = {a.path for a in result.assumptions if a.dont_know}
    for path in (
        "workload.queries_per_month",
        "workload.monthly_growth_pct",
        "workload.horizon_months",  # a stated assumption, not sampled (a choice, not a fact)
        "knowledge.corpus_documents",
        "knowledge.corpus_change_pct_per_month",
        "knowledge.training_examples",
        "knowledge.needs_fixed_style",
        "requirements.compliance.cite_sources",
        "requirements.compliance.data_residency",
        "requirements.latency_p95_target_s",
        "requirements.latency_p95_need",
        "people.ml_ops_in_house",
    ):
        assert path in flagged, path
    scenario = project.scenarios[0]
    assert scenario.workload.queries_per_month.has_range
    assert scenario.knowledge.corpus_documents.has_range
    u = analyse(project, scenario, evaluation, samples=300, seed=1)
    ranged = {".".join(i.path) for i in u.inputs}
    assert {"workload.queries_per_month", "knowledge.corpus_documents"} <= ranged
    assert sum(u.p_win.values()) == pytest.approx(1.0)
    # The ignorance shows as a spread of every total, widest where volume drives the cost.
    for key in ("fine_tuning", "rag", "hybrid"):
        spread = u.tco_percentiles[key]
        assert spread[90] > spread[50] > spread[10]
    assert u.tco_percentiles["fine_tuning"][90] > 1.1 * u.tco_percentiles["fine_tuning"][10]
    assert u.tornado  # and which unknown matters most


def test_reapplying_a_revised_brief_changes_nothing_edited_by_hand(insurer_result) -> None:  # type: ignore[no-untyped-def]
    project = insurer_result.project
    data = json.loads(dump_project(project))["project"]
    scenario = data["scenarios"][0]
    scenario["workload"]["queries_per_month"] = 50_000  # edited by hand
    scenario["serving"]["rag"]["concurrent_streams_per_replica"] = 32  # edited by hand
    data["requirements"]["latency_p95_target_s"] = 2.5  # edited by hand
    edited = Project.model_validate(data)

    revised = _insurer().model_copy(
        update={
            "queries_per_month_now": 45_000.0,
            "p95_latency_s": 4.0,
            "documents_change": "daily",
            "labelled_examples": 500.0,
        }
    )
    result = apply_brief(revised, edited)
    s = result.project.scenarios[0]
    assert s.workload.queries_per_month.likely == 50_000
    assert s.serving.rag.concurrent_streams_per_replica.likely == 32
    assert result.project.requirements.latency_p95_target_s.likely == 2.5
    assert {
        "workload.queries_per_month",
        "serving.rag.concurrent_streams_per_replica",
        "requirements.latency_p95_target_s",
    } <= set(result.left_alone)
    # The RAG setup touches a field edited by hand: left as it is, with a note.
    assert s.serving.rag == edited.scenarios[0].serving.rag
    assert any(n.startswith("RAG:") for n in result.notes)
    # Fields not edited follow the revised answers.
    assert s.knowledge.fact_change_interval_days.likely == 1
    assert result.project.requirements.freshness_target_days.likely == 1
    assert s.knowledge.training_examples.likely == 500
    assert result.project.requirements.latency_target_s.likely == pytest.approx(2.67)
    # Applied again unchanged, it leaves the same fields alone and changes nothing.
    twice = apply_brief(revised, result.project)
    assert twice.project.scenarios == result.project.scenarios
    assert set(twice.left_alone) == set(result.left_alone)


def test_applying_the_same_brief_again_changes_nothing(insurer_result) -> None:  # type: ignore[no-untyped-def]
    again = apply_brief(_insurer(), insurer_result.project)
    assert again.left_alone == []
    assert again.project.scenarios == insurer_result.project.scenarios
    assert again.project.requirements == insurer_result.project.requirements


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "expected a JSON object"),
        (
            '{"assistant_does": "x"}',
            'queries_per_month_now: missing answer (give a value, or "dont_know")',
        ),
        (
            json.dumps({**json.loads(INSURER.read_text()), "documents_change": "hourly"}),
            "documents_change",
        ),
        (json.dumps({**json.loads(INSURER.read_text()), "queries": 1}), "not a question"),
        (json.dumps({**json.loads(INSURER.read_text()), "p95_latency_s": -1}), "p95_latency_s"),
        (json.dumps({**json.loads(INSURER.read_text()), "horizon_months": True}), "horizon_months"),
    ],
)
def test_a_bad_brief_is_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(BriefError) as caught:
        parse_brief(text, "b.json")
    line = str(caught.value)
    assert "\n" not in line and line.startswith("b.json: ")
    assert message in line


def test_no_in_house_ml_operations_costs_self_hosted_setups_more(insurer_result) -> None:  # type: ignore[no-untyped-def]
    project = insurer_result.project
    with_team = evaluate(project).strategies["rag"]
    s = project.scenarios[0]
    without = s.model_copy(
        update={"people": s.people.model_copy(update={"ml_ops_in_house": False})}
    )
    without_team = evaluate(project, without).strategies["rag"]
    ops = {c.key: c.figure.value for c in with_team.components}["operations"]
    ops_without = {c.key: c.figure.value for c in without_team.components}["operations"]
    assert s.serving.rag.mode.value == "self_hosted"
    assert ops_without > ops


def test_every_assumption_names_a_place_in_the_form() -> None:
    """What the brief assumed is shown with the form's section and field label, never the
    file's dotted path: each path resolves to "Section › Label"."""
    from engine.labels import field_place

    for brief in (_insurer(), _all_dont_know()):
        for assumption in apply_brief(brief).assumptions:
            place = field_place(assumption.path)
            assert " › " in place and "." not in place.split(" › ")[0], assumption.path
