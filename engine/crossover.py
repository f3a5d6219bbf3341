"""Crossovers and payback (SPEC §3.2).

Self-hosted serving makes cost a step function of volume, so crossovers are found numerically,
all of them: the TCO difference of each pair is sampled on a fine log grid of monthly volumes
(1 to 10¹³ queries/month, 100 points per decade), every sign change is bracketed, and each bracket
is narrowed by false position with the Illinois modification (exact in one step where both
curves are straight, robust at a step).  Two crossings closer together than one grid step (2.3 %
in volume) would be missed; the grid is fine enough that this does not happen with real inputs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from engine import numbers as nf
from engine.costs import CostModel
from engine.model.results import Crossover, Payback
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES

Array = NDArray[np.float64]

GRID_MIN, GRID_MAX, PER_DECADE = 1.0, 1e13, 100
GRID: Array = np.logspace(
    np.log10(GRID_MIN), np.log10(GRID_MAX), int(np.log10(GRID_MAX / GRID_MIN) * PER_DECADE) + 1
)
ITERATIONS = 12
SECTIONS = 32
RELATIVE_TOLERANCE = 1e-10


def _pairs() -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(STRATEGIES) for b in STRATEGIES[i + 1 :]]


def _fill_zeros_from_next(sign: Array) -> Array:
    """Exact ties on the grid take the sign of the next non-tied point (vectorised)."""
    n = len(sign)
    index = np.where(sign != 0, np.arange(n), n)
    following = np.minimum.accumulate(index[::-1])[::-1]
    padded = np.append(sign, 0.0)
    filled: Array = padded[following]
    return filled


def find_crossovers(models: dict[str, CostModel], grid: Array = GRID) -> list[Crossover]:
    tco = {key: model.tco(grid) for key, model in models.items()}
    brackets: list[tuple[str, str, int]] = []
    for a, b in _pairs():
        sign = _fill_zeros_from_next(np.sign(tco[a] - tco[b]))
        brackets += [(a, b, int(i)) for i in np.nonzero(sign[:-1] * sign[1:] < 0)[0]]
    if not brackets:
        return []
    idx = np.array([i for _, _, i in brackets])
    pair_a = [a for a, _, _ in brackets]
    pair_b = [b for _, b, _ in brackets]
    roots = _refine(models, pair_a, pair_b, grid[idx], grid[idx + 1])
    found: list[Crossover] = []
    for (a, b, i), root in zip(brackets, roots, strict=True):
        cheaper_above = a if tco[a][i + 1] < tco[b][i + 1] else b
        other = b if cheaper_above == a else a
        found.append(
            Crossover(
                between=(a, b),
                queries_per_month=float(root),
                cheaper_above=cheaper_above,
                label=f"{STRATEGY_NAMES[cheaper_above]} cheaper than "
                f"{STRATEGY_NAMES[other]} above {nf.count(root)} queries/month",
            )
        )
    found.sort(key=lambda c: c.queries_per_month)
    return found


def _difference_rows(
    models: dict[str, CostModel],
    pair_a: list[str],
    pair_b: list[str],
    x: Array,
    rows: NDArray[np.intp],
) -> Array:
    """TCO(a) − TCO(b) at each x, where row r of x belongs to bracket rows[r]."""
    stack = np.stack([models[k].tco(x) for k in STRATEGIES])
    ia = np.array([STRATEGIES.index(k) for k in pair_a])[rows]
    ib = np.array([STRATEGIES.index(k) for k in pair_b])[rows]
    cols = np.arange(len(x))
    result: Array = stack[ia, cols] - stack[ib, cols]
    return result


def _difference(
    models: dict[str, CostModel], pair_a: list[str], pair_b: list[str], x: Array
) -> tuple[Array, Array]:
    return _difference_rows(models, pair_a, pair_b, x, np.arange(len(x))), x


def _refine(
    models: dict[str, CostModel], pair_a: list[str], pair_b: list[str], lo: Array, hi: Array
) -> Array:
    """Shrink every bracket by k-section: sample K points inside each bracket at once and keep
    the sub-interval where the difference changes sign.  Numpy's per-call overhead dominates
    at these sizes, so K points cost about what one does: the brackets shrink 33× per round and
    reach a relative width of 1e-10 in six rounds, at a step as surely as on a straight line."""
    fractions = np.linspace(0.0, 1.0, SECTIONS + 2)
    f_lo = _difference(models, pair_a, pair_b, lo)[0]
    for _ in range(ITERATIONS):
        if np.all(hi - lo <= RELATIVE_TOLERANCE * hi):
            break
        x = lo[:, None] + (hi - lo)[:, None] * fractions[None, :]  # (brackets, K + 2)
        rows = np.repeat(np.arange(len(lo)), len(fractions))
        diff = _difference_rows(models, pair_a, pair_b, x.ravel(), rows).reshape(x.shape)
        diff[:, 0] = f_lo
        same = np.sign(diff[:, 1:]) == np.sign(f_lo)[:, None]
        j = np.argmin(same, axis=1)  # first sample whose sign differs from the low end
        exact = diff[np.arange(len(lo)), j + 1] == 0
        new_lo = x[np.arange(len(lo)), j]
        new_hi = x[np.arange(len(lo)), j + 1]
        lo = np.where(exact, new_hi, new_lo)
        hi = new_hi
        f_lo = np.where(exact, 0.0, diff[np.arange(len(lo)), j])
    return (lo + hi) / 2


def paybacks(models: dict[str, CostModel], q0: float) -> list[Payback]:
    """When each strategy's extra up-front spend is paid back against the cheapest up-front one."""
    cheapest = min(models, key=lambda k: models[k].one_time)
    base = models[cheapest].cumulative(q0)
    months = len(base)
    out: list[Payback] = []
    for key, model in models.items():
        if key == cheapest or model.one_time <= models[cheapest].one_time:
            continue
        cum = model.cumulative(q0)
        ahead = np.nonzero(cum <= base)[0]
        month = int(ahead[0]) + 1 if ahead.size else None
        name, other = STRATEGY_NAMES[key], STRATEGY_NAMES[cheapest]
        if month is None:
            label = (
                f"{name}'s extra up-front spend is not paid back against {other} within "
                f"{months} months at this volume"
            )
        else:
            label = f"{name}'s extra up-front spend is paid back against {other} in month {month}"
        out.append(Payback(strategy=key, versus=cheapest, month=month, label=label))
    return out
