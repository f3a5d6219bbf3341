"""The client summary's cover: the firm (name and logo), what the report is, for whom, by whom
and when."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter

from engine.text import one_line
from gui import format as fmt
from gui.report.blocks import cell, para
from gui.report.flow import MUTED, Device, Drawing, Flowable, Row, Spacer, Style, Table
from gui.report.model import ReportData, long_date
from gui.report.styles import ACCENT, CELL, KICKER, SUBTITLE, TITLE

LOGO_HEIGHT_PT = 40.0
LOGO_MAX_WIDTH_PT = 180.0


def logo_drawing(data: ReportData) -> Drawing | None:
    """The firm's logo, left-aligned, at most 40 pt high and 180 pt wide (aspect kept)."""
    branding = data.branding
    if not branding.has_logo:
        return None
    probe = branding.logo_image()
    if probe.isNull() or probe.width() == 0:
        return None
    ratio = probe.height() / probe.width()

    def paint(painter: QPainter, dev: Device, rect: QRectF) -> None:
        height = rect.height()
        width = min(height / ratio, dev.pt(LOGO_MAX_WIDTH_PT), rect.width())
        height = width * ratio
        # Rendered at the device's resolution (SVG drawn sharp, PNG scaled smoothly).
        image = branding.logo_image(QSize(max(1, round(width)), max(1, round(height))))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(QRectF(rect.left(), rect.top(), width, height), image)

    # A very wide logo is drawn lower than 40 pt, so the band never leaves a gap below it.
    points = min(LOGO_HEIGHT_PT, LOGO_MAX_WIDTH_PT * ratio)
    return Drawing(paint, aspect=1.0, max_height=points, space_before=0.0, space_after=6.0)


def cover(data: ReportData) -> list[Flowable]:
    project = data.project
    firm = data.branding.firm_name
    items: list[Flowable] = []
    logo = logo_drawing(data)
    if logo is not None:
        items.append(logo)
    if firm:
        items.append(para(firm, Style(size=10.0, bold=True, color=ACCENT), space_after=10.0))
    items += [
        para("FINE-TUNING, RAG OR BOTH?  ·  RECOMMENDATION", KICKER, space_after=7.0),
        para(one_line(project.title), TITLE, space_after=5.0, role="title"),
    ]
    if project.client:
        items.append(
            para(
                [("Prepared for ", SUBTITLE), (one_line(project.client), SUBTITLE)],
                SUBTITLE,
                space_after=3.0,
            )
        )
    items.append(Spacer(6.0))
    names = ", ".join(one_line(s.scenario.name) for s in data.scenarios)
    if data.detail_limited:  # a cover lists no 200 names: how many, and which are detailed
        names = f"{fmt.count(data.scenario_count)}, of which detailed: {names}"
    rows = [  # only what is known: a client reads no "—"
        (label, value)
        for label, value in (
            ("Client", one_line(project.client)),
            ("Consultant", one_line(project.consultant)),
            ("Firm", firm),
            ("Date", long_date(data.generated)),
            ("Scenario" if data.scenario_count == 1 else "Scenarios", names),
        )
        if value
    ]
    label = Style(size=7.8, color=MUTED, leading=1.2)
    table_rows = [Row([cell(name, label), cell(value, CELL)]) for name, value in rows]
    items.append(Table([22, 78], table_rows, space_after=4.0))
    return items
