"""Criterion scores, the weighted total, the recommendation and what would change it.

Scores are 0–100 per strategy and criterion, each with its reason:
- cost: cheapest TCO scores 100; others 100 × cheapest ÷ their TCO;
- latency: 100 at or under every active target (p50 full answer, p50 first token, p95 full
  answer; each 'prefer' or 'must', or 'off'), falling linearly to 0 at three times the target;
  a 'must' target missed also excludes the strategy;
- freshness: 100 when worst-case staleness meets the target, else 100 × target ÷ worst;
- compliance and fit: from engine.compliance and engine.fit.
The weighted total is Σ weight × score ÷ Σ weights.  A strategy that fails a hard compliance
requirement is excluded from the recommendation (it stays visible, marked).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine import numbers as nf
from engine.display import reasons_text
from engine.model.results import Crossover, FlipPoint, Recommendation, Score, TieBand
from engine.model.scenario import CRITERIA, STRATEGY_NAMES

Num = float | NDArray[np.float64]  # a value, or a column of Monte Carlo samples
LATENCY_ZERO_AT = 3.0  # × target: a strategy this slow scores 0 on latency


# The score formulas work on floats and, in a Monte Carlo pass, on arrays of samples alike.


def cost_score_values(tco: Mapping[str, Num]) -> dict[str, Num]:
    """100 for the cheapest, 100 × cheapest ÷ own TCO for the others."""
    cheapest = np.minimum.reduce([np.asarray(t, dtype=float) for t in tco.values()])
    return {
        k: np.where(t <= cheapest, 100.0, 100.0 * cheapest / np.maximum(t, 1e-300))
        for k, t in tco.items()
    }


def latency_score_value(
    total: Num,
    ttft: Num,
    total_target: Num,
    ttft_target: Num,
    p95: Num | None = None,
    p95_target: Num | None = None,
    active: tuple[bool, bool, bool] = (True, True, False),
) -> Num:
    """The lowest score of the active targets (p50 full answer, p50 first token, p95)."""
    parts = [
        _linear(value, target)
        for value, target, on in (
            (total, total_target, active[0]),
            (ttft, ttft_target, active[1]),
            (p95, p95_target, active[2]),
        )
        if on and value is not None and target is not None
    ]
    if not parts:
        parts = [np.asarray(100.0) + 0.0 * np.asarray(total)]
    lowest: Num = parts[0]
    for part in parts[1:]:
        lowest = np.minimum(lowest, part)
    return lowest


@dataclass(frozen=True)
class LatencyTarget:
    """One latency figure against its target, and how the target counts."""

    label: str  # 'full answer', 'first token', 'p95 full answer'
    value: float
    target: float
    need: str  # off | prefer | must

    @property
    def met(self) -> bool:
        return self.value <= self.target

    def words(self) -> str:
        return f"{self.label} {nf.fixed(self.value, 2)} s (target {nf.number(self.target)} s)"


def latency_targets(
    total_s: float,
    ttft_s: float,
    p95_s: float,
    requirements: object,
) -> list[LatencyTarget]:
    """The active latency targets of a requirements section (engine.model.scenario)."""
    req = requirements
    items = [
        LatencyTarget(
            "full answer", total_s, _likely(req, "latency_target_s"), _need(req, "latency_need")
        ),
        LatencyTarget(
            "first token", ttft_s, _likely(req, "ttft_target_s"), _need(req, "ttft_need")
        ),
        LatencyTarget(
            "p95 full answer",
            p95_s,
            _likely(req, "latency_p95_target_s"),
            _need(req, "latency_p95_need"),
        ),
    ]
    return [t for t in items if t.need != "off"]


def _likely(req: object, name: str) -> float:
    return float(getattr(req, name).likely)


def _need(req: object, name: str) -> str:
    return str(getattr(getattr(req, name), "value", getattr(req, name)))


def latency_exclusions(targets: list[LatencyTarget]) -> list[str]:
    """One reason per 'must' latency target missed (each one excludes the strategy)."""
    return [
        f"misses a must latency target: {t.label} takes {nf.fixed(t.value, 2)} s against "
        f"{nf.number(t.target)} s"
        for t in targets
        if t.need == "must" and not t.met
    ]


def freshness_score_value(worst: Num, target: Num) -> Num:
    return np.where(worst <= target, 100.0, 100.0 * target / np.maximum(worst, 1e-300))


def cost_scores(tco: Mapping[str, float], money: str) -> dict[str, Score]:
    cheapest_key = min(tco, key=lambda k: tco[k])
    cheapest = tco[cheapest_key]
    values = cost_score_values(tco)
    out = {}
    for key, value in tco.items():
        score = float(values[key])
        if value <= 0 or key == cheapest_key:
            reason = f"Cheapest total cost ({nf.money(value, money)})."
        else:
            reason = (
                f"Total cost {nf.money(value, money)} is "
                f"{nf.fixed(value / max(cheapest, 1e-12), 2)}× the "
                f"cheapest ({STRATEGY_NAMES[cheapest_key]}, {nf.money(cheapest, money)})."
            )
        out[key] = Score(criterion="cost", value=max(0.0, min(100.0, score)), reason=reason)
    return out


def _linear(value: Num, target: Num) -> Num:
    falling = 100.0 * (LATENCY_ZERO_AT * target - value) / ((LATENCY_ZERO_AT - 1) * target)
    if isinstance(falling, float):  # one number (the deterministic path): no array round trip
        return 100.0 if value <= target else min(max(falling, 0.0), 100.0)
    return np.where(value <= target, 100.0, np.clip(falling, 0.0, 100.0))


def latency_target_score(targets: list[LatencyTarget]) -> Score:
    """The latency score from the active targets: the worst one sets it and says why."""
    if not targets:
        return Score(criterion="latency", value=100.0, reason="No latency target is set.")
    scored = [(float(_linear(t.value, t.target)), t) for t in targets]
    score, worst = min(scored, key=lambda pair: pair[0])
    if score >= 100:
        return Score(
            criterion="latency",
            value=100.0,
            reason="Meets every latency target: " + ", ".join(t.words() for t in targets) + ".",
        )
    missed = [t for t in targets if not t.met]
    reason = (
        f"Misses the {worst.label} target: {nf.fixed(worst.value, 2)} s against "
        f"{nf.number(worst.target)} s ({worst.need})."
    )
    others = [t for t in missed if t is not worst]
    if others:
        reason += " Also misses: " + ", ".join(t.words() for t in others) + "."
    return Score(criterion="latency", value=score, reason=reason)


def latency_score(total_s: float, ttft_s: float, total_target: float, ttft_target: float) -> Score:
    s_total, s_ttft = float(_linear(total_s, total_target)), float(_linear(ttft_s, ttft_target))
    score = min(s_total, s_ttft)
    if score >= 100:
        reason = (
            f"Meets both targets: full answer {nf.fixed(total_s, 2)} s (target "
            f"{nf.number(total_target)} s), "
            f"first token {nf.fixed(ttft_s, 2)} s (target {nf.number(ttft_target)} s)."
        )
    elif s_total <= s_ttft:
        reason = (
            f"Full answer takes {nf.fixed(total_s, 2)} s against a "
            f"{nf.number(total_target)} s target."
        )
    else:
        reason = (
            f"First token after {nf.fixed(ttft_s, 2)} s against a "
            f"{nf.number(ttft_target)} s target."
        )
    return Score(criterion="latency", value=score, reason=reason)


def freshness_score(worst_days: float, average_days: float, target_days: float) -> Score:
    if worst_days <= target_days:
        return Score(
            criterion="freshness",
            value=100.0,
            reason=f"Facts at most {nf.fixed(worst_days, 1)} days old (average "
            f"{nf.fixed(average_days, 1)}); "
            f"target {nf.number(target_days)} days.",
        )
    return Score(
        criterion="freshness",
        value=float(freshness_score_value(worst_days, target_days)),
        reason=f"Facts can be {nf.fixed(worst_days, 1)} days old (average "
        f"{nf.fixed(average_days, 1)}) against "
        f"a {nf.number(target_days)}-day target.",
    )


def weighted_total(scores: Mapping[str, Score], weights: Mapping[str, float]) -> float:
    total_weight = sum(weights.values())
    return sum(weights[c] * scores[c].value for c in CRITERIA) / total_weight


@dataclass(frozen=True)
class Ranking:
    winner: str | None
    runner_up: str | None
    totals: dict[str, float]


def rank(totals: Mapping[str, float], excluded: Mapping[str, bool]) -> Ranking:
    eligible = sorted((k for k in totals if not excluded[k]), key=lambda k: -totals[k])
    winner = eligible[0] if eligible else None
    runner = eligible[1] if len(eligible) > 1 else None
    return Ranking(winner, runner, dict(totals))


MINOR_LEAD = 0.5  # points of 100: a smaller contribution to the lead is not given as a reason


def recommend(
    scores: Mapping[str, Mapping[str, Score]],
    weights: Mapping[str, float],
    excluded: Mapping[str, list[str]],
    crossovers: list[Crossover],
    q0: float,
    flips: list[FlipPoint],
    tie_bands: Sequence[TieBand] = (),
    growth: Sequence[float] = (),
    costs: Mapping[str, float] | None = None,
    money: str = "",
) -> Recommendation:
    """``growth``: the volume of each month of the horizon as a multiple of today's (month 1
    is 1.0), to say when a crossover above today's volume is reached.  ``costs``: each
    strategy's total cost (in ``money``), to say a lead on cost against the runner-up rather
    than against the cheapest of all, which may be a strategy a must rules out."""
    totals = {k: weighted_total(s, weights) for k, s in scores.items()}
    ranking = rank(totals, {k: bool(v) for k, v in excluded.items()})
    change = _what_would_change(ranking, crossovers, q0, flips, excluded, tie_bands, growth)
    if ranking.winner is None:
        return Recommendation(
            strategy=None,
            name="No strategy qualifies",
            runner_up=None,
            margin=0.0,
            reasons=[f"{STRATEGY_NAMES[k]} {reasons_text(r)}" for k, r in excluded.items() if r],
            rationale="No strategy meets every must: "
            + "; ".join(f"{STRATEGY_NAMES[k]} {r[0].rstrip('.')}" for k, r in excluded.items() if r)
            + ". Relax a requirement (mark it preferred) or change the set-up (Scenario → Find "
            "Cheapest Setup searches the catalogs for one that meets them).",
            what_would_change=change,
        )
    win = ranking.winner
    name = STRATEGY_NAMES[win]
    reasons: list[str] = []
    if ranking.runner_up is None:
        margin = 100.0
        rationale = f"{name} is the only strategy that meets every must."
        reasons = [f"{STRATEGY_NAMES[k]} {r[0]}" for k, r in excluded.items() if r]
    else:
        other = ranking.runner_up
        margin = totals[win] - totals[other]
        # A lead on cost is a lower total (the cost score falls as the total rises): said
        # against the runner-up's, when there is one to say.
        leads_on_cost = scores[win]["cost"].value > scores[other]["cost"].value
        against = _cost_lead(win, other, costs, money) if costs and leads_on_cost else ""
        total_w = sum(weights.values())
        # The criteria that contribute most to the winner's lead, in points of the total.
        gains = sorted(
            CRITERIA,
            key=lambda c: -(weights[c] * (scores[win][c].value - scores[other][c].value)),
        )
        for criterion in gains[:3]:
            lead = weights[criterion] * (
                scores[win][criterion].value - scores[other][criterion].value
            )
            # A reason must weigh something: +0.1 points beside a 9-point lead is not why the
            # winner wins.  The biggest contribution is always named (a narrow lead has only
            # small ones), the others when they give at least half a point.
            if lead / total_w < (0.05 if not reasons else MINOR_LEAD):  # 0.05: prints +0.0
                break
            reasons.append(
                f"{criterion.capitalize()} (+{nf.fixed(lead / total_w, 1)} points over "
                f"{STRATEGY_NAMES[other]}): {_lead_words(scores[win][criterion], other, against)}"
            )
        for key, why in excluded.items():
            if why:
                reasons.append(f"{STRATEGY_NAMES[key]} is excluded: {reasons_text(why)}")
        closeness = (
            "a clear lead" if margin >= 10 else "a modest lead" if margin >= 3 else "a narrow lead"
        )
        top = gains[0]
        top_lead = weights[top] * (scores[win][top].value - scores[other][top].value)
        advantage = (
            f"Its biggest advantage is {top}: {_lead_words(scores[win][top], other, against)}"
            if top_lead / total_w >= 0.05
            # Nothing weighed separates them (a tie broken by order): no "advantage" to name.
            else "No weighted criterion separates the two."
        )
        rationale = (
            f"{name} scores {nf.fixed(totals[win], 1)} of {nf.count(100)} against "
            f"{STRATEGY_NAMES[other]}'s "
            f"{nf.fixed(totals[other], 1)} — {closeness} of {nf.fixed(margin, 1)} points "
            f"with the weights given. {advantage}"
        )
        if margin < 3:
            rationale += " The margin is small: check the assumptions under 'what would change it'."
    return Recommendation(
        strategy=win,
        name=name,
        runner_up=ranking.runner_up,
        margin=margin,
        reasons=reasons,
        rationale=rationale,
        what_would_change=change,
    )


# The criteria scored against a target the consultant set; cost and fit have none to miss.
_TARGETED = frozenset({"latency", "freshness"})


def _lead_words(score: Score, other: str, cost_lead: str = "") -> str:
    """A criterion the winner leads on, in words that never praise a figure that misses its
    target: below 100 the winner is only less far off than the runner-up.  Cost (scored
    against the cheapest strategy) and fit have no target, so they are said as they are: a
    cost 0.1 % above an excluded strategy's does not "fall short".  A lead on cost is said
    against the runner-up (``cost_lead``) when the costs are known."""
    if score.criterion == "cost" and cost_lead:
        return cost_lead
    if score.value >= 100 or score.criterion not in _TARGETED:
        return score.reason
    reason = score.reason[:1].lower() + score.reason[1:]
    return f"less far off than {STRATEGY_NAMES[other]}, but it still falls short — {reason}"


def _cost_lead(win: str, other: str, costs: Mapping[str, float], money: str) -> str:
    """The winner's total cost against the runner-up's, which is higher: 'Total cost
    EUR 299,840 against Hybrid's EUR 353,847 — EUR 54,007 (15%) less.'"""
    mine, theirs = costs[win], costs[other]
    saving = theirs - mine
    share = 100.0 * saving / theirs
    return (
        f"Total cost {nf.money(mine, money)} against {STRATEGY_NAMES[other]}'s "
        f"{nf.money(theirs, money)} — {nf.money(saving, money)} "
        f"({nf.percent(share, 0 if share >= 9.5 else 1)}) less."
    )


def _how_far(ratio: float, below: bool = False) -> str:
    """How far a crossover is from today's volume, when it is far enough to matter to a
    reader: ' — 230× today's volume', ' — 1/12 of today's volume'."""
    if ratio < 1.5:
        return ""
    if below:
        return f" — 1/{nf.approximate(ratio, digits=2)} of today's volume"
    return f" — {nf.approximate(ratio, digits=2)}× today's volume"


def _when(ratio: float, growth: Sequence[float]) -> str:
    """Whether the volume's growth reaches a crossover ``ratio`` × today's within the
    horizon, and in which month: '; the growth entered reaches it in month 14' or '; the
    growth entered reaches only 3.2× today's volume by month 24'."""
    if len(growth) < 2 or growth[-1] <= 1.0:
        return ""
    month = next((m for m, factor in enumerate(growth) if factor >= ratio), None)
    if month is not None:
        return f"; the growth entered reaches it in month {nf.count(month + 1)}"
    return (
        f"; the growth entered reaches only {nf.approximate(growth[-1], digits=2)}× today's "
        f"volume by month {nf.count(len(growth))}"
    )


def _what_would_change(
    ranking: Ranking,
    crossovers: list[Crossover],
    q0: float,
    flips: list[FlipPoint],
    excluded: Mapping[str, list[str]],
    tie_bands: Sequence[TieBand] = (),
    growth: Sequence[float] = (),
) -> list[str]:
    out: list[str] = []
    # Only crossings between strategies still in the running can change the answer: a cheaper
    # fine-tuning above some volume means nothing when a must rules fine-tuning out.
    running = {k for k, why in excluded.items() if not why}
    relevant = [c for c in crossovers if set(c.between) <= running]
    bands = [b for b in tie_bands if set(b.between) <= running]
    if relevant or bands:
        # A near-tie counts as one event spanning its crossings (engine.crossover).
        events = [
            (c.queries_per_month, c.queries_per_month, c.label)
            for c in relevant
            if not c.in_tie_band
        ]
        events += [(b.low, b.high, b.label) for b in bands]
        inside = [label for low, high, label in events if low <= q0 < high]
        above = sorted((low, label) for low, _, label in events if low > q0)
        below = sorted((high, label) for low, high, label in events if high <= q0)
        if inside:
            out.append(f"Today's volume is inside a near-tie: {inside[0]}.")
        if above:
            # At a volume of zero no multiple of today's says anything (and none can be taken).
            ratio = above[0][0] / q0 if q0 > 0 else None
            distance = "" if ratio is None else _how_far(ratio) + _when(ratio, growth)
            out.append(
                f"Next cost crossover above today's {nf.count(q0)} queries/month: {above[0][1]}"
                f"{distance}."
            )
        if below:
            out.append(
                f"Nearest cost crossover below today's volume: {below[-1][1]}"
                f"{_how_far(q0 / below[-1][0], below=True) if below[-1][0] > 0 else ''}."
            )
    elif crossovers and len(running) > 1:
        out.append(
            "The cost curves of the strategies still in the running do not cross between 1 and "
            "10¹³ queries/month (the crossings shown involve a strategy ruled out by a must): "
            "their cost order does not depend on volume."
        )
    elif not crossovers:
        out.append(
            "The cost curves do not cross between 1 and 10¹³ queries/month: the cost "
            "order does not depend on volume."
        )
    out.extend(f.description for f in flips)
    for key, why in excluded.items():
        if len(why) == 1:
            out.append(
                f"{STRATEGY_NAMES[key]} would compete if this were not a must: "
                f"{why[0].rstrip('.')}."
            )
        elif why:  # relaxing one of them is not enough: every one has to go
            out.append(
                f"{STRATEGY_NAMES[key]} would compete only if none of these were a must: "
                f"{reasons_text(why)}"
            )
    return out


def weight_flip_points(
    scores: Mapping[str, Mapping[str, Score]],
    weights: Mapping[str, float],
    excluded: Mapping[str, list[str]],
) -> list[FlipPoint]:
    """For each weight, the value in 0–100 (others fixed) at which the recommendation changes.

    A total is (rest_s + w × score_s) ÷ (rest_w + w), so two strategies tie at exactly one w
    (:func:`_solve_weight`); each candidate tie is checked by ranking just past it.
    """
    flags = {k: bool(v) for k, v in excluded.items()}
    current = rank({k: weighted_total(s, weights) for k, s in scores.items()}, flags).winner
    if current is None:
        return []
    out: list[FlipPoint] = []
    for criterion in CRITERIA:
        w0 = weights[criterion]
        best: tuple[float, str] | None = None
        for other in scores:
            if other == current or flags[other]:
                continue
            w_tie = _solve_weight(scores, weights, criterion, current, other)
            if w_tie is None or not 0.0 <= w_tie <= 100.0 or abs(w_tie - w0) < 1e-9:
                continue
            step = 1e-6 * (1 if w_tie > w0 else -1)
            trial = {**weights, criterion: w_tie + step}
            if sum(trial.values()) <= 0:
                continue
            new = rank({k: weighted_total(s, trial) for k, s in scores.items()}, flags).winner
            if new is None or new == current:
                continue
            if best is None or abs(w_tie - w0) < abs(best[0] - w0):
                best = (w_tie, new)
        if best is None:
            continue
        value, new = best
        direction = "rose above" if value > w0 else "fell below"
        out.append(
            FlipPoint(
                parameter=f"weights.{criterion}",
                label=f"{criterion.capitalize()} weight",
                current=w0,
                value=value,
                unit="points",
                new_winner=new,
                description=f"{STRATEGY_NAMES[new]} would be recommended if the {criterion} "
                f"weight {direction} {nf.fixed(value, 1)} (now {nf.number(w0)}).",
            )
        )
    return out


def _solve_weight(
    scores: Mapping[str, Mapping[str, Score]],
    weights: Mapping[str, float],
    criterion: str,
    a: str,
    b: str,
) -> float | None:
    """The weight w of ``criterion`` at which strategies a and b have equal totals.

    total_s(w) = (rest_s + w × score_s) ÷ (rest_w + w): equal totals ⇔ rest_a + w·s_a =
    rest_b + w·s_b (the denominators are the same).
    """
    rest_a = sum(weights[c] * scores[a][c].value for c in CRITERIA if c != criterion)
    rest_b = sum(weights[c] * scores[b][c].value for c in CRITERIA if c != criterion)
    sa, sb = scores[a][criterion].value, scores[b][criterion].value
    if sa == sb:
        return None
    return (rest_b - rest_a) / (sa - sb)
