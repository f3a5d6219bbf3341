"""The report's pure-data parts in engine.assumptions (no Qt): the inputs fingerprint, the
assumptions listing and the reference data a scenario uses."""

from __future__ import annotations

import re

from engine.assumptions import assumptions, inputs_digest, reference_data
from engine.fileformat import dump_project, parse_project
from engine.model.base import Estimate
from engine.model.project import Project
from engine.model.scenario import Knowledge, Workload
from engine.templates import load_template


def test_the_digest_ignores_save_time_and_sees_every_input() -> None:
    project = load_template("support-assistant")
    digest = inputs_digest(project)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert inputs_digest(parse_project(dump_project(project))) == digest  # a save round trip
    data = project.model_dump(mode="json")
    data["notes"] += " "
    assert inputs_digest(Project.model_validate(data)) != digest
    data = project.model_dump(mode="json")
    data["scenarios"][1]["rag"]["top_k"] = 6
    assert inputs_digest(Project.model_validate(data)) != digest


def test_every_input_is_listed_with_its_unit() -> None:
    project = load_template("support-assistant")
    scenario = project.scenarios[0]
    groups = {g.title: g for g in assumptions(project, scenario)}
    workload = {row.name: row for row in groups["Workload"].rows}
    assert set(workload) == set(Workload.model_fields)
    knowledge = {row.name for row in groups["Knowledge & freshness"].rows}
    assert knowledge == set(Knowledge.model_fields)
    for group in groups.values():
        for row in group.rows:
            if row.is_number and row.name not in ("usd_exchange_rate",):
                assert row.unit, row.path
    queries = workload["queries_per_month"]
    assert (queries.value, queries.low, queries.high) == (20_000, 12_000, 35_000)
    assert queries.unit == "queries/month"
    assert isinstance(scenario.workload.queries_per_month, Estimate)


def test_catalog_values_carry_their_source_and_date() -> None:
    project = load_template("support-assistant")
    rows = {
        row.path: row for group in assumptions(project, project.scenarios[0]) for row in group.rows
    }
    price = rows["fine_tuning.training_gpu_hour_price"]
    assert price.from_catalog and price.value == 2.99
    assert price.source.startswith("catalog: NVIDIA H100 SXM5 80GB, as of 2026-05-01")
    assert rows["serving.rag.api_model"].source.startswith("genai-prices: OpenAI")
    # Inputs of a serving mode the strategy does not use are left out.
    assert "serving.rag.gpu" not in rows
    assert "serving.fine_tuning.api_model" not in rows
    assert "fine_tuning.managed_price_per_million_training_tokens" not in rows


def test_reference_data_names_each_entry_once() -> None:
    project = load_template("support-assistant")
    entries = reference_data(project, project.scenarios[0])
    names = [e.name for e in entries]
    assert len(names) == len(set(names))
    l40s = next(e for e in entries if e.entry_id == "l40s")
    assert l40s.used_for == ["Fine-tuning serving", "Hybrid serving"]
    assert l40s.as_of and l40s.source
    assert any(e.catalog == "API model" for e in entries)


def test_overrides_are_listed_as_typed() -> None:
    project = load_template("seed-enterprise")
    groups = assumptions(project, project.scenarios[0])
    overrides = next(g for g in groups if g.title.startswith("Cost overrides"))
    assert {row.path for row in overrides.rows} >= {"cost_overrides.rag.generation"}
    generation = next(r for r in overrides.rows if r.path == "cost_overrides.rag.generation")
    assert generation.value == 0.11 and generation.unit == "money/query"
