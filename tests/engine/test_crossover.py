"""The crossover search on curves whose crossings are known exactly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from engine.crossover import GRID, find_crossovers

Array = Any


class Curve:
    """Stands in for a CostModel: the search only asks for tco(volumes)."""

    def __init__(self, fn: Callable[[Array], Array]) -> None:
        self.fn = fn

    def tco(self, q: Array) -> Array:
        return np.asarray(self.fn(np.asarray(q, dtype=float)), dtype=float)


def _models(ft: Callable[[Array], Array], rag: Callable[[Array], Array]) -> dict[str, Any]:
    never = Curve(lambda q: 1e30 + 0 * q)  # hybrid: always dearest, crosses nothing
    return {"fine_tuning": Curve(ft), "rag": Curve(rag), "hybrid": never}


def test_two_straight_lines_cross_where_algebra_says() -> None:
    # 50 000 + 0.001 q = 20 000 + 0.004 q  ⇔  q = 10 000 000
    found = find_crossovers(_models(lambda q: 50_000 + 0.001 * q, lambda q: 20_000 + 0.004 * q))
    assert len(found) == 1
    assert found[0].queries_per_month == pytest.approx(1e7, rel=1e-9)
    assert found[0].cheaper_above == "fine_tuning"


def test_a_step_is_found_at_the_step() -> None:
    # RAG is flat at 100 until it buys a second replica at exactly 1 234 567 queries/month.
    step = 1_234_567.0
    found = find_crossovers(
        _models(lambda q: 150 + 0 * q, lambda q: np.where(q < step, 100.0, 200.0))
    )
    assert len(found) == 1
    assert found[0].queries_per_month == pytest.approx(step, rel=1e-9)
    assert found[0].cheaper_above == "fine_tuning"


def test_a_staircase_weaving_round_a_line_is_one_crossing_in_the_right_order() -> None:
    # RAG − fine-tuning falls through zero near 10 100 000 with a 1-wide sawtooth of period 10
    # on top: over the 1 000 queries where the trend is within the sawtooth's reach, the curves
    # cross at every tooth, all inside one grid step.
    def line(q: Array) -> Array:
        return 1.0 * q

    def staircase(q: Array) -> Array:
        return q + 1e-3 * (1.01e7 - q) + (q / 10 - np.floor(q / 10))

    found = find_crossovers(_models(line, staircase))
    assert len(found) == 1
    (c,) = found
    assert abs(c.queries_per_month / 1.01e7 - 1) < 2e-4
    assert c.cheaper_above == "rag"
    q = c.queries_per_month
    d = staircase(np.array([q * (1 - 1e-9), q * (1 + 1e-9)])) - line(
        np.array([q * (1 - 1e-9), q * (1 + 1e-9)])
    )
    assert d[0] * d[1] <= 0  # a real crossing, not the middle of a tread


def test_a_crossing_exactly_on_a_grid_point_is_labelled_by_what_follows() -> None:
    # 10⁷ is a grid point; the curves are equal there and RAG is dearer from then on.
    found = find_crossovers(_models(lambda q: 9e6 + 0.1 * q, lambda q: 1e6 + 0.9 * q))
    assert [c.cheaper_above for c in found] == ["fine_tuning"]
    assert found[0].queries_per_month == pytest.approx(1e7, rel=1e-9)
    assert "Fine-tuning cheaper than RAG above 10,000,000" in found[0].label


def test_curves_that_touch_and_part_the_way_they_came_do_not_cross() -> None:
    # RAG touches fine-tuning at 10⁷ (a grid point) and at 3·10⁵ (between grid points).
    def rag(q: Array) -> Array:
        return 100 + np.minimum(np.abs(np.log10(q) - 7), np.abs(q / 3e5 - 1))

    assert find_crossovers(_models(lambda q: 100 + 0 * q, rag)) == []


def test_an_excursion_inside_one_grid_step_is_not_reported() -> None:
    # RAG dips below fine-tuning for 0.1 % of volume around 5 000 000: narrower than a grid step.
    def rag(q: Array) -> Array:
        return np.where(np.abs(q / 5e6 - 1) < 5e-4, 50.0, 200.0)

    grid_hits = np.abs(GRID / 5e6 - 1) < 5e-4
    assert not grid_hits.any()  # the excursion falls between two grid points
    assert find_crossovers(_models(lambda q: 100 + 0 * q, rag)) == []


def test_every_crossing_of_a_many_step_curve_is_found_and_ordered() -> None:
    # Replica steps every decade against a line: the two cross at each step they straddle.
    def replicas(q: Array) -> Array:
        return 1000.0 * np.ceil(np.log10(np.maximum(q, 1.0)) + 1e-12)

    def line(q: Array) -> Array:
        return 1000.0 * np.log10(np.maximum(q, 1.0)) + 500.0

    found = find_crossovers(_models(line, replicas))
    assert len(found) >= 20
    volumes = [c.queries_per_month for c in found]
    assert volumes == sorted(volumes)
    for c in found:
        q = c.queries_per_month
        d = line(np.array([q * (1 - 1e-9), q * (1 + 1e-9)])) - replicas(
            np.array([q * (1 - 1e-9), q * (1 + 1e-9)])
        )
        assert d[0] * d[1] <= 0
