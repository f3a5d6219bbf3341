"""The title block: what the report is, for whom, by whom, and which inputs it comes from."""

from __future__ import annotations

from gui.report.blocks import (
    cell,
    para,
)
from gui.report.flow import (
    MUTED,
    Flowable,
    Row,
    Spacer,
    Style,
    Table,
)
from gui.report.model import ReportData, long_date
from gui.report.styles import (
    CELL,
    KICKER,
    SUBTITLE,
    TITLE,
)


def title_block(data: ReportData) -> list[Flowable]:
    project = data.project
    items: list[Flowable] = [
        para("FINE-TUNING, RAG OR BOTH?  ·  RECOMMENDATION REPORT", KICKER, space_after=7.0),
        para(project.title, TITLE, space_after=5.0),
    ]
    if project.client:
        items.append(
            para(
                [("Prepared for ", SUBTITLE), (project.client, SUBTITLE)], SUBTITLE, space_after=3.0
            )
        )
    items.append(Spacer(8.0))
    names = ", ".join(s.scenario.name for s in data.scenarios)
    rows = [
        ("Client", project.client or "—"),
        ("Consultant", project.consultant or "—"),
        ("Date", long_date(data.generated)),
        ("Scenario" if len(data.scenarios) == 1 else "Scenarios", names),
        ("Project file", data.source_name),
        (
            "Inputs fingerprint",
            f"{data.short_digest}  (SHA-256 of the project's inputs: {data.digest})",
        ),
        ("Prepared with", f"FTRAG Advisor {data.app_version}; prices: {data.price_data_version}"),
    ]
    table_rows = [
        Row([cell(label, Style(size=7.8, color=MUTED, leading=1.2)), cell(value, CELL)])
        for label, value in rows
    ]
    items.append(Table([22, 78], table_rows, space_after=6.0))
    return items
