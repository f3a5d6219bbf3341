"""Format 1 → 2: requirements and weights move to the project; older totals stay what they were."""

from __future__ import annotations

import json
from pathlib import Path

from engine.evaluate import evaluate
from engine.fileformat import SCHEMA_VERSION, dump_project, parse_project
from engine.model import Project
from engine.model.base import Estimate
from engine.model.scenario import Requirements, Scenario, Weights

GOLDEN = Path(__file__).parent / "golden"
V1 = GOLDEN / "v1-support-assistant.ftrag"


def _v1() -> dict:
    raw: dict = json.loads(V1.read_text(encoding="utf-8"))
    assert raw["schema_version"] == 1
    return raw


def test_v1_requirements_and_weights_become_the_projects() -> None:
    raw = _v1()
    first = raw["project"]["scenarios"][0]
    project = parse_project(V1.read_bytes())
    assert project.requirements == Requirements.model_validate(first["requirements"])
    assert project.weights == Weights.model_validate(first.get("weights", {}))
    for scenario in project.scenarios:
        assert scenario.requirements == project.requirements
        assert not scenario.own_requirements
        assert not scenario.own_weights


def test_v1_scenario_with_other_requirements_keeps_them_as_an_override() -> None:
    raw = _v1()
    second = raw["project"]["scenarios"][1]
    kept = raw["project"]["scenarios"][0]["requirements"]["latency_target_s"]
    second["requirements"]["latency_target_s"] = kept + 3
    second["weights"] = {**second.get("weights", {}), "cost": 70}
    project = parse_project(json.dumps(raw).encode())
    first, other = project.scenarios
    assert not first.own_requirements and first.requirements.latency_target_s.likely == kept
    assert other.own_requirements and other.requirements.latency_target_s.likely == kept + 3
    assert other.own_weights and other.weights.cost.likely == 70
    assert project.weights.cost.likely != 70


def test_v1_totals_are_unchanged_people_are_left_out() -> None:
    project = parse_project(V1.read_bytes())
    for scenario in project.scenarios:
        assert not scenario.people.include
        evaluation = evaluate(project, scenario)
        for result in evaluation.strategies.values():
            people = {c.key: c.figure.value for c in result.components}
            assert people["build_effort"] == 0.0
            assert people["operations"] == 0.0
    # The same inputs with people counted cost more: the switch is what keeps v1 totals.
    on = project.scenarios[0].model_copy(
        update={"people": project.scenarios[0].people.model_copy(update={"include": True})}
    )
    before = evaluate(project, project.scenarios[0]).strategies["rag"].tco.value
    after = evaluate(project, on).strategies["rag"].tco.value
    assert after > before


def test_inherited_sections_are_written_once_and_read_back_equal() -> None:
    project = Project(
        scenarios=[
            Scenario(name="a"),
            Scenario(name="b", own_weights=True, weights=Weights(cost=Estimate(likely=90))),
        ]
    )
    data = json.loads(dump_project(project))
    assert data["schema_version"] == SCHEMA_VERSION
    a, b = data["project"]["scenarios"]
    assert "requirements" not in a and "weights" not in a
    assert "requirements" not in b and b["weights"]["cost"] == 90
    assert parse_project(dump_project(project)) == project


def test_a_project_edit_reaches_every_scenario_that_does_not_override() -> None:
    base = Project(
        scenarios=[
            Scenario(name="a"),
            Scenario(
                name="b",
                own_requirements=True,
                requirements=Requirements(latency_target_s=Estimate(likely=9)),
            ),
        ]
    )
    data = {name: getattr(base, name) for name in Project.model_fields}
    data["requirements"] = Requirements(latency_target_s=Estimate(likely=2))
    edited = Project.model_validate(data)
    assert edited.scenarios[0].requirements.latency_target_s.likely == 2
    assert edited.scenarios[1].requirements.latency_target_s.likely == 9
    # Switching the override off brings the project's requirements back.
    data = {name: getattr(edited, name) for name in Project.model_fields}
    data["scenarios"] = [edited.scenarios[0], edited.scenarios[1].model_copy(
        update={"own_requirements": False})]  # fmt: skip
    back = Project.model_validate(data)
    assert back.scenarios[1].requirements.latency_target_s.likely == 2


def test_a_project_built_in_code_lifts_the_first_scenarios_requirements() -> None:
    project = Project(
        scenarios=[
            Scenario(name="a", requirements=Requirements(freshness_target_days=Estimate(likely=3))),
            Scenario(name="b"),
        ]
    )
    assert project.requirements.freshness_target_days.likely == 3
    assert not project.scenarios[0].own_requirements
    assert project.scenarios[1].own_requirements  # it differs, so it is kept as its own


# --- format 2 → 3: the client's brief --------------------------------------------------------

V2 = GOLDEN / "v2-eu-insurer-claims.ftrag"
V3 = GOLDEN / "v3-eu-insurer-brief.ftrag"


def test_v2_files_open_without_a_brief_and_with_the_same_totals() -> None:
    raw = json.loads(V2.read_text(encoding="utf-8"))
    assert raw["schema_version"] == 2
    assert "brief" not in raw["project"]
    assert "ml_ops_in_house" not in raw["project"]["scenarios"][0]["people"]
    project = parse_project(V2.read_bytes())
    assert project.brief is None
    assert all(s.people.ml_ops_in_house for s in project.scenarios)
    # Migrating adds nothing that changes a figure: the migrated scenario costs what the same
    # scenario built fresh (the new field at its default) costs.
    scenario = project.scenarios[0]
    fresh = Scenario.model_validate(scenario.model_dump())
    before = evaluate(project, fresh).strategies
    after = evaluate(project, scenario).strategies
    for key, result in after.items():
        assert result.tco.value == before[key].tco.value
    saved = json.loads(dump_project(project))
    assert saved["schema_version"] == SCHEMA_VERSION == 3
    assert saved["project"]["brief"] is None


def test_v3_golden_file_keeps_its_brief() -> None:
    raw = json.loads(V3.read_text(encoding="utf-8"))
    assert raw["schema_version"] == 3
    project = parse_project(V3.read_bytes())
    assert project.brief is not None
    assert project.brief.answers.data_must_stay_in == "EU"
    assert project.brief.applied["requirements.latency_p95_need"] == "must"
    assert any(a.dont_know for a in project.brief.assumptions)
    assert json.loads(dump_project(project))["project"] == raw["project"]


def test_v3_brief_from_an_older_app_with_unknown_keys_is_refused_clearly() -> None:
    raw = json.loads(V3.read_text(encoding="utf-8"))
    raw["project"]["brief"]["answers"]["favourite_colour"] = "blue"
    from engine.fileformat import ProjectFileError

    try:
        parse_project(json.dumps(raw).encode(), "x.ftrag")
    except ProjectFileError as exc:
        assert "brief.answers.favourite_colour" in str(exc)
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("an unknown answer in a stored brief was accepted")
