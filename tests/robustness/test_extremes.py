"""Extreme but valid projects give finite numbers or a clear refusal — never NaN or inf."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks.largest import largest_project
from engine.evaluate import EvaluationError, evaluate, evaluate_with_curves
from engine.fileformat import load_project, save_project
from engine.model import Project
from engine.report import evaluation_json
from engine.uncertainty import analyse


def finite_everywhere(node: object) -> bool:
    if isinstance(node, float):
        return math.isfinite(node)
    if isinstance(node, dict):
        return all(finite_everywhere(v) for v in node.values())
    if isinstance(node, list):
        return all(finite_everywhere(v) for v in node)
    return True


def test_the_largest_project_evaluates_to_finite_numbers(tmp_path: Path) -> None:
    project = largest_project()
    path = tmp_path / "largest.ftrag"
    save_project(project, path)
    assert load_project(path) == project
    scenario = project.scenarios[0]
    evaluation, curves = evaluate_with_curves(project, scenario)
    assert finite_everywhere(evaluation_json(evaluation))
    for values in curves.tco.values():
        assert all(math.isfinite(x) for x in values)
    u = analyse(project, scenario, evaluation, samples=2000, seed=1)
    assert sum(u.p_win.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("section", "name", "value"),
    [
        ("workload", "queries_per_month", 1e13),
        ("workload", "queries_per_month", 0),
        ("workload", "output_tokens_per_query", 1_000_000),
        ("workload", "prompt_tokens_per_query", 2_000_000),
        ("workload", "peak_to_average_load", 1000),
        ("workload", "monthly_growth_pct", 100),
        ("knowledge", "corpus_tokens", 1e14),
        ("knowledge", "training_examples", 1e10),
        ("fine_tuning", "retrain_interval_days", 1),
        ("rag", "top_k", 1000),
        ("requirements", "freshness_target_days", 0.001),
    ],
)
def test_extreme_inputs_give_finite_results_or_a_clear_refusal(
    section: str, name: str, value: float
) -> None:
    data = Project().model_dump()
    # Requirements and weights are the project's (scenarios inherit them).
    target = data if section in ("requirements", "weights") else data["scenarios"][0]
    target[section][name] = value
    if (section, name) == ("workload", "monthly_growth_pct"):
        data["scenarios"][0]["workload"]["horizon_months"] = 600
    project = Project.model_validate(data)
    try:
        evaluation = evaluate(project)
    except EvaluationError as exc:
        assert "not a finite number" in str(exc) or "out of the range" in str(exc)
        return
    assert finite_everywhere(evaluation_json(evaluation))
