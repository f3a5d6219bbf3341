"""engine.context's shared helpers give the deterministic path and the Monte Carlo path the
same shapes."""

from __future__ import annotations

import numpy as np

from engine.context import column


def test_a_column_is_what_numpy_reshapes_to_for_numbers_and_samples() -> None:
    samples = np.array([1.0, 2.5, 4.0])
    for x in (20_000.0, np.float64(3.5), 7, samples, samples.reshape(-1, 1)):
        made = column(x)  # type: ignore[arg-type]
        expected = np.reshape(x, (-1, 1))
        assert made.shape == expected.shape
        assert made.dtype == expected.dtype
        np.testing.assert_array_equal(made, expected)
