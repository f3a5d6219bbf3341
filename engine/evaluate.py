"""evaluate(project, scenario) → Evaluation: the one entry point the GUI, CLI and report use.

Incremental, in three layers, each a pure function of part of the input set and kept by its
value for the last few input sets (:data:`CACHE_SIZE`):

- the *shape*: everything the scenario's month-1 volume does not change — the cost models
  (their cost functions, and their figures at the volume they were built at), crossovers,
  near-ties, the chart's curves, compliance, fit, freshness, an API's latency — keyed by the
  scenario without its name, description, weights, volume and latency targets (and by the
  project's prices, currency and date);
- the results at a volume and latency targets: the figures that read the volume
  (engine.costs, ``CostModel.at_volume``), totals, self-hosted latency, cost and latency
  scores, exclusions by a must latency target, paybacks — keyed by that, the volume and the
  targets;
- the weighted totals, the weight flip points and the recommendation, computed on every call.

So an edit of a weight, a name or a description re-computes only what the weights decide, a
volume edit re-computes what reads the volume, a latency target (or its need) re-judges the
same latency figures, an edit of one strategy's serving option builds that strategy's cost
model alone (each model is kept by the input set without the other strategies' serving
options), an undo finds the results it goes back to, and any other edit computes everything.
Kept results are never mutated afterwards (tests/engine/test_incremental.py checks edit
sequences against evaluations from scratch).
Keys are built per input section, the JSON of each section kept by identity (an edit replaces
only the sections it changes).
"""

from __future__ import annotations

import contextlib
import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel

from engine import numbers as nf
from engine import price_age
from engine.catalog import CatalogError, Catalogs, price_data_version, shipped_catalogs
from engine.compliance import compliance_score, compliance_verdicts, excluded_by_compliance
from engine.context import Context, prompt_tokens, v
from engine.costs import (
    CostModel,
    cost_model,
    effective_retrain_interval,
    growth_vector,
    stale_prices_note,
    summary_figures,
    tco_figure,
)
from engine.crossover import GRID, find_crossovers, find_tie_bands, paybacks
from engine.fit import all_fit_indicators, fit_score
from engine.freshness import staleness_figures
from engine.latency import latency_figures, p95_figure, reads_volume
from engine.model.project import Project
from engine.model.results import (
    ComplianceVerdict,
    Crossover,
    Evaluation,
    Figure,
    FitIndicator,
    Payback,
    PriceUsed,
    Score,
    StrategyResult,
    TieBand,
)
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES, Scenario
from engine.price_age import prices_of, project_date
from engine.regions import Offerings, offerings_for
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


CACHE_SIZE = 8  # input sets whose weight-independent results are kept
# Scenario fields that no result but the weighted ones reads.
_WEIGHTS_ONLY = {"name", "description", "weights", "own_weights", "reviewed"}
# The workload field that only the figures at the scenario's volume read (see _Shape).
_VOLUME = "queries_per_month"
# The requirements fields that only the latency targets' scores and exclusions read
# (engine.scoring.latency_targets): the latency figures they judge do not read them.
_TARGETS = frozenset(
    {
        "latency_target_s",
        "latency_need",
        "ttft_target_s",
        "ttft_need",
        "latency_p95_target_s",
        "latency_p95_need",
    }
)
# What each section's part of the shape's key leaves out (the results' key has it).
_LEFT_OUT = {"workload": frozenset({_VOLUME}), "requirements": _TARGETS}
_DUMPS_KEPT = 1024  # input sections whose JSON is kept (see _Cache.section_key)
_MODELS_KEPT = 3 * CACHE_SIZE  # strategies' cost models kept (see _Cache._models)


@dataclass(frozen=True)
class _Shape:
    """What one input set gives at any month-1 volume.

    The cost models' functions (cost against volume), and so the crossovers, the near-ties
    and the chart's curves, do not read the scenario's volume; neither do compliance, fit and
    freshness.  Only a few figures do (engine.costs, ``CostModel.at_volume``).  The models are
    kept with the figures of the volume they were built at, ``volume``."""

    volume: str  # repr of the month-1 volume the models' figures are at
    models: dict[str, CostModel]
    notes: dict[str, str]  # each total cost's stale-price note (engine.costs.stale_prices_note)
    summaries: dict[str, dict[str, Figure]]  # at ``volume`` (only the month-1 running cost moves)
    growth: list[float]  # each month's volume as a multiple of month 1's
    crossovers: list[Crossover]
    tie_bands: list[TieBand]
    prices_used: list[PriceUsed]
    warnings: list[str]
    latency: dict[str, _Latency]  # of strategies whose latency does not read the volume (APIs)
    # Their latency targets' scores and exclusions, by the targets' key (see _Cache.fixed).
    targeted: dict[str, dict[str, tuple[Score, list[str]]]]
    staleness: dict[str, tuple[Figure, Figure]]
    verdicts: dict[str, list[ComplianceVerdict]]
    indicators: dict[str, list[FitIndicator]]
    scores: dict[str, dict[str, Score]]  # freshness, compliance and fit
    excluded: dict[str, list[str]]  # by a hard compliance need
    curves: dict[tuple[int, float, float], Curves]  # (points, low, high) → the chart's curves


@dataclass(frozen=True)
class _Total:
    monthly_fixed: float  # month 1's running cost
    tco: Figure


@dataclass(frozen=True)
class _Fixed:
    """What one input set gives before the weights are applied."""

    shape: _Shape
    models: dict[str, CostModel]
    tco: dict[str, Figure]
    scores: dict[str, dict[str, Score]]
    excluded: dict[str, list[str]]
    partial: dict[str, dict[str, Any]]
    paybacks: list[Payback]
    figures: dict[str, dict[str, Figure]]


_Held = tuple[Catalogs, Catalogs, Offerings]  # what a cache entry's key names by id


def _held(ctx: Context, shipped: Catalogs) -> _Held:
    return (shipped, ctx.catalogs, ctx.offerings)


class _Cache:
    """The catalogs of a project's overrides, and for recent input sets the weight-independent
    results (keyed by the whole input set) and their shapes (keyed by the input set without
    the month-1 volume), by value.  Importing or removing price data replaces the shipped
    catalogs object (engine.price_import clears its cache), and an override edit builds new
    catalogs and offers; their identities are in every key, and each entry holds the objects
    its key names, so no id can be reused (and another override set's prices served) while
    the entry is kept."""

    def __init__(self) -> None:
        self.catalogs: OrderedDict[tuple[Any, ...], tuple[Catalogs, Offerings, Catalogs]] = (
            OrderedDict()
        )
        # Every entry holds the catalogs and offerings whose ids are in its key (shipped, with
        # the project's overrides, the regional offers), so no id is reused while it is kept.
        self.results: OrderedDict[tuple[Any, ...], tuple[_Fixed, _Held]] = OrderedDict()
        self.shapes: OrderedDict[tuple[Any, ...], tuple[_Shape, _Held]] = OrderedDict()
        self.models: OrderedDict[tuple[Any, ...], tuple[CostModel, _Held]] = OrderedDict()
        self.dumps: OrderedDict[tuple[int, frozenset[str], bool], tuple[BaseModel, str]] = (
            OrderedDict()
        )

    @staticmethod
    def _remember(
        store: OrderedDict[Any, Any], key: Any, value: Any, size: int = CACHE_SIZE
    ) -> None:
        store[key] = value
        if len(store) > size:
            store.popitem(last=False)

    @staticmethod
    def _touch(store: OrderedDict[Any, Any], key: Any) -> None:
        """Mark an entry just read as recently used.  The solver and the uncertainty and
        decision map workers evaluate on their own threads with this cache: another thread
        may have dropped the entry since it was read, which costs nothing but a recompute."""
        with contextlib.suppress(KeyError):
            store.move_to_end(key)

    def section_key(
        self, section: BaseModel, fields: frozenset[str] = frozenset(), only: bool = False
    ) -> str:
        """The JSON of an input section without ``fields`` (with only them when ``only``).
        Sections are frozen, and an edit replaces only the sections it changes, so the text is
        kept by identity: the entry holds the section, so its id cannot be reused meanwhile."""
        key = (id(section), fields, only)
        found = self.dumps.get(key)
        if found is not None and found[0] is section:
            return found[1]
        if only:
            text = section.model_dump_json(include=set(fields), warnings=False)
        else:
            text = section.model_dump_json(exclude=set(fields) or None, warnings=False)
        self._remember(self.dumps, key, (section, text), _DUMPS_KEPT)
        return text

    def context(self, project: Project, scenario: Scenario) -> Context:
        shipped = shipped_catalogs()
        key = (id(shipped), self.section_key(project.catalog_overrides))
        found = self.catalogs.get(key)
        if found is None:
            found = (
                shipped.with_overrides(project.catalog_overrides),
                offerings_for(project.catalog_overrides),
                shipped,
            )
            self._remember(self.catalogs, key, found)
        return Context(
            scenario=scenario,
            catalogs=found[0],
            currency=project.currency,
            usd_rate=project.usd_exchange_rate,
            price_date=project_date(project.quote_date),
            offerings=found[1],
        )

    def _inputs(self, ctx: Context, shipped: Catalogs) -> tuple[Any, ...]:
        """The input set without the scenario's weights, names, month-1 volume and latency
        targets."""
        key: list[Any] = [
            id(shipped),
            id(ctx.catalogs),
            id(ctx.offerings),
            ctx.currency,
            ctx.usd_rate,
            ctx.price_date,
        ]
        for name, value in ctx.scenario:
            if name in _WEIGHTS_ONLY or name == "serving":
                continue
            if isinstance(value, BaseModel):
                key.append(self.section_key(value, _LEFT_OUT.get(name, frozenset())))
            elif isinstance(value, dict):
                key.append(tuple(value.items()))
            else:
                key.append(value)
        # Last, each strategy's serving option (in STRATEGIES' order): a strategy's cost
        # model reads its own only (engine.costs.cost_model), see :meth:`_models`.
        serving = ctx.scenario.serving
        key += [self.section_key(serving.for_strategy(k)) for k in STRATEGIES]
        return tuple(key)

    def _models(
        self, ctx: Context, inputs: tuple[Any, ...], volume: str, shipped: Catalogs
    ) -> dict[str, CostModel]:
        """The cost models of an input set at a volume: each strategy's is kept by the input
        set without the other strategies' serving options, so an edit of one serving option
        (a price, a GPU, a mode) builds that strategy's model alone."""
        models = {}
        for strategy, key in self._model_keys(inputs, volume).items():
            found = self.models.get(key)
            if found is None:
                found = (cost_model(ctx, strategy), _held(ctx, shipped))
                self._remember(self.models, key, found, _MODELS_KEPT)
            else:
                self._touch(self.models, key)
            models[strategy] = found[0]
        return models

    def _keep_models(
        self,
        ctx: Context,
        inputs: tuple[Any, ...],
        volume: str,
        shipped: Catalogs,
        models: dict[str, CostModel],
    ) -> None:
        """Keep models moved to a volume (``CostModel.at_volume``: each is the model built
        there) as :meth:`_models` would have built them."""
        for strategy, key in self._model_keys(inputs, volume).items():
            kept = (models[strategy], _held(ctx, shipped))
            self._remember(self.models, key, kept, _MODELS_KEPT)

    @staticmethod
    def _model_keys(inputs: tuple[Any, ...], volume: str) -> dict[str, tuple[Any, ...]]:
        common = inputs[: -len(STRATEGIES)]
        return {
            strategy: (common, strategy, inputs[index - len(STRATEGIES)], volume)
            for index, strategy in enumerate(STRATEGIES)
        }

    def fixed(self, ctx: Context) -> _Fixed:
        shipped = shipped_catalogs()
        inputs = self._inputs(ctx, shipped)
        targets = self.section_key(ctx.scenario.requirements, _TARGETS, only=True)
        key = (inputs, repr(v(ctx.scenario.workload.queries_per_month)), targets)
        found = self.results.get(key)
        if found is not None:
            self._touch(self.results, key)
            return found[0]
        kept = self.shapes.get(inputs)
        if kept is None:
            models = self._models(ctx, inputs, key[1], shipped)
            notes = {k: stale_prices_note(ctx, m) for k, m in models.items()}
            tco = _tco_figures(ctx, models, notes)  # out of range: said before anything else
            shape = _shape(ctx, models, notes, tco)
            self._remember(self.shapes, inputs, (shape, _held(ctx, shipped)))
        else:
            self._touch(self.shapes, inputs)
            shape = kept[0]
            models = shape.models
            if key[1] != shape.volume:
                models = {k: m.at_volume(ctx) for k, m in models.items()}
                self._keep_models(ctx, inputs, key[1], shipped, models)
            tco = _tco_figures(ctx, models, shape.notes)
        fixed = _fixed(ctx, shape, models, tco, targets)
        self._remember(self.results, key, (fixed, _held(ctx, shipped)))
        return fixed

    def clear(self) -> None:
        self.catalogs.clear()
        self.results.clear()
        self.shapes.clear()
        self.models.clear()
        self.dumps.clear()
        price_age.forget()
        nf.forget()


_cache = _Cache()


def clear_cache() -> None:
    """Forget every kept result (the next evaluation computes everything)."""
    _cache.clear()


def context_for(project: Project, scenario: Scenario) -> Context:
    return _cache.context(project, scenario)


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
        fixed = _cache.fixed(ctx)
        evaluation = _weighted(ctx, fixed)
        lo, hi = volume_range or default_volume_range(v(scenario.workload.queries_per_month))
        curves_key = (points, lo, hi)
        curves = fixed.shape.curves.get(curves_key)
        if curves is None:
            curves = _curves(fixed.shape.models, points, lo, hi)
            fixed.shape.curves[curves_key] = curves
    except (CatalogError, ArithmeticError, OverflowError, ValueError) as exc:
        raise EvaluationError(f"scenario {scenario.name!r}: {exc}") from exc
    return evaluation, curves


@dataclass(frozen=True)
class _Latency:
    """One strategy's latency figures (the latency targets do not change them)."""

    ttft: Figure
    total: Figure
    p95: Figure


def _latency(ctx: Context, key: str, model: CostModel) -> _Latency:
    ttft, total = latency_figures(ctx, key, prompt_tokens(ctx, key), model.serving)
    return _Latency(ttft, total, p95_figure(ctx, key, total, model.serving))


def _targeted(ctx: Context, latency: _Latency) -> tuple[Score, list[str]]:
    """What the scenario's latency targets make of a strategy's latency: its latency score and
    the must targets it misses (each an exclusion)."""
    targets = latency_targets(
        latency.total.value, latency.ttft.value, latency.p95.value, ctx.scenario.requirements
    )
    return latency_target_score(targets), latency_exclusions(targets)


def _shape(
    ctx: Context, models: dict[str, CostModel], notes: dict[str, str], totals: dict[str, _Total]
) -> _Shape:
    """Everything the volume does not change, from the cost models built at ``ctx``'s (and
    their totals there)."""
    s = ctx.scenario
    retrain_interval, _ = effective_retrain_interval(ctx)
    req = s.requirements
    latency: dict[str, _Latency] = {}
    staleness: dict[str, tuple[Figure, Figure]] = {}
    verdicts: dict[str, list[ComplianceVerdict]] = {}
    indicators: dict[str, list[FitIndicator]] = {}
    scores: dict[str, dict[str, Score]] = {}
    excluded: dict[str, list[str]] = {}
    fitting = all_fit_indicators(ctx)
    for key in STRATEGIES:
        if not reads_volume(models[key].serving):
            latency[key] = _latency(ctx, key, models[key])
        average, worst = staleness_figures(ctx, key, retrain_interval)
        staleness[key] = (average, worst)
        verdicts[key] = compliance_verdicts(ctx, key)
        indicators[key] = fitting[key]
        comp_value, comp_reason = compliance_score(verdicts[key])
        fit_value, fit_reason = fit_score(indicators[key])
        scores[key] = {
            "freshness": freshness_score(worst.value, average.value, v(req.freshness_target_days)),
            "compliance": Score(criterion="compliance", value=comp_value, reason=comp_reason),
            "fit": Score(criterion="fit", value=fit_value, reason=fit_reason),
        }
        excluded[key] = excluded_by_compliance(verdicts[key])
    # A model kept across edits (_Cache._models) prices the crossover grid once.
    on_grid = {k: m.tco_kept(("grid",), GRID) for k, m in models.items()}
    crossovers, tie_bands = find_tie_bands(models, find_crossovers(models, GRID, on_grid))
    return _Shape(
        volume=repr(v(s.workload.queries_per_month)),
        models=models,
        notes=notes,
        summaries={k: summary_figures(ctx, m, totals[k].monthly_fixed) for k, m in models.items()},
        growth=[float(f) for f in growth_vector(ctx)],
        crossovers=crossovers,
        tie_bands=tie_bands,
        prices_used=_prices_used(ctx, models),
        warnings=sorted({w for m in models.values() for w in m.warnings}),
        latency=latency,
        targeted={},
        staleness=staleness,
        verdicts=verdicts,
        indicators=indicators,
        scores=scores,
        excluded=excluded,
        curves={},
    )


def _tco_figures(
    ctx: Context, models: dict[str, CostModel], notes: dict[str, str]
) -> dict[str, _Total]:
    """Each strategy's month-1 running cost and total cost at ``ctx``'s volume (``notes``: their
    stale-price notes); a total out of the range this tool prices is an error."""
    q0 = v(ctx.scenario.workload.queries_per_month)
    out = {}
    for key, model in models.items():
        monthly = model.monthly_fixed_at(q0)
        out[key] = _Total(monthly, tco_figure(ctx, model, monthly, notes[key]))
    for key, total in out.items():
        if total.tco.value > MAX_TCO:
            raise ArithmeticError(
                f"{STRATEGY_NAMES[key]}'s total cost comes to more than 10¹⁸ "
                f"{ctx.currency}: out of the range this tool prices sensibly — check the "
                "growth rate, horizon and volume"
            )
    return out


def _fixed(
    ctx: Context,
    shape: _Shape,
    models: dict[str, CostModel],
    totals: dict[str, _Total],
    targets: str,
) -> _Fixed:
    """The results at ``ctx``'s month-1 volume and latency targets (``targets``: their key): the
    shape of its input set with ``models`` (the shape's, at this volume) and their totals."""
    q0 = v(ctx.scenario.workload.queries_per_month)
    costs = cost_scores({k: t.tco.value for k, t in totals.items()}, ctx.money)
    targeted = shape.targeted.get(targets)
    if targeted is None:  # the strategies whose latency does not read the volume, judged once
        targeted = {k: _targeted(ctx, latency) for k, latency in shape.latency.items()}
        if len(shape.targeted) >= CACHE_SIZE:
            del shape.targeted[next(iter(shape.targeted))]  # the oldest
        shape.targeted[targets] = targeted
    partial: dict[str, dict[str, Any]] = {}
    scores: dict[str, dict[str, Score]] = {}
    excluded: dict[str, list[str]] = {}
    figures: dict[str, dict[str, Figure]] = {}
    for key in STRATEGIES:
        model, monthly = models[key], totals[key].monthly_fixed
        latency = shape.latency.get(key) or _latency(ctx, key, model)
        score, exclusions = targeted.get(key) or _targeted(ctx, latency)
        average, worst = shape.staleness[key]
        scores[key] = {"cost": costs[key], "latency": score, **shape.scores[key]}
        excluded[key] = shape.excluded[key] + exclusions
        partial[key] = {
            "ttft": latency.ttft,
            "total": latency.total,
            "average": average,
            "worst": worst,
            "verdicts": shape.verdicts[key],
            "indicators": shape.indicators[key],
            "components": model.results(),
            "monthly_fixed": monthly,
        }
        summaries = shape.summaries[key]
        if models is not shape.models:
            moved = summary_figures(ctx, model, monthly, keys=("monthly_fixed",))
            summaries = {**summaries, **moved}  # in place: the keys keep their order
        figures[key] = {**summaries, **model.figures, "latency_p95": latency.p95}
    return _Fixed(
        shape=shape,
        models=models,
        tco={k: t.tco for k, t in totals.items()},
        scores=scores,
        excluded=excluded,
        partial=partial,
        paybacks=paybacks(models, q0, [key for key in STRATEGIES if not excluded[key]]),
        figures=figures,
    )


def _weighted(ctx: Context, fixed: _Fixed) -> Evaluation:
    """The evaluation: the fixed results with the scenario's weights (and name) applied."""
    s = ctx.scenario
    q0 = v(s.workload.queries_per_month)
    weights = s.weights.as_dict()
    models, scores, excluded = fixed.models, fixed.scores, fixed.excluded
    flips = weight_flip_points(scores, weights, excluded)
    recommendation = recommend(
        scores,
        weights,
        excluded,
        fixed.shape.crossovers,
        q0,
        flips,
        fixed.shape.tie_bands,
        fixed.shape.growth,
        {k: t.value for k, t in fixed.tco.items()},
        ctx.money,
    )

    strategies = {}
    for key in STRATEGIES:
        model, p = models[key], fixed.partial[key]
        strategies[key] = StrategyResult(
            key=key,  # type: ignore[arg-type]
            name=STRATEGY_NAMES[key],
            components=p["components"],
            one_time=model.one_time,
            monthly_fixed=p["monthly_fixed"],
            per_query=model.per_query,
            retrains=int(model.retrain_count),
            tco=fixed.tco[key],
            latency_ttft=p["ttft"],
            latency_total=p["total"],
            staleness_average=p["average"],
            staleness_worst=p["worst"],
            compliance=p["verdicts"],
            fit=p["indicators"],
            scores=scores[key],
            total_score=weighted_total(scores[key], weights),
            excluded=bool(excluded[key]),
            exclusion_reasons=excluded[key],
            figures=fixed.figures[key],
            warnings=model.warnings,
        )
    return Evaluation(
        scenario=s.name,
        currency=ctx.currency,
        horizon_months=len(models["rag"].growth),
        queries_per_month=q0,
        strategies=strategies,
        crossovers=fixed.shape.crossovers,
        tie_bands=fixed.shape.tie_bands,
        paybacks=fixed.paybacks,
        flip_points=flips,
        recommendation=recommendation,
        price_data_version=price_data_version(),
        prices_used=fixed.shape.prices_used,
        price_date=ctx.price_date.isoformat() if ctx.price_date else "",
        warnings=fixed.shape.warnings,
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


def _curves(models: dict[str, CostModel], points: int, lo: float, hi: float) -> Curves:
    volumes = np.logspace(np.log10(lo), np.log10(hi), points) if points else np.zeros(0)
    return Curves(
        volumes=volumes,
        tco={k: m.tco_kept(("curve", points, lo, hi), volumes) for k, m in models.items()},
        horizon_months=len(models["rag"].growth),
    )
