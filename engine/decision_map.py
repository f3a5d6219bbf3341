"""The decision map: which strategy is recommended where, over any two numeric inputs.

A grid of ``nx × ny`` points spans two inputs of a scenario (say volume and document churn).
Every point is priced and scored in *one* vectorised pass — the Monte Carlo path of
:mod:`engine.uncertainty` (:func:`~engine.uncertainty.outcomes`) with the two inputs set to the
grid's columns instead of samples — so a 200 × 200 map is a batch of 40,000 rows, not a loop
(a very long horizon goes in a few batches, to bound memory).  Only the horizon, which sets the
arrays' length, is priced one value at a time.

Compliance verdicts and fit indicators are plain Python (they read a handful of numbers, e.g.
the retrain interval or the labelled examples).  They are judged exactly, point by point, but
only where they can differ: each judgement notes which of the two map inputs it *read*, and a
judgement that never read the y input holds for the whole column (the same code path runs for
every y), one that never read x for the whole row.  Compliance and fit are traced apart.  So a
map over inputs neither reads (volume, churn, prices, weights …) judges once; over inputs they
do, a line of judgements per axis, and single points only where one of them reads both inputs.
Where a judgement differs from today's, the totals move by its weight × the change.

Region boundaries come from the grid like contour lines: on every grid edge whose two ends are
recommended differently, the boundary crosses where the two strategies' totals meet (linear
interpolation of their difference, in the axis's own scale), and the crossings of each grid
square are joined (through the square's centre where three regions meet) into polylines.
"""

from __future__ import annotations

import difflib
import math
import threading
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel

from engine import numbers as nf
from engine.compliance import compliance_score, compliance_verdicts, excluded_by_compliance
from engine.context import Context
from engine.display import AUTO_LOG_RATIO
from engine.evaluate import (
    MAX_TCO,
    EvaluationError,
    context_for,
    default_volume_range,
    evaluate,
)
from engine.fit import all_fit_indicators, fit_score
from engine.model.base import Estimate, field_meta
from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES, Scenario
from engine.uncertainty import NEVER_SAMPLED, Outcomes, outcomes, with_estimates

Array = NDArray[np.float64]
Path = tuple[str, ...]

# The crossover chart's rules: its volume axis is always logarithmic, and its "Auto" cost axis
# turns logarithmic when the values span more than AUTO_LOG_RATIO (engine.display).
ALWAYS_LOG: frozenset[str] = frozenset({"workload.queries_per_month"})
DEFAULT_RESOLUTION = 100
# Grid points × months priced in one pass: a 200 × 200 map over a two-year horizon is one pass;
# a 50-year horizon goes in batches, so memory stays bounded (≈ 40 MB an array).
PASS_ELEMENTS = 5_000_000
MAX_RESOLUTION = 1000
NONE = -1  # no strategy qualifies (every one fails a hard requirement)
UNPRICED = -2  # the inputs there cannot be priced (e.g. a total beyond 10¹⁸, all weights 0)


class DecisionMapError(ValueError):
    """A map that cannot be drawn as asked (unknown field, empty range …): one line to show."""


# --- which inputs can be an axis -------------------------------------------------------------


@dataclass(frozen=True)
class MapField:
    """A numeric input of a scenario that can be an axis of the map."""

    path: str  # dotted, as the .ftrag file writes it: "workload.queries_per_month"
    label: str
    unit: str
    minimum: float
    maximum: float
    integer: bool
    today: float | None  # None: an optional input left empty (the catalog's figure is used)

    @property
    def parts(self) -> Path:
        return tuple(self.path.split("."))


def _is_estimate(annotation: Any) -> bool:
    if annotation is Estimate:
        return True
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return Estimate in typing.get_args(annotation)
    return False


def _walk_fields(model: BaseModel, prefix: Path = ()) -> Iterator[MapField]:
    from engine.uncertainty import _label  # the Sensitivity tab's labels, for the same inputs

    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = (*prefix, name)
        if _is_estimate(info.annotation):
            meta = field_meta(type(model), name)
            label = _label(path, meta)
            yield MapField(
                path=".".join(path),
                label=f"{label} weight" if path[0] == "weights" else label,
                unit=str(meta.get("unit", "")),
                minimum=float(meta.get("minimum", 0.0)),
                maximum=float(meta.get("maximum", 1e15)),
                integer=bool(meta.get("integer")),
                today=float(value.likely) if isinstance(value, Estimate) else None,
            )
        elif isinstance(value, BaseModel):
            yield from _walk_fields(value, path)


def map_fields(scenario: Scenario) -> list[MapField]:
    """Every numeric input of the scenario, in form order (optional ones included)."""
    return list(_walk_fields(scenario))


def find_field(scenario: Scenario, name: str) -> MapField:
    """The input at a dotted path, or a one-line error naming the closest paths."""
    fields = {f.path: f for f in map_fields(scenario)}
    if name in fields:
        return fields[name]
    close = difflib.get_close_matches(name, list(fields), n=3, cutoff=0.5)
    if not close:  # a bare field name ("queries_per_month") matches the paths ending in it
        close = [p for p in fields if p.endswith("." + name)][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else " (see 'ftrag schema')"
    raise DecisionMapError(f"unknown input {name!r}{hint}")


def default_span(field: MapField) -> tuple[float, float]:
    """A sensible range around today's value: the crossover chart's own axis for the volume
    (whole decades, about three either side), else ÷10 … ×10, within the field's bounds."""
    today = field.today if field.today is not None else field.minimum
    if field.path in ALWAYS_LOG:
        return default_volume_range(today)
    if today > 0:
        lo, hi = today / 10.0, today * 10.0
    else:  # today is zero (no growth, no lump sum): from zero to a modest amount
        lo, hi = field.minimum, 10.0 if "%" in field.unit or field.unit == "points" else 100.0
    lo, hi = max(field.minimum, lo), min(field.maximum, hi)
    if field.integer:
        lo, hi = math.ceil(lo), math.floor(hi)
    if hi <= lo:  # today sits at a bound: span the other way
        hi = min(field.maximum, max(lo * 10.0, lo + 1.0))
    return float(lo), float(hi)


# --- axes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    """What the caller asks for: an input, its range and (optionally) the scale."""

    field: str
    lo: float
    hi: float
    log: bool | None = None  # None: as the crossover chart chooses (see AUTO_LOG_RATIO)


@dataclass(frozen=True)
class MapAxis:
    """An axis as drawn: the input, the scale and the grid values."""

    field: MapField
    lo: float
    hi: float
    log: bool
    values: Array

    @property
    def path(self) -> str:
        return self.field.path

    def to_view(self, x: Array | float) -> Array:
        """Values in the axis's own scale (log10 on a log axis)."""
        arr = np.asarray(x, dtype=float)
        return np.log10(arr) if self.log else arr

    def from_view(self, u: Array | float) -> Array:
        arr = np.asarray(u, dtype=float)
        return np.power(10.0, arr) if self.log else arr


def auto_log(path: str, lo: float, hi: float) -> bool:
    if path in ALWAYS_LOG:
        return lo > 0
    return lo > 0 and hi / lo > AUTO_LOG_RATIO


def _resolve_axis(scenario: Scenario, axis: Axis, n: int, which: str) -> MapAxis:
    field = find_field(scenario, axis.field)
    lo, hi = float(axis.lo), float(axis.hi)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise DecisionMapError(f"{which} axis {field.path}: the range must be finite numbers")
    if hi <= lo:
        raise DecisionMapError(
            f"{which} axis {field.path}: the high end ({nf.number(hi)}) must be above the low "
            f"end ({nf.number(lo)})"
        )
    if lo < field.minimum or hi > field.maximum:
        raise DecisionMapError(
            f"{which} axis {field.path}: {nf.number(lo)} – {nf.number(hi)} is outside the "
            f"allowed range {nf.number(field.minimum)} – {nf.number(field.maximum)} {field.unit}"
        )
    if field.today is None:
        raise DecisionMapError(
            f"{which} axis {field.path}: the input is empty in this scenario (the catalog's "
            "figure is used); type a value for it first"
        )
    log = auto_log(field.path, lo, hi) if axis.log is None else bool(axis.log)
    if log and lo <= 0:
        raise DecisionMapError(
            f"{which} axis {field.path}: a logarithmic axis needs a low end above zero"
        )
    values = np.logspace(np.log10(lo), np.log10(hi), n) if log else np.linspace(lo, hi, n)
    if field.integer:
        values = np.round(values)
    values[0], values[-1] = (math.ceil(lo), math.floor(hi)) if field.integer else (lo, hi)
    return MapAxis(field, lo, hi, log, values.astype(float))


# --- compliance and fit, judged where they can differ -------------------------------------------


@dataclass(frozen=True)
class Judgement:
    """Compliance and fit of every strategy at one point (hard failures exclude)."""

    compliance: tuple[float, ...]  # per strategy, in STRATEGIES order
    fit: tuple[float, ...]
    exclusions: tuple[tuple[str, ...], ...]  # per strategy: one reason per hard failure
    requirements: tuple[tuple[str, ...], ...]  # per strategy: the hard requirements it fails

    @property
    def excluded(self) -> tuple[bool, ...]:
        return tuple(bool(r) for r in self.exclusions)


_probe_state = threading.local()


class _Probe(Estimate):
    """An estimate that notes when its value is read (which map inputs a judgement reads)."""

    def __getattribute__(self, name: str) -> Any:
        if name == "likely":
            watched: dict[int, str] | None = getattr(_probe_state, "watched", None)
            if watched is not None and id(self) in watched:
                _probe_state.seen.add(watched[id(self)])
        return super().__getattribute__(name)


Part = tuple[Any, ...]
Judge = Callable[[Context], Part]


def _compliance_part(ctx: Context) -> Part:
    """Per strategy: (compliance score, exclusion reasons, hard requirements failed)."""
    out = []
    for key in STRATEGIES:
        verdicts = compliance_verdicts(ctx, key)
        failed = tuple(c.requirement for c in verdicts if c.need == "hard" and c.verdict == "fails")
        out.append((compliance_score(verdicts)[0], tuple(excluded_by_compliance(verdicts)), failed))
    return tuple(out)


def _fit_part(ctx: Context) -> Part:
    indicators = all_fit_indicators(ctx)
    return tuple(fit_score(indicators[key])[0] for key in STRATEGIES)


def _judge(
    judge: Judge, ctx: Context, x: MapAxis, y: MapAxis, xv: float, yv: float
) -> tuple[Part, set[str]]:
    """One part of the judgement at (xv, yv), and which of "x" / "y" it read."""
    px = _Probe.model_construct(likely=float(xv))
    py = _Probe.model_construct(likely=float(yv))
    scenario = with_estimates(ctx.scenario, {x.field.parts: px, y.field.parts: py})
    _probe_state.watched = {id(px): "x", id(py): "y"}
    _probe_state.seen = set()
    try:
        part = judge(replace(ctx, scenario=scenario))
        seen = set(_probe_state.seen)
    finally:
        _probe_state.watched = None
    return part, seen


def _part_grid(
    judge: Judge, ctx: Context, x: MapAxis, y: MapAxis, check: Callable[[], None]
) -> tuple[list[Part], NDArray[np.intp]]:
    """The distinct values of one part and, per grid point (ny, nx), which one holds there.

    A part whose code path did not read y at (x_i, y_0) is the same all the way up column i
    (every y runs the very same code); likewise for rows.  Only points where both inputs were
    read are judged one by one."""
    nx, ny = len(x.values), len(y.values)
    found: dict[Part, int] = {}
    grid = np.full((ny, nx), -1, dtype=np.intp)

    def index(part: Part) -> int:
        return found.setdefault(part, len(found))

    x0, y0 = x.values[0], y.values[0]
    first, seen = _judge(judge, ctx, x, y, x0, y0)
    if not seen:  # neither input is read: one value holds everywhere
        grid[:] = index(first)
        return list(found), grid
    for i, xv in enumerate(x.values):  # along x at the first y
        check()
        part, seen = _judge(judge, ctx, x, y, xv, y0)
        if "y" not in seen:
            grid[:, i] = index(part)
        else:
            grid[0, i] = index(part)
    for k, yv in enumerate(y.values):  # along y at the first x
        check()
        part, seen = _judge(judge, ctx, x, y, x0, yv)
        if "x" not in seen:
            grid[k, :] = index(part)
        else:
            grid[k, 0] = index(part)
    for k, i in zip(*np.nonzero(grid < 0), strict=True):  # both inputs matter here
        check()
        grid[k, i] = index(_judge(judge, ctx, x, y, x.values[i], y.values[k])[0])
    return list(found), grid


def _judgements(
    ctx: Context, x: MapAxis, y: MapAxis, check: Callable[[], None]
) -> tuple[list[Judgement], NDArray[np.intp]]:
    """The distinct judgements and, per grid point (ny, nx), which one holds there.  Compliance
    and fit are traced apart: each reads its own inputs (the checklist the retrain interval, fit
    the labelled examples …), so a pair of inputs read by one each still goes by rows and
    columns."""
    comps, comp_grid = _part_grid(_compliance_part, ctx, x, y, check)
    fits, fit_grid = _part_grid(_fit_part, ctx, x, y, check)
    pairs, grid = np.unique(comp_grid * len(fits) + fit_grid, return_inverse=True)
    judgements = []
    for pair in pairs:
        comp, fit = comps[int(pair) // len(fits)], fits[int(pair) % len(fits)]
        judgements.append(
            Judgement(
                compliance=tuple(float(c[0]) for c in comp),
                fit=tuple(float(f) for f in fit),
                exclusions=tuple(c[1] for c in comp),
                requirements=tuple(c[2] for c in comp),
            )
        )
    return judgements, np.reshape(grid, comp_grid.shape).astype(np.intp)


# --- the map -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Boundary:
    """A line between two regions (labels: strategy ids, None for "none qualifies")."""

    between: tuple[str | None, str | None]
    points: Array  # (k, 2): x, y in the inputs' units


@dataclass(frozen=True)
class Cell:
    strategy: str | None
    runner_up: str | None
    margin: float  # points over the runner-up (100 when it is the only one that qualifies)
    totals: dict[str, float]
    tco: dict[str, float]
    excluded: dict[str, str]  # strategy → why it is excluded (one reason per hard failure)
    requirements: dict[str, tuple[str, ...]]  # strategy → the hard requirements it fails
    priced: bool


@dataclass(frozen=True)
class DecisionMap:
    x: MapAxis
    y: MapAxis
    winner: NDArray[np.intp]  # (ny, nx): index into STRATEGIES, NONE or UNPRICED
    runner_up: NDArray[np.intp]  # (ny, nx): index into STRATEGIES, or -1
    margin: Array  # (ny, nx): points of the winner over the runner-up; NaN where unpriced
    totals: dict[str, Array]  # strategy → (ny, nx) weighted totals
    tco: dict[str, Array]  # strategy → (ny, nx) total cost over the horizon
    judgements: list[Judgement]
    judgement: NDArray[np.intp]  # (ny, nx): index into judgements
    boundaries: list[Boundary]
    today: tuple[float, float]
    today_strategy: str | None
    unpriced_reason: str = ""
    currency: str = ""

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.y.values), len(self.x.values))

    def strategy_at(self, row: int, col: int) -> str | None:
        w = int(self.winner[row, col])
        return STRATEGIES[w] if w >= 0 else None

    def cell(self, row: int, col: int) -> Cell:
        """Everything known about one grid point (row: y index, col: x index)."""
        judgement = self.judgements[int(self.judgement[row, col])]
        r = int(self.runner_up[row, col])
        return Cell(
            strategy=self.strategy_at(row, col),
            runner_up=STRATEGIES[r] if r >= 0 else None,
            margin=float(self.margin[row, col]),
            totals={k: float(self.totals[k][row, col]) for k in STRATEGIES},
            tco={k: float(self.tco[k][row, col]) for k in STRATEGIES},
            excluded={
                k: "; ".join(why)
                for k, why in zip(STRATEGIES, judgement.exclusions, strict=True)
                if why
            },
            requirements={
                k: reqs for k, reqs in zip(STRATEGIES, judgement.requirements, strict=True) if reqs
            },
            priced=int(self.winner[row, col]) != UNPRICED,
        )

    def nearest(self, xv: float, yv: float) -> tuple[int, int]:
        """The grid point nearest to a point of the plane, as (row, col)."""
        col = int(np.argmin(np.abs(self.x.to_view(self.x.values) - self.x.to_view(xv))))
        row = int(np.argmin(np.abs(self.y.to_view(self.y.values) - self.y.to_view(yv))))
        return row, col


def _resolution(resolution: int | tuple[int, int]) -> tuple[int, int]:
    nx, ny = (resolution, resolution) if isinstance(resolution, int) else resolution
    for n in (nx, ny):
        if not 2 <= int(n) <= MAX_RESOLUTION:
            raise DecisionMapError(f"the resolution must be between 2 and {MAX_RESOLUTION}")
    return int(nx), int(ny)


def _no_check() -> None:
    return None


def decision_map(
    project: Project,
    scenario: Scenario | str | None,
    x: Axis,
    y: Axis,
    resolution: int | tuple[int, int] = DEFAULT_RESOLUTION,
    *,
    base: Evaluation | None = None,
    check: Callable[[], None] = _no_check,
) -> DecisionMap:
    """The recommended strategy at every point of an ``nx × ny`` grid over two inputs.

    ``base`` is the evaluation of the scenario as it stands (computed when not given);
    ``check`` is called between batches of work (the app's worker raises there to cancel).
    """
    if not isinstance(scenario, Scenario):
        scenario = project.scenario(scenario)
    nx, ny = _resolution(resolution)
    ax = _resolve_axis(scenario, x, nx, "x")
    ay = _resolve_axis(scenario, y, ny, "y")
    if ax.path == ay.path:
        raise DecisionMapError(f"both axes are {ax.path}: choose two different inputs")
    if base is None:
        base = evaluate(project, scenario)
    ctx = context_for(project, scenario)
    judgements, judgement = _judgements(ctx, ax, ay, check)
    check()
    totals, tco = _totals(project, scenario, ax, ay, base, check)
    totals = _rejudged(totals, scenario, ax, ay, base, judgements, judgement)
    excluded = np.array([j.excluded for j in judgements], dtype=bool)[judgement]  # (ny, nx, 3)
    stack = np.stack([totals[k] for k in STRATEGIES], axis=-1)  # (ny, nx, 3)
    priced = np.all(np.isfinite(stack), axis=-1) & np.all(
        np.stack([np.isfinite(t) & (t <= MAX_TCO) for t in tco.values()], axis=-1), axis=-1
    )
    ranked = np.where(excluded, -np.inf, stack)
    order = np.argsort(-ranked, axis=-1, kind="stable")  # ties: the order evaluate() ranks in
    first, second = order[..., 0], order[..., 1]
    top = np.take_along_axis(ranked, order[..., :2], axis=-1)
    has_first = np.isfinite(top[..., 0])
    has_second = np.isfinite(top[..., 1])
    winner = np.where(has_first, first, NONE)
    runner = np.where(has_second, second, -1)
    margin = np.where(has_second, top[..., 0] - top[..., 1], np.where(has_first, 100.0, 0.0))
    winner = np.where(priced, winner, UNPRICED)
    runner = np.where(priced, runner, -1)
    margin = np.where(priced, margin, np.nan)
    check()
    boundaries = _boundaries(ax, ay, winner, stack, excluded)
    today = (float(ax.field.today or 0.0), float(ay.field.today or 0.0))
    return DecisionMap(
        x=ax,
        y=ay,
        winner=winner.astype(np.intp),
        runner_up=runner.astype(np.intp),
        margin=margin,
        totals={k: stack[..., i] for i, k in enumerate(STRATEGIES)},
        tco=tco,
        judgements=judgements,
        judgement=judgement,
        boundaries=boundaries,
        today=today,
        today_strategy=base.recommendation.strategy,
        currency=base.currency,
        unpriced_reason="" if bool(priced.all()) else _unpriced_reason(),
    )


def _unpriced_reason() -> str:
    return (
        "Somewhere in this range the inputs cannot be priced (a total beyond 10¹⁸, or every "
        "criterion weighted zero): those points are left blank."
    )


def _totals(
    project: Project,
    scenario: Scenario,
    x: MapAxis,
    y: MapAxis,
    base: Evaluation,
    check: Callable[[], None],
) -> tuple[dict[str, Array], dict[str, Array]]:
    """Weighted totals and TCO of every strategy at every grid point, (ny, nx) each."""
    nx, ny = len(x.values), len(y.values)
    xs, ys = np.meshgrid(x.values, y.values)  # (ny, nx)
    fixed = [a for a in (x, y) if a.field.parts in NEVER_SAMPLED]
    if not fixed:  # the usual case: one pass over every grid point (in batches, see below)
        flat_x, flat_y = xs.ravel(), ys.ravel()
        totals = {k: np.empty(nx * ny) for k in STRATEGIES}
        tco = {k: np.empty(nx * ny) for k in STRATEGIES}
        rows = max(1_000, PASS_ELEMENTS // max(1, round(scenario.workload.horizon_months.likely)))
        for start in range(0, nx * ny, rows):
            check()
            part = slice(start, start + rows)
            values = {x.field.parts: flat_x[part], y.field.parts: flat_y[part]}
            result = _outcomes(project, scenario, values, base)
            for k in STRATEGIES:
                totals[k][part] = result.totals[k]
                tco[k][part] = result.tco[k]
        return (
            {k: np.reshape(t, (ny, nx)) for k, t in totals.items()},
            {k: np.reshape(t, (ny, nx)) for k, t in tco.items()},
        )
    # An input that sets array shapes (the horizon): one pass per distinct value of it.
    axis = fixed[0]
    other = y if axis is x else x
    totals = {k: np.full((ny, nx), np.nan) for k in STRATEGIES}
    tco = {k: np.full((ny, nx), np.nan) for k in STRATEGIES}
    grid = xs if axis is x else ys
    for value in np.unique(axis.values):
        check()
        at = with_estimates(scenario, {axis.field.parts: Estimate.model_construct(likely=value)})
        mask = grid == value
        result = _outcomes(project, at, {other.field.parts: (ys if axis is x else xs)[mask]}, base)
        for k in STRATEGIES:
            totals[k][mask] = result.totals[k]
            tco[k][mask] = result.tco[k]
    return totals, tco


def _outcomes(
    project: Project, scenario: Scenario, values: Mapping[Path, Array], base: Evaluation
) -> Outcomes:
    with np.errstate(all="ignore"):  # a point that cannot be priced is marked, not raised
        try:
            return outcomes(project, scenario, values, base)
        except (ArithmeticError, OverflowError, ValueError) as exc:
            raise EvaluationError(f"scenario {scenario.name!r}: {exc}") from exc


def _rejudged(
    totals: dict[str, Array],
    scenario: Scenario,
    x: MapAxis,
    y: MapAxis,
    base: Evaluation,
    judgements: list[Judgement],
    judgement: NDArray[np.intp],
) -> dict[str, Array]:
    """The vectorised pass scores compliance and fit as they are today; where the map's inputs
    change them, the totals move by each weight × the change (÷ the sum of the weights)."""
    today = [
        tuple(base.strategies[k].scores[c].value for k in STRATEGIES) for c in ("compliance", "fit")
    ]
    if all((j.compliance, j.fit) == tuple(today) for j in judgements):
        return totals
    xs, ys = np.meshgrid(x.values, y.values)
    on_axis = {x.field.parts: xs, y.field.parts: ys}
    weights = {
        c: on_axis.get(("weights", c), getattr(scenario.weights, c).likely)
        for c in ("cost", "latency", "freshness", "compliance", "fit")
    }
    weight_sum = sum(np.asarray(w, dtype=float) for w in weights.values())
    comp = np.array([j.compliance for j in judgements])[judgement]  # (ny, nx, 3)
    fit = np.array([j.fit for j in judgements])[judgement]
    out = {}
    for i, k in enumerate(STRATEGIES):
        shift = weights["compliance"] * (comp[..., i] - today[0][i]) + weights["fit"] * (
            fit[..., i] - today[1][i]
        )
        out[k] = totals[k] + shift / weight_sum
    return out


# --- boundaries ------------------------------------------------------------------------------


Node = tuple[str, int, int]  # ("h", row, col): edge col→col+1 on a row; ("v", …); ("c", …)


def _crossing(
    a: int,
    b: int,
    stack: Array,
    excluded: NDArray[np.bool_],
    p: tuple[int, int],
    q: tuple[int, int],
) -> float:
    """Where along the edge p → q (0 … 1) the two winners' totals meet; the middle when that
    cannot be told (an exclusion or "none qualifies" changes between the ends)."""  # fmt: skip
    if a < 0 or b < 0 or excluded[p][b] or excluded[q][a]:
        return 0.5
    dp = stack[p][a] - stack[p][b]
    dq = stack[q][a] - stack[q][b]
    if not (math.isfinite(dp) and math.isfinite(dq)) or dp == dq:
        return 0.5
    return float(min(1.0, max(0.0, dp / (dp - dq))))


def _boundaries(
    x: MapAxis, y: MapAxis, winner: NDArray[np.intp], stack: Array, excluded: NDArray[np.bool_]
) -> list[Boundary]:
    ux, uy = x.to_view(x.values), y.to_view(y.values)
    ny, nx = winner.shape
    points: dict[Node, tuple[float, float]] = {}
    pair_of: dict[Node, tuple[int, int]] = {}
    for r, c in zip(*np.nonzero(winner[:, :-1] != winner[:, 1:]), strict=True):
        a, b = int(winner[r, c]), int(winner[r, c + 1])
        t = _crossing(a, b, stack, excluded, (r, c), (r, c + 1))
        points[("h", r, c)] = (ux[c] + t * (ux[c + 1] - ux[c]), uy[r])
        pair_of[("h", r, c)] = (min(a, b), max(a, b))
    for r, c in zip(*np.nonzero(winner[:-1, :] != winner[1:, :]), strict=True):
        a, b = int(winner[r, c]), int(winner[r + 1, c])
        t = _crossing(a, b, stack, excluded, (r, c), (r + 1, c))
        points[("v", r, c)] = (ux[c], uy[r] + t * (uy[r + 1] - uy[r]))
        pair_of[("v", r, c)] = (min(a, b), max(a, b))
    # Segments per grid square: two crossings are joined directly; three or four (where three
    # regions meet, or a saddle) meet at the square's centre.
    edges: dict[tuple[int, int], list[tuple[Node, Node]]] = {}
    squares = {(n[1], n[2]) for n in points if n[0] == "h"} | {
        (n[1], n[2]) for n in points if n[0] == "v"
    }
    candidates = set()
    for r, c in squares:
        for dr, dc in ((0, 0), (-1, 0), (0, -1)):
            if 0 <= r + dr < ny - 1 and 0 <= c + dc < nx - 1:
                candidates.add((r + dr, c + dc))
    for r, c in sorted(candidates):
        around = [
            n for n in (("h", r, c), ("v", r, c + 1), ("h", r + 1, c), ("v", r, c)) if n in points
        ]
        if len(around) == 2:
            first, last = around
            if pair_of[first] == pair_of[last]:
                edges.setdefault(pair_of[first], []).append((first, last))
                continue
        if len(around) >= 2:
            centre: Node = ("c", r, c)
            points[centre] = (float(np.mean([points[n][0] for n in around])),
                              float(np.mean([points[n][1] for n in around])))  # fmt: skip
            for n in around:
                edges.setdefault(pair_of[n], []).append((n, centre))
    out = []
    for pair, segments in sorted(edges.items()):
        for chain in _chains(segments):
            u = np.array([points[n] for n in chain], dtype=float)
            xy = np.column_stack([x.from_view(u[:, 0]), y.from_view(u[:, 1])])
            out.append(Boundary((_label(pair[0]), _label(pair[1])), xy))
    return out


def _label(index: int) -> str | None:
    return STRATEGIES[index] if index >= 0 else None


def _chains(segments: Sequence[tuple[Node, Node]]) -> list[list[Node]]:
    """Segments joined end to end into polylines (breaking where more than two meet)."""
    links: dict[Node, list[Node]] = {}
    for a, b in segments:
        links.setdefault(a, []).append(b)
        links.setdefault(b, []).append(a)
    used: set[frozenset[Node]] = set()
    chains: list[list[Node]] = []

    def walk(start: Node, nxt: Node) -> list[Node]:
        chain = [start]
        prev, cur = start, nxt
        used.add(frozenset((prev, cur)))
        while True:
            chain.append(cur)
            if len(links[cur]) != 2:
                return chain
            following = [n for n in links[cur] if frozenset((cur, n)) not in used]
            if not following:
                return chain
            prev, cur = cur, following[0]
            used.add(frozenset((prev, cur)))

    ends = [n for n, ns in links.items() if len(ns) != 2]
    for start in sorted(ends):
        for nxt in links[start]:
            if frozenset((start, nxt)) not in used:
                chains.append(walk(start, nxt))
    for start in sorted(links):  # closed loops
        for nxt in links[start]:
            if frozenset((start, nxt)) not in used:
                chains.append(walk(start, nxt))
    return chains


# --- summaries and the CLI's shapes --------------------------------------------------------------


def cell_json(m: DecisionMap, row: int, col: int) -> dict[str, Any]:
    cell = m.cell(row, col)
    out: dict[str, Any] = {
        "strategy": cell.strategy,
        "margin": None if not cell.priced else round(cell.margin, 6),
        "excluded": cell.excluded,
    }
    if not cell.priced:
        out["unpriced"] = True
    return out


def _axis_json(axis: MapAxis) -> dict[str, Any]:
    return {
        "field": axis.path,
        "label": axis.field.label,
        "unit": axis.field.unit,
        "log": axis.log,
        "today": axis.field.today,
        "values": [float(v) for v in axis.values],
    }


def decision_map_json(m: DecisionMap) -> dict[str, Any]:
    """The shape `ftrag map --json` prints (docs/cli-json.md)."""
    ny, nx = m.shape
    return {
        "x": _axis_json(m.x),
        "y": _axis_json(m.y),
        "today": {"x": m.today[0], "y": m.today[1], "strategy": m.today_strategy},
        "cells": [[cell_json(m, r, c) for c in range(nx)] for r in range(ny)],
        "boundaries": [
            {"between": list(b.between), "points": [[float(p), float(q)] for p, q in b.points]}
            for b in m.boundaries
        ],
    }


def describe_cell(m: DecisionMap, row: int, col: int) -> str:
    """One line for a point of the map: "RAG by 12.3 points; Fine-tuning excluded: …"."""
    cell = m.cell(row, col)
    if not cell.priced:
        return "cannot be priced here"
    if cell.strategy is None:
        lead = "no strategy qualifies"
    elif cell.runner_up is None:
        lead = f"{STRATEGY_NAMES[cell.strategy]}, the only one that qualifies"
    else:
        lead = (
            f"{STRATEGY_NAMES[cell.strategy]} by {nf.fixed(cell.margin, 1)} points over "
            f"{STRATEGY_NAMES[cell.runner_up]}"
        )
    parts = [lead]
    for key, reqs in cell.requirements.items():
        parts.append(f"{STRATEGY_NAMES[key]} excluded: {'; '.join(r.lower() for r in reqs)}")
    return "; ".join(parts)


def describe_strategies(m: DecisionMap, row: int, col: int) -> str:
    """Every strategy at one point, best first: its total score and cost (what the project
    would look like there, without changing it)."""
    cell = m.cell(row, col)
    if not cell.priced:
        return "cannot be priced here"
    parts = []
    for key in sorted(STRATEGIES, key=lambda k: -cell.totals[k]):
        said = (
            f"{STRATEGY_NAMES[key]} {nf.fixed(cell.totals[key], 1)} points, "
            f"{nf.money(cell.tco[key], m.currency)} over the horizon"
        )
        parts.append(said + (" (excluded)" if key in cell.excluded else ""))
    return "; ".join(parts)


def _excluded_grid(m: DecisionMap) -> NDArray[np.bool_]:
    return np.array([j.excluded for j in m.judgements], dtype=bool)[m.judgement]


@dataclass(frozen=True)
class Change:
    """Where, moving along one axis from today, the recommendation changes."""

    axis: str  # "x" or "y"
    field: MapField
    value: float  # the input's value at the line (interpolated between grid points)
    direction: str  # "above" or "below"
    strategy: str | None  # recommended beyond the line (None: none qualifies)

    currency: str = ""

    @property
    def sentence(self) -> str:
        """ "Fine-tuning would win if queries per month rose above 210,000"."""
        unit = unit_text(self.field.unit, self.currency)
        label = self.field.label[0].lower() + self.field.label[1:]
        unit = f" {unit}" if unit and unit.split("/")[0].lower() not in label else ""
        verb = "rose above" if self.direction == "above" else "fell below"
        # The line is interpolated between grid points a few per cent apart: three significant
        # digits say what is known ("above 105,000", not "above 105,269").
        value = nf.approximate(self.value)
        if self.strategy is None:
            return f"no strategy would qualify if {label} {verb} {value}{unit}"
        return f"{STRATEGY_NAMES[self.strategy]} would win if {label} {verb} {value}{unit}"


def unit_text(unit: str, currency: str) -> str:
    """A field's unit as people read it ("money/hour" in the project's currency)."""
    return unit.replace("money", currency) if currency else unit


def changes_from_today(m: DecisionMap) -> list[Change]:
    """The nearest line on each side of today, along each axis (others at today's values);
    none when today lies outside the map."""
    (tx, ty), xs, ys = m.today, m.x.values, m.y.values
    if not (xs[0] <= tx <= xs[-1] and ys[0] <= ty <= ys[-1]):
        return []
    row, col = m.nearest(tx, ty)
    stack = np.stack([m.totals[k] for k in STRATEGIES], axis=-1)
    excluded = _excluded_grid(m)
    found: list[Change] = []
    for name, axis, line, index in (
        ("x", m.x, m.winner[row, :], col),
        ("y", m.y, m.winner[:, col], row),
    ):
        here = line[index]
        u = axis.to_view(axis.values)
        for step, direction in ((1, "above"), (-1, "below")):
            k = index
            while 0 <= k + step < len(line) and line[k + step] == here:
                k += step
            if not 0 <= k + step < len(line) or line[k + step] == UNPRICED or here == UNPRICED:
                continue
            a, b = int(here), int(line[k + step])
            p = (row, k) if name == "x" else (k, col)
            q = (row, k + step) if name == "x" else (k + step, col)
            t = _crossing(a, b, stack, excluded, p, q)
            value = float(axis.from_view(u[k] + t * (u[k + step] - u[k])))
            found.append(Change(name, axis.field, value, direction, _label(b), m.currency))
    return found


def decision_map_csv(m: DecisionMap) -> str:
    """One row per grid point: both inputs, the recommendation, its margin and exclusions."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([m.x.path, m.y.path, "strategy", "margin", "runner_up", "excluded"])
    ny, nx = m.shape
    for r in range(ny):
        for c in range(nx):
            cell = m.cell(r, c)
            writer.writerow(
                [
                    repr(float(m.x.values[c])),
                    repr(float(m.y.values[r])),
                    cell.strategy or "",
                    "" if not cell.priced else repr(round(cell.margin, 6)),
                    cell.runner_up or "",
                    "; ".join(f"{k}: {why}" for k, why in cell.excluded.items()),
                ]
            )
    return out.getvalue()


LETTERS = {"fine_tuning": "F", "rag": "R", "hybrid": "H"}


def decision_map_text(m: DecisionMap) -> str:
    """The map as text (top row: the y axis's high end), with a legend and today's point."""
    ny, nx = m.shape
    t_row, t_col = m.nearest(*m.today)
    lines = []
    for r in range(ny - 1, -1, -1):
        chars = []
        for c in range(nx):
            w = int(m.winner[r, c])
            ch = LETTERS[STRATEGIES[w]] if w >= 0 else "." if w == NONE else " "
            chars.append("*" if (r, c) == (t_row, t_col) else ch)
        label = nf.number(float(m.y.values[r])) if r in (0, ny - 1) else ""
        lines.append(f"{label:>12s} |{''.join(chars)}")
    lines.append(f"{'':12s} +{'-' * nx}")
    lo, hi = nf.number(float(m.x.values[0])), nf.number(float(m.x.values[-1]))
    lines.append(f"{'':13s}{lo}{hi:>{max(1, nx - len(lo))}s}")
    scale = {True: "log", False: "linear"}
    lines.append("")
    lines.append(f"across: {m.x.field.label} ({m.x.path}, {m.x.field.unit}, {scale[m.x.log]})")
    lines.append(f"up:     {m.y.field.label} ({m.y.path}, {m.y.field.unit}, {scale[m.y.log]})")
    legend = ", ".join(f"{LETTERS[k]} = {STRATEGY_NAMES[k]}" for k in STRATEGIES)
    lines.append(f"{legend}, . = none qualifies, * = today")
    lines.append(f"today: {describe_cell(m, t_row, t_col)}")
    for change in changes_from_today(m):
        lines.append(f"  {change.sentence}")
    if m.unpriced_reason:
        lines.append(m.unpriced_reason)
    return "\n".join(lines) + "\n"


# --- the map's default axes, and when it changes the story ------------------------------------

DEFAULT_X = "workload.queries_per_month"
DEFAULT_Y = "knowledge.corpus_change_pct_per_month"


def default_fields(fields: Sequence[MapField]) -> tuple[MapField, MapField]:
    """The inputs a map starts with (the Decision map tab and the report): monthly volume
    across and document churn up.  An input left empty cannot be an axis; the first numeric
    input that holds a value stands in for it."""
    usable = [f for f in fields if f.today is not None]
    chosen: list[MapField] = []
    for wanted in (DEFAULT_X, DEFAULT_Y):
        field = next((f for f in usable if f.path == wanted and f not in chosen), None)
        if field is None:
            field = next((f for f in usable if f not in chosen), None)
        if field is None:
            raise DecisionMapError("this scenario has fewer than two numeric inputs for a map")
        chosen.append(field)
    return chosen[0], chosen[1]


def default_axes(scenario: Scenario) -> tuple[Axis, Axis]:
    """:func:`default_fields` of the scenario, each over its :func:`default_span`."""
    x, y = default_fields(map_fields(scenario))
    return Axis(x.path, *default_span(x)), Axis(y.path, *default_span(y))


# Without a range of its own, an input is taken to be known within ±25 %: the width of a
# typical planning estimate of volume or churn, well inside a map's ÷10 … ×10 span.
PLAUSIBLE_SHARE = 0.25


def _estimate_at(scenario: Scenario, path: str) -> Estimate | None:
    value: Any = scenario
    for part in path.split("."):
        value = getattr(value, part, None)
    return value if isinstance(value, Estimate) else None


def plausible_range(scenario: Scenario, field: MapField) -> tuple[float, float]:
    """The values an input may plausibly take: its own low–high range when the scenario gives
    one (a missing end is today's value), else today ± :data:`PLAUSIBLE_SHARE`."""
    today = field.today if field.today is not None else 0.0
    estimate = _estimate_at(scenario, field.path)
    if estimate is not None and estimate.has_range:
        low = estimate.low if estimate.low is not None else today
        high = estimate.high if estimate.high is not None else today
        return float(low), float(high)
    spread = abs(today) * PLAUSIBLE_SHARE
    return today - spread, today + spread


def story_changes(m: DecisionMap, scenario: Scenario) -> list[Change]:
    """The lines that change the story: moving one input at a time from today (the nearest
    line on each side, along each axis: :func:`changes_from_today`), those that lie within the
    input's :func:`plausible_range`.  When there is one, the recommendation depends on a
    figure the client does not know exactly, and the client summary shows the map."""
    found = []
    for change in changes_from_today(m):
        low, high = plausible_range(scenario, change.field)
        if low <= change.value <= high:
            found.append(change)
    return found
