"""The map's default axes, which the Decision map tab and the report both start from."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.decision_map import (
    DEFAULT_X,
    DEFAULT_Y,
    DecisionMapError,
    default_fields,
    map_fields,
)
from engine.templates import load_template


def test_volume_across_and_churn_up_else_the_first_input_with_a_value() -> None:
    fields = map_fields(load_template("seed-enterprise").scenarios[0])
    x, y = default_fields(fields)
    assert (x.path, y.path) == (DEFAULT_X, DEFAULT_Y)
    # Churn left empty: the first input that holds a value (never the volume twice).
    emptied = [replace(f, today=None) if f.path == DEFAULT_Y else f for f in fields]
    x, y = default_fields(emptied)
    first_other = next(f for f in emptied if f.today is not None and f.path != DEFAULT_X)
    assert (x.path, y.path) == (DEFAULT_X, first_other.path)
    with pytest.raises(DecisionMapError, match="fewer than two"):
        default_fields([f for f in fields if f.path == DEFAULT_X])
