"""The decision map: every point is what evaluate() says for the scenario with those two inputs
set, and its boundaries sit where the crossover chart's curves cross."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import pytest

from engine.decision_map import (
    Axis,
    DecisionMap,
    DecisionMapError,
    auto_log,
    changes_from_today,
    decision_map,
    decision_map_json,
    default_span,
    describe_cell,
    find_field,
    map_fields,
)
from engine.evaluate import evaluate, evaluate_with_curves
from engine.model import Project
from engine.model.scenario import STRATEGIES, Scenario
from engine.templates import load_template


def scenario_at(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with inputs set the way a user would type them (validated)."""
    data = scenario.model_dump()
    for path, value in values.items():
        node: Any = data
        *parents, last = path.split(".")
        for name in parents:
            node = node[name]
        node[last] = value
    return Scenario.model_validate(data)


def assert_cells_match_evaluate(
    project: Project, scenario: Scenario, m: DecisionMap, cells: list[tuple[int, int]]
) -> None:
    for row, col in cells:
        here = scenario_at(
            scenario, {m.x.path: float(m.x.values[col]), m.y.path: float(m.y.values[row])}
        )
        ev = evaluate(project, here)
        cell = m.cell(row, col)
        where = f"{m.x.path}={m.x.values[col]:g}, {m.y.path}={m.y.values[row]:g}"
        assert cell.priced, where
        assert cell.strategy == ev.recommendation.strategy, where
        assert cell.runner_up == ev.recommendation.runner_up, where
        assert cell.margin == pytest.approx(ev.recommendation.margin, abs=1e-9), where
        for key in STRATEGIES:
            assert cell.totals[key] == pytest.approx(ev.strategies[key].total_score, abs=1e-9)
            assert cell.tco[key] == pytest.approx(ev.strategies[key].tco.value, rel=1e-12)
        expected = {
            k: "; ".join(r.exclusion_reasons) for k, r in ev.strategies.items() if r.excluded
        }
        assert cell.excluded == expected, where


def some_cells(m: DecisionMap, count: int, seed: int = 0) -> list[tuple[int, int]]:
    rng = np.random.default_rng(seed)
    ny, nx = m.shape
    picked = {(0, 0), (ny - 1, nx - 1), (0, nx - 1), (ny - 1, 0)}
    # Both sides of every boundary crossing on a few rows: where a mistake would show first.
    for row in rng.choice(ny, size=min(3, ny), replace=False):
        for col in np.nonzero(m.winner[row, :-1] != m.winner[row, 1:])[0][:3]:
            picked |= {(int(row), int(col)), (int(row), int(col) + 1)}
    while len(picked) < count:
        picked.add((int(rng.integers(ny)), int(rng.integers(nx))))
    return sorted(picked)


CASES = [
    # (template, x, y): volume × churn (cost only), a price × a weight, the freshness target ×
    # growth, the horizon (priced one value at a time) × volume.
    ("support-assistant", Axis("workload.queries_per_month", 100, 1e7),
     Axis("knowledge.corpus_change_pct_per_month", 0, 60)),
    ("seed-small-company", Axis("workload.engineering_rate_per_hour", 20, 400),
     Axis("weights.cost", 0, 100)),
    ("support-assistant", Axis("requirements.freshness_target_days", 0.5, 120),
     Axis("workload.monthly_growth_pct", 0, 15)),
    ("seed-enterprise", Axis("workload.horizon_months", 1, 60),
     Axis("workload.queries_per_month", 1e3, 1e7)),
]  # fmt: skip


@pytest.mark.parametrize(("template", "x", "y"), CASES)
def test_sampled_cells_equal_evaluate(template: str, x: Axis, y: Axis) -> None:
    project = load_template(template)
    scenario = project.scenarios[0]
    m = decision_map(project, scenario, x, y, (41, 37))
    assert m.shape == (37, 41)
    assert_cells_match_evaluate(project, scenario, m, some_cells(m, 14))


def test_inputs_the_checklist_reads_are_judged_point_by_point() -> None:
    # Regulated training data: training on none of the examples meets it, training on some needs
    # mitigation; the hybrid trains on examples × its share, so the checklist reads both inputs.
    # Citing sources (hard) excludes fine-tuning everywhere, with its reason.
    project = load_template("support-assistant")
    data = project.scenarios[0].model_dump()
    data["requirements"]["compliance"]["regulated_training_data"] = "hard"
    data["requirements"]["compliance"]["cite_sources"] = "hard"
    scenario = Scenario.model_validate(data)
    m = decision_map(
        project,
        scenario,
        Axis("knowledge.training_examples", 0, 2_000),
        Axis("hybrid.training_share_pct", 0, 100),
        (9, 7),
    )
    assert len(m.judgements) > 2
    assert all("fine_tuning" in m.cell(r, c).excluded for r in range(7) for c in range(9))
    assert_cells_match_evaluate(project, scenario, m, [(r, c) for r in range(7) for c in range(9)])


def test_fit_inputs_shift_the_totals_exactly() -> None:
    project = load_template("seed-small-company")
    scenario = project.scenarios[0]
    m = decision_map(
        project,
        scenario,
        Axis("knowledge.training_examples", 10, 100_000),
        Axis("knowledge.fact_change_interval_days", 1, 365),
        (6, 5),
    )
    assert len(m.judgements) > 1
    assert_cells_match_evaluate(project, scenario, m, [(r, c) for r in range(5) for c in range(6)])


def test_an_input_fit_reads_against_one_the_checklist_reads() -> None:
    # Fit reads how fast facts change, the checklist the retrain interval (regulated training
    # data ticked, so compliance differs by strategy): judged by columns and rows, still exact.
    project = load_template("support-assistant")
    data = project.scenarios[0].model_dump()
    data["requirements"]["compliance"]["regulated_training_data"] = "preferred"
    scenario = Scenario.model_validate(data)
    m = decision_map(
        project,
        scenario,
        Axis("knowledge.fact_change_interval_days", 1, 400),
        Axis("fine_tuning.retrain_interval_days", 1, 365),
        (7, 6),
    )
    assert_cells_match_evaluate(project, scenario, m, [(r, c) for r in range(6) for c in range(7)])


def cost_only(template: str) -> tuple[Project, Scenario]:
    """Every weight on cost and nothing hard: the recommendation is the cheapest strategy, so
    the map's lines along volume are the crossover chart's crossings."""
    project = load_template(template)
    data = project.scenarios[0].model_dump()
    data["weights"] = {"cost": 100, "latency": 0, "freshness": 0, "compliance": 0, "fit": 0}
    data["requirements"]["compliance"] = {}
    scenario = Scenario.model_validate(data)
    return project.model_copy(update={"scenarios": [scenario]}), scenario


@pytest.mark.parametrize("template", ["seed-small-company", "seed-enterprise"])
def test_boundaries_on_the_volume_axis_sit_at_the_crossovers(template: str) -> None:
    project, scenario = cost_only(template)
    y = Axis("workload.engineering_rate_per_hour", 50, 300)
    m = decision_map(project, scenario, Axis("workload.queries_per_month", 10, 1e8), y, (60, 5))
    checked = 0
    for row, rate in enumerate(m.y.values):
        crossovers = evaluate(project, scenario_at(scenario, {y.field: float(rate)})).crossovers
        points = (
            np.concatenate([b.points for b in m.boundaries]) if m.boundaries else np.zeros((0, 2))
        )
        on_row = points[np.isclose(points[:, 1], rate)]
        for col in np.nonzero(m.winner[row, :-1] != m.winner[row, 1:])[0]:
            lo, hi = m.x.values[col], m.x.values[col + 1]
            pair = {m.strategy_at(row, col), m.strategy_at(row, col + 1)}
            inside = [
                c.queries_per_month
                for c in crossovers
                if set(c.between) == pair and lo <= c.queries_per_month <= hi
            ]
            assert inside, f"no {pair} crossover between {lo:g} and {hi:g} (rate {rate:g})"
            drawn = on_row[(on_row[:, 0] >= lo) & (on_row[:, 0] <= hi)]
            assert len(drawn) >= 1
            # Within the cell, and close to the crossing itself (interpolated, not the middle).
            cell_width = math.log10(hi / lo)
            assert abs(math.log10(drawn[0, 0] / inside[0])) < 0.25 * cell_width
            checked += 1
    assert checked >= 3


def test_boundaries_are_polylines_between_two_regions() -> None:
    project, scenario = cost_only("seed-enterprise")
    m = decision_map(
        project,
        scenario,
        Axis("workload.queries_per_month", 100, 1e9),
        Axis("workload.engineering_rate_per_hour", 10, 1000),
        40,
    )
    assert m.boundaries
    labels = {m.strategy_at(r, c) for r in range(40) for c in range(40)}
    assert len(labels) >= 2
    for b in m.boundaries:
        assert b.points.shape[1] == 2 and len(b.points) >= 2
        assert b.between[0] != b.between[1]
        assert np.all(b.points[:, 0] >= 100 * (1 - 1e-9)) and np.all(b.points[:, 0] <= 1e9 * 1.01)
    # Joined, not loose segments: a line through the map is few polylines, not one per cell.
    segments = sum(len(b.points) - 1 for b in m.boundaries)
    assert len(m.boundaries) < segments / 3


def test_unknown_field_names_close_matches() -> None:
    scenario = load_template().scenarios[0]
    with pytest.raises(DecisionMapError) as err:
        find_field(scenario, "workload.queries_per_mnth")
    assert "workload.queries_per_month" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(DecisionMapError, match=r"workload\.queries_per_month"):
        find_field(scenario, "queries_per_month")
    with pytest.raises(DecisionMapError, match="outside the allowed range"):
        decision_map(load_template(), None, Axis("weights.cost", 0, 200),
                     Axis("weights.fit", 0, 10), 5)  # fmt: skip
    with pytest.raises(DecisionMapError, match="must be above"):
        decision_map(load_template(), None, Axis("weights.cost", 50, 10),
                     Axis("weights.fit", 0, 10), 5)  # fmt: skip
    with pytest.raises(DecisionMapError, match="two different inputs"):
        decision_map(load_template(), None, Axis("weights.cost", 0, 10),
                     Axis("weights.cost", 0, 10), 5)  # fmt: skip


def test_axis_scale_follows_the_chart() -> None:
    assert auto_log("workload.queries_per_month", 2_000, 200_000)  # the chart's volume axis
    assert not auto_log("knowledge.corpus_change_pct_per_month", 0.5, 50)  # ratio 100: linear
    assert auto_log("workload.engineering_rate_per_hour", 1, 1000)  # ratio > 100: log
    assert not auto_log("workload.monthly_growth_pct", 0, 100)
    scenario = load_template().scenarios[0]
    volume = find_field(scenario, "workload.queries_per_month")
    assert default_span(volume) == (10.0, 1e7)  # the crossover chart's volume axis
    churn = find_field(scenario, "knowledge.corpus_change_pct_per_month")
    assert default_span(churn) == (0.5, 50.0)  # ÷10 … ×10 around today's 5 %/month
    for field in map_fields(scenario):
        if field.today is not None:
            lo, hi = default_span(field)
            assert field.minimum <= lo < hi <= field.maximum, field.path


def test_json_shape_and_read_out() -> None:
    project = load_template()
    data = project.scenarios[0].model_dump()
    data["requirements"]["compliance"]["cite_sources"] = "hard"
    scenario = Scenario.model_validate(data)
    m = decision_map(
        project,
        scenario,
        Axis("fine_tuning.retrain_interval_days", 1, 120),
        Axis("workload.queries_per_month", 1e3, 1e6),
        (4, 3),
    )
    doc = decision_map_json(m)
    assert doc["x"]["field"] == "fine_tuning.retrain_interval_days"
    assert len(doc["x"]["values"]) == 4 and len(doc["y"]["values"]) == 3
    assert len(doc["cells"]) == 3 and all(len(row) == 4 for row in doc["cells"])
    cell = doc["cells"][0][0]
    assert set(cell) >= {"strategy", "margin", "excluded"}
    assert cell["strategy"] in (*STRATEGIES, None)
    assert all(set(c["excluded"]) == {"fine_tuning"} for row in doc["cells"] for c in row)
    json.dumps(doc, allow_nan=False)  # plain JSON numbers throughout
    text = describe_cell(m, 0, 3)
    assert "points over" in text or "only one" in text
    assert "Fine-tuning excluded: answers must cite their sources" in text


def test_nearest_change_from_today_along_each_axis() -> None:
    project = load_template("seed-enterprise")
    scenario = project.scenarios[0]
    x, y = Axis("workload.queries_per_month", 1e4, 1e8), Axis("weights.cost", 0, 100)
    m = decision_map(project, scenario, x, y, 81)
    changes = changes_from_today(m)
    assert {c.axis for c in changes} == {"x", "y"}
    for change in changes:
        # Just past the line, evaluate() recommends what the sentence says.
        step = 1.02 if change.direction == "above" else 0.98
        path = m.x.path if change.axis == "x" else m.y.path
        beyond = evaluate(project, scenario_at(scenario, {path: change.value * step}))
        assert beyond.recommendation.strategy == change.strategy, change.sentence
        assert "would win if" in change.sentence
        # The line is known to a grid step, so the sentence rounds it to 3 significant digits.
        said = re.search(r"(?:above|below) ([\d,.]+)", change.sentence)
        assert said is not None, change.sentence
        digits = said.group(1).replace(",", "").replace(".", "").lstrip("0").rstrip("0")
        assert len(digits) <= 3, change.sentence
        assert float(said.group(1).replace(",", "")) == pytest.approx(change.value, rel=0.005)
    outside = decision_map(project, scenario, Axis(x.field, 1e7, 1e8), y, 11)
    assert changes_from_today(outside) == []


def test_today_is_marked() -> None:
    project = load_template()
    scenario = project.scenarios[0]
    m = decision_map(project, scenario, Axis("workload.queries_per_month", 1e3, 1e6),
                     Axis("workload.engineering_rate_per_hour", 50, 300), 11)  # fmt: skip
    assert m.today == (20_000.0, scenario.workload.engineering_rate_per_hour.likely)
    assert (
        m.today_strategy
        == evaluate_with_curves(project, scenario, points=0)[0].recommendation.strategy
    )


def test_batches_give_the_same_map(monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.decision_map as dm

    project = load_template("support-assistant")
    x, y = Axis("workload.queries_per_month", 100, 1e8), Axis("rag.chunk_tokens", 100, 3000)
    whole = decision_map(project, None, x, y, 50)
    monkeypatch.setattr(dm, "PASS_ELEMENTS", 24_000)  # 1,000 rows a pass: three batches
    batched = decision_map(project, None, x, y, 50)
    np.testing.assert_array_equal(whole.winner, batched.winner)
    np.testing.assert_allclose(whole.margin, batched.margin, rtol=0, atol=1e-12)
