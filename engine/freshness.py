"""How stale an answer's facts can be.

Fine-tuning: average staleness = retrain interval ÷ 2 + lead time; worst = interval + lead time.
RAG: re-index interval ÷ 2 + ingestion lag (worst: interval + lag).  Hybrid: facts come through
retrieval, so it is as fresh as RAG.
"""

from __future__ import annotations

from engine.context import Context, figure, v
from engine.model.results import Figure


def staleness_figures(
    ctx: Context, strategy: str, retrain_interval_days: float
) -> tuple[Figure, Figure]:
    s = ctx.scenario
    if strategy == "fine_tuning":
        interval, lag = retrain_interval_days, v(s.fine_tuning.lead_time_days)
        names = ("retrain interval", "lead time (prepare, train, evaluate, deploy)")
    else:
        interval, lag = v(s.rag.reindex_interval_days), v(s.rag.ingestion_lag_days)
        names = ("re-index interval", "ingestion lag")
    inputs: dict[str, tuple[float | str, str]] = {
        names[0]: (interval, "days"),
        names[1]: (lag, "days"),
    }
    note = "Facts reach the hybrid through retrieval." if strategy == "hybrid" else ""
    average = figure(
        f"{strategy}.staleness_average",
        "Average staleness",
        interval / 2 + lag,
        "days",
        f"{names[0]} ÷ 2 + {names[1].split(' (')[0]}",
        inputs,
        note,
    )
    worst = figure(
        f"{strategy}.staleness_worst",
        "Worst-case staleness",
        interval + lag,
        "days",
        f"{names[0]} + {names[1].split(' (')[0]}",
        inputs,
        note,
    )
    return average, worst
