"""Evaluation → report content: the documented JSON shape of ``ftrag eval --json`` and the
readable text summary.  Pure data; the GUI and the PDF renderer build on the same functions.

The JSON shape is a contract (docs/cli-json.md); add keys, never rename or remove them.
"""

from __future__ import annotations

from typing import Any

from engine.model.results import Evaluation, Figure, StrategyResult
from engine.model.scenario import CRITERIA, STRATEGIES


def money(value: float, currency: str) -> str:
    """Money as people read it: two decimals below 100, whole units above (C locale)."""
    if abs(value) < 100:
        return f"{currency} {value:,.2f}"
    return f"{currency} {value:,.0f}"


def per_query(value: float, currency: str) -> str:
    return f"{currency} {value:,.5f}" if value < 0.01 else f"{currency} {value:,.4f}"


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
            }
            for c in e.crossovers
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
    }


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
    row("One-time", [money(s.one_time, cur) for s in strategies])
    row("Monthly fixed (month 1)", [money(s.monthly_fixed, cur) for s in strategies])
    row("Per query", [per_query(s.per_query, cur) for s in strategies])
    row("Retrains", [str(s.retrains) for s in strategies])
    row(f"TCO ({e.horizon_months} months)", [money(s.tco.value, cur) for s in strategies])
    row("Latency p50 (full)", [f"{s.latency_total.value:.2f} s" for s in strategies])
    row("First token p50", [f"{s.latency_ttft.value:.2f} s" for s in strategies])
    row(
        "Staleness avg/worst",
        [f"{s.staleness_average.value:,.1f}/{s.staleness_worst.value:,.1f} d" for s in strategies],
    )
    for criterion in CRITERIA:
        row(f"Score: {criterion}", [f"{s.scores[criterion].value:.0f}" for s in strategies])
    row(
        "Weighted total",
        [f"{s.total_score:.1f}" + (" (excl.)" if s.excluded else "") for s in strategies],
    )
    lines.append("")
    if e.crossovers:
        lines.append("Crossovers:")
        lines += [f"  - {c.label}" for c in e.crossovers]
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
                    f"{c.verdict.replace('_', ' ')} — {c.reason}"
                )
    for warning in e.warnings:
        lines.append(f"Note: {warning}")
    lines.append(f"Prices: {e.price_data_version}")
    return "\n".join(lines) + "\n"
