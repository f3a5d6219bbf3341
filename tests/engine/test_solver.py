"""The solver: the cheapest setup per strategy that meets every must, verified by the engine."""

from __future__ import annotations

import pytest

from engine.evaluate import evaluate
from engine.model import Project
from engine.model.base import Estimate
from engine.model.scenario import Requirements
from engine.solver import SolverCancelled, apply_candidate, solution_json, solve
from engine.templates import load_template


def _requirements(project: Project, **changes: object) -> Project:
    data = {name: getattr(project, name) for name in Project.model_fields}
    data["requirements"] = Requirements.model_validate({**dict(project.requirements), **changes})
    return Project.model_validate(data)


def test_insurer_case_gets_setups_that_meet_every_must_when_applied() -> None:
    project = load_template("eu-insurer-claims")
    assert evaluate(project).recommendation.strategy is None  # as entered, nothing qualifies
    solution = solve(project)
    assert solution.strategies["fine_tuning"].candidates == []
    assert "cite their sources" in solution.strategies["fine_tuning"].unmet[0]
    for key in ("rag", "hybrid"):
        found = solution.strategies[key].candidates
        assert found, solution.strategies[key].unmet
        assert [c.tco for c in found] == sorted(c.tco for c in found)
        for candidate in found:
            applied = apply_candidate(project.scenarios[0], candidate)
            result = evaluate(project, applied).strategies[key]
            assert not result.excluded, result.exclusion_reasons
            assert result.tco.value == pytest.approx(candidate.tco)
            assert result.figures["latency_p95"].value <= 3.0
            residency = next(c for c in result.compliance if c.item == "data_residency")
            assert residency.verdict == "meets"


def test_an_impossible_must_is_named_with_the_best_figure_reached() -> None:
    project = _requirements(
        load_template("eu-insurer-claims"), latency_p95_target_s=Estimate(likely=0.01)
    )
    rag = solve(project).strategies["rag"]
    assert rag.candidates == []
    assert "p95 full answer must of 0.01 s" in rag.unmet[0]
    assert "fastest:" in rag.unmet[0]


def test_the_best_setup_is_never_dearer_than_the_current_one_when_that_qualifies() -> None:
    project = load_template("support-assistant")  # no musts: the current RAG setup qualifies
    rag = solve(project).strategies["rag"]
    assert rag.current_meets
    assert rag.candidates[0].tco <= rag.current_tco + 1e-6


def test_own_infrastructure_only_allows_no_provider_api() -> None:
    base = load_template("support-assistant")
    project = _requirements(
        base,
        data_region="own",
        compliance={**dict(base.requirements.compliance), "data_residency": "hard"},
    )
    for candidate in solve(project).strategies["rag"].candidates:
        assert candidate.changes["serving.rag.mode"] == "self_hosted"


def test_a_stale_search_stops() -> None:
    with pytest.raises(SolverCancelled):
        solve(load_template("support-assistant"), should_stop=lambda: True)


def test_json_has_every_strategy_with_candidates_and_reasons() -> None:
    doc = solution_json(solve(load_template("eu-insurer-claims")))
    assert set(doc["strategies"]) == {"fine_tuning", "rag", "hybrid"}
    first = doc["strategies"]["rag"]["candidates"][0]
    for field in ("summary", "tco", "latency_p95_s", "hosted_in", "trades", "changes"):
        assert field in first


def test_trades_name_models_as_the_client_reads_them() -> None:
    """The trade-offs say "Llama 3.2 3B instead of OpenAI gpt 4o mini", never catalog ids,
    and a candidate that costs the same as the cheapest says so instead of "+EUR 0.00"."""
    import re

    solution = solve(load_template("eu-insurer-claims"))
    trades = [
        t for k in ("rag", "hybrid") for c in solution.strategies[k].candidates for t in c.trades
    ]
    model_trades = [t for t in trades if t.startswith("model ")]
    assert model_trades, trades
    for text in model_trades:
        named = re.match(r"model (.+) instead of (.+):", text)
        assert named, text
        for name in named.groups():
            assert ":" not in name and not re.fullmatch(r"[a-z0-9.\-]+", name), text
    assert not any(re.search(r"\+\D+ 0\.00 over", t) for t in trades), trades


def test_a_setup_that_changes_a_shared_field_says_so_and_agree_with_keeps_it() -> None:
    """RAG and hybrid share the retrieval: a hybrid setup that changes it says it also changes
    RAG's; searching with agree_with keeps RAG's retrieval as given."""
    project = load_template("eu-insurer-claims")
    rag = solve(project).strategies["rag"].candidates[0]
    retrieval = {p: v for p, v in rag.changes.items() if p.startswith("rag.")}
    assert retrieval
    hybrid = solve(project, only=("hybrid",)).strategies
    assert set(hybrid) == {"hybrid"}
    rag_now = project.scenarios[0].rag
    changing = [
        c
        for c in hybrid["hybrid"].candidates
        if any(
            p.startswith("rag.") and getattr(rag_now, p.split(".")[1]) != v
            for p, v in c.changes.items()
        )
    ]
    assert changing and all("also changes RAG's retrieval (shared)" in c.trades for c in changing)
    # 4-bit allowed: at 16 bits no hybrid keeping RAG's retrieval meets the p95 must here.
    kept = solve(project, agree_with=retrieval, only=("hybrid",), keep_precision=False)
    assert kept.strategies["hybrid"].candidates
    kept = kept.strategies["hybrid"]
    for candidate in kept.candidates:
        for path, value in retrieval.items():
            assert candidate.changes.get(path, value) == value


def test_the_search_keeps_the_weights_precision_unless_told() -> None:
    """Quantization trades answer quality, which is not scored: by default no setup stores
    weights in fewer bytes than the scenario's; 8-bit and 'any' widen it, and the notes and
    the JSON say which floor was in force."""
    from engine.solver import precisions

    project = load_template("eu-insurer-claims")
    assert project.scenarios[0].serving.rag.bytes_per_parameter.likely == 2.0

    def used(solution: object) -> set[float]:
        return {
            c.changes[f"serving.{k}.bytes_per_parameter"]
            for k, s in solution.strategies.items()  # type: ignore[attr-defined]
            for c in s.candidates
            if f"serving.{k}.bytes_per_parameter" in c.changes
        }

    kept = solve(project)
    assert used(kept) == {2.0}
    assert kept.strategies["rag"].fewest_bytes_per_weight == 2.0
    assert any("16-bit or more only" in n for n in kept.strategies["rag"].notes)
    assert "16-bit weights" in kept.strategies["rag"].candidates[0].summary
    eight = solve(project, keep_precision=False, min_bytes_per_weight=1.0)
    assert used(eight) <= {2.0, 1.0} and 1.0 in used(eight)
    wide = solve(project, keep_precision=False)
    assert 0.5 in used(wide)
    assert wide.strategies["rag"].fewest_bytes_per_weight == 0.0
    assert not any("bit or more only" in n for n in wide.strategies["rag"].notes)
    # Cheaper or equal, never dearer, as the search widens.
    for key in ("rag", "hybrid"):
        costs = [s.strategies[key].candidates[0].tco for s in (kept, eight, wide)]
        assert costs == sorted(costs, reverse=True)
    assert precisions(4.0) == (4.0,)  # a 32-bit scenario keeps its own precision
