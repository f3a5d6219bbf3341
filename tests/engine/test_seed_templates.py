"""The seed article's two scenarios, computed from its own inputs.

Hand arithmetic (12 months, flat figures exactly as the article states them):

Small company, 1,000 queries/month
  fine-tuning = 100 + 1,000 + 12 × 50                 = 1,700   (article: "$2,000")
  RAG         = 12 × (50 + 1,000 × 0.11)              = 1,920   (article: "$14,400")
  crossover: 1,100 + 600 = 600 + 12 × 0.11 × Q  ⇒  Q = 1,100 / 1.32 = 833.33 queries/month
  payback: 1,100 + 50 m ≤ 160 m  ⇒  m ≥ 10: month 10    (article: "paid back in 3-4 months")

Enterprise, 1,000,000 queries/month
  fine-tuning = 1,500 + 15,000 + 12 × 1,000           = 28,500  (article: "$43,500")
  RAG         = 12 × (500 + 1,000,000 × 0.11)         = 1,326,000 (article: "$45,600", parity)
  crossover: 16,500 + 12,000 = 6,000 + 1.32 Q  ⇒  Q = 22,500 / 1.32 = 17,045.45 queries/month
"""

from __future__ import annotations

import pytest

from engine.evaluate import evaluate
from engine.templates import load_template


def crossover(evaluation, a: str, b: str) -> list[float]:
    return [c.queries_per_month for c in evaluation.crossovers if set(c.between) == {a, b}]


def test_small_company_totals_and_crossover() -> None:
    ev = evaluate(load_template("seed-small-company"))
    ft, rag = ev.strategies["fine_tuning"], ev.strategies["rag"]
    assert ft.tco.value == pytest.approx(1_700.00, abs=0.005)
    assert rag.tco.value == pytest.approx(1_920.00, abs=0.005)
    assert ft.one_time == pytest.approx(1_100)
    assert rag.per_query == pytest.approx(0.11)
    [q] = crossover(ev, "fine_tuning", "rag")
    assert q == pytest.approx(1_100 / 1.32, rel=1e-8)
    assert next(c for c in ev.crossovers if set(c.between) == {"fine_tuning", "rag"}).label == (
        "Fine-tuning cheaper than RAG above 833 queries/month"
    )
    payback = next(p for p in ev.paybacks if p.strategy == "fine_tuning")
    assert (payback.versus, payback.month) == ("rag", 10)


def test_enterprise_totals_and_crossover() -> None:
    ev = evaluate(load_template("seed-enterprise"))
    assert ev.strategies["fine_tuning"].tco.value == pytest.approx(28_500.00, abs=0.005)
    assert ev.strategies["rag"].tco.value == pytest.approx(1_326_000.00, abs=0.005)
    [q] = crossover(ev, "fine_tuning", "rag")
    assert q == pytest.approx(22_500 / 1.32, rel=1e-8)
    labels = [c.label for c in ev.crossovers]
    assert "Fine-tuning cheaper than RAG above 17,045 queries/month" in labels


def test_hybrid_read_literally_from_the_article() -> None:
    # Hybrid = fine-tuning one-time (1,100) + RAG monthly (50) + RAG per query (0.11).
    ev = evaluate(load_template("seed-small-company"))
    assert ev.strategies["hybrid"].tco.value == pytest.approx(1_100 + 12 * (50 + 110))
    # Hybrid costs exactly 1,100 more than RAG at every volume: they never cross.
    assert crossover(ev, "hybrid", "rag") == []


def test_overrides_are_marked_and_keep_the_computed_value_for_reference() -> None:
    ev = evaluate(load_template("seed-small-company"))
    component = next(
        c for c in ev.strategies["fine_tuning"].components if c.key == "training_compute"
    )
    assert component.overridden
    assert component.figure.value == 100
    assert "override" in component.figure.formula
