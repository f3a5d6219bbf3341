"""Monte Carlo, tornado and input flip points."""

from __future__ import annotations

import numpy as np
import pytest

from engine.evaluate import evaluate, evaluate_with_curves
from engine.model import Project
from engine.templates import load_template, template_names
from engine.uncertainty import (
    analyse,
    draw,
    has_uncertain_inputs,
    outcomes,
    tornado,
    uncertain_inputs,
    uncertainty_json,
)


def with_ranges(template: str, ranges: dict[tuple[str, str], dict[str, float]]) -> Project:
    data = load_template(template).model_dump()
    for (section, name), value in ranges.items():
        data["scenarios"][0][section][name] = value
    return Project.model_validate(data)


ENTERPRISE_UNCERTAIN = with_ranges(
    "seed-enterprise",
    {("workload", "queries_per_month"): {"likely": 1e6, "low": 2_000, "high": 3e6}},
)


def test_same_seed_same_result_and_p_win_sums_to_one() -> None:
    p = load_template("support-assistant")
    base = evaluate(p)
    a = uncertainty_json(analyse(p, p.scenarios[0], base, samples=2000, seed=7))
    b = uncertainty_json(analyse(p, p.scenarios[0], base, samples=2000, seed=7))
    c = uncertainty_json(analyse(p, p.scenarios[0], base, samples=2000, seed=8))
    assert a == b
    assert a["tco_percentiles"] != c["tco_percentiles"]
    assert sum(a["p_win"].values()) == pytest.approx(1.0)


def test_zero_width_ranges_reproduce_the_deterministic_answer() -> None:
    p = load_template("support-assistant")
    s = p.scenarios[0]
    base = evaluate(p, s)
    # Sample every uncertain input at exactly its likely value.
    values = {i.path: np.full(50, i.likely) for i in uncertain_inputs(s)}
    result = outcomes(p, s, values, base)
    for key, strategy in base.strategies.items():
        assert np.allclose(result.tco[key], strategy.tco.value, rtol=1e-12)
        assert np.allclose(result.totals[key], strategy.total_score, rtol=1e-12)
    assert set(result.winner.tolist()) == {["fine_tuning", "rag", "hybrid"].index("rag")}


def test_bands_carry_the_likely_cost_at_their_volumes() -> None:
    p = load_template("support-assistant")  # ranges on the volume and on labelling
    s = p.scenarios[0]
    base = evaluate(p, s)
    u = analyse(p, s, base, samples=2000, seed=0)
    # The chart's curves over the same axis with as many points give the same costs.
    curves = evaluate_with_curves(p, s, points=len(u.band_volumes))[1]
    assert np.allclose(curves.volumes, u.band_volumes, rtol=1e-12)
    for key, (low, high) in u.bands.items():
        assert np.allclose(u.band_likely[key], curves.tco[key], rtol=1e-12)
        assert np.all(low <= high)
    # RAG is touched by neither range: its band is its likely cost, exactly.
    rag_low, rag_high = u.bands["rag"]
    assert np.allclose(rag_low, u.band_likely["rag"], rtol=1e-12)
    assert np.allclose(rag_high, u.band_likely["rag"], rtol=1e-12)
    assert np.any(u.bands["fine_tuning"][1] > u.bands["fine_tuning"][0])


def _with(project: Project, **changes: object) -> Project:
    data = project.model_dump()
    for dotted, value in changes.items():
        *parents, name = dotted.split("__")
        # Requirements and weights are the project's (shared by its scenarios).
        shared = (parents or [name])[0] in ("requirements", "weights")
        node = data if shared else data["scenarios"][0]
        for parent in parents:
            node = node[parent]
        node[name] = value
    return Project.model_validate(data)


def test_tornado_measures_the_lead_over_alternatives_that_are_not_excluded() -> None:
    # Cost weighs most and fine-tuning is cheapest at a million queries/month, so it has the
    # highest total; but a hard "cite sources" excludes it: the lead is RAG's over Hybrid.
    p = _with(
        ENTERPRISE_UNCERTAIN,
        requirements__compliance__cite_sources="hard",
        weights={"cost": 80, "latency": 5, "freshness": 5, "compliance": 5, "fit": 5},
    )
    s = p.scenarios[0]
    base = evaluate(p, s)
    assert base.strategies["fine_tuning"].excluded
    assert base.strategies["fine_tuning"].total_score > base.strategies["rag"].total_score
    assert (base.recommendation.strategy, base.recommendation.runner_up) == ("rag", "hybrid")
    (bar,) = tornado(p, s, base, uncertain_inputs(s))
    for volume, margin in ((bar.low, bar.margin_at_low), (bar.high, bar.margin_at_high)):
        one = evaluate(_with(p, workload__queries_per_month=volume))
        lead = one.strategies["rag"].total_score - one.strategies["hybrid"].total_score
        assert margin == pytest.approx(lead, rel=1e-9, abs=1e-9)


def test_no_tornado_when_no_alternative_qualifies() -> None:
    p = _with(ENTERPRISE_UNCERTAIN, requirements__compliance__data_residency="hard")
    s = p.scenarios[0]
    base = evaluate(p, s)
    assert base.recommendation.runner_up is None  # RAG and Hybrid are excluded
    assert tornado(p, s, base, uncertain_inputs(s)) == []


def test_monte_carlo_costs_match_the_engine_sample_by_sample() -> None:
    p = ENTERPRISE_UNCERTAIN
    s = p.scenarios[0]
    base = evaluate(p, s)
    values = draw(uncertain_inputs(s), 5, seed=1, distribution="pert")
    result = outcomes(p, s, values, base)
    for row, q in enumerate(values[("workload", "queries_per_month")]):
        data = p.model_dump()
        data["scenarios"][0]["workload"]["queries_per_month"] = float(q)
        one = evaluate(Project.model_validate(data))
        for key in ("fine_tuning", "rag", "hybrid"):
            assert result.tco[key][row] == pytest.approx(one.strategies[key].tco.value, rel=1e-12)
            assert result.totals[key][row] == pytest.approx(one.strategies[key].total_score)


def test_volume_range_gives_a_probability_and_a_flip_point_that_really_flips() -> None:
    p = ENTERPRISE_UNCERTAIN
    s = p.scenarios[0]
    base = evaluate(p, s)
    u = analyse(p, s, base, samples=3000, seed=0)
    assert 0 < u.p_win["fine_tuning"] < 1
    [flip] = [f for f in u.flips if f.path == ("workload", "queries_per_month")]
    for value, expected in (
        (flip.value * 0.999, flip.new_winner),
        (flip.value * 1.001, base.recommendation.strategy),
    ):
        data = p.model_dump()
        data["scenarios"][0]["workload"]["queries_per_month"] = value
        assert evaluate(Project.model_validate(data)).recommendation.strategy == expected
    assert "would be recommended if queries per month fell below" in flip.description
    # The FT/RAG crossover sits at 17,045 queries/month whatever the volume: same every sample.
    crossing = u.crossover_percentiles["fine_tuning|rag"]
    assert crossing[50] == pytest.approx(17_045, rel=0.02)


def test_tornado_ranks_inputs_by_how_much_they_move_the_lead() -> None:
    p = with_ranges(
        "support-assistant",
        {
            ("knowledge", "labelling_cost_per_example"): {"likely": 2, "low": 0.5, "high": 40},
            ("workload", "output_tokens_per_query"): {"likely": 300, "low": 299, "high": 301},
        },
    )
    s = p.scenarios[0]
    u = analyse(p, s, evaluate(p, s), samples=500, seed=0)
    labels = [b.label for b in u.tornado]
    assert labels[0] == "Labelling cost per example"
    assert u.tornado[0].swing > u.tornado[-1].swing


def test_no_ranges_means_certainty() -> None:
    p = load_template("seed-small-company")
    base = evaluate(p)
    u = analyse(p, p.scenarios[0], base, samples=1000)
    assert u.samples == 0
    assert u.p_win == {"fine_tuning": 0.0, "rag": 1.0, "hybrid": 0.0}
    assert u.tornado == [] and u.flips == []


def test_whether_anything_is_uncertain_agrees_with_the_list_of_uncertain_inputs() -> None:
    """The quick question (asked on every keystroke) and the full list give the same answer:
    ranges anywhere in the form, none, and ranges that do not count (the horizon is never
    sampled; a range with no width)."""
    cases = [s for name in template_names() for s in load_template(name).scenarios]
    cases += [
        with_ranges("seed-enterprise", ranges).scenarios[0]
        for ranges in (
            {},
            {("workload", "horizon_months"): {"likely": 24, "low": 12, "high": 36}},
            {("workload", "queries_per_month"): {"likely": 1e6, "low": 1e6, "high": 1e6}},
            {("workload", "monthly_growth_pct"): {"likely": 3, "low": 1, "high": 5}},
        )
    ]
    answers = [has_uncertain_inputs(s) for s in cases]
    assert answers == [bool(uncertain_inputs(s)) for s in cases]
    assert True in answers and False in answers
