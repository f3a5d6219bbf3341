"""Uncertainty: Monte Carlo over the ranges a consultant gives, a tornado of what
moves the decision, and flip points of key inputs.

How it stays fast and consistent: the cost, latency and freshness code is written with numpy
operations throughout, so it is run *once* on a scenario whose uncertain estimates hold a column
of N samples each (shape (N, 1)) instead of one number.  The same formulas that explain a figure
on screen thus price every sample — there is no second, simplified model to drift from the first.

Compliance verdicts and fit indicators do not depend on sampled numbers' exact values in ways the
consultant ranges (they are judged at the likely values); cost, latency and freshness scores, and
the weights themselves, are sampled.  The horizon is never sampled.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel

from engine import numbers as nf
from engine.context import prompt_tokens, v
from engine.costs import CostModel, cost_models, effective_retrain_interval
from engine.evaluate import context_for, default_volume_range
from engine.freshness import staleness_figures
from engine.latency import latency_figures, p95_figure
from engine.model.base import Estimate, field_meta
from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import CRITERIA, STRATEGIES, STRATEGY_NAMES, Scenario, TargetNeed
from engine.scoring import cost_score_values, freshness_score_value, latency_score_value

Array = NDArray[np.float64]
Path = tuple[str, ...]
Distribution = Literal["triangular", "pert"]

DEFAULT_SAMPLES = 5_000
SUBSAMPLE = 1_000  # bands and crossover distributions use the first 1,000 samples
NEVER_SAMPLED: frozenset[Path] = frozenset({("workload", "horizon_months")})
PERCENTILES = (10, 50, 90)


# --- which inputs are uncertain --------------------------------------------------------------


@dataclass(frozen=True)
class UncertainInput:
    path: Path
    label: str
    unit: str
    low: float
    likely: float
    high: float
    integer: bool


def _walk(model: BaseModel, path: Path = ()) -> Iterator[tuple[Path, Estimate, dict[str, Any]]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = (*path, name)
        if isinstance(value, Estimate):
            yield here, value, field_meta(type(model), name)
        elif isinstance(value, BaseModel):
            yield from _walk(value, here)


def _label(path: Path, meta: Mapping[str, Any]) -> str:
    base = str(meta.get("label") or path[-1].replace("_", " ").capitalize())
    if path[0] == "serving":
        return f"{base} ({STRATEGY_NAMES[path[1]]} serving)"
    if path[0] == "hybrid":
        return f"{base} (hybrid)"
    return base


def uncertain_inputs(scenario: Scenario) -> list[UncertainInput]:
    """Every estimate given as a range (low/high), in form order."""
    return list(_uncertain(scenario))


def has_uncertain_inputs(scenario: Scenario) -> bool:
    """Whether any estimate is given as a range: the walk stops at the first (the window asks
    on every keystroke whether there is anything to analyse)."""
    return any(True for _ in _uncertain(scenario))


def _uncertain(scenario: Scenario) -> Iterator[UncertainInput]:
    for path, est, meta in _walk(scenario):
        if not est.has_range or path in NEVER_SAMPLED:
            continue
        low = est.low if est.low is not None else est.likely
        high = est.high if est.high is not None else est.likely
        if high <= low:
            continue
        yield UncertainInput(path, _label(path, meta), str(meta.get("unit", "")), low,
                             est.likely, high, bool(meta.get("integer")))  # fmt: skip


def _estimate_at(scenario: Scenario, path: Path) -> Estimate:
    node: Any = scenario
    for name in path:
        node = getattr(node, name)
    assert isinstance(node, Estimate)
    return node


def with_samples(scenario: Scenario, values: Mapping[Path, Array]) -> Scenario:
    """The scenario with each estimate at ``path`` holding a (N, 1) column of values.

    Built with model_construct / model_copy (no validation: the values come from ranges that
    were validated against the field bounds).  Only the Monte Carlo pass sees such a scenario.
    """
    columns = {
        path: Estimate.model_construct(likely=np.reshape(column, (-1, 1)))  # type: ignore[arg-type]
        for path, column in values.items()
    }
    return with_estimates(scenario, columns)


def with_estimates(scenario: Scenario, values: Mapping[Path, Estimate]) -> Scenario:
    """The scenario with the estimate at each path replaced (model_copy, no validation)."""
    updates: dict[str, Any] = {}
    for path, estimate in values.items():
        node = updates
        for name in path[:-1]:
            node = node.setdefault(name, {})
        node[path[-1]] = estimate
    return _apply(scenario, updates)  # type: ignore[return-value]


def _apply(model: BaseModel, updates: Mapping[str, Any]) -> BaseModel:
    changes = {
        name: _apply(getattr(model, name), change) if isinstance(change, dict) else change
        for name, change in updates.items()
    }
    return model.model_copy(update=changes)


# --- sampling -------------------------------------------------------------------------------


def draw(
    inputs: list[UncertainInput], n: int, seed: int, distribution: Distribution
) -> dict[Path, Array]:
    """n samples of every uncertain input (independent), reproducible from the seed."""
    rng = np.random.default_rng(seed)
    out: dict[Path, Array] = {}
    for item in inputs:
        lo, mode, hi = item.low, item.likely, item.high
        if distribution == "pert":
            # PERT: Beta(α, β) on [lo, hi], α = 1 + 4 (mode − lo) ÷ (hi − lo),
            # β = 1 + 4 (hi − mode) ÷ (hi − lo) (Vose, Risk Analysis).
            alpha = 1 + 4 * (mode - lo) / (hi - lo)
            beta = 1 + 4 * (hi - mode) / (hi - lo)
            samples = lo + rng.beta(alpha, beta, size=n) * (hi - lo)
        else:
            samples = rng.triangular(lo, mode, hi, size=n)
        out[item.path] = samples
    return out


# --- one vectorised pass --------------------------------------------------------------------


@dataclass
class Outcomes:
    tco: dict[str, Array]
    totals: dict[str, Array]
    winner: NDArray[np.intp]  # index into STRATEGIES, −1 when every strategy is excluded
    models: dict[str, CostModel] = field(repr=False)


def outcomes(
    project: Project, scenario: Scenario, values: Mapping[Path, Array], base: Evaluation
) -> Outcomes:
    """Cost, scores and the recommended strategy for every sample row of ``values``."""
    n = len(next(iter(values.values()))) if values else 1
    sampled = with_samples(scenario, values)
    ctx = context_for(project, sampled)
    ctx = dataclasses.replace(ctx, sampled=True)
    models = cost_models(ctx)
    q0 = np.broadcast_to(np.asarray(v(sampled.workload.queries_per_month), dtype=float), (n, 1))
    tco = {k: np.broadcast_to(m.tco(q0), (n,)).copy() for k, m in models.items()}
    costs = cost_score_values(tco)
    req = sampled.requirements
    interval, _ = effective_retrain_interval(ctx)
    weights = {
        c: np.reshape(np.asarray(v(getattr(sampled.weights, c)), float), -1) for c in CRITERIA
    }
    weight_sum = np.asarray(sum(weights.values()), dtype=float)
    zero = weight_sum <= 0
    if np.any(zero):
        # Ranges that let every weight reach 0 at once: such a sample has no ranking of its
        # own, so it is scored with the likely weights (which the model keeps above zero)
        # instead of dividing by zero (NaN would reach the JSON and the charts).
        likely = scenario.weights.as_dict()
        weights = {c: np.where(zero, likely[c], weights[c]) for c in CRITERIA}
        weight_sum = np.where(zero, sum(likely.values()), weight_sum)
    totals: dict[str, Array] = {}
    for key in STRATEGIES:
        ttft, total = latency_figures(ctx, key, prompt_tokens(ctx, key), models[key].serving)
        p95 = p95_figure(ctx, key, total, models[key].serving)
        _, worst = staleness_figures(ctx, key, interval)
        fixed = base.strategies[key].scores
        score = {
            "cost": costs[key],
            "latency": latency_score_value(
                np.reshape(total.value, -1), np.reshape(ttft.value, -1),
                np.reshape(v(req.latency_target_s), -1), np.reshape(v(req.ttft_target_s), -1),
                np.reshape(p95.value, -1), np.reshape(v(req.latency_p95_target_s), -1),
                active=tuple(  # type: ignore[arg-type]
                    getattr(req, n) is not TargetNeed.off
                    for n in ("latency_need", "ttft_need", "latency_p95_need")
                ),
            ),
            "freshness": freshness_score_value(
                np.reshape(worst.value, -1), np.reshape(v(req.freshness_target_days), -1)
            ),
            "compliance": fixed["compliance"].value,
            "fit": fixed["fit"].value,
        }  # fmt: skip
        weighted = sum(weights[c] * np.asarray(score[c]) for c in CRITERIA) / weight_sum
        totals[key] = np.broadcast_to(weighted, (n,)).astype(float)
    stack = np.stack([totals[k] for k in STRATEGIES])
    excluded = np.array([base.strategies[k].excluded for k in STRATEGIES])
    stack = np.where(excluded[:, None], -np.inf, stack)
    winner = np.where(np.all(excluded), -1, np.argmax(stack, axis=0))
    return Outcomes(tco, totals, winner, models)


# Memory: the draws take 8 bytes × inputs × samples (≈ 560 MB for 70 ranged inputs at the
# CLI's maximum of 1,000,000 samples); the engine's intermediate arrays take ≈ 40 × that per
# row, so they are computed CHUNK_ROWS rows at a time (≈ 150 MB per chunk) and only the
# per-sample results (TCO, totals, winner: ≈ 56 bytes a sample) are kept.  Peak ≤ ~1 GB.
CHUNK_ROWS = 50_000


def _chunked_outcomes(
    project: Project, scenario: Scenario, values: Mapping[Path, Array], base: Evaluation
) -> Outcomes:
    n = len(next(iter(values.values()))) if values else 1
    if n <= CHUNK_ROWS:
        return outcomes(project, scenario, values, base)
    tco: dict[str, list[Array]] = {k: [] for k in STRATEGIES}
    totals: dict[str, list[Array]] = {k: [] for k in STRATEGIES}
    winners: list[NDArray[np.intp]] = []
    models: dict[str, CostModel] = {}
    for start in range(0, n, CHUNK_ROWS):
        part = outcomes(
            project,
            scenario,
            {p: column[start : start + CHUNK_ROWS] for p, column in values.items()},
            base,
        )
        for k in STRATEGIES:
            tco[k].append(part.tco[k])
            totals[k].append(part.totals[k])
        winners.append(part.winner)
        if not models:
            models = part.models
        del part
    return Outcomes(
        {k: np.concatenate(tco[k]) for k in STRATEGIES},
        {k: np.concatenate(totals[k]) for k in STRATEGIES},
        np.concatenate(winners),
        models,
    )


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TornadoBar:
    path: Path
    label: str
    unit: str
    low: float
    likely: float
    high: float
    margin_at_low: float  # recommended strategy's lead over the best alternative, points
    margin_at_high: float
    winner_at_low: str | None
    winner_at_high: str | None

    @property
    def swing(self) -> float:
        return abs(self.margin_at_high - self.margin_at_low)


@dataclass(frozen=True)
class InputFlip:
    path: Path
    label: str
    unit: str
    likely: float
    value: float
    new_winner: str
    description: str


@dataclass(frozen=True)
class Uncertainty:
    samples: int
    seed: int
    distribution: Distribution
    inputs: list[UncertainInput]
    p_win: dict[str, float]
    tco_percentiles: dict[str, dict[int, float]]
    crossover_percentiles: dict[str, dict[int, float]]  # "a|b" → percentile → volume
    crossover_share: dict[str, float]  # "a|b" → share of samples in which the curves cross
    band_volumes: Array
    bands: dict[str, tuple[Array, Array]]  # strategy → (P10, P90) of TCO at band_volumes
    band_likely: dict[str, Array]  # strategy → TCO at band_volumes with every input likely
    tornado: list[TornadoBar]
    flips: list[InputFlip]


def analyse(
    project: Project,
    scenario: Scenario,
    base: Evaluation,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    distribution: Distribution = "triangular",
    band_points: int = 30,
) -> Uncertainty:
    inputs = uncertain_inputs(scenario)
    values = draw(inputs, samples, seed, distribution)
    result = _chunked_outcomes(project, scenario, values, base)
    if inputs:
        wins = np.bincount(result.winner[result.winner >= 0], minlength=len(STRATEGIES))
        total = max(int(wins.sum()), 1)
        p_win = {k: float(wins[i]) / total for i, k in enumerate(STRATEGIES)}
    else:  # nothing uncertain: the deterministic answer with certainty
        p_win = {k: float(k == base.recommendation.strategy) for k in STRATEGIES}
    tco_pct = {
        k: {p: float(np.percentile(result.tco[k], p)) for p in PERCENTILES} for k in STRATEGIES
    }
    # Curves over volume (bands, crossovers) need every sample at many volumes: they use the
    # first SUBSAMPLE draws, which is plenty for percentiles.
    rows = min(samples, SUBSAMPLE) if inputs else 1
    subset = {path: column[:rows] for path, column in values.items()}
    models = outcomes(project, scenario, subset, base).models if inputs else result.models
    cross_pct, cross_share = _crossover_distribution(models, rows)
    band_volumes, bands = _bands(models, base, band_points, rows)
    likely_models = cost_models(context_for(project, scenario))
    band_likely = {k: likely_models[k].tco(band_volumes) for k in STRATEGIES}
    return Uncertainty(
        samples=samples if inputs else 0,
        seed=seed,
        distribution=distribution,
        inputs=inputs,
        p_win=p_win,
        tco_percentiles=tco_pct,
        crossover_percentiles=cross_pct,
        crossover_share=cross_share,
        band_volumes=band_volumes,
        bands=bands,
        band_likely=band_likely,
        tornado=tornado(project, scenario, base, inputs),
        flips=input_flips(project, scenario, base, inputs),
    )


def _tco_at(model: CostModel, volume: float, rows: int) -> Array:
    """Every sample's TCO at one base volume: shape (rows,)."""
    return np.broadcast_to(model.tco(np.full((rows, 1), volume)), (rows,))


def _bands(
    models: dict[str, CostModel], base: Evaluation, points: int, rows: int
) -> tuple[Array, dict[str, tuple[Array, Array]]]:
    """P10 and P90 of each strategy's TCO along the chart's volume axis."""
    lo, hi = default_volume_range(base.queries_per_month)  # the chart's own volume axis
    volumes = np.logspace(np.log10(lo), np.log10(hi), points)
    bands: dict[str, tuple[Array, Array]] = {}
    for key, model in models.items():
        matrix = np.stack([_tco_at(model, q, rows) for q in volumes], axis=1)
        bands[key] = (np.percentile(matrix, 10, axis=0), np.percentile(matrix, 90, axis=0))
    return volumes, bands


def _crossover_distribution(
    models: dict[str, CostModel], rows: int
) -> tuple[dict[str, dict[int, float]], dict[str, float]]:
    """The first crossing volume of each pair, sample by sample (a 10-per-decade grid with
    log-linear interpolation between grid points: ample for a distribution)."""
    grid = np.logspace(0, 13, 131)
    tco = {
        key: np.stack([_tco_at(model, q, rows) for q in grid], axis=1)
        for key, model in models.items()
    }  # (samples, grid)
    pct: dict[str, dict[int, float]] = {}
    share: dict[str, float] = {}
    for i, a in enumerate(STRATEGIES):
        for b in STRATEGIES[i + 1 :]:
            diff = tco[a] - tco[b]
            change = np.sign(diff[:, :-1]) * np.sign(diff[:, 1:]) < 0
            has = change.any(axis=1)
            first = np.argmax(change, axis=1)
            r = np.arange(len(first))
            d0, d1 = diff[r, first], diff[r, first + 1]
            t = np.divide(d0, d0 - d1, out=np.full_like(d0, 0.5), where=d1 != d0)
            logq = np.log10(grid[first]) + t * (np.log10(grid[first + 1]) - np.log10(grid[first]))
            volumes = 10.0 ** logq[has]
            key = f"{a}|{b}"
            share[key] = float(has.mean())
            if volumes.size:
                pct[key] = {p: float(np.percentile(volumes, p)) for p in PERCENTILES}
    return pct, share


def _margin(result: Outcomes, recommended: str, base: Evaluation) -> tuple[Array, list[str | None]]:
    """The recommended strategy's lead over the best alternative that is not excluded (as the
    recommendation's own margin is measured), per row; and each row's winner."""
    winners = [STRATEGIES[i] if i >= 0 else None for i in result.winner]
    others = [k for k in STRATEGIES if k != recommended and not base.strategies[k].excluded]
    best_other = np.max(np.stack([result.totals[k] for k in others]), axis=0)
    return result.totals[recommended] - best_other, winners


def _one_at_a_time(
    scenario: Scenario, inputs: list[UncertainInput], settings: list[tuple[int, float]]
) -> dict[Path, Array]:
    """Rows where input i takes value x and every other input stays at its likely value."""
    values: dict[Path, Array] = {}
    for j, item in enumerate(inputs):
        column = np.full(len(settings), _estimate_at(scenario, item.path).likely)
        for row, (i, x) in enumerate(settings):
            if i == j:
                column[row] = x
        values[item.path] = column
    return values


def tornado(
    project: Project, scenario: Scenario, base: Evaluation, inputs: list[UncertainInput]
) -> list[TornadoBar]:
    """Each input swung to its low and high (others at likely): how the lead of today's
    recommendation over the best alternative that is not excluded moves, largest swing
    first.  None when there is no such alternative (or no recommendation): no lead to move."""
    recommended = base.recommendation.strategy
    if not inputs or recommended is None or base.recommendation.runner_up is None:
        return []
    settings = [(i, x) for i, item in enumerate(inputs) for x in (item.low, item.high)]
    result = outcomes(project, scenario, _one_at_a_time(scenario, inputs, settings), base)
    margin, winners = _margin(result, recommended, base)
    bars = [
        TornadoBar(item.path, item.label, item.unit, item.low, item.likely, item.high,
                   float(margin[2 * i]), float(margin[2 * i + 1]), winners[2 * i],
                   winners[2 * i + 1])
        for i, item in enumerate(inputs)
    ]  # fmt: skip
    return sorted(bars, key=lambda b: -b.swing)


GRID = 48


def input_flips(
    project: Project, scenario: Scenario, base: Evaluation, inputs: list[UncertainInput]
) -> list[InputFlip]:
    """For each uncertain input, the value inside its range at which the recommendation
    changes (others at likely): a grid over the range, then a finer grid around the change."""
    current = base.recommendation.strategy
    if not inputs or current is None:
        return []
    brackets: dict[int, tuple[float, float]] = {}
    for i, item in enumerate(inputs):
        brackets[i] = (item.low, item.high)
    found: dict[int, tuple[float, str]] = {}
    for _round in range(3):  # each round narrows the bracket GRID-fold
        settings = [
            (i, float(x)) for i, (lo, hi) in brackets.items() for x in np.linspace(lo, hi, GRID)
        ]
        if not settings:
            break
        result = outcomes(project, scenario, _one_at_a_time(scenario, inputs, settings), base)
        winners = [STRATEGIES[w] if w >= 0 else None for w in result.winner]
        next_brackets: dict[int, tuple[float, float]] = {}
        for k, i in enumerate(brackets):
            xs = [x for (j, x) in settings if j == i]
            ws = winners[k * GRID : (k + 1) * GRID]
            item = inputs[i]
            # The change nearest the likely value, on either side.
            best: tuple[float, float, str] | None = None
            for g in range(GRID - 1):
                if ws[g] != ws[g + 1] and current in (ws[g], ws[g + 1]):
                    new = ws[g + 1] if ws[g] == current else ws[g]
                    if new is None:
                        continue
                    mid = (xs[g] + xs[g + 1]) / 2
                    if best is None or abs(mid - item.likely) < abs(best[0] - item.likely):
                        best = (xs[g], xs[g + 1], new)
            if best is not None:
                next_brackets[i] = (best[0], best[1])
                found[i] = ((best[0] + best[1]) / 2, best[2])
            elif i in found:
                next_brackets[i] = brackets[i]
        brackets = next_brackets
    flips = []
    for i, (value, new) in sorted(found.items()):
        item = inputs[i]
        direction = "rose above" if value > item.likely else "fell below"
        flips.append(
            InputFlip(
                item.path, item.label, item.unit, item.likely, value, new,
                f"{STRATEGY_NAMES[new]} would be recommended if {item.label.lower()} "
                f"{direction} {nf.number(value)} {item.unit} (likely {nf.number(item.likely)}).",
            )
        )  # fmt: skip
    return flips


def uncertainty_json(u: Uncertainty) -> dict[str, Any]:
    """The `uncertainty` block of `ftrag eval --json --samples N --seed S`."""
    return {
        "samples": u.samples,
        "seed": u.seed,
        "distribution": u.distribution,
        "inputs": [
            {"path": ".".join(i.path), "label": i.label, "unit": i.unit, "low": i.low,
             "likely": i.likely, "high": i.high}
            for i in u.inputs
        ],
        "p_win": u.p_win,
        "tco_percentiles": {
            k: {f"p{p}": x for p, x in v.items()} for k, v in u.tco_percentiles.items()
        },
        "crossover_percentiles": {
            k: {f"p{p}": x for p, x in v.items()} for k, v in u.crossover_percentiles.items()
        },
        "crossover_share": u.crossover_share,
        "tornado": [
            {"path": ".".join(b.path), "label": b.label, "unit": b.unit, "low": b.low,
             "likely": b.likely, "high": b.high, "margin_at_low": b.margin_at_low,
             "margin_at_high": b.margin_at_high, "winner_at_low": b.winner_at_low,
             "winner_at_high": b.winner_at_high}
            for b in u.tornado
        ],
        "flip_points": [
            {"path": ".".join(f.path), "label": f.label, "unit": f.unit, "likely": f.likely,
             "value": f.value, "new_winner": f.new_winner, "description": f.description}
            for f in u.flips
        ],
    }  # fmt: skip
