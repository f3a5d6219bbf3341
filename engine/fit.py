"""How well each strategy fits the problem: six indicators, each 0–100 with a reason.

The indicators follow the seed article's "fine-tune when / RAG wins when" lists and its rules of
thumb, and the literature:

* labelled examples: < 100 risky, ~1,000 reliable, ≥ 10,000 excellent (seed FAQ);
* out-of-domain questions: fine-tuned models struggle, retrieval degrades more gracefully (seed);
* answers written in the documents: RAG "struggles if documents don't contain the answer" (seed);
* fixed style or format: fine-tuning teaches behaviour, retrieval adds facts (seed: hybrid
  fine-tunes "style, format preferences");
* how fast facts change: for new facts retrieval beats unsupervised fine-tuning (Ovadia et al.
  2023); seed: yearly retraining for stable domains, monthly or weekly for volatile ones;
* query variety: "same query patterns repeat" favours fine-tuning, "query types vary widely"
  favours RAG (seed).

The hybrid gets both strategies' benefits where they add up (Balaguer et al. 2024: fine-tuning and
retrieval gains are cumulative) and takes the *better* score there; where it inherits
fine-tuning's weakness it sits *half-way* between the two. It never scores above the better one.
The penalties per percentage point and the anchor scores are heuristics, stated here so they can
be argued with.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import pairwise
from statistics import fmean

from engine import numbers as nf
from engine.context import Context, v
from engine.model.results import FitIndicator
from engine.model.scenario import Knowledge, QueryVariety

# (labelled examples, score) anchors, interpolated on log10(examples); seed FAQ rule of thumb.
EXAMPLE_ANCHORS: tuple[tuple[float, float], ...] = ((1, 0), (100, 15), (1_000, 70), (10_000, 100))
# (days between changes of a material fact, fine-tuning score), interpolated on log10(days).
FACT_CHANGE_ANCHORS: tuple[tuple[float, float], ...] = (
    (1, 0),
    (7, 15),
    (30, 45),
    (90, 70),
    (365, 100),
)
# Points lost per percentage point of out-of-domain questions.
OUT_OF_DOMAIN_PENALTY = {"fine_tuning": 1.5, "rag": 0.6}
# A fine-tuned model learns from the labelled answers too, so it leans on the documents less.
FT_DOCUMENT_FLOOR = 60.0
RAG_STYLE_SCORE = 40.0  # format held only by prompt instructions
VARIETY_SCORES: dict[QueryVariety, tuple[float, float]] = {  # (fine-tuning, RAG)
    QueryVariety.narrow: (100.0, 65.0),
    QueryVariety.moderate: (75.0, 90.0),
    QueryVariety.broad: (35.0, 100.0),
}

Scored = tuple[float, str]
NEUTRAL_STYLE_REASON = "No fixed style or format is required, so this does not count."


Scores = dict[str, Scored]  # strategy → (score, reason) for one indicator


def _scores(fine_tuning: Scored, rag: Scored, hybrid: Scored) -> Scores:
    return {"fine_tuning": fine_tuning, "rag": rag, "hybrid": hybrid}


def _best(ft: float, rag: float) -> float:
    return max(ft, rag)


def _midway(ft: float, rag: float) -> float:
    return (ft + rag) / 2.0


def log_interpolate(x: float, anchors: tuple[tuple[float, float], ...]) -> float:
    """Piecewise-linear in log10(x) through the anchors; flat beyond the first and last."""
    if x <= anchors[0][0]:
        return anchors[0][1]
    for (x0, y0), (x1, y1) in pairwise(anchors):
        if x <= x1:
            t = (math.log10(x) - math.log10(x0)) / (math.log10(x1) - math.log10(x0))
            return y0 + t * (y1 - y0)
    return anchors[-1][1]


def _clamp(score: float) -> float:
    return min(100.0, max(0.0, score))


# --- the indicators --------------------------------------------------------------------------


def _examples_band(n: float) -> str:
    if n < 100:
        return "below the seed's 100-example minimum: risky"
    if n < 1_000:
        return "above the minimum but short of the ~1,000 the seed calls reliable"
    if n < 10_000:
        return "reliable (seed: ~1,000 reliable, ≥10,000 excellent)"
    return "excellent (seed: ≥10,000)"


def _examples(k: Knowledge) -> Scores:
    n = v(k.training_examples)
    ft = log_interpolate(n, EXAMPLE_ANCHORS)
    said = f"{nf.count(n)} labelled examples, {_examples_band(n)}"
    return _scores(
        (ft, f"{said}."),
        (100.0, "RAG needs no labelled examples: it answers from the documents as they are."),
        (
            _midway(ft, 100.0),
            f"{said}; retrieval supplies the facts, so the hybrid leans on them half as much."
            if ft < 100.0
            else f"{said}.",
        ),
    )


def _out_of_domain(k: Knowledge) -> Scores:
    pct = v(k.out_of_domain_pct)
    ft = _clamp(100.0 - OUT_OF_DOMAIN_PENALTY["fine_tuning"] * pct)
    rag = _clamp(100.0 - OUT_OF_DOMAIN_PENALTY["rag"] * pct)
    said = f"{nf.number(pct)}% of questions are out of domain"
    return _scores(
        (ft, f"{said}; fine-tuned models struggle outside their domain (seed)."),
        (rag, f"{said}; the base model still answers broadly, so RAG degrades gracefully."),
        (
            _midway(ft, rag),
            f"{said}; its model is tuned for style, not facts, so it narrows less than a "
            "pure fine-tune.",
        ),
    )


def _answers_in_documents(k: Knowledge) -> Scores:
    pct = v(k.answers_in_documents_pct)
    ft = FT_DOCUMENT_FLOOR + (100.0 - FT_DOCUMENT_FLOOR) * pct / 100.0
    said = f"{nf.number(pct)}% of answers are written in the documents"
    return _scores(
        (
            ft,
            f"{said}; fine-tuning also learns from the labelled answers, so needs them less.",
        ),
        (pct, f"{said}; RAG cannot answer what the documents do not contain (seed)."),
        (
            _best(ft, pct),
            f"{said}; the tuned model covers what is not written down, retrieval the rest "
            "(gains add up: Balaguer et al. 2024).",
        ),
    )


def _fixed_style(k: Knowledge) -> Scores:
    if not k.needs_fixed_style:
        neutral = (100.0, NEUTRAL_STYLE_REASON)
        return _scores(neutral, neutral, neutral)
    return _scores(
        (100.0, "A fixed style or format is required; fine-tuning teaches it reliably."),
        (
            RAG_STYLE_SCORE,
            "A fixed style or format is required; retrieval adds facts, not behaviour, so it "
            "rests on prompt instructions.",
        ),
        (100.0, "A fixed style or format is required; the hybrid's fine-tune carries it."),
    )


def _fact_change(k: Knowledge) -> Scores:
    days = v(k.fact_change_interval_days)
    ft = log_interpolate(days, FACT_CHANGE_ANCHORS)
    said = f"Material facts change every {nf.number(days)} days"
    return _scores(
        (
            ft,
            f"{said}; each change needs a retrain, and fine-tuning absorbs new facts poorly "
            "(Ovadia et al. 2023).",
        ),
        (100.0, f"{said}; retrieval picks up a change at the next re-index (Ovadia et al. 2023)."),
        (
            _best(ft, 100.0),
            f"{said}; facts come through retrieval, so the model is trained on behaviour only.",
        ),
    )


def _query_variety(k: Knowledge) -> Scores:
    ft, rag = VARIETY_SCORES[k.query_variety]
    said = f"Query variety is {k.query_variety.value}"
    return _scores(
        (ft, f"{said}; fine-tuning suits repeating query patterns (seed)."),
        (rag, f"{said}; RAG suits questions that vary widely (seed)."),
        (
            _best(ft, rag),
            f"{said}; the fine-tune covers repeating patterns, retrieval the wide-ranging rest.",
        ),
    )


INDICATORS: dict[str, tuple[str, Callable[[Knowledge], Scores]]] = {
    "examples": ("Labelled examples", _examples),
    "out_of_domain": ("Out-of-domain questions", _out_of_domain),
    "answers_in_documents": ("Answers in the documents", _answers_in_documents),
    "fixed_style": ("Fixed style or format", _fixed_style),
    "fact_change": ("How fast facts change", _fact_change),
    "query_variety": ("Query variety", _query_variety),
}


# --- public API ------------------------------------------------------------------------------


def fit_indicators(ctx: Context, strategy: str) -> list[FitIndicator]:
    """Every fit indicator for one strategy, each 0–100 with the input value in its reason."""
    return all_fit_indicators(ctx)[strategy]


def all_fit_indicators(ctx: Context) -> dict[str, list[FitIndicator]]:
    """:func:`fit_indicators` of every strategy, each rule applied once."""
    knowledge = ctx.scenario.knowledge
    out: dict[str, list[FitIndicator]] = {}
    for key, (label, rule) in INDICATORS.items():
        for strategy, (score, reason) in rule(knowledge).items():
            out.setdefault(strategy, []).append(
                FitIndicator(key=key, label=label, score=score, reason=reason)
            )
    return out


def fit_score(indicators: list[FitIndicator]) -> tuple[float, str]:
    """The mean of the indicators; the reason names the strongest and the weakest."""
    if not indicators:
        return 100.0, "No fit indicators apply."
    mean = fmean(i.score for i in indicators)
    # A neutral indicator (not needed, so 100 for everyone) says nothing about the strategy.
    best = max(indicators, key=lambda i: (i.reason != NEUTRAL_STYLE_REASON, i.score))
    worst = min(indicators, key=lambda i: i.score)
    if best.score == worst.score:
        return mean, f"All {len(indicators)} fit indicators score {nf.count(best.score)}."
    return mean, (
        f"Average of {len(indicators)} fit indicators. Strongest: {best.label.lower()} "
        f"({nf.count(best.score)}) — {best.reason} Weakest: {worst.label.lower()} "
        f"({nf.count(worst.score)}) — {worst.reason}"
    )
