"""The engine builds its figures with fast constructors (engine.model.results, ``make_figure``
and ``figure_input``): what they build is what the dataclasses' own constructors build."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from engine.model.results import Figure, FigureInput, figure_input, make_figure


def test_a_figure_input_built_fast_is_the_one_the_dataclass_builds() -> None:
    for value in (2.5, 3, "catalog: somewhere, as of 2026-01-01"):
        fast = figure_input("price", value, "USD/GPU-hour")
        slow = FigureInput(name="price", value=value, unit="USD/GPU-hour")
        assert fast == slow
        assert repr(fast) == repr(slow)
        assert type(fast.value) is type(value)
        assert pickle.loads(pickle.dumps(fast)) == slow
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.unit = "EUR"  # type: ignore[misc]


def test_a_figure_built_fast_is_the_one_the_dataclass_builds() -> None:
    inputs = [FigureInput(name="a", value=1.0, unit="s")]
    fields = {
        "key": "rag.latency_total",
        "label": "Time to full answer (p50)",
        "value": 1.25,
        "unit": "s",
        "formula": "time to first token + output tokens ÷ decode rate",
        "inputs": inputs,
        "note": "A note.",
    }
    fast = make_figure(**fields)  # type: ignore[arg-type]
    slow = Figure(**fields)  # type: ignore[arg-type]
    assert fast == slow
    assert repr(fast) == repr(slow)
    for field in dataclasses.fields(Figure):  # every field set, each to its own value
        assert getattr(fast, field.name) is fields[field.name]
    assert fast.inputs is inputs
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert copy.deepcopy(fast) == slow
    assert dataclasses.replace(fast, note="") == dataclasses.replace(slow, note="")
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.value = 2.0  # type: ignore[misc]
