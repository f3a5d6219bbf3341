"""A project just past the report's detail limit, for the many-scenario report tests."""

from __future__ import annotations

import copy

from engine.model.project import Project
from engine.templates import load_template
from gui.report.model import DETAIL_LIMIT


def many_scenarios(count: int = DETAIL_LIMIT + 1) -> Project:
    """``count`` scenarios "Option 01" … (no ranges, so no uncertainty analysis to wait
    for), each with a different volume."""
    data = load_template("seed-small-company").model_dump()
    base = data["scenarios"][0]
    scenarios = []
    for i in range(count):
        scenario = copy.deepcopy(base)
        scenario["name"] = f"Option {i + 1:02d}"
        scenario["workload"]["queries_per_month"] *= 1 + i
        scenarios.append(scenario)
    data["scenarios"] = scenarios
    return Project.model_validate(data)


def analysed(text: str, count: int = DETAIL_LIMIT + 1) -> list[str]:
    """The scenarios whose appendix analysis the report holds."""
    return [
        f"Option {i:02d}"
        for i in range(1, count + 1)
        if f"Scenario “Option {i:02d}”: the analysis" in text
    ]
