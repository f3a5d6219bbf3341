"""Fit indicators: the seed's rules of thumb and the literature, per strategy."""

from __future__ import annotations

from typing import Any

import pytest

from engine.catalog import Catalog, Catalogs
from engine.context import Context
from engine.fit import INDICATORS, fit_indicators, fit_score, log_interpolate
from engine.model.results import FitIndicator
from engine.model.scenario import Scenario

STRATEGIES = ("fine_tuning", "rag", "hybrid")

# Fit reads only the knowledge inputs: empty catalogs are enough.
EMPTY_CATALOGS = Catalogs(
    *(Catalog(name, "test", {}) for name in ("gpus", "base_models", "vectors", "embeddings"))
)


def scores(**knowledge: Any) -> dict[str, dict[str, FitIndicator]]:
    """strategy → indicator key → indicator, for a scenario with these knowledge inputs."""
    scenario = Scenario.model_validate({"knowledge": knowledge})
    ctx = Context(scenario, EMPTY_CATALOGS, "USD", 1.0)
    return {s: {i.key: i for i in fit_indicators(ctx, s)} for s in STRATEGIES}


def test_every_strategy_gets_every_indicator_in_range() -> None:
    for by_key in scores().values():
        assert list(by_key) == list(INDICATORS)
        for indicator in by_key.values():
            assert 0.0 <= indicator.score <= 100.0
            assert indicator.reason.endswith(".")


@pytest.mark.parametrize(
    ("examples", "low", "high"),
    [(0, 0, 0), (50, 5, 15), (100, 15, 15), (1_000, 70, 70), (3_000, 70, 100), (20_000, 100, 100)],
)
def test_examples_follow_the_seed_rule_of_thumb(examples: int, low: float, high: float) -> None:
    fine_tuning = scores(training_examples=examples)["fine_tuning"]["examples"]
    assert low <= fine_tuning.score <= high
    assert f"{examples:,}" in fine_tuning.reason


def test_examples_reasons_and_other_strategies() -> None:
    few = scores(training_examples=50)
    assert few["fine_tuning"]["examples"].score < 20
    assert "risky" in few["fine_tuning"]["examples"].reason
    assert few["rag"]["examples"].score == 100.0  # RAG needs no labelled examples
    assert few["fine_tuning"]["examples"].score < few["hybrid"]["examples"].score < 100.0
    assert "excellent" in scores(training_examples=20_000)["fine_tuning"]["examples"].reason


def test_log_interpolation_is_monotonic_and_clamped() -> None:
    anchors = ((1.0, 0.0), (100.0, 50.0), (10_000.0, 100.0))
    assert log_interpolate(0.5, anchors) == 0.0
    assert log_interpolate(10.0, anchors) == pytest.approx(25.0)
    assert log_interpolate(1e9, anchors) == 100.0
    values = [log_interpolate(x, anchors) for x in (1, 3, 30, 300, 3000, 30000)]
    assert values == sorted(values)


def test_out_of_domain_hurts_fine_tuning_most() -> None:
    wide = scores(out_of_domain_pct=40)
    ft, rag, hyb = (wide[s]["out_of_domain"].score for s in STRATEGIES)
    assert ft < hyb < rag
    assert "40%" in wide["fine_tuning"]["out_of_domain"].reason
    none = scores(out_of_domain_pct=0)
    assert all(none[s]["out_of_domain"].score == 100.0 for s in STRATEGIES)


def test_answers_missing_from_documents_hurt_rag() -> None:
    sparse = scores(answers_in_documents_pct=30)
    assert sparse["rag"]["answers_in_documents"].score == 30.0
    assert sparse["fine_tuning"]["answers_in_documents"].score > 60.0
    # The hybrid's tuned model covers what is not written down: it takes the better score.
    assert sparse["hybrid"]["answers_in_documents"].score == pytest.approx(
        sparse["fine_tuning"]["answers_in_documents"].score
    )


def test_fixed_style_favours_fine_tuning_and_is_neutral_when_not_needed() -> None:
    needed = scores(needs_fixed_style=True)
    assert needed["fine_tuning"]["fixed_style"].score == 100.0
    assert needed["hybrid"]["fixed_style"].score == 100.0
    assert needed["rag"]["fixed_style"].score < 50.0
    free = scores(needs_fixed_style=False)
    assert {free[s]["fixed_style"].score for s in STRATEGIES} == {100.0}


def test_fast_changing_facts_favour_retrieval() -> None:
    fast = scores(fact_change_interval_days=3)
    assert fast["fine_tuning"]["fact_change"].score < 15
    assert "Ovadia" in fast["fine_tuning"]["fact_change"].reason
    assert fast["rag"]["fact_change"].score == 100.0
    assert fast["hybrid"]["fact_change"].score == 100.0
    stable = scores(fact_change_interval_days=400)
    assert stable["fine_tuning"]["fact_change"].score == 100.0
    monthly = scores(fact_change_interval_days=30)["fine_tuning"]["fact_change"].score
    assert fast["fine_tuning"]["fact_change"].score < monthly < 100.0


@pytest.mark.parametrize(("variety", "favoured"), [("narrow", "fine_tuning"), ("broad", "rag")])
def test_query_variety(variety: str, favoured: str) -> None:
    by = scores(query_variety=variety)
    other = "rag" if favoured == "fine_tuning" else "fine_tuning"
    assert by[favoured]["query_variety"].score > by[other]["query_variety"].score
    assert variety in by[favoured]["query_variety"].reason


@pytest.mark.parametrize(
    "knowledge",
    [
        {},
        {"training_examples": 20, "out_of_domain_pct": 60, "query_variety": "broad"},
        {"training_examples": 50_000, "needs_fixed_style": True, "query_variety": "narrow"},
        {"fact_change_interval_days": 1, "answers_in_documents_pct": 10},
    ],
)
def test_hybrid_is_never_better_than_the_better_strategy(knowledge: dict[str, Any]) -> None:
    """Balaguer et al.: gains add up, but the hybrid is not magic."""
    by = scores(**knowledge)
    for key in INDICATORS:
        ft, rag, hyb = (by[s][key].score for s in STRATEGIES)
        assert min(ft, rag) <= hyb <= max(ft, rag), key


def test_fit_score_is_the_mean_and_names_strongest_and_weakest() -> None:
    by = scores(training_examples=50, fact_change_interval_days=3)
    indicators = list(by["fine_tuning"].values())
    score, reason = fit_score(indicators)
    assert score == pytest.approx(sum(i.score for i in indicators) / len(indicators))
    assert "Weakest: how fast facts change" in reason
    # The neutral style indicator (not needed) is not reported as the strongest.
    assert "Strongest: fixed style" not in reason


def test_fit_score_edge_cases() -> None:
    assert fit_score([]) == (100.0, "No fit indicators apply.")
    same = [FitIndicator(key=k, label=k, score=80.0, reason="Same.") for k in ("a", "b")]
    assert fit_score(same) == (80.0, "All 2 fit indicators score 80.")


def test_rag_fits_volatile_broad_questions_better_than_fine_tuning() -> None:
    scenario = Scenario.model_validate(
        {
            "knowledge": {
                "training_examples": 80,
                "fact_change_interval_days": 2,
                "query_variety": "broad",
            }
        }
    )
    ctx = Context(scenario, EMPTY_CATALOGS, "USD", 1.0)
    totals = {s: fit_score(fit_indicators(ctx, s))[0] for s in STRATEGIES}
    assert totals["rag"] > totals["hybrid"] > totals["fine_tuning"]
