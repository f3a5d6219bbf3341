"""The uncertainty analysis the report prints for a scenario with ranges.

The analysis is run here with a fixed seed (0), the project's distribution and the default
5,000 samples, so the same project always prints the same figures; a scenario without ranges
gets none (and no section: gui.report.sections.uncertainty).
"""

from __future__ import annotations

from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import Scenario
from engine.uncertainty import DEFAULT_SAMPLES, Uncertainty, analyse, has_uncertain_inputs

REPORT_SEED = 0


def scenario_uncertainty(
    project: Project, scenario: Scenario, evaluation: Evaluation
) -> Uncertainty | None:
    """The analysis the report prints (None when the scenario has no ranges)."""
    if not has_uncertain_inputs(scenario):
        return None
    return analyse(
        project,
        scenario,
        evaluation,
        samples=DEFAULT_SAMPLES,
        seed=REPORT_SEED,
        distribution=project.distribution,
    )
