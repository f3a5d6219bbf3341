"""Evaluation → report content: the documented JSON shape of ``ftrag eval --json`` and the
readable text summary.  Pure data; the GUI and the PDF renderer build on the same functions.

The JSON shape is a contract (docs/cli-json.md); add keys, never rename or remove them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine import numbers as nf
from engine.display import (
    CRITERION_NAMES,
    VERDICT_NAMES,
)
from engine.model.results import Evaluation, Figure, StrategyResult, TieBand
from engine.model.scenario import (
    CRITERIA,
    STRATEGIES,
    STRATEGY_NAMES,
)

if TYPE_CHECKING:
    pass


def _figure_json(fig: Figure) -> dict[str, Any]:
    return {
        "label": fig.label,
        "value": fig.value,
        "unit": fig.unit,
        "formula": fig.formula,
        "inputs": [{"name": i.name, "value": i.value, "unit": i.unit} for i in fig.inputs],
        **({"note": fig.note} if fig.note else {}),
    }


def _strategy_json(s: StrategyResult) -> dict[str, Any]:
    return {
        "name": s.name,
        "one_time": s.one_time,
        "monthly_fixed": s.monthly_fixed,
        "per_query": s.per_query,
        "tco": s.tco.value,
        "retrains": s.retrains,
        "latency_seconds": s.latency_total.value,
        "time_to_first_token_seconds": s.latency_ttft.value,
        "staleness_days": s.staleness_average.value,
        "staleness_worst_days": s.staleness_worst.value,
        "compliance": [
            {
                "item": c.item,
                "requirement": c.requirement,
                "need": c.need,
                "verdict": c.verdict,
                "reason": c.reason,
                "mitigation": c.mitigation,
                "reference": c.reference,
            }
            for c in s.compliance
        ],
        "score": s.total_score,
        "scores": {c: {"value": s.scores[c].value, "reason": s.scores[c].reason} for c in CRITERIA},
        "excluded": s.excluded,
        "exclusion_reasons": s.exclusion_reasons,
        "components": [
            {"key": c.key, "kind": c.kind, "overridden": c.overridden, **_figure_json(c.figure)}
            for c in s.components
        ],
        "figures": {k: _figure_json(f) for k, f in s.figures.items()},
        "fit": [
            {"key": f.key, "label": f.label, "score": f.score, "reason": f.reason} for f in s.fit
        ],
        "warnings": s.warnings,
    }


def evaluation_json(e: Evaluation) -> dict[str, Any]:
    return {
        "name": e.scenario,
        "currency": e.currency,
        "horizon_months": e.horizon_months,
        "queries_per_month": e.queries_per_month,
        "strategies": {k: _strategy_json(e.strategies[k]) for k in STRATEGIES},
        "crossovers": [
            {
                "between": list(c.between),
                "queries_per_month": c.queries_per_month,
                "cheaper_above": c.cheaper_above,
                "label": c.label,
                "in_tie_band": c.in_tie_band,
            }
            for c in e.crossovers
        ],
        "tie_bands": [
            {
                "between": list(b.between),
                "low_queries_per_month": b.low,
                "high_queries_per_month": b.high,
                "crossings": b.crossings,
                "cheaper_below": b.cheaper_below,
                "cheaper_above": b.cheaper_above,
                "largest_gap": b.largest_gap,
                "tolerance": b.tolerance,
                "label": b.label,
            }
            for b in e.tie_bands
        ],
        "paybacks": [
            {"strategy": p.strategy, "versus": p.versus, "month": p.month, "label": p.label}
            for p in e.paybacks
        ],
        "flip_points": [
            {
                "parameter": f.parameter,
                "current": f.current,
                "value": f.value,
                "unit": f.unit,
                "new_winner": f.new_winner,
                "description": f.description,
            }
            for f in e.flip_points
        ],
        "recommendation": {
            "strategy": e.recommendation.strategy,
            "runner_up": e.recommendation.runner_up,
            "margin": e.recommendation.margin,
            "reasons": e.recommendation.reasons,
            "rationale": e.recommendation.rationale,
            "what_would_change": e.recommendation.what_would_change,
        },
        "price_data_version": e.price_data_version,
        "warnings": e.warnings,
        "price_date": e.price_date,
        "prices_used": [
            {
                "figure": p.figure,
                "label": p.label,
                "source": p.source,
                "as_of": p.as_of,
                "stale": p.stale,
            }
            for p in e.prices_used
        ],
    }


def crossover_sentences(e: Evaluation) -> list[str]:
    """Each crossover as a sentence (numbers written by engine.numbers, so in the GUI's locale
    on screen and in the PDF), or one sentence saying there is none.  Crossings inside a
    near-tie are said once, as the tie (:func:`tie_band_sentence`), in volume order with the
    others."""
    if not e.crossovers:
        return ["The cost curves do not cross: the cost order does not depend on volume."]
    ordered: list[tuple[float, str]] = []
    for crossover in e.crossovers:
        if crossover.in_tie_band:
            continue
        cheaper = crossover.cheaper_above
        other = next(k for k in crossover.between if k != cheaper)
        ordered.append(
            (
                crossover.queries_per_month,
                f"{STRATEGY_NAMES[cheaper]} is cheaper than {STRATEGY_NAMES[other]} above "
                f"{nf.volume(crossover.queries_per_month)}.",
            )
        )
    ordered += [(band.low, tie_band_sentence(band)) for band in e.tie_bands]
    ordered.sort(key=lambda item: item[0])
    return [sentence for _, sentence in ordered]


def tie_band_sentence(band: TieBand) -> str:
    """'Fine-tuning and Hybrid are effectively tied between 4,101,000 and 5,400,000
    queries/month (within 2% of each other; the curves cross 17 times there); above that,
    Hybrid is cheaper.'"""
    names = [STRATEGY_NAMES[k] for k in band.between]
    together = (
        " and ".join(names) if len(names) <= 2 else f"{', '.join(names[:-1])} and {names[-1]}"
    )
    cheaper = "cheaper" if len(names) <= 2 else "cheapest"
    head = (
        f"{together} are effectively tied between {nf.count(band.low)} and "
        f"{nf.volume(band.high)} (within {nf.percent(band.tolerance * 100)} of each other; "
        f"the curves cross {nf.count(band.crossings)} times there)"
    )
    if band.cheaper_above == band.cheaper_below:
        return f"{head}; {STRATEGY_NAMES[band.cheaper_above]} is {cheaper} on either side."
    return f"{head}; above that, {STRATEGY_NAMES[band.cheaper_above]} is {cheaper}."


def evaluation_text(e: Evaluation) -> str:
    cur = e.currency
    lines = [
        f"Scenario: {e.scenario}  ({e.queries_per_month:,.0f} queries/month, "
        f"{e.horizon_months} months)",
        "",
        f"Recommendation: {e.recommendation.name}"
        + (f" (lead {e.recommendation.margin:.1f} points)" if e.recommendation.strategy else ""),
        f"  {e.recommendation.rationale}",
    ]
    lines += [f"  - {r}" for r in e.recommendation.reasons]
    lines += ["", f"{'':24s}" + "".join(f"{e.strategies[k].name:>18s}" for k in STRATEGIES)]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"{label:24s}" + "".join(f"{c:>18s}" for c in cells))

    strategies = [e.strategies[k] for k in STRATEGIES]
    row("One-time", [nf.money(s.one_time, cur) for s in strategies])
    row("Monthly fixed (month 1)", [nf.money(s.monthly_fixed, cur) for s in strategies])
    row("Per query", [nf.money_per_query(s.per_query, cur) for s in strategies])
    row("Retrains", [str(s.retrains) for s in strategies])
    row(f"TCO ({e.horizon_months} months)", [nf.money(s.tco.value, cur) for s in strategies])
    # The app's own rule (three significant digits, under a second to the millisecond): the
    # terminal shows what the report prints.
    row("Latency p50 (full)", [nf.number(s.latency_total.value, "s") for s in strategies])
    row("First token p50", [nf.number(s.latency_ttft.value, "s") for s in strategies])
    row(
        "Staleness avg/worst",
        [f"{s.staleness_average.value:,.1f}/{s.staleness_worst.value:,.1f} d" for s in strategies],
    )
    for criterion in CRITERIA:
        row(
            f"Score: {CRITERION_NAMES[criterion].lower()}",
            [f"{s.scores[criterion].value:.0f}" for s in strategies],
        )
    row(
        "Weighted total",
        [f"{s.total_score:.1f}" + (" (excl.)" if s.excluded else "") for s in strategies],
    )
    lines.append("")
    if e.crossovers:
        lines.append("Crossovers:")
        said = [(c.queries_per_month, c.label) for c in e.crossovers if not c.in_tie_band]
        said += [(b.low, b.label) for b in e.tie_bands]
        lines += [f"  - {label}" for _, label in sorted(said, key=lambda item: item[0])]
    else:
        lines.append("Crossovers: none between 1 and 10^13 queries/month.")
    if e.paybacks:
        lines.append("Payback at this volume:")
        lines += [f"  - {p.label}" for p in e.paybacks]
    lines.append("What would change the answer:")
    lines += [f"  - {w}" for w in e.recommendation.what_would_change]
    for s in strategies:
        for c in s.compliance:
            if c.verdict != "meets":
                lines.append(
                    f"Compliance ({s.name}, {c.need}): {c.requirement}: "
                    f"{VERDICT_NAMES[c.verdict].lower()} — {c.reason}"
                )
    for warning in e.warnings:
        lines.append(f"Note: {warning}")
    lines.append(f"Prices: {e.price_data_version}")
    return "\n".join(lines) + "\n"
