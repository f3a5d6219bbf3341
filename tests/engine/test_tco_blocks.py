"""Total cost at many volumes: a long horizon is priced in blocks of rows (engine.costs,
CostModel.tco), each volume exactly as it would be alone; a Monte Carlo pass's rows stay
its sample rows."""

from __future__ import annotations

import numpy as np

from benchmarks.largest import largest_project
from engine.costs import BLOCK_CELLS, cost_models
from engine.crossover import GRID
from engine.evaluate import context_for, evaluate
from engine.uncertainty import draw, outcomes, uncertain_inputs

PROJECT = largest_project()  # 600 months of growth: the grid is many blocks
SCENARIO = PROJECT.scenarios[0]


def test_a_long_horizon_prices_each_volume_as_it_would_alone() -> None:
    models = cost_models(context_for(PROJECT, SCENARIO))
    assert len(GRID) * len(models["rag"].growth) > 10 * BLOCK_CELLS
    for model in models.values():
        alone = np.array([model.tco(np.array([q]))[0] for q in GRID])
        assert np.array_equal(model.tco(GRID), alone)


def test_monte_carlo_rows_stay_sample_rows_at_a_long_horizon() -> None:
    rows = 2 * BLOCK_CELLS // len(cost_models(context_for(PROJECT, SCENARIO))["rag"].growth)
    values = draw(uncertain_inputs(SCENARIO), rows, 0, "triangular")
    base = evaluate(PROJECT, SCENARIO)
    together = outcomes(PROJECT, SCENARIO, values, base)
    for row in (0, rows // 2, rows - 1):
        alone = outcomes(PROJECT, SCENARIO, {p: v[row : row + 1] for p, v in values.items()}, base)
        for key, tco in together.tco.items():
            assert tco[row] == alone.tco[key][0]
