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


#: Beyond this many scenarios a report details only the chosen ones (the current scenario in
#: the app, ``--detail`` on the command line; the first by default) and compares all of them
#: in one table, unless the person asks for every scenario in detail.  Why 12: see
#: docs/report.md ("Many scenarios").
DETAIL_LIMIT = 12


@dataclass(frozen=True)
class ScenarioBrief:
    """A scenario's row of the all-scenarios comparison: its evaluation, no curves."""

    scenario: Scenario
    evaluation: Evaluation


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
    #: Every scenario the report covers, when it details only some of them (``scenarios``):
    #: the rows of the comparison table.  Empty when every scenario is detailed.
    overview: tuple[ScenarioBrief, ...] = ()

    @property
    def compared(self) -> list[ScenarioReport] | list[ScenarioBrief]:
        """The scenarios the comparison table lists: all of them, detailed or not."""
        return list(self.overview) if self.overview else self.scenarios

    @property
    def scenario_count(self) -> int:
        """How many scenarios the report covers (detailed or only compared)."""
        return len(self.overview) or len(self.scenarios)

    @property
    def detail_limited(self) -> bool:
        """True when only some of the scenarios are detailed."""
        return len(self.scenarios) < self.scenario_count

    @property
    def short_digest(self) -> str:
        return self.digest[:8]


def long_date(day: date) -> str:
    """The date as the locale writes it in full ("25 November 2026", "November 25, 2026")."""
    text: str = QLocale().toString(
        QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat
    )
    return text
