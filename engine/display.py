"""Display vocabulary and rules: one home for the words, units and small presentation rules that
the screen, the report, the spreadsheet and the CLI share.

Qt-free (the report and the screen draw with Qt; the spreadsheet and the CLI do not), so every
output says a criterion, a verdict or a key figure the same way and bolds the same cell.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.model.scenario import SERVING_API_FIELDS, SERVING_SELF_HOSTED_FIELDS

# --- names ------------------------------------------------------------------------------------

CRITERION_NAMES: dict[str, str] = {
    "cost": "Cost",
    "latency": "Latency",
    "freshness": "Freshness",
    "compliance": "Compliance",
    "fit": "Fit",
}
VERDICT_NAMES: dict[str, str] = {
    "meets": "Meets",
    "needs_mitigation": "Needs mitigation",
    "fails": "Fails",
}
# A verdict's symbol beside its word, where there is no colour (print, plain text).
VERDICT_SYMBOLS: dict[str, str] = {"meets": "✓", "needs_mitigation": "⚠", "fails": "✗"}
# A cost component's kind: a short name (a table column) and a section title (the report).
COST_KIND_NAMES: dict[str, str] = {
    "one_time": "One-time",
    "monthly": "Monthly",
    "per_query": "Per query",
    "per_retrain": "Per retrain",
}
COST_KIND_TITLES: dict[str, str] = {
    "one_time": "One-time costs",
    "monthly": "Monthly costs (month 1, at today's volume)",
    "per_query": "Per-query costs",
    "per_retrain": "Per retrain",
}

# --- key figures ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A row of the key figures: the engine's figure (or cost sum) ``key``, its row label, a
    tooltip, and whether the lowest value of the row is simply the best (shown in bold)."""

    key: str
    label: str
    tip: str
    lowest_is_best: bool


# tco, latency_* and staleness_* are engine Figures; one_time / monthly_fixed / per_query are the
# engine's sums of the cost components (StrategyResult attributes, and figures of the same keys).
# Not "lowest is best" for the cost parts: a zero per-query charge is not "best" when the GPUs
# are paid monthly.
KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("tco", "Total cost", "Total cost of ownership over the scenario's horizon.", True),
    KeyFigure(
        "one_time", "One-time cost", "Up-front spend: training, data preparation, set-up.", False
    ),
    KeyFigure(
        "monthly_fixed",
        "Running cost, month 1",
        "Monthly costs in the first month at today's volume (GPUs, vector store, re-embedding).",
        False,
    ),
    KeyFigure(
        "per_query",
        "Usage charges per query",
        "The usage-priced part of each query (API tokens, embeddings, vector reads). "
        "Self-hosted GPUs are paid monthly and are in the running cost.",
        False,
    ),
    KeyFigure(
        "latency_total",
        "Time to full answer (p50)",
        "Median time until the answer is complete.",
        True,
    ),
    KeyFigure(
        "latency_ttft", "Time to first token (p50)", "Median time until the answer starts.", True
    ),
    KeyFigure(
        "latency_p95",
        "Time to full answer (p95)",
        "The slowest 1 query in 20: queueing at the peak-hour load, retrieval and provider "
        "tails included (the figure SLAs are written on).",
        True,
    ),
    KeyFigure(
        "staleness_average", "Average staleness", "How old a fact in an answer is on average.", True
    ),
    KeyFigure(
        "staleness_worst", "Worst-case staleness", "The oldest a fact in an answer can be.", True
    ),
)
KEY_FIGURE = {spec.key: spec for spec in KEY_FIGURES}
# The report's shorter list (average staleness and p95 are in its technical appendix).
REPORT_KEY_FIGURES: tuple[KeyFigure, ...] = tuple(
    KEY_FIGURE[k]
    for k in (
        "tco",
        "one_time",
        "monthly_fixed",
        "per_query",
        "latency_total",
        "latency_ttft",
        "staleness_worst",
    )
)
# The key figures that are sums of cost components (numbers on StrategyResult).
COST_SUMS: frozenset[str] = frozenset({"one_time", "monthly_fixed", "per_query"})


def total_cost_label(months: str) -> str:
    """The total-cost row's label once the horizon is known (``months`` already formatted)."""
    return f"Total cost over {months} months"


def cost_sum_unit(key: str, currency: str) -> str:
    """The unit of a cost sum (one of :data:`COST_SUMS`)."""
    return {"one_time": currency, "monthly_fixed": f"{currency}/month"}.get(
        key, f"{currency}/query"
    )


def lowest_is_best(values: Sequence[float], excluded: Sequence[bool] = ()) -> list[bool]:
    """Which values of a row stand out as the best: the lowest among the strategies still in
    the running (an excluded strategy's cheaper figure is not "best": it cannot be chosen), none
    when all of those are equal.  With every strategy excluded, all of them are compared."""
    out = list(excluded) or [False] * len(values)
    running = [i for i, left_out in enumerate(out) if not left_out] or list(range(len(values)))
    best = min(values[i] for i in running)
    ties = sum(1 for i in running if values[i] == best)
    return [i in running and values[i] == best and ties < len(running) for i in range(len(values))]


def reasons_text(reasons: Sequence[str]) -> str:
    """A strategy's exclusion reasons (clauses) as one sentence's end: 'a; b.'."""
    return "; ".join(r.rstrip(".") for r in reasons) + "." if reasons else ""


# --- charts -----------------------------------------------------------------------------------

# The crossover chart's "Auto" cost axis turns logarithmic when the (finite, positive) values
# span more than this ratio: a linear axis then squeezes the crossovers into a line along the
# bottom.  The screen, the printed chart and the decision map's axes follow it.
AUTO_LOG_RATIO = 100.0
# An excluded strategy's curve is drawn faded.  Print fades less than the screen: on paper a
# lighter line all but vanishes next to the grid, while on screen it has to recede behind the
# strategies still in the running.
EXCLUDED_ALPHA_SCREEN = 80
EXCLUDED_ALPHA_PRINT = 90


def spans_log_range(values: Iterable[float] | np.ndarray) -> bool:
    """Whether values span more than :data:`AUTO_LOG_RATIO` (infinities, NaN, zero and
    negatives dropped)."""
    stacked = np.asarray(values if isinstance(values, np.ndarray) else list(values), dtype=float)
    positive = stacked[np.isfinite(stacked) & (stacked > 0)]
    return bool(positive.size and positive.max() / max(positive.min(), 1e-300) > AUTO_LOG_RATIO)


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 × a power of ten) giving about ``target_ticks``
    ticks over ``span``."""
    raw = span / max(target_ticks, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10.0 * magnitude


# --- inputs that apply to one training venue or one serving mode ------------------------------

# Fine-tuning inputs by training venue (TrainingVenue values): the form hides the other venue's
# rows, and the report lists only the venue the scenario uses.
TRAINING_VENUE_FIELDS: dict[str, tuple[str, ...]] = {
    "gpus": (
        "training_gpu",
        "training_gpu_offering",
        "training_gpu_count",
        "training_gpu_hour_price",
        "mfu",
        "overhead_gpu_hours_per_run",
        "activation_recomputation",
    ),
    "managed_api": ("managed_price_per_million_training_tokens", "managed_training_region"),
}
# Serving inputs by serving mode (ServingMode values), likewise.
SERVING_MODE_FIELDS: dict[str, tuple[str, ...]] = {
    "api": SERVING_API_FIELDS,
    "self_hosted": SERVING_SELF_HOSTED_FIELDS,
}
