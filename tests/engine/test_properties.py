"""Invariants over many generated scenarios (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.costs import cost_models
from engine.crossover import GRID, find_crossovers
from engine.evaluate import context_for, evaluate
from engine.model import Project, Scenario
from engine.model.scenario import COST_COMPONENTS, STRATEGY_COMPONENTS

GPUS = ["h100-sxm", "a100-80gb", "l40s", "l4", "rtx-4090", "mi300x"]
MODELS = ["llama-3.1-8b", "llama-3.1-70b", "mistral-7b", "qwen2.5-7b", "qwen2.5-72b"]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    serving = {
        key: {
            "mode": draw(st.sampled_from(["api", "self_hosted"])),
            "gpu": draw(st.sampled_from(GPUS)),
            "availability": draw(st.sampled_from(["always_on", "business_hours"])),
            "concurrent_streams_per_replica": draw(st.integers(1, 64)),
            "api_input_price_per_million": draw(st.floats(0, 20)),
            "api_output_price_per_million": draw(st.floats(0, 80)),
        }
        for key in ("fine_tuning", "rag", "hybrid")
    }
    return Scenario.model_validate(
        {
            "workload": {
                "queries_per_month": draw(st.floats(1, 1e9)),
                "prompt_tokens_per_query": draw(st.integers(1, 8000)),
                "output_tokens_per_query": draw(st.integers(1, 2000)),
                "peak_to_average_load": draw(st.floats(1, 20)),
                "monthly_growth_pct": draw(st.sampled_from([0.0, 2.0, 10.0])),
                "horizon_months": draw(st.integers(1, 60)),
            },
            "knowledge": {
                "corpus_tokens": draw(st.floats(0, 1e10)),
                "training_examples": draw(st.integers(0, 1_000_000)),
                "corpus_change_pct_per_month": draw(st.floats(0, 100)),
            },
            "fine_tuning": {
                "base_model": draw(st.sampled_from(MODELS)),
                "method": draw(st.sampled_from(["full", "lora", "qlora"])),
                "venue": draw(st.sampled_from(["gpus", "managed_api"])),
                "training_gpu": draw(st.sampled_from(GPUS)),
                "retrain_interval_days": draw(st.floats(1, 1000)),
            },
            "rag": {
                "top_k": draw(st.integers(0, 20)),
                "vector_store": draw(
                    st.sampled_from(
                        [
                            "pinecone-serverless",
                            "weaviate-cloud",
                            "qdrant-cloud",
                            "zilliz-serverless",
                            "pgvector-self-hosted",
                        ]
                    )
                ),
            },
            "serving": serving,
        }
    )


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(scenarios())
def test_cost_never_falls_as_volume_rises_and_is_finite(s: Scenario) -> None:
    models = cost_models(context_for(Project(scenarios=[s]), s))
    volumes = np.logspace(0, 13, 400)
    for model in models.values():
        tco = model.tco(volumes)
        assert np.all(np.isfinite(tco)) and np.all(tco >= 0)
        assert np.all(np.diff(tco) >= -1e-9 * np.abs(tco[1:]))


@PROPERTY
@given(scenarios())
def test_each_crossover_is_where_the_curves_really_cross(s: Scenario) -> None:
    models = cost_models(context_for(Project(scenarios=[s]), s))
    for c in find_crossovers(models):
        a, b = (models[k] for k in c.between)
        q = c.queries_per_month
        # The bracket is narrowed to 1e-10 of q, so the curves meet within ±1e-9 of it: the
        # difference takes both signs there (or is zero).  Sampled rather than checked at the
        # two ends: at 10¹¹ queries/month with growth, replica steps can be 1e-9 apart.
        near = q * (1 + np.linspace(-1e-9, 1e-9, 201))
        d = a.tco(near) - b.tco(near)
        assert d.min() <= 0 <= d.max()
        # The order named is the one that holds from the next grid point on (a staircase can
        # weave parts per million either side of a smooth curve within one grid step).
        grid_above = np.array([GRID[np.searchsorted(GRID, q, side="right")]])
        cheaper = models[c.cheaper_above]
        other = b if cheaper is a else a
        assert cheaper.tco(grid_above)[0] <= other.tco(grid_above)[0]


@PROPERTY
@given(scenarios())
def test_doubling_every_price_doubles_every_cost(s: Scenario) -> None:
    overrides = {
        f"{strategy}.{key}": 1.0 + i
        for strategy, keys in STRATEGY_COMPONENTS.items()
        for i, key in enumerate(keys)
    }
    one = s.model_copy(update={"cost_overrides": overrides})
    two = s.model_copy(update={"cost_overrides": {k: 2 * x for k, x in overrides.items()}})
    e1 = evaluate(Project(scenarios=[one]))
    e2 = evaluate(Project(scenarios=[two]))
    for key in e1.strategies:
        assert math.isclose(
            e2.strategies[key].tco.value, 2 * e1.strategies[key].tco.value, rel_tol=1e-9
        )
    # Doubling every catalog price via the exchange rate doubles all but the typed figures.
    assert all(k in COST_COMPONENTS for keys in STRATEGY_COMPONENTS.values() for k in keys)


@PROPERTY
@given(scenarios())
def test_a_hard_compliance_failure_always_excludes(s: Scenario) -> None:
    hard = s.model_copy(
        update={
            "requirements": s.requirements.model_copy(
                update={
                    "compliance": s.requirements.compliance.model_copy(
                        update={"cite_sources": "hard"}
                    )
                }
            )
        }
    )
    ev = evaluate(Project(scenarios=[hard]))
    for key, result in ev.strategies.items():
        failed = any(c.verdict == "fails" and c.need == "hard" for c in result.compliance)
        assert result.excluded == failed
        if failed:
            assert ev.recommendation.strategy != key
    # Fine-tuned weights cannot cite: fine-tuning is always out.
    assert ev.strategies["fine_tuning"].excluded


@PROPERTY
@given(scenarios())
def test_recommendation_is_the_best_eligible_total(s: Scenario) -> None:
    ev = evaluate(Project(scenarios=[s]))
    eligible = {k: r.total_score for k, r in ev.strategies.items() if not r.excluded}
    if eligible:
        assert ev.recommendation.strategy == max(eligible, key=lambda k: eligible[k])
    for flip in ev.flip_points:
        assert 0 <= flip.value <= 100
