"""The incremental engine gives what a full evaluation gives: after any sequence of edits
(weights, names and descriptions, which reuse kept results; the volume and the latency targets,
which keep the cost models, crossovers and curves of the other inputs and rebuild what reads
them; other inputs, which compute everything; and edits back to an earlier state, which find
it kept), each result equals the one computed from scratch with nothing kept."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.costs import cost_models
from engine.evaluate import clear_cache, context_for, evaluate_with_curves
from engine.model.base import Estimate
from engine.model.project import Project
from engine.model.scenario import STRATEGIES, Serving
from engine.report import evaluation_json
from engine.templates import load_template

BASE = load_template("support-assistant")

# (path in the scenario, values to choose from)
EDITS: list[tuple[tuple[str, ...], list[Any]]] = [
    (("weights", "cost"), [0, 5, 35, 80]),
    (("weights", "latency"), [0, 10, 60]),
    (("weights", "freshness"), [0, 20, 45]),
    (("weights", "compliance"), [5, 25, 90]),
    (("weights", "fit"), [0, 15, 70]),
    (("name",), ["Base", "Other name"]),
    (("description",), ["", "A note."]),
    (("workload", "queries_per_month"), [2_000.0, 30_000.0, 5e6]),
    (("workload", "prompt_tokens_per_query"), [300.0, 900.0]),
    (("workload", "horizon_months"), [12, 36]),
    (("requirements", "freshness_target_days"), [1.0, 14.0, 90.0]),
    (("requirements", "latency_target_s"), [1.0, 8.0]),
    (("requirements", "latency_need"), ["prefer", "must", "off"]),
    (("requirements", "latency_p95_target_s"), [6.0, 12.0]),
    (("requirements", "latency_p95_need"), ["off", "must"]),
    (("rag", "top_k"), [3, 8]),
    (("workload", "peak_to_average_load"), [2.0, 6.0]),
    (("serving", "rag", "mode"), ["api", "self_hosted"]),
    (("serving", "rag", "api_price_multiplier"), [1.0, 1.6]),
    (("serving", "fine_tuning", "concurrent_streams_per_replica"), [16.0, 4.0]),
    (("serving", "hybrid", "availability"), ["always_on", "business_hours"]),
    (("cost_overrides",), [{}, {"fine_tuning.serving": 900.0, "rag.vector_store": 70.0}]),
]


def _replaced(node: Any, path: tuple[str, ...], value: Any) -> Any:
    """``node`` with one value replaced, validated level by level (as the app edits)."""
    if not path:
        return value
    if isinstance(node, Estimate) and path == ("likely",):
        low = None if node.low is None else min(node.low, value)  # the range widened
        high = None if node.high is None else max(node.high, value)  # as the app does
        return Estimate(likely=value, low=low, high=high)
    data = {name: getattr(node, name) for name in type(node).model_fields}
    key = path[0]
    if isinstance(data[key], Estimate) and len(path) == 1:
        data[key] = _replaced(data[key], ("likely",), value)
    else:
        data[key] = _replaced(data[key], path[1:], value)
    return type(node).model_validate(data)


def _edited(project: Project, path: tuple[str, ...], value: Any) -> Project:
    scenario = _replaced(project.scenarios[0], path, value)
    return project.model_copy(update={"scenarios": [scenario, *project.scenarios[1:]]})


def _same(incremental: tuple[Any, Any], full: tuple[Any, Any]) -> None:
    (evaluation, curves), (expected, expected_curves) = incremental, full
    # Every field, every number's type (numpy's or Python's) and every text, as written.
    assert repr(dataclasses.asdict(evaluation)) == repr(dataclasses.asdict(expected))
    assert evaluation_json(evaluation) == evaluation_json(expected)
    assert evaluation.scenario == expected.scenario
    assert evaluation.weights == expected.weights
    np.testing.assert_array_equal(curves.volumes, expected_curves.volumes)
    for key, tco in expected_curves.tco.items():
        np.testing.assert_array_equal(curves.tco[key], tco)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(EDITS) - 1), st.integers(0, 3), st.booleans()),
        min_size=1,
        max_size=8,
    )
)
def test_edit_sequences_evaluate_as_from_scratch(steps: list[tuple[int, int, bool]]) -> None:
    clear_cache()
    project = BASE
    history = [project]
    for edit, choice, back in steps:
        if back and len(history) > 1:  # undo-like: an earlier state, kept results found
            project = history[choice % len(history)]
        else:
            path, values = EDITS[edit]
            project = _edited(project, path, values[choice % len(values)])
            history.append(project)
        scenario = project.scenarios[0]
        incremental = evaluate_with_curves(project, scenario, points=60)
        clear_cache_after = evaluate_with_curves(project, scenario, points=60)
        assert clear_cache_after[0] == incremental[0]  # kept: the same result again
        clear_cache()
        full = evaluate_with_curves(project, scenario, points=60)
        _same(incremental, full)
        # The next step starts from a cache that holds this state (as after a real edit).


def test_a_weight_edit_reuses_the_cost_results() -> None:
    """A weight changes the totals and the recommendation, not the costs: they are the same
    objects as before the edit, while a volume edit computes new ones."""
    clear_cache()
    first = evaluate_with_curves(BASE, BASE.scenarios[0], points=60)[0]
    weighted = _edited(BASE, ("weights", "cost"), 80)
    second = evaluate_with_curves(weighted, weighted.scenarios[0], points=60)[0]
    assert second.strategies["rag"].tco is first.strategies["rag"].tco
    assert second.weights != first.weights
    moved = _edited(BASE, ("workload", "queries_per_month"), 5e6)
    third = evaluate_with_curves(moved, moved.scenarios[0], points=60)[0]
    assert third.strategies["rag"].tco is not first.strategies["rag"].tco
    assert third.strategies["rag"].tco.value != first.strategies["rag"].tco.value


def _variant(name: str) -> Project:
    """Projects whose figures read the month-1 volume in every way the engine has: self-hosted
    serving on rented GPUs (support-assistant), on a regional GPU offer (eu-insurer-claims), on
    the client's own servers (with their capital cost), a serving and a vector-store override
    (whose notes name the computed value), and prices judged stale at the project's date."""
    if name == "eu-insurer-claims":
        return load_template(name)
    project = load_template("support-assistant")
    scenario = project.scenarios[0]
    if name == "owned servers":
        rag = scenario.serving.rag.model_copy(
            update={"mode": "self_hosted", "gpu": "h100-sxm", "gpu_offering": "owned"}
        )
        scenario = scenario.model_copy(
            update={"serving": scenario.serving.model_copy(update={"rag": rag})}
        )
    elif name == "overrides":
        scenario = scenario.model_copy(
            update={"cost_overrides": {"fine_tuning.serving": 900.0, "rag.vector_store": 70.0}}
        )
    elif name == "stale prices":
        project = project.model_copy(update={"quote_date": "2031-01-01"})
    return project.model_copy(update={"scenarios": [scenario, *project.scenarios[1:]]})


@pytest.mark.parametrize(
    "name", ["support-assistant", "eu-insurer-claims", "owned servers", "overrides", "stale prices"]
)
def test_a_volume_edit_rebuilds_exactly_what_reads_the_volume(name: str) -> None:
    """A volume edit keeps the cost models, crossovers and curves of the input set and builds
    only the figures that read the volume again: each result equals one from scratch, down to
    every figure, note and formatted number."""
    project = _variant(name)
    clear_cache()
    evaluate_with_curves(project, project.scenarios[0], points=60)  # the input set, kept
    for volume in (0.0, 1_234.5, 2e6, 5e9, 20_000.0):
        moved = _edited(project, ("workload", "queries_per_month"), volume)
        incremental = evaluate_with_curves(moved, moved.scenarios[0], points=60)
        clear_cache()
        full = evaluate_with_curves(moved, moved.scenarios[0], points=60)
        _same(incremental, full)
        clear_cache()
        evaluate_with_curves(project, project.scenarios[0], points=60)


@pytest.mark.parametrize("name", ["support-assistant", "owned servers", "stale prices"])
def test_a_cost_model_at_another_volume_is_the_one_built_there(name: str) -> None:
    project = _variant(name)
    ctx = context_for(project, project.scenarios[0])
    built = cost_models(ctx)
    for volume in (0.0, 3e4, 7e8):
        moved = _edited(project, ("workload", "queries_per_month"), volume)
        at = context_for(moved, moved.scenarios[0])
        fresh = cost_models(at)
        again = {key: model.at_volume(at) for key, model in built.items()}
        for key, model in again.items():
            assert model.results() == fresh[key].results()
            assert list(model.figures.items()) == list(fresh[key].figures.items())
        assert any(again[k].results() != built[k].results() for k in built)  # figures moved
    # The models it started from are left as they were.
    for key, model in cost_models(ctx).items():
        assert built[key].results() == model.results()
        assert built[key].figures == model.figures


def test_a_volume_edit_reuses_what_the_volume_does_not_change() -> None:
    """Crossovers, compliance, fit and the chart's curves (the same volume axis) are the same
    objects after a volume edit; the total cost and the replicas at the new volume are new."""
    clear_cache()
    first = evaluate_with_curves(BASE, BASE.scenarios[0], points=60)
    moved = _edited(BASE, ("workload", "queries_per_month"), 30_000.0)
    second = evaluate_with_curves(moved, moved.scenarios[0], points=60)
    assert second[0].crossovers is first[0].crossovers
    assert second[1] is first[1]
    for key in ("fine_tuning", "rag", "hybrid"):
        was, now = first[0].strategies[key], second[0].strategies[key]
        assert now.compliance is was.compliance
        assert now.fit is was.fit
        assert now.tco != was.tco  # its inputs name the volume
    replicas = "serving_replicas"
    assert (
        second[0].strategies["hybrid"].figures[replicas]
        != (first[0].strategies["hybrid"].figures[replicas])
    )


def test_a_latency_target_edit_judges_the_same_latency_again() -> None:
    """A latency target or its need changes the latency scores and exclusions, not the costs
    or the latency figures: the curves and crossovers are the same objects, and every result
    equals one from scratch — for the API strategy (RAG, whose judgement is kept per target)
    as for the self-hosted ones — also at a volume typed after the targets, and back."""
    clear_cache()
    first = evaluate_with_curves(BASE, BASE.scenarios[0], points=60)
    project = BASE
    for path, value in (
        (("requirements", "latency_target_s"), 5.0),  # RAG (5.09 s) now misses it
        (("requirements", "latency_need"), "must"),  # … and is excluded
        (("workload", "queries_per_month"), 30_000.0),
        (("requirements", "latency_p95_need"), "must"),
        (("requirements", "latency_p95_target_s"), 10.0),
        (("requirements", "latency_need"), "prefer"),
        (("workload", "queries_per_month"), 20_000.0),
        (("requirements", "latency_p95_need"), "off"),
        (("requirements", "latency_target_s"), 4.0),
    ):
        project = _edited(project, path, value)
        scenario = project.scenarios[0]
        incremental = evaluate_with_curves(project, scenario, points=60)
        assert incremental[0].crossovers is first[0].crossovers
        assert incremental[1] is first[1]
        kept = evaluate_with_curves(project, scenario, points=60)
        clear_cache()
        full = evaluate_with_curves(project, scenario, points=60)
        _same(incremental, full)
        _same(kept, full)
        clear_cache()
        first = evaluate_with_curves(BASE, BASE.scenarios[0], points=60)
        evaluate_with_curves(project, scenario, points=60)
    excluded = _edited(
        _edited(BASE, ("requirements", "latency_target_s"), 5.0),
        ("requirements", "latency_need"),
        "must",
    )
    assert evaluate_with_curves(excluded, excluded.scenarios[0])[0].strategies["rag"].excluded


def test_the_serving_options_are_one_per_strategy() -> None:
    """The engine keeps each strategy's cost model by the input set without the other
    strategies' serving options (engine.evaluate, ``_Cache._models``): that holds while the
    serving section is nothing but one option per strategy."""
    assert tuple(Serving.model_fields) == STRATEGIES


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("serving", "fine_tuning", "concurrent_streams_per_replica"), 4.0),
        (("serving", "rag", "api_price_multiplier"), 1.6),
        (("serving", "rag", "mode"), "self_hosted"),
        (("serving", "hybrid", "availability"), "business_hours"),
    ],
)
def test_a_serving_option_edit_builds_that_strategy_s_model_alone(
    path: tuple[str, ...], value: Any
) -> None:
    """An edit of one strategy's serving option builds that strategy's cost model again and
    keeps the other two (their figures are the same objects), also after a volume edit (the
    models moved to the volume are kept too); every result equals one from scratch."""
    edited_key = path[1]
    for volume in (None, 45_000.0):
        clear_cache()
        project = BASE
        evaluate_with_curves(project, project.scenarios[0], points=60)
        if volume is not None:
            project = _edited(project, ("workload", "queries_per_month"), volume)
        before, curves = evaluate_with_curves(project, project.scenarios[0], points=60)
        project = _edited(project, path, value)
        incremental = evaluate_with_curves(project, project.scenarios[0], points=60)
        for key in STRATEGIES:
            was = [c.figure for c in before.strategies[key].components]
            now = [c.figure for c in incremental[0].strategies[key].components]
            kept = all(a is b for a, b in zip(was, now, strict=True))
            assert kept is (key != edited_key), key
            # A kept model's curve is priced once (CostModel.tco_kept).
            assert (incremental[1].tco[key] is curves.tco[key]) is (kept and volume is None)
        clear_cache()
        _same(incremental, evaluate_with_curves(project, project.scenarios[0], points=60))


def test_a_kept_model_prices_each_curve_it_is_asked_for() -> None:
    """The curves a kept model has priced (CostModel.tco_kept) are kept by their point count
    and volume range: other points or another range are priced afresh, as from scratch."""
    clear_cache()
    scenario = BASE.scenarios[0]
    for points, volume_range in ((60, None), (61, None), (60, (10.0, 1e6)), (60, None)):
        kept = evaluate_with_curves(BASE, scenario, points=points, volume_range=volume_range)
        fresh = cost_models(context_for(BASE, scenario))
        for key, model in fresh.items():
            np.testing.assert_array_equal(kept[1].tco[key], model.tco(kept[1].volumes))
        assert len(kept[1].volumes) == points


def test_every_kept_result_holds_the_catalogs_its_key_names() -> None:
    """Cache keys name the shipped catalogs, the catalogs with the project's overrides and the
    regional offers by identity; an entry that outlived those objects could see their ids
    reused by another override set and serve its prices.  Each entry holds them."""
    import gc

    from engine import evaluate as ev
    from engine.catalog import shipped_catalogs
    from engine.model import Project

    clear_cache()
    project = load_template("seed-enterprise")
    gpu = project.scenarios[0].fine_tuning.training_gpu
    entry = shipped_catalogs().gpus.get(gpu).model_dump()
    data = project.model_dump()
    for step in range(ev.CACHE_SIZE * 3):  # more override sets than the catalogs kept
        entry["on_demand_usd_per_hour"] = 2.0 + step / 8
        data["catalog_overrides"]["gpus"] = {gpu: entry}
        edited = Project.model_validate(data)
        evaluate_with_curves(edited, edited.scenarios[0])
        del edited
        gc.collect()
    cache = ev._cache
    kept = [
        *((key[0][:3], held) for key, (_r, held) in cache.results.items()),
        *((key[:3], held) for key, (_s, held) in cache.shapes.items()),
        *((key[0][:3], held) for key, (_m, held) in cache.models.items()),
    ]
    assert len(kept) >= 3 * ev.CACHE_SIZE // 2
    for ids, held in kept:
        assert tuple(id(obj) for obj in held) == ids


def test_an_entry_dropped_by_another_thread_after_its_read_is_harmless() -> None:
    """The solver and the analysis workers evaluate on their own threads with the same cache:
    between one thread's read of an entry and its marking it recently used, another may have
    dropped it (a full cache drops its oldest on every new input set)."""
    from collections import OrderedDict

    from engine import evaluate as ev

    store: OrderedDict[str, int] = OrderedDict(kept=1)
    ev._cache._touch(store, "dropped meanwhile")
    ev._cache._touch(store, "kept")
    assert list(store) == ["kept"]
