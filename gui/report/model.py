"""What a report is made from: the project, each scenario's evaluation (with its curves and,
when it has ranges, its uncertainty analysis), and how the report is to be printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QDate, QLocale

from engine.decision_map import DecisionMap
from engine.evaluate import Curves
from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import Scenario
from engine.uncertainty import Uncertainty
from gui.report.branding import Branding, ReportMode


@dataclass(frozen=True)
class ScenarioReport:
    scenario: Scenario
    evaluation: Evaluation
    curves: Curves
    #: The Monte Carlo analysis (seed 0), when the scenario has ranges.
    uncertainty: Uncertainty | None = None
    #: The decision map over the default axes (gui.report.decision_map), when it can be drawn.
    decision_map: DecisionMap | None = None


@dataclass(frozen=True)
class ReportData:
    project: Project
    scenarios: list[ScenarioReport]
    source_name: str
    digest: str
    generated: date
    app_version: str
    price_data_version: str
    #: "summary" (what a client reads) or "full" (the summary plus the technical appendix).
    mode: ReportMode = "summary"
    #: The consultant's firm branding (per user, from the preferences).
    branding: Branding = field(default_factory=Branding)

    @property
    def short_digest(self) -> str:
        return self.digest[:8]


def long_date(day: date) -> str:
    """The date as the locale writes it in full ("25 November 2026", "November 25, 2026")."""
    text: str = QLocale().toString(
        QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat
    )
    return text
