"""Numbers for people on screen and in the report: the rules of engine.numbers, written the way
the user's locale writes numbers (QLocale: group and decimal separators, digits).

The desktop app calls :func:`install_renderer` once at start (the main window and the report do),
so the engine's own sentences (reasons, crossover labels) read the same way as the GUI's tables;
importing this module changes nothing.  Never format a user-facing number with Python's
f-strings in gui/ (always English).
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QLocale

from engine import numbers
from engine.numbers import (
    DASH,
    count,
    figure_value,
    fixed,
    money,
    money_compact,
    money_decimals,
    money_per_query,
    money_unit,
    number,
    percent,
    points,
    quantity,
    score,
    volume,
    volume_compact,
)

__all__ = [
    "DASH",
    "QLocaleRenderer",
    "count",
    "figure_value",
    "fixed",
    "install_renderer",
    "money",
    "money_compact",
    "money_decimals",
    "money_per_query",
    "money_unit",
    "number",
    "percent",
    "points",
    "quantity",
    "score",
    "volume",
    "volume_compact",
]


class QLocaleRenderer:
    """Writes numbers as the default QLocale does (read at every call, so a locale change —
    QLocale.setDefault — takes effect at once)."""

    _cache: ClassVar[dict[str, QLocale]] = {}

    def _locale(self) -> QLocale:
        default = QLocale()
        key = default.name()
        locale = self._cache.get(key)
        if locale is None:
            locale = QLocale(default)
            if locale.language() == QLocale.Language.C:
                # The C locale (LANG unset, e.g. a bare container) omits group separators;
                # people still read "1,326,000" more easily than "1326000".
                locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
            self._cache[key] = locale
        return locale

    @property
    def decimal_point(self) -> str:
        return str(self._locale().decimalPoint())

    @property
    def zero_digit(self) -> str:
        return str(self._locale().zeroDigit())

    def fixed(self, value: float, decimals: int) -> str:
        text: str = self._locale().toString(value, "f", decimals)
        return text


_installed: QLocaleRenderer | None = None


def install_renderer() -> None:
    """Write the engine's numbers as the user's locale does, for the rest of this process."""
    global _installed
    if _installed is None:
        _installed = QLocaleRenderer()
    numbers.set_renderer(_installed)
