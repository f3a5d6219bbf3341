"""evaluate(project, scenario) → Evaluation: the one entry point the GUI, CLI and report use."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.catalog import CatalogError, catalogs_for, price_data_version
from engine.compliance import compliance_score, compliance_verdicts, excluded_by_compliance
from engine.context import Context, prompt_tokens, v
from engine.costs import (
    CostModel,
    cost_models,
    effective_retrain_interval,
    summary_figures,
    tco_figure,
)
from engine.crossover import find_crossovers, find_tie_bands, paybacks
from engine.fit import fit_indicators, fit_score
from engine.freshness import staleness_figures
from engine.latency import latency_figures, p95_figure
from engine.model.project import Project
from engine.model.results import Evaluation, PriceUsed, Score, StrategyResult
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES, Scenario
from engine.price_age import prices_of, project_date
from engine.regions import offerings_for
from engine.scoring import (
    cost_scores,
    freshness_score,
    latency_exclusions,
    latency_target_score,
    latency_targets,
    recommend,
    weight_flip_points,
    weighted_total,
)

Array = NDArray[np.float64]


MAX_TCO = 1e18  # beyond this the inputs are a typo, not a plan: say so instead of printing it


class EvaluationError(ValueError):
    """The scenario cannot be evaluated (e.g. it names a catalog entry that does not exist)."""


def context_for(project: Project, scenario: Scenario) -> Context:
    return Context(
        scenario=scenario,
        catalogs=catalogs_for(project.catalog_overrides),
        currency=project.currency,
        usd_rate=project.usd_exchange_rate,
        price_date=project_date(project.quote_date),
        offerings=offerings_for(project.catalog_overrides),
    )


def evaluate(project: Project, scenario: Scenario | str | None = None) -> Evaluation:
    """The full evaluation of one scenario (the project's first when none is named)."""
    return evaluate_with_curves(project, scenario, points=0)[0]


def evaluate_with_curves(
    project: Project,
    scenario: Scenario | str | None = None,
    points: int = 500,
    volume_range: tuple[float, float] | None = None,
) -> tuple[Evaluation, Curves]:
    """The evaluation and the TCO curves for the chart, from one set of cost models."""
    if not isinstance(scenario, Scenario):
        scenario = project.scenario(scenario)
    ctx = context_for(project, scenario)
    try:
        models = cost_models(ctx)
        evaluation = _evaluate(ctx, models)
        curves = _curves(scenario, models, points, volume_range)
    except (CatalogError, ArithmeticError, OverflowError, ValueError) as exc:
        raise EvaluationError(f"scenario {scenario.name!r}: {exc}") from exc
    return evaluation, curves


def _evaluate(ctx: Context, models: dict[str, CostModel]) -> Evaluation:
    s = ctx.scenario
    q0 = v(s.workload.queries_per_month)
    tco = {k: tco_figure(ctx, m) for k, m in models.items()}
    for key, figure in tco.items():
        if figure.value > MAX_TCO:
            raise ArithmeticError(
                f"{STRATEGY_NAMES[key]}'s total cost comes to more than 10¹⁸ "
                f"{ctx.currency}: out of the range this tool prices sensibly — check the "
                "growth rate, horizon and volume"
            )
    costs = cost_scores({k: f.value for k, f in tco.items()}, ctx.money)
    retrain_interval, _ = effective_retrain_interval(ctx)
    req = s.requirements
    weights = s.weights.as_dict()

    partial: dict[str, dict[str, object]] = {}
    scores: dict[str, dict[str, Score]] = {}
    excluded: dict[str, list[str]] = {}
    for key in STRATEGIES:
        model = models[key]
        prompt = prompt_tokens(ctx, key)
        ttft, total = latency_figures(ctx, key, prompt, model.serving)
        p95 = p95_figure(ctx, key, total, model.serving)
        targets = latency_targets(total.value, ttft.value, p95.value, req)
        average, worst = staleness_figures(ctx, key, retrain_interval)
        verdicts = compliance_verdicts(ctx, key)
        indicators = fit_indicators(ctx, key)
        comp_value, comp_reason = compliance_score(verdicts)
        fit_value, fit_reason = fit_score(indicators)
        scores[key] = {
            "cost": costs[key],
            "latency": latency_target_score(targets),
            "freshness": freshness_score(worst.value, average.value, v(req.freshness_target_days)),
            "compliance": Score(criterion="compliance", value=comp_value, reason=comp_reason),
            "fit": Score(criterion="fit", value=fit_value, reason=fit_reason),
        }
        excluded[key] = excluded_by_compliance(verdicts) + latency_exclusions(targets)
        partial[key] = {
            "p95": p95,
            "ttft": ttft,
            "total": total,
            "average": average,
            "worst": worst,
            "verdicts": verdicts,
            "indicators": indicators,
        }

    crossovers, tie_bands = find_tie_bands(models, find_crossovers(models))
    flips = weight_flip_points(scores, weights, excluded)
    recommendation = recommend(scores, weights, excluded, crossovers, q0, flips, tie_bands)

    strategies = {}
    for key in STRATEGIES:
        model, p = models[key], partial[key]
        strategies[key] = StrategyResult(
            key=key,  # type: ignore[arg-type]
            name=STRATEGY_NAMES[key],
            components=model.results(),
            one_time=model.one_time,
            monthly_fixed=model.monthly_fixed_at(q0),
            per_query=model.per_query,
            retrains=int(model.retrain_count),
            tco=tco[key],
            latency_ttft=p["ttft"],  # type: ignore[arg-type]
            latency_total=p["total"],  # type: ignore[arg-type]
            staleness_average=p["average"],  # type: ignore[arg-type]
            staleness_worst=p["worst"],  # type: ignore[arg-type]
            compliance=p["verdicts"],  # type: ignore[arg-type]
            fit=p["indicators"],  # type: ignore[arg-type]
            scores=scores[key],
            total_score=weighted_total(scores[key], weights),
            excluded=bool(excluded[key]),
            exclusion_reasons=excluded[key],
            figures={**summary_figures(ctx, model), **model.figures, "latency_p95": p["p95"]},  # type: ignore[dict-item]
            warnings=model.warnings,
        )
    warnings = sorted({w for m in models.values() for w in m.warnings})
    return Evaluation(
        scenario=s.name,
        currency=ctx.currency,
        horizon_months=len(models["rag"].growth),
        queries_per_month=q0,
        strategies=strategies,
        crossovers=crossovers,
        tie_bands=tie_bands,
        paybacks=paybacks(models, q0),
        flip_points=flips,
        recommendation=recommendation,
        price_data_version=price_data_version(),
        prices_used=_prices_used(ctx, models),
        price_date=ctx.price_date.isoformat() if ctx.price_date else "",
        warnings=warnings,
        weights=weights,
    )


def _prices_used(ctx: Context, models: dict[str, CostModel]) -> list[PriceUsed]:
    """Each dated price the computed (not overridden) cost components rest on, once."""
    if ctx.price_date is None:
        return []
    seen: dict[tuple[str, str], PriceUsed] = {}
    for model in models.values():
        for component in model.components:
            if component.overridden:
                continue
            for price in prices_of(component.figure, ctx.price_date):
                seen.setdefault((price.source, price.as_of), price)
    return list(seen.values())


@dataclass(frozen=True)
class Curves:
    """TCO against base monthly volume for the three strategies (for the crossover chart)."""

    volumes: Array
    tco: dict[str, Array]
    horizon_months: int

    def per_month(self) -> dict[str, Array]:
        return {k: t / self.horizon_months for k, t in self.tco.items()}


def default_volume_range(q0: float) -> tuple[float, float]:
    """About three decades either side of today's volume, rounded to whole decades so the
    chart's axis stays put while a volume is typed, within 1 – 10¹³ queries/month."""
    lo = 10.0 ** round(math.log10(max(1.0, q0 / 1000.0)))
    hi = 10.0 ** round(math.log10(max(q0, 1.0) * 1000.0))
    return max(1.0, lo), min(1e13, hi)


def _curves(
    scenario: Scenario,
    models: dict[str, CostModel],
    points: int,
    volume_range: tuple[float, float] | None,
) -> Curves:
    lo, hi = volume_range or default_volume_range(v(scenario.workload.queries_per_month))
    volumes = np.logspace(np.log10(lo), np.log10(hi), points) if points else np.zeros(0)
    return Curves(
        volumes=volumes,
        tco={k: m.tco(volumes) for k, m in models.items()},
        horizon_months=len(models["rag"].growth),
    )
