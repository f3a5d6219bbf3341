"""The Monte Carlo pass prices every sample with the same serving-capacity, GPU-count and
vector-store code as the deterministic engine: sample by sample, the two agree."""

from __future__ import annotations

import pytest

from engine.evaluate import evaluate
from engine.model import Project, Scenario
from engine.uncertainty import draw, outcomes, uncertain_inputs

SCENARIO = {
    "workload": {"queries_per_month": {"likely": 200_000, "low": 5_000, "high": 20_000_000}},
    "knowledge": {"corpus_tokens": {"likely": 1e8, "low": 1e6, "high": 1e10}},
    "fine_tuning": {"base_model": "llama-3.3-70b", "training_gpu_count": 1},
    "serving": {
        "fine_tuning": {
            "mode": "self_hosted",
            "gpu": "h100-sxm",
            "concurrent_streams_per_replica": {"likely": 16, "low": 1, "high": 64},
            "target_utilisation": {"likely": 0.75, "low": 0.5, "high": 0.9},
            "gpus_per_replica": {"likely": 2, "low": 1, "high": 8},
        },
        "rag": {"mode": "self_hosted", "gpu": "l40s", "self_hosted_model": "qwen3-8b"},
    },
}


def test_monte_carlo_matches_the_engine_for_serving_and_vector_store_samples() -> None:
    s = Scenario.model_validate(SCENARIO)
    p = Project(scenarios=[s], quote_date="2026-12-07")
    base = evaluate(p, s)
    values = draw(uncertain_inputs(s), 6, seed=3, distribution="triangular")
    result = outcomes(p, s, values, base)
    for row in range(6):
        data = p.model_dump()
        for path, column in values.items():
            node = data["scenarios"][0]
            for name in path[:-1]:
                node = node[name]
            x = float(column[row])
            node[path[-1]] = (
                round(x)
                if path[-1] in ("concurrent_streams_per_replica", "gpus_per_replica")
                else x
            )
        one = evaluate(Project.model_validate(data))
        for key in ("fine_tuning", "rag", "hybrid"):
            assert result.tco[key][row] == pytest.approx(one.strategies[key].tco.value, rel=1e-9)
            assert result.totals[key][row] == pytest.approx(
                one.strategies[key].total_score, rel=1e-9
            )
