"""How each strategy looks wherever it is drawn: colour AND line style, so the chart survives
grey-scale printing and colour-blind readers (Okabe–Ito palette, a light and a dark variant)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette


@dataclass(frozen=True)
class StrategyStyle:
    light: str  # on a light background (and in every export: white background)
    dark: str  # on a dark background
    line: Qt.PenStyle
    symbol: str  # pyqtgraph symbol, for markers in the strategy's colour

    def color(self, dark_background: bool = False) -> QColor:
        return QColor(self.dark if dark_background else self.light)


STRATEGY_STYLES: dict[str, StrategyStyle] = {
    "fine_tuning": StrategyStyle("#0072B2", "#56B4E9", Qt.PenStyle.SolidLine, "o"),
    "rag": StrategyStyle("#D55E00", "#F5914B", Qt.PenStyle.DashLine, "s"),
    "hybrid": StrategyStyle("#009E73", "#3FD0A4", Qt.PenStyle.DashDotLine, "t"),
}

# Verdict colours (always shown with an icon shape and a word, never colour alone).
VERDICT_COLORS: dict[str, str] = {
    "meets": "#1B8A3A",
    "needs_mitigation": "#C77C02",
    "fails": "#C0392B",
}


def is_dark(palette: QPalette) -> bool:
    """True when the palette's window background is dark (the OS dark mode)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def score_color(value: float, dark_background: bool = False) -> QColor:
    """A bar colour for a 0–100 score: green ≥ 75, amber ≥ 50, red below (the number is shown
    beside it, so colour is never the only cue)."""
    if value >= 75:
        name = "#2E9E4F" if not dark_background else "#4CC46F"
    elif value >= 50:
        name = "#D99A1E" if not dark_background else "#E8B04A"
    else:
        name = "#C8473A" if not dark_background else "#E0685B"
    return QColor(name)
