"""Crossovers and payback.

Self-hosted serving makes cost a step function of volume, so crossovers are found numerically,
all of them: the TCO difference of each pair is sampled on a fine log grid of monthly volumes
(1 to 10¹³ queries/month, 100 points per decade), every sign change is bracketed, and each bracket
is narrowed by k-section (see `_refine`), exact at a step as on a straight line.

Between two grid points (2.3 % in volume) only the net change is seen.  Where the curves cross
several times inside one grid step (under growth, a self-hosted staircase of replica steps can
weave a few parts per million either side of a smooth curve), the pair is reported as crossing
once, at a real crossing inside that step, with the order that holds at the next grid point.
Where they cross and cross back inside one step, that excursion (narrower than 2.3 % of
volume) is not reported.

Near-ties (`find_tie_bands`): where two curves stay within ``TIE_TOLERANCE`` of each other
(relative to the larger TCO) from one of their crossings to the next, those crossings are one
weave, not several decisions, and are reported once as a :class:`TieBand` from the first
crossing to the last.  The crossings themselves stay in the result, marked ``in_tie_band``.

Why 2 % of the larger TCO: every input the totals rest on (volumes, token counts, GPU and API
prices, engineering hours) is an estimate whose low–high range spans tens of percent, so a 2 %
difference over the horizon is below what the inputs can resolve — neither strategy is cheaper
in any sense a budget can act on.  It has to be wider than the weave itself: one replica step
of a large self-hosted model (a 70B model on several H100s) comes to 1–2 % of the TCO at the
volumes where the replicas of two strategies step in turn, and a tighter band would cut one
weave into several.  It cannot swallow a genuine change of order: a band needs two crossings
or more with the curves inside the band all the way between them, and a single crossing —
however shallow — is always reported as a crossing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from engine import numbers as nf
from engine.costs import CostModel
from engine.model.results import Crossover, Payback, TieBand
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES

Array = NDArray[np.float64]

GRID_MIN, GRID_MAX, PER_DECADE = 1.0, 1e13, 100
GRID: Array = np.logspace(
    np.log10(GRID_MIN), np.log10(GRID_MAX), int(np.log10(GRID_MAX / GRID_MIN) * PER_DECADE) + 1
)
ITERATIONS = 12
SECTIONS = 128
RELATIVE_TOLERANCE = 1e-10
TIE_TOLERANCE = 0.02  # a near-tie: within 2 % of the larger TCO (see the module docstring)
TIE_SAMPLES = 64  # points between two neighbouring crossings at which the gap is measured


def _pairs() -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(STRATEGIES) for b in STRATEGIES[i + 1 :]]


def _fill_zeros_from_next(sign: Array) -> Array:
    """Exact ties take the sign of the next non-tied point along the last axis (vectorised).

    A tie is transparent: curves that touch and part the way they came have not crossed, and
    curves that meet and part the other way cross where they meet."""
    if sign.all():  # no ties: the usual case
        return sign
    n = sign.shape[-1]
    index = np.where(sign != 0, np.arange(n), n)
    following = np.flip(np.minimum.accumulate(np.flip(index, -1), axis=-1), -1)
    padded = np.concatenate([sign, np.zeros((*sign.shape[:-1], 1))], axis=-1)
    filled: Array = np.take_along_axis(padded, following, axis=-1)
    return filled


def find_crossovers(
    models: dict[str, CostModel], grid: Array = GRID, priced: dict[str, Array] | None = None
) -> list[Crossover]:
    """Every crossing of two models' TCO curves (``priced``: their TCO on ``grid``, when
    known)."""
    tco = priced or {key: model.tco(grid) for key, model in models.items()}
    brackets: list[tuple[str, str, int, float]] = []
    for a, b in _pairs():
        sign = _fill_zeros_from_next(np.sign(tco[a] - tco[b]))
        brackets += [
            (a, b, int(i), float(sign[i])) for i in np.nonzero(sign[:-1] * sign[1:] < 0)[0]
        ]
    if not brackets:
        return []
    idx = np.array([i for _, _, i, _ in brackets])
    pair_a = [a for a, _, _, _ in brackets]
    pair_b = [b for _, b, _, _ in brackets]
    s_lo = np.array([s for _, _, _, s in brackets])
    roots = _refine(models, pair_a, pair_b, grid[idx], grid[idx + 1], s_lo)
    found: list[Crossover] = []
    for (a, b, _, below), root in zip(brackets, roots, strict=True):
        # Below the crossing a − b has the sign `below`; above it, the other.
        cheaper_above = a if below > 0 else b
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


def find_tie_bands(
    models: dict[str, CostModel],
    crossovers: list[Crossover],
    tolerance: float = TIE_TOLERANCE,
) -> tuple[list[Crossover], list[TieBand]]:
    """Group crossings into near-ties.  Two neighbouring crossings of a pair belong to one
    weave when the curves stay within ``tolerance`` × the larger TCO everywhere between them
    (measured at TIE_SAMPLES log-spaced volumes); a weave needs two crossings or more.  Weaves
    of different pairs that overlap in volume are one tie among all their strategies (three
    curves weaving round each other are said once, not as three pairs), and a lone crossing of
    two of its strategies inside it is part of it.

    Returns the crossovers (those inside a band marked ``in_tie_band``, volumes unchanged) and
    the bands, both sorted by volume."""
    by_pair: dict[tuple[str, str], list[int]] = {}
    for index, crossover in enumerate(crossovers):
        by_pair.setdefault(crossover.between, []).append(index)
    segments = [(pair, i, j) for pair, idx in by_pair.items() for i, j in pairwise(idx)]
    if not segments:
        return list(crossovers), []
    gaps = _segment_gaps(
        models,
        [pair for pair, _, _ in segments],
        np.array([crossovers[i].queries_per_month for _, i, _ in segments]),
        np.array([crossovers[j].queries_per_month for _, _, j in segments]),
    )
    joined = {(i, j): float(gap) for (_, i, j), gap in zip(segments, gaps, strict=True)}
    weaves: list[tuple[float, float, set[str], set[int], float]] = []  # low, high, keys, …
    for pair, idx in by_pair.items():
        group = [idx[0]]
        for i, j in pairwise(idx):
            if joined[(i, j)] <= tolerance:
                group.append(j)
                continue
            weaves += _weave(crossovers, pair, group, joined)
            group = [j]
        weaves += _weave(crossovers, pair, group, joined)
    if not weaves:
        return list(crossovers), []
    weaves.sort(key=lambda w: w[0])
    merged = [weaves[0]]
    for low, high, keys, members, gap in weaves[1:]:
        m_low, m_high, m_keys, m_members, m_gap = merged[-1]
        if low <= m_high:
            merged[-1] = (
                m_low,
                max(m_high, high),
                m_keys | keys,
                m_members | members,
                max(m_gap, gap),
            )
        else:
            merged.append((low, high, keys, members, gap))
    marked = list(crossovers)
    bands: list[TieBand] = []
    for low, high, keys, members, gap in merged:
        members |= {
            i
            for i, c in enumerate(crossovers)
            if set(c.between) <= keys and low <= c.queries_per_month <= high
        }
        for index in members:
            marked[index] = replace(crossovers[index], in_tie_band=True)
        between = tuple(k for k in STRATEGIES if k in keys)
        below = {k: float(models[k].tco(np.array([low * (1 - 1e-7)]))[0]) for k in between}
        above = {k: float(models[k].tco(np.array([high * (1 + 1e-7)]))[0]) for k in between}
        names = [STRATEGY_NAMES[k] for k in between]
        together = (
            " and ".join(names) if len(names) == 2 else f"{names[0]}, {names[1]} and {names[2]}"
        )
        bands.append(
            TieBand(
                between=between,
                low=low,
                high=high,
                crossings=len(members),
                cheaper_below=min(below, key=lambda k: below[k]),
                cheaper_above=min(above, key=lambda k: above[k]),
                largest_gap=gap,
                tolerance=tolerance,
                label=f"{together} effectively tied between {nf.count(low)} and "
                f"{nf.count(high)} queries/month (within {nf.percent(tolerance * 100)}, "
                f"{nf.count(len(members))} crossings)",
            )
        )
    return marked, bands


def _weave(
    crossovers: list[Crossover],
    pair: tuple[str, str],
    group: list[int],
    gaps: dict[tuple[int, int], float],
) -> list[tuple[float, float, set[str], set[int], float]]:
    if len(group) < 2:
        return []
    return [
        (
            crossovers[group[0]].queries_per_month,
            crossovers[group[-1]].queries_per_month,
            set(pair),
            set(group),
            max(gaps[(i, j)] for i, j in pairwise(group)),
        )
    ]


def _segment_gaps(
    models: dict[str, CostModel],
    pairs: list[tuple[str, str]],
    lo: Array,
    hi: Array,
) -> Array:
    """The largest |TCO(a) − TCO(b)| ÷ max(TCO(a), TCO(b)) strictly between lo and hi, one
    segment per row, all segments priced in one call per model."""
    inner = np.linspace(0.0, 1.0, TIE_SAMPLES + 2)[1:-1]
    log_lo, log_hi = np.log10(lo), np.log10(hi)
    x = np.power(10.0, log_lo[:, None] + (log_hi - log_lo)[:, None] * inner[None, :])
    values: dict[str, Array] = {}
    for key in STRATEGIES:
        rows = np.array([key in pair for pair in pairs])
        if rows.any():
            priced = np.full(x.shape, np.nan)
            priced[rows] = models[key].tco(x[rows].ravel()).reshape(int(rows.sum()), -1)
            values[key] = priced
    a = np.stack([values[p[0]][r] for r, p in enumerate(pairs)])
    b = np.stack([values[p[1]][r] for r, p in enumerate(pairs)])
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-300)
    gaps: Array = np.max(np.abs(a - b) / scale, axis=1)
    return gaps


def _pricing(
    pair_a: list[str], pair_b: list[str], rows: NDArray[np.intp]
) -> list[tuple[str, Array, NDArray[np.bool_] | None]]:
    """For each model in some bracket: its sign in each point's difference (+1 as a, −1 as b)
    and which points it is priced at (None: all of them), for :func:`_difference_rows`."""
    out: list[tuple[str, Array, NDArray[np.bool_] | None]] = []
    for key in STRATEGIES:
        sign = np.array([(a == key) - (b == key) for a, b in zip(pair_a, pair_b, strict=True)])
        used = sign[rows] != 0
        if used.all():
            out.append((key, sign[rows], None))
        elif used.any():
            out.append((key, sign[rows][used], used))
    return out


def _difference_rows(
    models: dict[str, CostModel],
    pricing: list[tuple[str, Array, NDArray[np.bool_] | None]],
    x: Array,
) -> Array:
    """TCO(a) − TCO(b) at each x, where the points of each bracket are priced by its two
    models only (``pricing``, from :func:`_pricing`)."""
    result: Array = np.zeros(len(x))
    for key, sign, used in pricing:
        if used is None:
            result += sign * models[key].tco(x)
        else:
            result[used] += sign * models[key].tco(x[used])
    return result


def _refine(
    models: dict[str, CostModel],
    pair_a: list[str],
    pair_b: list[str],
    lo: Array,
    hi: Array,
    s_lo: Array,
) -> Array:
    """Shrink every bracket by k-section: sample K points inside each bracket at once and keep
    the first sub-interval across which the sign leaves ``s_lo`` (ties read as the sign that
    follows them, as on the grid).  Numpy's per-call overhead dominates at these sizes, so K
    points cost little more than one does: the brackets shrink 129× per round and reach a
    relative width of 1e-10 in four rounds, at a step as surely as on a straight line.

    The ends are never re-evaluated: ``lo`` has the sign ``s_lo`` and ``hi`` the other one by
    construction, so every round finds a sign change even where a re-evaluation of an end
    would round the other way."""
    fractions = np.linspace(0.0, 1.0, SECTIONS + 2)
    inner = fractions[1:-1]
    every = np.arange(len(lo))
    pricing = _pricing(pair_a, pair_b, np.repeat(every, len(inner)))
    for _ in range(ITERATIONS):
        if np.all(hi - lo <= RELATIVE_TOLERANCE * hi):
            break
        x = np.empty((len(lo), len(fractions)))
        x[:, 0], x[:, -1] = lo, hi
        x[:, 1:-1] = lo[:, None] + (hi - lo)[:, None] * inner[None, :]
        sign = np.empty_like(x)
        sign[:, 0], sign[:, -1] = s_lo, -s_lo
        inside = _difference_rows(models, pricing, x[:, 1:-1].ravel())
        sign[:, 1:-1] = np.sign(inside).reshape(len(lo), len(inner))
        sign = _fill_zeros_from_next(sign)
        j = np.argmax(sign != s_lo[:, None], axis=1)  # ≥ 1: column 0 is s_lo, the last is not
        lo, hi = x[every, j - 1], x[every, j]
    return (lo + hi) / 2


def paybacks(
    models: dict[str, CostModel], q0: float, running: Collection[str] | None = None
) -> list[Payback]:
    """When each strategy's extra up-front spend is paid back against the cheapest up-front one,
    among the strategies ``running`` (those no must rules out): a payback against a strategy
    that cannot be chosen decides nothing.  With one strategy running there is none to say;
    with none running (or ``running`` not given) all three are compared."""
    if running:
        if len(running) < 2:
            return []
        models = {key: model for key, model in models.items() if key in running}
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
