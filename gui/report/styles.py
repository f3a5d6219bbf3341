"""The report's look: colours, text styles, and the names it gives criteria, cost kinds and
compliance verdicts.

The sections are written against the house palette below; a firm's accent colour is applied to
the finished story by :func:`apply_accent`, so every heading, panel and highlight follows it.
"""

from __future__ import annotations

from gui.report.flow import INK, MUTED, Style

ACCENT = "#1F3A5F"
ACCENT_SOFT = "#EEF3F8"
HIGHLIGHT = "#F3F7FB"

BODY = Style(size=9.0)
BODY_BOLD = Style(size=9.0, bold=True)
SMALL = Style(size=7.5, color=MUTED)
CELL = Style(size=7.8, leading=1.2)
CELL_BOLD = Style(size=7.8, bold=True, leading=1.2)
CELL_MUTED = Style(size=6.9, color=MUTED, leading=1.2)
HEAD = Style(size=7.4, bold=True, color=INK, leading=1.2)
GROUP = Style(size=7.8, bold=True, color=ACCENT, leading=1.2)
H1 = Style(size=14.5, bold=True, color=ACCENT, leading=1.2)
H2 = Style(size=11.0, bold=True, color=ACCENT, leading=1.2)
H3 = Style(size=9.2, bold=True, color=INK, leading=1.2)
TITLE = Style(size=23.0, bold=True, color=ACCENT, leading=1.15)
SUBTITLE = Style(size=12.0, color=INK, leading=1.2)
KICKER = Style(size=7.6, bold=True, color="#4A6A8F", letter_spacing=112.0)
REC_NAME = Style(size=19.0, bold=True, color=ACCENT, leading=1.15)

CRITERION_NAMES = {
    "cost": "Cost",
    "latency": "Latency",
    "freshness": "Freshness",
    "compliance": "Compliance",
    "fit": "Fit",
}
KIND_TITLES = {
    "one_time": "One-time costs",
    "monthly": "Monthly costs (month 1, at today's volume)",
    "per_query": "Per-query costs",
    "per_retrain": "Per retrain",
}
VERDICT_TEXT = {
    "meets": ("✓", "Meets"),
    "needs_mitigation": ("⚠", "Needs mitigation"),
    "fails": ("✗", "Fails"),
}
