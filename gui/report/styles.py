"""The report's look: colours, text styles, and the names it gives criteria, cost kinds and
compliance verdicts.

The sections are written against the house palette below; a firm's accent colour replaces it in
the finished story (gui.report.finish, with :func:`accent_palette`), so every heading, panel and
highlight follows the firm's colour.
"""

from __future__ import annotations

from gui.report.flow import INK, MUTED, Style

ACCENT = "#1F3A5F"
ACCENT_SOFT = "#EEF3F8"
HIGHLIGHT = "#F3F7FB"
KICKER_COLOR = "#4A6A8F"
HEADING_RULE = "#9FB0C4"
WARNING_RED = "#A23B2A"

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
KICKER = Style(size=7.6, bold=True, color=KICKER_COLOR, letter_spacing=112.0)
REC_NAME = Style(size=19.0, bold=True, color=ACCENT, leading=1.15)


def _mix(color: str, white_share: float) -> str:
    """``color`` blended with white (0 = the colour, 1 = white)."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * white_share) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def accent_palette(accent: str) -> dict[str, str]:
    """The house colours that follow the accent, mapped to their tints of ``accent``.  The
    house accent maps to itself, so a report without branding keeps its exact colours."""
    if accent.upper() == ACCENT.upper():
        return {}
    return {
        ACCENT: accent,
        KICKER_COLOR: _mix(accent, 0.22),
        HEADING_RULE: _mix(accent, 0.55),
        ACCENT_SOFT: _mix(accent, 0.92),
        HIGHLIGHT: _mix(accent, 0.95),
    }
