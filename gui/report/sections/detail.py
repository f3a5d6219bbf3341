"""The note a many-scenario report prints where it details only some of its scenarios: which
ones, out of how many, and how to get every scenario in detail."""

from __future__ import annotations

from engine.text import one_line
from gui import format as fmt
from gui.report.blocks import para
from gui.report.flow import Flowable, Panel
from gui.report.model import DETAIL_LIMIT, ReportData
from gui.report.styles import BODY, BODY_BOLD

#: The words of the opt-in, as the export dialog and the command line spell it.
OPT_IN_GUI = "Detail every scenario"
OPT_IN_CLI = "--all-scenarios"


def detail_sentence(data: ReportData) -> str:
    """'This report details 1 of 200 scenarios: “Base”.'"""
    names = ", ".join(f"“{one_line(r.scenario.name)}”" for r in data.scenarios)
    return (
        f"This report details {fmt.count(len(data.scenarios))} of "
        f"{fmt.count(data.scenario_count)} scenarios: {names}."
    )


def detail_note(data: ReportData, *, appendix: bool = False) -> list[Flowable]:
    """The panel saying which scenarios are detailed and how to detail them all; nothing when
    every scenario is detailed."""
    if not data.detail_limited:
        return []
    count = fmt.count(data.scenario_count)
    covered = (
        "This technical appendix covers the detailed scenarios only"
        if appendix
        else "The comparison table below lists all "
        + count
        + "; the scenario pages, compliance verdicts, risks, next steps and assumptions "
        + ("(and the technical appendix) " if data.mode == "full" else "")
        + "cover the detailed scenarios only"
    )
    return [
        Panel(
            [
                para(detail_sentence(data), BODY_BOLD, space_after=3.0),
                para(
                    f"{covered}: with more than {fmt.count(DETAIL_LIMIT)} scenarios a report "
                    "details the chosen ones, so that it stays readable. To detail every "
                    f"scenario, tick “{OPT_IN_GUI}” in File → Export Report… (or Export "
                    f"Editable Report…, Print…), or add {OPT_IN_CLI} to ftrag report; to "
                    "detail others, make them current before exporting, or name them with "
                    "--detail.",
                    BODY,
                ),
            ],
            space_after=8.0,
        )
    ]
