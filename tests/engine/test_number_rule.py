"""Numbers in files are numbers: true/false where a number belongs is refused with the path;
JSON integers are still accepted for decimal fields."""

from __future__ import annotations

import json
import math

import pytest

from engine.fileformat import ProjectFileError, dump_project, parse_project
from engine.model import Project


def file_with(project: dict) -> bytes:
    envelope = json.loads(dump_project(Project()))
    envelope["project"] = project
    return json.dumps(envelope).encode()


@pytest.mark.parametrize(
    ("project", "path"),
    [
        ({"usd_exchange_rate": True}, "usd_exchange_rate"),
        ({"scenarios": [{"workload": {"queries_per_month": True}}]}, "queries_per_month"),
        (
            {"scenarios": [{"workload": {"queries_per_month": {"likely": 5, "high": False}}}]},
            "queries_per_month.high",
        ),
        ({"scenarios": [{"cost_overrides": {"rag.generation": True}}]}, "cost_overrides"),
        (
            {
                "catalog_overrides": {
                    "gpus": {
                        "x": {
                            "id": "x",
                            "name": "x",
                            "source": "s",
                            "as_of": "2026-01-01",
                            "peak_bf16_dense_tflops": 1,
                            "memory_gb": True,
                            "memory_bandwidth_tb_s": 1,
                            "on_demand_usd_per_hour": 1,
                        }
                    }
                }
            },
            "memory_gb",
        ),
    ],
)
def test_true_false_where_a_number_belongs_is_refused_with_the_path(
    project: dict, path: str
) -> None:
    with pytest.raises(ProjectFileError) as caught:
        parse_project(file_with(project))
    message = str(caught.value)
    assert path in message
    assert "true/false" in message


def test_integers_are_numbers_and_switches_stay_switches() -> None:
    project = parse_project(
        file_with(
            {
                "usd_exchange_rate": 2,
                "scenarios": [
                    {
                        "workload": {"queries_per_month": 1000},
                        "knowledge": {"needs_fixed_style": True},
                        "cost_overrides": {"rag.generation": 1},
                    }
                ],
            }
        )
    )
    assert project.usd_exchange_rate == 2.0
    assert project.scenarios[0].knowledge.needs_fixed_style is True
    assert project.scenarios[0].cost_overrides == {"rag.generation": 1.0}


def test_one_money_formatter_rounds_half_up_everywhere() -> None:
    import engine.report as report
    from engine import numbers as nf
    from engine.evaluate import evaluate
    from engine.templates import load_template

    assert nf.money(1234.5, "USD") == "USD 1,235"
    assert nf.money(0.125, "USD") == "USD 0.13"
    # The CLI text has no rounding of its own: it prints what the app and the PDF print.
    assert not hasattr(report, "money") and not hasattr(report, "per_query")
    ev = evaluate(load_template("seed-small-company"))
    text = report.evaluation_text(ev)
    for strategy in ev.strategies.values():
        assert nf.money(strategy.tco.value, ev.currency) in text
        assert nf.money_per_query(strategy.per_query, ev.currency) in text


def test_rounding_kept_by_value_gives_what_rounding_afresh_gives() -> None:
    """Half-up rounding of a float is kept by value and places (engine.numbers._rounded):
    the same value at other places, or a zero of the other sign, is rounded afresh."""
    from decimal import ROUND_HALF_UP, Decimal

    from engine.numbers import _rounded

    def afresh(value: float, decimals: int) -> float:
        quantum = Decimal(1).scaleb(-decimals)
        return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))

    values = [2.675, 1234.5, 0.125, -7.45, 1e-7, 0.0, -0.0, 999.995]
    for _ in range(2):  # the second pass reads what the first kept
        for decimals in (0, 1, 2, 3):
            for value in values:
                rounded = _rounded(value, decimals)
                assert rounded == afresh(value, decimals)
                assert math.copysign(1.0, rounded) == math.copysign(1.0, afresh(value, decimals))
    assert _rounded(float("inf"), 2) == float("inf")
