"""The recommendation report: one renderer (:func:`render_report`) behind File → Export PDF,
Print Preview, Print and ``ftrag report``; see gui.report.printing for the menu actions."""

from gui.report.render import (
    RenderResult,
    ReportError,
    default_paper,
    page_layout,
    render_page_images,
    render_report,
)

__all__ = [
    "RenderResult",
    "ReportError",
    "default_paper",
    "page_layout",
    "render_page_images",
    "render_report",
]
